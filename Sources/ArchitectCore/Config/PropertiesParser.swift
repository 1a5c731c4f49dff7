// Java `.properties` parsed exactly as `java.util.Properties.load` does, with the line of every key.
//
// Rules (java.util.Properties#load(Reader)): natural lines end at \n, \r or \r\n; leading
// whitespace (space, \t, \f) is skipped; a line whose first non-blank character is # or ! is a
// comment; a line ending in an odd number of backslashes continues on the next line, whose leading
// whitespace is dropped; the key ends at the first unescaped =, : or whitespace; then whitespace,
// at most one = or :, and more whitespace are skipped; escapes \t \n \r \f and \uXXXX are decoded and
// any other escaped character stands for itself. A later duplicate key replaces an earlier one.

/// One key of a properties file.
public struct PropertyEntry: Sendable, Equatable {
    public let key: String
    public let value: String
    /// 1-based line where the key's logical line starts.
    public let line: Int
}

/// A comment line, kept for inline suppressions.
public struct PropertyComment: Sendable, Equatable {
    public let text: String
    public let line: Int
}

public struct PropertiesDocument: Sendable, Equatable {
    /// Every key in file order, duplicates included (the last one is effective).
    public let entries: [PropertyEntry]
    public let comments: [PropertyComment]

    /// The effective value of each key: the last occurrence wins, as in Java.
    public var effective: [String: PropertyEntry] {
        var out: [String: PropertyEntry] = [:]
        for e in entries { out[e.key] = e }
        return out
    }
}

public struct PropertiesParseError: Error, Equatable, Sendable {
    public let line: Int
    public let message: String
}

public enum PropertiesParser {
    /// The text of a properties file's bytes as Kafka reads them (`Utils.loadProps` loads from an
    /// InputStream): ISO-8859-1, every byte one character.
    public static func latin1<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let array = Array(bytes)
        // ASCII (nearly every file) is the same in ISO-8859-1 and UTF-8: decode it in one pass.
        if !array.contains(where: { $0 >= 0x80 }) { return String(decoding: array, as: UTF8.self) }
        return String(String.UnicodeScalarView(array.map { Unicode.Scalar($0) }))
    }

    /// Parses properties text (already decoded: Kafka's `Utils.loadProps` reads ISO-8859-1 bytes).
    // Long because: it follows the JDK's Properties.LineReader state machine step by step (logical
    // lines, continuations, escapes, comments), so it can be compared with the JDK side by side.
    public static func parse(_ text: String) throws(PropertiesParseError) -> PropertiesDocument {
        var entries: [PropertyEntry] = []
        var comments: [PropertyComment] = []
        // The state machine of java.util.Properties.LineReader (JDK 17), step for step.
        var buffer: [Unicode.Scalar] = []
        var comment = String.UnicodeScalarView()
        var inComment = false
        var skipWhiteSpace = true
        var appendedLineBegin = false
        var precedingBackslash = false
        var skipLF = false
        var line = 1
        var startLine = 1
        var lastWasCR = false

        func finish() throws(PropertiesParseError) {
            let (key, value) = try split(buffer, line: startLine)
            entries.append(PropertyEntry(key: key, value: value, line: startLine))
            buffer.removeAll(keepingCapacity: true)
        }

        for c in text.unicodeScalars {
            let isEOL = c == "\n" || c == "\r"
            let currentLine = line
            if c == "\r" || (c == "\n" && !lastWasCR) { line += 1 }
            lastWasCR = c == "\r"
            if skipLF {
                skipLF = false
                if c == "\n" { continue }
            }
            if inComment {
                if isEOL {
                    comments.append(PropertyComment(text: String(comment), line: startLine))
                    inComment = false
                    skipWhiteSpace = true
                } else {
                    comment.append(c)
                }
                continue
            }
            if skipWhiteSpace {
                if c == " " || c == "\t" || c == "\u{0C}" { continue }
                if !appendedLineBegin && isEOL { continue }
                skipWhiteSpace = false
                appendedLineBegin = false
            }
            // Still on a new logical line (nothing gathered, even after a continuation): a comment?
            if buffer.isEmpty && (c == "#" || c == "!") {
                inComment = true
                startLine = currentLine
                comment = String.UnicodeScalarView([c])
                continue
            }
            if !isEOL {
                if buffer.isEmpty { startLine = currentLine }
                buffer.append(c)
                precedingBackslash = c == "\\" ? !precedingBackslash : false
                continue
            }
            // End of a natural line.
            if buffer.isEmpty {
                skipWhiteSpace = true
                continue
            }
            if precedingBackslash {
                buffer.removeLast()
                skipWhiteSpace = true
                appendedLineBegin = true
                precedingBackslash = false
                if c == "\r" { skipLF = true }
                continue
            }
            try finish()
            skipWhiteSpace = true
            appendedLineBegin = false
        }
        if inComment {
            comments.append(PropertyComment(text: String(comment), line: startLine))
        } else if !buffer.isEmpty {
            // Java returns the line even when dropping the final backslash empties it: an empty key.
            if precedingBackslash { buffer.removeLast() }
            try finish()
        }
        return PropertiesDocument(entries: entries, comments: comments)
    }

    /// Splits a logical line into key and value and decodes escapes.
    private static func split(_ s: [Unicode.Scalar], line: Int) throws(PropertiesParseError) -> (String, String) {
        func isWhitespace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\u{0C}" }
        var keyEnd = 0
        var valueStart = s.count
        var precedingBackslash = false
        var hasSeparator = false
        while keyEnd < s.count {
            let c = s[keyEnd]
            if (c == "=" || c == ":") && !precedingBackslash {
                valueStart = keyEnd + 1
                hasSeparator = true
                break
            } else if isWhitespace(c) && !precedingBackslash {
                valueStart = keyEnd + 1
                break
            }
            precedingBackslash = c == "\\" ? !precedingBackslash : false
            keyEnd += 1
        }
        while valueStart < s.count {
            let c = s[valueStart]
            if !isWhitespace(c) {
                if !hasSeparator && (c == "=" || c == ":") { hasSeparator = true } else { break }
            }
            valueStart += 1
        }
        let key = try unescape(Array(s[0..<keyEnd]), line: line)
        let value = try unescape(Array(s[min(valueStart, s.count)...]), line: line)
        return (key, value)
    }

    private static func unescape(_ s: [Unicode.Scalar], line: Int) throws(PropertiesParseError) -> String {
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            var c = s[i]
            i += 1
            if c == "\\" && i < s.count {
                c = s[i]
                i += 1
                if c == "u" {
                    guard let unit = hex4(s, &i) else {
                        throw PropertiesParseError(line: line, message: "malformed \\uxxxx encoding")
                    }
                    var scalar = Unicode.Scalar(unit)
                    // Java strings are UTF-16: a high surrogate followed by an escaped low one is one character.
                    if scalar == nil, (0xD800...0xDBFF).contains(unit), i + 6 <= s.count, s[i] == "\\", s[i + 1] == "u"
                    {
                        var j = i + 2
                        if let low = hex4(s, &j), (0xDC00...0xDFFF).contains(low) {
                            scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                            i = j
                        }
                    }
                    out.append(scalar ?? "\u{FFFD}")
                    continue
                }
                switch c {
                case "t": c = "\t"
                case "r": c = "\r"
                case "n": c = "\n"
                case "f": c = "\u{0C}"
                default: break
                }
            }
            out.append(c)
        }
        return String(out)
    }

    /// Four hex digits at `i`, advancing past them.
    private static func hex4(_ s: [Unicode.Scalar], _ i: inout Int) -> UInt32? {
        guard i + 4 <= s.count else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            guard let d = hexValue(s[i + k]) else { return nil }
            value = value << 4 | d
        }
        i += 4
        return value
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 48
        case "a"..."f": c.value - 87
        case "A"..."F": c.value - 55
        default: nil
        }
    }
}
