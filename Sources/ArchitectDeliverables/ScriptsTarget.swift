import ArchitectCore

/// kafka-topics.sh, kafka-acls.sh and kafka-configs.sh commands, idempotent where the tools allow.
enum ScriptsTarget {
    static let preamble = [
        "#!/usr/bin/env bash",
        "# \(Deliverables.header)",
        "# Needs BOOTSTRAP (host:port) and COMMAND_CONFIG (a client properties file with admin credentials).",
        "set -euo pipefail",
        ": \"${BOOTSTRAP:?set BOOTSTRAP to host:port}\"",
        ": \"${COMMAND_CONFIG:?set COMMAND_CONFIG to an admin client properties file}\"",
        "",
    ]

    /// On Amazon MSK there are no super users: the admin the scripts run as is granted everything by ACL,
    /// before MSK's configuration turns allow.everyone.if.no.acl.found off (see DEPLOYMENT.md).
    static func adminACLs() -> [String] {
        let admin = "User:\(SecurityTarget.adminUser)"
        return [
            "# Amazon MSK has no super.users: the admin these scripts run as is granted everything by ACL first."
        ]
            + ["--cluster", "--topic '*'", "--group '*'", "--transactional-id '*'"].map {
                "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$COMMAND_CONFIG\" --add --allow-principal '\(admin)' --operation All \($0) --resource-pattern-type literal"
            }
    }

    static func files(_ r: DesignResult, msk: Bool = false) -> [GeneratedFile] {
        var topics = preamble
        for t in r.topics {
            let configs = t.configs.map { "--config \($0.key)=\($0.value)" }.joined(separator: " ")
            topics.append(
                "kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$COMMAND_CONFIG\" --create --if-not-exists --topic '\(t.name)' --partitions \(t.partitions) --replication-factor \(t.replicationFactor) \(configs)"
            )
        }
        var acls = preamble + (msk ? adminACLs() : [])
        for a in r.acls {
            let resource: String =
                switch a.resourceType {
                case .topic: "--topic '\(a.resourceName)'"
                case .group: "--group '\(a.resourceName)'"
                case .transactionalId: "--transactional-id '\(a.resourceName)'"
                case .cluster: "--cluster"
                }
            acls.append(
                "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$COMMAND_CONFIG\" --add --allow-principal '\(a.principal)' --operation \(a.operation) \(resource) --resource-pattern-type \(a.patternType == .prefixed ? "prefixed" : "literal")"
            )
        }
        var quotas = preamble
        if r.quotas.contains(where: { $0.shareOf > 1 }) {
            quotas.append(
                "# Kafka enforces quotas per user and per broker, with no quota shared across users: each tenant's budget is split evenly between its principals."
            )
        }
        for q in r.quotas {
            let parts = [
                q.producerByteRate.map { "producer_byte_rate=\(Int64($0))" },
                q.consumerByteRate.map { "consumer_byte_rate=\(Int64($0))" },
                q.requestPercentage.map { "request_percentage=\(Int64($0))" },
            ].compactMap { $0 }
            quotas.append(
                "kafka-configs.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$COMMAND_CONFIG\" --alter --entity-type users --entity-name '\(Deliverables.userName(q.principal))' --add-config '\(parts.joined(separator: ","))'"
            )
        }
        return [
            GeneratedFile(path: "scripts/create-topics.sh", contents: topics.joined(separator: "\n") + "\n"),
            GeneratedFile(path: "scripts/create-acls.sh", contents: acls.joined(separator: "\n") + "\n"),
            GeneratedFile(path: "scripts/set-quotas.sh", contents: quotas.joined(separator: "\n") + "\n"),
        ]
    }
}
