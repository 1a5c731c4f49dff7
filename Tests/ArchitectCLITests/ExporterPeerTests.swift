import Foundation
import Testing

/// `exporter` (issue 20) against real peers: a real Prometheus scrapes it (running against Tansu and librdkafka's
/// mock), loads the alert rules `generate` writes and fires the lag alert when a consumer stops; promtool checks the
/// text; wrk scrapes it under load; a broker taken away and brought back. Every expected figure comes from what the
/// test itself wrote with confluent-kafka (Tests/Peers/lag_setup.py).
@Suite(.serialized) struct ExporterPeerTests {
    /// The exporter as a user runs it; SIGTERM on deinit (a graceful shutdown must exit 0).
    final class Exporter {
        let process = Process()
        let port: Int
        let log: URL
        init(_ arguments: [String]) throws {
            port = try TansuBroker.freePort()
            log = FileManager.default.temporaryDirectory.appendingPathComponent("exporter-\(UUID().uuidString).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = CLIRunner.executable
            process.arguments = ["exporter", "--listen", "127.0.0.1:\(port)"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while (try? HTTP.get(port, "/healthz"))?.status != 200 {
                guard Date() < deadline, process.isRunning else {
                    throw PeerError("exporter did not start: \(logText)")
                }
                usleep(100_000)
            }
        }
        var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        func metrics() throws -> String { try HTTP.get(port, "/metrics").body }
        /// The value of the first sample whose line starts with `prefix` (name and labels as the text shows them).
        func value(_ prefix: String) throws -> Double? {
            try metrics().split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap {
                $0.split(separator: " ").last.flatMap { Double($0) }
            }
        }
        /// Waits until `check` holds on a scrape, up to `seconds`.
        func wait(_ seconds: Double, _ what: String, _ check: (String) -> Bool) throws {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let text = try? metrics(), check(text) { return }
                usleep(200_000)
            }
            throw PeerError("exporter: \(what) not seen within \(seconds) s; log: \(logText)")
        }
        func stop() -> Int32 {
            guard process.isRunning else { return process.terminationStatus }
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return process.terminationStatus
        }
        deinit {
            _ = stop()
            try? FileManager.default.removeItem(at: log)
        }
    }

    /// Debian's Prometheus on a free port, scraping `target` every second with `rules` loaded.
    final class Prometheus {
        let process = Process()
        let port: Int
        let dir: URL
        init(target: Int, rules: URL?) throws {
            port = try TansuBroker.freePort()
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("prom-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var config = """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: kafka-architect-exporter
                    static_configs:
                      - targets: ['127.0.0.1:\(target)']

                """
            if let rules { config += "rule_files: ['\(rules.path)']\n" }
            let file = dir.appendingPathComponent("prometheus.yml")
            try config.write(to: file, atomically: true, encoding: .utf8)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
            process.arguments = [
                "--config.file=\(file.path)", "--storage.tsdb.path=\(dir.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(port)",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while (try? HTTP.get(port, "/-/ready"))?.status != 200 {
                guard Date() < deadline, process.isRunning else { throw PeerError("prometheus did not start") }
                usleep(200_000)
            }
        }
        func api(_ path: String) throws -> [String: Any] { try CLIRunner.json(try HTTP.get(port, path).body) }
        /// The value of an instant query's single result, nil when it has none.
        func query(_ promql: String) throws -> Double? {
            let q = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promql
            let doc = try api("/api/v1/query?query=\(q)")
            let result = ((doc["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
            return (result.first?["value"] as? [Any])?.last.flatMap { ($0 as? String).flatMap(Double.init) }
        }
        func firing(_ alert: String) throws -> Bool {
            let alerts = ((try api("/api/v1/alerts")["data"] as? [String: Any])?["alerts"] as? [[String: Any]]) ?? []
            return alerts.contains {
                ($0["labels"] as? [String: String])?["alertname"] == alert && $0["state"] as? String == "firing"
            }
        }
        deinit {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    static func setup(_ args: [String]) throws {
        let r = try Peers.run("python3", [Peers.script.appendingPathComponent("lag_setup.py").path] + args)
        guard r.status == 0 else { throw PeerError("lag_setup.py \(args.first ?? ""): \(r.stderr)") }
    }

    static func waitFor(_ seconds: Double, _ what: String, _ check: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? check()) == true { return }
            usleep(250_000)
        }
        throw PeerError("\(what) not seen within \(seconds) s")
    }

    /// The ecommerce example's alerts, as `generate` writes them, with every `for:` cut to 0s so that the test
    /// need not wait the minutes a real alert waits (the expressions are the generated ones, unchanged).
    static func generatedRules() throws -> URL {
        let example = CLIRunner.packageRoot.appendingPathComponent("examples/ecommerce.yaml").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-exp-\(UUID().uuidString)")
        let g = try CLIRunner.run(["generate", example, "--target", "all", "--out", out.path])
        guard g.status == 0 else { throw PeerError("generate: \(g.stderr)") }
        let rules = try String(contentsOf: out.appendingPathComponent("prometheus/alerts.yml"), encoding: .utf8)
        let fast = rules.replacing(/for: \S+/, with: "for: 0s")
        let file = out.appendingPathComponent("alerts-for-0s.yml")
        try fast.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The ecommerce design's payment-service consumes ecommerce.orders.events. 100 records a partition, the
    /// oldest 100 s old; a member joins, commits offset 1 and leaves: lag 99 a partition, and the generated
    /// ConsumerGroupEmptyWithLag alert fires in Prometheus once the member has gone, not before.
    @Test(.requires(.tansu, .prometheus, .promtool, .python("confluent_kafka")))
    func prometheusScrapesItAndTheGeneratedLagAlertFiresWhenTheConsumerStops() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        guard Peer.prometheus.isAvailable else { return Peers.missing("the Prometheus server") }
        let tansu = try TansuBroker(binary: binary)
        let topic = "ecommerce.orders.events"
        let group = "payment-service"
        try tansu.createTopic(topic, partitions: 3)
        let t0 = Int64(Date().timeIntervalSince1970 * 1000)
        try Self.setup(["produce", tansu.bootstrap, topic, "3", "100", String(t0)])
        let member = Process()
        member.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        member.arguments = [
            "python3", Peers.script.appendingPathComponent("lag_setup.py").path, "member", tansu.bootstrap, group,
            topic,
            "20",
        ]
        let memberOut = Pipe()
        member.standardOutput = memberOut
        member.standardError = FileHandle.nullDevice
        try member.run()
        defer { if member.isRunning { kill(member.processIdentifier, SIGKILL) } }
        _ = memberOut.fileHandleForReading.availableData  // "joined": it holds the partitions and committed 1

        let example = CLIRunner.packageRoot.appendingPathComponent("examples/ecommerce.yaml").path
        let exporter = try Exporter([
            "--bootstrap", tansu.bootstrap, "--interval", "1s", "--readings", "2", "--file", example,
        ])
        let lagLine = "kafka_consumergroup_lag{consumergroup=\"\(group)\",topic=\"\(topic)\""
        try exporter.wait(20, "the group's lag") { $0.contains(lagLine) }
        let rules = try Self.generatedRules()
        defer { try? FileManager.default.removeItem(at: rules.deletingLastPathComponent()) }
        let prometheus = try Prometheus(target: exporter.port, rules: rules)
        // Prometheus reads the lag the test made: 3 partitions × (100 − 1).
        try Self.waitFor(30, "the lag in Prometheus") {
            try prometheus.query("sum(kafka_consumergroup_lag{consumergroup=\"\(group)\"})") == 297
        }
        #expect(try prometheus.query("kafka_consumergroup_members{consumergroup=\"\(group)\"}") == 1)
        // The oldest unconsumed record (offset 1) was stamped t0 − 99 s.
        let age = try #require(try prometheus.query("max(kafka_consumergroup_lag_seconds{consumergroup=\"\(group)\"})"))
        #expect(age >= 99 && age < 99 + 60, "\(age)")
        #expect(try prometheus.firing("ConsumerGroupEmptyWithLag_payment_service") == false, "members present")
        // The generated lag-in-seconds alert reads the same series: 99 s > the design's 60 s SLO.
        try Self.waitFor(20, "ConsumerLagSeconds_payment_service firing") {
            try prometheus.firing("ConsumerLagSeconds_payment_service")
        }

        // promtool parses the scraped text and lints it. Its one objection is to two of kafka_exporter's own names
        // (a gauge ending in _sum), kept so that kafka_exporter's dashboards work; anything else fails.
        let text = try exporter.metrics()
        let check = try Peers.run("promtool", ["check", "metrics"], stdin: text)
        let problems = (check.stdout + check.stderr).split(separator: "\n").filter { !$0.isEmpty }
        let allowed: Set<String> = ["kafka_consumergroup_current_offset_sum", "kafka_consumergroup_lag_sum"]
        #expect(check.status == 0 || check.status == 3, "\(check.stdout)\(check.stderr)")
        for p in problems {
            let name = String(p.split(separator: " ").first ?? "")
            #expect(allowed.contains(name) && p.contains("should not have \"_sum\" suffix"), "promtool: \(p)")
        }
        #expect(text.contains("kafka_consumergroup_lag_seconds{"))

        // The consumer stops: no members while records wait.
        kill(member.processIdentifier, SIGTERM)
        member.waitUntilExit()
        try Self.waitFor(60, "ConsumerGroupEmptyWithLag_payment_service firing") {
            try prometheus.firing("ConsumerGroupEmptyWithLag_payment_service")
        }
        #expect(exporter.stop() == 0, "SIGTERM: a graceful exit; \(exporter.logText)")
        #expect(exporter.logText.contains("stopped"))
    }

    /// The mock cannot list groups: the group is named. Offsets 40, 100, 90 of 100 records: lag 60, 0, 10,
    /// scraped by Prometheus.
    @Test(.requires(.mockCluster216, .prometheus, .python("confluent_kafka")))
    func exactLagFromTheMockInPrometheus() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16 mock cluster") }
        guard Peer.prometheus.isAvailable else { return Peers.missing("the Prometheus server") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "3", "--topic", "orders:3:1"])
        let t0 = Int64(Date().timeIntervalSince1970 * 1000)
        try Self.setup(["produce", mock.bootstrap, "orders", "3", "100", String(t0)])
        try Self.setup(["commit", mock.bootstrap, "billing", "orders", "0:40,1:100,2:90"])
        let exporter = try Exporter(["--bootstrap", mock.bootstrap, "--group", "billing", "--interval", "1s"])
        let prometheus = try Prometheus(target: exporter.port, rules: nil)
        for (p, lag) in [(0, 60.0), (1, 0), (2, 10)] {
            try Self.waitFor(30, "orders-\(p)'s lag") {
                try prometheus.query("kafka_consumergroup_lag{consumergroup=\"billing\",partition=\"\(p)\"}") == lag
            }
        }
        #expect(try prometheus.query("kafka_topic_partition_current_offset{topic=\"orders\",partition=\"0\"}") == 100)
        #expect(try prometheus.query("kafka_brokers") == 3)
        #expect(try prometheus.query("kafka_architect_exporter_collection_success") == 1)
        // Record 40 of partition 0 was stamped t0 − 60 s.
        let age = try #require(
            try prometheus.query("kafka_consumergroup_lag_seconds{consumergroup=\"billing\",partition=\"0\"}"))
        #expect(age >= 60 && age < 120, "\(age)")
    }

    /// The broker goes away: the last good collection stays served with the success gauge at 0; a broker back on
    /// the same port is found again without a restart.
    @Test(.requires(.tansu))
    func aBrokerOutageKeepsTheLastCollectionAndRecovers() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        var tansu: TansuBroker? = try TansuBroker(binary: binary)
        let port = try #require(tansu?.port)
        try tansu?.createTopic("health", partitions: 2)
        let exporter = try Exporter([
            "--bootstrap", "127.0.0.1:\(port)", "--interval", "1s", "--timeout", "2s",
        ])
        let offset = "kafka_topic_partition_current_offset{topic=\"health\""
        try exporter.wait(20, "the topic") {
            $0.contains(offset) && $0.contains("kafka_architect_exporter_collection_success 1.0")
        }
        tansu = nil  // SIGKILL
        try exporter.wait(30, "a failed collection") { $0.contains("kafka_architect_exporter_collection_success 0.0") }
        #expect(try exporter.metrics().contains(offset), "the last good collection is still served")
        #expect(try HTTP.get(exporter.port, "/healthz").body.contains("failed"))
        tansu = try TansuBroker(binary: binary, port: port)
        try tansu?.createTopic("back", partitions: 1)
        try exporter.wait(40, "recovery") {
            $0.contains("kafka_architect_exporter_collection_success 1.0")
                && $0.contains("kafka_topic_partition_current_offset{topic=\"back\"")
        }
    }

    /// wrk scrapes as fast as it can (well over 100 a second) for 30 s: no error, memory flat, the collection
    /// still every second.
    @Test(.requires(.tansu, .wrk))
    func scrapesUnderLoadLeaveTheCollectionAndMemoryAlone() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        guard Peer.wrk.isAvailable else { return Peers.missing("wrk") }
        let tansu = try TansuBroker(binary: binary)
        for i in 0..<5 { try tansu.createTopic("load-\(i)", partitions: 6) }
        let exporter = try Exporter(["--bootstrap", tansu.bootstrap, "--interval", "1s"])
        try exporter.wait(20, "the topics") { $0.contains("topic=\"load-4\"") }
        let rss0 = Self.rssKB(exporter.process.processIdentifier)
        let before = try exporter.value("kafka_architect_exporter_collections_total{result=\"success\"}") ?? 0
        let r = try Peers.run(
            "wrk", ["-t", "1", "-c", "4", "-d", "30s", "--latency", "http://127.0.0.1:\(exporter.port)/metrics"],
            timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("Non-2xx"), "\(r.stdout)")
        #expect(!r.stdout.contains("Socket errors"), "\(r.stdout)")
        let perSecond = r.stdout.firstMatch(of: /Requests\/sec:\s+([0-9.]+)/).flatMap { Double($0.1) } ?? 0
        #expect(perSecond >= 100, "\(r.stdout)")
        let after = try exporter.value("kafka_architect_exporter_collections_total{result=\"success\"}") ?? 0
        // 30 s at a 1 s interval: about 30 collections; fewer than 25 means scrapes held the collection up.
        #expect(after - before >= 25, "\(before) → \(after) collections in 30 s")
        let rss1 = Self.rssKB(exporter.process.processIdentifier)
        #expect(rss1 < rss0 + 30_000, "RSS \(rss0) KB → \(rss1) KB")
    }

    static func rssKB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test(arguments: [
        (["--listen", "localhost"], "--listen localhost: give host:port"),
        (["--listen", "127.0.0.1:99999"], "--listen 127.0.0.1:99999: give host:port"),
        (["--interval", "500ms"], "--interval 500ms: at least 1s"),
        (["--interval", "30"], "--interval"),
        (["--readings", "1"], "--readings 1 is out of range"),
        (["--log-level", "loud"], "--log-level loud"),
    ])
    func badFlagsAreOneLineAndExit2(_ flags: [String], _ message: String) throws {
        let r = try CLIRunner.run(["exporter", "--bootstrap", "127.0.0.1:1"] + flags)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    /// A SASL password in --command-config against Tansu (which takes no SASL): the exporter connects, its SASL
    /// exchange fails, and the password is in none of its log, /metrics or /healthz.
    @Test(.requires(.tansu)) func secretsAreInNoLogOrPage() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        let tansu = try TansuBroker(binary: binary)
        let config = FileManager.default.temporaryDirectory.appendingPathComponent(
            "client-\(UUID().uuidString).properties")
        try """
        security.protocol=SASL_PLAINTEXT
        sasl.mechanism=PLAIN
        sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cr3t-Pa55";
        """.write(to: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: config) }
        let exporter = try Exporter([
            "--bootstrap", tansu.bootstrap, "--command-config", config.path, "--interval", "1s", "--timeout", "1s",
            "--log-level", "debug",
        ])
        try exporter.wait(20, "a failed collection") { $0.contains("kafka_architect_exporter_collection_success 0.0") }
        let pages = try exporter.metrics() + HTTP.get(exporter.port, "/healthz").body
        #expect(exporter.logText.contains("collection failed"), "\(exporter.logText)")
        #expect(!exporter.logText.contains("s3cr3t") && !pages.contains("s3cr3t"))
    }

    @Test func aPortInUseIsOneLineAndExit2() throws {
        let (fd, port) = try #require(Loopback.bound())
        defer { close(fd) }
        listen(fd, 1)
        let r = try CLIRunner.run(["exporter", "--bootstrap", "127.0.0.1:1", "--listen", "127.0.0.1:\(port)"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("--listen 127.0.0.1:\(port): cannot listen"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}

/// A plain HTTP/1.1 GET over a socket (the tests' own client), with a short receive timeout.
enum HTTP {
    static func get(_ port: Int, _ path: String) throws -> (status: Int, body: String) {
        guard let fd = Loopback.connected(port, timeout: 10) else { throw PeerError("connect to \(port) failed") }
        defer { close(fd) }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            data += chunk[0..<n]
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw PeerError("no HTTP answer from \(port)") }
        let status = Int(text[..<split.lowerBound].split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, String(text[split.upperBound...]))
    }
}
