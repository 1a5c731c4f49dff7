import ArchitectCore
import Foundation
import Testing

@testable import ArchitectFile

/// The design part of the architecture file: parsing, naming, and the bad-input rules with lines.
@Suite struct DesignFileTests {
    static let base = """
        name: d
        tenants:
          - name: acme
            prefix: acme.
        domains:
          - name: shop
            entities:
              - name: orders
                key: orderId
                fields: [orderId, total]
                messagesPerSecond: 100
                messageSize: 1KB
              - name: stock
                kind: state
                key: sku
                messagesPerSecond: 10
                messageSize: 200B
                tenant: acme
        services:
          - name: order-service
            produces: [shop.orders.events]
          - name: stock-service
            produces: [shop.stock]
            consumes:
              - stream: shop.orders
                guarantee: exactly-once
                processingTime: 20ms
                consumers: 3
        """

    func parseError(_ text: String) -> ArchitectureFileError? {
        do {
            _ = try ArchitectureFile.parse(text, file: "d.yaml")
            return nil
        } catch { return error }
    }

    @Test func readsTheDesign() throws {
        let a = try ArchitectureFile.parse(Self.base, file: "d.yaml")
        let d = try #require(a.design)
        #expect(d.entities.map { d.topicName($0) } == ["shop.orders.events", "acme.shop.stock.state"])
        #expect(d.services[1].consumes[0].guarantee == .exactlyOnce)
        #expect(d.services[1].consumes[0].processingTimeSeconds == 0.02)
        #expect(d.entity(for: "shop.orders")?.key == "orderId")
        #expect(a.topics.isEmpty)
        // The design's entities become planned topics.
        #expect(a.workloads.map(\.name) == ["shop.orders.events", "acme.shop.stock.state"])
        #expect(a.workloads[0].consumerGroups == 1 && a.workloads[0].consumers == 3)
    }

    @Test func consumingWhatNobodyProducesIsNamedWithItsLine() throws {
        let text = Self.base.replacingOccurrences(of: "    produces: [shop.orders.events]\n", with: "")
        let e = try #require(parseError(text))
        #expect(e.field == "services[1].consumes[0].stream")
        #expect(e.line == 24)  // one line shorter than base: the produces line was removed
        #expect(e.message.contains("no service produces it"))
    }

    @Test func keyMustBeAFieldOfItsEvent() throws {
        let e = try #require(parseError(Self.base.replacingOccurrences(of: "key: orderId", with: "key: orderID")))
        #expect(e.field == "domains[0].entities[0].key")
        #expect(e.line == 9)
        #expect(e.message.contains("not a field"))
    }

    @Test func unknownGuaranteeListsTheChoices() throws {
        let e = try #require(
            parseError(Self.base.replacingOccurrences(of: "guarantee: exactly-once", with: "guarantee: exactly-twice")))
        #expect(e.field == "services[1].consumes[0].guarantee")
        #expect(e.line == 26)
        #expect(e.message.contains("at-least-once"))
    }

    @Test func tenantPrefixesMustNotCollide() throws {
        let text = Self.base.replacingOccurrences(
            of: "    prefix: acme.\n", with: "    prefix: acme.\n  - name: acme-eu\n    prefix: acme.eu.\n")
        let e = try #require(parseError(text))
        #expect(e.field == "tenants[1].prefix")
        #expect(e.line == 6)
        #expect(e.message.contains("collides"))
    }

    /// An undeclared stream is an input error with its line (issue 12: it was a finding, and
    /// `generate` still wrote 45 files for a topic only broker auto-creation would make).
    @Test func unknownStreamReferenceIsAnInputError() throws {
        let e = try #require(
            parseError(Self.base.replacingOccurrences(of: "produces: [shop.stock]", with: "produces: [shop.stocks]")))
        #expect(e.field == "services[1].produces[0].stream")
        #expect(e.line == 23)
        #expect(e.message.contains("'shop.stocks' is no declared entity"))
        let consumed = try #require(
            parseError(Self.base.replacingOccurrences(of: "- stream: shop.orders\n", with: "- stream: shop.order\n")))
        #expect(consumed.field == "services[1].consumes[0].stream")
        #expect(consumed.line == 25)
    }

    /// A small valid design, with `entities` and `extra` (top-level keys) spliced in.
    static func design(entities: String = "", services: String = "", extra: String = "") -> String {
        """
        name: d
        \(extra)domains:
          - name: shop
            entities:
              - name: orders
                key: orderId
                messagesPerSecond: 100
                messageSize: 1KB
        \(entities)services:
          - name: order-service
            produces: [shop.orders.events]
        \(services)
        """
    }

    /// The bad inputs issue 12 lists, each one line naming the field.
    @Test(
        arguments: [
            (
                design(
                    extra: "tenants:\n  - name: acme\n    prefix: acme.\n    quotas:\n      producerByteRate: -5MB/s\n"),
                "tenants[0].quotas.producerByteRate", "must not be negative"
            ),
            (
                design(extra: "tenants:\n  - name: acme\n    prefix: acme.\n    principals: [acme-admin]\n"),
                "tenants[0].principals[0]", "write Type:name, e.g. User:acme-admin"
            ),
            (
                design(services: "  - name: audit\n    principal: \"User:\"\n    produces: [shop.orders.events]\n"),
                "services[1].principal", "is not a principal"
            ),
            (
                design(entities: "      - name: re/funds\n        messagesPerSecond: 1\n        messageSize: 1KB\n"),
                "domains[0].entities[1].name", "Kafka allows only letters"
            ),
            (
                design(
                    entities:
                        "      - name: \(String(repeating: "r", count: 250))\n        messagesPerSecond: 1\n        messageSize: 1KB\n"
                ),
                "domains[0].entities[1].name", "at most 249"
            ),
            (
                design(
                    entities:
                        "      - name: orders\n        kind: state\n        messagesPerSecond: 1\n        messageSize: 1KB\n"
                ),
                "domains[0].entities[1].name", "described twice in domain shop"
            ),
            (
                design(
                    entities:
                        "      - name: order_items\n        messagesPerSecond: 1\n        messageSize: 1KB\n      - name: order.items\n        messagesPerSecond: 1\n        messageSize: 1KB\n"
                ),
                "domains[0].entities[2].name", "collides with 'shop.order_items.events' in metric names"
            ),
            (design(extra: "naming: \"<tenant>.<domain>.<entity>\"\n"), "naming", "no tenants"),
            (
                design(
                    entities:
                        "      - name: refunds\n        messagesPerSecond: 1\n        messageSize: 1KB\n        external: true\n",
                    services: "  - name: refunder\n    produces: [shop.refunds.events]\n"),
                "services[1].produces[0].stream", "is external"
            ),
        ] as [(String, String, String)])
    func badDesignInputIsOneLine(text: String, field: String, message: String) throws {
        try #require(parseError(Self.design()) == nil, "the base design is valid")
        let e = try #require(parseError(text), "\(field) was accepted:\n\(text)")
        #expect(e.field == field, "\(e.field): \(e.message)")
        #expect(e.message.contains(message), "\(e.field): \(e.message)")
        #expect(e.line > 0)
    }

    @Test func theExampleDesignPlans() throws {
        let text = try String(contentsOfFile: CLIPath.root + "/examples/ecommerce.yaml", encoding: .utf8)
        let a = try ArchitectureFile.parse(text, file: "ecommerce.yaml")
        let plan = try CapacityPlanner().plan(a)
        #expect(plan.topics.count == 5)
        #expect(plan.topics.contains { $0.name == "partner.marketplace.listings.events" })
    }
}

enum CLIPath {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}
