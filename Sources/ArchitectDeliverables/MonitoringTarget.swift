import ArchitectCore
import Foundation

/// Prometheus alerting rules and a Grafana dashboard for the design's signals.
///
/// Every metric comes from a maintained exporter, named in the rule's `source` label:
/// - `kafka-architect-exporter` (`kafka-architect exporter`, docs/exporter.md): consumer-group lag in records and
///   seconds, committed offsets, members, group status, topic log-end offsets, and under-replicated, offline and
///   under-min-ISR partitions — under kafka_exporter's names wherever kafka_exporter has the metric; every selector
///   names `job="kafka-architect-exporter"`, so Strimzi's `kafkaExporter` (same names) is never summed in;
/// - the Prometheus JMX exporter with this output's rules (`prometheus/jmx-exporter.yml`, the
///   ConfigMap in `strimzi/kafka.yaml`), which name broker metrics as Strimzi's rules do;
/// - node_exporter on hosts, the kubelet's volume stats under Kubernetes.
/// Lag in seconds is `kafka_consumergroup_lag_seconds`: the age of the oldest unconsumed record, which only
/// `kafka-architect exporter` serves (kafka-lag-exporter, which had it, is archived).
enum MonitoringTarget {
    struct Signal {
        let alert: String
        let expr: String
        let duration: String
        let severity: String
        let summary: String
        let panel: String
        let source: Source
        let runbook: String
    }

    enum Source: String {
        case exporter = "kafka-architect-exporter"
        case jmx = "jmx_exporter"
        case nodeExporter = "node_exporter"
        case kubelet
    }

    /// The scrape job the exporter's series carry (the generated scrape config names it so): Strimzi's
    /// kafka_exporter serves some of the same names, and a sum over both would count lag twice.
    static let job = "job=\"kafka-architect-exporter\""

    /// A string inside a PromQL label matcher: backslash and double quote escaped.
    static func promString(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func signals(_ r: DesignResult, _ a: Architecture) -> [Signal] {
        let slos = a.design?.slos ?? ServiceLevels()
        let maxLag = slos.maxConsumerLagSeconds ?? 300
        let p99 = (slos.produceLatencyP99Seconds ?? 0.1) * 1000
        return lagSignals(r, a, maxLag: maxLag) + deadLetterSignals(r) + transactionSignals(r, a)
            + quotaSignals(r) + tieredSignals(r) + clusterSignals(r, a, p99: p99)
    }

    /// An entity's peak rate, messages/s (its average × peakToAverage).
    static func peakRate(_ topic: String, _ r: DesignResult, _ a: Architecture) -> Double? {
        guard let t = r.topics.first(where: { $0.name == topic && $0.purpose == .main }),
            let e = a.design?.entities.first(where: { $0.reference == t.entity })
        else { return nil }
        return e.messagesPerSecond * e.peakToAverage
    }

    // Long because: three alerts per group, each a few lines of text.
    /// Per consumer group: the SLO in seconds (estimated), lag in messages at the peak rate per topic,
    /// a group with lag and no members, and a group that stopped committing.
    static func lagSignals(_ r: DesignResult, _ a: Architecture, maxLag: Double) -> [Signal] {
        var out: [Signal] = []
        for g in r.consumerGroups {
            let maxLag = g.maxLagSeconds ?? maxLag
            let id = Deliverables.identifier(g.id)
            let gid = promString(g.id)
            let lag = "sum(kafka_consumergroup_lag{\(job),consumergroup=\"\(gid)\"})"
            out.append(
                Signal(
                    alert: "ConsumerLagSeconds_\(id)",
                    expr: "max(kafka_consumergroup_lag_seconds{\(job),consumergroup=\"\(gid)\"}) > \(fmt(maxLag))",
                    duration: "2m", severity: "critical",
                    summary:
                        "\(g.id)'s oldest unconsumed record is more than \(fmt(maxLag)) s old (SLO \(fmt(maxLag)) s)",
                    panel: "Consumer lag (seconds)", source: .exporter, runbook: "runbooks/consumer-lag.md"))
            out.append(
                Signal(
                    alert: "ConsumerGroupError_\(id)",
                    expr: "max(kafka_consumergroup_status{\(job),consumergroup=\"\(gid)\",status=\"ERR\"}) == 1",
                    duration: "5m", severity: "warning",
                    summary:
                        "\(g.id) is ERR in the exporter's lag evaluation (a partition STOP, STALL or REWIND, data lost, or its SLO exceeded)",
                    panel: "Consumer group status", source: .exporter, runbook: "runbooks/consumer-lag.md"))
            for topic in g.topics {
                guard let peak = peakRate(topic, r, a) else { continue }
                let threshold = Int64((peak * maxLag).rounded(.up))
                out.append(
                    Signal(
                        alert: "ConsumerLagMessages_\(id)_\(Deliverables.identifier(topic))",
                        expr:
                            "sum(kafka_consumergroup_lag{\(job),consumergroup=\"\(gid)\",topic=\"\(topic)\"}) > \(threshold)",
                        duration: "5m", severity: "warning",
                        summary:
                            "\(g.id) lags \(topic) by more than \(threshold) messages: \(fmt(maxLag)) s at the peak rate of \(fmt(peak)) msg/s",
                        panel: "Consumer lag (messages)", source: .exporter, runbook: "runbooks/consumer-lag.md"))
            }
            out.append(
                Signal(
                    alert: "ConsumerGroupEmptyWithLag_\(id)",
                    expr: "sum(kafka_consumergroup_members{\(job),consumergroup=\"\(gid)\"}) == 0 and \(lag) > 0",
                    duration: "10m", severity: "critical",
                    summary: "\(g.id) has no members while records wait: \(g.service) is not consuming",
                    panel: "Consumer group members", source: .exporter, runbook: "runbooks/consumer-lag.md"))
            out.append(
                Signal(
                    alert: "ConsumerGroupStalled_\(id)",
                    expr:
                        "\(lag) > 0 and sum(changes(kafka_consumergroup_current_offset{\(job),consumergroup=\"\(gid)\"}[10m])) == 0 and on() min(kafka_architect_exporter_collection_success{\(job)}) == 1",
                    duration: "10m", severity: "critical",
                    summary: "\(g.id) has lag and has committed nothing for 10 minutes",
                    panel: "Consumer lag (messages)", source: .exporter, runbook: "runbooks/consumer-lag.md"))
        }
        return out
    }

    /// A dead-letter topic that grows: records a service gave up on.
    static func deadLetterSignals(_ r: DesignResult) -> [Signal] {
        r.topics.filter { $0.purpose == .deadLetter }.map { d in
            Signal(
                alert: "DeadLetterGrowth_\(Deliverables.identifier(d.name))",
                expr: "sum(increase(kafka_topic_partition_current_offset{\(job),topic=\"\(d.name)\"}[15m])) > 0",
                duration: "1m", severity: "warning",
                summary: "records are being dead-lettered into \(d.name)", panel: "Dead-letter records (15 min)",
                source: .exporter, runbook: "runbooks/dlq-replay.md")
        }
    }

    /// Topics written in transactions: a transaction is open longer than transactions may be (the
    /// partition's last stable offset trails its high watermark by more than twice what it receives at
    /// peak in transaction.timeout.ms), so read_committed consumers of it are stuck.
    static func transactionSignals(_ r: DesignResult, _ a: Architecture) -> [Signal] {
        let timeout = 60.0  // transaction.timeout.ms of the generated producers
        return transactionalTopics(r, a).compactMap { topic in
            guard let t = r.topics.first(where: { $0.name == topic }), let peak = peakRate(topic, r, a) else {
                return nil
            }
            let threshold = Int64((peak / Double(max(1, t.partitions)) * timeout * 2).rounded(.up))
            return Signal(
                alert: "HangingTransaction_\(Deliverables.identifier(topic))",
                expr: "max(kafka_cluster_partition_laststableoffsetlag{topic=\"\(topic)\"}) > \(max(1, threshold))",
                duration: "5m", severity: "critical",
                summary:
                    "a partition of \(topic) holds more than \(max(1, threshold)) records behind its last stable offset (twice what it takes in \(fmt(timeout)) s at peak): a transaction has stayed open past transaction.timeout.ms (minutes at these rates) and read_committed consumers are stuck behind it",
                panel: "Last stable offset lag", source: .jmx, runbook: "runbooks/hanging-transactions.md")
        }
    }

    /// The main topics exactly-once producers write.
    static func transactionalTopics(_ r: DesignResult, _ a: Architecture) -> [String] {
        guard let d = a.design else { return [] }
        let services = Set(
            r.clientConfigs.filter { $0.role != .consumer && $0.guarantee == .exactlyOnce }.map(\.service))
        var topics: [String] = []
        for s in d.services where services.contains(s.name) {
            for use in s.produces {
                guard let e = d.entity(for: use.stream),
                    let t = r.topics.first(where: { $0.entity == e.reference && $0.purpose == .main }),
                    !topics.contains(t.name)
                else { continue }
                topics.append(t.name)
            }
        }
        return topics
    }

    /// Tiered topics whose segments do not reach object storage: broker disks, sized for the local
    /// window only, then fill with everything the topics retain.
    static func tieredSignals(_ r: DesignResult) -> [Signal] {
        guard r.topics.contains(where: { $0.config("remote.storage.enable") == "true" }) else { return [] }
        return [
            Signal(
                alert: "TieredCopyErrors",
                expr: "sum(rate(kafka_server_brokertopicmetrics_remotecopyerrors_total[5m])) > 0", duration: "10m",
                severity: "critical",
                summary:
                    "segments fail to copy to object storage: broker disks, sized for the local retention only, fill",
                panel: "Tiered storage copy errors", source: .jmx, runbook: "runbooks/disk-usage.md")
        ]
    }

    /// Principals with a quota, throttled for minutes: the tenant's budget is too small for its traffic.
    static func quotaSignals(_ r: DesignResult) -> [Signal] {
        r.quotas.map { q in
            let user = Deliverables.userName(q.principal)
            return Signal(
                alert: "QuotaThrottled_\(Deliverables.identifier(user))",
                expr: "max(kafka_server_quota_throttle_time{user=\"\(user)\"}) > 100", duration: "10m",
                severity: "warning",
                summary: "\(user) (tenant \(q.tenant)) is throttled by its quota: over 100 ms per request on average",
                panel: "Quota throttle time (ms)", source: .jmx, runbook: "runbooks/quota-throttling.md")
        }
    }

    // Long because: one entry per cluster alert, each a few lines of text.
    /// Cluster-wide health: replication, controller, disks, request handling, produce errors and latency.
    static func clusterSignals(_ r: DesignResult, _ a: Architecture, p99: Double) -> [Signal] {
        let diskLimit = (1 / (1 + a.policy.freeSpaceMargin) * 100).rounded() / 100
        let claims = "data-([0-9]+-)?\(Deliverables.identifier(r.name, separator: "-"))-brokers-[0-9]+"
        let volume = { (m: String) in "kubelet_volume_stats_\(m){persistentvolumeclaim=~\"\(claims)\"}" }
        let mount = { (m: String) in "node_filesystem_\(m){mountpoint=~\"/var/lib/kafka.*\"}" }
        return [
            Signal(
                alert: "UnderReplicatedPartitions",
                expr: "sum(kafka_topic_partition_under_replicated_partition{\(job)}) > 0", duration: "5m",
                severity: "warning", summary: "partitions are under-replicated", panel: "Under-replicated partitions",
                source: .exporter, runbook: "runbooks/broker-replacement.md"),
            Signal(
                alert: "OfflinePartitions", expr: "sum(kafka_topic_partition_offline{\(job)}) > 0",
                duration: "1m", severity: "critical",
                summary: "partitions have no leader: producers and consumers of them are stopped",
                panel: "Offline partitions", source: .exporter, runbook: "runbooks/broker-replacement.md"),
            Signal(
                alert: "UnderMinIsrPartitions", expr: "sum(kafka_topic_partition_under_min_isr{\(job)}) > 0",
                duration: "1m", severity: "critical",
                summary: "partitions are below min.insync.replicas: acks=all producers fail",
                panel: "Under-min-ISR partitions", source: .exporter, runbook: "runbooks/broker-replacement.md"),
            Signal(
                alert: "KafkaExporterCollectionFailing",
                expr:
                    "min by (instance) (kafka_architect_exporter_collection_success{\(job)}) == 0 or (time() - max by (instance) (kafka_architect_exporter_last_success_timestamp_seconds{\(job)}) > 3 * max by (instance) (kafka_architect_exporter_collection_interval_seconds{\(job)})) or sum(absent(kafka_architect_exporter_collection_success{\(job)}))",
                duration: "5m", severity: "critical",
                summary:
                    "kafka-architect exporter cannot read the cluster (or is not scraped): lag and partition alerts see old figures",
                panel: "Exporter collection success", source: .exporter, runbook: "runbooks/consumer-lag.md"),
            Signal(
                alert: "KafkaExporterCollectionPartial",
                expr: "min by (instance) (kafka_architect_exporter_collection_complete{\(job)}) == 0", duration: "15m",
                severity: "warning",
                summary:
                    "kafka-architect exporter reads only part of the cluster (its log names what is missing: a broker's offsets, the record timestamps lag in seconds needs READ on the topics for): some lag and partition figures are old or absent",
                panel: "Exporter collection success", source: .exporter, runbook: "runbooks/consumer-lag.md"),
            Signal(
                alert: "ActiveControllerCount",
                expr: "sum(kafka_controller_kafkacontroller_activecontrollercount) != 1", duration: "1m",
                severity: "critical", summary: "the cluster does not have exactly one active controller",
                panel: "Active controllers", source: .jmx, runbook: "runbooks/controller-quorum.md"),
            Signal(
                alert: "BrokerDiskUsage",
                expr: "max(1 - \(mount("avail_bytes")) / \(mount("size_bytes"))) > \(fmt(diskLimit))",
                duration: "15m", severity: "warning",
                summary: "a broker disk (host) is past the planned free-space margin", panel: "Disk usage",
                source: .nodeExporter, runbook: "runbooks/disk-usage.md"),
            Signal(
                alert: "BrokerVolumeUsage",
                expr: "max(1 - \(volume("available_bytes")) / \(volume("capacity_bytes"))) > \(fmt(diskLimit))",
                duration: "15m", severity: "warning",
                summary: "a broker volume (Kubernetes) is past the planned free-space margin", panel: "Disk usage",
                source: .kubelet, runbook: "runbooks/disk-usage.md"),
            Signal(
                alert: "RequestHandlerSaturation",
                expr: "min(kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent) < 0.3", duration: "10m",
                severity: "warning", summary: "a broker's request handlers are idle less than 30% of the time",
                panel: "Request handler idle ratio", source: .jmx, runbook: "runbooks/broker-saturation.md"),
            Signal(
                alert: "NetworkProcessorSaturation",
                expr: "min(kafka_network_socketserver_networkprocessoravgidle_percent) < 0.3", duration: "10m",
                severity: "warning", summary: "a broker's network threads are idle less than 30% of the time",
                panel: "Network processor idle ratio", source: .jmx, runbook: "runbooks/broker-saturation.md"),
            Signal(
                alert: "ProducerErrorRate",
                expr:
                    "sum(rate(kafka_server_brokertopicmetrics_failedproducerequests_total[5m])) / sum(rate(kafka_server_brokertopicmetrics_totalproducerequests_total[5m])) > 0.01",
                duration: "5m", severity: "warning", summary: "more than 1% of produce requests fail",
                panel: "Producer error rate", source: .jmx, runbook: "runbooks/broker-saturation.md"),
            Signal(
                alert: "ProduceLatencyP99",
                expr:
                    "max(kafka_network_requestmetrics_totaltimems{request=\"Produce\",quantile=\"0.99\"}) > \(fmt(p99))",
                duration: "10m", severity: "warning", summary: "p99 produce latency is above the \(fmt(p99)) ms SLO",
                panel: "Produce latency p99 (ms)", source: .jmx, runbook: "runbooks/broker-saturation.md"),
        ]
    }

    static func prometheus(_ r: DesignResult, _ a: Architecture) -> [GeneratedFile] {
        var out = [
            "# \(Deliverables.header)", "groups:", "  - name: kafka-\(Deliverables.identifier(r.name, separator: "-"))",
            "    rules:",
        ]
        for s in signals(r, a) {
            out += [
                "      - alert: \(s.alert)",
                "        expr: \(StrimziTarget.quote(s.expr))",
                "        for: \(s.duration)",
                "        labels:",
                "          severity: \(s.severity)",
                "          source: \(s.source.rawValue)",
                "        annotations:",
                "          summary: \(StrimziTarget.quote(s.summary))",
                "          runbook: \(StrimziTarget.quote(s.runbook))",
            ]
        }
        return [
            GeneratedFile(path: "prometheus/alerts.yml", contents: out.joined(separator: "\n") + "\n"),
            JmxExporterRules.hostFile(),
        ]
    }

    static func grafana(_ r: DesignResult, _ a: Architecture) -> [GeneratedFile] {
        // One panel per signal kind, each plotting the signal's expression without its threshold.
        var panels: [[String: Any]] = []
        var seen = Set<String>()
        for s in signals(r, a) where seen.insert(s.panel).inserted {
            let query = panelQuery(s)
            let id = panels.count + 1
            panels.append([
                "id": id, "type": "timeseries", "title": s.panel,
                "gridPos": ["h": 8, "w": 12, "x": (id - 1) % 2 * 12, "y": (id - 1) / 2 * 8],
                "datasource": ["type": "prometheus", "uid": "${datasource}"],
                "targets": [["refId": "A", "expr": query]],
            ])
        }
        let dashboard: [String: Any] = [
            "uid": "ka-\(Deliverables.identifier(r.name, separator: "-"))", "title": "Kafka — \(r.name)",
            "schemaVersion": 39,
            "tags": ["kafka", "kafka-architect"], "time": ["from": "now-6h", "to": "now"], "refresh": "1m",
            "templating": ["list": [["name": "datasource", "type": "datasource", "query": "prometheus"]]],
            "panels": panels,
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: dashboard, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return [GeneratedFile(path: "grafana/dashboard.json", contents: String(decoding: data, as: UTF8.self) + "\n")]
    }

    /// Panels of per-group or per-topic signals show every group or topic of the design; the others
    /// plot the alert's expression without its threshold.
    static let panelQueries: [String: String] = [
        "Consumer lag (seconds)": "max by (consumergroup) (kafka_consumergroup_max_lag_seconds)",
        "Consumer group status": "max by (consumergroup, status) (kafka_consumergroup_status)",
        "Consumer lag (messages)": "sum by (consumergroup, topic) (kafka_consumergroup_lag)",
        "Consumer group members": "sum by (consumergroup) (kafka_consumergroup_members)",
        "Dead-letter records (15 min)":
            "sum by (topic) (increase(kafka_topic_partition_current_offset{topic=~\".*[.]dlq\"}[15m]))",
        "Last stable offset lag": "max by (topic) (kafka_cluster_partition_laststableoffsetlag)",
        "Quota throttle time (ms)": "max by (user) (kafka_server_quota_throttle_time)",
    ]

    static func panelQuery(_ s: Signal) -> String {
        if let q = panelQueries[s.panel] { return q }
        var q = s.expr
        for op in [" > ", " < ", " != ", " == "] { q = q.components(separatedBy: op)[0] }
        return q
    }

    static func fmt(_ x: Double) -> String {
        x == x.rounded() ? String(Int64(x)) : String(x)
    }
}
