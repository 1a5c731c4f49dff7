import Testing

@testable import ArchitectCore

/// Every rule carries an example that fires it and one that does not; this runs them all.
@Suite struct LintRuleTests {
    static func units(_ example: RuleExample) throws -> [ConfigUnit] {
        try example.documents.enumerated().map { i, doc in
            var unit = ConfigUnit.fromProperties(
                try PropertiesParser.parse(doc.text), file: "example-\(i).properties", kind: doc.kind)
            unit.name = example.name
            return unit
        }
    }

    static func findings(_ rule: LintRule, _ example: RuleExample) throws -> [LintFinding] {
        var linter = Linter()
        linter.rules = [rule]
        linter.brokers = rule.exampleContext.brokers
        linter.zones = rule.exampleContext.zones
        linter.naming = rule.exampleContext.naming
        linter.version = example.version ?? .default
        linter.profile = LintProfile.allCases.first { rule.severity(for: $0) != nil } ?? .balanced
        linter.processingTime = 0.05
        return linter.lint(try units(example)).filter { $0.ruleId == rule.id }
    }

    @Test func catalogHasAtLeastSixtyRulesWithUniqueIDs() {
        #expect(LintRules.all.count >= 60)
        #expect(Set(LintRules.all.map(\.id)).count == LintRules.all.count)
        for category in LintCategory.allCases {
            #expect(LintRules.all.contains { $0.category == category }, "no \(category) rule")
        }
    }

    @Test(arguments: LintRules.all.map(\.id))
    func ruleFiresOnItsExample(id: String) throws {
        let rule = try #require(LintRules.rule(id))
        let fired = try Self.findings(rule, rule.fires)
        #expect(!fired.isEmpty, "\(id) did not fire on its example")
        for f in fired {
            #expect(!f.message.isEmpty)
            #expect(f.line >= 0)
        }
    }

    @Test(arguments: LintRules.all.map(\.id))
    func ruleIsQuietOnItsPassingExample(id: String) throws {
        let rule = try #require(LintRules.rule(id))
        let fired = try Self.findings(rule, rule.passes)
        #expect(fired.isEmpty, "\(id) fired on its passing example: \(fired.map(\.message))")
    }

    @Test(arguments: LintRules.all.map(\.id))
    func ruleIsDocumented(id: String) throws {
        let rule = try #require(LintRules.rule(id))
        #expect(rule.id.hasPrefix("KA-\(rule.category.code)-"))
        #expect(!rule.rationale.isEmpty && !rule.fix.isEmpty && !rule.title.isEmpty)
        #expect(
            rule.documentation.hasPrefix("https://kafka.apache.org/documentation/#")
                || rule.documentation.hasPrefix("https://strimzi.io/docs/operators/latest/"))
    }
}

@Suite struct LinterTests {
    func lint(
        _ text: String, kind: ConfigKind? = nil, profile: LintProfile = .balanced, version: KafkaVersion = .default
    ) throws -> [LintFinding] {
        var linter = Linter()
        linter.profile = profile
        linter.version = version
        return linter.lint([
            ConfigUnit.fromProperties(try PropertiesParser.parse(text), file: "a.properties", kind: kind)
        ])
    }

    @Test func absentKeysTakeTheVersionsDefault() throws {
        // acks defaults to all from 3.0 but to 1 before.
        #expect(try !lint("key.serializer=x\n", version: KafkaVersion(3, 9)).contains { $0.ruleId == "KA-DUR-001" })
        #expect(try lint("key.serializer=x\n", version: KafkaVersion(2, 8)).contains { $0.ruleId == "KA-DUR-001" })
    }

    @Test func profilesChangeSeverity() throws {
        let balanced = try lint("acks=1\n").first { $0.ruleId == "KA-DUR-001" }
        let durability = try lint("acks=1\n", profile: .durability).first { $0.ruleId == "KA-DUR-001" }
        #expect(balanced?.severity == .warning)
        #expect(durability?.severity == .error)
    }

    @Test func suppressionWithAReasonSilencesTheNextKey() throws {
        let text = "# kafka-architect:disable KA-DUR-001 metrics producer, loss acceptable\nacks=1\n"
        #expect(try !lint(text).contains { $0.ruleId == "KA-DUR-001" })
    }

    @Test func suppressionWithoutAReasonIsIgnoredAndReported() throws {
        let f = try lint("# kafka-architect:disable KA-DUR-001\nacks=1\n")
        #expect(f.contains { $0.ruleId == "KA-DUR-001" })
        #expect(f.contains { $0.ruleId == "KA-OPS-000" && $0.line == 1 })
    }

    @Test func kindIsDetectedFromKeys() throws {
        func kind(_ t: String) throws -> ConfigKind {
            ConfigUnit.fromProperties(try PropertiesParser.parse(t), file: "x").kind
        }
        #expect(try kind("acks=all\nkey.serializer=x\n") == .producer)
        #expect(try kind("group.id=g\nenable.auto.commit=false\n") == .consumer)
        #expect(try kind("process.roles=broker\nnode.id=1\nlisteners=SSL://:9093\n") == .broker)
        #expect(try kind("cleanup.policy=compact\nsegment.bytes=1\n") == .topic)
        #expect(try kind("application.id=a\nprocessing.guarantee=exactly_once_v2\n") == .streams)
        #expect(try kind("bootstrap.servers=k:9092\n") == .admin)
    }

    @Test func librdkafkaFilesAreRecognisedAndMapped() throws {
        let unit = ConfigUnit.fromProperties(
            try PropertiesParser.parse("queue.buffering.max.ms=0\nrequest.required.acks=1\n"), file: "x.conf")
        #expect(unit.dialect == .librdkafka)
        #expect(unit.kind == .producer)
        var linter = Linter()
        linter.profile = .throughput
        let f = linter.lint([unit])
        let acks = try #require(f.first { $0.ruleId == "KA-DUR-001" })
        #expect(acks.configs == ["acks"])
        #expect(f.contains { $0.ruleId == "KA-PERF-001" })
        // librdkafka's idempotence default is false, unlike the Java client's.
        #expect(f.contains { $0.ruleId == "KA-DUR-002" })
    }

    @Test func controllerOnlyNodesSkipTopicRules() throws {
        let controller = try lint("process.roles=controller\nnode.id=1\nlisteners=CONTROLLER://:9094\n")
        #expect(!controller.contains { $0.ruleId == "KA-DUR-009" || $0.ruleId == "KA-OPS-001" })
        let broker = try lint("process.roles=broker\nnode.id=1\nlisteners=SASL_SSL://:9093\n")
        #expect(broker.contains { $0.ruleId == "KA-DUR-009" })
    }

    @Test func secretsAreNeverEchoed() throws {
        let f = try lint(
            "group.id=g\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cr3t\";\nssl.key.password=hunter2\n"
        )
        let secrets = f.filter { $0.ruleId == "KA-SEC-007" }
        #expect(secrets.count == 2)
        for finding in f { #expect(!finding.message.contains("s3cr3t") && !finding.message.contains("hunter2")) }
    }
}
