// `groups reset-offsets` as a plan: for each partition the old and the new committed offset, kept within the log
// (kafka-consumer-groups.sh clamps the same way), and the records the change skips or replays.

public enum OffsetResetTarget: Sendable, Equatable {
    case earliest, latest
    /// The first offset whose record timestamp is at or after this time (ms).
    case datetime(Int64)
    case shift(Int64)
    case offset(Int64)

    public var description: String {
        switch self {
        case .earliest: "--to-earliest"
        case .latest: "--to-latest"
        case .datetime(let ms): "--to-datetime \(ms) ms"
        case .shift(let n): "--shift-by \(n)"
        case .offset(let o): "--to-offset \(o)"
        }
    }
}

public struct OffsetResetRow: Sendable, Equatable, Encodable {
    public var topic: String
    public var partition: Int32
    public var oldOffset: Int64?
    public var newOffset: Int64
    public var logStartOffset: Int64
    public var logEndOffset: Int64
    /// Records the group will not read (the new offset is ahead of the old one).
    public var skipped: Int64
    /// Records the group will read again.
    public var replayed: Int64
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case topic, partition, oldOffset, newOffset, logStartOffset, logEndOffset, skipped, replayed, note
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(topic, forKey: .topic)
        try c.encode(partition, forKey: .partition)
        try c.encode(oldOffset, forKey: .oldOffset)
        try c.encode(newOffset, forKey: .newOffset)
        try c.encode(logStartOffset, forKey: .logStartOffset)
        try c.encode(logEndOffset, forKey: .logEndOffset)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(replayed, forKey: .replayed)
        try c.encode(note, forKey: .note)
    }
}

public struct OffsetResetPlan: Sendable, Equatable, Encodable {
    public var group: String
    public var topic: String
    public var target: String
    public var rows: [OffsetResetRow]
    public var skipped: Int64
    public var replayed: Int64
    public var warnings: [String] = []
    public var executed = false
    public var errors: [String] = []

    /// The plan for `partitions` of `topic`: committed, log start, log end and (for a time) the offset for that time
    /// per partition (-1: no record at or after it, so the log end).
    public static func make(
        group: String, topic: String, target: OffsetResetTarget, partitions: [Int32], committed: [Int32: Int64],
        logStart: [Int32: Int64], logEnd: [Int32: Int64], byTime: [Int32: Int64] = [:]
    ) -> OffsetResetPlan {
        var rows: [OffsetResetRow] = []
        for p in partitions.sorted() {
            guard let start = logStart[p], let end = logEnd[p] else { continue }
            let old = committed[p]
            var note: String? = old == nil ? "no committed offset before" : nil
            var wanted: Int64
            switch target {
            case .earliest: wanted = start
            case .latest: wanted = end
            case .datetime:
                let t = byTime[p] ?? -1
                wanted = t < 0 ? end : t
                if t < 0 { note = "no record at or after that time: the log end" }
            case .shift(let n):
                let (v, overflow) = (old ?? start).addingReportingOverflow(n)
                wanted = overflow ? (n > 0 ? Int64.max : Int64.min) : v
            case .offset(let o): wanted = o
            }
            let new = min(max(wanted, start), end)
            if new != wanted {
                note = new == start ? "clamped to the log start \(start)" : "clamped to the log end \(end)"
            }
            let delta = old.map { new.subtractingReportingOverflow($0).partialValue } ?? 0
            rows.append(
                .init(
                    topic: topic, partition: p, oldOffset: old, newOffset: new, logStartOffset: start,
                    logEndOffset: end,
                    skipped: max(0, delta), replayed: max(0, -delta), note: note))
        }
        return OffsetResetPlan(
            group: group, topic: topic, target: target.description, rows: rows,
            skipped: rows.reduce(0) { $0 &+ $1.skipped }, replayed: rows.reduce(0) { $0 &+ $1.replayed })
    }
}
