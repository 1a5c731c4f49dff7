import Foundation
import Testing
import Yams

/// `lint` against real configuration files from public projects (Tests/Fixtures/lint-corpus), each
/// with the findings an expert expects and those that would be wrong, written by hand from reading
/// the file (README.md there says how). Every expectation not marked `missed` must hold, no listed
/// wrong finding may come back, and recall and precision over the corpus must meet the targets.
@Suite struct LintCorpusTests {
    struct Expectation {
        let rule: String
        let line: Int?
        let missed: Bool
    }

    struct Entry {
        let file: String
        let args: [String]
        let kind: String
        let expect: [Expectation]
        let allow: [Expectation]
        let wrong: [Expectation]
    }

    static let root = "Tests/Fixtures/lint-corpus"

    static func entries() throws -> [Entry] {
        let text = try String(contentsOfFile: "\(root)/expectations.yaml", encoding: .utf8)
        let list = try #require(try Yams.load(yaml: text) as? [[String: Any]])
        func expectations(_ value: Any?) -> [Expectation] {
            ((value as? [[String: Any]]) ?? []).map {
                Expectation(
                    rule: $0["rule"] as? String ?? "", line: $0["line"] as? Int,
                    missed: $0["status"] as? String == "missed")
            }
        }
        return list.map {
            Entry(
                file: $0["file"] as? String ?? "", args: ($0["args"] as? [String]) ?? [],
                kind: $0["kind"] as? String ?? "",
                expect: expectations($0["expect"]), allow: expectations($0["allow"]), wrong: expectations($0["wrong"]))
        }
    }

    struct Finding {
        let rule: String
        let line: Int
    }

    struct Outcome {
        var expected = 0, found = 0, missedKnown = 0
        var printed = 0, unexpected = 0
        var failures: [String] = []
        var unexpectedFindings: [String] = []
    }

    /// Matches each expectation to a distinct finding (rule, and line when given), lined ones first.
    static func score(_ entry: Entry, findings: [Finding], into o: inout Outcome) {
        var pool = findings
        func take(_ e: Expectation) -> Bool {
            guard let i = pool.firstIndex(where: { $0.rule == e.rule && (e.line == nil || e.line == $0.line) })
            else { return false }
            pool.remove(at: i)
            return true
        }
        for e in entry.expect.sorted(by: { ($0.line == nil ? 1 : 0) < ($1.line == nil ? 1 : 0) }) {
            o.expected += 1
            if take(e) {
                o.found += 1
            } else if e.missed {
                o.missedKnown += 1
            } else {
                o.failures.append(
                    "\(entry.file): expected \(e.rule)\(e.line.map { " at line \($0)" } ?? "") is missing")
            }
        }
        for w in entry.wrong
        where findings.contains(where: { $0.rule == w.rule && (w.line == nil || w.line == $0.line) }) {
            o.failures.append("\(entry.file): \(w.rule) is listed as a wrong finding but was reported")
        }
        o.printed += findings.count
        for f in pool where !entry.allow.contains(where: { $0.rule == f.rule && ($0.line == nil || $0.line == f.line) })
        {
            o.unexpected += 1
            o.unexpectedFindings.append("\(entry.file):\(f.line) \(f.rule)")
        }
    }

    @Test func corpusHoldsAtLeastFortyRealFiles() throws {
        let entries = try Self.entries()
        #expect(entries.count >= 40)
        let readme = try String(contentsOfFile: "\(Self.root)/README.md", encoding: .utf8)
        for e in entries {
            #expect(FileManager.default.fileExists(atPath: "\(Self.root)/files/\(e.file)"), "\(e.file)")
            #expect(readme.contains(e.file), "\(e.file) has no source row in the corpus README")
        }
    }

    /// Same input, byte-identical output, over every kind of real file (a Set's order changes per process).
    @Test func outputIsIdenticalAcrossRuns() throws {
        let files = try Self.entries().map { "\(Self.root)/files/\($0.file)" }
        let args = ["lint"] + files + ["--format", "json", "--fail-on", "never"]
        let runs = try (0..<3).map { _ in try CLIRunner.run(args).stdout }
        #expect(!runs[0].isEmpty)
        #expect(runs[1] == runs[0] && runs[2] == runs[0])
        let text = try (0..<2).map { _ in try CLIRunner.run(["lint"] + files + ["--fail-on", "never"]).stdout }
        #expect(text[1] == text[0])
    }

    @Test func lintFindsWhatAnExpertExpectsAndNothingWrong() throws {
        var outcome = Outcome()
        for entry in try Self.entries() {
            let path = "\(Self.root)/files/\(entry.file)"
            let r = try CLIRunner.run(["lint", path, "--format", "json", "--fail-on", "never"] + entry.args)
            #expect(r.status == 0, "\(entry.file): exit \(r.status) \(r.stderr)")
            let json = try CLIRunner.json(r.stdout)
            let findings = ((json["findings"] as? [[String: Any]]) ?? []).map {
                Finding(rule: $0["ruleId"] as? String ?? "", line: $0["line"] as? Int ?? -1)
            }
            let kinds = Set(((json["configurations"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String })
            switch entry.kind {
            case "skip":
                #expect(kinds.isEmpty && findings.isEmpty, "\(entry.file) should be skipped: \(kinds)")
                #expect(((json["notices"] as? [Any]) ?? []).count >= 1, "\(entry.file): no notice")
            case "script":
                #expect(kinds == ["topic"], "\(entry.file): \(kinds)")
            default:
                #expect(kinds.contains(entry.kind), "\(entry.file) detected as \(kinds), expected \(entry.kind)")
            }
            Self.score(entry, findings: findings, into: &outcome)
        }
        for f in outcome.failures { Issue.record("\(f)") }
        let recall = Double(outcome.found) / Double(max(1, outcome.expected))
        let wrongShare = Double(outcome.unexpected) / Double(max(1, outcome.printed))
        print(
            "lint corpus: \(outcome.found)/\(outcome.expected) expected findings (recall \(Int((recall * 1000).rounded()) / 10)%), "
                + "\(outcome.unexpected)/\(outcome.printed) printed findings neither expected nor allowed (\(Int((wrongShare * 1000).rounded()) / 10)%)"
        )
        for u in outcome.unexpectedFindings { print("  not expected: \(u)") }
        #expect(recall >= 0.9, "recall \(recall)")
        #expect(wrongShare <= 0.03, "wrong share \(wrongShare)")
    }
}
