import ArchitectCore
import ArchitectReports
import Foundation
import Testing

@Suite struct ReportJSONTests {
    struct Sample: Encodable {
        let zeta: Double
        let alpha: String
        let path: String
    }

    @Test func sortedKeysUnescapedSlashesAndNonFiniteAsStrings() throws {
        let json = try ReportJSON.encode(Sample(zeta: .infinity, alpha: "a", path: "docs/plan.md"))
        #expect(json.hasSuffix("}\n"))
        #expect(json.contains("\"zeta\" : \"Infinity\""))
        #expect(json.contains("docs/plan.md"))
        let alpha = try #require(json.range(of: "\"alpha\""))
        let zeta = try #require(json.range(of: "\"zeta\""))
        #expect(alpha.lowerBound < zeta.lowerBound)
    }

    /// The live key report once merged two JSON documents through JSONSerialization with a force cast;
    /// now one typed document: every member of the plain report, plus `live`.
    @Test func liveKeyReportIsThePlainReportPlusLive() throws {
        var analyzer = KeyAnalyzer(partitioner: .java, partitions: 4, whatIf: [])
        for i in 0..<400 { analyzer.add(Array("user-\(i % 37)".utf8)) }
        let report = analyzer.report(top: 5, alpha: 0.01, detectableSkew: 0.1, saltBuckets: nil)
        let detection = PartitionerDetector.detect([], partitions: 4)
        let live = LiveKeySample(
            topic: "clicks", sampledRecords: 400, partitionCount: 4, notes: ["partition 3: leader 2 unreachable"],
            batchesByCodec: ["zstd": 3], detection: detection,
            placement: KeyPlacement.choose(given: nil, detected: detection))
        let renderer = KeyReportRenderer()
        func object(_ text: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }
        let plain = try object(try renderer.json(report))
        let merged = try object(try renderer.json(report, live: live))
        #expect(Set(merged.keys) == Set(plain.keys).union(["live"]))
        for key in plain.keys {
            #expect(
                try JSONSerialization.data(withJSONObject: [merged[key]], options: .sortedKeys)
                    == JSONSerialization.data(withJSONObject: [plain[key]], options: .sortedKeys),
                "member \(key) differs")
        }
        let liveDoc = try #require(merged["live"] as? [String: Any])
        #expect(liveDoc["topic"] as? String == "clicks")
        #expect(liveDoc["notes"] as? [String] == ["partition 3: leader 2 unreachable"])
        #expect(liveDoc["batchesByCodec"] as? [String: Int] == ["zstd": 3])
        let heading = renderer.liveHeading(live)
        #expect(heading.hasPrefix("Topic clicks: 400 newest records sampled from 4 partitions\n"))
        #expect(heading.contains("Compression: zstd 3 batches\nnote: partition 3: leader 2 unreachable\n\n"))
        #expect(
            heading.contains(
                "Placement: keys placed with java (the Java client's default): no partitioner could be detected\n"))
        #expect((liveDoc["placement"] as? [String: Any])?["source"] as? String == "fallback")
    }
}
