import Testing

@testable import ArchitectCore

/// A small design: orders produced by one service and consumed by another.
func smallDesign(_ configure: (inout DesignModel, inout Architecture) -> Void = { _, _ in }) -> Architecture {
    var d = DesignModel()
    var orders = EntitySpec(domain: "shop", name: "orders", messagesPerSecond: 500, messageSize: 1000)
    orders.key = "orderId"
    orders.fields = ["orderId", "customerId"]
    d.entities = [orders]
    var producer = ServiceSpec(name: "checkout")
    producer.produces = [StreamUse(stream: "shop.orders")]
    var consumer = ServiceSpec(name: "billing")
    var use = StreamUse(stream: "shop.orders")
    use.idempotent = true
    use.processingTimeSeconds = 0.01
    consumer.consumes = [use]
    d.services = [producer, consumer]
    var a = Architecture(name: "small", topics: [])
    configure(&d, &a)
    a.design = d
    return a
}

@Suite struct DesignAdvisorTests {
    func derive(_ a: Architecture) throws -> DesignResult { try DesignAdvisor.derive(a) }
    func codes(_ a: Architecture) throws -> Set<String> { Set(try derive(a).findings.map(\.code)) }

    @Test func topicsFollowTheConventionAndTheirKind() throws {
        let r = try derive(
            smallDesign { d, _ in
                var state = EntitySpec(domain: "shop", name: "stock", messagesPerSecond: 10, messageSize: 100)
                state.kind = .state
                state.key = "sku"
                d.entities.append(state)
                d.services[0].produces.append(StreamUse(stream: "shop.stock"))
            })
        let orders = try #require(r.topics.first { $0.name == "shop.orders.events" })
        #expect(orders.config("cleanup.policy") == "delete")
        #expect(orders.config("retention.ms") == "604800000")
        #expect(orders.partitions % r.plan.brokers == 0)
        let stock = try #require(r.topics.first { $0.name == "shop.stock.state" })
        #expect(stock.config("cleanup.policy") == "compact")
        #expect(stock.config("retention.ms") == nil)
        // The design and its capacity plan agree on partition counts.
        for t in r.topics where t.purpose == .main {
            #expect(r.plan.topics.first { $0.name == t.name }?.partitions == t.partitions)
        }
    }

    @Test func deadLettersOnlyForConsumersThatNeedThem() throws {
        #expect(try derive(smallDesign()).topics.allSatisfy { $0.purpose == .main })
        let r = try derive(smallDesign { d, _ in d.services[1].consumes[0].idempotent = false })
        #expect(r.topics.filter { $0.purpose == .retry }.count == 3)
        #expect(r.topics.filter { $0.purpose == .deadLetter }.map(\.name) == ["billing.shop.orders.events.dlq"])
    }

    @Test func aclsAreLeastPrivilege() throws {
        let r = try derive(smallDesign { d, _ in d.services[0].produces[0].guarantee = .exactlyOnce })
        let checkout = r.acls.filter { $0.principal == "User:checkout" }
        #expect(
            Set(checkout.map { "\($0.resourceType.rawValue):\($0.resourceName):\($0.operation)" }) == [
                "topic:shop.orders.events:Write", "topic:shop.orders.events:Describe",
                "transactional-id:checkout-tx-:Write", "transactional-id:checkout-tx-:Describe",
            ])
        let billing = r.acls.filter { $0.principal == "User:billing" }
        #expect(
            Set(billing.map { "\($0.resourceType.rawValue):\($0.resourceName):\($0.operation)" }) == [
                "topic:shop.orders.events:Read", "topic:shop.orders.events:Describe", "group:billing:Read",
            ])
        #expect(!r.acls.contains { $0.resourceName == "*" })
    }

    @Test func clientConfigsPassLintUnderTheirGuaranteesProfile() throws {
        let r = try derive(
            smallDesign { d, _ in
                d.services[0].produces[0].guarantee = .exactlyOnce
                var fireAndForget = ServiceSpec(name: "metrics")
                var use = StreamUse(stream: "shop.orders")
                use.guarantee = .atMostOnce
                fireAndForget.produces = [use]
                d.services.append(fireAndForget)
            })
        for c in r.clientConfigs {
            let unit = ConfigUnit(
                file: "\(c.service)-\(c.role.rawValue).properties", kind: c.role == .producer ? .producer : .consumer,
                settings: Dictionary(
                    uniqueKeysWithValues: c.properties.enumerated().map {
                        ($1.key, ConfigSetting(key: $1.key, value: $1.value, line: $0 + 1))
                    }))
            var linter = Linter()
            linter.profile = c.guarantee == .atMostOnce ? .throughput : .durability
            let errors = linter.lint([unit]).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(c.service) \(c.role): \(errors.map(\.message))")
        }
        let consumer = try #require(r.clientConfigs.first { $0.service == "billing" })
        #expect(consumer.properties.first { $0.key == "isolation.level" }?.value == "read_committed")
        #expect(consumer.properties.first { $0.key == "enable.auto.commit" }?.value == "false")
        // 10 ms per record: half of max.poll.interval.ms allows 15,000 — capped at 500.
        #expect(consumer.properties.first { $0.key == "max.poll.records" }?.value == "500")
    }

    @Test func pollSizeFollowsProcessingTime() throws {
        let r = try derive(smallDesign { d, _ in d.services[1].consumes[0].processingTimeSeconds = 2 })
        let consumer = try #require(r.clientConfigs.first { $0.service == "billing" })
        #expect(consumer.properties.first { $0.key == "max.poll.records" }?.value == "75")  // 150 s ÷ 2 s
    }

    @Test func tenantQuotasCoverItsPrincipalsAndServices() throws {
        let r = try derive(
            smallDesign { d, _ in
                var t = TenantSpec(name: "acme", prefix: "acme.")
                t.principals = ["User:acme-admin"]
                t.producerByteRate = 1e6
                d.tenants = [t]
                d.services[1].tenant = "acme"
            })
        #expect(Set(r.quotas.map(\.principal)) == ["User:acme-admin", "User:billing"])
        #expect(
            r.acls.contains {
                $0.principal == "User:acme-admin" && $0.patternType == .prefixed && $0.resourceName == "acme."
            })
        #expect(r.consumerGroups.first { $0.service == "billing" }?.id == "acme.billing")
    }

    // Each review finding: a design that fires it and one that does not.

    @Test func lowReplicationFactor() throws {
        #expect(
            try codes(
                smallDesign { _, a in
                    a.policy.replicationFactor = 2
                    a.policy.minInsyncReplicas = 1
                }
            ).contains("low-replication-factor"))
        #expect(try !codes(smallDesign()).contains("low-replication-factor"))
    }

    @Test func singlePartitionAndTotalOrdering() throws {
        let total = try codes(smallDesign { d, _ in d.entities[0].ordering = .total })
        #expect(total.contains("total-ordering") && !total.contains("single-partition"))
        let single = try codes(
            smallDesign { d, a in
                d.entities[0].partitions = 1
                a.environment.availabilityZones = 1
                a.policy.replicationFactor = 1
                a.policy.minInsyncReplicas = 1
            })
        #expect(single.contains("single-partition"))
        #expect(try !codes(smallDesign()).contains("single-partition"))
    }

    @Test func aTopicNamedLikeAnotherEntityIsAnError() {
        // naming <entity>.<kind>: shop's entity "x" (events) is topic x.events, which is also domain x's
        // entity "events": a stream named x.events would mean either.
        let a = smallDesign { d, _ in
            d.naming = "<entity>.<kind>"
            var x = EntitySpec(domain: "shop", name: "x", messagesPerSecond: 1, messageSize: 100)
            x.key = "id"
            var events = EntitySpec(domain: "x", name: "events", messagesPerSecond: 1, messageSize: 100)
            events.key = "id"
            d.entities += [x, events]
        }
        #expect(a.designErrors().contains { $0.message.contains("is also the name of entity x.events") })
        #expect(!smallDesign().designErrors().contains { $0.message.contains("is also the name") })
    }

    @Test func orderingNeedsAKey() throws {
        #expect(try codes(smallDesign { d, _ in d.entities[0].key = nil }).contains("ordering-without-key"))
        #expect(
            try codes(smallDesign { d, _ in d.entities[0].orderBy = "customerId" }).contains("ordering-key-mismatch"))
        #expect(try codes(smallDesign()).isDisjoint(with: ["ordering-without-key", "ordering-key-mismatch"]))
    }

    @Test func hotKeys() throws {
        #expect(
            try codes(
                smallDesign { d, _ in
                    d.entities[0].key = "status"
                    d.entities[0].fields.append("status")
                }
            ).contains("hot-key"))
        #expect(try !codes(smallDesign()).contains("hot-key"))
    }

    @Test func compactionNeedsKeys() throws {
        #expect(
            try codes(
                smallDesign { d, _ in
                    d.entities[0].kind = .state
                    d.entities[0].key = nil
                    d.entities[0].ordering = .none
                }
            ).contains("compaction-without-key"))
        #expect(try !codes(smallDesign { d, _ in d.entities[0].kind = .state }).contains("compaction-without-key"))
    }

    @Test func crossTenantAccess() throws {
        let fires = try codes(
            smallDesign { d, _ in
                d.tenants = [TenantSpec(name: "acme", prefix: "acme.")]
                d.services[1].tenant = "acme"
            })
        #expect(fires.contains("cross-tenant-access"))
        #expect(try !codes(smallDesign()).contains("cross-tenant-access"))
    }

    @Test func nonIdempotentConsumers() throws {
        #expect(
            try codes(smallDesign { d, _ in d.services[1].consumes[0].idempotent = false }).contains(
                "non-idempotent-consumer"))
        #expect(try !codes(smallDesign()).contains("non-idempotent-consumer"))
    }

    @Test func exactlyOnceAcrossClusters() throws {
        func design(otherCluster: Bool) -> Architecture {
            smallDesign { d, _ in
                var out = EntitySpec(domain: "shop", name: "invoices", messagesPerSecond: 10, messageSize: 100)
                out.key = "orderId"
                out.cluster = otherCluster ? "dr" : nil
                d.entities.append(out)
                d.services[1].consumes[0].guarantee = .exactlyOnce
                d.services[1].produces = [StreamUse(stream: "shop.invoices")]
            }
        }
        #expect(try codes(design(otherCluster: true)).contains("exactly-once-across-clusters"))
        #expect(try !codes(design(otherCluster: false)).contains("exactly-once-across-clusters"))
        #expect(
            try codes(smallDesign { d, _ in d.services[1].consumes[0].guarantee = .exactlyOnce }).contains(
                "exactly-once-external-effect"))
    }

    /// A stream no domain declares is an input error now (it was the finding `auto-created-topic`).
    @Test func undeclaredStreamsAreRefused() throws {
        #expect(throws: DesignAdvisor.DesignError.self) {
            try derive(smallDesign { d, _ in d.services[0].produces.append(StreamUse(stream: "shop.audit.events")) })
        }
        #expect(try !codes(smallDesign()).contains("auto-created-topic"))
    }

    @Test func sameDesignTwiceIsIdentical() throws {
        #expect(try derive(smallDesign()) == derive(smallDesign()))
    }
}
