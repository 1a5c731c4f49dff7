import ArchitectCore

/// The Prometheus JMX exporter's rules for the broker and controller metrics the alerts read, named as
/// Strimzi's example rules name them (lowercased `kafka_<domain>_<type>_<name>`). Rules are tried in
/// order and the first whose pattern matches a bean attribute (`domain<key=value, …><>attribute:
/// value`, the pattern unanchored) names it, so the specific ones come first; tag values are matched
/// with `[^,]+`, so a bean with more tags than a rule names never falls into a generic rule as a
/// garbled metric name. Attributes no rule matches are not exported. Served to hosts as `prometheus/jmx-exporter.yml` (the
/// java agent's config) and under Strimzi as the ConfigMap `metricsConfig` points at.
enum JmxExporterRules {
    struct Rule {
        let comment: String
        let pattern: String
        let name: String
        let type: String
        let labels: [(String, String)]
    }

    static let rules: [Rule] = [
        Rule(
            comment:
                "Request handler idle ratio (0–1): the meter's one-minute rate (its mean since start hides saturation).",
            pattern: "kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>OneMinuteRate",
            name: "kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent", type: "GAUGE", labels: []),
        Rule(
            comment: "Idle ratios given as gauges (NetworkProcessorAvgIdlePercent).",
            pattern: "kafka.(\\w+)<type=([^,]+), name=([^,]+)Percent\\w*><>Value", name: "kafka_$1_$2_$3_percent",
            type: "GAUGE", labels: []),
        Rule(
            comment: "Client quota throttle time (ms) per user and client id, for produce, fetch and request quotas.",
            pattern: "kafka.server<type=(Produce|Fetch|Request), user=([^,]*), client-id=([^,]*)><>throttle-time",
            name: "kafka_server_quota_throttle_time", type: "GAUGE",
            labels: [("quota", "$1"), ("user", "$2"), ("client_id", "$3")]),
        Rule(
            comment: "The same for quotas set on a user alone.",
            pattern: "kafka.server<type=(Produce|Fetch|Request), user=([^,]*)><>throttle-time",
            name: "kafka_server_quota_throttle_time", type: "GAUGE", labels: [("quota", "$1"), ("user", "$2")]),
        Rule(
            comment: "Request latency percentiles per request type (TotalTimeMs, RequestQueueTimeMs, …).",
            pattern: "kafka.network<type=RequestMetrics, name=([^,]+), request=([^,]+)><>(\\d+)thPercentile",
            name: "kafka_network_requestmetrics_$1", type: "GAUGE", labels: [("request", "$2"), ("quantile", "0.$3")]),
        Rule(
            comment: "Cluster-wide per-second meters as counters (FailedProduceRequestsPerSec, BytesInPerSec, …).",
            pattern: "kafka.(\\w+)<type=([^,]+), name=([^,]+)PerSec\\w*><>Count", name: "kafka_$1_$2_$3_total",
            type: "COUNTER", labels: []),
        Rule(
            comment: "Per-partition gauges (LastStableOffsetLag, UnderReplicated).",
            pattern: "kafka.(\\w+)<type=([^,]+), name=([^,]+), topic=([^,]+), partition=([^,]*)><>Value",
            name: "kafka_$1_$2_$3",
            type: "GAUGE", labels: [("topic", "$4"), ("partition", "$5")]),
        Rule(
            comment:
                "Gauges without tags (UnderReplicatedPartitions, UnderMinIsrPartitionCount, OfflinePartitionsCount, ActiveControllerCount).",
            pattern: "kafka.(\\w+)<type=([^,]+), name=([^,]+)><>Value", name: "kafka_$1_$2_$3", type: "GAUGE",
            labels: []),
    ]

    /// The exporter's YAML configuration.
    static func yaml(indent: String = "") -> [String] {
        var out = ["lowercaseOutputName: true", "lowercaseOutputLabelNames: true", "rules:"]
        for r in rules {
            out += [
                "  # \(r.comment)", "  - pattern: \(quoted(r.pattern))", "    name: \(r.name)", "    type: \(r.type)",
            ]
            if !r.labels.isEmpty {
                out.append("    labels:")
                out += r.labels.map { "      \($0.0): \(quoted($0.1))" }
            }
        }
        return out.map { indent + $0 }
    }

    /// A single-quoted YAML scalar (backslashes stay as they are).
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    static let configMapKey = "kafka-metrics-config.yml"
    static func configMapName(_ cluster: String) -> String { "\(cluster)-kafka-metrics" }

    static func hostFile() -> GeneratedFile {
        GeneratedFile(
            path: "prometheus/jmx-exporter.yml",
            contents: ([
                "# \(Deliverables.header)",
                "# The JMX exporter java agent's rules on hosts: -javaagent:jmx_prometheus_javaagent.jar=7071:jmx-exporter.yml",
            ] + yaml()).joined(separator: "\n") + "\n")
    }

    static func configMap(cluster: String) -> GeneratedFile {
        let doc =
            [
                "# \(Deliverables.header)",
                "# The JMX exporter rules the Kafka resource's metricsConfig points at (same as prometheus/jmx-exporter.yml).",
                "apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: \(configMapName(cluster))", "  labels:",
                "    strimzi.io/cluster: \(cluster)", "data:", "  \(configMapKey): |",
            ] + yaml(indent: "    ")
        return GeneratedFile(path: "strimzi/kafka-metrics.yaml", contents: doc.joined(separator: "\n") + "\n")
    }
}
