import Foundation
import Testing

/// `lag` and `groups` against real peers: librdkafka's mock for exact figures, Tansu for listing, members and many
/// groups, Burrow as the oracle for statuses. Offsets and timestamps are set by the test with confluent-kafka
/// (Tests/Peers/lag_setup.py), so every expected figure comes from what the test itself wrote.
@Suite(.serialized) struct LagPeerTests {
    static func setup(_ args: [String]) throws -> String {
        let r = try Peers.run("python3", [Peers.script.appendingPathComponent("lag_setup.py").path] + args)
        guard r.status == 0 else { throw PeerError("lag_setup.py \(args.first ?? ""): \(r.stderr)") }
        return r.stdout
    }

    static func group(_ doc: [String: Any], _ id: String) -> [String: Any]? {
        (doc["groups"] as? [[String: Any]])?.first { $0["groupId"] as? String == id }
    }

    /// Many groups at different offsets of one partition: one fetch from the lowest answers them all (the records
    /// it carries cover the others), and each group still gets the timestamp of the record at its own offset.
    @Test(.requires(.mockCluster216, .python("confluent_kafka")))
    func groupsAtManyOffsetsOfOnePartitionEachGetTheirOwnRecordsAge() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16 mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "1", "--topic", "orders:1:1"])
        let t0 = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try Self.setup(["produce", mock.bootstrap, "orders", "1", "100", String(t0)])
        let offsets = [10, 40, 41, 70, 99]
        for o in offsets { _ = try Self.setup(["commit", mock.bootstrap, "g\(o)", "orders", "0:\(o)"]) }
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let r = try CLIRunner.run(
            ["lag", "--bootstrap", mock.bootstrap, "--format", "json"]
                + offsets.flatMap {
                    ["--group", "g\($0)"]
                })
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        for o in offsets {
            let g = try #require(Self.group(doc, "g\(o)"))
            let p = try #require((g["partitions"] as? [[String: Any]])?.first)
            // Record o of 100 has timestamp t0 − (100 − o) s.
            let ts = t0 - Int64(100 - o) * 1000
            let seconds = try #require(p["lagSeconds"] as? Double)
            #expect(
                seconds >= Double(before - ts) / 1000 - 0.001 && seconds <= Double(after - ts) / 1000 + 0.001,
                "g\(o): \(seconds) s")
        }
    }

    /// Committed offsets 40, 100 and 90 on three partitions of 100 records each: lag 60, 0 and 10; the age of the
    /// oldest unconsumed record is now minus the timestamp the test gave the record at the committed offset.
    @Test(.requires(.mockCluster216, .python("confluent_kafka")))
    func exactLagAndLagInSecondsOnTheMock() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16 mock cluster") }
        let mock = try MockCluster(
            binary: binary, arguments: ["--brokers", "3", "--topic", "orders:3:1", "--topic", "payments:1:1"])
        let t0 = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try Self.setup(["produce", mock.bootstrap, "orders", "3", "100", String(t0)])
        _ = try Self.setup(["commit", mock.bootstrap, "billing", "orders", "0:40,1:100,2:90"])
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let r = try CLIRunner.run([
            "lag", "--bootstrap", mock.bootstrap, "--group", "billing", "--max-lag", "30s", "--format", "json",
        ])
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        // 60 s old > 30 s: ERR, exit 1; the mock lists no groups and describes none (noted, still complete).
        #expect(r.status == 1, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        #expect(doc["complete"] as? Bool == true)
        #expect((doc["unsupported"] as? [String])?.contains { $0.hasPrefix("DescribeGroups") } == true)
        let g = try #require(Self.group(doc, "billing"))
        #expect(g["status"] as? String == "ERR")
        #expect(g["totalLag"] as? Int == 70)
        let partitions = try #require(g["partitions"] as? [[String: Any]])
        #expect(partitions.map { $0["committedOffset"] as? Int } == [40, 100, 90])
        #expect(partitions.map { $0["logEndOffset"] as? Int } == [100, 100, 100])
        #expect(partitions.map { $0["lag"] as? Int } == [60, 0, 10])
        // Record i of 100 has timestamp t0 - (100 - i) s: the record at offset 40 is t0 - 60 s old at t0.
        for (p, offset) in [(0, 40), (2, 90)] {
            let ts = t0 - Int64(100 - offset) * 1000
            let seconds = try #require(partitions[p]["lagSeconds"] as? Double)
            #expect(seconds >= Double(before - ts) / 1000 - 0.001 && seconds <= Double(after - ts) / 1000 + 0.001)
        }
        #expect(partitions[1]["lagSeconds"] as? Double == 0)
        let slo = try #require(g["slo"] as? [String: Any])
        #expect(slo["exceeded"] as? Bool == true)
        #expect(slo["source"] as? String == "--max-lag, orders")

        // --fail-on never: the same report, exit 0.
        let never = try CLIRunner.run([
            "lag", "--bootstrap", mock.bootstrap, "--group", "billing", "--max-lag", "30s", "--fail-on", "never",
        ])
        #expect(never.status == 0)
        #expect(never.stdout.contains("ERR billing"))
        // An unknown group: said so, exit 1, no crash.
        let unknown = try CLIRunner.run(["lag", "--bootstrap", mock.bootstrap, "--group", "nosuch"])
        #expect(unknown.status == 1)
        #expect(unknown.stdout.contains("group not found"))
        // A group that exists but commits only to orders, asked about payments: not "not found", exit 0.
        let elsewhere = try CLIRunner.run([
            "lag", "--bootstrap", mock.bootstrap, "--group", "billing", "--topic", "payments",
        ])
        #expect(elsewhere.status == 0, "\(elsewhere.stdout)\(elsewhere.stderr)")
        #expect(elsewhere.stdout.contains("nothing on topic payments: the group commits to or is assigned only orders"))
        #expect(!elsewhere.stdout.contains("not found"))
        // Without --group the mock cannot list groups: one line, exit 3.
        let all = try CLIRunner.run(["lag", "--bootstrap", mock.bootstrap])
        #expect(all.status == 3)
        #expect(all.stderr.contains("name them with --group"))
        // Reset refused: the mock cannot tell whether the group has members.
        let reset = try CLIRunner.run([
            "groups", "reset-offsets", "--bootstrap", mock.bootstrap, "--group", "billing", "--topic", "orders",
            "--to-latest", "--execute",
        ])
        #expect(reset.status == 3)
        #expect(reset.stderr.contains("membership of group billing cannot be read"))
        let still = try CLIRunner.json(try Self.setup(["committed", mock.bootstrap, "billing", "orders", "3"]))
        #expect(still["0"] as? Int == 40)
    }

    /// Groups whose coordinator is down are reported unknown; the others are answered; within --timeout; exit 3.
    @Test(.requires(.mockCluster216, .python("confluent_kafka")))
    func aDownCoordinatorLeavesItsGroupsUnknown() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16 mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "3", "--topic", "t:1:1"])
        try mock.command("leader t 0 1")
        _ = try Self.setup([
            "produce", mock.bootstrap, "t", "1", "10", String(Int64(Date().timeIntervalSince1970 * 1000)),
        ])
        let groups = (1...12).map { "g\($0)" }
        for g in groups { _ = try Self.setup(["commit", mock.bootstrap, g, "t", "0:5"]) }
        try mock.command("down 3")
        let started = Date()
        let r = try CLIRunner.run(
            ["lag", "--bootstrap", mock.bootstrap, "--timeout", "5s", "--format", "json"]
                + groups.flatMap { ["--group", $0] })
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(r.status == 3, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        #expect(doc["complete"] as? Bool == false)
        let all = try #require(doc["groups"] as? [[String: Any]])
        let unknown = all.filter { $0["status"] as? String == "UNKNOWN" }
        let answered = all.filter { $0["totalLag"] as? Int == 5 }
        // The mock places coordinators by a hash of the group id over 3 brokers: some groups land on broker 3.
        #expect(!unknown.isEmpty)
        #expect(!answered.isEmpty)
        #expect(unknown.count + answered.count == 12)
        #expect((doc["missing"] as? [String])?.contains { $0.contains("OffsetFetch for group") } == true)
    }

    /// Tansu: a live member (confluent-kafka subscribed), its assignment, a reset refused while it is there, then
    /// a dry run and an executed reset read back with confluent-kafka.
    @Test(.requires(.tansu, .python("confluent_kafka")))
    func groupsOnTansu() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        let tansu = try TansuBroker(binary: binary)
        try tansu.createTopic("payments", partitions: 2)
        // One record per batch: Tansu's high watermark is wrong after a batched produce.
        _ = try Self.setup([
            "produce", tansu.bootstrap, "payments", "2", "20", String(Int64(Date().timeIntervalSince1970 * 1000)),
        ])
        _ = try Self.setup(["commit", tansu.bootstrap, "ledger", "payments", "0:5,1:20"])
        let member = Process()
        member.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        member.arguments = [
            "python3", Peers.script.appendingPathComponent("lag_setup.py").path, "member", tansu.bootstrap, "live",
            "payments", "20",
        ]
        let out = Pipe()
        member.standardOutput = out
        member.standardError = FileHandle.nullDevice
        try member.run()
        defer { member.terminate() }
        let joined = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        #expect(joined.contains("joined"))

        let list = try CLIRunner.run(["groups", "list", "--bootstrap", tansu.bootstrap, "--format", "json"])
        #expect(list.status == 0, "\(list.stderr)")
        let rows = try #require(try CLIRunner.json(list.stdout)["groups"] as? [[String: Any]])
        let ledger = try #require(rows.first { $0["groupId"] as? String == "ledger" })
        #expect(ledger["totalLag"] as? Int == 15)
        // Record 5 of 20 was given the timestamp t0 - 15 s: at least 15 s old (Tansu answers the one-record fetch
        // only with min.bytes 1).
        #expect((ledger["maxLagSeconds"] as? Double ?? 0) >= 15)
        let live = try #require(rows.first { $0["groupId"] as? String == "live" })
        #expect(live["members"] as? Int == 1)

        // The member committed offset 1 on both partitions of 20 records: lag 19 + 19.
        #expect(live["totalLag"] as? Int == 38)
        let describe = try CLIRunner.run([
            "groups", "describe", "live", "--bootstrap", tansu.bootstrap, "--format", "json",
        ])
        let d = try CLIRunner.json(describe.stdout)
        // Tansu gives members but not their assignment (nor client id or host): checked on hand-written readings.
        #expect((d["members"] as? [[String: Any]])?.count == 1)
        #expect(d["state"] as? String == "Stable")

        let refused = try CLIRunner.run([
            "groups", "reset-offsets", "--bootstrap", tansu.bootstrap, "--group", "live", "--topic", "payments",
            "--to-earliest",
        ])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("active member"))

        let dry = try CLIRunner.run([
            "groups", "reset-offsets", "--bootstrap", tansu.bootstrap, "--group", "ledger", "--topic", "payments",
            "--shift-by", "-3", "--format", "json",
        ])
        #expect(dry.status == 0, "\(dry.stderr)")
        let plan = try CLIRunner.json(dry.stdout)
        #expect((plan["rows"] as? [[String: Any]])?.map { $0["newOffset"] as? Int } == [2, 17])
        #expect(plan["replayed"] as? Int == 6)
        #expect(plan["executed"] as? Bool == false)
        let unchanged = try CLIRunner.json(try Self.setup(["committed", tansu.bootstrap, "ledger", "payments", "2"]))
        #expect(unchanged["0"] as? Int == 5)

        let done = try CLIRunner.run([
            "groups", "reset-offsets", "--bootstrap", tansu.bootstrap, "--group", "ledger", "--topic", "payments",
            "--shift-by", "-3", "--execute",
        ])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("Committed."))
        let after = try CLIRunner.json(try Self.setup(["committed", tansu.bootstrap, "ledger", "payments", "2"]))
        #expect(after["0"] as? Int == 2)
        #expect(after["1"] as? Int == 17)
    }

    /// Many groups on Tansu through OffsetFetch v8/9 (100 groups per request): each group's lag is what the test
    /// committed for it.
    @Test(.requires(.tansu, .python("confluent_kafka")))
    func manyGroupsOnTansu() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        let tansu = try TansuBroker(binary: binary)
        try tansu.createTopic("clicks", partitions: 1)
        _ = try Self.setup([
            "produce", tansu.bootstrap, "clicks", "1", "50", String(Int64(Date().timeIntervalSince1970 * 1000)),
        ])
        let code = """
            import sys
            from confluent_kafka import Consumer, TopicPartition
            for i in range(250):
                c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "many-%03d" % i, "enable.auto.commit": False})
                c.commit(offsets=[TopicPartition("clicks", 0, i % 50)], asynchronous=False)
                c.close()
            """
        let made = try Peers.run("python3", ["-c", code, tansu.bootstrap])
        #expect(made.status == 0, "\(made.stderr)")
        let r = try CLIRunner.run(["lag", "--bootstrap", tansu.bootstrap, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let groups = (doc["groups"] as? [[String: Any]] ?? []).filter {
            ($0["groupId"] as? String)?.hasPrefix("many-") == true
        }
        #expect(groups.count == 250)
        for g in groups {
            let i = Int(((g["groupId"] as? String) ?? "").dropFirst(5)) ?? -1
            #expect(g["totalLag"] as? Int == 50 - i % 50, "\(g["groupId"] ?? "")")
        }
    }

    /// A logistics design: `tracker` has its own maxLag (20 s), `billing` takes slos.maxConsumerLag (2 min) and
    /// has side effects.
    static let logistics = """
        version: 1
        name: logistics
        slos:
          maxConsumerLag: 2m
        domains:
          - name: logistics
            entities:
              - name: shipments
                kind: events
                key: shipmentId
                messagesPerSecond: 50
                messageSize: 1KB
              - name: delays
                kind: events
                key: shipmentId
                messagesPerSecond: 5
                messageSize: 1KB
        services:
          - name: dispatcher
            domain: logistics
            produces: [logistics.shipments.events]
          - name: tracker
            domain: logistics
            produces: [logistics.delays.events]
            consumes:
              - stream: logistics.shipments.events
                maxLag: 20s
                idempotent: true
          - name: notifier
            domain: logistics
            consumes:
              - stream: logistics.delays.events
                sideEffects: true
          - name: billing
            domain: logistics
            consumes:
              - stream: logistics.shipments.events
                sideEffects: true
        """

    static func write(_ text: String, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Each group's SLO comes from the architecture file: the record at tracker's committed offset is 30 s old
    /// (over its 20 s), billing's 50 s old (under 2 min).
    @Test(.requires(.mockCluster216, .python("confluent_kafka")))
    func slosFromTheArchitectureFile() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16 mock cluster") }
        let mock = try MockCluster(
            binary: binary, arguments: ["--brokers", "1", "--topic", "logistics.shipments.events:1:1"])
        let file = try Self.write(Self.logistics, "logistics.yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let t0 = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try Self.setup(["produce", mock.bootstrap, "logistics.shipments.events", "1", "100", String(t0)])
        _ = try Self.setup(["commit", mock.bootstrap, "tracker", "logistics.shipments.events", "0:70"])
        _ = try Self.setup(["commit", mock.bootstrap, "billing", "logistics.shipments.events", "0:50"])
        let r = try CLIRunner.run([
            "lag", "--bootstrap", mock.bootstrap, "--file", file.path, "--group", "tracker", "--group", "billing",
            "--topic", "logistics.shipments.events", "--format", "json",
        ])
        #expect(r.status == 1, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let tracker = try #require(Self.group(doc, "tracker"))
        let billing = try #require(Self.group(doc, "billing"))
        #expect(tracker["status"] as? String == "ERR")
        let trackerSLO = try #require(tracker["slo"] as? [String: Any])
        #expect(trackerSLO["limit"] as? Double == 20)
        #expect((trackerSLO["source"] as? String)?.contains("service tracker maxLag") == true)
        // 30 s old at t0, older by the time it is read: exceeded by at least 10 s.
        #expect((trackerSLO["exceededBy"] as? Double ?? 0) >= 10)
        #expect(billing["status"] as? String == "OK")
        let billingSLO = try #require(billing["slo"] as? [String: Any])
        #expect(billingSLO["limit"] as? Double == 120)
        #expect((billingSLO["source"] as? String)?.contains("slos.maxConsumerLag") == true)
        // Worst first.
        #expect((doc["groups"] as? [[String: Any]])?.first?["groupId"] as? String == "tracker")
        // The text says by how much, in one line per group.
        let text = try CLIRunner.run(["lag", "--bootstrap", mock.bootstrap, "--file", file.path, "--group", "tracker"])
        #expect(text.stdout.contains("exceeds the SLO of 20 s (service tracker maxLag in"))
        // A file that does not parse: exit 2, naming the file.
        let bad = try Self.write("version: 1\nservices: [", "bad.yaml")
        defer { try? FileManager.default.removeItem(at: bad) }
        let broken = try CLIRunner.run(["lag", "--bootstrap", mock.bootstrap, "--file", bad.path, "--group", "x"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("bad.yaml"))
    }

    /// reset-offsets with the design: billing has side effects, so a replay warns.
    @Test(.requires(.tansu, .python("confluent_kafka")))
    func resetWarnsAboutSideEffects() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        let tansu = try TansuBroker(binary: binary)
        try tansu.createTopic("logistics.shipments.events", partitions: 1)
        let file = try Self.write(Self.logistics, "logistics.yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try Self.setup([
            "produce", tansu.bootstrap, "logistics.shipments.events", "1", "10",
            String(Int64(Date().timeIntervalSince1970 * 1000)),
        ])
        _ = try Self.setup(["commit", tansu.bootstrap, "billing", "logistics.shipments.events", "0:10"])
        let r = try CLIRunner.run([
            "groups", "reset-offsets", "--bootstrap", tansu.bootstrap, "--group", "billing", "--topic",
            "logistics.shipments.events", "--shift-by", "-4", "--file", file.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("replaying 4 records repeats them"))
        #expect(r.stdout.contains("Dry run: nothing changed"))
        // Replaying tracker re-produces delays, which notifier acts on with side effects.
        _ = try Self.setup(["commit", tansu.bootstrap, "tracker", "logistics.shipments.events", "0:10"])
        let replay = try CLIRunner.run([
            "groups", "reset-offsets", "--bootstrap", tansu.bootstrap, "--group", "tracker", "--topic",
            "logistics.shipments.events", "--shift-by", "-2", "--file", file.path,
        ])
        #expect(
            replay.stdout.contains(
                "re-produces logistics.delays.events, which service notifier consumes with side effects"))
        let tracker = try CLIRunner.run([
            "groups", "reset-offsets", "--bootstrap", tansu.bootstrap, "--group", "tracker", "--topic",
            "logistics.shipments.events", "--to-earliest", "--file", file.path,
        ])
        #expect(tracker.status == 0, "\(tracker.stderr)")
        // tracker has committed by now: no "check the name"; to-earliest replays 10 records and reaches notifier.
        #expect(!tracker.stdout.contains("has no committed offsets"))
        #expect(tracker.stdout.contains("service notifier consumes with side effects"))
        let typo = try CLIRunner.run([
            "groups", "reset-offsets", "--bootstrap", tansu.bootstrap, "--group", "trackr", "--topic",
            "logistics.shipments.events", "--to-latest",
        ])
        #expect(typo.status == 0, "\(typo.stderr)")
        #expect(
            typo.stdout.contains("group trackr has no committed offsets on logistics.shipments.events and no members"))
        #expect(!tracker.stdout.contains("service tracker has side effects"))
    }

    /// Burrow reads the same commits from __consumer_offsets; both tools evaluate six scenarios.
    @Test(.requires(.burrow, .mockCluster216, .python("confluent_kafka")))
    func statusesAgreeWithBurrow() throws {
        guard Peer.burrow.isAvailable else { return Peers.missing("Burrow and ZooKeeper") }
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16 mock cluster") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("burrow-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Peers.run(
            "python3",
            [
                Peers.script.appendingPathComponent("burrow_oracle.py").path, binary, CLIRunner.executable.path,
                dir.path,
            ], timeout: 180)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let expected: [String: (group: String, partition: String)] = [
            "ok": ("OK", "OK"), "slow": ("WARN", "WARN"), "stopped": ("ERR", "STOP"), "stalled": ("ERR", "STALL"),
            "rewind": ("ERR", "REWIND"), "stopzero": ("ERR", "STOP"),
        ]
        for (scenario, want) in expected {
            let s = try #require(doc[scenario] as? [String: Any], "\(scenario)")
            let ours = s["ours"] as? [String: Any] ?? [:]
            let burrow = s["burrow"] as? [String: Any] ?? [:]
            #expect(ours["group"] as? String == want.group, "\(scenario): \(ours)")
            #expect(ours["partition"] as? String == want.partition, "\(scenario): \(ours)")
            if scenario == "stopzero" {
                // Burrow's known false state (linkedin/Burrow #287): a window holding a zero lag is OK to it, so it
                // may still say OK here; we say STOP. Either way it must not invent another status.
                #expect(["OK", want.partition].contains(burrow["partition"] as? String), "\(scenario): \(burrow)")
            } else {
                #expect(burrow["group"] as? String == want.group, "\(scenario): Burrow \(burrow)")
                #expect(burrow["partition"] as? String == want.partition, "\(scenario): Burrow \(burrow)")
            }
        }
    }

    @Test func badLagFlagsExitTwoWithOneLine() throws {
        for (args, words) in [
            (["--window", "2s", "--readings", "5"], "shorter than 5 readings 1 s apart"),
            (["--max-lag", "30"], "give a unit"),
            (["--readings", "3"], "--readings needs --window"),
            (["--window", "10s", "--readings", "1"], "--readings 1 is out of range"),
            (["--max-lag", "1e300s"], "--max-lag 1e300s"),
            (["--max-lag", "0.5records"], "whole number of records"),
            (["--window", "forever"], "--window"),
        ] {
            let r = try CLIRunner.run(["lag", "--bootstrap", "127.0.0.1:1"] + args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(words), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        let reset = try CLIRunner.run([
            "groups", "reset-offsets", "--bootstrap", "127.0.0.1:1", "--group", "g", "--topic", "t", "--to-earliest",
            "--to-latest",
        ])
        #expect(reset.status == 2)
        #expect(reset.stderr.contains("exactly one of"))
        let unreachable = try CLIRunner.run(["lag", "--bootstrap", "127.0.0.1:1", "--timeout", "2s"])
        #expect(unreachable.status == 3)
    }
}
