import ArchitectCore
import Foundation

/// A regular file (or standard input redirected from one) cut into consecutive byte ranges, each
/// ending after a newline, so its lines can be read in parallel and read again. How many ranges
/// depends only on the file's size, never on the machine: the analysis is the same everywhere.
struct FileShards: Sendable {
    /// Files below this size are one range: cutting them gains nothing.
    static let parallelBytes: Int64 = 16 << 20
    static let parallelParts = 4

    let path: String
    let fd: Int32
    let ranges: [Range<Int64>]

    /// The input's ranges, or nil when it is not a regular file (a pipe, a terminal, a device).
    /// The descriptor comes from `reader.openInput()` and stays the caller's to close. `parts` overrides
    /// the count that follows from the size (for tests).
    static func cut(fd: Int32, path: String, parts wanted: Int? = nil) throws(InputFailure) -> FileShards? {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let start = max(0, Int64(lseek(fd, 0, SEEK_CUR)))
        let end = max(start, Int64(info.st_size))
        let parts = max(1, wanted ?? (end - start >= parallelBytes ? parallelParts : 1))
        var bounds = [start]
        for k in 1..<parts {
            let nominal = start + (end - start) * Int64(k) / Int64(parts)
            bounds.append(max(bounds[k - 1], try lineStart(fd: fd, atOrAfter: nominal, end: end, path: path)))
        }
        bounds.append(end)
        return FileShards(path: path, fd: fd, ranges: (0..<parts).map { bounds[$0]..<bounds[$0 + 1] })
    }

    /// The offset just after the first newline at or after `offset − 1` (so `offset` itself when a line
    /// starts there), or `end` when no newline follows.
    static func lineStart(fd: Int32, atOrAfter offset: Int64, end: Int64, path: String) throws(InputFailure) -> Int64 {
        var position = max(0, offset - 1)
        let size = 64 << 10
        let window = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { window.deallocate() }
        while position < end {
            let got = try readAt(fd: fd, window, count: size, offset: position, path: path)
            if got == 0 { break }
            if let newline = memchr(window, 10, got) {
                return position + Int64(UnsafeMutableRawPointer(newline) - window) + 1
            }
            position += Int64(got)
        }
        return end
    }

    static func readAt(
        fd: Int32, _ buffer: UnsafeMutableRawPointer?, count: Int, offset: Int64, path: String
    ) throws(InputFailure) -> Int {
        while true {
            let got = pread(fd, buffer, count, off_t(offset))
            if got >= 0 { return got }
            if errno != EINTR {
                throw InputFailure(message: "\(path): read failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Calls `body(line)` for every line of `range`, until it ends or `body` returns false.
    func forEachLine(in range: Range<Int64>, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try forEachBatch(in: range) { batch in
            for line in batch.lines { guard try body(line) else { return false } }
            return true
        }
    }

    /// The lines of `range` up to `KeyAnalyzer.batchSize` at a time (see `LineScanner.scanBatches`).
    func forEachBatch(in range: Range<Int64>, _ body: (LineScanner.Batch) throws -> Bool) throws {
        var offset = range.lowerBound
        try LineScanner.scanBatches(
            batchSize: KeyAnalyzer.batchSize,
            fill: { buffer, capacity in
                let wanted = Int(min(Int64(capacity), range.upperBound - offset))
                guard wanted > 0 else { return 0 }
                let got = try Self.readAt(fd: fd, buffer, count: wanted, offset: offset, path: path)
                offset += Int64(got)
                return got
            }, body)
    }
}

extension FileShards {
    /// Analyses each range on its own (in parallel), merges the parts in file order, gives the key-shape
    /// detector the file's first keys, and recounts the heavy-hitter candidates exactly when any is
    /// only bounded (in parallel too, from the first pass's line index where it has one).
    func analyze(with make: @escaping @Sendable () -> KeyAnalyzer) async throws -> KeyAnalyzer {
        let parts = try await inParallel { range in
            var analyzer = make()
            var index = LineIndex(bytes: range.upperBound - range.lowerBound)
            let hashes = UnsafeMutablePointer<UInt32>.allocate(capacity: KeyAnalyzer.batchSize)
            defer { hashes.deallocate() }
            try forEachBatch(in: range) { batch in
                analyzer.add(keys: batch.lines, hashes: hashes)
                index.append(batch, hashes: hashes)
                return true
            }
            return (analyzer, index)
        }
        var merged = KeyAnalyzer(merging: parts.map(\.0))
        if merged.wantsMoreShapes, ranges.count > 1 {
            try forEachLine(in: ranges[1].lowerBound..<ranges[ranges.count - 1].upperBound) { line in
                merged.observeShape(line)
                return merged.wantsMoreShapes
            }
        }
        guard merged.heavyHittersAreBounded else { return merged }
        let candidates = merged.heavyHitterCandidates
        let wanted = CandidateHashes(
            candidates.map { $0.withUnsafeBytes { merged.partitioner.hash($0) & LineIndex.hashBits } })
        let indexes = parts.map(\.1)
        let counts = try await inParallel { range in
            var exact = ExactKeyCounter(candidates)
            guard let n = ranges.firstIndex(of: range), indexes[n].complete else {
                try forEachBatch(in: range) { batch in
                    for line in batch.lines { exact.add(key: line) }
                    return true
                }
                return exact
            }
            try recount(range, index: indexes[n], wanted: wanted, into: &exact)
            return exact
        }
        var total = counts[0]
        for part in counts.dropFirst() { total.merge(part) }
        merged.settle(exactCounts: total.counts)
        return merged
    }

    /// Counts the candidates in `range` from its line index: only lines whose hash is a candidate's
    /// are read again (neighbours in one read) and compared byte for byte.
    func recount(
        _ range: Range<Int64>, index: LineIndex, wanted: CandidateHashes, into exact: inout ExactKeyCounter
    ) throws {
        var region = RegionReader(shards: self)
        var offset = range.lowerBound
        var long = index.long.makeIterator()
        try index.entries.withUnsafeBufferPointer { entries in
            try wanted.withFilter { filter in
                for entry in entries {
                    var length = Int(truncatingIfNeeded: entry & 0xFF)
                    if length == LineIndex.longLine { length = long.next() ?? 0 }
                    let h = entry & LineIndex.hashBits
                    if filter[Int(truncatingIfNeeded: h >> 22)] & (1 &<< UInt64(truncatingIfNeeded: (h >> 16) & 63))
                        != 0,
                        wanted.containsPastFilter(h)
                    {
                        try region.add(offset: offset, length: length, into: &exact)
                    }
                    offset &+= Int64(truncatingIfNeeded: length) &+ 1
                }
            }
        }
        try region.flush(into: &exact)
    }

    /// `work` on every range at once, results in range order.
    func inParallel<Result: Sendable>(
        _ work: @escaping @Sendable (Range<Int64>) throws -> Result
    ) async throws -> [Result] {
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            for (i, range) in ranges.enumerated() { group.addTask { (i, try work(range)) } }
            var results: [(Int, Result)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

/// What the first pass keeps of each line of a range so that the exact recount need not cut the range
/// into lines again: one 32-bit entry a line, the top 24 bits of the partitioner's hash of its key and
/// its length in the input in the low 8 (255: the length is the next entry of `long`).
/// A range of more than `limit` lines keeps nothing (`complete` false) and is read again instead.
struct LineIndex: Sendable {
    /// 25 million lines a range: at most 400 MB for the four ranges of a 100-million-line file.
    static let limit = 25_000_000
    static let longLine = 255
    static let hashBits: UInt32 = 0xFFFF_FF00
    private(set) var entries: [UInt32] = []
    private(set) var long: [Int] = []
    private(set) var complete = true
    /// The range's size, to reserve room for its lines once their length is seen.
    private let bytes: Int64

    init(bytes: Int64) { self.bytes = bytes }

    mutating func append(_ batch: LineScanner.Batch, hashes: UnsafeMutablePointer<UInt32>) {
        guard complete else { return }
        guard entries.count + batch.lines.count <= Self.limit else {
            complete = false
            entries = []
            long = []
            return
        }
        if entries.isEmpty {  // room for every line at the first batch's mean length, and a tenth more
            let mean = max(1, batch.inputLengths.reduce(0, +) / batch.lines.count + 1)
            entries.reserveCapacity(Int(min(Int64(Self.limit), bytes / Int64(mean) + bytes / Int64(mean) / 10 + 64)))
        }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: batch.lines.count) { packed in
            for (i, length) in batch.inputLengths.enumerated() {
                packed[i] = hashes[i] & Self.hashBits | UInt32(truncatingIfNeeded: min(length, Self.longLine))
                if length >= Self.longLine { long.append(length) }
            }
            entries.append(contentsOf: packed)
        }
    }
}

/// A set of hashes: a 64 Ki-bit filter on their top 16 bits, then an open-addressing table.
struct CandidateHashes: Sendable {
    private var filter = [UInt64](repeating: 0, count: 1 << 10)
    private var table: [UInt32]
    private var used: [Bool]
    private let mask: Int

    init(_ hashes: [UInt32]) {
        var size = 16
        while size < hashes.count * 4 { size <<= 1 }
        table = [UInt32](repeating: 0, count: size)
        used = [Bool](repeating: false, count: size)
        mask = size - 1
        for h in Set(hashes) {
            let (word, bit) = Self.filterSlot(h)
            filter[word] |= bit
            var slot = Int(h >> 8) & mask
            while used[slot] { slot = (slot + 1) & mask }
            table[slot] = h
            used[slot] = true
        }
    }

    /// `body` with the filter's words: a hash whose bit (`filterSlot`) is clear is
    /// not in the set; one whose bit is set is then looked up with `containsPastFilter`.
    func withFilter<R>(_ body: (UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        try filter.withUnsafeBufferPointer(body)
    }

    /// The filter word and bit of a hash: its top 16 bits.
    @inline(__always)
    static func filterSlot(_ h: UInt32) -> (word: Int, bit: UInt64) {
        (Int(truncatingIfNeeded: h >> 22), 1 &<< UInt64(truncatingIfNeeded: (h >> 16) & 63))
    }

    func containsPastFilter(_ h: UInt32) -> Bool {
        var slot = Int(h >> 8) & mask
        while used[slot] {
            if table[slot] == h { return true }
            slot = (slot + 1) & mask
        }
        return false
    }
}

/// Reads the lines the recount wants: lines less than 64 KiB apart share one read of at most 1 MiB.
struct RegionReader {
    static let gap: Int64 = 64 << 10
    static let span: Int64 = 1 << 20
    let shards: FileShards
    private var start: Int64 = 0
    private var end: Int64 = 0
    private var lines: [(offset: Int64, length: Int)] = []
    private var buffer: [UInt8] = []

    init(shards: FileShards) { self.shards = shards }

    mutating func add(offset: Int64, length: Int, into exact: inout ExactKeyCounter) throws {
        if !lines.isEmpty && (offset - end > Self.gap || offset + Int64(length) - start > Self.span) {
            try flush(into: &exact)
        }
        if lines.isEmpty { start = offset }
        lines.append((offset, length))
        end = offset + Int64(length)
    }

    /// Reads the region and counts its lines.
    mutating func flush(into exact: inout ExactKeyCounter) throws {
        guard !lines.isEmpty else { return }
        let size = Int(end - start)
        if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
        try buffer.withUnsafeMutableBytes { bytes in
            var done = 0
            while done < size {
                let got = try FileShards.readAt(
                    fd: shards.fd, bytes.baseAddress.map { $0 + done }, count: size - done, offset: start + Int64(done),
                    path: shards.path)
                guard got > 0 else {
                    throw InputFailure(
                        message: "\(shards.path): changed while being read; run again on a file that stays put")
                }
                done += got
            }
            for line in lines {
                var key = UnsafeRawBufferPointer(
                    rebasing: bytes[Int(line.offset - start)..<Int(line.offset - start) + line.length])
                if key.last == 13 { key = UnsafeRawBufferPointer(rebasing: key.dropLast()) }
                exact.add(key: key)
            }
        }
        lines.removeAll(keepingCapacity: true)
    }
}
