import ArchitectCore
import Foundation

/// Where a key file's keys go: the analysis, or an exact count of some keys.
protocol KeySink {
    /// One occurrence of a non-null key with no size (the plain-lines fast path).
    mutating func add(key: UnsafeRawBufferPointer)
    /// `weight` occurrences of a key (`nil`: a null key), each `size` bytes when known.
    mutating func add(_ key: UnsafeRawBufferPointer?, weight: UInt64, size: UInt64?)
}

extension KeySink {
    /// Several plain-line keys at once (see `KeyAnalyzer.add(keys:)`); one at a time unless overridden.
    mutating func add(keys: UnsafeBufferPointer<UnsafeRawBufferPointer>) {
        for key in keys { add(key: key) }
    }

    mutating func add(bytes key: [UInt8]?, size: UInt64?) {
        guard let key else { return add(nil, weight: 1, size: size) }
        key.withUnsafeBytes { add($0, weight: 1, size: size) }
    }
}

extension KeyAnalyzer: KeySink {
    mutating func add(keys: UnsafeBufferPointer<UnsafeRawBufferPointer>) { add(keys: keys, hashes: nil) }
}

/// Exact counts of a set of keys (the heavy-hitter candidates), for a second pass over a file.
/// Most keys are not candidates. A 64 Ki-bit filter on the key's length and first and last 8 bytes
/// rejects nearly all of them with two loads and a multiplication; the rest get a tag from the length
/// and three 8-byte words (which covers keys up to 24 bytes whole), looked up in a small
/// open-addressing table; only a tag hit is compared with the candidate's bytes.
struct ExactKeyCounter: KeySink, Sendable {
    private let candidates: [[UInt8]]
    private var found: [UInt64]
    private var tags: [UInt64]
    private var slots: [Int32]
    private let mask: Int
    private var filter = [UInt64](repeating: 0, count: 1 << 10)

    init(_ candidates: Set<[UInt8]>) {
        self.candidates = candidates.sorted { $0.lexicographicallyPrecedes($1) }
        found = [UInt64](repeating: 0, count: candidates.count)
        var size = 16
        while size < candidates.count * 4 { size <<= 1 }
        tags = [UInt64](repeating: 0, count: size)
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (i, key) in self.candidates.enumerated() {
            let t = key.withUnsafeBytes { Self.tag($0) }
            var slot = Int(truncatingIfNeeded: t) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            tags[slot] = t
            slots[slot] = Int32(i)
            let bit = key.withUnsafeBytes { Self.filterBit($0) }
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    /// Which of the filter's 2^16 bits a key sets.
    @inline(__always)
    static func filterBit(_ key: UnsafeRawBufferPointer) -> Int {
        let n = key.count
        var first: UInt64 = 0
        var last: UInt64 = 0
        if let p = key.baseAddress {
            if n >= 8 {
                first = p.loadUnaligned(as: UInt64.self)
                last = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else {
                for i in 0..<n { first |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << UInt64(8 * i) }
            }
        }
        let h = (first ^ (last << 29 | last >> 35) ^ UInt64(truncatingIfNeeded: n)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 48)
    }

    /// Each candidate's exact count.
    var counts: [[UInt8]: UInt64] { Dictionary(uniqueKeysWithValues: zip(candidates, found)) }

    /// Adds another part's counts of the same candidates.
    mutating func merge(_ other: ExactKeyCounter) {
        for i in found.indices { found[i] &+= other.found[i] }
    }

    @inline(__always)
    static func tag(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let n = key.count
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        if let p = key.baseAddress {
            if n >= 8 {
                words = (
                    p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: n / 2 - 4, as: UInt64.self),
                    p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                )
            } else {
                for i in 0..<n { words.0 |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << UInt64(8 * i) }
            }
        }
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ words.0) &* 0xff51_afd7_ed55_8ccd
        h = (h ^ words.1) &* 0xc4ce_b9fe_1a85_ec53
        h = (h ^ words.2) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 29)
    }

    mutating func add(key: UnsafeRawBufferPointer) { add(key, weight: 1, size: nil) }

    mutating func add(_ key: UnsafeRawBufferPointer?, weight: UInt64, size: UInt64?) {
        guard let key else { return }
        let bit = Self.filterBit(key)
        guard filter.withUnsafeBufferPointer({ $0[bit >> 6] }) & (1 << UInt64(bit & 63)) != 0 else { return }
        let t = Self.tag(key)
        var slot = Int(truncatingIfNeeded: t) & mask
        while true {
            let i = Int(slots[slot])
            if i < 0 { return }
            if tags[slot] == t && candidates[i].withUnsafeBytes({ $0.elementsEqual(key) }) {
                found[i] &+= weight
                return
            }
            slot = (slot + 1) & mask
        }
    }
}

/// A file of keys for `keys`: one per line, key<TAB>count lines, JSON lines or CSV. Keys are bytes:
/// invalid UTF-8 is hashed as is. Errors name the file, the line and the field.
struct KeyFile {
    enum Format {
        case lines
        case weighted
        case jsonl(keyField: String, sizeField: String?)
        case csv(keyField: String, sizeField: String?)
    }

    let path: String
    let format: Format
    var name: String { path == "-" ? "<stdin>" : path }

    /// A regular file can be read a second time; standard input, pipes and devices cannot.
    var canBeReadAgain: Bool {
        guard path != "-" else { return false }
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Analyses every key with analyzers from `make`, then, when a heavy hitter's count is only
    /// bounded and the input can be read again, counts the candidates exactly in a second pass.
    ///
    /// Plain lines from a regular file (standard input included, when redirected from one) are read
    /// in parallel parts (`FileShards`) and both passes use every core; other inputs are read once,
    /// in order, and recounted only when they are a regular file named on the command line.
    func analyze(with make: @escaping @Sendable () -> KeyAnalyzer) async throws -> KeyAnalyzer {
        if case .lines = format {
            let reader = LineReader(path: path)
            let fd = try reader.openInput()
            defer { if fd != STDIN_FILENO { close(fd) } }
            if let shards = try FileShards.cut(fd: fd, path: name) { return try await shards.analyze(with: make) }
        }
        var analyzer = make()
        try read(into: &analyzer)
        if analyzer.heavyHittersAreBounded, canBeReadAgain {
            var exact = ExactKeyCounter(analyzer.heavyHitterCandidates)
            try read(into: &exact)
            analyzer.settle(exactCounts: exact.counts)
        }
        return analyzer
    }

    /// Streams every key in the file into `analyzer` (the analysis, or an exact recount).
    func read<Sink: KeySink>(into analyzer: inout Sink) throws {
        let reader = LineReader(path: path)
        switch format {
        case .weighted:
            try reader.forEachLine { line, number in
                guard let tab = line.lastIndex(of: 9),
                    let count = Self.parseCount(UnsafeRawBufferPointer(rebasing: line[(tab + 1)...])), count > 0
                else {
                    throw InputFailure(
                        message:
                            "\(name):\(number): malformed weighted line: expected key<TAB>count with a positive whole count"
                    )
                }
                analyzer.add(UnsafeRawBufferPointer(rebasing: line[..<tab]), weight: count, size: nil)
            }
        case .lines:
            try reader.forEachBatch { batch in analyzer.add(keys: batch.lines) }
        case .jsonl(let keyField, let sizeField):
            try reader.forEachLine { line, number in
                guard line.contains(where: { $0 != 32 && $0 != 9 }) else { return }
                let object: Any
                do { object = try JSONSerialization.jsonObject(with: Data(line)) } catch {
                    throw InputFailure(message: "\(name):\(number): not valid JSON; each line must be one JSON object")
                }
                guard let record = object as? [String: Any] else {
                    throw InputFailure(message: "\(name):\(number): expected a JSON object")
                }
                let key = try Self.jsonKey(record[keyField], name: name, line: number, field: keyField)
                let size =
                    try sizeField.map { field throws(InputFailure) in
                        try Self.jsonSize(record[field], name: name, line: number, field: field)
                    } ?? nil
                analyzer.add(bytes: key, size: size)
            }
        case .csv(let keyField, let sizeField):
            try readCSV(keyField: keyField, sizeField: sizeField, reader: reader, into: &analyzer)
        }
    }

    /// CSV with a header line naming the key (and size) columns.
    func readCSV<Sink: KeySink>(
        keyField: String, sizeField: String?, reader: LineReader, into analyzer: inout Sink
    ) throws {
        var keyIndex = -1
        var sizeIndex: Int? = nil
        try reader.forEachLine { line, number in
            let fields = Self.csvFields(line)
            if number == 1 {
                guard let k = fields.firstIndex(of: keyField) else {
                    throw InputFailure(
                        message: "\(name):1: no column '\(keyField)' in the header (\(fields.joined(separator: ", ")))")
                }
                keyIndex = k
                if let sizeField {
                    guard let s = fields.firstIndex(of: sizeField) else {
                        throw InputFailure(
                            message:
                                "\(name):1: no column '\(sizeField)' in the header (\(fields.joined(separator: ", ")))")
                    }
                    sizeIndex = s
                }
                return
            }
            if fields.count == 1 && fields[0].isEmpty { return }
            guard keyIndex < fields.count, sizeIndex.map({ $0 < fields.count }) ?? true else {
                throw InputFailure(message: "\(name):\(number): \(fields.count) fields, fewer than the header's")
            }
            var size: UInt64? = nil
            if let sizeIndex, let sizeField {
                guard let s = UInt64(fields[sizeIndex]) else {
                    throw InputFailure(
                        message: "\(name):\(number): \(sizeField) '\(fields[sizeIndex])' is not a whole number of bytes"
                    )
                }
                size = s
            }
            analyzer.add(bytes: Array(fields[keyIndex].utf8), size: size)
        }
    }

    static func parseCount(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 19 else { return nil }
        var v: UInt64 = 0
        for c in bytes {
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + UInt64(c - 48)
        }
        return v
    }

    static func jsonKey(_ value: Any?, name: String, line: Int, field: String) throws(InputFailure) -> [UInt8]? {
        switch value {
        case nil, is NSNull: return nil
        case let s as String: return Array(s.utf8)
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return Array((n.boolValue ? "true" : "false").utf8) }
            return Array(n.stringValue.utf8)
        default:
            throw InputFailure(
                message: "\(name):\(line): field '\(field)' is an object or array; keys must be strings or numbers")
        }
    }

    static func jsonSize(_ value: Any?, name: String, line: Int, field: String) throws(InputFailure) -> UInt64? {
        switch value {
        case nil, is NSNull: return nil
        case let n as NSNumber where n.doubleValue >= 0 && n.doubleValue < 1e18: return UInt64(n.doubleValue)
        default:
            throw InputFailure(
                message: "\(name):\(line): field '\(field)' must be a number of bytes between 0 and 10^18")
        }
    }

    /// One CSV record's fields (RFC 4180 quoting within a line).
    static func csvFields(_ line: UnsafeRawBufferPointer) -> [String] {
        var fields: [String] = []
        var current: [UInt8] = []
        var quoted = false
        var i = 0
        while i < line.count {
            let c = line[i]
            if quoted {
                if c == 34 {
                    if i + 1 < line.count && line[i + 1] == 34 {
                        current.append(34)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == 34 && current.isEmpty {
                quoted = true
            } else if c == 44 {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(c)
            }
            i += 1
        }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }
}
