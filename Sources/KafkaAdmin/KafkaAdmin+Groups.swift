// Group reads for `lag` and `groups`, built for thousands of groups: coordinators found in batches, committed
// offsets fetched in one request per 100 groups from OffsetFetch v8, groups described 100 per request, every
// coordinator and leader asked in parallel; and the one-record fetches that date the oldest unconsumed record.

import KafkaClient
import KafkaProtocol
import NIOCore

/// What a one-record fetch found at a position.
public enum RecordAtPosition: Sendable, Equatable {
    /// The timestamp (ms) of the first data record at or after the position.
    case timestamp(Int64)
    /// Only control records (transaction markers), this many, from the position to the high watermark.
    case onlyControlRecords(Int64)
}

/// The first record at or after `offset`.
public struct RecordPosition: Sendable, Hashable {
    public let key: TopicPartitionKey
    public let offset: Int64
    public init(_ key: TopicPartitionKey, _ offset: Int64) {
        self.key = key
        self.offset = offset
    }
}

extension KafkaAdmin {
    /// Runs `body` over `items` in chunks of `size`, up to 16 chunks at once, gathering the answers.
    static func chunked<T: Sendable, R: Sendable>(
        _ items: [T], size: Int, _ body: @escaping @Sendable ([T]) async -> [R]
    ) async -> [R] {
        var chunks: [[T]] = []
        var start = 0
        while start < items.count {
            chunks.append(Array(items[start..<min(items.count, start + size)]))
            start += size
        }
        return await withTaskGroup(of: [R].self) { group in
            var next = 0
            var out: [R] = []
            for _ in 0..<16 where next < chunks.count {
                let c = chunks[next]
                next += 1
                group.addTask { await body(c) }
            }
            for await r in group {
                out += r
                if next < chunks.count {
                    let c = chunks[next]
                    next += 1
                    group.addTask { await body(c) }
                }
            }
            return out
        }
    }

    /// Groups by coordinator; a group whose coordinator could not be found gets its error.
    func byCoordinator(_ groups: [String]) async -> (byBroker: [Int32: [String]], failed: [String: ClusterError]) {
        var byBroker: [Int32: [String]] = [:]
        var failed: [String: ClusterError] = [:]
        let found = await pool.groupCoordinators(groups)
        for g in groups {
            switch found[g] {
            case .success(let id): byBroker[id, default: []].append(g)
            case .failure(let e): failed[g] = e
            case nil: failed[g] = ClusterError(address: "coordinator of \(g)", reason: "FindCoordinator gave no answer")
            }
        }
        return (byBroker, failed)
    }

    /// Each group described by its coordinator, 100 per request; a group that could not be described gets its
    /// error (an API the coordinator lacks has `unsupportedAPI` set).
    public func describeGroupsEach(_ ids: [String]) async -> [String: Result<GroupDescription, ClusterError>] {
        let (byBroker, failed) = await byCoordinator(ids)
        var out: [String: Result<GroupDescription, ClusterError>] = failed.mapValues { .failure($0) }
        let pool = self.pool
        let work = byBroker.flatMap { id, gs in
            stride(from: 0, to: gs.count, by: 100).map { (id, Array(gs[$0..<min(gs.count, $0 + 100)])) }
        }
        let answers = await Self.chunked(work, size: 1) {
            (items: [(Int32, [String])]) async -> [(String, Result<GroupDescription, ClusterError>)] in
            guard let (id, chunk) = items.first else { return [] }
            do throws(ClusterError) {
                let address = try await pool.address(of: .broker(id))
                let version = try await pool.requiredVersion(of: DescribeGroupsRequest.self, at: address)
                let r = try await pool.send(DescribeGroupsRequest(groups: chunk), version: version, to: address)
                return r.groups.map { g in
                    if g.errorCode != 0 {
                        let e = KafkaErrorCode.named(g.errorCode)
                        return (
                            g.groupId, .failure(ClusterError(address: address.description, reason: e.name, code: e))
                        )
                    }
                    return (
                        g.groupId,
                        .success(
                            GroupDescription(
                                groupId: g.groupId, errorCode: g.errorCode, state: g.groupState,
                                protocolType: g.protocolType, protocolName: g.protocolData,
                                members: g.members.map { m in
                                    GroupMemberDescription(
                                        memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId,
                                        host: m.clientHost,
                                        assignment: g.protocolType == "consumer"
                                            ? Self.assignment(m.memberAssignment) : [:])
                                }))
                    )
                }
            } catch {
                return chunk.map { ($0, .failure(error)) }
            }
        }
        for (g, r) in answers { out[g] = r }
        return out
    }

    /// Committed offsets of `groups`, asked of each coordinator: all their partitions (`partitions` nil) or the
    /// named ones (the only way to read them from clusters that answer "all" with nothing, like librdkafka's
    /// mock). From OffsetFetch v8, 100 groups per request; one request per group before; all in parallel.
    public func committedOffsets(
        _ groups: [String], partitions: [TopicPartitionKey]? = nil
    ) async -> [String: Result<[CommittedOffsetInfo], ClusterError>] {
        let (byBroker, failed) = await byCoordinator(groups)
        var out: [String: Result<[CommittedOffsetInfo], ClusterError>] = failed.mapValues { .failure($0) }
        let topics = partitions.map { ps in
            Dictionary(grouping: ps, by: \.topic).sorted { $0.key < $1.key }.map {
                ($0.key, $0.value.map(\.partition).sorted())
            }
        }
        let pool = self.pool
        let work = byBroker.flatMap { id, gs in
            stride(from: 0, to: gs.count, by: 100).map { (id, Array(gs[$0..<min(gs.count, $0 + 100)])) }
        }
        let answers = await Self.chunked(work, size: 1) {
            (items: [(Int32, [String])]) async -> [(String, Result<[CommittedOffsetInfo], ClusterError>)] in
            guard let (id, chunk) = items.first else { return [] }
            return await Self.offsetFetch(chunk, coordinator: id, topics: topics, pool: pool)
        }
        for (g, r) in answers { out[g] = r }
        return out
    }

    // Long because: the batched (v8+) and per-group request shapes answer into one table.
    static func offsetFetch(
        _ groups: [String], coordinator id: Int32, topics: [(String, [Int32])]?, pool: BrokerPool
    ) async -> [(String, Result<[CommittedOffsetInfo], ClusterError>)] {
        do throws(ClusterError) {
            let address = try await pool.address(of: .broker(id))
            let version = try await pool.requiredVersion(of: OffsetFetchRequest.self, at: address)
            func failure(_ code: Int16) -> ClusterError {
                let e = KafkaErrorCode.named(code)
                return ClusterError(address: address.description, reason: e.name, code: e)
            }
            func rows(_ ts: [(String, [(Int32, Int64, String?, Int16)])]) -> [CommittedOffsetInfo] {
                ts.flatMap { t, ps in
                    ps.filter { $0.1 >= 0 && $0.3 == 0 }.map {
                        CommittedOffsetInfo(topic: t, partition: $0.0, offset: $0.1, metadata: $0.2)
                    }
                }
            }
            if version >= 8 {
                let r = try await pool.send(
                    OffsetFetchRequest(
                        groups: groups.map { g in
                            .init(groupId: g, topics: topics?.map { .init(name: $0.0, partitionIndexes: $0.1) })
                        }), version: version, to: address)
                return r.groups.map { g in
                    if g.errorCode != 0 {
                        return (g.groupId, .failure(failure(g.errorCode)))
                    }
                    return (
                        g.groupId,
                        .success(
                            rows(
                                g.topics.map { t in
                                    (
                                        t.name,
                                        t.partitions.map {
                                            ($0.partitionIndex, $0.committedOffset, $0.metadata, $0.errorCode)
                                        }
                                    )
                                }))
                    )
                }
            }
            var out: [(String, Result<[CommittedOffsetInfo], ClusterError>)] = []
            for g in groups {
                // v0 and v1 cannot ask for "all topics" (v2 added the null list).
                if topics == nil && version < 2 {
                    out.append((g, .success([])))
                    continue
                }
                let r = try await pool.send(
                    OffsetFetchRequest(groupId: g, topics: topics?.map { .init(name: $0.0, partitionIndexes: $0.1) }),
                    version: version, to: address)
                if r.errorCode != 0 {
                    out.append((g, .failure(failure(r.errorCode))))
                    continue
                }
                out.append(
                    (
                        g,
                        .success(
                            rows(
                                r.topics.map { t in
                                    (
                                        t.name,
                                        t.partitions.map {
                                            ($0.partitionIndex, $0.committedOffset, $0.metadata, $0.errorCode)
                                        }
                                    )
                                }))
                    ))
            }
            return out
        } catch {
            return groups.map { ($0, .failure(error)) }
        }
    }

    /// Commits `offsets` for `group` as an admin (no member id, generation -1), as kafka-consumer-groups.sh
    /// --reset-offsets does; the broker refuses it while the group has members. Returns each partition's error.
    public func commitOffsets(_ group: String, _ offsets: [TopicPartitionKey: Int64]) async throws(ClusterError)
        -> [TopicPartitionKey: KafkaErrorCode]
    {
        let topics = Dictionary(grouping: offsets.keys, by: \.topic).sorted { $0.key < $1.key }.map { t, ks in
            OffsetCommitRequest.OffsetCommitRequestTopic(
                name: t,
                partitions: ks.sorted().map { .init(partitionIndex: $0.partition, committedOffset: offsets[$0] ?? 0) })
        }
        let r = try await pool.send(
            OffsetCommitRequest(groupId: group, generationIdOrMemberEpoch: -1, memberId: "", topics: topics),
            to: .groupCoordinator(group))
        var out: [TopicPartitionKey: KafkaErrorCode] = [:]
        for t in r.topics {
            for p in t.partitions where p.errorCode != 0 {
                out[TopicPartitionKey(t.name, p.partitionIndex)] = KafkaErrorCode.named(p.errorCode)
            }
        }
        return out
    }

    /// The timestamp (ms) of the first data record at or after each position, from Fetch requests to the leaders
    /// (one position per partition per request, 100 partitions per request, all leaders in parallel). A record
    /// with log-append time gives the broker's time. Positions with no record yet are left out; `failures` says
    /// what could not be read.
    public func recordTimestamps(_ positions: Set<RecordPosition>) async -> (
        found: [RecordPosition: RecordAtPosition], failures: [String]
    ) {
        guard !positions.isEmpty else { return ([:], []) }
        let meta: ClusterDescription
        do throws(ClusterError) { meta = try await pool.metadata() } catch { return ([:], ["Fetch: \(error.reason)"]) }
        var leaders: [TopicPartitionKey: Int32] = [:]
        for t in meta.topics { for p in t.partitions { leaders[TopicPartitionKey(t.name, p.partition)] = p.leader } }
        // Rounds: each asks every partition from its lowest unresolved position (one position per partition in a
        // request); the records an answer carries resolve every position they cover, so a partition with many
        // groups at nearby offsets takes a few fetches, not one per position.
        var pending: [TopicPartitionKey: [Int64]] = [:]
        for p in positions { pending[p.key, default: []].append(p.offset) }
        for k in pending.keys { pending[k] = Array(Set(pending[k] ?? [])).sorted() }
        var out: [RecordPosition: RecordAtPosition] = [:]
        var failures: [String] = []
        let pool = self.pool
        while !pending.isEmpty {
            var work: [(Int32, [RecordPosition], [TopicPartitionKey: [Int64]])] = []
            let heads = pending.compactMap { k, os in os.first.map { RecordPosition(k, $0) } }
            for (leader, ps) in Dictionary(grouping: heads, by: { leaders[$0.key] ?? -1 }) {
                let sorted = ps.sorted { ($0.key, $0.offset) < ($1.key, $1.offset) }
                for s in stride(from: 0, to: sorted.count, by: 100) {
                    let chunk = Array(sorted[s..<min(sorted.count, s + 100)])
                    let wanted = Dictionary(
                        chunk.map { ($0.key, pending[$0.key] ?? []) }, uniquingKeysWith: { a, _ in a })
                    work.append((leader, chunk, wanted))
                }
            }
            let answers = await Self.chunked(work, size: 1) {
                (items: [(Int32, [RecordPosition], [TopicPartitionKey: [Int64]])]) async
                    -> [(RecordPosition, RecordAtPosition?, String?)] in
                guard let (leader, ps, wanted) = items.first else { return [] }
                return await Self.fetchTimestamps(ps, leader: leader, pool: pool, wanted: wanted)
            }
            var answered: [TopicPartitionKey: Set<Int64>] = [:]
            for (p, found, why) in answers {
                if let found { out[p] = found }
                if let why { failures.append(why) }
                // Resolved or failed: either way not asked again (a failed head would fail again).
                answered[p.key, default: []].insert(p.offset)
            }
            for (k, done) in answered { pending[k]?.removeAll { done.contains($0) } }
            // A head the answer left out would be asked forever: dropped, as a position without a record (the
            // figure that needs it stays unknown).
            for h in heads where pending[h.key]?.first == h.offset { pending[h.key]?.removeFirst() }
            pending = pending.filter { !$0.value.isEmpty }
        }
        return (out, Array(Set(failures)).sorted())
    }

    // Long because: one Fetch, each partition's record set scanned for the first record at or after its offset,
    // and a partition whose batch did not fit fetched again alone with room for it.
    static func fetchTimestamps(
        _ ps: [RecordPosition], leader: Int32, pool: BrokerPool, maxBytes: Int32 = 65_536,
        wanted: [TopicPartitionKey: [Int64]] = [:]
    ) async -> [(RecordPosition, RecordAtPosition?, String?)] {
        guard leader >= 0 else { return ps.map { ($0, nil, "\($0.key.topic)-\($0.key.partition): no leader") } }
        do throws(ClusterError) {
            let address = try await pool.address(of: .broker(leader))
            // v12 is the last version that names topics (v13 uses topic ids).
            let version = min(try await pool.requiredVersion(of: FetchRequest.self, at: address), 12)
            let topics = Dictionary(grouping: ps, by: \.key.topic).sorted { $0.key < $1.key }.map { t, ps in
                FetchRequest.FetchTopic(
                    topic: t,
                    partitions: ps.map {
                        .init(
                            partition: $0.key.partition, currentLeaderEpoch: -1, fetchOffset: $0.offset,
                            lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: maxBytes)
                    })
            }
            let request = FetchRequest(
                // Every position asked is below the high watermark, so one byte is there at once; with min.bytes 0
                // some brokers (Tansu) answer before reading the log.
                replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 16 * 1024 * 1024, isolationLevel: 0, sessionId: 0,
                sessionEpoch: -1, topics: topics, forgottenTopicsData: [], rackId: "")
            let r = try await pool.send(request, version: version, to: address)
            let asked = Dictionary(ps.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            var out: [(RecordPosition, RecordAtPosition?, String?)] = []
            var again: [RecordPosition] = []
            for t in r.responses {
                for p in t.partitions {
                    guard let pos = asked[TopicPartitionKey(t.topic, p.partitionIndex)] else { continue }
                    if p.errorCode != 0 {
                        out.append(
                            (
                                pos, nil,
                                "Fetch \(t.topic)-\(p.partitionIndex): \(KafkaErrorCode.named(p.errorCode).name)"
                            ))
                        continue
                    }
                    let none = "\(t.topic)-\(p.partitionIndex) at offset \(pos.offset): the broker returned no record"
                    guard var set = p.records, set.readableBytes > 0 else {
                        out.append((pos, nil, none))
                        continue
                    }
                    var found: Int64?
                    var end = pos.offset
                    // The other positions wanted on this partition, above the asked one, and what covers them.
                    let others = (wanted[pos.key] ?? []).filter { $0 > pos.offset }
                    var next = 0
                    var covered: [(Int64, Int64)] = []
                    try? RecordBatch.forEachRecord(
                        in: &set, onBatch: { b in end = max(end, b.baseOffset &+ Int64(b.lastOffsetDelta) &+ 1) },
                        { b, rec in
                            guard !b.isControl else { return }
                            let offset = b.baseOffset &+ Int64(rec.offsetDelta)
                            let ts = b.timestampIsLogAppendTime ? b.maxTimestamp : b.baseTimestamp &+ rec.timestampDelta
                            if found == nil, offset >= pos.offset { found = ts }
                            // Each wanted offset takes the first record at or after it.
                            while next < others.count, others[next] <= offset {
                                covered.append((others[next], ts))
                                next += 1
                            }
                        })
                    for (o, ts) in covered { out.append((RecordPosition(pos.key, o), .timestamp(ts), nil)) }
                    if let found {
                        out.append((pos, .timestamp(found), nil))
                    } else if end > pos.offset && end >= p.highWatermark {
                        // Read to the high watermark and every record was a transaction marker.
                        out.append((pos, .onlyControlRecords(p.highWatermark - pos.offset), nil))
                    } else if maxBytes < 8 * 1024 * 1024 {
                        again.append(pos)
                    } else {
                        out.append((pos, nil, none))
                    }
                }
            }
            for pos in again {
                out += await fetchTimestamps([pos], leader: leader, pool: pool, maxBytes: 8 * 1024 * 1024)
            }
            return out
        } catch {
            return ps.map { ($0, nil, "Fetch from broker \(leader): \(error.reason)") }
        }
    }
}
