// A producer for one topic, as Kafka's clients build one: records gather in per-partition batches (batch.size,
// linger.ms), ready batches for one broker go out together in one Produce request, several requests are in flight
// per connection, and the idempotent producer numbers each partition's records so a retry is neither written
// twice nor out of order (InitProducerId, base sequences, retries one batch at a time in sequence order).
//
// Everything runs on one event loop — the connections' too — so the state needs no locks and the order requests
// are written in is the order they are built in: `append`, `flush` and the callbacks are called on `loop`.

import KafkaProtocol
import NIOCore

public final class Producer: @unchecked Sendable {
    // @unchecked: every mutable field is touched only on `loop` (asserted in debug builds).
    public let loop: EventLoop
    public let topic: String
    public let settings: ProducerSettings
    let admin: ClusterAdmin
    let bootstrap: [BrokerAddress]

    /// Called on `loop` for every batch that was acknowledged or failed.
    public var onDelivery: (ProducerDelivery) -> Void = { _ in }
    /// Called on `loop` for every Produce request's answer.
    public var onRequest: (ProducerRequestSample) -> Void = { _ in }
    public internal(set) var statistics = ProducerStatistics()
    /// The first error that is not retriable (the run should stop), if any.
    public internal(set) var fatal: ClusterError?

    public private(set) var partitionCount: Int32 = 0
    /// The tokens of every record appended and not yet acknowledged or failed.
    public var pendingTokens: [UInt64] {
        partitions.values.flatMap { q in (q.inFlight + q.unsent).flatMap(\.tokens) }
    }

    /// Brokers leading the topic's partitions now.
    public var leaderCount: Int { Set(partitions.values.map(\.leader)).count }
    var partitions: [Int32: PartitionQueue] = [:]
    var brokers: [Int32: BrokerLink] = [:]
    var producerId: Int64 = -1
    var producerEpoch: Int16 = -1
    var produceVersion: Int16 = 3
    /// Bytes of records appended and not yet acknowledged.
    public internal(set) var buffered = 0
    var flushing = false
    var flushWaiters: [EventLoopPromise<Void>] = []
    var refreshing = false
    var refreshAgain = false
    /// The order batches were first numbered in (a retry goes back before everything numbered after it).
    var nextOrder = 0
    var closed = false

    init(loop: EventLoop, topic: String, settings: ProducerSettings, admin: ClusterAdmin, bootstrap: [BrokerAddress]) {
        self.loop = loop
        self.topic = topic
        self.settings = settings
        self.admin = admin
        self.bootstrap = bootstrap
    }

    /// Reads the topic's leaders, connects to them on `loop`, and with idempotence asks for a producer id.
    public static func start(
        topic: String, bootstrap: [BrokerAddress], admin: ClusterAdmin, settings: ProducerSettings, loop: EventLoop
    ) async throws(ClusterError) -> Producer {
        let p = Producer(loop: loop, topic: topic, settings: settings, admin: admin, bootstrap: bootstrap)
        let description = try await admin.describeAny(bootstrap)
        guard let t = description.topics.first(where: { $0.name == topic }), t.errorCode == 0, !t.partitions.isEmpty
        else {
            throw ClusterError(
                address: bootstrap.map(\.description).joined(separator: ","), reason: "topic \(topic) does not exist",
                code: KafkaErrorCode.named(3))
        }
        let links = try await p.connect(description, partitions: t.partitions)
        if settings.idempotent, let any = links.values.first {
            let (id, epoch) = try await p.initProducerId(any.connection)
            p.producerId = id
            p.producerEpoch = epoch
        }
        let version = try await p.negotiateProduce(links.values.map(\.connection))
        let started = loop.submit {
            p.produceVersion = version
            p.partitionCount = Int32(t.partitions.count)
            for (id, link) in links { p.brokers[id] = link }
            for part in t.partitions {
                p.partitions[part.partition] = PartitionQueue(partition: part.partition, leader: part.leader)
            }
            p.relink()
        }
        do { try await started.get() } catch {
            throw ClusterError(address: topic, reason: "the producer's event loop stopped: \(error)")
        }
        return p
    }

    /// Connections to every leader of `partitions`, made on `loop`.
    func connect(_ d: ClusterDescription, partitions: [ClusterDescription.Partition]) async throws(ClusterError)
        -> [Int32: BrokerLink]
    {
        var links: [Int32: BrokerLink] = [:]
        for leader in Set(partitions.map(\.leader)).sorted() {
            guard let b = d.brokers.first(where: { $0.id == leader }) else {
                throw ClusterError(
                    address: bootstrap.map(\.description).joined(separator: ","),
                    reason: "\(topic): leader \(leader) is not among the brokers Metadata lists",
                    code: KafkaErrorCode.named(5))
            }
            let c = try await KafkaConnection.connect(
                host: b.host, port: Int(b.port), timeout: admin.timeout, settings: admin.settings, group: loop)
            links[leader] = BrokerLink(id: leader, connection: c)
        }
        return links
    }

    func negotiateProduce(_ connections: [KafkaConnection]) async throws(ClusterError) -> Int16 {
        var version = ProduceRequest.versions.upperBound
        for c in connections {
            let apis = try await admin.apiVersions(c)
            guard let v = apis.first(where: { $0.apiKey == ProduceRequest.apiKey })?.chosen, v >= 3 else {
                throw ClusterError(
                    address: c.address,
                    reason: "the broker offers no Produce version with record batches v2 (needs v3+, Kafka 0.11+)")
            }
            version = min(version, v)
        }
        return version
    }

    func initProducerId(_ c: KafkaConnection) async throws(ClusterError) -> (Int64, Int16) {
        let apis = try await admin.apiVersions(c)
        guard let v = apis.first(where: { $0.apiKey == InitProducerIdRequest.apiKey })?.chosen else {
            throw ClusterError(
                address: c.address,
                reason: "the broker does not serve InitProducerId, which idempotence needs; pass --no-idempotence")
        }
        var attempt = 0
        while true {
            let r = try await c.send(
                InitProducerIdRequest(
                    transactionalId: nil, transactionTimeoutMs: 60000, producerId: -1, producerEpoch: -1),
                version: v, timeout: settings.requestTimeout)
            if r.errorCode == 0 { return (r.producerId, r.producerEpoch) }
            let e = KafkaErrorCode.named(r.errorCode)
            attempt += 1
            guard e.retriable, attempt < 10 else {
                throw ClusterError(address: c.address, reason: "InitProducerId failed: \(e)", code: e)
            }
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
    }

    // MARK: - Appending

    public enum Appended: Equatable, Sendable {
        /// Added to the partition's open batch; `newBatch` when this record opened it.
        case added(newBatch: Bool)
        /// Refused: `buffer.memory` is used up; try again after deliveries.
        case bufferFull
        /// Refused: the producer has stopped (a fatal error, or closed).
        case stopped
    }

    /// Adds one record to `partition`'s batch. `token` comes back in the delivery, in order.
    public func append(
        partition: Int32, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: [(key: String, value: [UInt8]?)] = [], timestampMs: Int64, token: UInt64
    ) -> Appended {
        loop.preconditionInEventLoop()
        guard fatal == nil, !closed, let q = partitions[partition] else { return .stopped }
        guard buffered < settings.bufferMemory else {
            statistics.bufferFull += 1
            return .bufferFull
        }
        var opened = false
        let b: ProducerBatch
        if let current = q.open,
            current.fits(key: key, value: value, headers: headers, timestamp: timestampMs, limit: settings.batchSize)
        {
            b = current
        } else {
            if let full = q.open {
                full.sealed = true
                statistics.fullBatches += 1
                q.open = nil
                drain(brokerOf: q)
            }
            b = ProducerBatch(partition: partition, baseTimestamp: timestampMs, capacity: settings.batchSize)
            q.open = b
            q.unsent.append(b)
            opened = true
            scheduleLinger(b, queue: q)
        }
        let before = b.builder.sizeInBytes
        b.builder.append(key: key, value: value, headers: headers, timestamp: timestampMs)
        b.tokens.append(token)
        b.payloadBytes += (key?.count ?? 0) + (value?.count ?? 0)
        buffered += b.builder.sizeInBytes - before
        if settings.lingerMs <= 0 { drain(brokerOf: q) }
        return .added(newBatch: opened)
    }

    func scheduleLinger(_ b: ProducerBatch, queue q: PartitionQueue) {
        guard settings.lingerMs > 0 else {
            b.ready = true
            return
        }
        loop.scheduleTask(in: .nanoseconds(Int64(settings.lingerMs * 1e6))) { [self] in
            guard !b.ready, !b.sealed else { return }
            b.ready = true
            statistics.lingerBatches += 1
            drain(brokerOf: q)
        }
    }

    /// Sends every open batch now; the future completes when nothing is left unacknowledged.
    public func flush() -> EventLoopFuture<Void> {
        loop.preconditionInEventLoop()
        flushing = true
        let promise = loop.makePromise(of: Void.self)
        flushWaiters.append(promise)
        for q in partitions.values {
            if let b = q.open, !b.ready {
                b.ready = true
                statistics.flushBatches += 1
            }
        }
        for id in Set(partitions.values.map(\.leader)) { drain(broker: id) }
        checkFlushed()
        return promise.futureResult
    }

    func checkFlushed() {
        guard flushing else { return }
        let pending = partitions.values.contains { !$0.unsent.isEmpty || !$0.inFlight.isEmpty }
        guard !pending || fatal != nil || closed else { return }
        flushing = false
        let waiters = flushWaiters
        flushWaiters = []
        for w in waiters { w.succeed(()) }
    }

    /// Closes the connections; batches still unsent are dropped (flush first).
    public func close() async {
        let links = try? await loop.submit { [self] in
            closed = true
            checkFlushed()
            return brokers.values.map(\.connection)
        }.get()
        for c in links ?? [] { await c.close() }
    }
}

/// One partition's batches: those not yet sent (oldest first, retries at the front in sequence order) and those
/// in flight.
final class PartitionQueue: @unchecked Sendable {  // confined to the producer's loop
    let partition: Int32
    var leader: Int32
    var open: ProducerBatch?
    var unsent: [ProducerBatch] = []
    var inFlight: [ProducerBatch] = []
    var nextSequence: Int32 = 0
    init(partition: Int32, leader: Int32) {
        self.partition = partition
        self.leader = leader
    }
}

final class ProducerBatch: @unchecked Sendable {  // confined to the producer's loop
    let partition: Int32
    var builder: RecordBatchBuilder
    var tokens: [UInt64] = []
    /// Key and value bytes of its records (what a consumer counts).
    var payloadBytes = 0
    /// It was ready while every request slot of its connection was taken (counted once).
    var waitedForSlot = false
    let created = NIODeadline.now()
    var ready = false
    var sealed = false
    var order = 0
    var encoded: ByteBuffer?
    var attempts = 0
    init(partition: Int32, baseTimestamp: Int64, capacity: Int) {
        self.partition = partition
        self.builder = RecordBatchBuilder(baseTimestamp: baseTimestamp, capacity: min(capacity, 1 << 20) + 64)
    }

    /// Whether a record still fits under `limit` bytes (a batch's first record always fits).
    func fits(
        key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: [(key: String, value: [UInt8]?)],
        timestamp: Int64, limit: Int
    ) -> Bool {
        guard !sealed, encoded == nil else { return false }
        if builder.count == 0 { return true }
        let size = builder.size(keyCount: key?.count, valueCount: value?.count, headers: headers, timestamp: timestamp)
        return builder.sizeInBytes + size <= limit
    }
}

/// A connection to one broker and the requests it has out.
final class BrokerLink: @unchecked Sendable {  // confined to the producer's loop
    let id: Int32
    var connection: KafkaConnection
    var inFlight = 0
    var mutedUntil: NIODeadline?
    var reconnecting = false
    /// Where the next request starts among this broker's partitions, so none waits behind the others.
    var cursor = 0
    var partitions: [PartitionQueue] = []
    init(id: Int32, connection: KafkaConnection) {
        self.id = id
        self.connection = connection
    }
}
