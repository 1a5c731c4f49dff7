/// Data on broker disks (margin included, local tier only with tiered storage), bounded per broker by what
/// its drives hold (local NVMe) and by `policy.maxStoragePerBroker` when one is given. Without a fixed bound,
/// block storage grows as far as the recovery target allows (`RecoveryConstraint`).
struct DiskCapacityConstraint: BrokerConstraint {
    var kind: ConstraintKind { .diskCapacity }
    var label: String { "Brokers for disk capacity" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let localBytes = c.storage.localBytes
        let fixed = c.policy.maxStoragePerBroker
        let nvme = c.environment.storage == .localNVMe
        var bounds: [Term] = []
        if nvme { bounds.append(Term("localNVMeCapacity", c.instance.localCapacityBytes, .bytes)) }
        if let fixed { bounds.append(Term("maxStoragePerBroker", fixed, .bytes)) }
        if let limit = c.deploymentStorageLimit { bounds.append(Term("deploymentStorageLimit", limit, .bytes)) }
        guard let perBroker = bounds.map(\.value).min() else {
            return BrokerRequirement(
                0,
                formula:
                    "0: no fixed bound on how much of the localBytes one broker holds on block storage (policy.maxStoragePerBroker unset); the recovery target bounds it",
                inputs: [Term("localBytes", localBytes, .bytes)])
        }
        let names = bounds.map(\.name)
        return BrokerRequirement(
            localBytes / perBroker,
            formula: names.count == 1
                ? "localBytes ÷ \(names[0])" : "localBytes ÷ min(\(names.joined(separator: ", ")))",
            inputs: [Term("localBytes", localBytes, .bytes)] + bounds)
    }
}
