// Loads a .properties file with java.util.Properties (as Kafka's Utils.loadProps does, from an
// InputStream, so ISO-8859-1) and prints each key and value as hex of their UTF-8 bytes, sorted.
// usage: java Tests/Peers/PropsDump.java FILE [FILE ...]   (each file's output follows a "file N" line)
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeSet;

public class PropsDump {
    static String hex(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) b.append(String.format("%02x", x));
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            System.out.println("file " + i);
            Properties p = new Properties();
            try (FileInputStream in = new FileInputStream(args[i])) {
                p.load(in);
            } catch (IllegalArgumentException e) {
                System.out.println("error");
                continue;
            }
            for (String k : new TreeSet<>(p.stringPropertyNames())) {
                System.out.println(hex(k) + " " + hex(p.getProperty(k)));
            }
        }
    }
}
