/// Data on broker disks (margin included, local tier only with tiered storage), bounded per broker by
/// what it holds and by `maxStoragePerBroker`, which bounds how long a replaced broker takes to rebuild.
struct DiskCapacityConstraint: BrokerConstraint {
    var kind: ConstraintKind { .diskCapacity }
    var label: String { "Brokers for disk capacity" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let localBytes = c.storage.localBytes
        let maxStorage = c.policy.maxStoragePerBroker
        // Local NVMe brokers also stop at their drives; block storage grows to the policy's bound.
        let nvme = c.environment.storage == .localNVMe
        let perBroker = nvme ? min(c.instance.localCapacityBytes, maxStorage) : maxStorage
        let perBrokerName = nvme ? "min(localNVMeCapacity, maxStoragePerBroker)" : "maxStoragePerBroker"
        return BrokerRequirement(
            localBytes / perBroker,
            formula: nvme
                ? "localBytes ÷ min(localNVMeCapacity, maxStoragePerBroker)" : "localBytes ÷ maxStoragePerBroker",
            inputs: [Term("localBytes", localBytes, .bytes), Term(perBrokerName, perBroker, .bytes)])
    }
}
