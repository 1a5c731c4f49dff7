import ArchitectCore

/// Strimzi custom resources (kafka.strimzi.io/v1): KafkaTopic and KafkaUser for the design, and
/// Kafka with broker and controller KafkaNodePools for the planned cluster.
enum StrimziTarget {
    static let api = "kafka.strimzi.io/v1"

    static func files(_ r: DesignResult, _ a: Architecture) -> [GeneratedFile] {
        let cluster = Deliverables.identifier(r.name, separator: "-")
        let topics = topicResources(r, cluster: cluster)
        let users = userResources(r, cluster: cluster)
        let (kafka, brokerPool, controllerPool) = clusterResources(r, a, cluster: cluster)
        return [
            GeneratedFile(
                path: "strimzi/kafka.yaml",
                contents: "# \(Deliverables.header)\n"
                    + [kafka, brokerPool, controllerPool].joined(separator: "\n---\n") + "\n"),
            GeneratedFile(
                path: "strimzi/topics.yaml",
                contents: "# \(Deliverables.header)\n" + topics.joined(separator: "\n---\n") + "\n"),
            GeneratedFile(
                path: "strimzi/users.yaml",
                contents: "# \(Deliverables.header)\n" + users.joined(separator: "\n---\n") + "\n"),
            JmxExporterRules.configMap(cluster: cluster),
        ]
    }

    /// One KafkaTopic per designed topic.
    static func topicResources(_ r: DesignResult, cluster: String) -> [String] {
        var topics: [String] = []
        for t in r.topics {
            let name = Deliverables.identifier(t.name, separator: "-")
            var doc = [
                "apiVersion: \(api)", "kind: KafkaTopic", "metadata:", "  name: \(name)", "  labels:",
                "    strimzi.io/cluster: \(cluster)",
            ]
            // The purpose tells reviewers (and `lint`) why a Connect config topic has one partition.
            if t.purpose != .main { doc.append("    kafka-architect.io/purpose: \(t.purpose.rawValue)") }
            doc.append("spec:")
            if name != t.name { doc.append("  topicName: \(quote(t.name))") }
            doc += ["  partitions: \(t.partitions)", "  replicas: \(t.replicationFactor)", "  config:"]
            doc += t.configs.map { "    \($0.key): \(quote($0.value))" }
            topics.append(doc.joined(separator: "\n"))
        }
        return topics
    }

    /// One KafkaUser per principal: SCRAM, its ACLs (one rule per resource) and its quotas.
    static func userResources(_ r: DesignResult, cluster: String) -> [String] {
        var users: [String] = []
        var byPrincipal: [String: [AclEntry]] = [:]
        var order: [String] = []
        for acl in r.acls {
            if byPrincipal[acl.principal] == nil { order.append(acl.principal) }
            byPrincipal[acl.principal, default: []].append(acl)
        }
        for principal in order {
            users.append(userResource(principal, acls: byPrincipal[principal, default: []], r, cluster: cluster))
        }
        return users
    }

    static func userResource(_ principal: String, acls: [AclEntry], _ r: DesignResult, cluster: String) -> String {
        let user = Deliverables.userName(principal)
        var doc = [
            "apiVersion: \(api)", "kind: KafkaUser", "metadata:",
            "  name: \(Deliverables.identifier(user, separator: "-"))",
            "  labels:", "    strimzi.io/cluster: \(cluster)", "spec:", "  authentication:",
            "    type: scram-sha-512",
            "  authorization:", "    type: simple", "    acls:",
        ]
        // One rule per resource, with all its operations.
        var grouped: [(AclEntry, [String])] = []
        for acl in acls {
            if let i = grouped.firstIndex(where: {
                $0.0.resourceType == acl.resourceType && $0.0.resourceName == acl.resourceName
                    && $0.0.patternType == acl.patternType
            }) {
                grouped[i].1.append(acl.operation)
            } else {
                grouped.append((acl, [acl.operation]))
            }
        }
        for (acl, ops) in grouped {
            let type: String =
                switch acl.resourceType {
                case .topic: "topic"
                case .group: "group"
                case .transactionalId: "transactionalId"
                case .cluster: "cluster"
                }
            doc += ["      - resource:", "          type: \(type)"]
            if acl.resourceType != .cluster { doc.append("          name: \(quote(acl.resourceName))") }
            doc += [
                "          patternType: \(acl.patternType == .prefixed ? "prefix" : "literal")",
                "        operations: [\(ops.joined(separator: ", "))]",
            ]
        }
        if let q = r.quotas.first(where: { $0.principal == principal }) {
            doc.append("  quotas:")
            if let v = q.producerByteRate { doc.append("    producerByteRate: \(Int64(v))") }
            if let v = q.consumerByteRate { doc.append("    consumerByteRate: \(Int64(v))") }
            if let v = q.requestPercentage { doc.append("    requestPercentage: \(Int64(v))") }
        }
        return doc.joined(separator: "\n")
    }

    /// The pod's share of the planned instance: all its vCPUs but half a core, its memory but 1 GiB for
    /// the kubelet and the OS (the rest of the memory beyond the heap is the page cache Kafka reads from),
    /// and the plan's heap for the JVM.
    static func podSizing(_ p: CapacityPlan) -> [String] {
        let type = p.instance.type
        // What the kubelet leaves allocatable: EKS reserves 255 MiB + 11 MiB a pod and 100 MiB for
        // eviction (about 0.7 GiB on 8 GiB nodes, 3 GiB on 128 GiB ones); 90% of the memory less 1 GiB
        // stays under it, so the pod schedules.
        let memoryGi = max(1, Int((type.memoryBytes / 1_073_741_824 * 0.9).rounded(.down)) - 1)
        // The kubelet, the system and DaemonSets keep some CPU: all but 8% of the node, at least half a core.
        let cpu = max(500, type.vcpus * 1000 - max(500, type.vcpus * 80))
        let heapMi = max(256, Int((p.memory.heapBytes / 1_048_576).rounded(.down)))
        return [
            "  # Sized for \(type.name) (\(type.vcpus) vCPU, \(Int(type.memoryBytes / 1_073_741_824)) GiB), one broker per node.",
            "  resources:", "    requests:", "      cpu: \"\(cpu)m\"", "      memory: \(memoryGi)Gi", "    limits:",
            "      memory: \(memoryGi)Gi", "  jvmOptions:", "    -Xms: \(heapMi)m", "    -Xmx: \(heapMi)m",
        ]
    }

    /// One broker per zone in turn: a zone lost takes at most its share of the replicas.
    static func zoneSpreading(_ a: Architecture, pool: String) -> [String] {
        guard a.environment.availabilityZones > 1 else { return [] }
        return [
            "  template:", "    pod:", "      topologySpreadConstraints:", "        - maxSkew: 1",
            "          topologyKey: topology.kubernetes.io/zone", "          whenUnsatisfiable: DoNotSchedule",
            "          labelSelector:", "            matchLabels:", "              strimzi.io/pool-name: \(pool)",
        ]
    }

    /// The StorageClass the planned volume type is provisioned from (a placeholder name: yours may differ).
    static func storageClass(_ a: Architecture, throughput: Double = 0) -> String {
        switch a.environment.storage {
        case .gp3 where throughput > 0:
            "gp3  # placeholder: a StorageClass of EBS gp3 volumes provisioning \(Int((throughput / 1_048_576).rounded(.up))) MiB/s each (EBS CSI parameters.throughput; the default 125 MiB/s is less than the plan counts on)"
        case .gp3: "gp3  # placeholder: your StorageClass of EBS gp3 volumes"
        case .localNVMe: "local-nvme  # placeholder: your StorageClass of local persistent volumes, one per drive"
        default: "\(a.environment.storage.rawValue)  # placeholder: your StorageClass for these volumes"
        }
    }

    /// A broker volume's claim, in GiB. Block volumes are provisioned at the size asked, rounded up. A
    /// local drive is a fixed device: its persistent volume holds the drive's file system, a few percent
    /// smaller than the drive, and a claim larger than the volume never binds, so the claim asks for 95%
    /// of the drive, rounded down.
    static func volumeGiB(_ p: CapacityPlan, _ a: Architecture) -> Int {
        let gib = 1_073_741_824.0
        if a.environment.storage == .localNVMe {
            return max(1, Int((p.storage.volumeSizeBytes * 0.95 / gib).rounded(.down)))
        }
        return max(1, Int((p.storage.volumeSizeBytes / gib).rounded(.up)))
    }

    /// The three KRaft controllers' node pool.
    static func controllerPoolResource(_ a: Architecture, cluster: String) -> String {
        return
            ([
                "apiVersion: \(api)", "kind: KafkaNodePool", "metadata:", "  name: controllers", "  labels:",
                "    strimzi.io/cluster: \(cluster)",
                "spec:", "  replicas: \(a.environment.controllers)", "  roles: [controller]",
                // KRaft controllers need little: 2 GiB with a 1 GiB heap and one core (Strimzi's guidance
                // for production quorums); guaranteed resources keep them from being evicted first.
                "  resources:", "    requests:", "      cpu: \"1\"", "      memory: 2Gi", "    limits:",
                "      memory: 2Gi",
                "  jvmOptions:", "    -Xms: 1024m", "    -Xmx: 1024m",
            ] + zoneSpreading(a, pool: "controllers") + [
                "  storage:", "    type: jbod", "    volumes:",
                "      - id: 0", "        type: persistent-claim", "        size: 20Gi",
                "        class: \(storageClass(a))",
                "        kraftMetadata: shared", "        deleteClaim: false",
            ]).joined(separator: "\n")
    }

    /// The Kafka resource with its listeners and cluster settings, and the broker and controller node pools.
    static func clusterResources(_ r: DesignResult, _ a: Architecture, cluster: String) -> (String, String, String) {
        let p = r.plan
        let volumeGi = volumeGiB(p, a)
        var storage = ["    type: jbod", "    volumes:"]
        for i in 0..<max(1, p.storage.volumesPerBroker) {
            storage += [
                "      - id: \(i)", "        type: persistent-claim", "        size: \(volumeGi)Gi",
                "        class: \(storageClass(a, throughput: p.storage.volumeThroughputBytesPerSecond))",
                "        deleteClaim: false",
            ]
            if i == 0 { storage.append("        kraftMetadata: shared") }
        }
        let brokerPool =
            ([
                "apiVersion: \(api)", "kind: KafkaNodePool", "metadata:", "  name: brokers", "  labels:",
                "    strimzi.io/cluster: \(cluster)",
                "spec:", "  replicas: \(p.brokers)", "  roles: [broker]",
            ] + podSizing(p) + zoneSpreading(a, pool: "brokers") + ["  storage:"] + storage).joined(separator: "\n")
        let controllerPool = controllerPoolResource(a, cluster: cluster)
        var kafka = [
            "apiVersion: \(api)", "kind: Kafka", "metadata:", "  name: \(cluster)", "spec:", "  kafka:",
            "    listeners:", "      - name: tls", "        port: 9093", "        type: internal", "        tls: true",
            "        authentication:", "          type: scram-sha-512",
            "    authorization:", "      type: simple", "    config:",
        ]
        for (k, v) in BrokerConfigTarget.clusterSettings(r, a) { kafka.append("      \(k): \(quote(v))") }
        if a.environment.availabilityZones > 1 || a.environment.followerFetching {
            // Replicas spread over zones (broker.rack from the node's zone label); with follower
            // fetching, consumers read from a replica in their own zone.
            kafka += ["    rack:", "      topologyKey: topology.kubernetes.io/zone"]
        }
        if a.environment.tieredStorage != nil {
            // Strimzi enables remote.log.storage.system.enable and the built-in metadata manager itself.
            kafka += [
                "    # Tiered storage: the node pools' volumes hold only each tiered topic's local.retention.ms.",
                "    # Replace the plugin placeholders with the RemoteStorageManager you deploy (its jars in the image)",
                "    # and its settings under config (prefixed rsm.config. by Strimzi).",
                "    tieredStorage:", "      type: custom", "      remoteStorageManager:",
                "        className: \"<RemoteStorageManager class, e.g. io.aiven.kafka.tieredstorage.RemoteStorageManager>\"",
                "        classPath: \"/opt/kafka/plugins/tiered-storage/*\"", "        config: {}",
            ]
        }
        // The JMX exporter, with the rules the broker alerts' metrics come from (strimzi/kafka-metrics.yaml).
        kafka += [
            "    metricsConfig:", "      type: jmxPrometheusExporter", "      valueFrom:", "        configMapKeyRef:",
            "          name: \(JmxExporterRules.configMapName(cluster))",
            "          key: \(JmxExporterRules.configMapKey)",
        ]
        // Strimzi's kafka_exporter, for the dashboards teams already have; the generated alerts read
        // `kafka-architect exporter` (job kafka-architect-exporter), which serves lag in seconds and group status too.
        kafka += [
            "  kafkaExporter:", "    topicRegex: \".*\"", "    groupRegex: \".*\"",
            "  entityOperator:", "    topicOperator: {}", "    userOperator: {}",
        ]
        return (kafka.joined(separator: "\n"), brokerPool, controllerPool)
    }

    /// Double-quoted YAML scalar.
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.append(c)
            }
        }
        return out + "\""
    }
}
