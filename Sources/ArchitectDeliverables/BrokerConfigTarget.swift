import ArchitectCore

/// server.properties for the planned KRaft cluster: brokers and controllers.
enum BrokerConfigTarget {
    /// Cluster-wide settings shared by the broker config and the Strimzi Kafka resource.
    static func clusterSettings(_ r: DesignResult, _ a: Architecture) -> [(String, String)] {
        let p = a.policy
        let maxPartitions = r.topics.map(\.partitions).max() ?? 1
        return [
            ("default.replication.factor", String(p.replicationFactor)),
            ("min.insync.replicas", String(p.minInsyncReplicas)),
            ("offsets.topic.replication.factor", String(max(3, p.replicationFactor))),
            ("transaction.state.log.replication.factor", String(max(3, p.replicationFactor))),
            ("transaction.state.log.min.isr", "2"),
            ("unclean.leader.election.enable", "false"),
            ("auto.create.topics.enable", "false"),
            ("num.partitions", String(min(maxPartitions, 12))),
            ("compression.type", "producer"),
            ("log.retention.hours", "168"),
            ("num.replica.fetchers", r.plan.partitions.replicasPerBroker > 1000 ? "4" : "2"),
        ]
            + (a.environment.followerFetching
                ? [("replica.selector.class", "org.apache.kafka.common.replica.RackAwareReplicaSelector")] : [])
    }

    /// KIP-405 settings when the plan tiers topics: the plan sized these disks for the local retention
    /// only, so a broker without them fills its disks with the full retention.
    static func tieredStorage(_ a: Architecture) -> [String] {
        guard let tiered = a.environment.tieredStorage else { return [] }
        return [
            "# Tiered storage (KIP-405, Kafka 3.6+): tiered topics keep \(Format.duration(tiered.localRetentionSeconds)) here (local.retention.ms), the rest in object storage.",
            "remote.log.storage.system.enable=true",
            "# The RemoteStorageManager plugin you deploy and its jars, e.g. Aiven's tiered-storage-for-apache-kafka",
            "# (io.aiven.kafka.tieredstorage.RemoteStorageManager); its own settings go in rsm.config.* lines.",
            "remote.log.storage.manager.class.name=${env:REMOTE_STORAGE_MANAGER_CLASS}",
            "remote.log.storage.manager.class.path=${env:REMOTE_STORAGE_MANAGER_CLASS_PATH}",
            "# Kafka's built-in metadata manager (topic __remote_log_metadata).",
            "remote.log.metadata.manager.class.name=org.apache.kafka.server.log.remote.metadata.storage.TopicBasedRemoteLogMetadataManager",
            "remote.log.metadata.manager.listener.name=\(SecurityTarget.listenerProtocol(a))",
        ] + SecurityTarget.remoteLogMetadataClient(a)
    }

    /// Which environment variables the deployment sets for the node (NODE_ID and the like per node).
    static func environmentNote(_ lines: [String]) -> [String] {
        let names = ConfigProviders.variables(
            in: lines.filter { !$0.hasPrefix("#") }.map(ConfigProviders.shellStyle).joined(separator: "\n"))
        return names.isEmpty
            ? [] : ["# Set by the deployment, per node where they differ: \(names.joined(separator: ", "))."]
    }

    /// The controllers' bootstrap list, one entry per controller the plan runs.
    static func quorum(_ a: Architecture) -> String {
        (0..<a.environment.controllers).map { "controller-\($0):9094" }.joined(separator: ",")
    }

    static func files(_ r: DesignResult, _ a: Architecture) -> [GeneratedFile] {
        let volumes = max(1, r.plan.storage.volumesPerBroker)
        let logDirs = (0..<volumes).map { "/var/lib/kafka/data-\($0)" }.joined(separator: ",")
        var broker = [
            "# \(Deliverables.header)",
            "# Broker of the planned cluster: \(r.plan.brokers) × \(r.plan.instance.type.name) over \(a.environment.availabilityZones) zones.",
            "process.roles=broker",
            "node.id=${env:NODE_ID}",
            "controller.quorum.bootstrap.servers=\(quorum(a))",
            "controller.listener.names=CONTROLLER",
        ]
        broker += SecurityTarget.broker(a)
        broker += [
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users=\(SecurityTarget.superUsers)",
            "allow.everyone.if.no.acl.found=false",
            "broker.rack=${env:RACK}",
            "log.dirs=\(logDirs)",
            "log.segment.bytes=1073741824",
        ]
        broker += clusterSettings(r, a).map { "\($0.0)=\($0.1)" }
        broker += tieredStorage(a)
        broker.insert(contentsOf: ConfigProviders.declarations(for: broker) + environmentNote(broker), at: 2)
        var controller = [
            "# \(Deliverables.header)",
            "# KRaft controller (\(a.environment.controllers) of them).",
            "process.roles=controller",
            "node.id=${env:NODE_ID}",
            "controller.quorum.bootstrap.servers=\(quorum(a))",
            "controller.listener.names=CONTROLLER",
        ]
        controller += SecurityTarget.controller()
        controller += [
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users=\(SecurityTarget.superUsers)",
            "allow.everyone.if.no.acl.found=false",
            "log.dirs=/var/lib/kafka/metadata",
        ]
        controller.insert(
            contentsOf: ConfigProviders.declarations(for: controller) + environmentNote(controller), at: 2)
        return [
            GeneratedFile(path: "broker-config/server.properties", contents: broker.joined(separator: "\n") + "\n"),
            GeneratedFile(
                path: "broker-config/controller.properties", contents: controller.joined(separator: "\n") + "\n"),
        ]
    }
}
