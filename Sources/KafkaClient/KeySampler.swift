// Reads the newest records of a topic (ListOffsets + Fetch from each partition's leader) and keeps
// their keys and partitions, for key-distribution analysis of a live topic.

import KafkaProtocol
import NIOCore

public struct SampledKey: Sendable, Equatable {
    public let partition: Int32
    public let offset: Int64
    /// nil for a null key.
    public let key: [UInt8]?
}

public struct KeySample: Sendable, Equatable {
    public let topic: String
    public let partitions: Int
    public let keys: [SampledKey]
    /// What could not be read, partition by partition.
    public let notes: [String]
}

extension ClusterAdmin {
    /// About `records` of the newest records of `topic`, spread evenly over its partitions.
    public func sampleKeys(bootstrap: [BrokerAddress], topic: String, records: Int) async throws(ClusterError) -> KeySample {
        let first = try await connectAny(bootstrap)
        let description = try await describe(first)
        await first.close()
        guard let t = description.topics.first(where: { $0.name == topic }) else {
            throw ClusterError(address: bootstrap.map(\.description).joined(separator: ","), reason: "topic '\(topic)' does not exist (\(description.topics.count) topics on the cluster)")
        }
        let n = max(1, t.partitions.count)
        let perPartition = (records + n - 1) / n
        var keys: [SampledKey] = []
        var notes: [String] = []
        let byLeader = Dictionary(grouping: t.partitions, by: \.leader)
        for leader in byLeader.keys.sorted() {
            let parts = byLeader[leader]!.map(\.partition).sorted()
            guard let broker = description.brokers.first(where: { $0.id == leader }) else {
                notes.append("partitions \(parts.map(String.init).joined(separator: ",")): no leader (offline); not sampled")
                continue
            }
            let c: KafkaConnection
            do { c = try await KafkaConnection.connect(host: broker.host, port: Int(broker.port), timeout: timeout, group: group) } catch {
                notes.append("partitions \(parts.map(String.init).joined(separator: ",")): leader \(broker.id) unreachable (\(error.reason)); not sampled")
                continue
            }
            do {
                try await sample(c, leader: broker.id, topic: topic, partitions: parts, perPartition: perPartition, into: &keys, notes: &notes)
            } catch {
                await c.close()
                throw error
            }
            await c.close()
        }
        return KeySample(topic: topic, partitions: t.partitions.count, keys: keys, notes: notes)
    }

    /// The newest `perPartition` records of each of `partitions`, all led by the broker behind `c`.
    private func sample(_ c: KafkaConnection, leader: Int32, topic: String, partitions parts: [Int32], perPartition: Int,
                        into keys: inout [SampledKey], notes: inout [String]) async throws(ClusterError) {
        let apis = try await apiVersions(c)
        guard let listVersion = apis.first(where: { $0.apiKey == 2 })?.chosen, let fetchMax = apis.first(where: { $0.apiKey == 1 })?.chosen else {
            notes.append("leader \(leader): no ListOffsets/Fetch version in common; not sampled")
            return
        }
        // Fetch v13+ names topics by ID; v12 is the last that names them, which every broker we meet supports.
        let fetchVersion = min(fetchMax, 12)
        let latest = try await offsets(c, topic: topic, partitions: parts, timestamp: -1, version: listVersion)
        let earliest = try await offsets(c, topic: topic, partitions: parts, timestamp: -2, version: listVersion)
        for p in parts {
            guard let end = latest[p], let start = earliest[p] else { notes.append("partition \(p): no offsets"); continue }
            var offset = max(start, end - Int64(perPartition))
            var got: [SampledKey] = []
            var rounds = 0
            while offset < end && rounds < 50 {
                rounds += 1
                let batches = try await fetch(c, topic: topic, partition: p, offset: offset, version: fetchVersion, notes: &notes)
                guard !batches.isEmpty else { break }
                var next = offset
                for b in batches where !b.isControl {
                    for r in b.records {
                        let o = b.baseOffset + Int64(r.offsetDelta)
                        if o >= offset { got.append(SampledKey(partition: p, offset: o, key: r.key.map { Array($0.readableBytesView) })) }
                    }
                    next = max(next, b.baseOffset + Int64(b.lastOffsetDelta) + 1)
                }
                if next <= offset { break }
                offset = next
            }
            keys += got.suffix(perPartition)
        }
    }


    func offsets(_ c: KafkaConnection, topic: String, partitions: [Int32], timestamp: Int64, version: Int16) async throws(ClusterError) -> [Int32: Int64] {
        let body: [String: KafkaValue] = [
            "ReplicaId": .int(-1), "IsolationLevel": .int(0),
            "Topics": .array([.structure(["Name": .string(topic), "Partitions": .array(partitions.map { p in
                .structure(["PartitionIndex": .int(Int64(p)), "CurrentLeaderEpoch": .int(-1), "Timestamp": .int(timestamp), "MaxNumOffsets": .int(1)]) })])]),
        ]
        let r = try await c.send(.listOffsetsRequest, version: version, body, response: .listOffsetsResponse, timeout: timeout)
        var out: [Int32: Int64] = [:]
        for t in r["Topics"]?.array ?? [] {
            for p in t["Partitions"]?.array ?? [] where (p["ErrorCode"]?.int ?? 0) == 0 {
                guard let index = p["PartitionIndex"]?.int else { continue }
                out[Int32(index)] = p["Offset"]?.int ?? p["OldStyleOffsets"]?.array?.first?.int
            }
        }
        return out
    }

    func fetch(_ c: KafkaConnection, topic: String, partition: Int32, offset: Int64, version: Int16, notes: inout [String]) async throws(ClusterError) -> [RecordBatch] {
        let body: [String: KafkaValue] = [
            "ReplicaId": .int(-1), "MaxWaitMs": .int(200), "MinBytes": .int(1), "MaxBytes": .int(8 * 1024 * 1024), "IsolationLevel": .int(0),
            "SessionId": .int(0), "SessionEpoch": .int(-1),
            "Topics": .array([.structure(["Topic": .string(topic), "Partitions": .array([.structure([
                "Partition": .int(Int64(partition)), "CurrentLeaderEpoch": .int(-1), "FetchOffset": .int(offset), "LastFetchedEpoch": .int(-1),
                "LogStartOffset": .int(-1), "PartitionMaxBytes": .int(4 * 1024 * 1024)])])])]),
            "ForgottenTopicsData": .array([]), "RackId": .string(""),
        ]
        let r = try await c.send(.fetchRequest, version: version, body, response: .fetchResponse, timeout: timeout)
        var batches: [RecordBatch] = []
        for t in r["Responses"]?.array ?? [] {
            for p in t["Partitions"]?.array ?? [] {
                if let code = p["ErrorCode"]?.int, code != 0 {
                    notes.append("partition \(partition): fetch error \(code)")
                    continue
                }
                guard case .bytes(let records)? = p["Records"], var set = records else { continue }
                do {
                    batches += try RecordBatch.decodeAll(&set)
                } catch {
                    notes.append("partition \(partition): \(error); records after offset \(offset) not sampled")
                }
            }
        }
        return batches
    }
}
