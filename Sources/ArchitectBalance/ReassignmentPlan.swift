// What a plan hands over: kafka-reassign-partitions.sh's JSON (and its rollback), the replication throttle the
// plan's spare bandwidth allows, and how long the copy takes at it.

import ArchitectReports

/// The throttle and the time it gives.
public struct ThrottleEstimate: Sendable, Equatable, Codable {
    /// Bytes per second per broker for `--throttle` (leader and follower replication); nil when no network
    /// capacity is known and none was given.
    public var bytesPerSecond: Double?
    /// Where it came from, in words.
    public var basis: String
    /// The most bytes one broker receives, and the most one broker sends as the source of new replicas.
    public var maxBytesIn: Double
    public var maxBytesOut: Double
    /// Seconds the copy takes at the throttle: the slowest broker's bytes over the throttle less the produce
    /// rate it must also keep up with; nil without a throttle, or when the copy cannot finish.
    public var seconds: Double?
    /// The produce rate the copy must also keep up with, on the broker where it is highest: new replicas fetch
    /// what producers keep writing, so the throttle must exceed it.
    public var catchUpBytesPerSecond: Double = 0
    /// Set when the copy cannot finish at the throttle (it is not above the catch-up rate).
    public var warning: String?
}

public enum ReassignmentPlan {
    /// `{"version":1,"partitions":[…]}` for the new assignment (or, with `rollback`, the old one) of every
    /// partition the plan changes, in topic and partition order.
    public static func json(_ moves: [PartitionMove], rollback: Bool = false) -> String {
        let rows = moves.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map { m in
            let replicas = rollback ? m.before : m.after
            let ids = replicas.map(String.init).joined(separator: ",")
            let dirs = replicas.map { _ in "\"any\"" }.joined(separator: ",")
            return
                "{\"topic\":\(FastJSON.quoted(m.topic)),\"partition\":\(m.partition),\"replicas\":[\(ids)],\"log_dirs\":[\(dirs)]}"
        }
        return "{\"version\":1,\"partitions\":[" + rows.joined(separator: ",\n") + "]}\n"
    }

    /// `{"partitions":[{"topic","partition"}…]}` for kafka-leader-election.sh --path-to-json-file: the partitions
    /// whose preferred leader the plan changes (the same after a rollback), so the election moves only those.
    public static func electionJSON(_ moves: [PartitionMove]) -> String {
        let rows = moves.filter { $0.before.first != $0.after.first }
            .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            .map { "{\"topic\":\(FastJSON.quoted($0.topic)),\"partition\":\($0.partition)}" }
        return "{\"partitions\":[" + rows.joined(separator: ",\n") + "]}\n"
    }

    /// Per broker: the bytes it receives and sends for the plan, and the produce rates of the partitions it
    /// copies (received per new replica; sent once per replica read from it).
    static func traffic(_ r: RebalanceResult) -> ([Double], [Double], [Double], [Double]) {
        var inBytes = [Double](repeating: 0, count: r.initial.brokerCount)
        var outBytes = [Double](repeating: 0, count: r.initial.brokerCount)
        var inRate = [Double](repeating: 0, count: r.initial.brokerCount)
        var outRate = [Double](repeating: 0, count: r.initial.brokerCount)
        let partitionRate = Dictionary(
            r.initial.partitions.enumerated().map {
                ("\($0.element.topic)-\($0.element.partition)", r.initial.rate[$0.offset])
            },
            uniquingKeysWith: { a, _ in a })
        let index = Dictionary(
            r.initial.brokers.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        for m in r.moves where m.replicasMoved > 0 {
            let old = Set(m.before)
            let size = m.bytesMoved / Double(m.replicasMoved)
            let rate = partitionRate["\(m.topic)-\(m.partition)"] ?? 0
            for id in m.after where !old.contains(id) {
                inBytes[index[id] ?? 0] += size
                inRate[index[id] ?? 0] += rate
            }
            outBytes[index[m.source] ?? 0] += m.bytesMoved
            outRate[index[m.source] ?? 0] += rate * Double(m.replicasMoved)
        }
        return (inBytes, outBytes, inRate, outRate)
    }

    /// Each broker copies its bytes at the throttle less what producers keep adding to the partitions it copies
    /// (Kafka's documentation: the throttle must exceed that write rate, or the copy never ends); the slowest
    /// decides. nil seconds and a warning when one cannot finish.
    static func duration(
        _ rate: Double?, _ busy: [Int], _ r: RebalanceResult, inBytes: [Double], outBytes: [Double],
        inRate: [Double], outRate: [Double]
    ) -> (Double?, String?) {
        guard !busy.isEmpty else { return (0, nil) }
        guard let rate else { return (nil, nil) }
        var worst = 0.0
        var warning: String? = nil
        for b in busy {
            for (bytes, write) in [(inBytes[b], inRate[b]), (outBytes[b], outRate[b])] where bytes > 0 {
                guard rate > write else {
                    warning =
                        "the copy never finishes at \(BalanceFormat.bytes(rate))/s: producers add \(BalanceFormat.bytes(write))/s to the partitions broker \(r.initial.brokers[b].id) copies — raise the throttle above it"
                    worst = .infinity
                    continue
                }
                worst = max(worst, bytes / (rate - write))
            }
        }
        return (worst.isFinite ? worst : nil, warning)
    }

    /// The throttle: `given` when the user set one; else 80% of the least spare bandwidth among the brokers the
    /// plan copies to (inbound) or from (outbound), capacity less today's traffic — 50% of capacity when the
    /// snapshot has no rates — so producers and followers keep their headroom.
    public static func throttle(_ r: RebalanceResult, given: Double?) -> ThrottleEstimate {
        let (inBytes, outBytes, inRate, outRate) = traffic(r)
        let busy = r.initial.brokers.indices.filter { inBytes[$0] > 0 || outBytes[$0] > 0 }
        guard r.initial.sizesKnown || r.replicasMoved == 0 else {
            return ThrottleEstimate(
                bytesPerSecond: given,
                basis:
                    "partition sizes unknown (no DescribeLogDirs in the snapshot): the time to copy cannot be estimated",
                maxBytesIn: 0, maxBytesOut: 0, seconds: nil)
        }
        var basis = ""
        var rate = given
        if let given {
            basis = "given (--throttle \(BalanceFormat.bytes(given))/s)"
        } else {
            // A receiving broker needs inbound room, a sending one (the leader new replicas copy from) outbound.
            let spares = busy.flatMap { b -> [Double?] in
                let c = r.initial.brokers[b].capacity
                let known = r.initial.ratesKnown
                var out: [Double?] = []
                if inBytes[b] > 0 { out.append(c.networkIn.map { $0 - (known ? r.initial.networkIn[b] : 0) }) }
                if outBytes[b] > 0 { out.append(c.networkOut.map { $0 - (known ? r.initial.networkOut[b] : 0) }) }
                return out
            }
            if spares.allSatisfy({ $0 != nil }), let least = spares.compactMap({ $0 }).min(), least > 0 {
                // Without today's traffic the spare is unknown: half the capacity, not 80%.
                rate = least * (r.initial.ratesKnown ? 0.8 : 0.5)
                basis =
                    (r.initial.ratesKnown ? "80%" : "50%")
                    + " of the least spare bandwidth among the brokers that copy — inbound where replicas arrive, outbound where they are read (\(BalanceFormat.bytes(least))/s spare"
                    + (r.initial.ratesKnown
                        ? " after today's traffic)"
                        : "; no byte rates in the snapshot, so today's traffic is not subtracted)")
            } else if spares.allSatisfy({ $0 != nil }), !busy.isEmpty {
                basis =
                    "no spare bandwidth: a broker that copies already uses its whole network capacity; copying now would slow producers and followers — set --throttle deliberately, or add capacity first"
            } else if !busy.isEmpty {
                basis = "no network capacity known: give --network-capacity or --instance-type, or set --throttle"
            } else if r.replicasMoved > 0 {
                basis = "partition sizes unknown, so the bytes to copy are: give --throttle to plan at a rate"
            } else {
                basis = "nothing to copy"
            }
        }
        let maxIn = inBytes.max() ?? 0
        let maxOut = outBytes.max() ?? 0
        let (seconds, warning) = duration(
            rate, busy, r, inBytes: inBytes, outBytes: outBytes, inRate: inRate, outRate: outRate)
        let catchUp = max(inRate.max() ?? 0, outRate.max() ?? 0)
        var estimate = ThrottleEstimate(
            bytesPerSecond: rate, basis: basis, maxBytesIn: maxIn, maxBytesOut: maxOut, seconds: seconds)
        estimate.catchUpBytesPerSecond = catchUp
        estimate.warning = warning
        return estimate
    }
}
