import ArchitectCore
import Testing

@testable import ArchitectFile

/// Explicit topics, ACLs and quotas in the architecture file (issue 17): what each entry becomes, and one
/// error at the right line for everything Kafka would refuse.
@Suite struct ManagedResourcesFileTests {
    static let file = """
        version: 1
        name: clinic
        topics:
          - name: clinic.appointments
            partitions: 6
            replicationFactor: 3
            configs:
              retention.ms: 86400000
              cleanup.policy: compact,delete
          - name: clinic.metrics
            messagesPerSecond: 2k
            messageSize: 512B
          - name: clinic.audit
            partitions: 1
            replicationFactor: 3
            keyed: false
            messagesPerSecond: 10
            messageSize: 1KB
        acls:
          - principal: User:reminders
            operations: [Read, Describe]
            topic: clinic.appointments
          - principal: User:reminders
            operation: read
            group: reminders
            patternType: prefixed
          - principal: User:ops
            operation: Alter
            cluster: true
            permission: deny
            host: 10.0.0.1
        quotas:
          - user: reminders
            consumerByteRate: 5MB/s
            requestPercentage: 25
          - user: <default>
            clientId: batch
            producerByteRate: 1048576
        """

    func error(_ text: String) -> ArchitectureFileError? {
        do {
            _ = try ArchitectureFile.parse(text, file: "c.yaml")
            return nil
        } catch { return error }
    }

    @Test func everyResourceIsRead() throws {
        let a = try ArchitectureFile.parse(Self.file, file: "c.yaml")
        // Sized topics stay workloads; topics with partitions and replicationFactor are managed (both for audit).
        #expect(a.topics.map(\.name) == ["clinic.metrics", "clinic.audit"])
        #expect(a.managed.topics.map(\.name) == ["clinic.appointments", "clinic.audit"])
        let t = a.managed.topics[0]
        #expect(t.partitions == 6 && t.replicationFactor == 3 && t.keyed)
        #expect(t.configs == ["retention.ms": "86400000", "cleanup.policy": "compact,delete"])
        #expect(a.managed.topics[1].keyed == false)
        // operations: [Read, Describe] is two bindings; names are Kafka's whatever the case written.
        #expect(
            a.managed.acls.map(SyncPlanner.aclName) == [
                "Allow User:reminders Read Topic:clinic.appointments (Literal) from *",
                "Allow User:reminders Describe Topic:clinic.appointments (Literal) from *",
                "Allow User:reminders Read Group:reminders (Prefixed) from *",
                "Deny User:ops Alter Cluster:kafka-cluster (Literal) from 10.0.0.1",
            ])
        #expect(a.managed.quotas.count == 2)
        #expect(a.managed.quotas[0].values == ["consumer_byte_rate": 5_000_000, "request_percentage": 25])
        #expect(a.managed.quotas[1].entity == .init(user: "<default>", clientId: "batch"))
        #expect(a.managed.quotas[1].values == ["producer_byte_rate": 1_048_576])
    }

    @Test func aFileOfOnlyACLsIsValid() throws {
        let a = try ArchitectureFile.parse(
            "version: 1\nacls:\n  - principal: User:a\n    operation: Write\n    transactionalId: tx-\n    patternType: prefixed\n",
            file: "c.yaml")
        #expect(a.managed.acls.first?.resourceType == "TransactionalId")
        #expect(a.topics.isEmpty)
    }

    /// A sized topic's error points at its own line even when managed-only entries come before it.
    @Test func errorsInSizedTopicsKeepTheirLines() {
        let text = """
            version: 1
            topics:
              - name: a
                partitions: 3
                replicationFactor: 3
              - name: b
                messagesPerSecond: 10
                messageSize: 1KB
                consumerGroups: -1
            """
        let e = error(text)
        #expect(e?.line == 9, "\(String(describing: e))")
        #expect(e?.field == "topics[1].consumerGroups")
    }

    @Test(arguments: [
        ("  - name: orders!\n    partitions: 1\n    replicationFactor: 1\n", 3, "character Kafka does not allow"),
        ("  - name: ..\n    partitions: 1\n    replicationFactor: 1\n", 3, "not a valid topic name"),
        ("  - name: t\n    replicationFactor: 3\n", 3, "needs a partition count"),
        ("  - name: t\n    partitions: 0\n    replicationFactor: 3\n", 4, "between 1 and 1000000"),
        ("  - name: t\n    partitions: 3\n", 3, "or partitions and replicationFactor to manage it"),
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      retention.msec: 1\n", 7,
            "did you mean 'retention.ms'"
        ),
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      retention.ms: 7d\n", 7,
            "Kafka takes milliseconds"
        ),
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      cleanup.policy: compacted\n",
            7, "not delete, compact or compact,delete"
        ),
        (
            "  - name: t\n    messagesPerSecond: 1\n    messageSize: 1KB\n    configs:\n      retention.ms: 1\n", 6,
            "configs and keyed are for managed topics"
        ),
        // Found by expert review: values Kafka's validators refuse.
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      compression.type: ZSTD\n", 7,
            "Kafka compares exactly: write zstd"
        ),
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      message.timestamp.type: createtime\n",
            7, "write CreateTime"
        ),
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      min.insync.replicas: 0\n", 7,
            "at least 1"
        ),
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      compression.gzip.level: 99\n",
            7,
            "gzip levels are 1 to 9"
        ),
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      segment.bytes: 1000\n", 7,
            "at least 1048576"
        ),
        (
            "  - name: a.b\n    partitions: 1\n    replicationFactor: 1\n  - name: a_b\n    partitions: 1\n    replicationFactor: 1\n",
            6, "treats '.' and '_' alike"
        ),
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      retention.ms: -5\n", 7,
            "at least -1 (-1 means no limit)"
        ),
        (
            "  - name: t\n    partitions: 3\n    replicationFactor: 1\n    configs:\n      max.message.bytes: 3000000000\n",
            7, "at most 2147483647"
        ),
        (
            "  - name: t\n    partitions: 1\n    replicationFactor: 1\n  - name: t\n    partitions: 2\n    replicationFactor: 1\n",
            6, "already given at topics[0]"
        ),
    ])
    func badTopicsAreOneLine(entry: String, line: Int, words: String) {
        let e = error("version: 1\ntopics:\n" + entry)
        #expect(e?.line == line, "\(String(describing: e))")
        #expect(e?.description.contains(words) == true, "\(String(describing: e))")
    }

    @Test(arguments: [
        ("  - principal: User:a\n    operation: Reed\n    topic: t\n", 4, "'Reed' is not an ACL operation"),
        ("  - principal: User:a\n    operation: Write\n    group: g\n", 4, "Write does not apply to a Group"),
        ("  - principal: alice\n    operation: Read\n    topic: t\n", 3, "is not TYPE:NAME"),
        ("  - principal: User:a\n    operation: Read\n", 3, "missing: name the resource"),
        ("  - principal: User:a\n    operation: Read\n    topic: t\n    group: g\n", 3, "one resource per entry"),
        (
            "  - principal: User:a\n    operation: Read\n    topic: t\n    patternType: match\n", 6,
            "literal or prefixed"
        ),
        (
            "  - principal: User:a\n    operation: Read\n    resourceType: Schema\n    name: x\n", 5,
            "not a resource type"
        ),
        ("  - principal: user:a\n    operation: Read\n    topic: t\n", 3, "write User:a"),
        ("  - principal: User:a\n    operation: Read\n    topic: t\n    host: 10.0.0.*\n", 6, "grant nothing"),
        ("  - principal: User:a\n    operation: Read\n    topic: \"\"\n", 5, "empty: name the Topic"),
        ("  - principal: User:a\n    operation: Alter\n    cluster: false\n", 5, "cluster: false names nothing"),
    ])
    func badACLsAreOneLine(entry: String, line: Int, words: String) {
        let e = error("version: 1\nacls:\n" + entry)
        #expect(e?.line == line, "\(String(describing: e))")
        #expect(e?.description.contains(words) == true, "\(String(describing: e))")
    }

    @Test(arguments: [
        ("  - producerByteRate: 1MB/s\n", 3, "missing: give user:"),
        ("  - user: a\n", 3, "give at least one limit"),
        ("  - user: a\n    producerByteRate: fast\n", 4, "fast"),
        ("  - user: a\n    requestPercentage: -5\n", 4, "cannot be negative"),
        ("  - ip: 10.0.0.1\n    producerByteRate: 1MB/s\n", 4, "an ip quota takes only connectionCreationRate"),
        ("  - user: a\n    producerByteRate: 1MB/s\n  - user: a\n    consumerByteRate: 1MB/s\n", 5, "already given"),
        ("  - user: a\n    producerByteRate: 1000.5\n", 4, "whole number of bytes per second"),
        ("  - user: User:a\n    producerByteRate: 1MB/s\n", 3, "write a, not User:a"),
        ("  - ip: 10.0.0.256\n    connectionCreationRate: 5\n", 3, "not an IP address"),
        ("  - ip: 1::2::3\n    connectionCreationRate: 5\n", 3, "not an IP address"),
        ("  - ip: 10.0.0.1\n    connectionCreationRate: 2.5\n", 4, "whole number of connections"),
    ])
    func badQuotasAreOneLine(entry: String, line: Int, words: String) {
        let e = error("version: 1\nquotas:\n" + entry)
        #expect(e?.line == line, "\(String(describing: e))")
        #expect(e?.description.contains(words) == true, "\(String(describing: e))")
    }

    @Test(arguments: ["10.0.0.1", "::1", "fe80::1", "2001:db8:0:0:0:0:2:1", "::", "2001:db8::"])
    func ipAddressesKafkaTakesAreRead(ip: String) throws {
        let a = try ArchitectureFile.parse(
            "version: 1\nquotas:\n  - ip: \"\(ip)\"\n    connectionCreationRate: 5\n", file: "a.yaml")
        #expect(a.managed.quotas.first?.entity.ip == ip)
    }

    @Test func groupConfigACLsAreKafka4s() throws {
        let a = try ArchitectureFile.parse(
            "version: 1\nacls:\n  - principal: User:a\n    operation: AlterConfigs\n    group: g\n", file: "a.yaml")
        #expect(a.managed.acls.first?.operation == "AlterConfigs")
    }
}
