// Splits a YAML stream into its documents by their `---` / `...` markers, so that one broken
// document is reported with its line while the others are still read.

enum YAMLStream {
    struct Document {
        /// The document's text, without its `---` marker line.
        let text: String
        /// 1-based line of the document's first line in the whole stream.
        let line: Int
    }

    static func documents(_ text: String) -> [Document] {
        var out: [Document] = []
        var current: [Substring] = []
        var start = 1
        var sawContent = false
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func flush() {
            if sawContent { out.append(Document(text: current.joined(separator: "\n"), line: start)) }
            current = []
            sawContent = false
        }
        for (i, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line == "---" || line.hasPrefix("--- ") || line.hasPrefix("---\t") {
                flush()
                start = i + 1
                let rest = line.dropFirst(3).drop { $0 == " " || $0 == "\t" }
                if !rest.isEmpty && !rest.hasPrefix("#") {
                    current = [Substring(String(repeating: " ", count: line.count - rest.count)) + rest]
                    sawContent = true
                } else {
                    current = [""]
                }
                continue
            }
            if line == "..." || line.hasPrefix("... ") {
                flush()
                start = i + 2
                continue
            }
            if current.isEmpty { start = i + 1 }
            current.append(line)
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if !trimmed.isEmpty && !trimmed.hasPrefix("#") && !trimmed.hasPrefix("%") { sawContent = true }
        }
        flush()
        return out
    }
}
