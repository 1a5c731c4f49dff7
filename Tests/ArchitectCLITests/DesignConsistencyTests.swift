import Foundation
import Testing

/// One derivation feeds `design`, `plan` and every deliverable (issue 12, defect 4: `plan` showed 1
/// partition where `design` and `generate` wrote 3, because only they rounded to the broker count).
/// Each source is read by its own small parser here, never through the tool's types.
@Suite struct DesignConsistencyTests {
    struct Topic: Equatable, CustomStringConvertible {
        var partitions = 0
        var replicationFactor = 0
        var configs: [String: String] = [:]
        var description: String { "\(partitions)×RF\(replicationFactor) \(configs.sorted { $0.key < $1.key })" }
    }

    static func design(_ json: String) throws -> [String: Topic] {
        let topics = try #require(try CLIRunner.json(json)["topics"] as? [[String: Any]])
        return Dictionary(
            uniqueKeysWithValues: topics.map { t in
                let configs = (t["configs"] as? [[String: String]] ?? []).map { ($0["key"] ?? "", $0["value"] ?? "") }
                return (
                    t["name"] as? String ?? "",
                    Topic(
                        partitions: t["partitions"] as? Int ?? -1,
                        replicationFactor: t["replicationFactor"] as? Int ?? -1,
                        configs: Dictionary(uniqueKeysWithValues: configs))
                )
            })
    }

    static func terraform(_ tf: String) -> [String: Topic] {
        var out: [String: Topic] = [:]
        for chunk in tf.components(separatedBy: "resource \"kafka_topic\"").dropFirst() {
            var name = ""
            var t = Topic()
            for line in (chunk.components(separatedBy: "\n}\n").first ?? "").split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "name": name = parts[1]
                case "partitions": t.partitions = Int(parts[1]) ?? -1
                case "replication_factor": t.replicationFactor = Int(parts[1]) ?? -1
                default: if line.hasPrefix("    \"") { t.configs[parts[0]] = parts[1] }
                }
            }
            out[name] = t
        }
        return out
    }

    static func strimzi(_ yaml: String) -> [String: Topic] {
        var out: [String: Topic] = [:]
        for doc in yaml.components(separatedBy: "\n---\n") {
            var name = ""
            var t = Topic()
            var inConfig = false
            for line in doc.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                let value = { (prefix: String) in
                    String(trimmed.dropFirst(prefix.count)).trimmingCharacters(in: CharacterSet(charactersIn: " \""))
                }
                if trimmed.hasPrefix("topicName:") { name = value("topicName:") }
                if trimmed.hasPrefix("partitions:") { t.partitions = Int(value("partitions:")) ?? -1 }
                if trimmed.hasPrefix("replicas:") { t.replicationFactor = Int(value("replicas:")) ?? -1 }
                if trimmed == "config:" {
                    inConfig = true
                } else if inConfig, line.hasPrefix("    "), let colon = trimmed.firstIndex(of: ":") {
                    t.configs[String(trimmed[..<colon])] = value(String(trimmed[...colon]))
                }
            }
            if !name.isEmpty { out[name] = t }
        }
        return out
    }

    static func script(_ sh: String) -> [String: Topic] {
        var out: [String: Topic] = [:]
        for line in sh.split(separator: "\n") where line.contains("--create") {
            let words = line.split(separator: " ").map(String.init)
            var t = Topic()
            var name = ""
            for (i, w) in words.enumerated() where i + 1 < words.count {
                let next = words[i + 1]
                switch w {
                case "--topic": name = next.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
                case "--partitions": t.partitions = Int(next) ?? -1
                case "--replication-factor": t.replicationFactor = Int(next) ?? -1
                case "--config":
                    let kv = next.split(separator: "=", maxSplits: 1).map(String.init)
                    if kv.count == 2 { t.configs[kv[0]] = kv[1] }
                default: break
                }
            }
            out[name] = t
        }
        return out
    }

    /// A `topics:` entry named like a design entity overrides it in every output, not only in `plan`.
    @Test func aTopicsOverrideReachesEveryDeliverable() throws {
        let base = try String(
            contentsOf: CLIRunner.packageRoot.appendingPathComponent("examples/ecommerce.yaml"), encoding: .utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("override-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: path) }
        let listed =
            "topics:\n  - name: ecommerce.orders.events\n    messagesPerSecond: 2k\n    messageSize: 2KB\n    retention: 21d\n    retentionBytes: 50GB\n"
        try (base + "\n" + listed).write(to: path, atomically: true, encoding: .utf8)
        try everyTopicIsTheSameEverywhere(example: path.path)
        let designed = try Self.design(try CLIRunner.run(["design", path.path, "--format", "json"]).stdout)
        #expect(designed["ecommerce.orders.events"]?.configs["retention.ms"] == String(21 * 86_400_000))
        #expect(designed["ecommerce.orders.events"]?.configs["retention.bytes"] == "50000000000")
    }

    @Test(arguments: ["examples/ecommerce.yaml", "examples/vehicle-telemetry.yaml", "examples/payments.yaml"])
    func everyTopicIsTheSameEverywhere(example: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        try #require(try CLIRunner.run(["generate", example, "--target", "all", "--out", out.path]).status == 0)
        let read = { (path: String) in
            (try? String(contentsOf: out.appendingPathComponent(path), encoding: .utf8)) ?? ""
        }
        let designed = try Self.design(try CLIRunner.run(["design", example, "--format", "json"]).stdout)
        #expect(designed.count >= 5)
        let sources = [
            ("terraform/main.tf", Self.terraform(read("terraform/main.tf"))),
            ("strimzi/topics.yaml", Self.strimzi(read("strimzi/topics.yaml"))),
            ("scripts/create-topics.sh", Self.script(read("scripts/create-topics.sh"))),
        ]
        for (path, topics) in sources {
            #expect(Set(topics.keys) == Set(designed.keys), "\(path) has other topics")
            for (name, t) in designed {
                #expect(
                    topics[name] == t,
                    "\(path): \(name) is \(topics[name].map(String.init(describing:)) ?? "missing"), design says \(t)")
            }
        }
        // The plan sizes exactly the main topics the deliverables create, with their partitions and retention.
        let plan = try #require(
            try CLIRunner.json(try CLIRunner.run(["plan", example, "--format", "json"]).stdout)["topics"]
                as? [[String: Any]])
        #expect(!plan.isEmpty)
        for p in plan {
            let name = p["name"] as? String ?? ""
            let t = try #require(designed[name], "\(name) is planned but not designed")
            #expect(p["partitions"] as? Int == t.partitions, "\(name)")
            if let seconds = p["retentionSeconds"] as? Double, let ms = t.configs["retention.ms"] {
                #expect(Int64(seconds * 1000) == Int64(ms), "\(name): plan keeps \(seconds) s, the topic \(ms) ms")
            }
            // Kept forever: Kafka's -1 on the topic, no retention in the plan, and the horizon it is sized for.
            if p["keptForever"] as? Bool == true {
                #expect(t.configs["retention.ms"] == "-1" && p["retentionSeconds"] == nil, "\(name)")
                #expect(p["sizedForSeconds"] as? Double == Double(365 * 86_400))
            } else if t.configs["retention.ms"] == "-1" {
                Issue.record("\(name) is kept forever but the plan does not say so")
            }
        }
    }
}
