import ArchitectCore
import Foundation
import Testing

/// Kafka Architect's partitioners against implementations nobody here wrote:
/// kafka-python's murmur2 (the Java client's algorithm) and librdkafka 2.16 (via confluent-kafka)
/// producing to a real broker (Tansu) and reporting where each record went.
@Suite(.serialized) struct PartitionerPeerTests {
    /// Keys of every shape: ids, UTF-8, invalid UTF-8, lengths 1–64, and the empty key.
    static let keys: [[UInt8]] = {
        var rng = XorShift(state: 2026)
        var keys: [[UInt8]] = [[]]
        for i in 0..<1000 { keys.append(Array("order-\(i)".utf8)) }
        for _ in 0..<800 {
            let length = Int.random(in: 1...64, using: &rng)
            keys.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }.map { $0 == 10 ? 11 : $0 })
        }
        for word in ["ünïcödé", "日本語のキー", "🔑", "kafka", "21", "foobar"] { keys.append(Array(word.utf8)) }
        return keys
    }()

    static var hexLines: String {
        keys.map { $0.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n") + "\n"
    }

    @Test(.requires(.python("kafka"))) func javaPartitionerMatchesKafkaPython() throws {
        guard Peers.pythonHas("kafka") else { return Peers.missing("python module kafka (kafka-python)") }
        let counts = [1, 3, 7, 12, 64, 1000]
        let r = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("java_murmur2.py").path] + counts.map(String.init),
            stdin: Self.hexLines)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: " ").map { Int($0)! } }
        #expect(rows.count == Self.keys.count)
        for (key, row) in zip(Self.keys, rows) {
            for (n, theirs) in zip(counts, row) {
                #expect(Partitioner.java.choose(key, partitions: n) == .partition(theirs), "key \(key) n \(n)")
            }
        }
    }

    @Test(.requires(.tansu, .python("confluent_kafka"))) func librdkafkaPartitionersMatchOnARealBroker() throws {
        guard Peers.pythonHas("confluent_kafka") else {
            return Peers.missing("python module confluent_kafka (confluent-kafka)")
        }
        guard let binary = Peers.tansu else { return Peers.missing("Tansu broker (.build-peers/tansu)") }
        let broker = try TansuBroker(binary: binary)
        for n in [7, 12] {
            let topic = "peer-\(n)"
            try broker.createTopic(topic, partitions: n)
            for p in Partitioner.allCases where p != .java {
                let r = try Peers.run(
                    "python3",
                    [
                        Peers.script.appendingPathComponent("librdkafka_partition.py").path, broker.bootstrap, topic,
                        p.rawValue,
                    ], stdin: Self.hexLines)
                #expect(r.status == 0, "\(p.rawValue): \(r.stderr)")
                let theirs = r.stdout.split(separator: "\n").map(String.init)
                #expect(theirs.count == Self.keys.count, "\(p.rawValue): \(r.stdout.prefix(200))")
                var compared = 0
                for (key, delivered) in zip(Self.keys, theirs) {
                    switch p.choose(key, partitions: n) {
                    case .partition(let ours):
                        #expect(
                            delivered == String(ours),
                            "\(p.rawValue) n=\(n) key \(key): librdkafka \(delivered), ours \(ours)")
                        compared += 1
                    case .spread:
                        #expect(Int(delivered).map { $0 >= 0 && $0 < n } == true)
                    }
                }
                #expect(compared >= Self.keys.count - 1)
            }
        }
    }

    /// The CLI's per-partition counts equal the peer's, for a whole file of keys.
    @Test(.requires(.python("kafka"))) func keysCommandCountsMatchKafkaPython() throws {
        guard Peers.pythonHas("kafka") else { return Peers.missing("python module kafka (kafka-python)") }
        let lineKeys = Self.keys.filter { !$0.contains(13) }  // a trailing \r would be stripped as a line ending
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ka-keys-\(UUID().uuidString).txt")
        var data = Data()
        for k in lineKeys {
            data.append(contentsOf: k)
            data.append(10)
        }
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let hex = lineKeys.map { $0.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n") + "\n"
        let peer = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("java_murmur2.py").path, "12"], stdin: hex)
        var expected = [Int](repeating: 0, count: 12)
        for line in peer.stdout.split(separator: "\n") { expected[Int(line)!] += 1 }
        let r = try CLIRunner.run(["keys", file.path, "--partitions", "12", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let partitions = try #require(doc["partitions"] as? [[String: Any]])
        #expect(partitions.map { $0["messages"] as? Int ?? -1 } == expected)
    }
}

/// A fixed pseudo-random sequence so the peer comparison uses the same keys every run.
struct XorShift: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
