import ArchitectCore
import ArchitectReports
import Foundation
import Testing

@Suite struct LintReportTests {
    func findings() throws -> [LintFinding] {
        let text = "acks=1\nenable.idempotence=false\nacks=all\n"
        let unit = ConfigUnit.fromProperties(try PropertiesParser.parse(text), file: "app.properties", kind: .producer)
        return Linter().lint([unit])
    }

    @Test func sarifHasOneResultPerFindingWithItsRuleAndLine() throws {
        let found = try findings()
        try #require(!found.isEmpty)
        let sarif = try LintRenderer().sarif(found, errors: [], rules: LintRules.all, profile: .balanced)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == found.map(\.ruleId))
        let lines = results.compactMap {
            (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]).flatMap {
                ($0["region"] as? [String: Any])?["startLine"] as? Int
            }
        }
        // Findings about the whole file (line 0) carry no region; the others their line.
        #expect(lines == found.map(\.line).filter { $0 > 0 })
        #expect(found.contains { $0.line == 0 } && found.contains { $0.line > 0 })
    }

    @Test func textNamesFileLineSeverityAndRule() throws {
        let found = try findings()
        let text = LintRenderer().text(
            found, errors: [.init(file: "gone.properties", line: 0, message: "no such file")], filesChecked: 2)
        #expect(text.hasPrefix("gone.properties: no such file\n"))
        for f in found {
            let place = f.line > 0 ? "app.properties:\(f.line):" : "app.properties:"
            #expect(text.contains("\(place) \(f.severity.rawValue) [\(f.ruleId)]"))
        }
    }
}
