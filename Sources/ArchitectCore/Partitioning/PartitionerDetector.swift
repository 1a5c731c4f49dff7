/// Which partitioner placed a topic's records: each sampled keyed record's actual partition is
/// compared with what every partitioner family would choose.
public enum PartitionerDetector {
    /// Partitioners that place every non-empty key identically form one family.
    /// The first member of each family places the analysis when the family is detected (the Java
    /// client's default, and librdkafka's default for CRC-32).
    public static let families: [(name: String, members: [Partitioner])] = [
        ("murmur2 (Java client default; librdkafka murmur2, murmur2_random)", [.java, .murmur2, .murmur2Random]),
        ("CRC-32 (librdkafka consistent, consistent_random — librdkafka's default)", [.consistentRandom, .consistent]),
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
        /// The partitioner that places keys as the producers do: the family's first member when one
        /// family explains every record, the majority family's when producers disagree.
        public let partitioner: Partitioner?
        /// When producers disagree: each family's estimated share of the records. A record both
        /// families place alike (chance 1/n) cannot be attributed, so the shares come from the records
        /// only one family explains, which each producer yields in the same proportion (1 − 1/n).
        public let producers: [Match]

        public init(
            compared: Int, matches: [Match], verdict: String, family: String?, disagree: Bool,
            partitioner: Partitioner? = nil, producers: [Match] = []
        ) {
            self.producers = producers
            self.compared = compared
            self.matches = matches
            self.verdict = verdict
            self.family = family
            self.disagree = disagree
            self.partitioner = partitioner
        }
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
                family: matches[best].family, disagree: false, partitioner: families[best].members[0])
        }
        let union = zip(hits[best], hits[second]).filter { $0 || $1 }.count
        // Records the best family misplaces but the second explains: were they placed at random,
        // each would match the second family with probability 1/n. All of them matching is evidence of
        // a second producer, however few they are (a producer that wrote only briefly, or earlier).
        let onlySecond = zip(hits[best], hits[second]).filter { !$0 && $1 }.count
        // A key's repeats are one coincidence, not many: the evidence counts distinct keys.
        let distinctOnlySecond = Set(zip(keyed, zip(hits[best], hits[second])).filter { !$1.0 && $1.1 }.map(\.0.key))
            .count
        // (1/n)^k < 0.001 ⇔ k × log2(n) > log2(1000) ≈ 9.97.
        let bitsOfEvidence = Double(distinctOnlySecond) * log2(n)
        if union == keyed.count && onlySecond > 0 && bitsOfEvidence > 9.97 {
            let onlyBest = zip(hits[best], hits[second]).filter { $0 && !$1 }.count
            let firstShare = Double(onlyBest) / Double(onlyBest + onlySecond)
            let producers = [
                Detection.Match(family: matches[best].family, matched: onlyBest, share: firstShare),
                Detection.Match(family: matches[second].family, matched: onlySecond, share: 1 - firstShare),
            ]
            return Detection(
                compared: keyed.count, matches: matches,
                verdict:
                    "producers disagree: about \(pct(firstShare)) of records follow \(matches[best].family), \(pct(1 - firstShare)) \(matches[second].family) — the same key lands on different partitions (Java and librdkafka producers sharing a topic?)",
                family: nil, disagree: true, partitioner: families[best].members[0], producers: producers)
        }
        return Detection(
            compared: keyed.count, matches: matches,
            verdict:
                "no known partitioner explains the placement (best: \(matches[best].family) for \(pct(matches[best].share))): a custom partitioner, explicit partitions, or a partition count that changed",
            family: nil, disagree: false)
    }

    static func pct(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
}

/// log₂ of a positive integer, exact at powers of two and never above the truth elsewhere (log₂(1 + f) ≥ f), so a
/// threshold on it errs towards asking for more evidence.
func log2(_ n: Int) -> Double {
    var bits = 0
    var v = n
    while v > 1 {
        v >>= 1
        bits += 1
    }
    // Linear between powers of two: log₂(2^b × (1 + f)) ≈ b + f.
    let base = 1 << bits
    return Double(bits) + Double(n - base) / Double(base)
}
