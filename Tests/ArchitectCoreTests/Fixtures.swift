@testable import ArchitectCore

/// The hand check: 50,000 msg/s × 1 KB, 7 days, RF 3, 3 consumer groups, no compression.
func logPipeline() -> Architecture {
    Architecture(
        name: "log-pipeline",
        topics: [
            TopicWorkload(
                name: "app-logs", messagesPerSecond: 50_000, messageSize: 1000, retentionSeconds: 7 * 86_400,
                consumerGroups: 3)
        ])
}

/// A machine whose every resource is plentiful, so a test can starve exactly one.
func roomyMachine(
    name: String = "roomy", vcpus: Int = 64, network: Double = 10e9, disk: Double = 10e9, hourly: Double = 1
) -> InstanceType {
    InstanceType(
        name: name, vcpus: vcpus, memoryBytes: 256 * 1_073_741_824, networkBaselineBytesPerSecond: network,
        blockStorageBytesPerSecond: disk, hourlyUSD: hourly)
}

func architecture(on machine: InstanceType, topics: [TopicWorkload], configure: (inout Architecture) -> Void = { _ in })
    -> Architecture
{
    var a = Architecture(name: "test", topics: topics)
    a.environment.provider = .custom
    a.environment.machines = [machine]
    a.environment.instance = machine.name
    a.policy.maxStoragePerBroker = 1e18
    // A recovery target long enough that it binds only in the tests about it.
    a.policy.recoveryTargetSeconds = 30 * 86_400
    configure(&a)
    return a
}

/// A deterministic pseudo-random sequence (SplitMix64) so property tests repeat exactly.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
