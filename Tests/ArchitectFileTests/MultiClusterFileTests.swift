import ArchitectCore
import Foundation
import Testing

@testable import ArchitectFile

/// `clusters:` (issue 21, the file part): topologies, roles, recovery objectives, entities' and services'
/// `cluster` and `replication`, and each bad input at its line and field.
@Suite struct MultiClusterFileTests {
    static func file(_ clusters: String, entity: String = "", service: String = "") -> String {
        """
        name: global
        clusters:
        \(clusters)
        domains:
          - name: shop
            entities:
              - name: orders
                key: orderId
                messagesPerSecond: 100
                messageSize: 1KB
        \(entity)
        services:
          - name: order-service
            produces: [shop.orders]
        \(service)
        """
    }

    static let activePassive = """
          topology: active-passive
          members:
            - name: us-east
              provider: aws
              region: us-east-1
            - name: us-west
              region: us-west-2
          objectives:
            - from: us-east
              to: us-west
              rpo: 30s
              rto: 15m
        """

    func parseError(_ text: String) -> ArchitectureFileError? {
        do {
            _ = try ArchitectureFile.parse(text, file: "g.yaml")
            return nil
        } catch { return error }
    }

    @Test func readsAnActivePassivePairWithDefaultRolesAndObjectives() throws {
        let a = try ArchitectureFile.parse(
            Self.file(Self.activePassive, entity: "        cluster: us-east\n        replication: replicate"),
            file: "g.yaml")
        let c = try #require(a.clusters)
        #expect(c.topology == .activePassive)
        #expect(c.members.map(\.role) == [.primary, .standby], "first is the primary, the rest standbys")
        #expect(c.members[0].provider == .aws && c.members[0].region == "us-east-1")
        #expect(c.objectives == [RecoveryObjective(from: "us-east", to: "us-west", rpoSeconds: 30, rtoSeconds: 900)])
        #expect(a.design?.entities.first?.cluster == "us-east")
        #expect(a.design?.entities.first?.replication == .replicate)
    }

    @Test func readsHubAndSpokeWithAnExplicitHubAndAggregation() throws {
        let hub = """
              topology: hub-and-spoke
              members:
                - name: store-1
                - name: central
                  role: hub
                - name: store-2
            """
        let a = try ArchitectureFile.parse(
            Self.file(hub, entity: "        cluster: store-1\n        replication: aggregate-to-hub"), file: "g.yaml")
        #expect(a.clusters?.members.map(\.role) == [.edge, .hub, .edge])
        #expect(a.design?.entities.first?.replication == .aggregateToHub)
    }

    @Test(arguments: [
        // Each: the clusters section, extra entity lines, extra service lines, the field and words expected.
        ("  topology: ring\n  members: [{name: a}, {name: b}]", "", "", "clusters.topology", "is not one of"),
        ("  topology: active-active\n  members:\n    - name: a", "", "", "clusters.members", "at least two"),
        (
            "  topology: active-active\n  members:\n    - name: a\n    - name: a", "", "", "clusters.members[1].name",
            "already listed"
        ),
        (
            "  topology: active-passive\n  members:\n    - name: a\n      role: primary\n    - name: b\n      role: primary",
            "", "", "clusters.members", "exactly one primary (2 given)"
        ),
        (
            "  topology: active-active\n  members:\n    - name: a\n      role: hub\n    - name: b", "", "",
            "clusters.members[0].role", "hub is not a role of active-active"
        ),
        (
            "  topology: active-active\n  members:\n    - name: us east\n    - name: b", "", "",
            "clusters.members[0].name", "letters, digits"
        ),
        (
            "  topology: active-active\n  members: [{name: a}, {name: b}]\n  objectives:\n    - from: a\n      to: c\n      rpo: 1m",
            "", "", "clusters.objectives[0].to", "no cluster c"
        ),
        (
            "  topology: active-active\n  members: [{name: a}, {name: b}]\n  objectives:\n    - from: a\n      to: b",
            "", "", "clusters.objectives[0]", "give rpo, rto or both"
        ),
        (
            "  topology: active-active\n  members: [{name: a}, {name: b}]", "        cluster: c", "",
            "domains[0].entities[0].cluster", "no cluster c"
        ),
        (
            "  topology: active-active\n  members: [{name: a}, {name: b}]", "        replication: aggregate-to-hub", "",
            "domains[0].entities[0].replication", "needs topology hub-and-spoke"
        ),
        (
            "  topology: active-active\n  members: [{name: a}, {name: b}]", "", "    cluster: z", "services[0].cluster",
            "no cluster z"
        ),
    ])
    func badInputNamesTheFieldAndLine(
        _ clusters: String, _ entity: String, _ service: String, _ field: String, _ words: String
    ) throws {
        let text = Self.file(clusters, entity: entity, service: service)
        let e = try #require(parseError(text))
        #expect(e.field == field, "\(e)")
        #expect(e.message.contains(words), "\(e)")
        #expect(e.line > 1, "\(e)")
    }

    @Test func replicationWithoutClustersIsRefused() throws {
        let text = """
            domains:
              - name: shop
                entities:
                  - name: orders
                    messagesPerSecond: 100
                    messageSize: 1KB
                    replication: replicate
            services:
              - name: s
                produces: [shop.orders]
            """
        let e = try #require(parseError(text))
        #expect(e.field == "domains[0].entities[0].replication")
        #expect(e.line == 7)
        #expect(e.message.contains("needs a `clusters:` section"))
    }
}
