import Testing

@testable import ArchitectCore

/// Reported counts are bounds that hold: the sketch once admitted a key seen once at its colliding
/// neighbour's estimate and printed it as 83% of the traffic "overstated by up to 0".
@Suite struct HeavyHitterBoundTests {
    /// The case: 1,000 × user-4, one user-4283, 200 others, on 24 partitions.
    @Test func theKeySeenOnceIsNeverHot() throws {
        var a = KeyAnalyzer(partitioner: .java, partitions: 24)
        var truth: [String: UInt64] = [:]
        for k in Array(repeating: "user-4", count: 1000) + ["user-4283"] + (1...200).map({ "other-\($0)" }) {
            a.add(k)
            truth[k, default: 0] += 1
        }
        let r = a.report()
        try check(r, truth: truth)
        #expect(r.hotKeys.filter(\.hot).map { String(decoding: $0.key, as: UTF8.self) } == ["user-4"])
        #expect(r.hotKeys.first.map { String(decoding: $0.key, as: UTF8.self) } == "user-4")
    }

    /// Many streams crowded into a small tracker and a busy sketch: every reported key's true count
    /// lies in [messages − maxOverestimate, messages], and a key called hot truly is.
    @Test(arguments: 1...12)
    func boundsHoldOnRandomCollidingStreams(seed: UInt64) throws {
        var rng = SeededRandom(state: seed)
        var a = KeyAnalyzer(partitioner: .java, partitions: 8, trackedKeys: 16)
        var truth: [String: UInt64] = [:]
        let heavy = (0..<4).map { "heavy-\(seed)-\($0)" }
        for _ in 0..<60_000 {
            let k =
                UInt64.random(in: 0..<10, using: &rng) < 3
                ? heavy[Int.random(in: 0..<heavy.count, using: &rng)]
                : "k-\(UInt64.random(in: 0..<400_000, using: &rng))"
            a.add(k)
            truth[k, default: 0] += 1
        }
        let r = a.report(top: 16)
        // The tracker is crowded on purpose: some reported counts are only bounded.
        #expect(r.hotKeys.contains { $0.maxOverestimate > 0 })
        try check(r, truth: truth)
        for k in heavy {
            #expect(r.hotKeys.contains { $0.key == Array(k.utf8) && $0.hot }, "\(k) is hot and was missed")
        }
    }

    /// An exact second count (a file read twice) leaves no bound.
    @Test func settlingWithExactCountsMakesThemExact() throws {
        var a = KeyAnalyzer(partitioner: .java, partitions: 24, trackedKeys: 8)
        var truth: [String: UInt64] = [:]
        var rng = SeededRandom(state: 99)
        for _ in 0..<20_000 {
            let k = "k-\(UInt64.random(in: 0..<50, using: &rng))"
            a.add(k)
            truth[k, default: 0] += 1
        }
        let exact = Dictionary(
            uniqueKeysWithValues: a.heavyHitterCandidates.map { ($0, truth[String(decoding: $0, as: UTF8.self)] ?? 0) })
        a.settle(exactCounts: exact)
        let r = a.report(top: 8)
        #expect(r.hotKeyErrorBound == 0)
        for h in r.hotKeys {
            #expect(h.maxOverestimate == 0)
            #expect(h.messages == truth[String(decoding: h.key, as: UTF8.self)])
        }
    }

    func check(_ r: KeyReport, truth: [String: UInt64]) throws {
        let fair = Double(r.totalMessages) / Double(r.partitions)
        for h in r.hotKeys {
            let key = String(decoding: h.key, as: UTF8.self)
            let real = try #require(truth[key])
            #expect(real <= h.messages, "\(key): reported \(h.messages) under the true \(real)")
            #expect(h.messages - h.maxOverestimate <= real, "\(key): bound \(h.maxOverestimate) does not cover \(real)")
            if h.hot { #expect(Double(real) >= 0.5 * fair, "\(key) called hot at \(real) records") }
            #expect(Double(h.maxOverestimate) <= r.hotKeyErrorBound)
        }
    }
}
