// The audit's rule catalog: health and access rules here; configuration findings are the `lint` rules,
// applied to each broker's and topic's live configuration.

public enum AuditRules {
    public static let leaderless = AuditRule(
        id: "KA-HLT-001", area: .health, severity: .error, title: "Partitions without a leader (offline)",
        fix:
            "Bring the replicas' brokers back; if none can return, an unclean leader election (kafka-leader-election.sh --election-type unclean) trades data loss for availability."
    )
    public static let underReplicated = AuditRule(
        id: "KA-HLT-002", area: .health, severity: .warning, title: "Under-replicated partitions",
        fix:
            "Find why the followers fell behind (broker down, disk or network saturated, replica.lag.time.max.ms); they rejoin the ISR once caught up."
    )
    public static let underMinIsr = AuditRule(
        id: "KA-HLT-003", area: .health, severity: .error,
        title: "Partitions below min.insync.replicas (acks=all writes fail)",
        fix: "Restore the missing replicas; producers with acks=all get NOT_ENOUGH_REPLICAS until the ISR grows back.")
    public static let atMinIsr = AuditRule(
        id: "KA-HLT-004", area: .health, severity: .warning,
        title: "Partitions at min.insync.replicas (one more failure stops writes)",
        fix:
            "Restore the out-of-sync replica before any planned restart; do not roll brokers while partitions sit at min ISR."
    )
    public static let offlineReplicas = AuditRule(
        id: "KA-HLT-005", area: .health, severity: .error, title: "Offline replicas",
        fix: "The replicas' log directory or broker has failed: check the broker's log.dirs and disks.")
    public static let preferredLeader = AuditRule(
        id: "KA-HLT-006", area: .health, severity: .warning, title: "Preferred-leader imbalance",
        fix:
            "Run a preferred leader election (kafka-leader-election.sh --election-type preferred --all-topic-partitions), and check auto.leader.rebalance.enable."
    )
    public static let leaderSkew = AuditRule(
        id: "KA-HLT-007", area: .health, severity: .warning, title: "Leaders uneven across brokers",
        fix:
            "Elect preferred leaders; if the preferred replicas themselves are uneven, reassign (kafka-architect rebalance)."
    )
    public static let replicaSkew = AuditRule(
        id: "KA-HLT-008", area: .health, severity: .warning, title: "Replicas uneven across brokers",
        fix:
            "Reassign partitions onto the lightly loaded brokers (kafka-reassign-partitions.sh or Cruise Control); new brokers receive nothing until you do."
    )
    public static let diskSkew = AuditRule(
        id: "KA-HLT-009", area: .health, severity: .warning, title: "Data uneven across brokers",
        fix: "Move large partitions' replicas to the brokers holding less (a size-aware reassignment).")
    public static let diskUsage = AuditRule(
        id: "KA-HLT-010", area: .health, severity: .warning, title: "Log directory nearly full, or offline",
        fix:
            "Add disk or brokers, shorten retention on the largest topics, or move replicas off this broker; a full log dir takes the broker's partitions offline."
    )
    public static let rackSharing = AuditRule(
        id: "KA-HLT-011", area: .health, severity: .warning, title: "Replicas of one partition share a rack",
        fix:
            "Reassign so each partition's replicas span racks (broker.rack is set, but the assignment predates it or was made by hand)."
    )
    public static let replicationBelowPolicy = AuditRule(
        id: "KA-HLT-012", area: .health, severity: .warning, title: "Replication factor below policy",
        fix: "Raise the replication factor with a reassignment that adds replicas (kafka-reassign-partitions.sh).")
    public static let replicationAbovePolicy = AuditRule(
        id: "KA-HLT-013", area: .health, severity: .info, title: "Replication factor above policy",
        fix: "Each extra copy costs disk, network and cross-zone traffic; lower it by reassignment if policy allows.")
    public static let internalTopics = AuditRule(
        id: "KA-HLT-014", area: .health, severity: .error,
        title: "Internal topic with unsafe replication or min ISR",
        fix:
            "__consumer_offsets and __transaction_state need RF 3 and min.insync.replicas 2: reassign to add replicas and set min.insync.replicas (offsets.topic.replication.factor only applies at creation)."
    )
    public static let partitionsPerBroker = AuditRule(
        id: "KA-HLT-015", area: .health, severity: .warning, title: "Partition replicas per broker above guidance",
        fix:
            "Add brokers, or reduce partitions (merge small topics, delete unused ones); recovery and elections slow with count."
    )
    public static let singlePartition = AuditRule(
        id: "KA-HLT-016", area: .health, severity: .info, title: "Single-partition topic",
        fix: "Fine for total order or low volume; otherwise one consumer and one broker carry the whole topic.")
    public static let notMultipleOfBrokers = AuditRule(
        id: "KA-HLT-017", area: .health, severity: .info, title: "Partition count not a multiple of brokers",
        fix: "A multiple of the broker count spreads leaders and load evenly.")
    public static let inactiveGroup = AuditRule(
        id: "KA-HLT-018", area: .health, severity: .info, title: "Group with committed offsets but no members",
        fix:
            "A stopped consumer (its lag grows unseen) or a retired group: restart it, or delete it (kafka-consumer-groups.sh --delete) so lag alerts stay meaningful."
    )
    public static let hangingTransaction = AuditRule(
        id: "KA-HLT-019", area: .health, severity: .error, title: "Hanging transaction",
        fix:
            "It holds the last stable offset, so read_committed consumers stop: abort it (kafka-transactions.sh abort) after checking the producer is gone."
    )
    public static let missingRack = AuditRule(
        id: "KA-HLT-020", area: .health, severity: .warning, title: "Brokers without a rack while others have one",
        fix: "Set broker.rack on every broker, or rack-aware placement cannot protect partitions that land on these.")
    public static let idleBrokers = AuditRule(
        id: "KA-HLT-021", area: .health, severity: .warning, title: "Brokers that hold no partitions",
        fix: "Reassign partitions onto them; Kafka never moves existing partitions to a new broker on its own.")
    public static let tooFewBrokers = AuditRule(
        id: "KA-HLT-022", area: .health, severity: .warning, title: "Fewer brokers than the replication policy",
        fix:
            "Add brokers up to the replication factor at least (three for RF 3, across zones); until then every topic is below policy and one broker's loss stops the cluster."
    )

    public static let allowAll = AuditRule(
        id: "KA-ACC-001", area: .access, severity: .error, title: "ACL allowing everything on every resource",
        fix: "Replace it with ACLs naming the principals and resources that need access.")
    public static let wildcardPrincipalWrite = AuditRule(
        id: "KA-ACC-002", area: .access, severity: .error, title: "User:* allowed to write or change",
        fix: "Grant Write, Create, Delete and Alter to named principals only.")
    public static let wildcardHostWrite = AuditRule(
        id: "KA-ACC-003", area: .access, severity: .info, title: "Write allowed from any host",
        fix:
            "Where the producers' addresses are stable, name the hosts; otherwise rely on authentication and accept it."
    )
    public static let allowEveryone = AuditRule(
        id: "KA-ACC-004", area: .access, severity: .error, title: "allow.everyone.if.no.acl.found=true",
        fix: "Set allow.everyone.if.no.acl.found=false: any resource without an ACL is open to every principal.")
    public static let deadDeny = AuditRule(
        id: "KA-ACC-005", area: .access, severity: .info, title: "DENY rule that never matches",
        fix:
            "Nothing allows this principal here, so today the DENY changes nothing: check the principal and resource name; keep it if it is a deliberate guardrail against a future ALLOW."
    )
    public static let principalAll = AuditRule(
        id: "KA-ACC-006", area: .access, severity: .warning, title: "Principal allowed All operations",
        fix: "Grant the operations it uses (Read, Write, Describe, …); All includes Alter, Delete and ClusterAction.")

    public static let absentBrokers = AuditRule(
        id: "KA-HLT-023", area: .health, severity: .error, title: "Replicas on brokers the cluster does not list",
        fix:
            "Bring the broker back, or if it is gone for good, reassign its replicas to live brokers (kafka-reassign-partitions.sh); until then those partitions run with fewer copies."
    )
    public static let everyoneReads = AuditRule(
        id: "KA-ACC-007", area: .access, severity: .warning, title: "Everyone may read every topic or group",
        fix: "Grant Read and Describe to the principals that consume, per topic or prefix.")

    public static let all: [AuditRule] = [
        leaderless, underReplicated, underMinIsr, atMinIsr, offlineReplicas, preferredLeader, leaderSkew, replicaSkew,
        diskSkew, diskUsage, rackSharing, replicationBelowPolicy, replicationAbovePolicy, internalTopics,
        partitionsPerBroker, singlePartition, notMultipleOfBrokers, inactiveGroup, hangingTransaction, missingRack,
        idleBrokers, tooFewBrokers, absentBrokers, allowAll, wildcardPrincipalWrite, wildcardHostWrite, allowEveryone,
        deadDeny,
        principalAll, everyoneReads,
    ]

    public static func rule(_ id: String) -> AuditRule? { all.first { $0.id == id } }
}
