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
