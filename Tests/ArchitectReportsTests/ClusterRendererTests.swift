import ArchitectCore
import ArchitectReports
import Foundation
import Testing

/// Cluster listings from hand-written topologies: no peer leaves a partition without a leader or
/// shrinks an ISR on cue, so the flags are checked on fixtures.
@Suite struct ClusterRendererTests {
    let topology = ClusterTopology(
        clusterId: "c-1", controllerId: 2,
        brokers: [.init(id: 1, host: "k1", port: 9092, rack: "eu-a"), .init(id: 2, host: "k2", port: 9092, rack: nil)],
        topics: [
            .init(
                name: "orders", isInternal: false, errorCode: 0,
                partitions: [
                    .init(partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2], offline: [], errorCode: 0),
                    .init(partition: 1, leader: 2, replicas: [2, 1], isr: [2], offline: [], errorCode: 0),
                    .init(partition: 2, leader: -1, replicas: [1, 2], isr: [], offline: [1, 2], errorCode: 5),
                ])
        ],
        metadataVersion: 12)

    /// `cluster describe --under-replicated / --unavailable / --under-min-isr / --topic`, as kafka-topics.sh's filters;
    /// the broker load stays the whole cluster's.
    @Test func filtersKeepOnlyTheAskedPartitions() {
        var f = ClusterTopology.Filter()
        f.underReplicated = true
        // Partitions 1 (ISR 1 of 2) and 2 (ISR 0 of 2).
        #expect(topology.filtered(f).topics.first?.partitions.map(\.partition) == [1, 2])
        f = ClusterTopology.Filter()
        f.unavailable = true
        #expect(topology.filtered(f).topics.first?.partitions.map(\.partition) == [2])
        f = ClusterTopology.Filter()
        f.underMinIsr = ["orders": 2]
        #expect(topology.filtered(f).topics.first?.partitions.map(\.partition) == [1, 2])
        f.underMinIsr = ["orders": 1]
        #expect(topology.filtered(f).topics.first?.partitions.map(\.partition) == [2])
        f = ClusterTopology.Filter()
        f.topics = ["payments"]
        #expect(topology.filtered(f).topics.isEmpty)
        #expect(topology.filtered(f).brokerLoad[1]?.replicas == 3)
    }

    @Test func flagsOnlyTheUnhealthyPartitions() {
        let lines = ClusterTopologyRenderer().text(topology).split(separator: "\n").map(String.init)
        let partitionLines = lines.filter { $0.hasPrefix("    ") }
        #expect(partitionLines.count == 3)
        #expect(!partitionLines[0].contains("UNDER-REPLICATED") && !partitionLines[0].contains("NO LEADER"))
        #expect(partitionLines[1].hasSuffix("UNDER-REPLICATED"))
        #expect(partitionLines[2].hasSuffix("offline 1,2  NO LEADER"))
        #expect(lines[0] == "Cluster c-1, controller 2 (Metadata v12)")
        #expect(lines.contains("  1  k1:9092  rack eu-a  leaders 1  replicas 3"))
        #expect(lines.contains("  2  k2:9092  leaders 1  replicas 3"))
    }

    @Test func jsonCarriesEveryFieldOfTheTopology() throws {
        let json = try ClusterTopologyRenderer().json(topology)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(doc["clusterId"] as? String == "c-1")
        #expect(doc["controllerId"] as? Int == 2)
        let topics = try #require(doc["topics"] as? [[String: Any]])
        let partitions = try #require(topics.first?["partitions"] as? [[String: Any]])
        for (p, expected) in zip(partitions, topology.topics[0].partitions) {
            #expect(p["leader"] as? Int == Int(expected.leader))
            #expect(p["isr"] as? [Int] == expected.isr.map(Int.init))
            #expect(p["offlineReplicas"] as? [Int] == expected.offline.map(Int.init))
            #expect(p["errorCode"] as? Int == Int(expected.errorCode))
        }
        // Keys sorted, so the same cluster always diffs clean.
        #expect(
            json.range(of: "\"brokers\"")?.lowerBound ?? json.endIndex < json.range(of: "\"topics\"")?.lowerBound
                ?? json.startIndex)
    }

    @Test func anUnreachableBrokerIsListedWithItsReason() throws {
        let brokers = [
            BrokerAPIVersions(
                brokerId: 1, rack: "eu-a", address: "k1:9092",
                apis: .success([
                    .init(apiKey: 3, name: "Metadata", minVersion: 0, maxVersion: 12, usability: .usable(12)),
                    .init(
                        apiKey: 68, name: "ConsumerGroupHeartbeat", minVersion: 0, maxVersion: 0,
                        usability: .notImplemented),
                    .init(apiKey: 1, name: "Fetch", minVersion: 13, maxVersion: 17, usability: .unusable),
                ])),
            BrokerAPIVersions(
                brokerId: 2, rack: nil, address: "k2:9092", apis: .failure(.init(reason: "connection refused"))),
        ]
        let text = APIVersionsRenderer().text(brokers)
        #expect(text.contains("k1:9092 (id: 1 rack: eu-a)"))
        #expect(text.contains("[usable: 12]") && text.contains("[not implemented here]") && text.contains("[UNUSABLE]"))
        #expect(text.contains("k2:9092 (id: 2)\n  UNREACHABLE: connection refused"))

        let doc = try #require(
            try JSONSerialization.jsonObject(with: Data(try APIVersionsRenderer().json(brokers).utf8)) as? [String: Any]
        )
        let listed = try #require(doc["brokers"] as? [[String: Any]])
        #expect(listed.count == 2)
        #expect(listed[1]["error"] as? String == "connection refused")
        #expect((listed[1]["apis"] as? [Any])?.isEmpty == true)
        let apis = try #require(listed[0]["apis"] as? [[String: Any]])
        #expect(apis.map { $0["usable"] as? Int } == [12, nil, nil])
    }
}
