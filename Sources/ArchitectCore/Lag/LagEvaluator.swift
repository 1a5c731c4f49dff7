// Burrow's status model, with its known false states fixed (docs/lag.md):
// - lag is recomputed against the log end at every reading, not only when the group commits;
// - a partition whose committed offset stopped moving while records arrived is STOP, even if its lag was zero at
//   the start of the window (Burrow calls that OK as long as the window holds one zero lag), and even when it
//   stopped in the middle of the window;
// - WARN needs the lag to have grown across the window (never falling between readings) and to be above a
//   minimum in records or seconds (Burrow warns at a lag of 11 records);
// - transaction markers after the committed offset are not lag (a caught-up exactly-once consumer is OK).
// No Kafka API gives commit times, so "stopped" and "stalled" are told apart by membership: a partition held by a
// live member of a Stable group that does not progress is STALL; one nobody holds is STOP. A figure that could
// not be read is unknown (null), never 0, and an SLO that needs it is not evaluated.

public struct LagEvaluator: Sendable {
    public var policy: LagPolicy

    public init(policy: LagPolicy = LagPolicy()) { self.policy = policy }

    /// The record positions whose timestamps give lag in seconds at `reading`: for each lagging partition, the
    /// committed offset (or the log start, when retention deleted the records at the committed offset).
    public static func positions(in reading: LagReading) -> Set<LagOffsetRef> {
        var out = Set<LagOffsetRef>()
        for (_, offsets) in reading.committed {
            for (ref, c) in offsets {
                guard let e = reading.logEnd[ref], c < e else { continue }
                out.insert(LagOffsetRef(ref, max(c, reading.logStart[ref] ?? c)))
            }
        }
        return out
    }

    public func evaluate(_ input: LagInput) -> LagReport {
        let groups = input.groups.map {
            group($0, input.readings, topic: input.topic, elsewhere: input.otherTopics[$0.groupId] ?? [])
        }.sorted { a, b in
            if a.status != b.status { return a.status > b.status }
            if (a.maxLagSeconds ?? -1) != (b.maxLagSeconds ?? -1) {
                return (a.maxLagSeconds ?? -1) > (b.maxLagSeconds ?? -1)
            }
            if (a.totalLag ?? -1) != (b.totalLag ?? -1) { return (a.totalLag ?? -1) > (b.totalLag ?? -1) }
            return a.groupId < b.groupId
        }
        let first = input.readings.first?.atMs ?? 0
        let last = input.readings.last?.atMs ?? 0
        var report = LagReport(
            takenAtMs: last, windowSeconds: input.readings.count > 1 ? Double(last - first) / 1000 : nil,
            readings: input.readings.count, complete: input.missing.isEmpty, missing: input.missing,
            unsupported: input.unsupported, groups: groups)
        report.summary["groups"] = groups.count
        for s in GroupLagStatus.allCases { report.summary[s.rawValue] = report.count(s) }
        return report
    }

    // MARK: One group

    /// Which partitions a group covers, who holds each, and those nobody holds.
    struct Coverage {
        var partitions: [LagPartitionRef] = []
        var owners: [LagPartitionRef: LagMember] = [:]
        /// Partitions of subscribed topics that no member holds.
        var unowned: [LagPartitionRef] = []
        /// Topics with committed offsets that no member is assigned (offsets kept after unsubscribing).
        var unsubscribed: [String] = []
        /// Whether who holds what is known: a Stable group's assignments, or a group known to have no members.
        var ownershipKnown = false
    }

    /// Assignments are trusted only in a Stable group that reports some (during a rebalance they are empty, and
    /// some brokers never report them).
    func coverage(_ g: LagGroupInfo, _ readings: [LagReading], topic: String? = nil) -> Coverage {
        var c = Coverage()
        var set = Set<LagPartitionRef>()
        for r in readings { set.formUnion(r.committed[g.groupId]?.keys ?? [:].keys) }
        let members = (g.members ?? []).map { m in
            var m = m
            if let topic { m.assignment = m.assignment.filter { $0.topic == topic } }
            return m
        }
        let assigned = (g.members ?? []).flatMap(\.assignment)
        let trusted =
            g.members != nil && (g.protocolType ?? "consumer") == "consumer" && g.state == "Stable"
            && !assigned.isEmpty
        c.ownershipKnown = trusted || (g.members != nil && members.isEmpty)
        guard trusted, let last = readings.last else {
            c.partitions = set.sorted()
            return c
        }
        for m in members {
            for p in m.assignment {
                c.owners[p] = m
                set.insert(p)
            }
        }
        let subscribed = Set(assigned.map(\.topic))
        c.unowned = last.logEnd.keys.filter { subscribed.contains($0.topic) && c.owners[$0] == nil }.sorted()
        set.formUnion(c.unowned)
        c.unsubscribed = Array(Set(set.map(\.topic)).subtracting(subscribed)).sorted()
        c.partitions = set.sorted()
        return c
    }

    // Long because: the group's figures, findings, SLO and the deciding rule are gathered in one pass.
    func group(_ g: LagGroupInfo, _ readings: [LagReading], topic: String? = nil, elsewhere: [String] = []) -> GroupLag
    {
        let cover = coverage(g, readings, topic: topic)
        var out = GroupLag(
            groupId: g.groupId, state: g.state, protocolType: g.protocolType, protocol: g.protocolName,
            members: g.members, membershipNote: g.membershipNote, status: .ok, rule: "", findings: [], partitions: [])
        guard let last = readings.last else {
            out.status = .unknown
            out.rule = "no reading"
            return out
        }
        if let why = last.unreadable[g.groupId] {
            out.status = .unknown
            out.rule = "committed offsets could not be read: \(why)"
            out.partitions = cover.partitions.map {
                PartitionLag(
                    topic: $0.topic, partition: $0.partition, owner: cover.owners[$0]?.memberId, status: .unknown,
                    rule: "committed offsets could not be read")
            }
            return out
        }
        let known = readings.contains { !($0.committed[g.groupId] ?? [:]).isEmpty }
        let gone = g.listed == false || (g.listed == nil && (g.state == nil || g.state == "Dead" || g.state == "Empty"))
        let heldElsewhere = Set((g.members ?? []).flatMap(\.assignment).map(\.topic)).subtracting([topic ?? ""])
        if let topic, !known, cover.partitions.isEmpty, !(elsewhere.isEmpty && heldElsewhere.isEmpty) {
            let on = Set(elsewhere).union(heldElsewhere).sorted().joined(separator: ", ")
            out.rule = "nothing on topic \(topic): the group commits to or is assigned only \(on)"
            out.findings.append(.init(severity: .warning, kind: "not-on-topic", message: out.rule))
            return out
        }
        if !known && (g.members ?? []).isEmpty && gone {
            out.status = .err
            out.rule = "group not found: it has no members and no committed offsets (check the name)"
            out.findings.append(.init(severity: .error, kind: "not-found", message: out.rule))
            return out
        }
        let unsubscribed = Set(cover.unsubscribed)
        out.partitions = cover.partitions.map {
            partition(
                $0, g, readings, owner: cover.owners[$0], ownershipKnown: cover.ownershipKnown,
                subscribed: !unsubscribed.contains($0.topic))
        }
        out.findings = findings(g, cover, last, out.partitions)
        let committed = out.partitions.filter { $0.committedOffset != nil }
        out.partitionsUnknown = committed.filter { $0.logEndOffset == nil }.count
        let lags = out.partitions.compactMap(\.lag)
        out.totalLag = out.partitionsUnknown > 0 || lags.isEmpty ? nil : lags.reduce(0, +)
        let ageUnknown = committed.contains { $0.lagSeconds == nil && $0.lag != 0 }
        out.maxLagSeconds = ageUnknown ? nil : out.partitions.compactMap(\.lagSeconds).max()
        if readings.count > 1 {
            let consume = out.partitions.compactMap(\.consumeRate)
            let produce = out.partitions.compactMap(\.produceRate)
            out.consumeRate = consume.isEmpty ? nil : consume.reduce(0, +)
            out.produceRate = produce.isEmpty ? nil : produce.reduce(0, +)
            (out.catchUpSeconds, out.catchUp) = Self.groupCatchUp(out.partitions)
        }
        out.slo = slo(for: g.groupId, out)
        if let s = out.slo, s.exceeded {
            out.findings.append(.init(severity: .error, kind: "slo", message: Self.describe(s)))
        }
        (out.status, out.rule) = decide(out, windowed: readings.count > 1)
        return out
    }

    /// The worst of: a partition in STOP, STALL or REWIND, an error finding, an SLO that could not be evaluated,
    /// a WARN; else OK.
    func decide(_ g: GroupLag, windowed: Bool) -> (GroupLagStatus, String) {
        let worst = g.partitions.filter { $0.status != nil }.max { a, b in
            let ra = a.status?.rank ?? 0
            let rb = b.status?.rank ?? 0
            if ra != rb { return ra < rb }
            if (a.lagSeconds ?? -1) != (b.lagSeconds ?? -1) { return (a.lagSeconds ?? -1) < (b.lagSeconds ?? -1) }
            return (a.lag ?? -1) < (b.lag ?? -1)
        }
        if let w = worst, let s = w.status, s.isError {
            return (.err, "\(w.topic)-\(w.partition): \(s.rawValue) — \(w.rule ?? "")")
        }
        if let f = g.findings.first(where: { $0.severity == .error }) { return (.err, f.message) }
        if let s = g.slo, !s.evaluated { return (.unknown, Self.describe(s)) }
        if let w = worst, w.status == .warn { return (.warn, "\(w.topic)-\(w.partition): WARN — \(w.rule ?? "")") }
        if let w = worst, w.status == .unknown {
            return (.ok, "no partition in error; \(w.topic)-\(w.partition) not evaluated: \(w.rule ?? "")")
        }
        if g.partitions.isEmpty { return (.ok, "no committed offsets and nothing assigned") }
        if !windowed {
            let slo = g.slo.map { "within the SLO (\(Self.describe($0)))" } ?? "no lag SLO given"
            return (.ok, "one reading: \(slo); give --window for a status")
        }
        return (.ok, "every partition is caught up or consuming without growing lag")
    }

    // MARK: One partition

    /// The partition's figures at the last reading: lag (data records) and the age of its oldest unconsumed record.
    func figures(_ p: inout PartitionLag, _ ref: LagPartitionRef, c: Int64, e: Int64, _ last: LagReading) {
        if c > e {
            p.rule = "the committed offset is beyond the log end: the consumer will reset (auto.offset.reset)"
            return
        }
        let position = LagOffsetRef(ref, max(c, last.logStart[ref] ?? c))
        if c == e {
            p.lag = 0
            p.lagSeconds = 0
        } else if let markers = last.controlOnly[position] {
            p.lag = 0
            p.lagSeconds = 0
            p.rule =
                "caught up: the \(num(markers)) record\(markers == 1 ? "" : "s") after the committed offset "
                + (markers == 1 ? "is a transaction marker" : "are transaction markers") + " (not data)"
        } else {
            p.lag = e - c
            if let ts = last.recordTimestamps[position] {
                let age = Double(last.atMs - ts) / 1000
                // A record from the future (the producer's clock ahead): its age is not known.
                p.lagSeconds = age >= 0 ? age : nil
                if age < 0 { p.timestampAheadSeconds = -age }
            }
        }
    }

    // Long because: the figures, then Burrow's rules in their order, and rates that mean nothing across a rewind.
    func partition(
        _ ref: LagPartitionRef, _ g: LagGroupInfo, _ readings: [LagReading], owner: LagMember?,
        ownershipKnown: Bool, subscribed: Bool
    ) -> PartitionLag {
        let last = readings[readings.count - 1]
        var p = PartitionLag(
            topic: ref.topic, partition: ref.partition, owner: owner?.memberId, clientId: owner?.clientId,
            host: owner?.host)
        let c = last.committed[g.groupId]?[ref]
        let e = last.logEnd[ref]
        p.committedOffset = c
        p.logEndOffset = e
        p.logStartOffset = last.logStart[ref]
        p.lagHistory = readings.map { r in
            guard let c = r.committed[g.groupId]?[ref], let e = r.logEnd[ref], c <= e else { return nil }
            return e - c
        }
        if let c, let e { figures(&p, ref, c: c, e: e, last) }
        if !subscribed {
            p.notSubscribed = true
            p.rule = "no member subscribes to \(ref.topic): its offsets are kept until they expire"
            return p
        }
        guard readings.count > 1 else { return p }
        let points: [(t: Int64, c: Int64, e: Int64)] = readings.compactMap { r in
            guard let c = r.committed[g.groupId]?[ref], let e = r.logEnd[ref] else { return nil }
            return (r.atMs, c, e)
        }
        guard points.count >= 2, let a = points.first, let b = points.last, b.t > a.t else {
            p.status = .unknown
            p.rule =
                c == nil
                ? "no committed offset: the consumer starts from auto.offset.reset"
                : "read in fewer than two readings"
            return p
        }
        let dt = Double(b.t - a.t) / 1000
        p.consumeRate = Double(b.c - a.c) / dt
        p.produceRate = Double(b.e - a.e) / dt
        var lag = points.map { max(0, $0.e - $0.c) }
        if p.lag == 0 { lag[lag.count - 1] = 0 }
        let verdict = status(points, lag: lag, lagSeconds: p.lagSeconds, owner: owner, ownershipKnown: ownershipKnown)
        p.status = verdict.status
        p.rule = p.rule.map { verdict.status == .ok ? $0 : verdict.rule + "; " + $0 } ?? verdict.rule
        if verdict.status == .rewind {
            // A rate across a rewind is no rate.
            p.consumeRate = nil
            p.catchUp = "unknown across a rewind"
        } else if let since = verdict.stuckSince {
            p.catchUp = "never: not consuming since reading \(since + 1)"
        } else {
            (p.catchUpSeconds, p.catchUp) = Self.catchUp(
                lag: lag[lag.count - 1], consume: p.consumeRate ?? 0, produce: p.produceRate ?? 0)
        }
        return p
    }

    struct Verdict {
        var status: PartitionLagStatus
        var rule: String
        /// The reading from which the committed offset stopped moving (STOP, STALL).
        var stuckSince: Int? = nil
    }

    // Long because: each rule names the figures that decided it.
    func status(
        _ points: [(t: Int64, c: Int64, e: Int64)], lag: [Int64], lagSeconds: Double?, owner: LagMember?,
        ownershipKnown: Bool
    ) -> Verdict {
        for i in 1..<points.count where points[i].c < points[i - 1].c {
            return Verdict(
                status: .rewind,
                rule:
                    "committed offset went back from \(num(points[i - 1].c)) to \(num(points[i].c)) between readings \(i) and \(i + 1)"
            )
        }
        let a = points[0]
        let b = points[points.count - 1]
        let lastLag = lag[lag.count - 1]
        if lastLag == 0 { return Verdict(status: .ok, rule: "caught up: lag 0 at the last reading") }
        let lastMove = (1..<points.count).last { points[$0].c != points[$0 - 1].c } ?? 0
        let still = points[lastMove]
        if lastMove == 0 || stillTooLong(points, lastMove: lastMove) {
            let window = Format.duration(Double(b.t - still.t) / 1000)
            let arrived = b.e - still.e
            let since = lastMove == 0 ? "" : " (it moved until reading \(lastMove + 1))"
            let zero = lag[lastMove] == 0 ? " (its lag was 0 at reading \(lastMove + 1))" : ""
            let what = arrived > 0 ? "while \(num(arrived)) records arrived" : "with lag \(num(lastLag))"
            if let owner {
                return Verdict(
                    status: .stall,
                    rule:
                        "member \(owner.memberId) holds it, but the committed offset stayed at \(num(b.c)) for \(window) \(what)\(since)\(zero)",
                    stuckSince: lastMove)
            }
            if arrived > 0 || ownershipKnown {
                let who = ownershipKnown ? "no member holds it; " : ""
                return Verdict(
                    status: .stop,
                    rule: "\(who)the committed offset stayed at \(num(b.c)) for \(window) \(what)\(since)\(zero)",
                    stuckSince: lastMove)
            }
            return Verdict(
                status: .stall,
                rule:
                    "the committed offset stayed at \(num(b.c)) with lag \(num(lastLag)) and no new records for \(window)\(since) "
                    + "(who holds it is unknown, so a stopped and a stalled consumer look alike)",
                stuckSince: lastMove)
        }
        let growing = lastLag > lag[0] && (1..<lag.count).allSatisfy { lag[$0] >= lag[$0 - 1] }
        let window = Format.duration(Double(b.t - a.t) / 1000)
        if growing {
            let aboveRecords = policy.warnMinRecords.map { lastLag >= $0 } ?? false
            let aboveSeconds = policy.warnMinSeconds.flatMap { m in lagSeconds.map { $0 >= m } } ?? false
            let minimum = [
                policy.warnMinRecords.map { "\(num($0)) records" }, policy.warnMinSeconds.map { Format.duration($0) },
            ].compactMap { $0 }.joined(separator: " or ")
            if aboveRecords || aboveSeconds {
                return Verdict(
                    status: .warn,
                    rule:
                        "lag grew from \(num(lag[0])) to \(num(lastLag)) over \(window) without falling, above the minimum of \(minimum)"
                )
            }
            return Verdict(
                status: .ok,
                rule:
                    "consuming; lag grew from \(num(lag[0])) to \(num(lastLag)) but is below the warning minimum of \(minimum)"
            )
        }
        return Verdict(
            status: .ok,
            rule: "consuming: the committed offset advanced by \(num(b.c - a.c)) and the lag is not growing")
    }

    /// Whether the committed offset, last moved at reading `lastMove`, has been still for longer than this consumer
    /// ever pauses: more than half the window (Burrow: no commit for longer than the window's commits span) *and*
    /// more than the longest earlier still stretch plus one reading interval. Readings only see a commit at the next
    /// reading, so a stretch measured between readings can be one interval short of the consumer's real commit
    /// interval; without that tolerance a consumer committing every half window turns STOP on a few milliseconds of
    /// jitter in the reading times.
    func stillTooLong(_ points: [(t: Int64, c: Int64, e: Int64)], lastMove: Int) -> Bool {
        let first = points[0].t
        let last = points[points.count - 1].t
        let spacing = (last - first) / Int64(points.count - 1)
        var longest: Int64 = 0
        var from = 0
        for i in 1...lastMove where points[i].c != points[i - 1].c {
            longest = max(longest, points[i].t - points[from].t)
            from = i
        }
        let still = last - points[lastMove].t
        return still * 2 > last - first && still > longest + spacing
    }

    // MARK: Findings, SLO, catch-up

    // Long because: one check per kind of finding, each naming its partitions.
    func findings(_ g: LagGroupInfo, _ cover: Coverage, _ last: LagReading, _ ps: [PartitionLag]) -> [LagFinding] {
        var out: [LagFinding] = []
        let committed = last.committed[g.groupId] ?? [:]
        for (ref, c) in committed.sorted(by: { $0.key < $1.key }) {
            if let start = last.logStart[ref], c < start {
                out.append(
                    .init(
                        severity: .error, kind: "data-lost",
                        message:
                            "\(ref.description): committed offset \(num(c)) is before the log start \(num(start)): "
                            + "\(num(start - c)) offsets (records, unless compacted or transactional) were deleted by "
                            + "retention before this group read them; the consumer resumes at the log start or the log "
                            + "end, as its auto.offset.reset says",
                        partitions: [ref]))
            }
            if let e = last.logEnd[ref], c > e {
                out.append(
                    .init(
                        severity: .error, kind: "beyond-log-end",
                        message:
                            "\(ref.description): committed offset \(num(c)) is beyond the log end \(num(e)) (the topic was "
                            + "recreated or truncated): the consumer will reset by auto.offset.reset",
                        partitions: [ref]))
            }
            if let lso = last.lastStable[ref], let e = last.logEnd[ref], lso < e {
                if c > lso {
                    out.append(
                        .init(
                            severity: .warning, kind: "read-uncommitted",
                            message:
                                "\(ref.description): committed offset \(num(c)) is past the last stable offset \(num(lso)): "
                                + "this group reads records of open transactions (isolation.level=read_uncommitted), "
                                + "which may still be aborted",
                            partitions: [ref]))
                } else if c == lso {
                    out.append(
                        .init(
                            severity: .warning, kind: "open-transaction",
                            message:
                                "\(ref.description): the committed offset is at the last stable offset \(num(lso)): an open "
                                + "transaction holds the \(num(e - lso)) records after it, which read_committed consumers "
                                + "cannot read until it ends (a hanging transaction blocks them)",
                            partitions: [ref]))
                }
            }
        }
        for p in ps {
            guard let ahead = p.timestampAheadSeconds else { continue }
            out.append(
                .init(
                    severity: .warning, kind: "clock-skew",
                    message:
                        "\(p.topic)-\(p.partition): the oldest unconsumed record's timestamp is \(Format.duration(ahead)) "
                        + "in the future (the producer's clock, or CreateTime set by the application): its age is unknown",
                    partitions: [LagPartitionRef(p.topic, p.partition)]))
        }
        if !cover.unowned.isEmpty {
            out.append(
                .init(
                    severity: .warning, kind: "unowned",
                    message:
                        "\(cover.unowned.count) partition(s) of the topics it consumes are held by no member: "
                        + cover.unowned.prefix(8).map(\.description).joined(separator: ", ")
                        + (cover.unowned.count > 8 ? ", …" : ""),
                    partitions: cover.unowned))
        }
        if !cover.unsubscribed.isEmpty {
            out.append(
                .init(
                    severity: .info, kind: "not-subscribed",
                    message:
                        "offsets kept for topics no member subscribes to: \(cover.unsubscribed.joined(separator: ", ")) "
                        + "(they expire after offsets.retention.minutes; not evaluated)"))
        }
        if let members = g.members, members.isEmpty, !committed.isEmpty {
            out.append(
                .init(
                    severity: .warning, kind: "no-members",
                    message:
                        "it has committed offsets but no members: nobody consumes, so its lag grows as records arrive"
                ))
        }
        return out
    }

    /// The SLO for a partition's topic: the service's own for that stream, the group's, else the default.
    func limit(_ group: String, _ topic: String) -> LagSLO? {
        policy.topicSLOs[group]?[topic] ?? policy.groupSLOs[group] ?? policy.defaultSLO
    }

    // Long because: seconds are judged per partition against its topic's limit, records on the group's total.
    func slo(for group: String, _ g: GroupLag) -> GroupSLOVerdict? {
        let judged = g.partitions.filter { $0.committedOffset != nil && !$0.notSubscribed }
        let secondsLimits = judged.compactMap { p -> (PartitionLag, Double, String)? in
            guard let s = limit(group, p.topic), case .seconds(let l) = s.limit else { return nil }
            return (p, l, s.source)
        }
        if !secondsLimits.isEmpty {
            // The partition furthest over (or least under) its limit speaks for the group.
            let known = secondsLimits.filter { $0.0.lagSeconds != nil || $0.0.lag == 0 }
            let worst = known.max { ($0.0.lagSeconds ?? 0) - $0.1 < ($1.0.lagSeconds ?? 0) - $1.1 }
            let unknown = known.count < secondsLimits.count
            guard let (p, limit, source) = worst ?? secondsLimits.first else { return nil }
            let v = worst.map { $0.0.lagSeconds ?? 0 }
            let over = v.map { $0 > limit } ?? false
            let unread = secondsLimits.map(\.0).filter { $0.lagSeconds == nil && $0.lag != 0 }
            let reason: String? =
                over || !unknown
                ? nil
                : unread.contains { $0.timestampAheadSeconds != nil }
                    ? "a record's timestamp is ahead of this machine's clock (producer clock skew): its age is unknown"
                    : unread.contains { $0.logEndOffset == nil }
                        ? "a partition's log end could not be read"
                        : "the timestamp of a record at a committed offset could not be read"
            return .init(
                evaluated: over || !unknown, unit: "seconds", limit: limit, source: "\(source), \(p.topic)",
                value: over || !unknown ? v : nil, exceeded: over, exceededBy: over ? (v ?? 0) - limit : nil,
                reason: reason)
        }
        guard let s = policy.groupSLOs[group] ?? policy.defaultSLO, case .records(let limit) = s.limit else {
            return nil
        }
        let knownSum = judged.compactMap(\.lag).reduce(0, +)
        let over = knownSum > limit
        let complete = g.totalLag != nil
        return .init(
            evaluated: over || complete, unit: "records", limit: Double(limit), source: s.source,
            value: over || complete ? Double(knownSum) : nil, exceeded: over,
            exceededBy: over ? Double(knownSum - limit) : nil, atLeast: over && !complete,
            reason: over || complete
                ? nil
                : "\(g.partitionsUnknown) partition\(g.partitionsUnknown == 1 ? "'s" : "s'") log end could not be read")
    }

    public static func describe(_ s: GroupSLOVerdict) -> String {
        let fmt: (Double) -> String = { s.unit == "seconds" ? Format.duration($0) : "\(num(Int64($0))) records" }
        let what = s.unit == "seconds" ? "oldest unconsumed record" : "total lag"
        guard let v = s.value else {
            return "SLO \(fmt(s.limit)) (\(s.source)) not evaluated: the \(what) is unknown (\(s.reason ?? "not read"))"
        }
        if s.exceeded {
            let atLeast = s.atLeast ? "at least " : ""
            let by = "\(atLeast)\(fmt(s.exceededBy ?? 0))"
            return "\(what) \(atLeast)\(fmt(v)) exceeds the SLO of \(fmt(s.limit)) (\(s.source)) by \(by)"
        }
        return "\(what) \(fmt(v)), SLO \(fmt(s.limit)) (\(s.source))"
    }

    /// Time to lag 0 at the window's rates, or why never.
    static func catchUp(lag: Int64, consume: Double, produce: Double) -> (Double?, String) {
        if lag == 0 { return (0, "caught up") }
        let net = consume - produce
        if net > 0 {
            let s = Double(lag) / net
            return (s, "in \(Format.duration(s)) at \(Format.grouped(net, decimals: 2)) records/s net")
        }
        if consume <= 0 { return (nil, "never: not consuming") }
        if net == 0 { return (nil, "never: consuming only as fast as records arrive") }
        return (nil, "never, falling behind at \(Format.grouped(-net, decimals: 2)) records/s")
    }

    /// A group catches up when its slowest partition does.
    static func groupCatchUp(_ ps: [PartitionLag]) -> (Double?, String?) {
        let lagging = ps.filter { ($0.lag ?? 0) > 0 && $0.catchUp != nil }
        if lagging.isEmpty { return ps.contains { $0.catchUp != nil } ? (0, "caught up") : (nil, nil) }
        // Of the partitions that never catch up, the one with the most lag is named, and how many more there are.
        let nevers = lagging.filter { $0.catchUpSeconds == nil }
        if let never = nevers.max(by: { ($0.lag ?? 0) < ($1.lag ?? 0) }) {
            let more =
                nevers.count == 1 ? "" : " (and \(nevers.count - 1) more partition\(nevers.count == 2 ? "" : "s"))"
            return (nil, "\(never.topic)-\(never.partition): \(never.catchUp ?? "")\(more)")
        }
        guard let worst = lagging.max(by: { ($0.catchUpSeconds ?? 0) < ($1.catchUpSeconds ?? 0) }),
            let s = worst.catchUpSeconds
        else { return (nil, nil) }
        return (s, "in \(Format.duration(s)) (\(worst.topic)-\(worst.partition) is the slowest)")
    }
}

/// A count with thousands separators.
func num(_ v: Int64) -> String { Format.grouped(Double(v), decimals: 0) }
