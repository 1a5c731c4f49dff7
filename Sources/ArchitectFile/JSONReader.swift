// A pull reader for JSON over UTF-8 bytes: values are read where the caller expects them, objects and
// arrays walked with a closure, nothing built that is not kept. It exists because Foundation's JSONDecoder
// takes ~4 s on a 200,000-partition snapshot; this reads it in a fraction (docs/benchmarks.md). Errors
// name the JSON path ($.topics[3].partitions[0].leader) or, for broken JSON, the line and column.

struct JSONReadError: Error, Equatable {
    let path: String
    let message: String
}

struct JSONReader {
    enum Component {
        case key(String)
        case index(Int)
    }

    let bytes: [UInt8]
    var i = 0
    var path: [Component] = []
    /// Objects and arrays deeper than this are refused (a snapshot nests five levels; recursion must not
    /// exhaust the stack on hostile input).
    static let maximumDepth = 64

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func checkDepth() throws(JSONReadError) {
        if path.count >= Self.maximumDepth {
            throw JSONReadError(path: pathText, message: "nested more than \(Self.maximumDepth) levels deep")
        }
    }

    var pathText: String {
        "$"
            + path.map { c in
                switch c {
                case .key(let k): ".\(k)"
                case .index(let n): "[\(n)]"
                }
            }.joined()
    }

    /// A syntax error: where in the text, since the path of broken JSON means little.
    func syntax(_ what: String) -> JSONReadError {
        var line = 1
        var column = 1
        for b in bytes[0..<min(i, bytes.count)] {
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        let at = i >= bytes.count ? "unexpected end of file" : "\(what) at line \(line), column \(column)"
        return JSONReadError(path: "$", message: "not valid JSON (\(at)); a truncated or damaged file?")
    }

    func type(_ expected: String) -> JSONReadError {
        let found: String
        switch i < bytes.count ? bytes[i] : 0 {
        case UInt8(ascii: "\""): found = "a string"
        case UInt8(ascii: "{"): found = "an object"
        case UInt8(ascii: "["): found = "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): found = "true or false"
        case UInt8(ascii: "n"): found = "null"
        default: found = "a number"
        }
        return JSONReadError(path: pathText, message: "expected \(expected), found \(found)")
    }

    mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    mutating func peek() throws(JSONReadError) -> UInt8 {
        skipSpace()
        guard i < bytes.count else { throw syntax("end") }
        return bytes[i]
    }

    mutating func expect(_ c: UInt8) throws(JSONReadError) {
        guard try peek() == c else { throw syntax("expected '\(Character(UnicodeScalar(c)))'") }
        i += 1
    }

    mutating func literal(_ word: String) throws(JSONReadError) {
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { throw syntax("invalid literal") }
            i += 1
        }
    }

    /// Consumes `null` and returns true, or returns false and leaves the value.
    mutating func null() throws(JSONReadError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func bool() throws(JSONReadError) -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default: throw type("true or false")
        }
    }

    mutating func string() throws(JSONReadError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw type("a string") }
        i += 1
        let start = i
        var ascii = true
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") {
            let b = bytes[i]
            if b < 0x20 { throw syntax("a control character inside a string") }
            if b >= 0x80 { ascii = false }
            i += 1
        }
        guard i < bytes.count else { throw syntax("unterminated string") }
        // Only text with non-ASCII bytes needs checking (almost every key and name is ASCII).
        guard ascii || String(validating: bytes[start..<i], as: UTF8.self) != nil else {
            throw JSONReadError(path: pathText, message: "not UTF-8 text")
        }
        if bytes[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
        return try escaped(Array(bytes[start..<i]))
    }

    /// The rest of a string from its first backslash: escapes decoded into `out`.
    mutating func escaped(_ prefix: [UInt8]) throws(JSONReadError) -> String {
        var out = prefix
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u")
                {
                    i += 2
                    let low = try hex4()
                    // A high surrogate needs a low one; anything else is not a character.
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        out.append(contentsOf: Array("\u{FFFD}".utf8))
                        scalar = low
                    }
                }
                out.append(contentsOf: Array(String(UnicodeScalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
            default: out.append(e)
            }
        }
        throw syntax("unterminated string")
    }

    mutating func hex4() throws(JSONReadError) -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
        else { throw syntax("bad \\u escape") }
        i += 4
        return v
    }

    /// The number's text, validated as JSON's grammar allows.
    mutating func numberText(_ expected: String = "a number") throws(JSONReadError) -> ArraySlice<UInt8> {
        let c = try peek()
        guard c == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) else {
            throw type(expected)
        }
        let start = i
        i += 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                UInt8(ascii: "+"), UInt8(ascii: "-"):
                i += 1
            default: return try validNumber(start)
            }
        }
        return try validNumber(start)
    }

    /// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    func validNumber(_ start: Int) throws(JSONReadError) -> ArraySlice<UInt8> {
        let text = bytes[start..<i]
        var k = text.startIndex
        func digits() -> Int {
            let from = k
            while k < text.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[k]) { k += 1 }
            return k - from
        }
        if k < text.endIndex, text[k] == UInt8(ascii: "-") { k += 1 }
        let first = k
        var ok = digits() > 0 && !(text[first] == UInt8(ascii: "0") && k - first > 1)
        if ok, k < text.endIndex, text[k] == UInt8(ascii: ".") {
            k += 1
            ok = digits() > 0
        }
        if ok, k < text.endIndex, text[k] == UInt8(ascii: "e") || text[k] == UInt8(ascii: "E") {
            k += 1
            if k < text.endIndex, text[k] == UInt8(ascii: "+") || text[k] == UInt8(ascii: "-") { k += 1 }
            ok = digits() > 0
        }
        guard ok, k == text.endIndex else {
            throw JSONReadError(path: pathText, message: "'\(String(decoding: text, as: UTF8.self))' is not a number")
        }
        return text
    }

    mutating func int64() throws(JSONReadError) -> Int64 {
        let start = i
        let text = try numberText("an integer")
        var value: Int64 = 0
        var negative = false
        var ok = !text.isEmpty
        for (n, b) in text.enumerated() {
            if n == 0 && b == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else {
                ok = false
                break
            }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b - UInt8(ascii: "0")))
            guard !o1, !o2 else {
                ok = false
                break
            }
            value = a
        }
        guard ok else {
            i = start
            throw JSONReadError(
                path: pathText, message: "expected an integer, found \(String(decoding: text, as: UTF8.self))")
        }
        return negative ? -value : value
    }

    mutating func int32() throws(JSONReadError) -> Int32 {
        let v = try int64()
        guard let x = Int32(exactly: v) else {
            throw JSONReadError(path: pathText, message: "expected an integer, found \(v) (out of range)")
        }
        return x
    }

    mutating func int() throws(JSONReadError) -> Int { Int(try int64()) }

    mutating func double() throws(JSONReadError) -> Double {
        if try peek() == UInt8(ascii: "\"") {
            // Non-finite numbers are written as strings ("Infinity").
            let s = try string()
            guard let d = Double(s) else { throw JSONReadError(path: pathText, message: "expected a number") }
            return d
        }
        let text = try numberText()
        guard let d = Double(String(decoding: text, as: UTF8.self)) else {
            throw JSONReadError(path: pathText, message: "expected a number")
        }
        return d
    }

    /// Walks an object: `body` is called with each key and must read (or `skip()`) its value.
    mutating func object(_ body: (inout JSONReader, String) throws(JSONReadError) -> Void) throws(JSONReadError) {
        guard try peek() == UInt8(ascii: "{") else { throw type("an object") }
        try checkDepth()
        i += 1
        if try peek() == UInt8(ascii: "}") {
            i += 1
            return
        }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw syntax("expected a key") }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            path.append(.key(key))
            try body(&self, key)
            path.removeLast()
            switch try peek() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"):
                i += 1
                return
            default: throw syntax("expected ',' or '}'")
            }
        }
    }

    /// Walks an array: `body` is called with each index and must read (or `skip()`) the element.
    mutating func array(_ body: (inout JSONReader, Int) throws(JSONReadError) -> Void) throws(JSONReadError) {
        guard try peek() == UInt8(ascii: "[") else { throw type("an array") }
        try checkDepth()
        i += 1
        if try peek() == UInt8(ascii: "]") {
            i += 1
            return
        }
        var n = 0
        while true {
            path.append(.index(n))
            try body(&self, n)
            path.removeLast()
            n += 1
            switch try peek() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"):
                i += 1
                return
            default: throw syntax("expected ',' or ']'")
            }
        }
    }

    /// Skips one value of any kind.
    mutating func skip() throws(JSONReadError) {
        switch try peek() {
        case UInt8(ascii: "{"): try object { r, _ throws(JSONReadError) in try r.skip() }
        case UInt8(ascii: "["): try array { r, _ throws(JSONReadError) in try r.skip() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberText()
        }
    }

    /// The reader must be at the end, but for whitespace.
    mutating func end() throws(JSONReadError) {
        skipSpace()
        guard i == bytes.count else { throw syntax("unexpected text after the document") }
    }

    func missing(_ key: String) -> JSONReadError {
        JSONReadError(path: pathText + ".\(key)", message: "missing; the snapshot format requires it")
    }

    // Optional and array helpers: null reads as nil.
    mutating func optionalString() throws(JSONReadError) -> String? { try null() ? nil : try string() }
    mutating func optionalInt32() throws(JSONReadError) -> Int32? { try null() ? nil : try int32() }
    mutating func optionalInt64() throws(JSONReadError) -> Int64? { try null() ? nil : try int64() }
    mutating func optionalDouble() throws(JSONReadError) -> Double? { try null() ? nil : try double() }

    mutating func int32s() throws(JSONReadError) -> [Int32] {
        var out: [Int32] = []
        if try null() { return out }
        try array { r, _ throws(JSONReadError) in out.append(try r.int32()) }
        return out
    }

    mutating func strings() throws(JSONReadError) -> [String] {
        var out: [String] = []
        if try null() { return out }
        try array { r, _ throws(JSONReadError) in out.append(try r.string()) }
        return out
    }
}
