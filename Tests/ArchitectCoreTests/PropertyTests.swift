import Testing

@testable import ArchitectCore

/// Monotonicity over seeded random workloads: more load never needs fewer brokers, longer
/// retention never less storage, compression never more wire bytes.
@Suite struct PropertyTests {
    let planner = CapacityPlanner()

    func randomArchitecture(_ rng: inout SeededRandom) -> Architecture {
        let topics = (0..<Int.random(in: 1...4, using: &rng)).map { i in
            TopicWorkload(
                name: "t\(i)",
                messagesPerSecond: Double.random(in: 10...200_000, using: &rng),
                messageSize: Double.random(in: 100...20_000, using: &rng),
                compression: [.none, .lz4, .zstd].randomElement(using: &rng)!,
                retentionSeconds: Double.random(in: 3600...(30 * 86_400), using: &rng),
                consumerGroups: Int.random(in: 0...8, using: &rng),
                peakToAverage: Double.random(in: 1...4, using: &rng),
                partitions: Int.random(in: 1...200, using: &rng)
            )
        }
        var a = Architecture(name: "random", topics: topics)
        a.environment.instance = ["m6i.2xlarge", "m7g.4xlarge", "r6i.xlarge", "m5.large"].randomElement(using: &rng)!
        a.environment.availabilityZones = Int.random(in: 1...3, using: &rng)
        // Up to 16 GB/s for 30 days on m5.large would need more brokers than one cluster can have (an error);
        // a slow recovery target keeps every random workload plannable.
        a.policy.recoveryTargetSeconds = 30 * 86_400
        return a
    }

    @Test func moreLoadNeverGivesFewerBrokers() throws {
        var rng = SeededRandom(state: 42)
        for _ in 0..<60 {
            let a = randomArchitecture(&rng)
            var heavier = a
            let factor = Double.random(in: 1...5, using: &rng)
            for i in heavier.topics.indices { heavier.topics[i].messagesPerSecond *= factor }
            let (p, q) = (try planner.plan(a), try planner.plan(heavier))
            #expect(q.brokers >= p.brokers, "×\(factor) load: \(p.brokers) → \(q.brokers)")
        }
    }

    @Test func moreLoadNeverGivesFewerBrokersWithAutoInstance() throws {
        var rng = SeededRandom(state: 7)
        for _ in 0..<10 {
            var a = randomArchitecture(&rng)
            a.environment.instance = "m6i.xlarge"
            var heavier = a
            for i in heavier.topics.indices { heavier.topics[i].messagesPerSecond *= 2 }
            #expect(try planner.plan(heavier).storage.totalBytes >= planner.plan(a).storage.totalBytes)
        }
    }

    @Test func longerRetentionNeverLessStorage() throws {
        var rng = SeededRandom(state: 1234)
        for _ in 0..<60 {
            let a = randomArchitecture(&rng)
            var longer = a
            for i in longer.topics.indices {
                longer.topics[i].retentionSeconds! *= Double.random(in: 1...10, using: &rng)
            }
            let (p, q) = (try planner.plan(a), try planner.plan(longer))
            #expect(q.storage.retainedBytes >= p.storage.retainedBytes)
            #expect(q.storage.totalBytes >= p.storage.totalBytes)
            #expect(q.brokers >= p.brokers)
        }
    }

    @Test func compressionNeverMoreWireBytes() throws {
        var rng = SeededRandom(state: 99)
        for _ in 0..<60 {
            var a = randomArchitecture(&rng)
            for i in a.topics.indices {
                a.topics[i].compression = .none
                a.topics[i].compressionRatio = 1
            }
            var compressed = a
            for i in compressed.topics.indices {
                compressed.topics[i].compression = .zstd
                compressed.topics[i].compressionRatio = Double.random(in: 1...8, using: &rng)
            }
            let (p, q) = (try planner.plan(a), try planner.plan(compressed))
            #expect(q.throughput.ingressWireBytesPerSecond <= p.throughput.ingressWireBytesPerSecond)
            #expect(q.throughput.ingressBytesPerSecond == p.throughput.ingressBytesPerSecond)
            #expect(q.storage.retainedBytes <= p.storage.retainedBytes)
        }
    }
}
