import Foundation
import Testing

/// `lint` on the inputs people really have (issue 13): mixed Kubernetes YAML, every Strimzi kind
/// and how they link, kinds shown in every output, non-Kafka files skipped, listeners resolved,
/// placeholders, and broken input reported one line each while the rest is still reviewed.
@Suite(.serialized) struct LintInputTests {
    func temp(_ contents: String, suffix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ka-in-\(UUID().uuidString)\(suffix)")
            .path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func lint(_ args: [String]) throws -> (status: Int32, json: [String: Any], findings: [[String: Any]]) {
        let r = try CLIRunner.run(["lint"] + args + ["--format", "json", "--fail-on", "never"])
        let json = try CLIRunner.json(r.stdout)
        return (r.status, json, json["findings"] as? [[String: Any]] ?? [])
    }

    func ids(_ findings: [[String: Any]], name: String? = nil) -> [String] {
        findings.filter { name == nil || $0["name"] as? String == name }.compactMap { $0["ruleId"] as? String }
    }

    static let cluster = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: metrics
        data:
          x: "1"
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaNodePool
        metadata:
          name: brokers
          labels:
            strimzi.io/cluster: prod
        spec:
          replicas: 2
          roles: [broker]
          storage:
            type: persistent-claim
            size: 100Gi
            deleteClaim: true
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaNodePool
        metadata:
          name: controllers
          labels:
            strimzi.io/cluster: prod
        spec:
          replicas: 2
          roles: [controller]
          storage:
            type: ephemeral
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: Kafka
        metadata:
          name: prod
        spec:
          kafka:
            version: 4.1.0
            listeners:
              - name: tls
                port: 9093
                type: internal
                tls: true
                authentication:
                  type: tls
            authorization:
              type: simple
            config:
              min.insync.replicas: 1
              default.replication.factor: 2
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: orders
          labels:
            strimzi.io/cluster: prod
        spec:
          partitions: 3
          replicas: 3
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: unlabelled
        spec:
          partitions: 4
          replicas: 2
        """

    @Test func mixedKubernetesYamlIsReviewedAndLinked() throws {
        let path = try temp(Self.cluster, suffix: ".yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, json, findings) = try lint([path])
        #expect(status == 0)
        let notices = json["notices"] as? [[String: Any]] ?? []
        #expect(notices.count == 1)
        #expect((notices.first?["message"] as? String)?.contains("ConfigMap 'metrics'") == true)
        #expect(notices.first?["line"] as? Int == 1)
        // Node pools give the broker count: RF 3 on 2 brokers; the Kafka's min ISR 1 is the topic's default.
        #expect(ids(findings, name: "orders").contains("KA-AVL-013"))
        let isr = findings.first { $0["ruleId"] as? String == "KA-DUR-006" && $0["name"] as? String == "orders" }
        #expect((isr?["message"] as? String)?.contains("from the cluster's config") == true)
        // Two controllers: an even quorum, reported once on the controller pool's replicas (line 29).
        let quorum = findings.filter { $0["ruleId"] as? String == "KA-AVL-009" }
        #expect(
            quorum.count == 1 && quorum.first?["line"] as? Int == 29
                && quorum.first?["name"] as? String == "controllers")
        #expect(ids(findings, name: "brokers").contains("KA-OPS-009"))
        #expect(ids(findings, name: "controllers").contains("KA-DUR-021"))
        #expect(ids(findings, name: "unlabelled").contains("KA-OPS-010"))
        #expect(!ids(findings, name: "orders").contains("KA-OPS-010"))
        // spec.kafka.version 4.1 selects the 4.x rules; mTLS listener and authorization: no security finding.
        #expect(!ids(findings, name: "prod").contains { $0.hasPrefix("KA-SEC-") })
        let kinds = (json["configurations"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds == ["nodepool", "nodepool", "broker", "topic", "topic"])
    }

    @Test func strimziVersionSelectsTheVersionRules() throws {
        let path = try temp(
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata:
              name: old
            spec:
              kafka:
                version: 4.0.0
                listeners: []
              zookeeper:
                replicas: 3
            """, suffix: ".yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let findings = try lint([path]).findings
        let zk = findings.first { $0["ruleId"] as? String == "KA-UPG-007" }
        #expect(zk?["severity"] as? String == "error" && zk?["line"] as? Int == 9)
        #expect(!ids(findings).contains("KA-UPG-001"))
    }

    @Test func aBrokenDocumentIsNamedAndTheOthersAreReviewed() throws {
        let path = try temp(
            Self.cluster.replacingOccurrences(of: "  name: unlabelled", with: "  name: [unclosed"), suffix: ".yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["lint", path])
        #expect(r.status == 2)
        let text = try String(contentsOfFile: path, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let broken = try #require(text.firstIndex { $0.contains("[unclosed") }) + 1
        let errors = r.stdout.split(separator: "\n").filter { $0.hasPrefix("\(path):") && !$0.contains("[KA-") }
        #expect(errors.count == 1, "\(errors)")
        let line = errors.first.flatMap { Int($0.dropFirst(path.count + 1).prefix { $0.isNumber }) } ?? 0
        #expect((broken...(broken + 3)).contains(line), "error at \(line), document at \(broken)")
        #expect(r.stdout.contains("[KA-AVL-013]"), "the other documents are still reviewed")
    }

    @Test func directoriesBinariesAndNonKafkaFilesAreOneLineEach() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ka-dir-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let log4j = try temp(
            "log4j.rootLogger=INFO, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\n",
            suffix: ".properties")
        let zk = try temp("dataDir=/var/zk\nclientPort=2181\nmaxClientCnxns=0\n", suffix: ".properties")
        let other = try temp("{\"tasks\": []}\n", suffix: ".json")
        let good = try temp("acks=1\n", suffix: ".properties")
        defer { for p in [dir, log4j, zk, other, good] { try? FileManager.default.removeItem(atPath: p) } }
        let r = try CLIRunner.run(["lint", dir, log4j, zk, other, good, "--fail-on", "never"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("\(dir): is a directory"))
        #expect(r.stdout.contains("notice: \(log4j): not a Kafka configuration: a log4j logging configuration"))
        #expect(r.stdout.contains("notice: \(zk): not a Kafka configuration: a ZooKeeper server configuration"))
        #expect(r.stdout.contains("notice: \(other): not a Kafka configuration"))
        #expect(r.stdout.contains("reviewed \(good) as producer (keys: acks)"))
        #expect(r.stdout.contains("\(good):1: warning [KA-DUR-001] acks=1"))
        #expect(!r.stdout.contains("\(log4j):1") && !r.stdout.contains("\(zk):1"), "no finding on skipped files")
    }

    @Test func kindIsShownInTextJsonAndSarif() throws {
        let path = try temp("bootstrap.servers=k:9092\ncompression.type=none\n", suffix: ".properties")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = try CLIRunner.run(["lint", path])
        #expect(text.stdout.hasPrefix("reviewed \(path) as producer (keys: compression.type)\n"))
        let (_, json, findings) = try lint([path])
        #expect((json["configurations"] as? [[String: Any]])?.first?["kind"] as? String == "producer")
        #expect(!findings.isEmpty && findings.allSatisfy { $0["kind"] as? String == "producer" })
        let sarif = try CLIRunner.json(try CLIRunner.run(["lint", path, "--format", "sarif"]).stdout)
        let results = ((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        #expect(!results.isEmpty)
        #expect(results.allSatisfy { ($0["properties"] as? [String: Any])?["kind"] as? String == "producer" })
        // A finding about an unset key is worded so and located at the file: no region.
        let unset = findings.first { ($0["message"] as? String)?.contains("not set (default") == true }
        #expect(unset?["line"] as? Int == 0)
    }

    @Test func listenersResolveThroughTheProtocolMap() throws {
        let path = try temp(
            """
            process.roles=broker,controller
            node.id=1
            controller.quorum.voters=1@a:9094,2@b:9094,3@c:9094
            listeners=INTERNAL://0.0.0.0:9092,LOCAL://127.0.0.1:9095,EXTERNAL://:9093,CONTROLLER://:9094
            listener.security.protocol.map=INTERNAL:PLAINTEXT,LOCAL:PLAINTEXT,EXTERNAL:SASL_PLAINTEXT,CONTROLLER:SSL
            controller.listener.names=CONTROLLER
            sasl.enabled.mechanisms=PLAIN
            """, suffix: ".properties")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let findings = try lint([path]).findings
        func message(_ id: String) -> String {
            findings.first { $0["ruleId"] as? String == id }?["message"] as? String ?? ""
        }
        #expect(message("KA-SEC-001").contains("INTERNAL://0.0.0.0:9092 (PLAINTEXT)"))
        #expect(!message("KA-SEC-001").contains("LOCAL"), "loopback only")
        #expect(message("KA-SEC-003").contains("EXTERNAL://:9093"))
        #expect(message("KA-SEC-015").contains("CONTROLLER://:9094 is SSL without client authentication"))
    }

    @Test func placeholdersAreNeverPasswordsAndLiteralsAlwaysAre() throws {
        let path = try temp(
            """
            clusters=A,B
            A.bootstrap.servers=a:9092
            B.bootstrap.servers=b:9092
            A.security.protocol=SASL_SSL
            A.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="mm" password="s3cret";
            B.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="mm" password="${file:/etc/mm.properties:b}";
            ssl.truststore.password={{ TRUSTSTORE_PASSWORD }}
            ssl.keystore.password=<keystore password>
            ssl.key.password=[set me]
            replication.factor=3
            """, suffix: ".properties")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["lint", path, "--format", "json", "--fail-on", "never"])
        let json = try CLIRunner.json(r.stdout)
        let findings = json["findings"] as? [[String: Any]] ?? []
        let secrets = findings.filter { $0["ruleId"] as? String == "KA-SEC-007" }
        #expect(secrets.map { $0["line"] as? Int } == [5])
        #expect(!r.stdout.contains("s3cret"))
        // Cluster-alias prefixes are MirrorMaker 2 keys, not typos.
        #expect(!ids(findings).contains("KA-OPS-003"))
        #expect(
            (json["configurations"] as? [[String: Any]])?.first?["kind"] as? String == "mirrormaker"
        )
    }

    @Test func oneCauseOneFindingAndTheDevelopmentProfile() throws {
        let path = try temp(
            """
            broker.id=0
            log.dirs=/tmp/kafka-logs
            offsets.topic.replication.factor=1
            transaction.state.log.replication.factor=1
            transaction.state.log.min.isr=1
            num.partitions=1
            group.initial.rebalance.delay.ms=0
            """, suffix: ".properties")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let balanced = ids(try lint([path]).findings)
        #expect(balanced.filter { $0 == "KA-AVL-016" }.count == 1)
        #expect(balanced.filter { ["KA-DUR-012", "KA-DUR-013", "KA-DUR-014", "KA-OPS-007"].contains($0) }.isEmpty)
        #expect(balanced.contains("KA-OPS-001") && balanced.contains("KA-OPS-008") && balanced.contains("KA-AVL-014"))
        let dev = try lint([path, "--profile", "development"]).findings
        #expect(!ids(dev).contains { ["KA-AVL-016", "KA-OPS-008", "KA-AVL-014"].contains($0) })
        #expect(
            dev.filter { ($0["ruleId"] as? String)?.hasPrefix("KA-DUR") == true }.allSatisfy {
                $0["severity"] as? String == "info"
            })
    }

    @Test func scriptsAndNamingAndBrokerCount() throws {
        let path = try temp(
            """
            #!/bin/sh
            kafka-topics.sh --bootstrap-server k:9092 --create --topic sales.orders.v1 \\
              --partitions 1 --replication-factor 3
            echo "kafka-topics --create --topic not-a-command --partitions 1"
            kafka-topics --create --topic OrdersDLQ --partitions 1 --replication-factor 3 --config min.insync.replicas=3
            """, suffix: ".sh")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let findings = try lint([path, "--naming", "[a-z]+\\.[a-z]+\\.v[0-9]+", "--brokers", "2"]).findings
        let perTopic = Dictionary(grouping: findings, by: { $0["name"] as? String ?? "" }).mapValues { ids($0) }
        #expect(Set(perTopic.keys) == ["sales.orders.v1", "OrdersDLQ"])
        #expect(perTopic["sales.orders.v1"]?.contains("KA-PERF-018") == true)
        #expect(perTopic["OrdersDLQ"]?.contains("KA-PERF-018") == false, "dead-letter topics may have one partition")
        #expect(perTopic["OrdersDLQ"]?.contains("KA-OPS-011") == true)
        #expect(perTopic["sales.orders.v1"]?.contains("KA-OPS-011") == false)
        #expect(perTopic["OrdersDLQ"]?.contains("KA-AVL-001") == true)
        #expect(perTopic["sales.orders.v1"]?.contains("KA-AVL-013") == true)
        let line = findings.first { $0["ruleId"] as? String == "KA-PERF-018" }?["line"] as? Int
        #expect(line == 2)
        let bad = try CLIRunner.run(["lint", path, "--brokers", "99999999999999999999"])
        #expect(bad.status == 2 && bad.stderr.contains("--brokers") && !bad.stderr.contains("Fatal"))
        let badRegex = try CLIRunner.run(["lint", path, "--naming", "(unclosed"])
        #expect(badRegex.status == 2 && badRegex.stderr.contains("--naming"))
    }
}

/// Findings from the expert review of issue 13's first version.
@Suite struct LintReviewFindingsTests {
    func run(_ text: String, suffix: String = ".properties", _ extra: [String] = []) throws -> [[String: Any]] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ka-rv-\(UUID().uuidString)\(suffix)")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["lint", path, "--format", "json", "--fail-on", "never"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return try CLIRunner.json(r.stdout)["findings"] as? [[String: Any]] ?? []
    }

    func find(_ findings: [[String: Any]], _ id: String) -> [String: Any]? {
        findings.first { $0["ruleId"] as? String == id }
    }

    @Test func saslPlaintextIsUnencryptedAndConflictingInterBrokerSettingsAreFound() throws {
        let f = try run(
            """
            process.roles=broker
            node.id=4
            listeners=INTERNAL://0.0.0.0:9092
            listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT
            sasl.enabled.mechanisms=SCRAM-SHA-512
            inter.broker.listener.name=INTERNAL
            security.inter.broker.protocol=SASL_SSL
            """)
        #expect(
            (find(f, "KA-SEC-001")?["message"] as? String)?.contains("SASL_PLAINTEXT: authenticated, not encrypted")
                == true)
        #expect(find(f, "KA-SEC-003") == nil, "no PLAIN mechanism")
        let refused = try #require(find(f, "KA-OPS-013"))
        #expect(refused["line"] as? Int == 6 && refused["severity"] as? String == "error")
    }

    @Test func streamsPrefixedClientKeysAndBasicAuthSecretsAreReviewed() throws {
        let f = try run(
            """
            application.id=triage
            processing.guarantee=exactly_once
            producer.acks=1
            consumer.max.poll.records=20000
            basic.auth.user.info=registry:Sup3rSecret
            """, ["--kafka-version", "4.0"])
        #expect(find(f, "KA-DUR-001")?["line"] as? Int == 3)
        #expect(find(f, "KA-PERF-016")?["line"] as? Int == 4)
        #expect(find(f, "KA-SEC-007")?["line"] as? Int == 5)
        #expect(find(f, "KA-UPG-008")?["severity"] as? String == "error")
        #expect(find(f, "KA-UPG-005") == nil)
    }

    @Test func strimziManagedOptionsAndMirrorMakerLines() throws {
        let f = try run(
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata:
              name: c
            spec:
              kafka:
                listeners: []
                authorization:
                  type: simple
                config:
                  super.users: User:admin
                  ssl.enabled.protocols: TLSv1.3
            """, suffix: ".yaml")
        let managed = f.filter { $0["ruleId"] as? String == "KA-OPS-014" }
        #expect(managed.count == 1 && managed.first?["line"] as? Int == 11)
        let mm = try run(
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaMirrorMaker2
            metadata:
              name: mm
            spec:
              replicas: 2
              connectCluster: target
              clusters:
                - alias: target
                  bootstrapServers: t:9093
                  tls: {}
                  authentication:
                    type: tls
                  config:
                    config.storage.replication.factor: -1
                - alias: source
                  bootstrapServers: s:9093
                  tls: {}
                  authentication:
                    type: tls
              mirrors:
                - sourceCluster: source
                  targetCluster: target
                  sourceConnector:
                    config:
                      replication.factor: 1
            """, suffix: ".yaml")
        #expect(find(mm, "KA-DUR-020")?["line"] as? Int == 26)
    }

    @Test func secondReviewFalseFindingsStayAway() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ka-rv2-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files: [(String, String)] = [
            (
                "broker.properties",
                "node.id=1\nprocess.roles=broker\nmessage.max.bytes=5242880\ndefault.replication.factor=1\n"
            ),
            ("topic.properties", "cleanup.policy=delete\nretention.ms=86400000\nsegment.ms=3600000\n"),
            ("producer.properties", "acks=all\nmax.request.size=4194304\nlinger.ms=50\n"),
            ("topics.sh", "kafka-topics.sh --create --topic a.b --partitions 6 --replication-factor 1\n"),
        ]
        for (name, text) in files { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        let r = try CLIRunner.run(
            ["lint"] + files.map { "\(dir)/\($0.0)" } + ["--format", "json", "--fail-on", "never"])
        let f = try CLIRunner.json(r.stdout)["findings"] as? [[String: Any]] ?? []
        // min ISR 1 (unset) with a broker factor of 1 is no error; an unset topic limit takes the broker's 5 MiB.
        #expect(find(f, "KA-AVL-002") == nil)
        #expect(find(f, "KA-PERF-010") == nil)
        let dev = try CLIRunner.run(
            [
                "lint", "\(dir)/producer.properties", "--profile", "development", "--format", "json", "--fail-on",
                "never",
            ])
        let devFindings = try CLIRunner.json(dev.stdout)["findings"] as? [[String: Any]] ?? []
        #expect(find(devFindings, "KA-PERF-015") == nil, "a rule the balanced profile turns off stays off")
    }

    @Test func mirrorMakerClusterConfigsAndBrokerJaasUsersAreReviewed() throws {
        let mm = try run(
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaMirrorMaker2
            metadata:
              name: mm
            spec:
              replicas: 2
              connectCluster: target
              clusters:
                - alias: target
                  bootstrapServers: t:9093
                  tls: {}
                  authentication:
                    type: tls
                - alias: source
                  bootstrapServers: s:9093
                  tls: {}
                  authentication:
                    type: tls
                  config:
                    ssl.endpoint.identification.algorithm: ""
                    consumer.sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p4ss";
            """, suffix: ".yaml")
        #expect(find(mm, "KA-SEC-004")?["line"] as? Int == 20)
        #expect(find(mm, "KA-SEC-007")?["line"] as? Int == 21)
        let broker = try run(
            """
            process.roles=broker
            node.id=1
            listeners=SASL_SSL://:9093,MTLS://:9095
            listener.security.protocol.map=SASL_SSL:SASL_SSL,MTLS:SSL
            listener.name.mtls.ssl.client.auth=requested
            listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${env:ADMIN}" user_alice="alice-secret";
            authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
            """)
        #expect(find(broker, "KA-SEC-007")?["line"] as? Int == 6)
        #expect(
            (find(broker, "KA-SEC-013")?["message"] as? String)?.contains("MTLS://:9095 (ssl.client.auth=requested)")
                == true)
        let managed = try run(
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata:
              name: c
            spec:
              kafka:
                listeners: []
                authorization:
                  type: simple
                config:
                  sasl.server.max.receive.size: 524288
                  ssl.secure.random.implementation: SHA1PRNG
                  ssl.keystore.type: PKCS12
            """, suffix: ".yaml")
        #expect(managed.filter { $0["ruleId"] as? String == "KA-OPS-014" }.map { $0["line"] as? Int } == [13])
    }

    @Test func aStreamsAppTheArchitectureFileDeclaresHasStateStores() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ka-st-\(UUID().uuidString).properties"
        )
        .path
        try "application.id=transfer-processor\nprocessing.guarantee=exactly_once_v2\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        func standby(_ extra: [String]) throws -> Bool {
            let r = try CLIRunner.run(["lint", path] + extra + ["--format", "json", "--fail-on", "never"])
            let f = try CLIRunner.json(r.stdout)["findings"] as? [[String: Any]] ?? []
            return f.contains { $0["ruleId"] as? String == "KA-AVL-015" && $0["file"] as? String == path }
        }
        #expect(try !standby([]), "alone, nothing says it keeps state")
        #expect(
            try standby(["examples/payments.yaml"]), "payments.yaml declares transfer-processor as a Streams service")
    }

    @Test func brokerDefaultMinIsrOfOneIsFoundBesideAReplicatedDefault() throws {
        let text = "node.id=1\nprocess.roles=broker\ndefault.replication.factor=3\n"
        let durability = try run(text, ["--profile", "durability"])
        let isr = try #require(find(durability, "KA-DUR-006"))
        #expect(isr["severity"] as? String == "error" && isr["line"] as? Int == 0)
        #expect((isr["message"] as? String)?.hasPrefix("min.insync.replicas not set (default 1)") == true)
    }
}
