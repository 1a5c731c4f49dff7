import Testing

@testable import ArchitectCore

/// Hand-made readings: each expectation is worked out in the test from the offsets it wrote.
@Suite struct LagEvaluatorTests {
    let t = LagPartitionRef("orders", 0)

    /// Readings one second apart from t0, with (committed, log end) per reading for group `g` on `orders-0`.
    func readings(_ points: [(c: Int64, e: Int64)], group: String = "g", start: Int64 = 1_000_000) -> [LagReading] {
        points.enumerated().map { i, p in
            var r = LagReading(atMs: start + Int64(i) * 1000)
            r.committed[group] = [t: p.c]
            r.logEnd[t] = p.e
            r.logStart[t] = 0
            return r
        }
    }

    func evaluate(
        _ rs: [LagReading], group: LagGroupInfo = LagGroupInfo(groupId: "g"), policy: LagPolicy = LagPolicy()
    ) -> GroupLag {
        let report = LagEvaluator(policy: policy).evaluate(LagInput(groups: [group], readings: rs))
        return report.groups[0]
    }

    @Test func oneReadingGivesFiguresAndTheSLOVerdictOnly() {
        var rs = readings([(c: 40, e: 100)])
        // The record at the committed offset was written 75 s before the reading.
        rs[0].recordTimestamps[LagOffsetRef(t, 40)] = rs[0].atMs - 75_000
        var policy = LagPolicy()
        policy.defaultSLO = LagSLO(limit: .seconds(30), source: "--max-lag")
        let g = evaluate(rs, policy: policy)
        #expect(g.totalLag == 60)
        #expect(g.maxLagSeconds == 75)
        #expect(g.partitions[0].status == nil)
        #expect(g.status == .err)
        #expect(g.slo?.exceededBy == 45)
        #expect(g.rule.contains("exceeds the SLO of 30 s"))

        policy.defaultSLO = LagSLO(limit: .seconds(120), source: "--max-lag")
        #expect(evaluate(rs, policy: policy).status == .ok)
        policy.defaultSLO = LagSLO(limit: .records(50), source: "--max-lag")
        let byRecords = evaluate(rs, policy: policy)
        #expect(byRecords.status == .err)
        #expect(byRecords.slo?.exceededBy == 10)
    }

    @Test func caughtUpIsOK() {
        let g = evaluate(readings([(10, 20), (20, 30), (30, 40), (40, 40)]))
        #expect(g.partitions[0].status == .ok)
        #expect(g.status == .ok)
        #expect(g.partitions[0].catchUp == "caught up")
    }

    @Test func growingLagAboveTheMinimumWarns() {
        // Lag 1000, 1500, 2000, 2500: growing, never falling, above 1000 records.
        let points: [(c: Int64, e: Int64)] = [(0, 1000), (500, 2000), (1000, 3000), (1500, 4000)]
        let g = evaluate(readings(points))
        #expect(g.partitions[0].status == .warn)
        #expect(g.status == .warn)
        // Consumed 1500 and produced 3000 in 3 s: 500/s against 1000/s.
        #expect(g.partitions[0].consumeRate == 500)
        #expect(g.partitions[0].produceRate == 1000)
        #expect(g.partitions[0].catchUp == "never, falling behind at 500 records/s")
        #expect(g.partitions[0].catchUpSeconds == nil)
    }

    @Test func growingLagBelowTheMinimumStaysOK() {
        // Burrow warns here (lag 11); the minimum of 1000 records keeps it quiet.
        let g = evaluate(readings([(0, 5), (1, 8), (2, 11), (3, 14)]))
        #expect(g.partitions[0].status == .ok)
        var policy = LagPolicy()
        policy.warnMinRecords = 5
        #expect(evaluate(readings([(0, 5), (1, 8), (2, 11), (3, 14)]), policy: policy).partitions[0].status == .warn)
    }

    @Test func aLagThatFellOnceIsNotWarned() {
        var policy = LagPolicy()
        policy.warnMinRecords = 1
        let g = evaluate(readings([(0, 100), (50, 200), (190, 250), (200, 400)]), policy: policy)
        #expect(g.partitions[0].status == .ok)
    }

    @Test func catchUpTimeFromTheWindowRates() {
        // Consumed 30 in 3 s (10/s), produced 15 (5/s); lag 50 at the end: 50 / (10 - 5) = 10 s.
        let g = evaluate(readings([(0, 35), (10, 40), (20, 45), (30, 80)]))
        let p = g.partitions[0]
        #expect(p.lag == 50)
        #expect(p.consumeRate == 10)
        #expect(p.produceRate == 15)
        // 15 produced over 3 s is 15/s here: (80 - 35) / 3; falling behind by 5/s.
        #expect(p.catchUp == "never, falling behind at 5 records/s")
        let g2 = evaluate(readings([(0, 60), (10, 65), (20, 70), (30, 75)]))
        // Consumed 30 (10/s), produced 15 (5/s), lag 45: 45 / 5 = 9 s.
        #expect(g2.partitions[0].catchUpSeconds == 9)
    }

    @Test func theGroupCatchUpNamesTheNeverPartitionWithTheMostLag() {
        // orders-0 stuck at 90 of 100 (lag 10), orders-1 at 40 of 100 (lag 60), orders-2 caught up: the group never
        // catches up, and the partition to name is orders-1, not the first one listed.
        let parts: [(p: Int32, c: Int64)] = [(0, 90), (1, 40), (2, 100)]
        let rs = (0..<3).map { i -> LagReading in
            var r = LagReading(atMs: 1_000_000 + Int64(i) * 1000)
            for (p, c) in parts {
                let ref = LagPartitionRef("orders", p)
                r.committed["g", default: [:]][ref] = c
                r.logEnd[ref] = 100
                r.logStart[ref] = 0
            }
            return r
        }
        let g = evaluate(rs)
        #expect(g.catchUpSeconds == nil)
        #expect(g.catchUp == "orders-1: never: not consuming since reading 1 (and 1 more partition)")
    }

    @Test func stoppedWhileRecordsArriveIsSTOPEvenAfterAZeroLag() {
        // Burrow's false OK: the window starts at lag 0, then the consumer stops and records arrive.
        let g = evaluate(readings([(100, 100), (100, 110), (100, 120), (100, 130)]))
        #expect(g.partitions[0].status == .stop)
        #expect(g.status == .err)
        #expect(g.rule.contains("30 records arrived"))
        #expect(g.rule.contains("its lag was 0 at reading 1"))
    }

    @Test func lagIsRecomputedAgainstTheCurrentLogEnd() {
        // No commit in the window: the lag still follows the log end at every reading.
        let g = evaluate(readings([(100, 120), (100, 150), (100, 190)]))
        #expect(g.partitions[0].lagHistory == [20, 50, 90])
        #expect(g.totalLag == 90)
    }

    @Test func heldButNotProgressingIsSTALL() {
        let member = LagMember(memberId: "m-1", clientId: "billing-1", host: "/10.0.0.1", assignment: [t])
        let group = LagGroupInfo(
            groupId: "g", state: "Stable", protocolType: "consumer", protocolName: "range", members: [member])
        let g = evaluate(readings([(5, 20), (5, 20), (5, 20)]), group: group)
        #expect(g.partitions[0].status == .stall)
        #expect(g.partitions[0].owner == "m-1")
        #expect(g.status == .err)
    }

    @Test func nobodyHoldsItAndItIsBehindIsSTOP() {
        let group = LagGroupInfo(groupId: "g", state: "Empty", protocolType: "consumer", members: [])
        let g = evaluate(readings([(5, 20), (5, 20), (5, 20)]), group: group)
        #expect(g.partitions[0].status == .stop)
        #expect(g.findings.contains { $0.kind == "no-members" })
    }

    @Test func unknownMembershipAndNoNewRecordsIsSTALL() {
        let g = evaluate(readings([(5, 20), (5, 20), (5, 20)]))
        #expect(g.partitions[0].status == .stall)
        #expect(g.partitions[0].rule?.contains("who holds it is unknown") == true)
    }

    @Test func anOffsetThatWentBackIsREWIND() {
        let g = evaluate(readings([(50, 100), (60, 110), (20, 120), (30, 130)]))
        #expect(g.partitions[0].status == .rewind)
        #expect(g.rule.contains("from 60 to 20 between readings 2 and 3"))
    }

    @Test func recordsLostToRetentionAreCounted() {
        var rs = readings([(100, 1000)])
        rs[0].logStart[t] = 400
        // The oldest unconsumed record that still exists is the one at the log start.
        rs[0].recordTimestamps[LagOffsetRef(t, 400)] = rs[0].atMs - 10_000
        #expect(LagEvaluator.positions(in: rs[0]) == [LagOffsetRef(t, 400)])
        let g = evaluate(rs)
        let lost = g.findings.first { $0.kind == "data-lost" }
        #expect(lost?.message.contains("300 offsets (records, unless compacted or transactional) were deleted") == true)
        #expect(g.status == .err)
        #expect(g.maxLagSeconds == 10)
    }

    @Test func beyondTheLogEndAndReadUncommitted() {
        var rs = readings([(120, 100)])
        #expect(evaluate(rs).findings.contains { $0.kind == "beyond-log-end" })
        rs = readings([(95, 100)])
        rs[0].lastStable[t] = 90
        let g = evaluate(rs)
        #expect(g.findings.contains { $0.kind == "read-uncommitted" })
        #expect(g.status == .ok)
    }

    @Test func partitionsNobodyOwnsAreListed() {
        let p1 = LagPartitionRef("orders", 1)
        var rs = readings([(10, 10)])
        rs[0].logEnd[p1] = 50
        let member = LagMember(memberId: "m-1", assignment: [t])
        let g = evaluate(
            rs, group: LagGroupInfo(groupId: "g", state: "Stable", protocolType: "consumer", members: [member]))
        let unowned = g.findings.first { $0.kind == "unowned" }
        #expect(unowned?.partitions == [p1])
        #expect(g.partitions.count == 2)
    }

    @Test func anUnknownGroupAndAnUnreadableOne() {
        var r = LagReading(atMs: 1)
        r.unreadable["down"] = "broker 2: connection refused"
        let report = LagEvaluator().evaluate(
            LagInput(groups: [LagGroupInfo(groupId: "nosuch"), LagGroupInfo(groupId: "down")], readings: [r]))
        let nosuch = report.groups.first { $0.groupId == "nosuch" }
        let down = report.groups.first { $0.groupId == "down" }
        #expect(nosuch?.status == .err)
        #expect(nosuch?.findings.first?.kind == "not-found")
        #expect(down?.status == .unknown)
        // Worst first: ERR before UNKNOWN.
        #expect(report.groups.map(\.groupId) == ["nosuch", "down"])
    }

    @Test func sameInputSameReport() {
        let rs = readings([(0, 1000), (500, 2000), (1000, 3000)])
        let input = LagInput(groups: [LagGroupInfo(groupId: "g")], readings: rs)
        #expect(LagEvaluator().evaluate(input) == LagEvaluator().evaluate(input))
    }

    @Test func transactionMarkersAfterTheCommitAreNotLag() {
        // A read_committed consumer commits past the data; the marker at 245 is all that is left.
        var rs = readings([(245, 246), (245, 246), (245, 246)])
        rs[2].controlOnly[LagOffsetRef(t, 245)] = 1
        let g = evaluate(rs)
        #expect(g.partitions[0].lag == 0)
        #expect(g.partitions[0].lagSeconds == 0)
        #expect(g.partitions[0].status == .ok)
        #expect(g.partitions[0].rule?.contains("transaction marker") == true)
        #expect(g.status == .ok)
    }

    @Test func anUnreadTimestampIsUnknownNotZero() {
        var policy = LagPolicy()
        policy.defaultSLO = LagSLO(limit: .seconds(30), source: "--max-lag")
        let g = evaluate(readings([(10, 18)]), policy: policy)
        #expect(g.partitions[0].lag == 8)
        #expect(g.partitions[0].lagSeconds == nil)
        #expect(g.maxLagSeconds == nil)
        #expect(g.slo?.evaluated == false)
        #expect(g.slo?.exceeded == false)
        #expect(g.status == .unknown)
        #expect(g.rule.contains("not evaluated"))
    }

    @Test func anUnreadPartitionMakesTheTotalUnknown() {
        let p1 = LagPartitionRef("orders", 1)
        var rs = readings([(0, 285)])
        rs[0].committed["g"]?[p1] = 100
        rs[0].recordTimestamps[LagOffsetRef(t, 0)] = rs[0].atMs - 1000
        var policy = LagPolicy()
        policy.defaultSLO = LagSLO(limit: .records(1000), source: "--max-lag")
        let g = evaluate(rs, policy: policy)
        #expect(g.totalLag == nil)
        #expect(g.partitionsUnknown == 1)
        #expect(g.slo?.evaluated == false)
        #expect(g.status == .unknown)
        // A known part already over the limit is a breach whatever the rest is.
        policy.defaultSLO = LagSLO(limit: .records(200), source: "--max-lag")
        let over = evaluate(rs, policy: policy)
        #expect(over.slo?.exceeded == true)
        #expect(over.status == .err)
    }

    @Test func aConsumerThatStoppedMidWindowIsSTOP() {
        // Committing until reading 2, then nothing while 500 records per reading arrive: lag 0, 0, 300, 800, 1300.
        let g = evaluate(readings([(0, 0), (500, 500), (500, 800), (500, 1300), (500, 1800)]))
        #expect(g.partitions[0].lagHistory == [0, 0, 300, 800, 1300])
        #expect(g.partitions[0].status == .stop)
        #expect(g.partitions[0].rule?.contains("moved until reading 2") == true)
        #expect(g.partitions[0].catchUp == "never: not consuming since reading 2")
        // Moving until the second-to-last reading is still consuming.
        let moving = evaluate(readings([(0, 100), (50, 150), (100, 200), (150, 250), (150, 260)]))
        #expect(moving.partitions[0].status == .ok)
        // Committing every other reading (a commit interval of half the window): still for exactly half the
        // window is not a stop.
        let halfway = evaluate(readings([(0, 100), (0, 110), (50, 120), (50, 130), (50, 140)]))
        #expect(halfway.partitions[0].status == .ok)
    }

    @Test func jitterInTheReadingTimesDoesNotTurnAHalfWindowCommitterIntoSTOP() {
        // A consumer committing every 5 s read over a 10 s window: its one commit lands at the middle reading, and
        // the readings drift by a few milliseconds (0, 2.5, 4.99, 7.5, 10.02 s). Still for 5.03 s, a hair over half
        // the window, but no longer than its earlier 4.99 s pause plus one reading interval: still consuming.
        var rs = readings([(0, 100), (0, 110), (50, 120), (50, 130), (50, 140)])
        for (i, at) in [Int64(0), 2500, 4990, 7500, 10_020].enumerated() { rs[i].atMs = 1_000_000 + at }
        let g = evaluate(rs)
        #expect(g.partitions[0].status == .ok)
        // The same readings with the consumer gone after its first commit (still for 7.52 s, longer than its
        // 2.5 s pause plus one 2.5 s interval) are a stop.
        var stopped = readings([(0, 100), (50, 110), (50, 120), (50, 130), (50, 140)])
        for (i, at) in [Int64(0), 2500, 4990, 7500, 10_020].enumerated() { stopped[i].atMs = 1_000_000 + at }
        #expect(evaluate(stopped).partitions[0].status == .stop)
    }

    @Test func aTimestampFromTheFutureIsNotAZeroAge() {
        var rs = readings([(10, 13)])
        rs[0].recordTimestamps[LagOffsetRef(t, 10)] = rs[0].atMs + 600_000
        let g = evaluate(rs)
        #expect(g.partitions[0].lagSeconds == nil)
        #expect(g.findings.contains { $0.kind == "clock-skew" && $0.message.contains("10 min in the future") })
    }

    @Test func aRebalancingGroupHasNoUnownedPartitions() {
        // During PreparingRebalance assignments are empty: nobody is "unowned", the offsets keep moving: OK.
        let member = LagMember(memberId: "m-1", assignment: [])
        let group = LagGroupInfo(groupId: "g", state: "PreparingRebalance", protocolType: "consumer", members: [member])
        let g = evaluate(readings([(0, 10), (10, 20), (20, 30)]), group: group)
        #expect(!g.findings.contains { $0.kind == "unowned" })
        #expect(g.partitions[0].status == .ok)
    }

    @Test func offsetsOfATopicNobodySubscribesToAreNotJudged() {
        let old = LagPartitionRef("legacy", 0)
        var rs = readings([(5, 5), (5, 5)])
        for i in rs.indices {
            rs[i].committed["g"]?[old] = 3
            rs[i].logEnd[old] = 90 + Int64(i) * 10
        }
        let member = LagMember(memberId: "m-1", assignment: [t])
        let g = evaluate(
            rs, group: LagGroupInfo(groupId: "g", state: "Stable", protocolType: "consumer", members: [member]))
        #expect(g.findings.contains { $0.kind == "not-subscribed" && $0.message.contains("legacy") })
        #expect(g.partitions.first { $0.topic == "legacy" }?.status == nil)
        #expect(g.status == .ok)
    }

    @Test func slosPerTopic() {
        let ledger = LagPartitionRef("ledger", 0)
        var r = LagReading(atMs: 1_000_000)
        r.committed["g"] = [t: 0, ledger: 0]
        r.logEnd = [t: 1, ledger: 1]
        r.recordTimestamps = [LagOffsetRef(t, 0): 1_000_000 - 30_000, LagOffsetRef(ledger, 0): 1_000_000 - 1_000]
        var policy = LagPolicy()
        // orders may be an hour behind, ledger 2 s: the 30 s orders record is fine, nothing breaches.
        policy.topicSLOs["g"] = [
            "orders": LagSLO(limit: .seconds(3600), source: "orders SLO"),
            "ledger": LagSLO(limit: .seconds(2), source: "ledger SLO"),
        ]
        #expect(evaluate([r], policy: policy).status == .ok)
        r.recordTimestamps[LagOffsetRef(ledger, 0)] = 1_000_000 - 5_000
        let g = evaluate([r], policy: policy)
        #expect(g.status == .err)
        #expect(g.slo?.limit == 2)
        #expect(g.slo?.exceededBy == 3)
    }

    @Test func beyondTheLogEndHasNoLagAndARewindNoRate() {
        let beyond = evaluate(readings([(120, 100)]))
        #expect(beyond.partitions[0].lag == nil)
        #expect(beyond.totalLag == nil || beyond.totalLag == 0)
        let rewind = evaluate(readings([(50, 100), (20, 110), (30, 120)]))
        #expect(rewind.partitions[0].consumeRate == nil)
    }

    @Test func anUnlistedEmptyGroupIsNotFound() {
        let g = evaluate(
            [LagReading(atMs: 1)], group: LagGroupInfo(groupId: "nosuch", state: "Empty", members: [], listed: false))
        #expect(g.status == .err)
        #expect(g.findings.first?.kind == "not-found")
    }

    @Test func aGroupWithOffsetsOnlyOnAnotherTopicIsNotCalledNotFound() {
        // `--group g --topic orders`: the group commits to `payments` only (the collector left those offsets out),
        // and one member holds `payments-0`. It exists; it has nothing on `orders`.
        let payments = LagPartitionRef("payments", 0)
        let member = LagMember(memberId: "m1", clientId: "c", host: "h", assignment: [payments])
        var input = LagInput(
            groups: [LagGroupInfo(groupId: "g", state: "Stable", members: [member], listed: true)],
            readings: [LagReading(atMs: 1)])
        input.topic = "orders"
        input.otherTopics = ["g": ["payments"]]
        let g = LagEvaluator().evaluate(input).groups[0]
        #expect(g.status == .ok)
        #expect(g.partitions.isEmpty)  // payments-0 is not evaluated under --topic orders
        #expect(g.findings.map(\.kind) == ["not-on-topic"])
        #expect(g.rule.contains("nothing on topic orders") && g.rule.contains("payments"))
        // Without offsets or members anywhere, an unlisted group is still not found.
        input.groups = [LagGroupInfo(groupId: "g", state: "Empty", members: [], listed: false)]
        input.otherTopics = [:]
        #expect(LagEvaluator().evaluate(input).groups[0].findings.first?.kind == "not-found")
    }

    @Test func aConsumerBlockedAtAnOpenTransaction() {
        var rs = readings([(90, 100)])
        rs[0].lastStable[t] = 90
        #expect(evaluate(rs).findings.contains { $0.kind == "open-transaction" && $0.message.contains("10 records") })
    }

    @Test func resetPlanClampsAndCounts() {
        let plan = OffsetResetPlan.make(
            group: "g", topic: "orders", target: .shift(-500), partitions: [0, 1, 2],
            committed: [0: 1000, 1: 300], logStart: [0: 0, 1: 100, 2: 0], logEnd: [0: 2000, 1: 400, 2: 50])
        // p0: 1000 - 500 = 500, replays 500; p1: 300 - 500 → clamped to the log start 100, replays 200;
        // p2: no committed offset, shifts from the log start 0 → 0.
        #expect(plan.rows.map(\.newOffset) == [500, 100, 0])
        #expect(plan.replayed == 700)
        #expect(plan.skipped == 0)
        #expect(plan.rows[1].note == "clamped to the log start 100")
        let latest = OffsetResetPlan.make(
            group: "g", topic: "orders", target: .latest, partitions: [0], committed: [0: 1000], logStart: [0: 0],
            logEnd: [0: 2000])
        #expect(latest.skipped == 1000)
        let huge = OffsetResetPlan.make(
            group: "g", topic: "orders", target: .shift(Int64.max), partitions: [0], committed: [0: 10],
            logStart: [0: 0], logEnd: [0: 20])
        #expect(huge.rows[0].newOffset == 20)
    }
}
