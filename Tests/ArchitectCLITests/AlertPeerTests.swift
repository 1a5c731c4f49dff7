import ArchitectCore
import ArchitectFile
import Foundation
import Testing

/// The generated alerts and JMX exporter rules as Prometheus and the exporter would run them
/// (issue 12, defect 10). Thresholds are computed here from the architecture file's own figures; the
/// series are written here; promtool decides whether each alert fires.
@Suite(.serialized) struct AlertPeerTests {
    static func generated() throws -> (Architecture, DesignResult, URL) {
        let path = CLIRunner.packageRoot.appendingPathComponent("examples/ecommerce.yaml").path
        let a = try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        let r = try DesignAdvisor.derive(a)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-alerts-\(UUID().uuidString)")
        let g = try CLIRunner.run(["generate", path, "--target", "all", "--out", out.path])
        try #require(g.status == 0, "\(g.stderr)")
        return (a, r, out)
    }

    struct Case: Encodable {
        let alert: String
        let series: [[String: String]]
        let eval: String
        let fires: Bool
    }

    static func series(_ s: String, _ values: String) -> [String: String] { ["series": s, "values": values] }

    // Long because: one pair of cases (fires, stays quiet) per kind of alert, each with its own series.
    static func cases(_ a: Architecture, _ r: DesignResult) throws -> [Case] {
        let design = try #require(a.design)
        let maxLag = try #require(design.slos.maxConsumerLagSeconds)
        let orders = try #require(design.entities.first { $0.name == "orders" })
        let ordersPeak = orders.messagesPerSecond * orders.peakToAverage  // the SLO at the peak rate
        let threshold = Int((ordersPeak * maxLag).rounded(.up))
        let g = "payment-service"
        let lag = { (v: Int) in
            Self.series(
                "kafka_consumergroup_lag{job=\"kafka-architect-exporter\",consumergroup=\"\(g)\",topic=\"ecommerce.orders.events\",partition=\"0\"}",
                "\(v)x40")
        }
        let offset = { (perMinute: Int) in
            Self.series(
                "kafka_consumergroup_current_offset{job=\"kafka-architect-exporter\",consumergroup=\"\(g)\",topic=\"ecommerce.orders.events\",partition=\"0\"}",
                "0+\(perMinute)x40")
        }
        let collecting = { (v: Int) in
            Self.series("kafka_architect_exporter_collection_success{job=\"kafka-architect-exporter\"}", "\(v)x40")
        }
        let members = { (n: Int) in
            Self.series(
                "kafka_consumergroup_members{job=\"kafka-architect-exporter\",consumergroup=\"\(g)\"}", "\(n)x40")
        }
        let messages = "ConsumerLagMessages_payment_service_ecommerce_orders_events"
        // Lag in seconds: the exporter's age of the oldest unconsumed record against the SLO.
        let seconds = { (v: Double) in
            Self.series(
                "kafka_consumergroup_lag_seconds{job=\"kafka-architect-exporter\",consumergroup=\"\(g)\",topic=\"ecommerce.orders.events\",partition=\"0\"}",
                "\(v)x40")
        }
        let status = { (s: String) in
            Self.series(
                "kafka_consumergroup_status{job=\"kafka-architect-exporter\",consumergroup=\"\(g)\",status=\"\(s)\"}",
                "1x40")
        }
        let partition = { (metric: String, v: Int) in
            Self.series(
                "\(metric){job=\"kafka-architect-exporter\",topic=\"ecommerce.orders.events\",partition=\"3\"}",
                "\(v)x40")
        }
        // Hanging transactions: twice what one partition of the payments topic takes at peak in 60 s.
        let payments = try #require(design.entities.first { $0.name == "payments" })
        let paymentsTopic = try #require(r.topics.first { $0.name == "ecommerce.payments.events" })
        let lsoLimit = Int(
            (payments.messagesPerSecond * payments.peakToAverage / Double(paymentsTopic.partitions) * 60 * 2).rounded(
                .up))
        let lso = { (v: Int) in
            Self.series(
                "kafka_cluster_partition_laststableoffsetlag{topic=\"ecommerce.payments.events\",partition=\"1\"}",
                "\(v)x40")
        }
        // Disks: the planned free-space margin.
        let full = 1 / (1 + a.policy.freeSpaceMargin)
        let volume = { (used: Double) in
            [
                Self.series(
                    "kubelet_volume_stats_capacity_bytes{persistentvolumeclaim=\"data-0-ecommerce-brokers-2\"}",
                    "1000x40"),
                Self.series(
                    "kubelet_volume_stats_available_bytes{persistentvolumeclaim=\"data-0-ecommerce-brokers-2\"}",
                    "\(Int(1000 * (1 - used)))x40"),
            ]
        }
        let host = { (used: Double) in
            [
                Self.series("node_filesystem_size_bytes{mountpoint=\"/var/lib/kafka/data-0\"}", "1000x40"),
                Self.series(
                    "node_filesystem_avail_bytes{mountpoint=\"/var/lib/kafka/data-0\"}", "\(Int(1000 * (1 - used)))x40"),
            ]
        }
        let dlq = "notification-service.ecommerce.orders.events.dlq"
        let dlqOffset = { (values: String) in
            Self.series(
                "kafka_topic_partition_current_offset{job=\"kafka-architect-exporter\",topic=\"\(dlq)\",partition=\"0\"}",
                values)
        }
        let p99 = try #require(design.slos.produceLatencyP99Seconds) * 1000
        let latency = { (ms: Double) in
            Self.series(
                "kafka_network_requestmetrics_totaltimems{request=\"Produce\",quantile=\"0.99\",instance=\"b1\"}",
                "\(ms)x40")
        }
        let throttle = { (ms: Int) in
            Self.series(
                "kafka_server_quota_throttle_time{quota=\"produce\",user=\"partner-feed\",client_id=\"feeder\"}",
                "\(ms)x40")
        }
        return [
            Case(alert: messages, series: [lag(threshold + 1), offset(6000)], eval: "10m", fires: true),
            Case(alert: messages, series: [lag(threshold - 1), offset(6000)], eval: "10m", fires: false),
            Case(alert: "ConsumerLagSeconds_payment_service", series: [seconds(maxLag + 1)], eval: "10m", fires: true),
            Case(alert: "ConsumerLagSeconds_payment_service", series: [seconds(maxLag - 1)], eval: "10m", fires: false),
            Case(alert: "ConsumerGroupError_payment_service", series: [status("ERR")], eval: "10m", fires: true),
            Case(alert: "ConsumerGroupError_payment_service", series: [status("WARN")], eval: "10m", fires: false),
            Case(
                alert: "UnderReplicatedPartitions",
                series: [partition("kafka_topic_partition_under_replicated_partition", 1)], eval: "10m", fires: true),
            Case(
                alert: "UnderReplicatedPartitions",
                series: [partition("kafka_topic_partition_under_replicated_partition", 0)], eval: "10m", fires: false),
            Case(
                alert: "OfflinePartitions", series: [partition("kafka_topic_partition_offline", 1)], eval: "5m",
                fires: true),
            Case(
                alert: "OfflinePartitions", series: [partition("kafka_topic_partition_offline", 0)], eval: "5m",
                fires: false),
            Case(
                alert: "UnderMinIsrPartitions", series: [partition("kafka_topic_partition_under_min_isr", 1)],
                eval: "5m", fires: true),
            Case(
                alert: "UnderMinIsrPartitions", series: [partition("kafka_topic_partition_under_min_isr", 0)],
                eval: "5m", fires: false),
            Case(
                alert: "KafkaExporterCollectionFailing",
                series: [
                    Self.series("kafka_architect_exporter_collection_success{job=\"kafka-architect-exporter\"}", "0x40")
                ], eval: "10m", fires: true),
            Case(
                alert: "KafkaExporterCollectionFailing",
                series: [
                    Self.series("kafka_architect_exporter_collection_success{job=\"kafka-architect-exporter\"}", "1x40")
                ], eval: "10m",
                fires: false),
            // Not scraped at all: absent() fires too.
            Case(
                alert: "KafkaExporterCollectionFailing", series: [Self.series("up", "1x40")], eval: "10m",
                fires: true),
            Case(
                alert: "ConsumerGroupEmptyWithLag_payment_service", series: [members(0), lag(5)], eval: "15m",
                fires: true),
            Case(
                alert: "ConsumerGroupEmptyWithLag_payment_service", series: [members(2), lag(5)], eval: "15m",
                fires: false),
            Case(
                alert: "ConsumerGroupStalled_payment_service", series: [lag(5), offset(0), collecting(1)], eval: "25m",
                fires: true),
            Case(
                alert: "ConsumerGroupStalled_payment_service", series: [lag(5), offset(60), collecting(1)],
                eval: "25m", fires: false),
            // The exporter cannot read the cluster: the frozen offsets are not a stalled group.
            Case(
                alert: "ConsumerGroupStalled_payment_service", series: [lag(5), offset(0), collecting(0)], eval: "25m",
                fires: false),
            // The loop stopped publishing: its last success (t = 0) is older than three 30 s intervals at 10 min.
            Case(
                alert: "KafkaExporterCollectionFailing",
                series: [
                    collecting(1),
                    Self.series(
                        "kafka_architect_exporter_last_success_timestamp_seconds{job=\"kafka-architect-exporter\"}",
                        "0x40"),
                    Self.series(
                        "kafka_architect_exporter_collection_interval_seconds{job=\"kafka-architect-exporter\"}",
                        "30x40"),
                ], eval: "10m", fires: true),
            Case(
                alert: "KafkaExporterCollectionPartial",
                series: [
                    Self.series(
                        "kafka_architect_exporter_collection_complete{job=\"kafka-architect-exporter\"}", "0x40")
                ], eval: "20m", fires: true),
            Case(
                alert: "KafkaExporterCollectionPartial",
                series: [
                    Self.series(
                        "kafka_architect_exporter_collection_complete{job=\"kafka-architect-exporter\"}", "1x40")
                ], eval: "20m", fires: false),
            Case(
                alert: "DeadLetterGrowth_notification_service_ecommerce_orders_events_dlq",
                series: [dlqOffset("0+1x40")], eval: "20m",
                fires: true),
            Case(
                alert: "DeadLetterGrowth_notification_service_ecommerce_orders_events_dlq", series: [dlqOffset("7x40")],
                eval: "20m",
                fires: false),
            Case(
                alert: "HangingTransaction_ecommerce_payments_events", series: [lso(lsoLimit + 1)], eval: "10m",
                fires: true),
            Case(
                alert: "HangingTransaction_ecommerce_payments_events", series: [lso(lsoLimit - 1)], eval: "10m",
                fires: false),
            Case(alert: "BrokerVolumeUsage", series: volume(full + 0.02), eval: "20m", fires: true),
            Case(alert: "BrokerVolumeUsage", series: volume(full - 0.02), eval: "20m", fires: false),
            Case(alert: "BrokerDiskUsage", series: host(full + 0.02), eval: "20m", fires: true),
            Case(alert: "BrokerDiskUsage", series: host(full - 0.02), eval: "20m", fires: false),
            Case(alert: "ProduceLatencyP99", series: [latency(p99 + 1)], eval: "15m", fires: true),
            Case(alert: "ProduceLatencyP99", series: [latency(p99 - 1)], eval: "15m", fires: false),
            Case(alert: "QuotaThrottled_partner_feed", series: [throttle(500)], eval: "15m", fires: true),
            Case(alert: "QuotaThrottled_partner_feed", series: [throttle(0)], eval: "15m", fires: false),
            Case(
                alert: "RequestHandlerSaturation",
                series: [
                    Self.series(
                        "kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent{instance=\"b1\"}", "0.2x40")
                ], eval: "15m", fires: true),
            Case(
                alert: "RequestHandlerSaturation",
                series: [
                    Self.series(
                        "kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent{instance=\"b1\"}", "0.6x40")
                ], eval: "15m", fires: false),
        ]
    }

    @Test(.requires(.promtool, .python("yaml"))) func alertsFireOnTheDesignsThresholdsAndNotBelow() throws {
        guard Peer.promtool.isAvailable else { return Peers.missing("promtool (apt-get install prometheus)") }
        let (a, r, out) = try Self.generated()
        defer { try? FileManager.default.removeItem(at: out) }
        let cases = out.appendingPathComponent("cases.json")
        try JSONEncoder().encode(try Self.cases(a, r)).write(to: cases)
        let run = try Peers.run(
            "python3",
            [
                Peers.script.appendingPathComponent("promtool_alert_test.py").path,
                out.appendingPathComponent("prometheus/alerts.yml").path, cases.path,
            ])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("SUCCESS"), "\(run.stdout)")
    }

    /// Kafka's own bean attributes (names from the Kafka documentation's monitoring section), through the
    /// generated rules as the JMX exporter applies them: every metric an alert reads from the JMX exporter
    /// is produced, with the labels the alert selects on, and no bean becomes a garbled name.
    @Test(.requires(.python("yaml"))) func theJmxRulesProduceEveryMetricTheAlertsRead() throws {
        let (_, _, out) = try Self.generated()
        defer { try? FileManager.default.removeItem(at: out) }
        let beans = [
            "kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value: 0",
            "kafka.server<type=ReplicaManager, name=UnderMinIsrPartitionCount><>Value: 0",
            "kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value: 0",
            "kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value: 1",
            "kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>OneMinuteRate: 0.9",
            "kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>MeanRate: 0.9",
            "kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>Count: 12345",
            "kafka.network<type=SocketServer, name=NetworkProcessorAvgIdlePercent><>Value: 0.8",
            "kafka.server<type=BrokerTopicMetrics, name=FailedProduceRequestsPerSec><>Count: 3",
            "kafka.server<type=BrokerTopicMetrics, name=TotalProduceRequestsPerSec><>Count: 300",
            "kafka.server<type=BrokerTopicMetrics, name=TotalProduceRequestsPerSec, topic=orders><>Count: 100",
            "kafka.network<type=RequestMetrics, name=TotalTimeMs, request=Produce><>99thPercentile: 12",
            "kafka.cluster<type=Partition, name=LastStableOffsetLag, topic=ecommerce.payments.events, partition=0><>Value: 5",
            "kafka.server<type=Produce, user=partner-feed, client-id=feeder><>throttle-time: 0",
            "kafka.server<type=Fetch, user=partner-feed><>throttle-time: 0",
            "kafka.server<type=FetcherLagMetrics, name=ConsumerLag, clientId=ReplicaFetcherThread-0-1, topic=orders, partition=0><>Value: 3",
            "kafka.log<type=LogCleanerManager, name=max-dirty-percent><>Value: 10",
        ]
        var produced: [String: [[String: String]]] = [:]
        for rules in ["prometheus/jmx-exporter.yml", "strimzi/kafka-metrics.yaml"] {
            let r = try Peers.run(
                "python3",
                [
                    Peers.script.appendingPathComponent("jmx_rules_apply.py").path,
                    out.appendingPathComponent(rules).path,
                ],
                stdin: beans.joined(separator: "\n") + "\n")
            try #require(r.status == 0, "\(r.stderr)")
            var names: [String: [[String: String]]] = [:]
            for line in r.stdout.split(separator: "\n") where line != "null" {
                let o = try CLIRunner.json(String(line))
                let name = try #require(o["name"] as? String)
                #expect(name.wholeMatch(of: /[a-z_][a-z0-9_]*/) != nil && !name.contains("clientid"), "\(name)")
                names[name, default: []].append(o["labels"] as? [String: String] ?? [:])
            }
            if produced.isEmpty {
                produced = names
            } else {
                #expect(names.keys.sorted() == produced.keys.sorted(), "the ConfigMap and the host file differ")
            }
        }
        // One series per metric and label set: the idle ratio's mean and count do not collide with its rate.
        #expect(produced["kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent"]?.count == 1)
        let alerts = try String(contentsOf: out.appendingPathComponent("prometheus/alerts.yml"), encoding: .utf8)
        var jmxMetrics = Set<String>()
        for block in alerts.components(separatedBy: "      - alert: ").dropFirst()
        where block.contains("source: jmx_exporter") {
            for m in block.matches(of: /kafka_[a-z0-9_]+/) { jmxMetrics.insert(String(m.0)) }
        }
        #expect(jmxMetrics.count >= 8, "\(jmxMetrics)")
        for metric in jmxMetrics { #expect(produced[metric] != nil, "no rule produces \(metric)") }
        #expect(
            produced["kafka_network_requestmetrics_totaltimems"]?.contains {
                $0["request"] == "Produce" && $0["quantile"] == "0.99"
            } == true)
        #expect(produced["kafka_cluster_partition_laststableoffsetlag"]?.first?["topic"] == "ecommerce.payments.events")
        #expect(produced["kafka_server_quota_throttle_time"]?.allSatisfy { $0["user"] == "partner-feed" } == true)
        // The Kafka resource points at the ConfigMap that holds them.
        let kafka = try String(contentsOf: out.appendingPathComponent("strimzi/kafka.yaml"), encoding: .utf8)
        let configMap = try String(
            contentsOf: out.appendingPathComponent("strimzi/kafka-metrics.yaml"), encoding: .utf8)
        let name = try #require(kafka.firstMatch(of: /configMapKeyRef:\n\s+name: (\S+)\n\s+key: (\S+)/))
        #expect(configMap.contains("  name: \(name.1)\n") && configMap.contains("  \(name.2): |\n"))
    }
}
