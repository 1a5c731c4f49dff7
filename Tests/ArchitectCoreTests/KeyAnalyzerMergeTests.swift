import Testing

@testable import ArchitectCore

/// A file read in parallel parts is analysed part by part and merged: what is counted exactly must add
/// up to one pass's figures, and the heavy hitters' bounds must still hold against the truth.
@Suite struct KeyAnalyzerMergeTests {
    /// Random records: null, empty and weighted keys with sizes, cut into uneven consecutive parts.
    static func records(seed: UInt64, count: Int) -> [(key: [UInt8]?, weight: UInt64, size: UInt64?)] {
        var rng = SeededRandom(state: seed)
        return (0..<count).map { _ in
            let roll = UInt64.random(in: 0..<100, using: &rng)
            let key: [UInt8]? =
                roll < 3
                ? nil : roll < 5 ? [] : Array("k-\(UInt64.random(in: 0..<(roll < 40 ? 20 : 5000), using: &rng))".utf8)
            return (
                key, UInt64.random(in: 1...3, using: &rng),
                roll % 2 == 0 ? UInt64.random(in: 10...900, using: &rng) : nil
            )
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func exactFiguresAddUpToOnePass(seed: UInt64) {
        let all = Self.records(seed: seed, count: 30_000)
        let cuts = [0, 7_000, 7_001, 19_000, 30_000]
        func analyzer() -> KeyAnalyzer { KeyAnalyzer(partitioner: .java, partitions: 12, whatIf: [6, 24]) }
        var whole = analyzer()
        for r in all { whole.add(r.key, weight: r.weight, size: r.size) }
        let parts = (0..<cuts.count - 1).map { i in
            var part = analyzer()
            for r in all[cuts[i]..<cuts[i + 1]] { part.add(r.key, weight: r.weight, size: r.size) }
            return part
        }
        let a = whole.report()
        let b = KeyAnalyzer(merging: parts).report()
        #expect(b.loads == a.loads)
        #expect(b.totalMessages == a.totalMessages)
        #expect(b.nullKeys == a.nullKeys)
        #expect(b.emptyKeys == a.emptyKeys)
        #expect(b.spreadMessages == a.spreadMessages)
        #expect(b.totalBytes == a.totalBytes)
        #expect(b.whatIf == a.whatIf)
        #expect(b.chiSquare == a.chiSquare)
        // The union's HyperLogLog has the same registers as one sketch of the whole stream.
        #expect(b.distinctKeysEstimate == a.distinctKeysEstimate)
    }

    /// Crowded trackers on colliding streams, merged: each reported count is within its bound of the
    /// truth, every key left out is at most `unlistedKeysAtMost`, and the heavy keys are all found.
    @Test(arguments: 1...8)
    func mergedBoundsHold(seed: UInt64) throws {
        var rng = SeededRandom(state: seed &* 7919)
        var truth: [[UInt8]: UInt64] = [:]
        let heavy = (0..<3).map { Array("heavy-\(seed)-\($0)".utf8) }
        var parts = (0..<4).map { _ in KeyAnalyzer(partitioner: .java, partitions: 8, trackedKeys: 16) }
        for i in 0..<80_000 {
            let key =
                UInt64.random(in: 0..<10, using: &rng) < 2
                ? heavy[Int.random(in: 0..<heavy.count, using: &rng)]
                : Array("k-\(UInt64.random(in: 0..<300_000, using: &rng))".utf8)
            // A heavy key that only appears in the last part must still be found.
            let part = i * 4 / 80_000
            if key == heavy[2] && part < 3 { continue }
            parts[part].add(key)
            truth[key, default: 0] += 1
        }
        let r = KeyAnalyzer(merging: parts).report(top: 16)
        #expect(r.hotKeys.contains { $0.maxOverestimate > 0 }, "the trackers are crowded on purpose")
        for h in r.hotKeys {
            let real = try #require(truth[h.key])
            #expect(real <= h.messages)
            #expect(h.messages - h.maxOverestimate <= real)
        }
        let listed = Set(r.hotKeys.map(\.key))
        for (key, count) in truth where !listed.contains(key) {
            #expect(count <= r.unlistedKeysAtMost, "\(String(decoding: key, as: UTF8.self)): \(count)")
        }
        for k in heavy { #expect(listed.contains(k), "\(String(decoding: k, as: UTF8.self)) was missed") }
    }

    /// The key-shape detector sees the stream's first keys: the merged first part, topped up.
    @Test func shapesComeFromTheStreamStart() {
        let keys = (1...500).map { Array(String($0).utf8) }
        var whole = KeyAnalyzer(partitioner: .java, partitions: 6)
        for k in keys { whole.add(k) }
        var first = KeyAnalyzer(partitioner: .java, partitions: 6)
        var second = KeyAnalyzer(partitioner: .java, partitions: 6)
        for k in keys[..<50] { first.add(k) }
        for k in keys[50...] { second.add(k) }
        var merged = KeyAnalyzer(merging: [first, second])
        #expect(merged.wantsMoreShapes)
        for k in keys[50...] where merged.wantsMoreShapes { k.withUnsafeBytes { merged.observeShape($0) } }
        let codes = { (r: KeyReport) in r.findings.map(\.code) }
        #expect(codes(whole.report()).contains("sequential-key"))
        #expect(codes(merged.report()) == codes(whole.report()))
    }

    /// The batch path counts exactly what one key at a time counts, and hands out each key's hash.
    @Test(arguments: [Partitioner.java, .consistentRandom, .fnv1a])
    func batchesEqualOneKeyAtATime(partitioner: Partitioner) {
        var rng = SeededRandom(state: 5)
        let keys: [[UInt8]] = (0..<5_000).map { i in
            i % 301 == 0 ? [] : Array("key-\(UInt64.random(in: 0..<900, using: &rng))".utf8)
        }
        var single = KeyAnalyzer(partitioner: partitioner, partitions: 10, whatIf: [7])
        var batched = KeyAnalyzer(partitioner: partitioner, partitions: 10, whatIf: [7])
        for k in keys { k.withUnsafeBytes { single.add(key: $0) } }
        var hashes: [UInt32] = []
        let storage = keys.flatMap { $0 }
        let ends = keys.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
        storage.withUnsafeBytes { bytes in
            for start in stride(from: 0, to: keys.count, by: KeyAnalyzer.batchSize) {
                let views = (start..<min(start + KeyAnalyzer.batchSize, keys.count)).map {
                    UnsafeRawBufferPointer(rebasing: bytes[ends[$0]..<ends[$0 + 1]])
                }
                var out = [UInt32](repeating: 0, count: views.count)
                views.withUnsafeBufferPointer { b in
                    out.withUnsafeMutableBufferPointer { batched.add(keys: b, hashes: $0.baseAddress) }
                }
                hashes += out
            }
        }
        #expect(batched.report() == single.report())
        #expect(hashes == keys.map { k in k.withUnsafeBytes { partitioner.hash($0) } })
    }
}

/// Processing times below a millisecond (issue 12: durations accept `us`/`µs`).
@Suite struct MicrosecondDurationTests {
    @Test func microsecondsParse() throws {
        #expect(abs(try UnitParser.duration("200us") - 0.000_2) < 1e-15)
        #expect(abs(try UnitParser.duration("200µs") - 0.000_2) < 1e-15)
        #expect(try UnitParser.duration("1.5ms") == 0.001_5)
    }
}
