// A consumer for one topic without a group (assign, as kcat and the perf tools read): each leader gets one Fetch
// for all its partitions; when the answer comes, the next offsets are read off the batch headers and the next
// Fetch is sent before the records are decoded (fetch pipelining), so the broker works while we decode.
//
// Confined to one event loop, like the producer: callbacks run on `loop`.

import KafkaProtocol
import NIOCore

public struct FetcherSettings: Sendable, Equatable {
    /// `fetch.max.wait.ms`, `fetch.min.bytes`, `fetch.max.bytes`, `max.partition.fetch.bytes`.
    public var maxWaitMs: Int32 = 500
    public var minBytes: Int32 = 1
    public var maxBytes: Int32 = 50 * 1024 * 1024
    public var partitionMaxBytes: Int32 = 1024 * 1024
    public var requestTimeout: Double = 30
    public init() {}
}

/// One Fetch round trip.
public struct FetchSample: Sendable {
    public let broker: Int32
    public let nanoseconds: UInt64
    public let throttleMs: Int32
    public let bytes: Int
}

public final class Fetcher: @unchecked Sendable {
    // @unchecked: every mutable field is touched only on `loop`.
    public let loop: EventLoop
    public let topic: String
    public let settings: FetcherSettings
    /// Every record, on `loop`: partition, offset, the batch's fields, the record (its bytes valid only during the
    /// call).
    public var onRecord: (Int32, Int64, RecordBatch, RecordView) -> Void = { _, _, _, _ in }
    /// Every answer, on `loop`, after its records were handed to `onRecord`.
    public var onFetch: (FetchSample) -> Void = { _ in }
    public internal(set) var fatal: ClusterError?
    public internal(set) var positions: [Int32: Int64] = [:]
    public internal(set) var records = 0
    public internal(set) var bytes = 0
    public internal(set) var fetches = 0
    public internal(set) var throttleMs = 0
    var links: [FetchLink] = []
    /// Brokers leading the topic's partitions.
    public var leaderCount: Int { links.count }
    var version: Int16 = 4
    var running = false

    init(loop: EventLoop, topic: String, settings: FetcherSettings) {
        self.loop = loop
        self.topic = topic
        self.settings = settings
    }

    public enum Start: Sendable, Equatable {
        case earliest, latest
    }

    /// Connects to the topic's leaders on `loop` and reads where each partition starts.
    public static func start(
        topic: String, bootstrap: [BrokerAddress], admin: ClusterAdmin, settings: FetcherSettings, from: Start,
        loop: EventLoop
    ) async throws(ClusterError) -> Fetcher {
        let f = Fetcher(loop: loop, topic: topic, settings: settings)
        let d = try await admin.describeAny(bootstrap)
        guard let t = d.topics.first(where: { $0.name == topic }), t.errorCode == 0, !t.partitions.isEmpty else {
            throw ClusterError(
                address: bootstrap.map(\.description).joined(separator: ","), reason: "topic \(topic) does not exist",
                code: KafkaErrorCode.named(3))
        }
        var links: [FetchLink] = []
        var positions: [Int32: Int64] = [:]
        var version = FetchRequest.versions.upperBound
        for leader in Set(t.partitions.map(\.leader)).sorted() {
            guard let b = d.brokers.first(where: { $0.id == leader }) else {
                throw ClusterError(
                    address: topic, reason: "\(topic): leader \(leader) is not listed", code: KafkaErrorCode.named(5))
            }
            let c = try await KafkaConnection.connect(
                host: b.host, port: Int(b.port), timeout: admin.timeout, settings: admin.settings, group: loop)
            let apis = try await admin.apiVersions(c)
            guard let fetchMax = apis.first(where: { $0.apiKey == 1 })?.chosen,
                let listVersion = apis.first(where: { $0.apiKey == 2 })?.chosen
            else { throw ClusterError(address: c.address, reason: "the broker offers no Fetch/ListOffsets version") }
            // Fetch v13+ names topics by ID; v12 is the last that names them.
            version = min(version, fetchMax, 12)
            let parts = t.partitions.filter { $0.leader == leader }.map(\.partition).sorted()
            let offsets = try await admin.offsets(
                c, topic: topic, partitions: parts, timestamp: from == .earliest ? -2 : -1, version: listVersion)
            for p in parts {
                guard case .success(let o)? = offsets[p] else {
                    throw ClusterError(address: c.address, reason: "\(topic)/\(p): no start offset")
                }
                positions[p] = o
            }
            links.append(FetchLink(id: leader, connection: c, partitions: parts))
        }
        let chosen = version
        let ready = loop.submit {
            f.links = links
            f.positions = positions
            f.version = chosen
        }
        do { try await ready.get() } catch { throw ClusterError(address: topic, reason: "\(error)") }
        return f
    }

    /// Starts fetching from every leader; runs until `stop` or a fatal error.
    public func run() {
        loop.preconditionInEventLoop()
        running = true
        for l in links { fetch(l) }
    }

    public func stop() {
        loop.preconditionInEventLoop()
        running = false
    }

    public func close() async {
        let connections: [KafkaConnection] =
            (try? await loop.submit { [self] () -> [KafkaConnection] in
                running = false
                return links.map(\.connection)
            }.get()) ?? []
        for c in connections { await c.close() }
    }

    func fetch(_ link: FetchLink) {
        guard running, fatal == nil else { return }
        let request = FetchRequest(
            replicaId: -1, maxWaitMs: settings.maxWaitMs, minBytes: settings.minBytes, maxBytes: settings.maxBytes,
            isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
            topics: [
                .init(
                    topic: topic,
                    partitions: link.partitions.map { p in
                        .init(
                            partition: p, currentLeaderEpoch: -1, fetchOffset: positions[p] ?? 0, lastFetchedEpoch: -1,
                            logStartOffset: -1, partitionMaxBytes: settings.partitionMaxBytes)
                    })
            ], forgottenTopicsData: [], rackId: "")
        let sent = NIODeadline.now()
        fetches += 1
        link.connection.enqueue(
            request, version: version, timeout: settings.requestTimeout + Double(settings.maxWaitMs) / 1000
        )
        .whenComplete { [self] result in
            switch result {
            case .success(let r): received(r, link, sent: sent)
            case .failure(let e):
                if fatal == nil && running {
                    fatal = e as? ClusterError ?? ClusterError(address: link.connection.address, reason: "\(e)")
                }
            }
        }
    }

    /// Moves the positions past the answer's complete batches, sends the next Fetch, then decodes.
    func received(_ r: FetchResponse, _ link: FetchLink, sent: NIODeadline) {
        var sets: [(Int32, Int64, ByteBuffer)] = []
        var size = 0
        for t in r.responses {
            for p in t.partitions {
                if p.errorCode != 0 {
                    let e = KafkaErrorCode.named(p.errorCode)
                    if !e.retriable && fatal == nil {
                        fatal = ClusterError(
                            address: link.connection.address, reason: "Fetch \(topic)/\(p.partitionIndex): \(e)",
                            code: e)
                    }
                    continue
                }
                guard let set = p.records, let from = positions[p.partitionIndex] else { continue }
                size += set.readableBytes
                if let next = RecordBatch.offsetAfterCompleteBatches(set), next > from {
                    positions[p.partitionIndex] = next
                }
                sets.append((p.partitionIndex, from, set))
            }
        }
        bytes += size
        throttleMs += Int(r.throttleTimeMs)
        let sample = FetchSample(
            broker: link.id, nanoseconds: UInt64(max(0, (NIODeadline.now() - sent).nanoseconds)),
            throttleMs: r.throttleTimeMs, bytes: size)
        if r.throttleTimeMs > 0 {
            loop.scheduleTask(in: .milliseconds(Int64(r.throttleTimeMs))) { [self] in fetch(link) }
        } else {
            fetch(link)
        }
        for (partition, from, var set) in sets { decode(partition, from: from, &set) }
        // After decoding: a reader timing the records it got ends its clock when they were handed over.
        onFetch(sample)
    }

    func decode(_ partition: Int32, from: Int64, _ set: inout ByteBuffer) {
        do {
            try RecordBatch.forEachRecord(in: &set) { [self] b, r in
                let offset = b.baseOffset &+ Int64(r.offsetDelta)
                guard !b.isControl, offset >= from else { return }
                records += 1
                onRecord(partition, offset, b, r)
            }
        } catch {
            if fatal == nil {
                fatal = ClusterError(address: topic, reason: "\(topic)/\(partition) at offset \(from): \(error)")
            }
        }
    }
}

final class FetchLink: @unchecked Sendable {  // confined to the fetcher's loop
    let id: Int32
    let connection: KafkaConnection
    let partitions: [Int32]
    init(id: Int32, connection: KafkaConnection, partitions: [Int32]) {
        self.id = id
        self.connection = connection
        self.partitions = partitions
    }
}
