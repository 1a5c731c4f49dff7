import ArchitectCore
import ArchitectReports
import Foundation
import Testing

/// FastJSON must write exactly what ReportJSON (Foundation's JSONEncoder) writes: the oracle is Foundation.
@Suite struct FastJSONTests {
    struct Odd: Encodable {
        var text = "tab\tquote\" back\\ slash/ nl\n bell\u{07} del\u{7F} é 日本"
        var numbers: [Double] = [0, -0.0, 0.1, 1e-05, 75.2, 1e20, 123_456_789.125, .infinity, -.infinity, 3]
        var ints: [Int64] = [Int64.min, -1, 0, Int64.max]
        var empty: [String] = []
        var emptyObject: [String: Int] = [:]
        var nested: [String: [String: Int?]] = ["b": ["y": nil, "x": 1], "a": [:]]
        var optional: String? = nil
        var flag = true
        var small: Float = 0.5
    }

    @Test func sameBytesAsFoundation() throws {
        #expect(try FastJSON.encode(Odd()) == ReportJSON.encode(Odd()))
    }

    @Test func sameBytesForALagReport() throws {
        let t = LagPartitionRef("orders\u{1B}[31m", 0)
        var readings: [LagReading] = []
        for i in 0..<3 {
            var r = LagReading(atMs: 1_000_000 + Int64(i) * 1000)
            r.committed["billing/€"] = [t: 10 + Int64(i)]
            r.logEnd[t] = 100 + Int64(i) * 7
            r.logStart[t] = 0
            r.recordTimestamps[LagOffsetRef(t, 12)] = 990_000
            readings.append(r)
        }
        var policy = LagPolicy()
        policy.defaultSLO = LagSLO(limit: .seconds(2.5), source: "--max-lag")
        let member = LagMember(memberId: "m", clientId: "c", host: "/h", assignment: [t])
        var input = LagInput(
            groups: [
                LagGroupInfo(groupId: "billing/€", state: "Stable", protocolType: "consumer", members: [member]),
                LagGroupInfo(groupId: "gone"),
            ], readings: readings)
        input.unsupported = ["DescribeGroups"]
        let report = LagEvaluator(policy: policy).evaluate(input)
        #expect(try FastJSON.encode(report) == ReportJSON.encode(report))
        // The lag renderer's own field-by-field writer, too; and with a window of one reading (no windowSeconds).
        #expect(try LagRenderer().json(report) == ReportJSON.encode(report))
        var one = LagInput(groups: input.groups, readings: [readings[2]])
        one.missing = ["OffsetFetch for group gone: broker 2 down"]
        let single = LagEvaluator(policy: policy).evaluate(one)
        #expect(try LagRenderer().json(single) == ReportJSON.encode(single))
    }
}

/// The text and Markdown lag reports: worst group first, each partition's rule, the SLO verdict.
@Suite struct LagRendererTests {
    func report() -> LagReport {
        let t = LagPartitionRef("orders", 0)
        var readings: [LagReading] = []
        for (i, (c, e)) in [(100, 100), (100, 110), (100, 120)].enumerated() {
            var r = LagReading(atMs: 1_000_000 + Int64(i) * 1000)
            r.committed["stopped"] = [t: Int64(c)]
            r.committed["fine"] = [t: Int64(e)]
            r.logEnd[t] = Int64(e)
            r.recordTimestamps[LagOffsetRef(t, 100)] = 1_000_000
            readings.append(r)
        }
        var policy = LagPolicy()
        policy.defaultSLO = LagSLO(limit: .seconds(60), source: "--max-lag")
        return LagEvaluator(policy: policy).evaluate(
            LagInput(groups: [LagGroupInfo(groupId: "fine"), LagGroupInfo(groupId: "stopped")], readings: readings))
    }

    @Test func textPutsTheWorstGroupFirstAndNamesEachRule() {
        let text = LagRenderer().text(report())
        let stopped = text.range(of: "ERR stopped")
        let fine = text.range(of: "OK  fine")
        #expect(stopped != nil && fine != nil)
        if let stopped, let fine { #expect(stopped.lowerBound < fine.lowerBound) }
        #expect(text.contains("orders-0: STOP — the committed offset stayed at 100 for 2 s while 20 records arrived"))
        #expect(text.contains("SLO: oldest unconsumed record 2 s, SLO 1 min (--max-lag, orders)"))
    }

    @Test func aPartialTotalIsALowerBoundInTheTextAndTheSLO() {
        // Two partitions: orders-0 lags 470 (read), orders-1's log end could not be read.
        let p0 = LagPartitionRef("orders", 0)
        let p1 = LagPartitionRef("orders", 1)
        var r = LagReading(atMs: 1_000_000)
        r.committed["billing"] = [p0: 30, p1: 10]
        r.logEnd[p0] = 500
        var policy = LagPolicy()
        policy.defaultSLO = LagSLO(limit: .records(400), source: "--max-lag")
        let report = LagEvaluator(policy: policy).evaluate(
            LagInput(groups: [LagGroupInfo(groupId: "billing")], readings: [r]))
        #expect(report.groups[0].totalLag == nil && report.groups[0].maxLagSeconds == nil)
        let text = LagRenderer().text(report)
        #expect(text.contains("lag at least 470 records (1 partition unread)"))
        #expect(
            text.contains("total lag at least 470 records exceeds the SLO of 400 records (--max-lag) by at least 70"))
        #expect(report.groups[0].slo?.atLeast == true)
        #expect((try? LagRenderer().json(report)) == (try? ReportJSON.encode(report)))
        // Under the limit with a partition unread, the records SLO is not evaluated, and says why.
        policy.defaultSLO = LagSLO(limit: .records(1000), source: "--max-lag")
        let open = LagEvaluator(policy: policy).evaluate(
            LagInput(groups: [LagGroupInfo(groupId: "billing")], readings: [r]))
        #expect(open.groups[0].slo?.evaluated == false)
        #expect(
            LagRenderer().text(open).contains(
                "not evaluated: the total lag is unknown (1 partition's log end could not be read)"))
    }

    @Test func aTimestampAheadOfTheClockIsNamedAsSkewInTheSLO() {
        let t = LagPartitionRef("orders", 0)
        var r = LagReading(atMs: 1_000_000)
        r.committed["billing"] = [t: 10]
        r.logEnd[t] = 20
        r.recordTimestamps[LagOffsetRef(t, 10)] = 1_000_000 + 90_000
        var policy = LagPolicy()
        policy.defaultSLO = LagSLO(limit: .seconds(30), source: "--max-lag")
        let report = LagEvaluator(policy: policy).evaluate(
            LagInput(groups: [LagGroupInfo(groupId: "billing")], readings: [r]))
        #expect(report.groups[0].status == .unknown)
        #expect(report.groups[0].slo?.reason?.contains("ahead of this machine's clock") == true)
        #expect(report.windowSeconds == nil)
        #expect((try? ReportJSON.encode(report))?.contains("\"windowSeconds\" : null") == true)
        #expect((try? LagRenderer().json(report)) == (try? ReportJSON.encode(report)))
    }

    @Test func markdownHasOneRowPerGroupAndEscapesPipes() {
        let md = LagRenderer().markdown(report())
        #expect(md.contains("| ERR | stopped |"))
        #expect(md.contains("| OK | fine |"))
        #expect(md.hasPrefix("# Consumer lag: 2 groups over 2 s (3 readings) — 1 ERR, 1 OK"))
    }
}
