import ArchitectCore
import Foundation
import Testing

/// The properties parser against java.util.Properties itself (JDK), on hand-written edge cases
/// and on seeded random files built from the characters that matter.
@Suite(.serialized) struct PropertiesPeerTests {
    static let cases: [String] = [
        "a=b\n",
        "a = b\nc:d\ne f\n  g\t=\th  \n",
        "# comment\n! also comment\n  # indented comment\nkey=value\n",
        "multi=one \\\n    two \\\n\tthree\n",
        "odd=a\\\\\neven=b\\\\\\\nc\n",
        "esc=tab\\tnl\\ncr\\rff\\fq\\q\\\\\n",
        "uni=\\u00e9\\u4e2d\\uD83D\\uDE00\n",
        "k\\=ey=v\\=al\nk\\:2:v\nsp\\ ace=x\n",
        "dup=1\ndup=2\n",
        "onlykey\nempty=\ncolon:\n",
        "crlf=1\r\ncr=2\rlf=3\n",
        "trailing=x\\",
        "cont-comment=a\\\n# not a comment\n",
        "\\#notcomment=1\n",
        "a==b\nc=:d\ne :=f\n",
        "latin1=\u{00E9}\u{00FF}\n",
        "blank-cont=\\\n\nnext=1\n",
        "key\\\n  continued=value\n",
    ]

    static func randomCases(count: Int) -> [String] {
        var rng = XorShift(state: 99)
        let alphabet: [String] = [
            "a", "b", "=", ":", " ", "\t", "\\", "\n", "\r\n", "#", "!", "u", "0", "e", "\\u0041", "é", "\u{0C}",
        ]
        return (0..<count).map { _ in
            (0..<Int.random(in: 1...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
        }
    }

    @Test(.requires(.java)) func matchesJavaUtilProperties() throws {
        guard (try? Peers.run("java", ["-version"]).status) == 0 else {
            return Peers.missing("java (a JDK, e.g. openjdk-17-jdk-headless)")
        }
        let all = Self.cases + Self.randomCases(count: 2000)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ka-props-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for (i, text) in all.enumerated() {
            // Written as ISO-8859-1, as Kafka's loader reads it.
            let url = dir.appendingPathComponent("\(i).properties")
            try Data(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }).write(to: url)
            paths.append(url.path)
        }
        let r = try Peers.run("java", [Peers.script.appendingPathComponent("PropsDump.java").path] + paths)
        #expect(r.status == 0, "\(r.stderr)")
        var javaResults: [[String: String]?] = []
        for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("file ") {
                javaResults.append([:])
                continue
            }
            if line == "error" {
                javaResults[javaResults.count - 1] = nil
                continue
            }
            guard !line.isEmpty else { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            javaResults[javaResults.count - 1]?[Self.unhex(parts[0])] = Self.unhex(parts[1])
        }
        #expect(javaResults.count == all.count)
        for (i, text) in all.enumerated() where i < javaResults.count {
            let latin1 = String(
                String.UnicodeScalarView(
                    text.unicodeScalars.map { Unicode.Scalar(UInt8(truncatingIfNeeded: $0.value)) }))
            let ours: [String: String]?
            do {
                ours = try PropertiesParser.parse(latin1).effective.mapValues(\.value)
            } catch {
                ours = nil
            }
            #expect(
                ours == javaResults[i], "case \(i): \(Array(text.unicodeScalars).map { String($0.value, radix: 16) })")
        }
    }

    static func unhex(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            bytes.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
