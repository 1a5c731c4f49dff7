// What the key analysis found: load per partition, whether the skew is real, hot keys,

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif
// key anti-patterns, and the simulated effect of each fix.

public struct KeyReport: Sendable, Equatable {
    public struct PartitionLoad: Sendable, Equatable {
        public let partition: Int
        /// Records whose key hashes here (exact).
        public let messages: UInt64
        /// Plus this partition's even share of spread (null-key) records.
        public let expectedMessages: Double
        public let bytes: UInt64?
    }

    public struct ChiSquare: Sendable, Equatable {
        public let statistic: Double
        public let degreesOfFreedom: Int
        public let pValue: Double
        /// Significance level the verdict uses.
        public let alpha: Double
        /// True when the keyed load is significantly uneven (p < alpha).
        public let skewed: Bool
        /// The skew the sample-size figure is for (0.1 = one partition 10% over its share).
        public let detectableSkew: Double
        /// Messages needed to detect that skew with 80% power at alpha.
        public let sampleSizeToDetect: Double
    }

    public struct HotKey: Sendable, Equatable {
        public let key: [UInt8]
        /// The key's count: never under the truth, and at most `maxOverestimate` over it.
        public let messages: UInt64
        /// How far `messages` may exceed the true count; 0 when the count is exact.
        public let maxOverestimate: UInt64
        /// When the keys are a sample of a live topic: the 95% margin of `share` as the topic's share
        /// (normal approximation, 1.96 × √(share × (1 − share) ÷ sampled records)); nil otherwise.
        public var shareMargin: Double? = nil
        public let share: Double
        public let partition: Int
        /// This key's part of its partition's load.
        public let shareOfPartition: Double
        /// True when the key alone takes at least half a partition's fair share, counting only the
        /// occurrences it is certain to have (`messages - maxOverestimate`): a key reported hot is hot.
        public let hot: Bool
    }

    public struct Finding: Sendable, Equatable {
        public enum Severity: String, Sendable, Equatable, Codable { case error, warning, info }
        public let code: String
        public let severity: Severity
        public let message: String
    }

    public struct WhatIf: Sendable, Equatable {
        public let partitions: Int
        public let maxToMeanRatio: Double
        public let coefficientOfVariation: Double
        /// The lowest max/mean any count can reach while the hottest key stays on one partition.
        public let hottestKeyFloor: Double
    }

    public struct Fix: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable, Codable { case salt, isolate, repartition }
        public let kind: Kind
        public let description: String
        public let maxToMeanRatioBefore: Double
        public let maxToMeanRatioAfter: Double
        public let tradeoff: String
    }

    public let partitioner: Partitioner
    public let partitions: Int
    public let totalMessages: UInt64
    public let keyedMessages: UInt64
    public let nullKeys: UInt64
    public let emptyKeys: UInt64
    /// Records not placed by key (null keys, and empty keys under consistent_random).
    public let spreadMessages: UInt64
    public let totalBytes: UInt64?
    public let loads: [PartitionLoad]
    /// How `loads` were obtained: from the keys given, or measured on a live topic.
    public let loadSource: String
    /// Partitions whose load is unknown (not read): left out of `loads` and of every statistic.
    public let unreadPartitions: [Int]
    /// The key counts (hot keys, distinct keys, findings) are of a sample of a live topic, not all of it.
    public let keysFromSample: Bool
    public let maxToMeanRatio: Double
    public let coefficientOfVariation: Double
    public let gini: Double
    public let chiSquare: ChiSquare
    public let distinctKeysEstimate: Double
    public let hotKeys: [HotKey]
    /// The largest `maxOverestimate` among the reported keys: 0 when every count is exact.
    public let hotKeyErrorBound: Double
    /// No key that is not listed can have more records than this (0: every key was tracked).
    public let unlistedKeysAtMost: UInt64
    public let findings: [Finding]
    public let whatIf: [WhatIf]
    public let fixes: [Fix]
}

extension KeyAnalyzer {
    /// Summarises everything added so far.
    /// - Parameters:
    ///   - top: how many heaviest keys to report.
    ///   - alpha: significance level for the uniformity test.
    ///   - detectableSkew: the skew whose required sample size is reported.
    /// - Parameter saltBuckets: buckets to salt each hot key into; nil chooses ⌈2 × share × n⌉ (at least 2).
    ///   - measured: a live topic's per-partition volumes; then `loads` and their statistics come from
    ///     them, and unread partitions are left out of every statistic.
    public func report(
        top: Int = 10, alpha: Double = 0.01, detectableSkew: Double = 0.1, saltBuckets: Int? = nil,
        measured: MeasuredLoads? = nil
    ) -> KeyReport {
        let n = partitions
        let spreadShare = Double(spreadMessages) / Double(n)
        let expected = messages.map { Double($0) + spreadShare }
        let keyed = messages.reduce(0, &+)
        let mean = expected.reduce(0, +) / Double(n)
        let maxToMean = mean > 0 ? (expected.max() ?? 0) / mean : 0
        let unread = Set(measured?.unread ?? [])
        let read = (0..<n).filter { !unread.contains($0) }
        let chiSquare = chiSquareTest(read: read, keyed: keyed, alpha: alpha, detectableSkew: detectableSkew)
        let loads = partitionLoads(read: read, expected: expected, measured: measured)
        let loadShape = loads.map(\.expectedMessages)
        let loadMean = loadShape.reduce(0, +) / Double(max(1, loadShape.count))
        let loadMaxToMean = measured == nil ? maxToMean : (loadMean > 0 ? (loadShape.max() ?? 0) / loadMean : 0)
        var hot = hotKeys(top: top, expected: expected)
        if let measured, !measured.wholeTopic, total > 0 {
            for i in hot.indices {
                let p = hot[i].share
                hot[i].shareMargin = 1.96 * (p * (1 - p) / Double(total)).squareRoot()
            }
        }
        let distinctEstimate = keyed > 0 ? max(1, distinct.estimate.rounded()) : 0
        let findings = keyFindings(
            keyed: keyed, distinct: distinctEstimate, hot: hot, chiSquare: chiSquare, maxToMean: loadMaxToMean)

        let whatIfResults = whatIfResults(hottestShare: hot.first?.share ?? 0)
        let fixes = simulatedFixes(
            expected: expected, hot: hot.filter(\.hot), maxToMean: maxToMean, whatIf: whatIfResults,
            saltBuckets: saltBuckets)

        return KeyReport(
            partitioner: partitioner, partitions: n, totalMessages: total, keyedMessages: keyed, nullKeys: nullKeys,
            emptyKeys: emptyKeys, spreadMessages: spreadMessages, totalBytes: sawBytes ? totalBytes : nil, loads: loads,
            loadSource: measured?.source ?? "counted from the keys given",
            unreadPartitions: measured?.unread.sorted() ?? [], keysFromSample: measured.map { !$0.wholeTopic } ?? false,
            maxToMeanRatio: loadMaxToMean, coefficientOfVariation: Statistics.coefficientOfVariation(loadShape),
            gini: Statistics.gini(loadShape), chiSquare: chiSquare, distinctKeysEstimate: distinctEstimate,
            hotKeys: hot,
            hotKeyErrorBound: Double(hot.map(\.maxOverestimate).max() ?? 0),
            unlistedKeysAtMost: max(heavy.untrackedCeiling, heavy.top.dropFirst(top).map(\.count).max() ?? 0),
            findings: findings, whatIf: whatIfResults,
            fixes: fixes)
    }

    /// Pearson's χ² of the keyed counts of the partitions read, against an even split.
    func chiSquareTest(read: [Int], keyed: UInt64, alpha: Double, detectableSkew: Double) -> KeyReport.ChiSquare {
        let observed = read.map { Double(messages[$0]) }
        let k = observed.count
        let chi = Statistics.chiSquareUniform(observed)
        let p = keyed > 0 && k > 1 ? Statistics.chiSquareSurvival(chi, degreesOfFreedom: Double(max(1, k - 1))) : 1
        return KeyReport.ChiSquare(
            statistic: chi, degreesOfFreedom: k - 1, pValue: p, alpha: alpha, skewed: p < alpha,
            detectableSkew: detectableSkew,
            sampleSizeToDetect: Statistics.sampleSizeToDetect(skew: detectableSkew, partitions: max(1, k), alpha: alpha)
        )
    }

    /// Per-partition loads: the keys' own counts, or a live topic's measured volumes (read partitions only).
    func partitionLoads(read: [Int], expected: [Double], measured: MeasuredLoads?) -> [KeyReport.PartitionLoad] {
        let n = partitions
        guard let measured else {
            return (0..<n).map { i in
                KeyReport.PartitionLoad(
                    partition: i, messages: messages[i], expectedMessages: expected[i],
                    bytes: sawBytes ? bytes[i] + spreadBytes / UInt64(n) : nil)
            }
        }
        return read.map { i in
            let volume = measured.volumes[i] ?? 0
            return KeyReport.PartitionLoad(partition: i, messages: volume, expectedMessages: Double(volume), bytes: nil)
        }
    }

    /// The `top` heaviest keys, with their partition and share; `hot` when a key alone takes half a
    /// partition's fair share or more.
    func hotKeys(top: Int, expected: [Double]) -> [KeyReport.HotKey] {
        let n = partitions
        let fairShare = 1.0 / Double(n)
        return heavy.top.prefix(top).compactMap { entry -> KeyReport.HotKey? in
            guard entry.count > 0, total > 0 else { return nil }
            let partition = partitioner.partition(
                fromHash: entry.key.withUnsafeBytes { partitioner.hash($0) }, partitions: n)
            let share = Double(entry.count) / Double(total)
            let certainShare = Double(entry.guaranteed) / Double(total)
            let load = expected[partition]
            return KeyReport.HotKey(
                key: entry.key, messages: entry.count, maxOverestimate: entry.maxOverestimate, share: share,
                partition: partition, shareOfPartition: load > 0 ? min(1, Double(entry.count) / load) : 0,
                hot: certainShare >= 0.5 * fairShare && n > 1)
        }
    }

    /// The same keys on each other partition count asked for.
    func whatIfResults(hottestShare: Double) -> [KeyReport.WhatIf] {
        zip(whatIfCounts, whatIf).map { count, counts -> KeyReport.WhatIf in
            let spread = Double(spreadMessages) / Double(count)
            let loads = counts.map { Double($0) + spread }
            let m = loads.reduce(0, +) / Double(count)
            return KeyReport.WhatIf(
                partitions: count, maxToMeanRatio: m > 0 ? (loads.max() ?? 0) / m : 0,
                coefficientOfVariation: Statistics.coefficientOfVariation(loads),
                hottestKeyFloor: max(1, hottestShare * Double(count)))
        }
    }

    func keyFindings(
        keyed: UInt64, distinct: Double, hot: [KeyReport.HotKey], chiSquare: KeyReport.ChiSquare, maxToMean: Double
    ) -> [KeyReport.Finding] {
        var out: [KeyReport.Finding] = []
        let n = partitions
        func pct(_ x: UInt64) -> String { percent(Double(x) / Double(max(1, total))) }
        if keyed > 1 && distinct <= 1 && n > 1 {
            out.append(
                .init(
                    code: "constant-key", severity: .error,
                    message:
                        "Every keyed record has the same key: one partition takes all keyed traffic and the other \(n - 1) sit idle. Key by the entity whose order matters (orderId, userId), or send null keys if no order is needed."
                ))
        }
        if emptyKeys > 0 {
            let note =
                partitioner.spreadsEmptyKeys
                ? "consistent_random spreads them like null keys"
                : "\(partitioner.rawValue) hashes every empty key to the same partition"
            out.append(
                .init(
                    code: "empty-keys", severity: partitioner.spreadsEmptyKeys ? .info : .warning,
                    message:
                        "\(pct(emptyKeys)) of records have an empty key: \(note). An empty string is usually a missing value; send a null key instead."
                ))
        }
        if nullKeys > 0 {
            out.append(
                .init(
                    code: "null-keys", severity: .info,
                    message:
                        "\(pct(nullKeys)) of records have a null key: the producer spreads them (sticky partitioning, KIP-480/KIP-794), so they have no per-key order. Fine for logs and metrics; wrong if a consumer needs per-entity order."
                ))
        }
        if keyed > 0 && distinct > 1 && distinct < Double(10 * n) && n > 1 {
            let emptyExpected = Double(n) * pow(1 - 1 / Double(n), distinct)
            out.append(
                .init(
                    code: "low-cardinality", severity: .warning,
                    message:
                        "About \(Int(distinct)) distinct keys for \(n) partitions: with so few keys some partitions get several and about \(Int(emptyExpected.rounded())) may get none. Aim for at least 10 keys per partition, or key by a finer-grained entity."
                ))
        }
        if patterns.isTimestampLike {
            out.append(
                .init(
                    code: "timestamp-key", severity: .warning,
                    message:
                        "Keys look like timestamps: every key is new, so keying buys no ordering, and a range-based or custom partitioner would send all current traffic to one partition. Key by the entity, or use null keys."
                ))
        } else if patterns.isSequential {
            out.append(
                .init(
                    code: "sequential-key", severity: .info,
                    message:
                        "Keys are increasing numbers (sequence or auto-increment ids): hashing spreads them, but each key is used once, so keying gives no per-entity order. Key by the entity the events are about."
                ))
        }
        return out + spreadFindings(keyed: keyed, hot: hot, chiSquare: chiSquare, maxToMean: maxToMean)
    }

    /// Whether the load is skewed beyond sampling noise, and what causes it.
    func spreadFindings(keyed: UInt64, hot: [KeyReport.HotKey], chiSquare: KeyReport.ChiSquare, maxToMean: Double)
        -> [KeyReport.Finding]
    {
        let n = partitions
        var out: [KeyReport.Finding] = []
        if chiSquare.skewed && maxToMean > 1.1 && n > 1 {
            let cause =
                hot.first(where: \.hot).map { "hot key \(displayKey($0.key)) carries \(percent($0.share)) of traffic" }
                ?? "many keys land unevenly"
            out.append(
                .init(
                    code: "skew", severity: .warning,
                    message:
                        "The load is skewed beyond sampling noise (χ² p = \(scientific(chiSquare.pValue))): the busiest partition takes \(String(format2(maxToMean)))× the mean; \(cause)."
                ))
        } else if !chiSquare.skewed && keyed > 0 && n > 1 {
            let enough = Double(keyed) >= chiSquare.sampleSizeToDetect
            out.append(
                .init(
                    code: "uniform", severity: .info,
                    message:
                        "The spread is consistent with an even distribution (χ² p = \(scientific(chiSquare.pValue)))."
                        + (enough
                            ? ""
                            : " The sample (\(keyed) keyed records) is too small to rule out a \(percent(chiSquare.detectableSkew)) skew: about \(Int(chiSquare.sampleSizeToDetect)) records are needed.")
                ))
        }
        return out
    }

    func simulatedFixes(
        expected: [Double], hot: [KeyReport.HotKey], maxToMean: Double, whatIf: [KeyReport.WhatIf],
        saltBuckets: Int? = nil
    ) -> [KeyReport.Fix] {
        var out: [KeyReport.Fix] = []
        let n = partitions
        func ratio(_ loads: [Double]) -> Double {
            let m = loads.reduce(0, +) / Double(loads.count)
            return m > 0 ? (loads.max() ?? 0) / m : 0
        }
        if !hot.isEmpty {
            // Salting: each hot key becomes key#0 … key#(b−1), b chosen so each part is under a fair share.
            var salted = expected
            var parts: [String] = []
            for h in hot {
                let buckets = saltBuckets ?? max(2, Int((h.share * Double(n) * 2).rounded(.up)))
                salted[h.partition] -= Double(h.messages)
                for i in 0..<buckets {
                    let subKey = h.key + Array("#\(i)".utf8)
                    if case .partition(let p) = partitioner.choose(subKey, partitions: n) {
                        salted[p] += Double(h.messages) / Double(buckets)
                    }
                }
                parts.append("\(displayKey(h.key)) into \(buckets) buckets")
            }
            out.append(
                .init(
                    kind: .salt, description: "Salt hot keys: \(parts.joined(separator: ", ")) (key + \"#\" + bucket)",
                    maxToMeanRatioBefore: maxToMean, maxToMeanRatioAfter: ratio(salted),
                    tradeoff:
                        "Records of a salted key are ordered only within each bucket, not across them: consumers that need the key's total order must merge buckets (for example by a sequence number), and aggregations per key must combine the buckets."
                ))
            var isolated = expected
            for h in hot { isolated[h.partition] -= Double(h.messages) }
            let moved = hot.reduce(0.0) { $0 + $1.share }
            out.append(
                .init(
                    kind: .isolate,
                    description:
                        "Split the \(hot.count) hot key\(hot.count == 1 ? "" : "s") (\(percent(moved)) of traffic) onto a dedicated topic",
                    maxToMeanRatioBefore: maxToMean, maxToMeanRatioAfter: ratio(isolated),
                    tradeoff:
                        "Per-key order is kept, but consumers read two topics and the dedicated topic needs its own partitioning (its hottest key still fits one partition only)."
                ))
        }
        if let best = whatIf.min(by: { ($0.maxToMeanRatio, $0.partitions) < ($1.maxToMeanRatio, $1.partitions) }),
            best.partitions != n
        {
            out.append(
                .init(
                    kind: .repartition, description: "Use \(best.partitions) partitions (best of the what-if range)",
                    maxToMeanRatioBefore: maxToMean, maxToMeanRatioAfter: best.maxToMeanRatio,
                    tradeoff:
                        "Adding partitions to an existing topic moves most keys to new partitions: per-key order breaks across the change, and compacted topics keep stale values on old partitions. Create a new topic and migrate instead."
                ))
        }
        return out
    }
}

/// A key as a person reads it: quoted UTF-8 when printable, hex otherwise.
public func displayKey(_ key: [UInt8]) -> String {
    if let s = String(validating: key, as: UTF8.self),
        !s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    {
        return "\"\(s)\""
    }
    return "0x"
        + key.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
}

func percent(_ x: Double) -> String {
    let v = (x * 1000).rounded() / 10
    return v == v.rounded() ? "\(Int(v))%" : "\(v)%"
}

func format2(_ x: Double) -> String {
    let v = (x * 100).rounded() / 100
    return "\(v)"
}

func scientific(_ p: Double) -> String {
    if p == 0 { return "below 1e-300" }
    if p >= 0.001 { return "\((p * 1000).rounded() / 1000)" }
    var exponent = 0
    var m = p
    while m < 1 {
        m *= 10
        exponent -= 1
    }
    return "\((m * 10).rounded() / 10)e\(exponent)"
}

/// What a live sample read, beside its key report: the topic, how much was read, what could not be,
/// and which partitioner the producers' records fit.
public struct LiveKeySample: Sendable, Equatable {
    public let topic: String
    public let sampledRecords: Int
    public let partitionCount: Int
    /// What could not be read, partition by partition.
    public let notes: [String]
    /// Record batches read, by compression codec and format.
    public let batchesByCodec: [String: Int]
    public let detection: PartitionerDetector.Detection
    /// The partitioner the analysis placed keys with, and why.
    public let placement: KeyPlacement
    /// Partitions that could not be read; the answer is complete when there are none.
    public let missing: [Int]
    public var complete: Bool { missing.isEmpty }
    /// Seconds between the two log-end readings when the traffic was measured (nil: what is retained).
    public let windowSeconds: Double?
    /// Records appended during the window, on the partitions read (nil without a window).
    public let appendedRecords: Int64?

    public init(
        topic: String, sampledRecords: Int, partitionCount: Int, notes: [String], batchesByCodec: [String: Int],
        detection: PartitionerDetector.Detection, placement: KeyPlacement, missing: [Int] = [],
        windowSeconds: Double? = nil, appendedRecords: Int64? = nil
    ) {
        self.windowSeconds = windowSeconds
        self.appendedRecords = appendedRecords
        self.placement = placement
        self.missing = missing
        self.topic = topic
        self.sampledRecords = sampledRecords
        self.partitionCount = partitionCount
        self.notes = notes
        self.batchesByCodec = batchesByCodec
        self.detection = detection
    }
}

/// Which partitioner a live topic's analysis places keys with: the one the producers are seen to use,
/// unless --partitioner says otherwise.
public struct KeyPlacement: Sendable, Equatable {
    public enum Source: String, Sendable, Equatable {
        /// One family explains every sampled record (or most, when producers disagree).
        case detected
        /// --partitioner, given by the user.
        case given
        /// Nothing to detect from (no keyed records, one partition, or a custom partitioner).
        case fallback
    }

    public let partitioner: Partitioner
    public let source: Source
    /// One sentence for the report.
    public let note: String

    public init(partitioner: Partitioner, source: Source, note: String) {
        self.partitioner = partitioner
        self.source = source
        self.note = note
    }

    public static func choose(given: Partitioner?, detected: PartitionerDetector.Detection) -> KeyPlacement {
        if let given {
            let differs = detected.partitioner.map { !$0.placesKeysLike(given) } ?? false
            let note =
                differs
                ? "keys placed with --partitioner \(given.rawValue), not the detected \(detected.partitioner?.rawValue ?? ""): hot keys' partitions, what-ifs and fixes are what \(given.rawValue) would give (a live topic's loads are still measured)"
                : "keys placed with --partitioner \(given.rawValue)"
            return KeyPlacement(partitioner: given, source: .given, note: note)
        }
        if let p = detected.partitioner {
            let why = detected.disagree ? "the majority of the producers use" : "the producers use"
            return KeyPlacement(partitioner: p, source: .detected, note: "keys placed with \(p.rawValue), which \(why)")
        }
        return KeyPlacement(
            partitioner: .java, source: .fallback,
            note: "keys placed with java (the Java client's default): no partitioner could be detected")
    }
}

extension Partitioner {
    /// Same hash and the same partition for every non-empty key (members of one family).
    func placesKeysLike(_ other: Partitioner) -> Bool {
        PartitionerDetector.families.contains { $0.members.contains(self) && $0.members.contains(other) }
    }
}

/// A live topic's load per partition, measured rather than inferred from a sample.
public struct MeasuredLoads: Sendable, Equatable {
    /// Records per partition (partition → count), for the partitions that were read.
    public let volumes: [Int: UInt64]
    /// Partitions whose load is unknown: not read (leader down, no leader, out of time).
    public let unread: [Int]
    /// How the volumes were obtained, in one phrase for the report.
    public let source: String
    /// Every record of the partitions read was analysed (not a sample).
    public let wholeTopic: Bool

    public init(volumes: [Int: UInt64], unread: [Int], source: String, wholeTopic: Bool = false) {
        self.volumes = volumes
        self.unread = unread
        self.source = source
        self.wholeTopic = wholeTopic
    }
}
