import ArchitectCore
import Foundation

/// Prometheus alerting rules and a Grafana dashboard for the design's signals.
///
/// Metric names: broker metrics as Strimzi's (and the common) JMX exporter rules name them
/// (`kafka_server_replicamanager_underreplicatedpartitions`, …); consumer lag in messages from
/// kafka_exporter (`kafka_consumergroup_lag`) and in seconds from kafka-lag-exporter
/// (`kafka_consumergroup_group_max_lag_seconds`); disk from node_exporter.
enum MonitoringTarget {
    struct Signal {
        let alert: String
        let expr: String
        let duration: String
        let severity: String
        let summary: String
        let panel: String
    }

    static func signals(_ r: DesignResult, _ a: Architecture) -> [Signal] {
        let slos = a.design?.slos ?? ServiceLevels()
        let maxLag = slos.maxConsumerLagSeconds ?? 300
        let p99 = (slos.produceLatencyP99Seconds ?? 0.1) * 1000
        return lagSignals(r, a, maxLag: maxLag) + clusterSignals(a, p99: p99)
    }

    /// Per consumer group: lag in seconds against the SLO, and in messages per consumed topic.
    static func lagSignals(_ r: DesignResult, _ a: Architecture, maxLag: Double) -> [Signal] {
        var out: [Signal] = []
        for g in r.consumerGroups {
            out.append(
                Signal(
                    alert: "ConsumerLagSeconds_\(Deliverables.identifier(g.id))",
                    expr: "max(kafka_consumergroup_group_max_lag_seconds{group=\"\(g.id)\"}) > \(fmt(maxLag))",
                    duration: "2m", severity: "critical",
                    summary: "\(g.id) is more than \(fmt(maxLag)) s behind (SLO)", panel: "Consumer lag (seconds)"))
            for topic in g.topics {
                guard let entity = r.topics.first(where: { $0.name == topic && $0.purpose == .main }),
                    let e = a.design?.entities.first(where: { $0.reference == entity.entity })
                else { continue }
                let threshold = Int64((e.messagesPerSecond * maxLag).rounded())
                out.append(
                    Signal(
                        alert: "ConsumerLagMessages_\(Deliverables.identifier(g.id))_\(Deliverables.identifier(topic))",
                        expr:
                            "sum(kafka_consumergroup_lag{consumergroup=\"\(g.id)\",topic=\"\(topic)\"}) > \(threshold)",
                        duration: "5m", severity: "warning",
                        summary:
                            "\(g.id) lags \(topic) by more than \(threshold) messages (\(fmt(maxLag)) s at \(fmt(e.messagesPerSecond)) msg/s)",
                        panel: "Consumer lag (messages)"))
            }
        }
        return out
    }

    /// Cluster-wide health: replication, controller, disks, produce errors and latency.
    static func clusterSignals(_ a: Architecture, p99: Double) -> [Signal] {
        let diskLimit = (1 / (1 + a.policy.freeSpaceMargin) * 100).rounded() / 100
        return [
            Signal(
                alert: "UnderReplicatedPartitions",
                expr: "sum(kafka_server_replicamanager_underreplicatedpartitions) > 0", duration: "5m",
                severity: "warning",
                summary: "partitions are under-replicated", panel: "Under-replicated partitions"),
            Signal(
                alert: "OfflinePartitions", expr: "sum(kafka_controller_kafkacontroller_offlinepartitionscount) > 0",
                duration: "1m", severity: "critical",
                summary: "partitions have no leader: producers and consumers of them are stopped",
                panel: "Offline partitions"),
            Signal(
                alert: "UnderMinIsrPartitions", expr: "sum(kafka_server_replicamanager_underminisrpartitioncount) > 0",
                duration: "1m", severity: "critical",
                summary: "partitions are below min.insync.replicas: acks=all producers fail",
                panel: "Under-min-ISR partitions"),
            Signal(
                alert: "ActiveControllerCount",
                expr: "sum(kafka_controller_kafkacontroller_activecontrollercount) != 1", duration: "1m",
                severity: "critical",
                summary: "the cluster does not have exactly one active controller", panel: "Active controllers"),
            Signal(
                alert: "BrokerDiskUsage",
                expr:
                    "max(1 - node_filesystem_avail_bytes{mountpoint=~\"/var/lib/kafka.*\"} / node_filesystem_size_bytes{mountpoint=~\"/var/lib/kafka.*\"}) > \(fmt(diskLimit))",
                duration: "15m", severity: "warning", summary: "a broker disk is past the planned free-space margin",
                panel: "Disk usage"),
            Signal(
                alert: "ProducerErrorRate",
                expr:
                    "sum(rate(kafka_server_brokertopicmetrics_failedproducerequests_total[5m])) / sum(rate(kafka_server_brokertopicmetrics_totalproducerequests_total[5m])) > 0.01",
                duration: "5m", severity: "warning", summary: "more than 1% of produce requests fail",
                panel: "Producer error rate"),
            Signal(
                alert: "ProduceLatencyP99",
                expr:
                    "max(kafka_network_requestmetrics_totaltimems{request=\"Produce\",quantile=\"0.99\"}) > \(fmt(p99))",
                duration: "10m", severity: "warning", summary: "p99 produce latency is above the \(fmt(p99)) ms SLO",
                panel: "Produce latency p99 (ms)"),
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
                "        annotations:",
                "          summary: \(StrimziTarget.quote(s.summary))",
                "          runbook: \(StrimziTarget.quote(runbook(for: s.alert)))",
            ]
        }
        return [GeneratedFile(path: "prometheus/alerts.yml", contents: out.joined(separator: "\n") + "\n")]
    }

    static func runbook(for alert: String) -> String {
        if alert.hasPrefix("ConsumerLag") { return "runbooks/consumer-group-offset-reset.md" }
        if alert == "BrokerDiskUsage" || alert == "UnderReplicatedPartitions" {
            return "runbooks/partition-rebalancing.md"
        }
        return "runbooks/broker-replacement.md"
    }

    static func grafana(_ r: DesignResult, _ a: Architecture) -> [GeneratedFile] {
        // One panel per signal kind, each plotting the signal's expression without its threshold.
        var panels: [[String: Any]] = []
        var seen = Set<String>()
        for s in signals(r, a) where seen.insert(s.panel).inserted {
            let query =
                s.expr.split(separator: " > ").first.map(String.init)?.split(separator: " != ").first.map(String.init)
                ?? s.expr
            let id = panels.count + 1
            panels.append([
                "id": id, "type": "timeseries", "title": s.panel,
                "gridPos": ["h": 8, "w": 12, "x": (id - 1) % 2 * 12, "y": (id - 1) / 2 * 8],
                "datasource": ["type": "prometheus", "uid": "${datasource}"],
                "targets": [["refId": "A", "expr": s.panel.hasPrefix("Consumer lag") ? byGroup(query) : query]],
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

    /// A lag panel shows every group of the design rather than one.
    static func byGroup(_ query: String) -> String {
        query.contains("lag_seconds")
            ? "max by (group) (kafka_consumergroup_group_max_lag_seconds)"
            : "sum by (consumergroup, topic) (kafka_consumergroup_lag)"
    }

    static func fmt(_ x: Double) -> String {
        x == x.rounded() ? String(Int64(x)) : String(x)
    }
}
