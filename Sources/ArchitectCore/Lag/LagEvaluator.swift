// Burrow's status model, with its known false states fixed (docs/lag.md):
// - lag is recomputed against the log end at every reading, not only when the group commits;
// - a partition whose committed offset never moved while records arrived is STOP, even if its lag was zero at
//   the start of the window (Burrow calls that OK as long as the window holds one zero lag);
// - WARN needs the lag to have grown across the window (never falling between readings) and to be above a
//   minimum in records or seconds (Burrow warns at a lag of 11 records).
// No Kafka API gives commit times, so "stopped" and "stalled" are told apart by membership: a partition held by a
// live member that does not progress is STALL; one nobody holds is STOP.

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
                let start = reading.logStart[ref] ?? c
                out.insert(LagOffsetRef(ref, max(c, start)))
            }
        }
        return out
    }

    public func evaluate(_ input: LagInput) -> LagReport {
        let groups = input.groups.map { group($0, input.readings) }.sorted { a, b in
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
        var unowned: [LagPartitionRef] = []
    }

    func coverage(_ g: LagGroupInfo, _ readings: [LagReading]) -> Coverage {
        var c = Coverage()
        var set = Set<LagPartitionRef>()
        for r in readings { set.formUnion(r.committed[g.groupId]?.keys ?? [:].keys) }
        for m in g.members ?? [] {
            for p in m.assignment {
                c.owners[p] = m
                set.insert(p)
            }
        }
        if let members = g.members, !members.isEmpty, (g.protocolType ?? "consumer") == "consumer",
            let last = readings.last
        {
            let topics = Set(set.map(\.topic))
            c.unowned = last.logEnd.keys.filter { topics.contains($0.topic) && c.owners[$0] == nil }.sorted()
            set.formUnion(c.unowned)
        }
        c.partitions = set.sorted()
        return c
    }

    // Long because: the group's figures, findings, SLO and the deciding rule are gathered in one pass.
    func group(_ g: LagGroupInfo, _ readings: [LagReading]) -> GroupLag {
        let cover = coverage(g, readings)
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
        if !known && (g.members ?? []).isEmpty && g.listed != true && (g.state == nil || g.state == "Dead") {
            out.status = .err
            out.state = g.state ?? "Dead"
            out.rule = "group not found: it has no members and no committed offsets (check the name)"
            out.findings.append(.init(severity: .error, kind: "not-found", message: out.rule))
            return out
        }
        out.partitions = cover.partitions.map {
            partition($0, g, readings, owner: cover.owners[$0], membersKnown: g.members != nil)
        }
        out.findings = findings(g, cover, last)
        let lags = out.partitions.compactMap(\.lag)
        out.totalLag = lags.isEmpty ? nil : lags.reduce(0, +)
        out.maxLagSeconds = out.partitions.compactMap(\.lagSeconds).max()
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

    /// The worst of: an error finding, a partition in STOP, STALL or REWIND, a WARN; else OK.
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

    // Long because: Burrow's rules are checked in their order (rewind, caught up, no progress, growing lag), each
    // naming the figures that decided it.
    func partition(
        _ ref: LagPartitionRef, _ g: LagGroupInfo, _ readings: [LagReading], owner: LagMember?, membersKnown: Bool
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
            guard let c = r.committed[g.groupId]?[ref], let e = r.logEnd[ref] else { return nil }
            return max(0, e - c)
        }
        if let c, let e {
            p.lag = max(0, e - c)
            if c >= e {
                p.lagSeconds = 0
            } else if let ts = last.recordTimestamps[LagOffsetRef(ref, max(c, last.logStart[ref] ?? c))] {
                p.lagSeconds = max(0, Double(last.atMs - ts) / 1000)
            }
        }
        guard readings.count > 1 else { return p }
        // The readings where both offsets are known.
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
        let lag = points.map { max(0, $0.e - $0.c) }
        (p.catchUpSeconds, p.catchUp) = Self.catchUp(
            lag: lag[lag.count - 1], consume: p.consumeRate ?? 0, produce: p.produceRate ?? 0)
        (p.status, p.rule) = status(
            points, lag: lag, lagSeconds: p.lagSeconds, owner: owner, membersKnown: membersKnown, dt: dt)
        return p
    }

    // Long because: each rule names the figures that decided it.
    func status(
        _ points: [(t: Int64, c: Int64, e: Int64)], lag: [Int64], lagSeconds: Double?, owner: LagMember?,
        membersKnown: Bool, dt: Double
    ) -> (PartitionLagStatus, String) {
        for i in 1..<points.count where points[i].c < points[i - 1].c {
            return (
                .rewind,
                "committed offset went back from \(num(points[i - 1].c)) to \(num(points[i].c)) between readings \(i) and \(i + 1)"
            )
        }
        let a = points[0]
        let b = points[points.count - 1]
        let lastLag = lag[lag.count - 1]
        if lastLag == 0 { return (.ok, "caught up: lag 0 at the last reading") }
        let window = Format.duration(dt)
        if b.c == a.c {
            let arrived = b.e - a.e
            let zero = lag.first == 0 ? " (its lag was 0 at the first reading)" : ""
            if let owner {
                return (
                    .stall,
                    "member \(owner.memberId) holds it, but the committed offset stayed at \(num(b.c)) for \(window) "
                        + (arrived > 0 ? "while \(num(arrived)) records arrived" : "with lag \(num(lastLag))") + zero
                )
            }
            if arrived > 0 {
                let who = membersKnown ? "no member holds it; " : ""
                return (
                    .stop,
                    "\(who)the committed offset stayed at \(num(b.c)) for \(window) while \(num(arrived)) records arrived\(zero)"
                )
            }
            if membersKnown {
                return (
                    .stop,
                    "no member holds it; the committed offset stayed at \(num(b.c)) with lag \(num(lastLag)) for \(window)"
                )
            }
            return (
                .stall,
                "the committed offset stayed at \(num(b.c)) with lag \(num(lastLag)) and no new records for \(window) "
                    + "(membership unknown, so a stopped and a stalled consumer look alike)"
            )
        }
        let growing = lastLag > lag[0] && (1..<lag.count).allSatisfy { lag[$0] >= lag[$0 - 1] }
        if growing {
            let aboveRecords = policy.warnMinRecords.map { lastLag >= $0 } ?? false
            let aboveSeconds = policy.warnMinSeconds.flatMap { m in lagSeconds.map { $0 >= m } } ?? false
            let minimum = [
                policy.warnMinRecords.map { "\(num($0)) records" }, policy.warnMinSeconds.map { Format.duration($0) },
            ]
            .compactMap { $0 }.joined(separator: " or ")
            if aboveRecords || aboveSeconds {
                return (
                    .warn,
                    "lag grew from \(num(lag[0])) to \(num(lastLag)) over \(window) without falling, above the minimum of \(minimum)"
                )
            }
            return (
                .ok,
                "consuming; lag grew from \(num(lag[0])) to \(num(lastLag)) but is below the warning minimum of \(minimum)"
            )
        }
        return (.ok, "consuming: the committed offset advanced by \(num(b.c - a.c)) and the lag is not growing")
    }

    // MARK: Findings, SLO, catch-up

    func findings(_ g: LagGroupInfo, _ cover: Coverage, _ last: LagReading) -> [LagFinding] {
        var out: [LagFinding] = []
        let committed = last.committed[g.groupId] ?? [:]
        for (ref, c) in committed.sorted(by: { $0.key < $1.key }) {
            if let start = last.logStart[ref], c < start {
                out.append(
                    .init(
                        severity: .error, kind: "data-lost",
                        message:
                            "\(ref.description): committed offset \(num(c)) is before the log start \(num(start)): "
                            + "\(num(start - c)) records were deleted by retention before this group read them",
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
            if let lso = last.lastStable[ref], let e = last.logEnd[ref], lso < e, c > lso {
                out.append(
                    .init(
                        severity: .warning, kind: "read-uncommitted",
                        message:
                            "\(ref.description): committed offset \(num(c)) is past the last stable offset \(num(lso)): this "
                            + "group reads records of open transactions (isolation.level=read_uncommitted), which may "
                            + "still be aborted",
                        partitions: [ref]))
            }
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

    func slo(for group: String, _ g: GroupLag) -> GroupSLOVerdict? {
        guard let s = policy.groupSLOs[group] ?? policy.defaultSLO else { return nil }
        switch s.limit {
        case .seconds(let limit):
            let v = g.maxLagSeconds
            let over = v.map { $0 > limit } ?? false
            return .init(
                unit: "seconds", limit: limit, source: s.source, value: v, exceeded: over,
                exceededBy: over ? (v ?? 0) - limit : nil)
        case .records(let limit):
            let v = g.totalLag
            let over = v.map { $0 > limit } ?? false
            return .init(
                unit: "records", limit: Double(limit), source: s.source, value: v.map(Double.init), exceeded: over,
                exceededBy: over ? Double((v ?? 0) - limit) : nil)
        }
    }

    public static func describe(_ s: GroupSLOVerdict) -> String {
        let fmt: (Double) -> String = { s.unit == "seconds" ? Format.duration($0) : "\(num(Int64($0))) records" }
        let what = s.unit == "seconds" ? "oldest unconsumed record" : "total lag"
        guard let v = s.value else { return "SLO \(fmt(s.limit)) (\(s.source)): \(what) unknown" }
        if s.exceeded {
            return "\(what) \(fmt(v)) exceeds the SLO of \(fmt(s.limit)) (\(s.source)) by \(fmt(s.exceededBy ?? 0))"
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
        let lagging = ps.filter { ($0.lag ?? 0) > 0 }
        if lagging.isEmpty { return ps.isEmpty ? (nil, nil) : (0, "caught up") }
        if let never = lagging.first(where: { $0.catchUpSeconds == nil && $0.catchUp != nil }) {
            return (nil, "\(never.topic)-\(never.partition): \(never.catchUp ?? "")")
        }
        guard let worst = lagging.max(by: { ($0.catchUpSeconds ?? 0) < ($1.catchUpSeconds ?? 0) }),
            let s = worst.catchUpSeconds
        else { return (nil, nil) }
        return (s, "in \(Format.duration(s)) (\(worst.topic)-\(worst.partition) is the slowest)")
    }
}

/// A count with thousands separators.
func num(_ v: Int64) -> String { Format.grouped(Double(v), decimals: 0) }
