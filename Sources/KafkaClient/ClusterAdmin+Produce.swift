// Writing records: one batch to one partition's leader with Produce (v3+, record batches v2),
// compressed as asked. The first user is the test suite (our encoding read back by librdkafka);
// `bench` and `apply` build on it.

import KafkaProtocol
import NIOCore

extension ClusterAdmin {
    /// Appends `records` to `partition` of `topic` as one batch with acks=all; returns the base offset.
    public func produce(
        bootstrap: [BrokerAddress], topic: String, partition: Int32, records: [(key: [UInt8]?, value: [UInt8]?)],
        compression: RecordBatchCodec = .none, timestampMs: Int64
    ) async throws(ClusterError) -> Int64 {
        let description = try await describeAny(bootstrap)
        guard
            let p = description.topics.first(where: { $0.name == topic })?.partitions.first(where: {
                $0.partition == partition
            })
        else {
            throw ClusterError(
                address: bootstrap.map(\.description).joined(separator: ","),
                reason: "\(topic)/\(partition) does not exist")
        }
        guard let leader = description.brokers.first(where: { $0.id == p.leader }) else {
            throw ClusterError(
                address: bootstrap.map(\.description).joined(separator: ","),
                reason: "\(topic)/\(partition) has no leader", code: KafkaErrorCode.named(5))
        }
        let c = try await connect(BrokerAddress(host: leader.host, port: Int(leader.port)))
        do {
            let offset = try await produce(
                c, topic: topic, partition: partition, records: records, compression: compression,
                timestampMs: timestampMs)
            await c.close()
            return offset
        } catch {
            await c.close()
            throw error
        }
    }

    func produce(
        _ c: KafkaConnection, topic: String, partition: Int32, records: [(key: [UInt8]?, value: [UInt8]?)],
        compression: RecordBatchCodec, timestampMs: Int64
    ) async throws(ClusterError) -> Int64 {
        let apis = try await apiVersions(c)
        guard let version = apis.first(where: { $0.apiKey == 0 })?.chosen, version >= 3 else {
            throw ClusterError(
                address: c.address,
                reason: "the broker offers no Produce version with record batches v2 (needs v3+, Kafka 0.11+)")
        }
        var batch = RecordBatch(
            records: records.enumerated().map { i, r in
                Record(
                    offsetDelta: Int32(i), key: r.key.map { ByteBuffer(bytes: $0) },
                    value: r.value.map { ByteBuffer(bytes: $0) })
            })
        batch.attributes = compression.rawValue
        batch.lastOffsetDelta = Int32(max(0, records.count - 1))
        batch.baseTimestamp = timestampMs
        batch.maxTimestamp = timestampMs
        batch.producerId = -1
        batch.producerEpoch = -1
        batch.baseSequence = -1
        var bytes = ByteBuffer()
        do { try batch.encode(into: &bytes) } catch {
            throw ClusterError(address: c.address, reason: "\(error)")
        }
        let request = ProduceRequest(
            transactionalId: nil, acks: -1, timeoutMs: Int32(clamping: Int64(timeout * 1000)),
            topicData: [.init(name: topic, partitionData: [.init(index: partition, records: bytes)])])
        let r = try await c.send(request, version: version, timeout: timeout)
        guard let response = r.responses.first?.partitionResponses.first else {
            throw ClusterError(address: c.address, reason: "Produce v\(version): the response names no partition")
        }
        if response.errorCode != 0 {
            let e = KafkaErrorCode.named(response.errorCode)
            throw ClusterError(address: c.address, reason: "Produce to \(topic)/\(partition) failed: \(e)", code: e)
        }
        return response.baseOffset
    }
}
