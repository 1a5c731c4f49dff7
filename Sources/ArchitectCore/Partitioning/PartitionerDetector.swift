/// Which partitioner placed a topic's records: each sampled keyed record's actual partition is
/// compared with what every partitioner family would choose.
public enum PartitionerDetector {
    /// Partitioners that place every non-empty key identically form one family.
    public static let families: [(name: String, members: [Partitioner])] = [
        ("murmur2 (Java client default; librdkafka murmur2, murmur2_random)", [.java, .murmur2, .murmur2Random]),
        ("CRC-32 (librdkafka consistent, consistent_random — librdkafka's default)", [.consistent, .consistentRandom]),
        ("FNV-1a (librdkafka fnv1a, fnv1a_random; Sarama's hash partitioner)", [.fnv1a, .fnv1aRandom]),
    ]

    public struct Detection: Sendable, Equatable {
        public struct Match: Sendable, Equatable {
            public let family: String
            public let matched: Int
            public let share: Double
        }
        /// Keyed records compared (non-empty keys).
        public let compared: Int
        public let matches: [Match]
        /// One sentence: which partitioner the producers use, that they disagree, or that it cannot be told.
        public let verdict: String
        /// The family that explains every record, when one does.
        public let family: String?
        public let disagree: Bool
    }

    public static func detect(_ records: [(key: [UInt8], partition: Int)], partitions n: Int) -> Detection {
        let keyed = records.filter { !$0.key.isEmpty }
        guard n > 1, !keyed.isEmpty else {
            return Detection(
                compared: keyed.count, matches: [],
                verdict: n <= 1
                    ? "one partition: every partitioner agrees, so none can be told apart"
                    : "no keyed records in the sample",
                family: nil, disagree: false)
        }
        var hits: [[Bool]] = []
        var matches: [Detection.Match] = []
        for f in families {
            let row = keyed.map { r in f.members[0].choose(r.key, partitions: n) == .partition(r.partition) }
            hits.append(row)
            let m = row.filter { $0 }.count
            matches.append(.init(family: f.name, matched: m, share: Double(m) / Double(keyed.count)))
        }
        let order = matches.indices.sorted { matches[$0].matched > matches[$1].matched }
        let best = order[0]
        let second = order[1]
        // Chance agreement is 1/n per record, so require (nearly) all records and more than chance.
        if matches[best].matched == keyed.count {
            return Detection(
                compared: keyed.count, matches: matches,
                verdict: "producers use \(matches[best].family): all \(keyed.count) keyed records match",
                family: matches[best].family, disagree: false)
        }
        let union = zip(hits[best], hits[second]).filter { $0 || $1 }.count
        let chance = Double(keyed.count) / Double(n)
        if union == keyed.count && Double(matches[second].matched) > 2 * chance {
            return Detection(
                compared: keyed.count, matches: matches,
                verdict:
                    "producers disagree: \(pct(matches[best].share)) of records follow \(matches[best].family), the rest \(matches[second].family) — the same key lands on different partitions (Java and librdkafka producers sharing a topic?)",
                family: nil, disagree: true)
        }
        return Detection(
            compared: keyed.count, matches: matches,
            verdict:
                "no known partitioner explains the placement (best: \(matches[best].family) for \(pct(matches[best].share))): a custom partitioner, explicit partitions, or a partition count that changed",
            family: nil, disagree: false)
    }

    static func pct(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
}
