import Testing

@testable import KafkaClient

/// The share of each partition to read so that about `--sample` records are read in all.
@Suite struct SampleFractionTests {
    static func leader(_ sizes: [Int64], window: Int64? = nil) -> ClusterAdmin.LeaderOffsets {
        var o = ClusterAdmin.LeaderOffsets(
            broker: .init(id: 1, host: "h", port: 9092, rack: nil), partitions: sizes.indices.map { Int32($0) })
        for (p, size) in sizes.enumerated() {
            o.offsets[Int32(p)] = .init(start: 100, end: 100 + size, windowStart: window.map { 100 + size - $0 })
        }
        return o
    }

    @Test func theRateReadsTheSampleAcrossEveryPartition() {
        // 3,000 records in three partitions: 600 asked for is a fifth of each.
        #expect(ClusterAdmin.fraction(records: 600, of: [Self.leader([1000, 1500, 500])]) == 0.2)
        // A topic smaller than the sample is read whole.
        #expect(ClusterAdmin.fraction(records: 5000, of: [Self.leader([1000, 1500, 500])]) == 1)
    }

    /// Three more partitions still to be retried count as the mean of those read: the rate fixed now
    /// must not take the whole sample from the partitions seen first (it once read 2× --sample).
    @Test func partitionsStillToBeReadAreCounted() {
        #expect(ClusterAdmin.fraction(records: 600, of: [Self.leader([1000, 1500, 500])], alsoUnknown: 3) == 0.1)
    }

    /// Over a window, the rate is of the records appended, not those retained.
    @Test func aWindowSamplesWhatWasAppended() {
        #expect(ClusterAdmin.fraction(records: 150, of: [Self.leader([1000, 1500, 500], window: 100)]) == 0.5)
    }
}
