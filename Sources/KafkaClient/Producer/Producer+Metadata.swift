// The producer following the cluster: leaders that moved, connections that broke, batches past their delivery
// timeout while no leader answers.

import KafkaProtocol
import NIOCore

extension Producer {
    /// Reads the topic's leaders again and (re)connects to those without a working connection; while the cluster
    /// cannot be read, tries again with backoff and fails batches past delivery.timeout.
    func refresh(reconnect id: Int32?) {
        if let id, let link = brokers[id] { link.reconnecting = true }
        guard !refreshing else {
            refreshAgain = true
            return
        }
        refreshing = true
        Task { [self] in
            var delay = settings.retryBackoff
            while true {
                do {
                    try await refreshOnce()
                    let again = try await loop.submit { [self] in
                        let again = refreshAgain
                        refreshAgain = false
                        return again
                    }.get()
                    if !again { break }
                } catch {
                    let over =
                        (try? await loop.submit { [self] in
                            expire()
                            return closed || fatal != nil || !hasWork
                        }.get()) ?? true
                    if over { break }
                    try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                    delay = min(delay * 2, 1)
                }
            }
            loop.execute { [self] in
                refreshing = false
                for id in brokers.keys { drain(broker: id) }
                checkFlushed()
            }
        }
    }

    var hasWork: Bool { partitions.values.contains { !$0.unsent.isEmpty || !$0.inFlight.isEmpty } }

    func refreshOnce() async throws {
        let d = try await admin.describeAny(bootstrap)
        guard let t = d.topics.first(where: { $0.name == topic }), t.errorCode == 0 else {
            throw ClusterError(address: topic, reason: "\(topic) is not in the metadata")
        }
        let leaders = Set(t.partitions.map(\.leader).filter { $0 >= 0 })
        let needed = try await loop.submit { [self] in
            leaders.filter { id in brokers[id].map { $0.reconnecting || !$0.connection.isActive } ?? true }
        }.get()
        var fresh: [Int32: KafkaConnection] = [:]
        for id in needed.sorted() {
            guard let b = d.brokers.first(where: { $0.id == id }) else { continue }
            fresh[id] = try await KafkaConnection.connect(
                host: b.host, port: Int(b.port), timeout: admin.timeout, settings: admin.settings, group: loop)
        }
        let stale = try await loop.submit { [self] in apply(t, fresh) }.get()
        for c in stale { await c.close() }
    }

    /// Takes the new leaders and connections; returns the connections they replace.
    func apply(_ t: ClusterDescription.Topic, _ fresh: [Int32: KafkaConnection]) -> [KafkaConnection] {
        var stale: [KafkaConnection] = []
        for (id, c) in fresh {
            if let link = brokers[id] {
                stale.append(link.connection)
                link.connection = c
                link.reconnecting = false
            } else {
                brokers[id] = BrokerLink(id: id, connection: c)
            }
        }
        for p in t.partitions where p.leader >= 0 { partitions[p.partition]?.leader = p.leader }
        relink()
        return stale
    }

    /// Each broker's partitions, in partition order.
    func relink() {
        for link in brokers.values {
            link.partitions = partitions.values.filter { $0.leader == link.id }.sorted { $0.partition < $1.partition }
            link.cursor = 0
        }
    }

    /// Fails every batch older than delivery.timeout that is not out on the wire.
    func expire() {
        let limit = TimeAmount.nanoseconds(Int64(settings.deliveryTimeout * 1e9))
        let now = NIODeadline.now()
        for q in partitions.values {
            for b in q.unsent where now - b.created > limit {
                if q.open === b { q.open = nil }
                finish(
                    b, offset: -1,
                    error: ClusterError(
                        address: topic,
                        reason:
                            "\(topic)/\(q.partition): not acknowledged within delivery.timeout \(settings.deliveryTimeout) s (no leader reachable)",
                        code: KafkaErrorCode.named(7)))
            }
        }
        checkFlushed()
    }
}
