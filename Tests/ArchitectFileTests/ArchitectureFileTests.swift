import ArchitectCore
import Testing

@testable import ArchitectFile

@Suite struct ArchitectureFileTests {
    let good = """
        version: 1
        name: shop
        environment:
          availabilityZones: 3
          instance: m6i.2xlarge
          storage: gp3
          tieredStorage:
            localRetention: 36h
        policy:
          replicationFactor: 3
          minInsyncReplicas: 2
          freeSpaceMargin: 25%
          growthFactor: 1.5
        topics:
          - name: orders
            messagesPerSecond: 1.5k
            messageSize: 2KiB
            compression: zstd
            compressionRatio: 4
            retention: 7d
            consumerGroups: 3
            peakToAverage: 2
            partitions: 12
        """

    func parseError(_ text: String) -> ArchitectureFileError? {
        do {
            _ = try ArchitectureFile.parse(text, file: "a.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func readsEveryField() throws {
        let a = try ArchitectureFile.parse(good, file: "a.yaml")
        #expect(a.name == "shop")
        #expect(a.environment.instance == "m6i.2xlarge")
        #expect(a.environment.tieredStorage == TieredStorage(localRetentionSeconds: 129_600))
        #expect(a.policy.freeSpaceMargin == 0.25)
        #expect(a.policy.growthFactor == 1.5)
        let t = a.topics[0]
        #expect(t.messagesPerSecond == 1500)
        #expect(t.messageSize == 2048)
        #expect(t.compression == .zstd)
        #expect(t.compressionRatio == 4)
        #expect(t.retentionSeconds == 604_800)
        #expect(t.consumerGroups == 3)
        #expect(t.peakToAverage == 2)
        #expect(t.partitions == 12)
    }

    @Test func defaultsApplyWhenFieldsAreOmitted() throws {
        let a = try ArchitectureFile.parse(
            "topics:\n  - name: t\n    messagesPerSecond: 10\n    messageSize: 1KB\n", file: "a.yaml")
        #expect(a.environment.instance == nil)
        #expect(a.environment.availabilityZones == 3)
        #expect(a.policy.replicationFactor == 3)
        #expect(a.policy.freeSpaceMargin == 0.3)
        #expect(a.topics[0].retentionSeconds == nil)
        #expect(a.topics[0].compressionRatio == 1)
    }

    @Test func unknownFieldNamesLineAndSuggests() throws {
        let e = try #require(parseError(good.replacingOccurrences(of: "consumerGroups: 3", with: "consumerGroup: 3")))
        #expect(e.line == 21)
        #expect(e.field == "topics[0].consumerGroup")
        #expect(e.description.hasPrefix("a.yaml:21:"))
        #expect(e.message.contains("did you mean 'consumerGroups'"))
    }

    @Test func badUnitNamesLineFieldAndExample() throws {
        let e = try #require(
            parseError(good.replacingOccurrences(of: "messageSize: 2KiB", with: "messageSize: 2 kilos")))
        #expect(e.line == 17)
        #expect(e.field == "topics[0].messageSize")
        #expect(e.message.contains("1KiB"))
    }

    @Test func durationWithoutUnitIsRefused() throws {
        let e = try #require(parseError(good.replacingOccurrences(of: "retention: 7d", with: "retention: 604800000")))
        #expect(e.field == "topics[0].retention")
        #expect(e.line == 20)
    }

    @Test func minISRAboveRFPointsAtItsLine() throws {
        let e = try #require(
            parseError(good.replacingOccurrences(of: "minInsyncReplicas: 2", with: "minInsyncReplicas: 4")))
        #expect(e.line == 11)
        #expect(e.field == "policy.minInsyncReplicas")
        #expect(e.message.contains("greater than the replication factor"))
    }

    @Test func negativeRatePointsAtItsLine() throws {
        let e = try #require(
            parseError(good.replacingOccurrences(of: "messagesPerSecond: 1.5k", with: "messagesPerSecond: -3")))
        #expect(e.line == 16)
        #expect(e.field == "topics[0].messagesPerSecond")
    }

    @Test func zeroRateIsRefused() throws {
        let e = try #require(
            parseError(good.replacingOccurrences(of: "messagesPerSecond: 1.5k", with: "messagesPerSecond: 0")))
        #expect(e.field == "topics[0].messagesPerSecond")
    }

    @Test func unknownInstancePointsAtItsLine() throws {
        let e = try #require(
            parseError(good.replacingOccurrences(of: "instance: m6i.2xlarge", with: "instance: m6i.mega")))
        #expect(e.line == 5)
        #expect(e.field == "environment.instance")
        #expect(e.message.contains("unknown instance type 'm6i.mega'"))
    }

    @Test func yamlSyntaxErrorsHaveALine() throws {
        let e = try #require(parseError("topics:\n  - name: [unclosed\n"))
        #expect(e.line > 0)
        #expect(e.message.hasPrefix("not valid YAML"))
    }

    @Test func emptyFileSaysWhereToStart() throws {
        let e = try #require(parseError(""))
        #expect(e.message.contains("empty"))
    }

    @Test func missingTopicsIsNamed() throws {
        let e = try #require(parseError("name: x\n"))
        #expect(e.field == "topics")
    }

    @Test func duplicateKeysAreRefused() throws {
        let e = try #require(parseError("name: a\nname: b\ntopics: []\n"))
        #expect(e.line == 2)
    }

    @Test func wrongShapeIsNamed() throws {
        let e = try #require(parseError("policy: 3\ntopics: []\n"))
        #expect(e.field == "policy")
        #expect(e.message.contains("mapping"))
    }

    @Test func infiniteRetentionNeedsASizeLimit() throws {
        let e = try #require(parseError(good.replacingOccurrences(of: "retention: 7d", with: "retention: infinite")))
        #expect(e.message.contains("retentionBytes"))
        let a = try ArchitectureFile.parse(
            good.replacingOccurrences(of: "retention: 7d", with: "retention: infinite\n    retentionBytes: 50GB"),
            file: "a.yaml")
        #expect(a.topics[0].retentionSeconds == nil)
        #expect(a.topics[0].retentionBytesPerPartition == 50e9)
    }

    @Test func customMachinesAreUsableByName() throws {
        let text = good.replacingOccurrences(
            of: "  instance: m6i.2xlarge\n",
            with: """
                  instance: bare-metal
                  machines:
                    - name: bare-metal
                      vcpus: 32
                      memory: 256GiB
                      network: 25Gbps
                      diskThroughput: 2GB/s
                      localDisks: 4
                      localDiskSize: 3.84TB
                      hourlyUSD: 2.1

                """)
        let a = try ArchitectureFile.parse(text, file: "a.yaml")
        let m = try #require(a.environment.machines.first)
        #expect(m.networkBaselineBytesPerSecond == 3.125e9)
        #expect(m.localDisks == [3.84e12, 3.84e12, 3.84e12, 3.84e12])
        let plan = try CapacityPlanner().plan(a)
        #expect(plan.instance.type.name == "bare-metal")
    }
}
