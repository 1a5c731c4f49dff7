import ArchitectCore
import Foundation
import KafkaBench
import Testing

@testable import ArchitectCLI

/// Reading key files: lines cut the same however the bytes arrive, files cut into parts at line
/// starts, and the parallel analysis exact against counts the test makes itself.
@Suite struct KeyFileReadingTests {
    /// bench's key file: \r\n and \n endings alike, no \r kept in a key, empty lines skipped.
    @Test func benchKeyFilesWithWindowsLineEndingsKeepNoCarriageReturn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).txt")
        try Data("alpha\r\nbeta\r\n\r\ngamma\ndelta".utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let keys = try BenchFlags.keys("file:\(path.path)")
        #expect(keys == .list(["alpha", "beta", "gamma", "delta"].map { Array($0.utf8) }))
    }

    /// Bytes of random lines: empty ones, \r\n endings, lines of one byte and a line longer than the
    /// scanner's buffer, with or without a final newline.
    static func text(seed: UInt64, finalNewline: Bool) -> [UInt8] {
        var rng = XorShift(state: (seed) &* 0x9E37_79B9_7F4A_7C15 | 1)
        var out: [UInt8] = []
        for i in 0..<3_000 {
            let length = i == 1_234 ? LineScanner.chunkSize + 77 : Int.random(in: 0..<40, using: &rng)
            out += (0..<length).map { _ in UInt8.random(in: 32..<127, using: &rng) }
            if Int.random(in: 0..<5, using: &rng) == 0 { out.append(13) }
            out.append(10)
        }
        if !finalNewline { out += Array("last line".utf8) }
        return out
    }

    /// What a plain split gives: lines without \n and a trailing \r, and their lengths with the \r.
    static func reference(_ bytes: [UInt8]) -> [(line: [UInt8], length: Int)] {
        var parts = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        if bytes.last == 10 { parts.removeLast() }
        return parts.map { p in (p.last == 13 ? Array(p.dropLast()) : p, p.count) }
    }

    @Test(arguments: [(1, true), (2, false), (3, true)] as [(UInt64, Bool)])
    func linesAreCutTheSameHoweverTheBytesArrive(seed: UInt64, finalNewline: Bool) throws {
        let bytes = Self.text(seed: seed, finalNewline: finalNewline)
        var rng = XorShift(state: (seed &+ 100) &* 0x9E37_79B9_7F4A_7C15 | 1)
        var offset = 0
        var got: [(line: [UInt8], length: Int)] = []
        try LineScanner.scanBatches(
            fill: { buffer, capacity in
                // Reads of any size, as from a pipe.
                let n = min(capacity, bytes.count - offset, Int.random(in: 1...70_000, using: &rng))
                bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
                offset += n
                return n
            },
            { batch in
                for (line, length) in zip(batch.lines, batch.inputLengths) { got.append((Array(line), length)) }
                return true
            })
        let want = Self.reference(bytes)
        #expect(got.count == want.count)
        #expect(got.map(\.line) == want.map(\.line))
        #expect(got.map(\.length) == want.map(\.length))
    }

    /// Writes `bytes` to a temporary file and opens it.
    static func file(_ bytes: [UInt8]) throws -> (url: URL, fd: Int32) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).txt")
        try Data(bytes).write(to: url)
        let fd = open(url.path, O_RDONLY)
        #expect(fd >= 0)
        return (url, fd)
    }

    @Test(arguments: [1, 2, 4, 7])
    func rangesStartAtLinesAndCoverTheFile(parts: Int) throws {
        let bytes = Self.text(seed: 9, finalNewline: false)
        let (url, fd) = try Self.file(bytes)
        defer {
            close(fd)
            try? FileManager.default.removeItem(at: url)
        }
        let shards = try #require(try FileShards.cut(fd: fd, path: url.path, parts: parts))
        #expect(shards.ranges.count == parts)
        #expect(shards.ranges.first?.lowerBound == 0)
        #expect(shards.ranges.last?.upperBound == Int64(bytes.count))
        for (a, b) in zip(shards.ranges, shards.ranges.dropFirst()) {
            #expect(a.upperBound == b.lowerBound)
            if b.lowerBound < Int64(bytes.count) && b.lowerBound > 0 { #expect(bytes[Int(b.lowerBound) - 1] == 10) }
        }
        // The ranges' lines, in order, are the file's lines.
        var lines: [[UInt8]] = []
        for range in shards.ranges {
            try shards.forEachLine(in: range) { line in
                lines.append(Array(line))
                return true
            }
        }
        #expect(lines == Self.reference(bytes).map(\.line))
    }

    @Test func aPipeIsNotCut() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        #expect(try FileShards.cut(fd: ends[0], path: "<pipe>") == nil)
    }

    /// Keys with shared prefixes and suffixes, short and long, counted exactly among non-candidates.
    @Test func theExactCounterCountsOnlyItsCandidates() {
        var rng = XorShift(state: (4) &* 0x9E37_79B9_7F4A_7C15 | 1)
        let pool: [[UInt8]] = (0..<3_000).map { i in
            switch i % 4 {
            case 0: Array("customer-\(i)".utf8)
            case 1: Array("\(i)-eu-west-1-orders".utf8)
            case 2: Array("ab\(i % 50)".utf8)
            default: Array("tenant-7/device-\(String(repeating: "x", count: i % 37))-\(i)".utf8)
            }
        }
        let stream = (0..<60_000).map { _ in pool[Int.random(in: 0..<pool.count, using: &rng)] } + [[]]
        let candidates = Set(pool.enumerated().filter { $0.offset % 9 == 0 }.map(\.element) + [[]])
        var counter = ExactKeyCounter(candidates)
        for key in stream { key.withUnsafeBytes { counter.add(key: $0) } }
        var truth: [[UInt8]: UInt64] = Dictionary(uniqueKeysWithValues: candidates.map { ($0, 0) })
        for key in stream where candidates.contains(key) { truth[key, default: 0] += 1 }
        #expect(counter.counts == truth)
    }

    /// The parallel analysis of a file cut into four parts: loads and hot keys exact against the test's
    /// own murmur2 counts, with every count's bound zero after the recount from the line index.
    @Test func theParallelAnalysisIsExact() async throws {
        var rng = XorShift(state: (21) &* 0x9E37_79B9_7F4A_7C15 | 1)
        var keys: [String] = []
        for _ in 0..<200_000 {
            // A few heavy keys over a long tail: the trackers fill and counts become bounded.
            let r = Int.random(in: 0..<100, using: &rng)
            keys.append(r < 10 ? "hot-\(r % 3)" : "user-\(Int.random(in: 0..<150_000, using: &rng))")
        }
        let bytes = Array(
            keys.enumerated().map { $0.offset % 7 == 0 ? $0.element + "\r\n" : $0.element + "\n" }.joined().utf8)
        let (url, fd) = try Self.file(bytes)
        defer {
            close(fd)
            try? FileManager.default.removeItem(at: url)
        }
        let shards = try #require(try FileShards.cut(fd: fd, path: url.path, parts: 4))
        let analyzer = try await shards.analyze { KeyAnalyzer(partitioner: .java, partitions: 12, trackedKeys: 64) }
        let report = analyzer.report(top: 20)
        var loads = [UInt64](repeating: 0, count: 12)
        var truth: [String: UInt64] = [:]
        for k in keys {
            loads[Int((KafkaHash.murmur2(Array(k.utf8)) & 0x7fff_ffff) % 12)] += 1
            truth[k, default: 0] += 1
        }
        #expect(report.loads.map(\.messages) == loads)
        #expect(report.hotKeyErrorBound == 0)
        let heaviest = truth.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
        #expect(report.hotKeys.prefix(3).map { String(decoding: $0.key, as: UTF8.self) } == heaviest.map(\.key))
        for h in report.hotKeys { #expect(h.messages == truth[String(decoding: h.key, as: UTF8.self)]) }
    }
}
