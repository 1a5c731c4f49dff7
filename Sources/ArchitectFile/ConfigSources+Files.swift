// Inputs beside YAML: Connect REST JSON (a connector's config) and shell scripts that create
// topics with kafka-topics.sh.

import ArchitectCore
import Yams

extension ConfigSources {
    /// A connector as Connect's REST API takes it — {"name": …, "config": {…}} or the flat config
    /// map with connector.class; any other JSON is skipped with a notice.
    public static func json(_ text: String, file: String) -> ConfigLoad {
        var load = ConfigLoad()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let e as YamlError {
            load.errors.append(Reader(file: file).yamlError(e, text: text))
            return load
        } catch {
            load.errors.append(
                ArchitectureFileError(file: file, line: 0, column: 0, field: "", message: "not valid JSON: \(error)"))
            return load
        }
        let config = root?.field("config").flatMap { node -> Node? in
            if case .mapping = node { return node }
            return nil
        }
        guard let root, case .mapping = root, let map = config ?? (root.field("connector.class") != nil ? root : nil),
            map.field("connector.class") != nil || config != nil
        else {
            load.notices.append(
                LintNotice(
                    file: file, line: 0, message: "not a Kafka configuration (JSON without a connector config); skipped"
                ))
            return load
        }
        var unit = ConfigUnit(
            file: file, name: root.field("name")?.string ?? map.field("name")?.string, kind: .connector,
            settings: StrimziResources.settings(map), anchorLine: map.mark?.line ?? 1)
        unit.detectedFrom = config != nil ? "Connect REST JSON" : "keys: connector.class"
        load.units.append(unit)
        return load
    }

    /// Topics a shell script creates: each `kafka-topics(.sh) … --create` command (continuation
    /// lines joined) with --topic, --partitions, --replication-factor and --config k=v.
    public static func script(_ text: String, file: String) -> ConfigLoad {
        var load = ConfigLoad()
        for command in ShellCommands.commands(text) where command.words.contains(where: isTopicsTool) {
            let words = command.words
            guard words.contains("--create") else { continue }
            var unit = ConfigUnit(file: file, kind: .topic, settings: [:], anchorLine: command.line)
            unit.detectedFrom = "kafka-topics --create"
            var i = 0
            while i < words.count {
                let (flag, inline) = split(words[i])
                let value = inline ?? (i + 1 < words.count ? words[i + 1] : nil)
                let step = inline == nil ? 2 : 1
                switch flag {
                case "--topic":
                    unit.name = value
                case "--partitions":
                    unit.partitions = value.flatMap { Int($0) }
                    unit.settings["strimzi.partitions"] = ConfigSetting(
                        key: "--partitions", value: value ?? "", line: command.line)
                case "--replication-factor":
                    unit.replicationFactor = value.flatMap { Int($0) }
                    unit.settings["replication.factor"] = ConfigSetting(
                        key: "--replication-factor", value: value ?? "", line: command.line)
                case "--config":
                    if let kv = value, let eq = kv.firstIndex(of: "=") {
                        let key = String(kv[..<eq])
                        unit.settings[key] = ConfigSetting(
                            key: key, value: String(kv[kv.index(after: eq)...]), line: command.line)
                    }
                default:
                    i += 1
                    continue
                }
                i += step
            }
            unit.traits.insert("script")
            load.units.append(unit)
        }
        if load.units.isEmpty {
            load.notices.append(
                LintNotice(
                    file: file, line: 0,
                    message: "not a Kafka configuration (a script with no kafka-topics --create command); skipped"))
        }
        return load
    }

    static func isTopicsTool(_ word: String) -> Bool {
        let base = word.split(separator: "/").last.map(String.init) ?? word
        return base == "kafka-topics" || base == "kafka-topics.sh"
    }

    static func split(_ word: String) -> (String, String?) {
        guard word.hasPrefix("--"), let eq = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<eq]), String(word[word.index(after: eq)...]))
    }
}

/// Shell command lines, split into words the way a POSIX shell splits simple commands: backslash
/// continuations joined, quotes removed, `#` comments dropped, `;`, `&&`, `||` and `|` ending a command.
enum ShellCommands {
    struct Command {
        let words: [String]
        /// Line the command starts on.
        let line: Int
    }

    // Long because: a small quoting state machine reads best in one loop.
    static func commands(_ text: String) -> [Command] {
        var out: [Command] = []
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character? = nil
        var line = 1
        var start = 1
        var chars = Array(text)
        chars.append("\n")
        var i = 0
        func endWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }
        func endCommand() {
            endWord()
            if !words.isEmpty { out.append(Command(words: words, line: start)) }
            words = []
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { line += 1 }
            if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\" && q == "\"" && i + 1 < chars.count {
                    i += 1
                    word.append(chars[i])
                } else {
                    word.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\\" where i + 1 < chars.count && chars[i + 1] == "\n":
                line += 1
                i += 1
            case "\\" where i + 1 < chars.count:
                if !inWord && words.isEmpty { start = line }
                word.append(chars[i + 1])
                inWord = true
                i += 1
            case "'", "\"":
                if !inWord && words.isEmpty { start = line }
                quote = c
                inWord = true
            case "#" where !inWord:
                while i + 1 < chars.count && chars[i + 1] != "\n" { i += 1 }
            case "\n", ";", "|", "&":
                endCommand()
            case " ", "\t":
                endWord()
            default:
                if !inWord && words.isEmpty { start = c == "\n" ? line + 1 : line }
                word.append(c)
                inWord = true
            }
            i += 1
        }
        return out
    }
}
