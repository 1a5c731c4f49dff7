// Consumer lag as values: what the collector read (one or more timed readings of committed offsets and log
// ends, the groups' membership, the timestamps of the oldest unconsumed records) and what the evaluator
// concludes (lag in records and seconds, rates, catch-up time, a Burrow-style status with the rule that decided
// it). The collector (CLI) does the I/O; everything here is pure (docs/lag.md).

public struct LagPartitionRef: Sendable, Hashable, Comparable, Encodable {
    public var topic: String
    public var partition: Int32
    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
    public static func < (a: Self, b: Self) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
    public var description: String { "\(topic)-\(partition)" }
}

/// A record position: the first record at or after `offset` in a partition.
public struct LagOffsetRef: Sendable, Hashable {
    public var partition: LagPartitionRef
    public var offset: Int64
    public init(_ partition: LagPartitionRef, _ offset: Int64) {
        self.partition = partition
        self.offset = offset
    }
}

public struct LagMember: Sendable, Equatable, Encodable {
    public var memberId: String
    public var groupInstanceId: String?
    public var clientId: String
    public var host: String
    /// The partitions the member holds (consumer protocol only).
    public var assignment: [LagPartitionRef]

    public init(
        memberId: String, groupInstanceId: String? = nil, clientId: String = "", host: String = "",
        assignment: [LagPartitionRef] = []
    ) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.host = host
        self.assignment = assignment
    }
}

/// A group as DescribeGroups (or ListGroups) showed it; `members` nil when membership could not be read.
public struct LagGroupInfo: Sendable, Equatable {
    public var groupId: String
    /// Stable, Empty, PreparingRebalance, CompletingRebalance, Dead; nil when unknown.
    public var state: String?
    public var protocolType: String?
    /// The assignor (range, cooperative-sticky…).
    public var protocolName: String?
    public var members: [LagMember]?
    /// Why membership is unknown (an API the cluster does not offer…).
    public var membershipNote: String?
    /// Whether ListGroups listed it (nil: the cluster cannot list groups).
    public var listed: Bool?

    public init(
        groupId: String, state: String? = nil, protocolType: String? = nil, protocolName: String? = nil,
        members: [LagMember]? = nil, membershipNote: String? = nil, listed: Bool? = nil
    ) {
        self.groupId = groupId
        self.state = state
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.members = members
        self.membershipNote = membershipNote
        self.listed = listed
    }
}

/// One reading of the cluster at `atMs` (milliseconds since 1970, the collector's clock).
public struct LagReading: Sendable, Equatable {
    public var atMs: Int64
    /// High watermark per partition (what Kafka's tools call the log-end offset).
    public var logEnd: [LagPartitionRef: Int64] = [:]
    /// Log start per partition (read at the last reading; empty otherwise).
    public var logStart: [LagPartitionRef: Int64] = [:]
    /// Last stable offset per partition (read_committed's end), where read.
    public var lastStable: [LagPartitionRef: Int64] = [:]
    /// Committed offsets per group.
    public var committed: [String: [LagPartitionRef: Int64]] = [:]
    /// Groups whose committed offsets could not be read at this reading, with why.
    public var unreadable: [String: String] = [:]
    /// Timestamp (ms) of the first record at or after each position, read with one-record fetches.
    public var recordTimestamps: [LagOffsetRef: Int64] = [:]
    /// Positions from which only transaction markers (control records, this many) lead to the log end.
    public var controlOnly: [LagOffsetRef: Int64] = [:]

    public init(atMs: Int64) { self.atMs = atMs }
}

/// A lag limit: the age of the oldest unconsumed record, or records behind (the group's total).
public enum LagLimit: Sendable, Equatable {
    case seconds(Double)
    case records(Int64)
}

public struct LagSLO: Sendable, Equatable {
    public var limit: LagLimit
    /// Where it comes from: `--max-lag`, `service billing (maxLag)`, `slos.maxConsumerLag`.
    public var source: String
    public init(limit: LagLimit, source: String) {
        self.limit = limit
        self.source = source
    }
}

public struct LagPolicy: Sendable, Equatable {
    /// WARN needs the lag to have grown across the window and to be at least this many records or seconds.
    public var warnMinRecords: Int64? = 1000
    public var warnMinSeconds: Double? = 30
    /// The SLO for groups without their own.
    public var defaultSLO: LagSLO?
    /// Per group (from the architecture file).
    public var groupSLOs: [String: LagSLO] = [:]
    /// Per group and topic, in seconds (a service's `maxLag` on one stream), before the group's.
    public var topicSLOs: [String: [String: LagSLO]] = [:]

    public init() {}
}

public struct LagInput: Sendable, Equatable {
    /// The groups to evaluate, in any order.
    public var groups: [LagGroupInfo]
    /// Evenly spaced readings, oldest first; one reading means no window.
    public var readings: [LagReading]
    /// Reads that failed (the report is then incomplete).
    public var missing: [String] = []
    /// APIs the cluster does not offer (the report says so and stays complete).
    public var unsupported: [String] = []
    /// Only this topic's partitions are evaluated (`--topic`); members' assignments elsewhere are left out.
    public var topic: String?
    /// Per group, the topics it has committed offsets on that `topic` left out (read, not evaluated).
    public var otherTopics: [String: [String]] = [:]

    public init(groups: [LagGroupInfo], readings: [LagReading]) {
        self.groups = groups
        self.readings = readings
    }
}

// MARK: The report

public enum PartitionLagStatus: String, Sendable, Equatable, Encodable, CaseIterable {
    case ok = "OK"
    case warn = "WARN"
    case stop = "STOP"
    case stall = "STALL"
    case rewind = "REWIND"
    /// Not readable, or not read in two readings.
    case unknown = "UNKNOWN"

    /// Ordering for "worst": REWIND > STOP > STALL > WARN > OK; UNKNOWN ranks between OK and WARN.
    public var rank: Int {
        switch self {
        case .ok: 0
        case .unknown: 1
        case .warn: 2
        case .stall: 3
        case .stop: 4
        case .rewind: 5
        }
    }
    public var isError: Bool { self == .stop || self == .stall || self == .rewind }
}

public enum GroupLagStatus: String, Sendable, Equatable, Encodable, CaseIterable, Comparable {
    case ok = "OK"
    case warn = "WARN"
    case err = "ERR"
    /// Its committed offsets could not be read (its coordinator is down…).
    case unknown = "UNKNOWN"

    public var rank: Int {
        switch self {
        case .ok: 0
        case .unknown: 1
        case .warn: 2
        case .err: 3
        }
    }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// Something wrong with a group beyond its lag figures. `error` findings make the group ERR.
public struct LagFinding: Sendable, Equatable, Encodable {
    public enum Severity: String, Sendable, Equatable, Encodable { case error, warning, info }
    public var severity: Severity
    /// A short id: `data-lost`, `beyond-log-end`, `unowned`, `not-subscribed`, `no-members`, `read-uncommitted`,
    /// `open-transaction`, `clock-skew`, `slo`, `not-found`, `not-on-topic`.
    public var kind: String
    public var message: String
    public var partitions: [LagPartitionRef] = []
}

public struct PartitionLag: Sendable, Equatable, Encodable {
    public var topic: String
    public var partition: Int32
    /// The member holding it, when membership is known.
    public var owner: String?
    public var clientId: String?
    public var host: String?
    public var committedOffset: Int64?
    public var logStartOffset: Int64?
    public var logEndOffset: Int64?
    public var lag: Int64?
    /// Age of the oldest unconsumed record at the last reading; 0 when caught up.
    public var lagSeconds: Double?
    /// Records per second over the window.
    public var consumeRate: Double?
    public var produceRate: Double?
    /// Seconds to reach lag 0 at the window's rates; nil with `catchUp` "never…" or without a window.
    public var catchUpSeconds: Double?
    public var catchUp: String?
    /// nil without a window (one reading gives figures, not a status).
    public var status: PartitionLagStatus?
    public var rule: String?
    /// Lag in records at each reading.
    public var lagHistory: [Int64?] = []
    /// How far in the future the oldest unconsumed record's timestamp was (not encoded: a finding says it).
    public var timestampAheadSeconds: Double? = nil
    /// Its topic has committed offsets but no member subscribes to it (not encoded: a finding says it).
    public var notSubscribed = false

    enum CodingKeys: String, CodingKey {
        case topic, partition, owner, clientId, host, committedOffset, logStartOffset, logEndOffset, lag, lagSeconds,
            consumeRate, produceRate, catchUpSeconds, catchUp, status, rule, lagHistory
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(topic, forKey: .topic)
        try c.encode(partition, forKey: .partition)
        try c.encode(owner, forKey: .owner)
        try c.encode(clientId, forKey: .clientId)
        try c.encode(host, forKey: .host)
        try c.encode(committedOffset, forKey: .committedOffset)
        try c.encode(logStartOffset, forKey: .logStartOffset)
        try c.encode(logEndOffset, forKey: .logEndOffset)
        try c.encode(lag, forKey: .lag)
        try c.encode(lagSeconds, forKey: .lagSeconds)
        try c.encode(consumeRate, forKey: .consumeRate)
        try c.encode(produceRate, forKey: .produceRate)
        try c.encode(catchUpSeconds, forKey: .catchUpSeconds)
        try c.encode(catchUp, forKey: .catchUp)
        try c.encode(status, forKey: .status)
        try c.encode(rule, forKey: .rule)
        try c.encode(lagHistory, forKey: .lagHistory)
    }
}

public struct GroupSLOVerdict: Sendable, Equatable, Encodable {
    /// false when a figure it needs is unknown (a partition unread, a record timestamp missing) and no known
    /// figure already exceeds it.
    public var evaluated: Bool
    /// `seconds` or `records`.
    public var unit: String
    public var limit: Double
    public var source: String
    /// The group's figure compared: max lag seconds, or total lag records.
    public var value: Double?
    public var exceeded: Bool
    /// value − limit, when exceeded.
    public var exceededBy: Double?
    /// The value is a lower bound: some partitions' lag could not be read (records SLO only).
    public var atLeast = false
    /// Why it was not evaluated, when it was not.
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case evaluated, unit, limit, source, value, exceeded, exceededBy, atLeast, reason
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(evaluated, forKey: .evaluated)
        try c.encode(unit, forKey: .unit)
        try c.encode(limit, forKey: .limit)
        try c.encode(source, forKey: .source)
        try c.encode(value, forKey: .value)
        try c.encode(exceeded, forKey: .exceeded)
        try c.encode(exceededBy, forKey: .exceededBy)
        try c.encode(atLeast, forKey: .atLeast)
        try c.encode(reason, forKey: .reason)
    }
}

public struct GroupLag: Sendable, Equatable, Encodable {
    public var groupId: String
    public var state: String?
    public var protocolType: String?
    public var `protocol`: String?
    /// nil when membership could not be read.
    public var members: [LagMember]?
    public var membershipNote: String?
    public var status: GroupLagStatus
    /// The rule that decided the status, with the partition it came from.
    public var rule: String
    public var totalLag: Int64?
    public var maxLagSeconds: Double?
    public var consumeRate: Double?
    public var produceRate: Double?
    public var catchUpSeconds: Double?
    public var catchUp: String?
    public var slo: GroupSLOVerdict?
    public var findings: [LagFinding]
    public var partitions: [PartitionLag]
    /// Partitions with a committed offset whose log end could not be read: `totalLag` is then nil.
    public var partitionsUnknown = 0

    enum CodingKeys: String, CodingKey {
        case groupId, state, protocolType, `protocol`, members, membershipNote, status, rule, totalLag, maxLagSeconds,
            consumeRate, produceRate, catchUpSeconds, catchUp, slo, findings, partitions, partitionsUnknown
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(groupId, forKey: .groupId)
        try c.encode(state, forKey: .state)
        try c.encode(protocolType, forKey: .protocolType)
        try c.encode(`protocol`, forKey: .protocol)
        try c.encode(members, forKey: .members)
        try c.encode(membershipNote, forKey: .membershipNote)
        try c.encode(status, forKey: .status)
        try c.encode(rule, forKey: .rule)
        try c.encode(totalLag, forKey: .totalLag)
        try c.encode(maxLagSeconds, forKey: .maxLagSeconds)
        try c.encode(consumeRate, forKey: .consumeRate)
        try c.encode(produceRate, forKey: .produceRate)
        try c.encode(catchUpSeconds, forKey: .catchUpSeconds)
        try c.encode(catchUp, forKey: .catchUp)
        try c.encode(slo, forKey: .slo)
        try c.encode(findings, forKey: .findings)
        try c.encode(partitions, forKey: .partitions)
        try c.encode(partitionsUnknown, forKey: .partitionsUnknown)
    }
}

public struct LagReport: Sendable, Equatable, Encodable {
    public var takenAtMs: Int64
    /// Seconds between the first and last reading; nil with one reading.
    public var windowSeconds: Double?
    public var readings: Int
    public var complete: Bool
    public var missing: [String]
    public var unsupported: [String]
    /// Worst first.
    public var groups: [GroupLag]
    /// Groups per status.
    public var summary: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case takenAtMs, windowSeconds, readings, complete, missing, unsupported, groups, summary
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(takenAtMs, forKey: .takenAtMs)
        try c.encode(windowSeconds, forKey: .windowSeconds)
        try c.encode(readings, forKey: .readings)
        try c.encode(complete, forKey: .complete)
        try c.encode(missing, forKey: .missing)
        try c.encode(unsupported, forKey: .unsupported)
        try c.encode(groups, forKey: .groups)
        try c.encode(summary, forKey: .summary)
    }

    public func count(_ status: GroupLagStatus) -> Int { groups.filter { $0.status == status }.count }
}
