import Foundation
import KafkaClient
import KafkaProtocol
import Testing

/// Compressed record batches both ways through a real broker (Tansu): librdkafka (confluent-kafka)
/// compresses and we decode; we compress and librdkafka decodes.
@Suite(.serialized) struct CompressionPeerTests {
    static let script = Peers.script.appendingPathComponent("compressed_io.py").path

    @Test(.requires(.tansu, .python("confluent_kafka")), arguments: ["gzip", "snappy", "lz4", "zstd"])
    func weReadWhatLibrdkafkaCompressed(codec: String) throws {
        guard let binary = Peers.tansu else { return Peers.missing("Tansu broker (.build-peers/tansu)") }
        guard Peers.pythonHas("confluent_kafka") else { return Peers.missing("python module confluent_kafka") }
        let broker = try TansuBroker(binary: binary)
        try broker.createTopic("in-\(codec)", partitions: 3)
        let produced = try Peers.run(
            "python3", [Self.script, "produce", broker.bootstrap, "in-\(codec)", codec, "400"])
        #expect(produced.status == 0, "\(produced.stderr)")
        let r = try CLIRunner.run([
            "keys", "--bootstrap", broker.bootstrap, "--topic", "in-\(codec)", "--sample", "1000", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let live = try #require(doc["live"] as? [String: Any])
        #expect(doc["totalMessages"] as? Int == 400)
        #expect((live["notes"] as? [String])?.isEmpty == true, "\(live["notes"] ?? "")")
        // Every batch we read was compressed with the producer's codec.
        let codecs = try #require(live["batchesByCodec"] as? [String: Int])
        #expect(Array(codecs.keys) == [codec], "\(codecs)")
        #expect(((live["partitioner"] as? [String: Any])?["family"] as? String)?.hasPrefix("murmur2") == true)
    }

    @Test(.requires(.tansu, .python("confluent_kafka")), arguments: RecordBatchCodec.allCases)
    func librdkafkaReadsWhatWeCompressed(codec: RecordBatchCodec) async throws {
        guard let binary = Peers.tansu else { return Peers.missing("Tansu broker (.build-peers/tansu)") }
        guard Peers.pythonHas("confluent_kafka") else { return Peers.missing("python module confluent_kafka") }
        let broker = try TansuBroker(binary: binary)
        try broker.createTopic("out-\(codec)", partitions: 1)
        let admin = ClusterAdmin(timeout: 10)
        let records: [(key: [UInt8]?, value: [UInt8]?)] = (0..<250).map { i in
            (
                i % 10 == 0 ? nil : Array("key-\(i % 13)".utf8),
                Array("{\"n\": \(i), \"text\": \"\(String(repeating: "abc", count: i % 20))\"}".utf8)
            )
        }
        let base = try await admin.produce(
            bootstrap: [BrokerAddress(host: "127.0.0.1", port: broker.port)], topic: "out-\(codec)", partition: 0,
            records: records, compression: codec, timestampMs: 1_700_000_000_000)
        #expect(base == 0)
        let consumed = try Peers.run("python3", [Self.script, "consume", broker.bootstrap, "out-\(codec)", "1"])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        let doc = try CLIRunner.json(consumed.stdout)
        #expect(doc["count"] as? Int == 250)
        let keys = (doc["keys"] as? [Any] ?? []).map { $0 as? String }
        #expect(keys == records.map { $0.key.map { String(decoding: $0, as: UTF8.self) } })
        #expect(doc["values"] as? [String] == records.map { String(decoding: $0.value!, as: UTF8.self) })
    }
}
