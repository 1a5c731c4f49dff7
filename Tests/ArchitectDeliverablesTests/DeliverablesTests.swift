import ArchitectCore
import ArchitectFile
import Foundation
import Testing

@testable import ArchitectDeliverables

/// What `generate` hands over, checked against the design it came from (counts and names taken from
/// the DesignResult, never from the generated text itself).
@Suite struct DeliverablesTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    func design() throws -> (Architecture, DesignResult) {
        let path = Self.root.appendingPathComponent("examples/ecommerce.yaml").path
        let architecture = try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        return (architecture, try DesignAdvisor.derive(architecture))
    }

    /// The shared test every target must pass: files, relative unique paths, a newline at the end,
    /// and the same bytes every time.
    @Test(arguments: DeliverableTarget.allCases)
    func everyTargetWritesDeterministicFiles(target: DeliverableTarget) throws {
        let (a, r) = try design()
        let files = Deliverables.generate(r, architecture: a, targets: [target])
        #expect(!files.isEmpty)
        #expect(Set(files.map(\.path)).count == files.count, "duplicate paths")
        for f in files {
            #expect(f.path.hasPrefix(target.rawValue + "/"), "\(f.path) is outside \(target.rawValue)/")
            #expect(!f.path.contains(".."))
            #expect(f.contents.hasSuffix("\n"), "\(f.path) does not end with a newline")
        }
        #expect(Deliverables.generate(r, architecture: a, targets: [target]) == files)
    }

    @Test func terraformHasOneTopicResourcePerDesignedTopic() throws {
        let (a, r) = try design()
        let main = try #require(
            Deliverables.generate(r, architecture: a, targets: [.terraform]).first { $0.path.hasSuffix(".tf") })
        let topicBlocks = main.contents.components(separatedBy: "resource \"kafka_topic\"").count - 1
        #expect(topicBlocks == r.topics.count)
        for t in r.topics {
            #expect(main.contents.contains("name               = \"\(t.name)\""), "\(t.name) missing")
        }
    }

    @Test func strimziHasATopicPerTopicAndAUserPerPrincipal() throws {
        let (a, r) = try design()
        let files = Deliverables.generate(r, architecture: a, targets: [.strimzi])
        let text = files.map(\.contents).joined(separator: "\n")
        #expect(text.components(separatedBy: "kind: KafkaTopic\n").count - 1 == r.topics.count)
        let principals = Set(r.acls.map(\.principal))
        #expect(text.components(separatedBy: "kind: KafkaUser\n").count - 1 == principals.count)
    }

    @Test func onlyTheAskedTargetsAreWritten() throws {
        let (a, r) = try design()
        let files = Deliverables.generate(r, architecture: a, targets: [.scripts, .grafana])
        #expect(Set(files.map { String($0.path.split(separator: "/")[0]) }) == ["scripts", "grafana"])
    }
}

/// Placeholders a Java client or broker resolves only through declared config providers, and
/// transactional ids that differ between instances (issue 12, defect 2).
@Suite struct ClientIdentityTests {
    func files() throws -> [GeneratedFile] {
        let (a, r) = try DeliverablesTests().design()
        return Deliverables.generate(r, architecture: a, targets: [.clientConfigs, .brokerConfig])
    }

    static func properties(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return out
    }

    /// Kafka's two built-in providers, by the alias a value names (`${env:…}`, `${file:…}`).
    static let providerClass = [
        "env": "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "file": "org.apache.kafka.common.config.provider.FileConfigProvider",
    ]

    @Test func everyJavaPlaceholderHasItsProvider() throws {
        let java = try files().filter { $0.path.hasSuffix(".properties") }
        #expect(java.count >= 12)
        for f in java {
            let p = Self.properties(f.contents)
            let declared = Set((p["config.providers"] ?? "").split(separator: ",").map(String.init))
            for (alias, className) in Self.providerClass where p.values.contains(where: { $0.contains("${\(alias):") })
            {
                #expect(declared.contains(alias), "\(f.path) uses ${\(alias):…} without declaring it")
                #expect(p["config.providers.\(alias).class"] == className, "\(f.path)")
            }
        }
    }

    /// Resolving `${env:HOSTNAME}` the way EnvVarConfigProvider does, two instances get two ids, each
    /// under a prefix the service's transactional-id ACL allows.
    @Test func eachInstanceHasItsOwnTransactionalId() throws {
        let (_, r) = try DeliverablesTests().design()
        let producers = r.clientConfigs.filter { c in c.properties.contains { $0.key == "transactional.id" } }
        #expect(!producers.isEmpty, "the example has an exactly-once producer")
        for c in producers {
            let id = try #require(c.properties.first { $0.key == "transactional.id" }?.value)
            let a = id.replacingOccurrences(of: "${env:HOSTNAME}", with: "\(c.service)-0")
            let b = id.replacingOccurrences(of: "${env:HOSTNAME}", with: "\(c.service)-1")
            #expect(a != b, "\(c.service): every instance has \(id)")
            let allowed = r.acls.filter { $0.resourceType == .transactionalId && $0.patternType == .prefixed }
            #expect(allowed.contains { a.hasPrefix($0.resourceName) && b.hasPrefix($0.resourceName) })
        }
    }

    /// librdkafka files name the variables envsubst must expand, and carry no password.
    @Test func librdkafkaFilesAreRenderedWithoutSecrets() throws {
        for f in try files().filter({ $0.path.hasSuffix(".librdkafka.conf") }) {
            #expect(!f.contents.contains("${env:"), "\(f.path): librdkafka does not expand ${env:…}")
            #expect(!f.contents.contains("sasl.password="), "\(f.path)")
            if f.contents.contains("${") { #expect(f.contents.contains("envsubst '"), "\(f.path)") }
            if f.path.contains("-consumer.") {
                // librdkafka's default is eager: every rebalance would stop the whole group.
                #expect(
                    Self.properties(f.contents)["partition.assignment.strategy"] == "cooperative-sticky", "\(f.path)")
            }
        }
    }
}

/// Terraform addresses that survive edits to the design (issue 12, defect 3): the Mongey/kafka
/// provider replaces an ACL whose address changes, so positional names destroyed every ACL after
/// the one a new service inserted.
@Suite struct TerraformStabilityTests {
    static func mainTF(_ yaml: String) throws -> (String, DesignResult, [GeneratedFile]) {
        let a = try ArchitectureFile.parse(yaml, file: "ecommerce.yaml")
        let r = try DesignAdvisor.derive(a)
        let files = Deliverables.generate(r, architecture: a, targets: [.terraform])
        return (try #require(files.first { $0.path == "terraform/main.tf" }?.contents), r, files)
    }

    /// Each `resource "type" "name" { … }` block by its address.
    static func blocks(_ tf: String) -> [String: String] {
        var out: [String: String] = [:]
        for chunk in tf.components(separatedBy: "\nresource ").dropFirst() {
            let header = chunk.prefix { $0 != "{" }.trimmingCharacters(in: .whitespaces)
            out[header] = String(chunk.prefix { $0 != "}" })
        }
        return out
    }

    static let base: String = {
        let path = DeliverablesTests.root.appendingPathComponent("examples/ecommerce.yaml").path
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    @Test func addingAServiceOnlyAddsResources() throws {
        // First in the list, so every ACL after it would have moved under positional names.
        let fraud = """
            services:
              - name: fraud-scoring
                domain: ecommerce
                consumes:
                  - stream: ecommerce.payments.events
                    guarantee: at-least-once
                    processingTime: 1ms
                    idempotent: true

            """
        try #require(Self.base.contains("\nservices:\n"))
        let extended = Self.base.replacingOccurrences(of: "\nservices:\n", with: "\n" + fraud)
        let (before, r0, _) = try Self.mainTF(Self.base)
        let (after, r1, _) = try Self.mainTF(extended)
        #expect(r1.acls.count > r0.acls.count, "the new service has ACLs")
        let old = Self.blocks(before)
        let new = Self.blocks(after)
        #expect(old.count > 50)
        for (address, body) in old {
            #expect(new[address] == body, "\(address) changed or disappeared")
        }
        #expect(Set(new.keys).isStrictSuperset(of: Set(old.keys)))
    }

    /// Every ACL of today's design had the positional name acl_<index>_<user>; each gets a `moved`
    /// block to its content-derived name, which is a resource in main.tf.
    @Test func movedBlocksRenameEachPositionalName() throws {
        let (main, r, files) = try Self.mainTF(Self.base)
        let moved = try #require(files.first { $0.path == "terraform/moved.tf" }?.contents)
        let addresses = Set(Self.blocks(main).keys)
        let pairs = moved.components(separatedBy: "moved {").dropFirst().map { block -> (String, String) in
            let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let from = lines.first { $0.hasPrefix("from") }?.components(separatedBy: "kafka_acl.").last ?? ""
            let to = lines.first { $0.hasPrefix("to") }?.components(separatedBy: "kafka_acl.").last ?? ""
            return (from, to)
        }
        #expect(pairs.count == r.acls.count)
        for (i, acl) in r.acls.enumerated() {
            let user = acl.principal.dropFirst("User:".count).replacingOccurrences(of: "-", with: "_")
            let index =
                String(i).count >= 3 ? String(i) : String(repeating: "0", count: 3 - String(i).count) + String(i)
            #expect(pairs[i].0 == "acl_\(index)_\(user)")
            #expect(addresses.contains("\"kafka_acl\" \"\(pairs[i].1)\""), "\(pairs[i].1) is not in main.tf")
        }
        #expect(Set(pairs.map(\.1)).count == pairs.count, "two ACLs share a name")
    }
}

/// Tiered storage as the plan sized it (issue 12, defect 1): broker volumes hold one day of the tiered
/// topics, so the topics must say so, or the disks fill in about a day.
@Suite struct TieredStorageDeliverablesTests {
    static func generated() throws -> (Architecture, DesignResult, [GeneratedFile]) {
        let path = DeliverablesTests.root.appendingPathComponent("examples/vehicle-telemetry.yaml").path
        let a = try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        let r = try DesignAdvisor.derive(a)
        return (a, r, Deliverables.generate(r, architecture: a, targets: DeliverableTarget.allCases))
    }

    /// Each Terraform topic: partitions, replication factor and its config map.
    static func terraformTopics(_ tf: String) -> [String: (partitions: Int, rf: Int, config: [String: String])] {
        var out: [String: (Int, Int, [String: String])] = [:]
        for chunk in tf.components(separatedBy: "resource \"kafka_topic\"").dropFirst() {
            let body = chunk.components(separatedBy: "\n}\n").first ?? ""
            var name = ""
            var partitions = 0
            var rf = 0
            var config: [String: String] = [:]
            for line in body.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                let parts = line.components(separatedBy: " = ").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { continue }
                let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                switch parts[0] {
                case "name": name = value
                case "partitions": partitions = Int(value) ?? 0
                case "replication_factor": rf = Int(value) ?? 0
                default:
                    if parts[0].hasPrefix("\"") {
                        config[parts[0].trimmingCharacters(in: CharacterSet(charactersIn: "\""))] = value
                    }
                }
            }
            out[name] = (partitions, rf, config)
        }
        return out
    }

    /// Broker volume capacity from the Strimzi broker node pool: replicas × volumes × size.
    static func brokerCapacity(_ yaml: String) -> (brokers: Int, bytesPerBroker: Double) {
        let pool =
            yaml.components(separatedBy: "kind: KafkaNodePool").dropFirst().first { $0.contains("roles: [broker]") }
            ?? ""
        let lines = pool.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let brokers =
            lines.first { $0.hasPrefix("replicas:") }.flatMap {
                Int($0.dropFirst(9).trimmingCharacters(in: .whitespaces))
            } ?? 0
        let sizes = lines.filter { $0.hasPrefix("size:") }.compactMap {
            Double($0.dropFirst(5).trimmingCharacters(in: .whitespaces).dropLast(2))
        }
        return (brokers, sizes.reduce(0, +) * 1_073_741_824)
    }

    /// Local disk per broker from what the generated topics keep locally (local.retention.ms when
    /// tiered, retention.ms otherwise) at the plan's write rates, against the generated volumes.
    @Test func theGeneratedVolumesHoldWhatTheGeneratedTopicsKeepLocally() throws {
        let (_, r, files) = try Self.generated()
        let tf = try #require(files.first { $0.path == "terraform/main.tf" }?.contents)
        let strimzi = try #require(files.first { $0.path == "strimzi/kafka.yaml" }?.contents)
        let topics = Self.terraformTopics(tf)
        let (brokers, capacity) = Self.brokerCapacity(strimzi)
        #expect(brokers == r.plan.brokers && capacity > 0)
        var local = 0.0
        var untiered = 0.0  // what the disks would need if the topics were not told they are tiered
        for (name, t) in topics {
            // Retry and DLQ topics have no planned rate.
            guard let planned = r.plan.topics.first(where: { $0.name == name }) else { continue }
            let compacted = t.config["cleanup.policy"] == "compact"
            let retention = Double(t.config["retention.ms"] ?? "").map { $0 / 1000 }
            let kept: Double
            if compacted {
                #expect(t.config["remote.storage.enable"] == nil, "\(name): compacted topics cannot be tiered")
                kept = planned.retainedBytesPerReplica
            } else {
                let seconds = try #require(retention, "\(name) has no retention.ms")
                let localSeconds =
                    t.config["remote.storage.enable"] == "true"
                    ? (Double(t.config["local.retention.ms"] ?? "") ?? .infinity) / 1000 : seconds
                kept = planned.ingressWireBytesPerSecond * min(seconds, localSeconds)
                untiered += planned.ingressWireBytesPerSecond * seconds * Double(t.rf)
            }
            local += kept * Double(t.rf)
        }
        let perBroker = local / Double(brokers)
        #expect(perBroker <= capacity, "each broker keeps \(perBroker / 1e12) TB on \(capacity / 1e12) TB")
        // The check has teeth: without the tiering settings the same topics would not fit.
        #expect(untiered / Double(brokers) > capacity)
    }

    @Test func everyDeliverableSaysTheTopicsAreTiered() throws {
        let (_, r, files) = try Self.generated()
        let text = { (path: String) in files.first { $0.path == path }?.contents ?? "" }
        let tiered = r.topics.filter { t in t.configs.contains { $0 == (key: "remote.storage.enable", value: "true") } }
        #expect(tiered.count >= 3)
        #expect(text("broker-config/server.properties").contains("remote.log.storage.system.enable=true"))
        #expect(text("broker-config/server.properties").contains("remote.log.metadata.manager.class.name="))
        #expect(text("strimzi/kafka.yaml").contains("tieredStorage:\n      type: custom"))
        let local = try #require(tiered.first?.configs.first { $0.key == "local.retention.ms" }?.value)
        for t in tiered {
            let doc = text("strimzi/topics.yaml").components(separatedBy: "\n---\n").first {
                $0.contains("topicName: \"\(t.name)\"")
            }
            #expect(doc?.contains("remote.storage.enable: \"true\"") == true, "\(t.name) in strimzi/topics.yaml")
            #expect(doc?.contains("local.retention.ms: \"\(local)\"") == true, "\(t.name) in strimzi/topics.yaml")
            let line = text("scripts/create-topics.sh").split(separator: "\n").first { $0.contains("'\(t.name)'") }
            #expect(line?.contains("remote.storage.enable=true") == true, "\(t.name) in create-topics.sh")
        }
    }
}

/// Follower fetching as priced (issue 12, defect 6): the plan counts KIP-392's saved cross-zone
/// traffic only if brokers select a replica by rack and every consumer says its zone.
@Suite struct FollowerFetchingDeliverablesTests {
    @Test func whatThePlanCountsIsConfigured() throws {
        let (a, r, files) = try TieredStorageDeliverablesTests.generated()
        #expect(a.environment.followerFetching)
        let text = { (path: String) in files.first { $0.path == path }?.contents ?? "" }
        let server = ClientIdentityTests.properties(text("broker-config/server.properties"))
        #expect(server["replica.selector.class"] == "org.apache.kafka.common.replica.RackAwareReplicaSelector")
        #expect(server["broker.rack"] != nil)
        #expect(text("strimzi/kafka.yaml").contains("    rack:\n      topologyKey: topology.kubernetes.io/zone"))
        let consumers = r.clientConfigs.filter { $0.role == .consumer }
        #expect(consumers.count >= 2)
        for c in consumers {
            for suffix in [".properties", ".librdkafka.conf"] {
                let path = "client-configs/\(c.service)-consumer\(suffix)"
                #expect(ClientIdentityTests.properties(text(path))["client.rack"] != nil, "\(path) has no client.rack")
            }
        }
        // Streams applications and Connect workers consume too: their consumers say the zone under consumer.
        let platforms = r.clientConfigs.filter { $0.role == .streams || $0.role == .connectWorker }
        #expect(platforms.count == 2)
        for c in platforms {
            let path = "client-configs/\(c.service)-\(c.role.rawValue).properties"
            #expect(ClientIdentityTests.properties(text(path))["consumer.client.rack"] != nil, "\(path)")
        }
    }

    @Test func withoutItConsumersNameNoRack() throws {
        let (_, r) = try DeliverablesTests().design()
        #expect(r.clientConfigs.allSatisfy { c in !c.properties.contains { $0.key == "client.rack" } })
    }
}

/// Processing time reaches the consumer's configuration and the review (issue 12, defect 5): 150 ms a
/// record, 60 consumers, a 10 s lag SLO and a 15,000/s peak once got max.poll.records=500 (75 s a
/// poll) and no finding, while the group handles 400/s.
@Suite struct ConsumerCapacityTests {
    static func design(concurrency: Int?) throws -> DesignResult {
        let yaml = """
            version: 1
            name: scoring
            environment:
              availabilityZones: 3
            policy:
              growthFactor: 1
            slos:
              maxConsumerLag: 10s
            domains:
              - name: risk
                entities:
                  - name: transfers
                    kind: events
                    key: accountId
                    fields: [accountId, amount]
                    messagesPerSecond: 5k
                    messageSize: 1KB
                    peakToAverage: 3
                    schema: avro
            services:
              - name: gateway
                domain: risk
                produces: [risk.transfers]
              - name: fraud-scoring
                domain: risk
                consumes:
                  - stream: risk.transfers
                    guarantee: at-least-once
                    idempotent: true
                    processingTime: 150ms
                    consumers: 60
            """ + (concurrency.map { "\n        concurrency: \($0)\n" } ?? "\n")
        return try DesignAdvisor.derive(try ArchitectureFile.parse(yaml, file: "scoring.yaml"))
    }

    static func pollRecords(_ r: DesignResult) throws -> Int {
        let consumer = try #require(r.clientConfigs.first { $0.service == "fraud-scoring" && $0.role == .consumer })
        return try #require(Int(consumer.properties.first { $0.key == "max.poll.records" }?.value ?? ""))
    }

    @Test func aGroupThatCannotKeepUpIsAFindingAndPollsFitTheLagSLO() throws {
        let r = try Self.design(concurrency: nil)
        let finding = try #require(r.findings.first { $0.code == "consumer-capacity" })
        #expect(finding.severity == .error, "400/s against 5,000/s on average: the lag grows without end")
        // 60 instances ÷ 0.15 s = 400 records/s; Little's law: 15,000/s × 0.15 s = 2,250 in flight.
        #expect(finding.message.contains("400 records/s"), "\(finding.message)")
        #expect(finding.fix.contains("2250 records in flight"), "\(finding.fix)")
        // A poll's records finish within half the 10 s lag SLO: ⌊5 s ÷ 0.15 s⌋ = 33.
        let records = try Self.pollRecords(r)
        #expect(records == 33)
        #expect(Double(records) * 0.15 <= 5)
    }

    @Test func concurrencyInsidePartitionsIsCapacity() throws {
        // 60 × 40 ÷ 0.15 s = 16,000/s ≥ the 15,000/s peak: no finding; a poll of 500 takes 500 × 0.15 ÷ 40 = 1.9 s.
        let r = try Self.design(concurrency: 40)
        #expect(!r.findings.contains { $0.code == "consumer-capacity" })
        #expect(try Self.pollRecords(r) == 500)
    }
}

/// Tenant quotas Kafka can enforce (issue 12, defect 12): quotas are per principal and per broker,
/// none shared across principals, so giving each of three principals the tenant's budget allowed 3×.
@Suite struct TenantQuotaTests {
    static let yaml = """
        version: 1
        name: saas
        environment:
          availabilityZones: 3
        policy:
          growthFactor: 2
        tenants:
          - name: acme
            prefix: acme.
            principals: [User:acme-admin]
            quotas:
              producerByteRate: 1MB/s
              consumerByteRate: 4MB/s
        domains:
          - name: billing
            tenant: acme
            entities:
              - name: invoices
                kind: events
                key: invoiceId
                fields: [invoiceId, amount]
                messagesPerSecond: 10k
                messageSize: 1KB
                peakToAverage: 2
                schema: avro
        services:
          - name: invoicer
            domain: billing
            tenant: acme
            produces: [billing.invoices]
          - name: ledger
            domain: billing
            tenant: acme
            consumes:
              - stream: billing.invoices
                idempotent: true
        """

    @Test func theBudgetIsSplitNotCopied() throws {
        let r = try DesignAdvisor.derive(try ArchitectureFile.parse(Self.yaml, file: "saas.yaml"))
        let acme = r.quotas.filter { $0.tenant == "acme" }
        #expect(Set(acme.map(\.principal)) == ["User:acme-admin", "User:invoicer", "User:ledger"])
        // Three principals share 1 MB/s (10^6 bytes) and 4 MB/s: the sums never exceed the budget.
        #expect(acme.allSatisfy { $0.shareOf == 3 })
        #expect(acme.compactMap(\.producerByteRate).reduce(0, +) <= 1_000_000)
        #expect(acme.compactMap(\.producerByteRate).reduce(0, +) > 999_990)
        #expect(acme.compactMap(\.consumerByteRate).reduce(0, +) <= 4_000_000)
    }

    /// invoicer writes 10,000/s × 1 KB × peak 2 × growth 2 ÷ the plan's compression ratio; Kafka holds it
    /// to its own third of the 1 MB/s budget (three principals) per broker, on at most the brokers
    /// leading its partitions: throttled. The check is per principal, as Kafka enforces it.
    @Test func aQuotaThatThrottlesThePlannedPeakIsAFinding() throws {
        let r = try DesignAdvisor.derive(try ArchitectureFile.parse(Self.yaml, file: "saas.yaml"))
        let plan = try #require(r.plan.topics.first { $0.name.hasPrefix("acme.") })
        let need = plan.ingressWireBytesPerSecond * 2 * 2
        let leaders = min(r.plan.brokers, plan.partitions)
        let allowed = (1_000_000.0 / 3).rounded(.down) * Double(leaders)
        try #require(need > allowed, "the example must throttle: \(need) vs \(allowed)")
        let finding = try #require(r.findings.first { $0.code == "tenant-quota-throttles" && $0.subject == "invoicer" })
        #expect(finding.message.contains("produce") && finding.message.contains("1/3"))
        #expect(finding.message.contains(Format.value(allowed, .bytesPerSecond)), "\(finding.message)")
        // ledger only reads: its fetch share (4 MB/s ÷ 3 per broker) covers what it reads, so it is not throttled.
        #expect(
            !r.findings.contains {
                $0.code == "tenant-quota-throttles" && $0.subject == "ledger" && $0.message.contains("produce")
            })
    }
}

/// Strimzi resources a platform team can apply (issue 12, defect 7, in part): pods sized from the
/// planned instance, the plan's heap, zone spreading, a storage class, and kafka_exporter for the alerts.
@Suite struct StrimziProductionTests {
    @Test(arguments: ["examples/ecommerce.yaml", "examples/vehicle-telemetry.yaml", "examples/payments.yaml"])
    func brokerPodsAreSizedFromThePlan(example: String) throws {
        let path = DeliverablesTests.root.appendingPathComponent(example).path
        let a = try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        let r = try DesignAdvisor.derive(a)
        let kafka = try #require(
            Deliverables.generate(r, architecture: a, targets: [.strimzi]).first { $0.path == "strimzi/kafka.yaml" }?
                .contents)
        let pool = try #require(
            kafka.components(separatedBy: "kind: KafkaNodePool").dropFirst().first { $0.contains("roles: [broker]") })
        let lines = pool.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let value = { (key: String) in
            lines.first { $0.hasPrefix(key) }.map {
                String($0.dropFirst(key.count)).trimmingCharacters(in: .whitespaces)
            }
        }
        // The JVM gets the plan's heap, in MiB.
        let heap = Int((r.plan.memory.heapBytes / 1_048_576).rounded(.down))
        #expect(value("-Xmx:") == "\(heap)m" && value("-Xms:") == "\(heap)m")
        // The pod fits the instance: its memory limit is under the instance's memory and above the heap.
        let limit = try #require(value("memory:").flatMap { Double($0.dropLast(2)) }) * 1_073_741_824
        #expect(limit < r.plan.instance.type.memoryBytes && limit > r.plan.memory.heapBytes)
        #expect(pool.contains("topologyKey: topology.kubernetes.io/zone"))
        #expect(pool.contains("strimzi.io/pool-name: brokers"))
        #expect(value("class:") != nil, "no storage class")
        #expect(kafka.contains("  kafkaExporter:\n"))
    }
}

/// Listener security a reviewer signs off (issue 12, defect 8), checked as Kafka reads the files: every
/// listener has a protocol, brokers authenticate to each other and to the controllers, the principal a
/// broker's certificate maps to is a super user, TLS 1.0/1.1 are off, and no secret is in any file.
@Suite struct SecurityDeliverablesTests {
    static func generated(tls: Bool = true) throws -> (DesignResult, [GeneratedFile]) {
        var (a, r) = try DeliverablesTests().design()
        if !tls {
            a.environment.tls = false
            r = try DesignAdvisor.derive(a)
        }
        return (r, Deliverables.generate(r, architecture: a, targets: DeliverableTarget.allCases))
    }

    static func file(_ files: [GeneratedFile], _ path: String) throws -> [String: String] {
        ClientIdentityTests.properties(try #require(files.first { $0.path == path }).contents)
    }

    /// Java's `ssl.principal.mapping.rules` applied as Kafka's SslPrincipalMapper does for one RULE.
    static func mapped(_ dn: String, rules: String) throws -> String {
        // RULE:pattern/replacement/ (the pattern may hold commas), then more rules or DEFAULT.
        #expect(rules.hasPrefix("RULE:") && rules.hasSuffix(",DEFAULT"))
        let parts = rules.dropFirst("RULE:".count).split(separator: "/", omittingEmptySubsequences: false)
        let pattern = try Regex(String(parts[0]))
        guard let match = try pattern.wholeMatch(in: dn) else { return dn }
        var out = String(parts[1])
        for i in (1..<match.count).reversed() {
            out = out.replacingOccurrences(of: "$\(i)", with: match[i].substring.map(String.init) ?? "")
        }
        return out
    }

    @Test(arguments: [true, false]) func brokersAndControllersAuthenticateEveryConnection(tls: Bool) throws {
        let (_, files) = try Self.generated(tls: tls)
        let broker = try Self.file(files, "broker-config/server.properties")
        let controller = try Self.file(files, "broker-config/controller.properties")
        let protocols = { (p: [String: String]) in
            Dictionary(
                uniqueKeysWithValues: (p["listener.security.protocol.map"] ?? "").split(separator: ",").map {
                    let kv = $0.split(separator: ":")
                    return (String(kv[0]), String(kv[1]))
                })
        }
        // Every listener a node opens has a protocol; the inter-broker one authenticates with SASL.
        for p in [broker, controller] {
            for l in (p["listeners"] ?? "").split(separator: ",") {
                let name = String(l.split(separator: ":")[0])
                #expect(protocols(p)[name] != nil, "listener \(name) without a protocol")
            }
        }
        let interBroker = try #require(broker["inter.broker.listener.name"])
        #expect(protocols(broker)[interBroker] == (tls ? "SASL_SSL" : "SASL_PLAINTEXT"))
        let mechanism = try #require(broker["sasl.mechanism.inter.broker.protocol"])
        let login = try #require(
            broker["listener.name.\(interBroker.lowercased()).\(mechanism.lowercased()).sasl.jaas.config"])
        let brokerUser = try #require(login.firstMatch(of: /username="([^"]+)"/)?.1)
        // The controller listener: TLS with a client certificate required, whatever environment.tls says.
        #expect(protocols(controller)["CONTROLLER"] == "SSL" && protocols(broker)["CONTROLLER"] == "SSL")
        #expect(controller["listener.name.controller.ssl.client.auth"] == "required")
        // The users the brokers are (by SCRAM login, and by their certificate's CN) are super users.
        for p in [broker, controller] {
            let supers = Set((p["super.users"] ?? "").split(separator: ";").map(String.init))
            #expect(supers.contains("User:\(brokerUser)"))
            let certificate = try Self.mapped(
                "CN=\(brokerUser),OU=kafka,O=example", rules: try #require(p["ssl.principal.mapping.rules"]))
            #expect(supers.contains("User:\(certificate)"), "certificate maps to \(certificate)")
            #expect(
                try Self.mapped("OU=other,O=example", rules: p["ssl.principal.mapping.rules"]!) == "OU=other,O=example")
            // Stores at paths, passwords from the environment; only TLS 1.2 and 1.3.
            #expect(p["ssl.keystore.location"] != nil && p["ssl.truststore.location"] != nil)
            #expect(p["ssl.keystore.password"]?.hasPrefix("${env:") == true)
            let enabled = Set((p["ssl.enabled.protocols"] ?? "").split(separator: ",").map(String.init))
            #expect(!enabled.isEmpty && enabled.isSubset(of: ["TLSv1.2", "TLSv1.3"]))
        }
        // The brokers' user is created at storage format time, on the controllers, with the admin user.
        let format = try #require(files.first { $0.path == "scripts/format-storage.sh" }).contents
        #expect(format.contains("kafka-storage.sh format"))
        #expect(format.contains("--add-scram \"\(mechanism)=[name=\(brokerUser),password=${"))
        #expect(format.contains("--add-scram \"\(mechanism)=[name=admin,password=${"))
    }

    @Test func noFileHoldsASecretAndClientsTrustTheCA() throws {
        let (r, files) = try Self.generated()
        for f in files {
            for line in f.contents.split(separator: "\n") where !line.hasPrefix("#") {
                for m in line.matches(of: /password[=:"]+([^,"\];\s]*)/) {
                    let value = String(m.1)
                    #expect(value.hasPrefix("${") || value.hasPrefix("%s"), "\(f.path): a literal password in \(line)")
                }
            }
        }
        for c in r.clientConfigs {
            let java = try Self.file(files, "client-configs/\(c.service)-\(c.role.rawValue).properties")
            #expect(java["ssl.truststore.location"] != nil && java["security.protocol"] == "SASL_SSL")
            let rd = try Self.file(files, "client-configs/\(c.service)-\(c.role.rawValue).librdkafka.conf")
            #expect(rd["ssl.ca.location"] == java["ssl.truststore.location"])
        }
        // Every client user gets a credential, each from its own variable, none on a command line.
        let users = try #require(files.first { $0.path == "scripts/create-scram-users.sh" }).contents
        let principals = Set(r.acls.map(\.principal) + r.quotas.map(\.principal)).filter { $0.hasPrefix("User:") }
        for p in principals { #expect(users.contains("add_user '\(p.dropFirst(5))' SCRAM_PASSWORD_")) }
        #expect(users.contains("--add-config-file") && !users.contains("--add-config '"))
    }
}

/// Runbooks that do not mislead (issue 12, defect 11): every alert names a runbook that exists and
/// names it back; only commands that exist are cited; figures come from the plan.
@Suite struct RunbookTests {
    /// The scripts Apache Kafka 3.9/4.0 ships in bin/ that a runbook may cite.
    static let kafkaTools: Set<String> = [
        "kafka-topics.sh", "kafka-configs.sh", "kafka-acls.sh", "kafka-consumer-groups.sh",
        "kafka-console-consumer.sh", "kafka-console-producer.sh", "kafka-reassign-partitions.sh",
        "kafka-leader-election.sh", "kafka-log-dirs.sh", "kafka-features.sh", "kafka-metadata-quorum.sh",
        "kafka-transactions.sh", "kafka-storage.sh", "kafka-get-offsets.sh", "kafka-delete-records.sh",
        "kafka-server-start.sh", "kafka-server-stop.sh",
    ]
    static let ourCommands: Set<String> = [
        "plan", "partitions", "keys", "lint", "rules", "design", "generate", "cluster", "audit", "lag", "groups",
        "diff", "apply", "import", "rebalance", "bench", "exporter", "instances",
    ]

    static func generated() throws -> (Architecture, DesignResult, [GeneratedFile]) {
        let (a, r) = try DeliverablesTests().design()
        return (a, r, Deliverables.generate(r, architecture: a, targets: DeliverableTarget.allCases))
    }

    @Test func everyAlertNamesARunbookThatNamesItBack() throws {
        let (_, _, files) = try Self.generated()
        let alerts = try #require(files.first { $0.path == "prometheus/alerts.yml" }).contents
        let pairs = alerts.matches(of: /- alert: (\S+)[\s\S]*?runbook: "([^"]+)"/).map { (String($0.1), String($0.2)) }
        #expect(pairs.count >= 30)
        for (alert, runbook) in pairs {
            let doc = try #require(files.first { $0.path == runbook }, "\(alert): \(runbook) is not generated")
            #expect(doc.contents.contains("`\(alert)`"), "\(runbook) does not name \(alert)")
        }
        #expect(Set(pairs.map(\.1)).count >= 7, "alerts share too few runbooks to be specific")
    }

    @Test func runbooksCiteOnlyCommandsThatExist() throws {
        let (_, _, files) = try Self.generated()
        for f in files where f.path.hasPrefix("runbooks/") {
            for m in f.contents.matches(of: /`(kafka-[a-z.-]+)( [a-z-]+)?/) {
                let tool = String(m.1)
                if tool == "kafka-architect" {
                    let sub = String(m.2 ?? "").trimmingCharacters(in: .whitespaces)
                    #expect(Self.ourCommands.contains(sub), "\(f.path): kafka-architect \(sub) does not exist")
                } else {
                    #expect(Self.kafkaTools.contains(tool), "\(f.path): \(tool) is not a Kafka tool")
                }
            }
        }
    }

    @Test func rebalancingMovesTheBusiestTopicsAtThePlansSpareBandwidth() throws {
        let (a, r, files) = try Self.generated()
        let doc = try #require(files.first { $0.path == "runbooks/partition-rebalancing.md" }).contents
        // Bytes written per topic, from the architecture file's entities.
        let entities = try #require(a.design?.entities)
        var rates: [(name: String, bytes: Double)] = []
        for t in r.topics where t.purpose == .main {
            let e = try #require(entities.first { $0.reference == t.entity })
            rates.append((t.name, e.messagesPerSecond * e.messageSize))
        }
        rates.sort { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.name < $1.name }
        let byBytes = rates.map(\.name)
        let line = try #require(doc.split(separator: "\n").first { $0.contains("busiest topics") })
        let named = line.matches(of: /`([a-z0-9._-]+)` \(/).map { String($0.1) }
        #expect(named == Array(byBytes.prefix(5)))
        // 80% of the less of the spare inbound network (behind the plan's recovery time) and the disks'
        // write rate left after peak produce and replication writes, in whole MB/s.
        let network = r.plan.storage.perBrokerBytes / r.plan.storage.brokerRecoverySeconds
        let disks = min(
            r.plan.instance.type.blockStorageBytesPerSecond,
            r.plan.storage.volumeThroughputBytesPerSecond * Double(r.plan.storage.volumesPerBroker))
        let writes =
            r.plan.throughput.peakIngressWireBytesPerSecond * Double(a.policy.replicationFactor)
            / Double(r.plan.brokers)
        let spare = min(network, disks - writes)
        let throttle = Int64((spare * 0.8 / 1e6).rounded(.down) * 1e6)
        #expect(doc.contains("--throttle \(throttle)`"))
        let hours = r.plan.storage.perBrokerBytes / Double(throttle) / 3600
        let stated = try #require(doc.firstMatch(of: /takes about ([0-9.]+) h/).flatMap { Double($0.1) })
        #expect(abs(stated - hours) < 0.1, "\(stated) h against \(hours) h")
    }

    @Test func deadLettersGoBackThroughTheRetryTopicAndResetsWarn() throws {
        let (_, r, files) = try Self.generated()
        let replay = try #require(files.first { $0.path == "runbooks/dlq-replay.md" }).contents
        for d in r.topics where d.purpose == .deadLetter {
            let row = try #require(replay.split(separator: "\n").first { $0.hasPrefix("| `\(d.name)`") })
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let target = cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let retry = try #require(r.topics.first { $0.name == target })
            #expect(retry.purpose == .retry && retry.entity == d.entity)
            #expect(target.hasPrefix(String(d.name.dropLast(4))), "another service's retry topic")
        }
        #expect(replay.contains("never into the source topic"))
        let reset = try #require(files.first { $0.path == "runbooks/consumer-group-offset-reset.md" }).contents
        let row = { (g: String) in
            reset.split(separator: "\n").first { $0.hasPrefix("| `\(g)`") }.map(String.init) ?? ""
        }
        #expect(row("payment-service").contains("exactly-once"))  // consumes exactly-once
        // Its outputs feed notification-sender, which sends e-mails: a replay reaches that too.
        #expect(row("payment-service").contains("notification-sender"))
        // Payments: replaying the fraud scorer makes the (not idempotent) transfer processor join again.
        let path = DeliverablesTests.root.appendingPathComponent("examples/payments.yaml").path
        let pa = try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        let payments = Deliverables.generate(try DesignAdvisor.derive(pa), architecture: pa, targets: [.runbooks])
        let resets = try #require(payments.first { $0.path == "runbooks/consumer-group-offset-reset.md" }).contents
        let scorer = resets.split(separator: "\n").first { $0.hasPrefix("| `fraud-scorer`") }.map(String.init) ?? ""
        #expect(scorer.contains("transfer-processor") && scorer.contains("Downstream processes again"))
        let streams =
            resets.split(separator: "\n").first { $0.hasPrefix("| `transfer-processor`") }.map(String.init) ?? ""
        #expect(streams.contains("kafka-streams-application-reset.sh"))
        #expect(row("notification-service").contains("Side effects repeat"))  // at-least-once, not idempotent
    }
}

/// Strimzi volumes the cluster can really provision (issue 12, defect 7): on local NVMe one claim per
/// drive that fits the drive (a larger claim never binds); on block storage at least the planned size.
@Suite struct StrimziVolumeTests {
    static func volumes(storage: StorageType) throws -> (DesignResult, [Double]) {
        let path = DeliverablesTests.root.appendingPathComponent("examples/vehicle-telemetry.yaml").path
        var a = try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        a.environment.storage = storage
        let r = try DesignAdvisor.derive(a)
        let kafka = try #require(
            Deliverables.generate(r, architecture: a, targets: [.strimzi]).first { $0.path == "strimzi/kafka.yaml" })
        let pool = try #require(
            kafka.contents.components(separatedBy: "kind: KafkaNodePool").dropFirst().first {
                $0.contains("roles: [broker]")
            })
        let sizes = pool.matches(of: /size: ([0-9]+)Gi/).map { Double(Int($0.1)!) * 1_073_741_824 }
        return (r, sizes)
    }

    @Test func localDrivesGetOneClaimEachThatFitsTheDrive() throws {
        let (r, sizes) = try Self.volumes(storage: .localNVMe)
        let drives = r.plan.instance.type.localDisks
        try #require(!drives.isEmpty, "the plan chose an instance without local drives")
        #expect(sizes.count == drives.count)
        for (size, drive) in zip(sizes, drives) {
            #expect(size <= drive * 0.97, "a \(size / 1e9) GB claim on a \(drive / 1e9) GB drive")
            #expect(size >= drive * 0.9, "most of the drive is left unused")
        }
    }

    @Test func blockVolumesAreAtLeastThePlannedSize() throws {
        let (r, sizes) = try Self.volumes(storage: .gp3)
        #expect(sizes.count == r.plan.storage.volumesPerBroker)
        for size in sizes { #expect(size >= r.plan.storage.volumeSizeBytes) }
    }
}

/// Client settings chosen per consumer and producer with their reasons (issue 12, judgment), from the
/// fields a consumes entry can now carry.
@Suite struct ClientJudgmentTests {
    static func derive(_ edit: (String) -> String) throws -> (Architecture, DesignResult) {
        let path = DeliverablesTests.root.appendingPathComponent("examples/ecommerce.yaml").path
        let yaml = edit(try String(contentsOfFile: path, encoding: .utf8))
        let a = try ArchitectureFile.parse(yaml, file: path)
        return (a, try DesignAdvisor.derive(a))
    }

    static func property(_ r: DesignResult, _ service: String, _ role: ClientConfig.Role, _ key: String) -> String? {
        r.clientConfigs.first { $0.service == service && $0.role == role }?.properties.first { $0.key == key }?.value
    }

    @Test func aConsumerWithSideEffectsStartsAtTheEndAndSaysWhy() throws {
        let (_, r) = try Self.derive { $0 }
        #expect(Self.property(r, "notification-sender", .consumer, "auto.offset.reset") == "latest")
        let sender = try #require(r.clientConfigs.first { $0.service == "notification-sender" && $0.role == .consumer })
        #expect(sender.reasons["auto.offset.reset"]?.contains("side effects") == true)
        #expect(Self.property(r, "inventory-service", .consumer, "auto.offset.reset") == "earliest")
        // The file decides when it says so.
        let (_, given) = try Self.derive {
            $0.replacingOccurrences(
                of: "        sideEffects: true\n", with: "        sideEffects: true\n        offsetReset: earliest\n")
        }
        #expect(Self.property(given, "notification-sender", .consumer, "auto.offset.reset") == "earliest")
        // The generated file carries the reason above the setting.
        let (a, _) = try Self.derive { $0 }
        let file = try #require(
            Deliverables.generate(r, architecture: a, targets: [.clientConfigs]).first {
                $0.path == "client-configs/notification-sender-consumer.properties"
            })
        #expect(
            file.contents.contains(
                "# kafka-architect:disable KA-DUR-017 auto.offset.reset: latest: this consumer has side effects"))
    }

    @Test func lingerStaysWithinAQuarterOfTheProduceLatencySLO() throws {
        for (slo, expected) in [("50ms", 10), ("20ms", 5), ("2ms", 0)] {
            let (_, r) = try Self.derive {
                $0.replacingOccurrences(of: "produceLatencyP99: 50ms", with: "produceLatencyP99: \(slo)")
            }
            for c in r.clientConfigs where c.role == .producer {
                let linger = Int(Self.property(r, c.service, .producer, "linger.ms") ?? "") ?? -1
                #expect(linger == expected, "\(c.service) at \(slo)")
            }
        }
    }

    @Test func aConsumersOwnLagSLOSetsItsPollsAndItsAlerts() throws {
        // notification-service: 80 ms a record, 256 at a time; a 5 s lag SLO of its own.
        let (a, r) = try Self.derive {
            $0.replacingOccurrences(
                of: "        processingTime: 80ms\n", with: "        processingTime: 80ms\n        maxLag: 5s\n")
        }
        let group = try #require(r.consumerGroups.first { $0.service == "notification-service" })
        #expect(group.maxLagSeconds == 5)
        // Half of 5 s at 80 ms ÷ 256 per record: 160 records.
        let expected = min(500, Int((2.5 / (0.080 / 256)).rounded(.down)))
        #expect(Self.property(r, "notification-service", .consumer, "max.poll.records") == String(expected))
        let alerts = try #require(
            Deliverables.generate(r, architecture: a, targets: [.prometheus]).first {
                $0.path == "prometheus/alerts.yml"
            })
        #expect(
            alerts.contents.contains(
                "max(kafka_consumergroup_lag_seconds{job=\\\"kafka-architect-exporter\\\",consumergroup=\\\"notification-service\\\"}) > 5\""
            ))
        // Others keep the design's 60 s.
        #expect(r.consumerGroups.first { $0.service == "payment-service" }?.maxLagSeconds == 60)
    }

    @Test func aPollTooLargeForTheLagSLOIsAFinding() throws {
        // 50,000 × 200 ms ÷ 128 at a time: 78 s a poll, over half the 60 s lag SLO (5,000: 7.8 s, fine).
        let (_, r) = try Self.derive {
            $0.replacingOccurrences(
                of: "        processingTime: 200ms\n",
                with: "        processingTime: 200ms\n        maxPollRecords: 50000\n")
        }
        #expect(Self.property(r, "notification-sender", .consumer, "max.poll.records") == "50000")
        let (_, fine) = try Self.derive {
            $0.replacingOccurrences(
                of: "        processingTime: 200ms\n",
                with: "        processingTime: 200ms\n        maxPollRecords: 5000\n")
        }
        #expect(!fine.findings.contains { $0.code == "poll-too-large" })
        #expect(r.findings.contains { $0.code == "poll-too-large" && $0.subject == "notification-sender" })
    }

    @Test(arguments: [
        ("maxPollRecords: 0", "maxPollRecords"), ("offsetReset: oldest", "offsetReset"), ("maxLag: soon", "maxLag"),
        ("sideEffects: maybe", "sideEffects"),
    ])
    func badValuesNameTheirLineAndField(line: String, field: String) throws {
        let path = DeliverablesTests.root.appendingPathComponent("examples/ecommerce.yaml").path
        var yaml = try String(contentsOfFile: path, encoding: .utf8)
        yaml =
            field == "sideEffects"
            ? yaml.replacingOccurrences(of: "sideEffects: true", with: line)
            : yaml.replacingOccurrences(
                of: "        processingTime: 200ms\n", with: "        processingTime: 200ms\n        \(line)\n")
        do {
            _ = try ArchitectureFile.parse(yaml, file: path)
            Issue.record("\(line) was accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains("services[4].consumes[0].\(field)"), "\(message)")
            #expect(message.contains("ecommerce.yaml:"), "\(message)")
        }
    }
}

/// What an entity can now say about its data (issue 12, "the architecture file can say more"), each
/// checked in the derived design, the plan and the deliverables.
@Suite struct EntityFieldTests {
    /// vehicle-telemetry with lines added under one entity (`- name: <entity>` is the anchor).
    /// `removing` is taken out of the file first (e.g. a retention line the added lines replace).
    static func derive(_ entity: String, _ lines: [String], removing: String? = nil) throws -> (
        Architecture, DesignResult
    ) {
        let path = DeliverablesTests.root.appendingPathComponent("examples/vehicle-telemetry.yaml").path
        let anchor = "      - name: \(entity)\n"
        var yaml = try String(contentsOfFile: path, encoding: .utf8)
        if let removing { yaml = yaml.replacingOccurrences(of: removing, with: "") }
        yaml = yaml.replacingOccurrences(of: anchor, with: anchor + lines.map { "        \($0)\n" }.joined())
        let a = try ArchitectureFile.parse(yaml, file: path)
        return (a, try DesignAdvisor.derive(a))
    }

    static func topic(_ r: DesignResult, _ name: String) throws -> DesignedTopic {
        try #require(r.topics.first { $0.name == name })
    }

    @Test func keptForeverIsMinusOneEverywhereAndSizedForAYear() throws {
        let sevenDays = "        schema: avro\n        retention: 7d\n"
        let (a, r) = try Self.derive("alerts", ["retention: forever"], removing: sevenDays)
        let name = "fleetops.fleet.alerts.events"
        #expect(try Self.topic(r, name).config("retention.ms") == "-1")
        let files = Deliverables.generate(r, architecture: a, targets: [.terraform, .strimzi, .scripts])
        #expect(files.first { $0.path == "terraform/main.tf" }?.contents.contains("\"retention.ms\"") == true)
        let strimzi = try #require(files.first { $0.path == "strimzi/topics.yaml" }).contents
        let block = try #require(
            strimzi.components(separatedBy: "---").first {
                $0.contains("topicName: \"\(name)\"") || $0.contains("name: fleetops-fleet-alerts-events")
            })
        #expect(block.contains("retention.ms: \"-1\""))
        // The plan sizes one year of writes: 500 msg/s × 700 B ÷ zstd's ratio × 365 d per replica.
        let plan = try #require(r.plan.topics.first { $0.name == name })
        let wire = 500.0 * 700 / CompressionCodec.zstd.typicalRatio
        #expect(abs(plan.retainedBytesPerReplica - wire * 365 * 86_400) / plan.retainedBytesPerReplica < 1e-9)
        #expect(r.findings.contains { $0.code == "kept-forever" && $0.subject == name })
        // Personal data kept forever on a delete topic cannot be erased.
        let (_, pii) = try Self.derive("alerts", ["retention: forever", "pii: true"], removing: sevenDays)
        #expect(pii.findings.contains { $0.code == "pii-kept-forever" && $0.severity == .error })
    }

    @Test func aFixedCountARetentionSizeAndNoTieringReachThePlanAndTheTopic() throws {
        let (_, r) = try Self.derive("diagnostics", ["partitions: 48", "retentionBytes: 20GB", "tieredStorage: false"])
        let t = try Self.topic(r, "telemetry.diagnostics.events")
        #expect(t.partitions == 48)
        #expect(t.config("retention.bytes") == "20000000000")
        #expect(t.config("remote.storage.enable") == nil && t.config("local.retention.ms") == nil)
        let plan = try #require(r.plan.topics.first { $0.name == t.name })
        #expect(plan.partitions == 48 && plan.keepLocal)
        // At most 20 GB per partition × 48 partitions, per replica.
        #expect(plan.retainedBytesPerReplica <= 20e9 * 48)
        // Kept local: broker disks hold all of it, on top of the other topics' local windows.
        let (_, tiered) = try Self.derive("diagnostics", ["partitions: 48", "retentionBytes: 20GB"])
        #expect(r.plan.storage.localBytes > tiered.plan.storage.localBytes)
    }

    @Test func largeRecordsRaiseEveryLimitOnTheirPath() throws {
        let (a, r) = try Self.derive("alerts", ["maxMessageSize: 5MB"])
        let limit = 5_000_000 + 1024
        #expect(try Self.topic(r, "fleetops.fleet.alerts.events").config("max.message.bytes") == String(limit))
        let design = try #require(a.design)
        for c in r.clientConfigs {
            let s = try #require(design.services.first { $0.name == c.service })
            let uses = c.role == .producer ? s.produces : s.consumes
            guard uses.contains(where: { design.entity(for: $0.stream)?.name == "alerts" }) else { continue }
            let key = c.role == .producer ? "max.request.size" : "max.partition.fetch.bytes"
            let value = c.properties.first { $0.key == key }?.value
            #expect(value.flatMap(Int.init) ?? 0 >= limit, "\(c.service) \(c.role): \(key)")
        }
        #expect(!r.findings.contains { $0.code == "large-messages" })
        let (_, huge) = try Self.derive("alerts", ["maxMessageSize: 20MB"])
        #expect(huge.findings.contains { $0.code == "large-messages" })
    }

    @Test func keysSizeCompactedTopicsAndFewKeysOrAHotKeyAreFindings() throws {
        // Compacted: 2 million devices × 400 B ÷ zstd's ratio, twice over before the cleaner runs.
        let (_, r) = try Self.derive("device", ["keyCardinality: 2M"])
        let plan = try #require(r.plan.topics.first { $0.name == "telemetry.device.state" })
        let expected = 2e6 * 400 / CompressionCodec.zstd.typicalRatio * 2
        #expect(abs(plan.retainedBytesPerReplica - expected) < 1)
        // 20 vehicles over the positions topic's partitions: the expected idle ones, P (1 − 1/P)^K.
        let (_, few) = try Self.derive("positions", ["keyCardinality: 20"])
        let p = Double(try Self.topic(few, "telemetry.positions.events").partitions)
        let finding = try #require(few.findings.first { $0.code == "few-keys" })
        let idle = p * pow(1 - 1 / p, 20)
        #expect(finding.message.contains(Format.grouped(idle, decimals: 1)), "\(finding.message) vs \(idle)")
        // One vehicle with 2% of 350k msg/s × 3 at 450 B: 9.45 MB/s on one partition.
        let (_, hot) = try Self.derive("positions", ["hotKeyShare: 2%"])
        let h = try #require(hot.findings.first { $0.code == "hot-key" && $0.subject == "telemetry.positions.events" })
        #expect(h.message.contains("9.45 MB/s"), "\(h.message)")
        #expect(h.fix.contains("--salt-buckets"))
    }

    @Test func personalDataSaysHowToProtectAndEraseIt() throws {
        let (_, r) = try Self.derive("positions", ["pii: true"])
        let notes = try Self.topic(r, "telemetry.positions.events").notes.joined(separator: "\n")
        #expect(notes.contains("encrypted volumes") && notes.contains("crypto-shredding"))
        #expect(notes.contains("SSE-KMS"), "the topic is tiered: its bucket must be encrypted")
        let (_, state) = try Self.derive("device", ["pii: true"])
        #expect(try Self.topic(state, "telemetry.device.state").notes.joined().contains("tombstone"))
    }

    @Test(arguments: [
        ("diagnostics", "partitions: 0", "partitions"), ("positions", "hotKeyShare: 150%", "hotKeyShare"),
        ("positions", "maxMessageSize: 5GB", "maxMessageSize"), ("positions", "keyCardinality: 0", "keyCardinality"),
        ("device", "retention: forever", "retention"),
    ])
    func impossibleValuesNameTheirField(entity: String, line: String, field: String) throws {
        do {
            _ = try Self.derive(entity, [line])
            Issue.record("\(line) was accepted")
        } catch {
            #expect("\(error)".contains(".\(field)"), "\(error)")
        }
    }
}

/// Kafka Streams and Connect services (issue 12, defect 2 and "the architecture file can say more"):
/// their internal topics, groups, ACLs and configuration.
@Suite struct PlatformServiceTests {
    static func derive(_ edit: (String) -> String = { $0 }) throws -> (Architecture, DesignResult) {
        let path = DeliverablesTests.root.appendingPathComponent("examples/vehicle-telemetry.yaml").path
        let a = try ArchitectureFile.parse(edit(try String(contentsOfFile: path, encoding: .utf8)), file: path)
        return (a, try DesignAdvisor.derive(a))
    }

    static func allowed(
        _ r: DesignResult, _ principal: String, _ type: AclEntry.ResourceType, _ name: String, _ op: String
    )
        -> Bool
    {
        r.acls.contains {
            $0.principal == principal && $0.resourceType == type && $0.operation == op
                && ($0.patternType == .literal ? $0.resourceName == name : name.hasPrefix($0.resourceName))
        }
    }

    @Test func aStreamsApplicationOwnsItsInternalTopicsAndTransactions() throws {
        let (a, r) = try Self.derive()
        let c = try #require(r.clientConfigs.first { $0.service == "position-enricher" })
        #expect(c.role == .streams && r.clientConfigs.filter { $0.service == "position-enricher" }.count == 1)
        let props = Dictionary(c.properties.map { ($0.key, $0.value) }, uniquingKeysWith: { x, _ in x })
        let appId = try #require(props["application.id"])
        let p = "User:position-enricher"
        // Streams names its internal topics <application.id>-<store>-changelog and -repartition, and its group the id.
        for topic in ["\(appId)-positions-store-changelog", "\(appId)-KSTREAM-MAP-0000000003-repartition"] {
            for op in ["Create", "Read", "Write", "Describe", "DescribeConfigs", "Delete"] {
                #expect(Self.allowed(r, p, .topic, topic, op), "\(op) \(topic)")
            }
        }
        #expect(Self.allowed(r, p, .group, appId, "Read"))
        #expect(!Self.allowed(r, p, .topic, "telemetry.positions.events", "Write"), "reads its input, never writes it")
        #expect(props["processing.guarantee"] == "at_least_once" && props["replication.factor"] == "3")
        // Exactly-once: transactional ids under the application id, and exactly_once_v2.
        let (_, eos) = try Self.derive {
            $0.replacingOccurrences(
                of: "    produces: [telemetry.enriched]\n",
                with: "    produces:\n      - stream: telemetry.enriched\n        guarantee: exactly-once\n")
        }
        let e = try #require(eos.clientConfigs.first { $0.service == "position-enricher" })
        #expect(e.properties.contains { $0.key == "processing.guarantee" && $0.value == "exactly_once_v2" })
        #expect(Self.allowed(eos, p, .transactionalId, "\(appId)-3f1c-0", "Write"))
        // Java only: no librdkafka twin.
        let files = Deliverables.generate(r, architecture: a, targets: [.clientConfigs]).map(\.path)
        #expect(files.contains("client-configs/position-enricher-streams.properties"))
        #expect(
            !files.contains { $0.hasPrefix("client-configs/position-enricher") && $0.hasSuffix(".librdkafka.conf") })
    }

    @Test func aConnectClusterGetsItsTopicsGroupsAndClientSecurity() throws {
        let (a, r) = try Self.derive()
        let c = try #require(r.clientConfigs.first { $0.service == "lake-sink" })
        #expect(c.role == .connectWorker)
        let props = Dictionary(c.properties.map { ($0.key, $0.value) }, uniquingKeysWith: { x, _ in x })
        let p = "User:lake-sink"
        for key in ["config.storage.topic", "offset.storage.topic", "status.storage.topic"] {
            let name = try #require(props[key])
            let t = try #require(r.topics.first { $0.name == name }, "\(key) \(name) is not created")
            #expect(t.config("cleanup.policy") == "compact" && t.purpose == .internal)
            for op in ["Read", "Write", "Describe"] { #expect(Self.allowed(r, p, .topic, name, op)) }
        }
        #expect(r.topics.first { $0.name == props["config.storage.topic"] }?.partitions == 1)
        #expect(Self.allowed(r, p, .group, try #require(props["group.id"]), "Read"))
        // The sink connector's group is connect-<connector>; its lag is watched like any group's.
        let group = try #require(r.consumerGroups.first { $0.service == "lake-sink" })
        #expect(group.id == "connect-lake-sink" && Self.allowed(r, p, .group, group.id, "Read"))
        #expect(Self.allowed(r, p, .topic, "telemetry.enriched.events", "Read"))
        // Connectors' clients authenticate only with the worker's security repeated under their prefixes.
        for key in ["security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location"] {
            for prefix in ["producer.", "consumer.", "admin."] {
                #expect(props[prefix + key] == props[key], "\(prefix)\(key)")
            }
        }
        // Its topics reach every deliverable that creates topics.
        let files = Deliverables.generate(r, architecture: a, targets: [.terraform, .strimzi, .scripts])
        for f in files where ["terraform/main.tf", "strimzi/topics.yaml", "scripts/create-topics.sh"].contains(f.path) {
            #expect(f.contents.contains("lake-sink.offsets") || f.contents.contains("lake-sink-offsets"), "\(f.path)")
        }
    }

    /// A tenant's service reading a tenant topic: retry and dead-letter topics carry the prefix once.
    @Test func retryTopicsOfATenantServiceDoNotDoubleThePrefix() throws {
        let path = DeliverablesTests.root.appendingPathComponent("examples/ecommerce.yaml").path
        var yaml = try String(contentsOfFile: path, encoding: .utf8)
        yaml += """
              - name: partner-indexer
                tenant: partner
                consumes:
                  - stream: partner.marketplace.listings.events
                    guarantee: at-least-once
                    idempotent: false

            """
        let a = try ArchitectureFile.parse(yaml, file: path)
        let r = try DesignAdvisor.derive(a)
        let retries = r.topics.filter { $0.purpose != .main && $0.name.contains("partner-indexer") }.map(\.name)
        #expect(retries.count == 4)
        for name in retries {
            #expect(name.hasPrefix("partner.partner-indexer.marketplace.listings.events."), "\(name)")
        }
    }
}

/// Topics joined on their key get the same partition count, or a finding (issue 12, judgment).
@Suite struct CoPartitionTests {
    static func derive(_ edit: (String) -> String) throws -> DesignResult {
        let path = DeliverablesTests.root.appendingPathComponent("examples/vehicle-telemetry.yaml").path
        let a = try ArchitectureFile.parse(edit(try String(contentsOfFile: path, encoding: .utf8)), file: path)
        return try DesignAdvisor.derive(a)
    }

    static func partitions(_ r: DesignResult, _ topic: String) -> Int? {
        r.topics.first { $0.name == topic }?.partitions
    }

    @Test func aListedGroupTakesItsLargestCountInTheDesignAndThePlan() throws {
        let before = try Self.derive { $0 }
        let (p, d) = (
            Self.partitions(before, "telemetry.positions.events")!,
            Self.partitions(before, "telemetry.diagnostics.events")!
        )
        try #require(p != d, "the example's two topics already have equal counts")
        let r = try Self.derive { $0 + "coPartition:\n  - [telemetry.positions, telemetry.diagnostics]\n" }
        #expect(Self.partitions(r, "telemetry.positions.events") == max(p, d))
        #expect(Self.partitions(r, "telemetry.diagnostics.events") == max(p, d))
        #expect(r.plan.topics.first { $0.name == "telemetry.diagnostics.events" }?.partitions == max(p, d))
        #expect(!r.findings.contains { $0.code == "co-partition-mismatch" })
    }

    @Test func aStreamsJoinOnOneKeyIsCoPartitionedWithoutBeingListed() throws {
        let r = try Self.derive {
            $0.replacingOccurrences(
                of: "one task (one partition) per thread\n",
                with:
                    "one task (one partition) per thread\n      - stream: telemetry.diagnostics\n        guarantee: at-least-once\n        idempotent: true\n"
            )
        }
        #expect(Self.partitions(r, "telemetry.positions.events") == Self.partitions(r, "telemetry.diagnostics.events"))
        #expect(
            r.topics.first { $0.name == "telemetry.diagnostics.events" }?.notes.contains {
                $0.contains("co-partitioned")
            } == true)
    }

    @Test func fixedCountsThatDifferAreAnError() throws {
        let r = try Self.derive {
            $0.replacingOccurrences(
                of: "      - name: diagnostics\n", with: "      - name: diagnostics\n        partitions: 7\n")
                + "coPartition:\n  - [telemetry.positions, telemetry.diagnostics]\n"
        }
        #expect(r.findings.contains { $0.code == "co-partition-mismatch" && $0.severity == .error })
    }

    @Test func aGroupNamesDeclaredStreams() throws {
        do {
            _ = try Self.derive { $0 + "coPartition:\n  - [telemetry.positions, telemetry.nothing]\n" }
            Issue.record("an undeclared stream was accepted")
        } catch {
            #expect("\(error)".contains("coPartition[0][1]"), "\(error)")
        }
    }
}

/// Decision records and the capacity report (issue 12, new deliverables): each with its alternatives
/// and the figures behind it, from the same derivation as everything else.
@Suite struct DecisionRecordTests {
    static func files(_ example: String) throws -> (Architecture, DesignResult, [String: String]) {
        let path = DeliverablesTests.root.appendingPathComponent(example).path
        let a = try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        let r = try DesignAdvisor.derive(a)
        let files = Deliverables.generate(r, architecture: a, targets: [.reports])
        return (a, r, Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.contents) }))
    }

    @Test(arguments: ["examples/ecommerce.yaml", "examples/vehicle-telemetry.yaml", "examples/payments.yaml"])
    func everyRecordHasItsSectionsAndTheDesignsFigures(example: String) throws {
        let (a, r, files) = try Self.files(example)
        let adrs = files.keys.filter { $0.hasPrefix("reports/adr/") }.sorted()
        #expect(adrs.count == 4)
        for path in adrs {
            let text = files[path]!
            for section in ["## Context", "## Decision", "## Alternatives considered", "## Consequences"] {
                #expect(text.contains(section), "\(path) lacks \(section)")
            }
        }
        // Keys: each main topic with its partitions and its peak rate per partition.
        let keys = try #require(files["reports/adr/0001-partition-keys.md"])
        let design = try #require(a.design)
        for t in r.topics where t.purpose == .main {
            let e = try #require(design.entities.first { $0.reference == t.entity })
            let row = try #require(keys.split(separator: "\n").first { $0.hasPrefix("| `\(t.name)` |") }, "\(t.name)")
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(Int(cells[3]) == t.partitions)
            let perPartition = e.messagesPerSecond * e.peakToAverage / Double(t.partitions)
            let stated = try #require(
                Double(cells[4].replacingOccurrences(of: " msg/s", with: "").replacingOccurrences(of: ",", with: "")))
            #expect(
                abs(stated - perPartition) <= max(0.05, perPartition * 0.001), "\(t.name): \(stated) vs \(perPartition)"
            )
        }
        // Retention: tiered exactly where the topic configs tier.
        let retention = try #require(files["reports/adr/0004-retention-and-tiering.md"])
        for t in r.topics where t.purpose == .main {
            let row = try #require(retention.split(separator: "\n").first { $0.hasPrefix("| `\(t.name)` |") })
            #expect(row.contains("| tiered |") == (t.config("remote.storage.enable") == "true"), "\(row)")
        }
        #expect(retention.contains(Format.value(r.plan.storage.localBytes, .bytes)))
        // Exactly-once: the transactional writers are named.
        let eos = try #require(files["reports/adr/0002-exactly-once-boundaries.md"])
        for c in r.clientConfigs where c.role != .consumer && c.guarantee == .exactlyOnce {
            #expect(eos.contains("`\(c.service)`"))
        }
        #expect(files["reports/capacity.md"]?.contains(r.plan.instance.type.name) == true)
    }
}

/// Upgrading from the first version: its Terraform (positional ACL names, kept as a fixture from
/// before content-derived names) must map, through moved.tf, onto resources of the same content, and
/// every topic it created must still exist under its name (a renamed topic is replaced: its records,
/// dead letters included, are lost).
@Suite struct UpgradeTests {
    static func blocks(_ tf: String, kind: String) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for m in tf.matches(of: try! Regex("resource \"\(kind)\" \"([^\"]+)\" \\{([\\s\\S]*?)\\n\\}")) {
            let name = String(m.output[1].substring ?? "")
            var body: [String: String] = [:]
            for a in String(m.output[2].substring ?? "").matches(of: /(\w+)\s*=\s*"([^"]*)"/) {
                body[String(a.1)] = String(a.2)
            }
            out[name] = body
        }
        return out
    }

    @Test func theFirstVersionsResourcesMoveOntoTheSameContent() throws {
        let old = try String(
            contentsOf: DeliverablesTests.root.appendingPathComponent("Tests/Fixtures/first-wave/ecommerce-main.tf"),
            encoding: .utf8)
        let (a, r) = try DeliverablesTests().design()
        let files = Deliverables.generate(r, architecture: a, targets: [.terraform])
        let main = try #require(files.first { $0.path == "terraform/main.tf" }).contents
        let moved = try #require(files.first { $0.path == "terraform/moved.tf" }).contents
        let (before, after) = (Self.blocks(old, kind: "kafka_acl"), Self.blocks(main, kind: "kafka_acl"))
        let keys = ["resource_name", "resource_type", "resource_pattern_type_filter", "acl_principal", "acl_operation"]
        let moves = moved.matches(of: /from = kafka_acl\.(\S+)\n\s*to\s*= kafka_acl\.(\S+)/)
        #expect(moves.count == before.count)
        for m in moves {
            let (from, to) = (String(m.1), String(m.2))
            let o = try #require(before[from], "\(from) was not in the first version")
            let n = try #require(after[to], "\(to) does not exist")
            #expect(keys.map { o[$0] } == keys.map { n[$0] }, "\(from) → \(to)")
        }
        let topics = Set(Self.blocks(main, kind: "kafka_topic").values.compactMap { $0["name"] })
        for t in Self.blocks(old, kind: "kafka_topic").values.compactMap({ $0["name"] }) {
            #expect(topics.contains(t), "the first version's topic \(t) would be replaced")
        }
    }
}

/// Re-replicating a replaced broker is bounded by its disks as well as its network (issue 14's first
/// line, fixed here because the runbooks and decision records quote it): hand-computed on a machine
/// with a fast network and slow storage.
@Suite struct RecoveryTimeTests {
    @Test func theSlowerOfNetworkAndDiskBoundsIt() throws {
        let yaml = """
            version: 1
            name: slow-disks
            environment:
              provider: custom
              availabilityZones: 3
              instance: box
              brokers: 3
              storage: gp2
              machines:
                - {name: box, vcpus: 16, memory: 64GiB, network: 1GB/s, diskThroughput: 100MB/s, hourlyUSD: 1}
            topics:
              - {name: t, messagesPerSecond: 30k, messageSize: 1KB, retention: 1d}
            """
        let a = try ArchitectureFile.parse(yaml, file: "slow.yaml")
        let plan = try CapacityPlanner().plan(a)
        // 30 MB/s written and 60 MB/s replicated (RF 3), over 3 brokers: 30 MB/s into each.
        let inPerBroker = 30e6 * 3 / 3
        #expect(abs(plan.throughput.networkInPerBrokerBytesPerSecond - inPerBroker) < 1)
        // Spare: network 1 GB/s − 30 MB/s = 970 MB/s; disks 100 MB/s − 30 MB/s = 70 MB/s. The disks bound it.
        let expected = plan.storage.perBrokerBytes / (100e6 - inPerBroker)
        #expect(abs(plan.storage.brokerRecoverySeconds - expected) / expected < 1e-9)
        #expect(plan.storage.brokerRecoverySeconds > plan.storage.perBrokerBytes / (1e9 - inPerBroker) * 10)
    }
}

/// A design on Amazon MSK: the cluster in Terraform as planned, no self-managed broker deliverables.
@Suite struct MSKDeliverablesTests {
    func design() throws -> (Architecture, DesignResult) {
        let path = DeliverablesTests.root.appendingPathComponent("examples/ride-hailing-msk.yaml").path
        let architecture = try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        return (architecture, try DesignAdvisor.derive(architecture))
    }

    @Test func terraformDescribesThePlannedMSKCluster() throws {
        let (a, r) = try design()
        #expect(r.plan.deployment == .msk)
        let files = Deliverables.generate(r, architecture: a, targets: DeliverableTarget.allCases)
        let msk = try #require(files.first { $0.path == "terraform/msk.tf" }).contents
        #expect(msk.contains("number_of_broker_nodes = \(r.plan.brokers)"))
        #expect(msk.contains("instance_type   = \"\(r.plan.instance.type.name)\""))
        let gib = Int((r.plan.storage.volumeSizeBytes / 1_073_741_824).rounded(.up))
        #expect(msk.contains("volume_size = \(gib) "))
        #expect(r.plan.brokers % a.environment.availabilityZones == 0, "MSK needs brokers in every subnet alike")
        // One AmazonMSK_ secret per SCRAM user (the admin and every client), all associated to the cluster.
        let users = Set(r.acls.map(\.principal).filter { $0.hasPrefix("User:") }.map { String($0.dropFirst(5)) })
        for user in users.union(["admin"]) {
            #expect(msk.contains("name       = \"AmazonMSK_ride-hailing_\(user)\""), "\(user)")
        }
        #expect(msk.contains("resource \"aws_msk_scram_secret_association\""))
        // ACLs stay enforced on every apply after the first, and step 1 reads the bootstrap brokers.
        #expect(msk.contains("default     = true"))
        #expect(msk.contains("output \"bootstrap_brokers_sasl_scram\""))
        #expect(msk.contains("provider \"aws\""))
        #expect(msk.contains("kms_key_id"))
        // What MSK runs itself is not handed over; DEPLOYMENT.md says why.
        let paths = Set(files.map(\.path))
        for gone in [
            "broker-config/server.properties", "broker-config/controller.properties", "strimzi/kafka.yaml",
            "scripts/format-storage.sh", "scripts/create-scram-users.sh", "prometheus/jmx-exporter.yml",
            "runbooks/broker-replacement.md",
        ] {
            #expect(!paths.contains(gone), "\(gone) is for a self-managed cluster")
        }
        let deployment = try #require(files.first { $0.path == "DEPLOYMENT.md" }).contents
        #expect(deployment.contains("acls_enforced"))
        let acls = try #require(files.first { $0.path == "scripts/create-acls.sh" }).contents
        let admin = try #require(acls.range(of: "--allow-principal 'User:admin' --operation All --cluster"))
        let firstClient = try #require(acls.range(of: "--allow-principal 'User:dispatch'"))
        #expect(admin.lowerBound < firstClient.lowerBound, "the admin is granted first")
        let config = try #require(files.first { $0.path == "broker-config/msk-configuration.properties" })
        #expect(config.contents.contains("allow.everyone.if.no.acl.found=false"))
        #expect(!config.contents.contains("listeners="))
    }

    @Test func provisionedThroughputOnlyWhenThePlanNeedsIt() throws {
        let (a, r) = try design()
        let msk = MSKTarget.terraform(r, a)
        let needs = r.plan.storage.volumeThroughputBytesPerSecond > InstanceCatalog.volumeDefault + 1
        #expect(msk.contains("provisioned_throughput") == needs)
    }
}
