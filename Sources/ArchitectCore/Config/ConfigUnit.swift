// One configuration to review: a properties file, a Strimzi resource's config, or an architecture
// file's topic — with the line of every key, what kind of client or server it configures, and the
// Kafka version its defaults come from.

/// What a configuration configures.
public enum ConfigKind: String, Sendable, Equatable, CaseIterable, Codable {
    case broker, topic, producer, consumer, admin, streams, connect
    /// MirrorMaker 2 (connect-mirror-maker.properties, Strimzi KafkaMirrorMaker2).
    case mirrormaker
    /// One connector's configuration (connector.class; Connect REST JSON; Strimzi KafkaConnector).
    case connector
    /// Strimzi KafkaBridge (HTTP bridge): its producer and consumer settings.
    case bridge
    /// Strimzi KafkaNodePool: replicas, roles, storage, resources.
    case nodepool
    /// A Strimzi KafkaUser: authentication and ACLs.
    case user
}

/// Whose property names a file uses.
public enum ConfigDialect: String, Sendable, Equatable, Codable {
    case java
    case librdkafka
}

/// A Kafka release, for version-dependent defaults and removed settings.
public struct KafkaVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `3.7`, `3.7.1` or `4.0`; versions from 2.8 to 4.x are known.
    public init?(_ text: String) {
        let parts = text.split(separator: ".").map { Int($0) }
        guard parts.count >= 2, let major = parts[0], let minor = parts[1], (2...4).contains(major) else { return nil }
        if major == 2 && minor < 8 { return nil }
        self.init(major, minor)
    }

    public static let `default` = KafkaVersion(3, 9)
    public static func < (a: KafkaVersion, b: KafkaVersion) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
    public var description: String { "\(major).\(minor)" }
}

/// One key as written.
public struct ConfigSetting: Sendable, Equatable {
    public let key: String
    public let value: String
    public let line: Int

    public init(key: String, value: String, line: Int) {
        self.key = key
        self.value = value
        self.line = line
    }
}

/// An inline suppression: `# kafka-architect:disable KA-DUR-001 reason text`, applying to the next key
/// (or, with `disable-file`, to the whole file).
public struct Suppression: Sendable, Equatable {
    public let ruleId: String
    public let reason: String
    public let line: Int
    /// The key line it applies to; nil for the whole file.
    public let appliesToLine: Int?
}

public struct ConfigUnit: Sendable, Equatable {
    public var file: String
    /// Resource or topic name, when the file holds several configurations.
    public var name: String?
    public var kind: ConfigKind
    public var dialect: ConfigDialect
    /// Effective settings by key (the last occurrence wins), in Java names (librdkafka names mapped).
    public var settings: [String: ConfigSetting]
    /// Keys given more than once, with every line.
    public var duplicates: [String: [Int]]
    public var suppressions: [Suppression]
    /// The line to report when a finding is about a missing key.
    public var anchorLine: Int
    /// Replication factor and partitions, when the source states them (Strimzi KafkaTopic, architecture file).
    public var replicationFactor: Int?
    public var partitions: Int?
    /// How the kind was decided, shown in every output: "--kind", "Strimzi KafkaTopic", "keys: acks, linger.ms".
    public var detectedFrom: String = ""
    /// The Kafka version this configuration runs (Strimzi spec.kafka.version), overriding --kafka-version.
    public var version: KafkaVersion? = nil
    /// The Strimzi cluster it belongs to: a Kafka's name, or the strimzi.io/cluster label.
    public var cluster: String? = nil
    /// Defaults that come from elsewhere in the run (a KafkaTopic's from its Kafka's spec.kafka.config).
    public var inherited: [String: String] = [:]
    /// What the source declares about it beyond settings (architecture file: "global-ordering",
    /// "dead-letter", "state-stores").
    public var traits: Set<String> = []

    public init(
        file: String, name: String? = nil, kind: ConfigKind, dialect: ConfigDialect = .java,
        settings: [String: ConfigSetting],
        duplicates: [String: [Int]] = [:], suppressions: [Suppression] = [], anchorLine: Int = 1,
        replicationFactor: Int? = nil, partitions: Int? = nil
    ) {
        self.file = file
        self.name = name
        self.kind = kind
        self.dialect = dialect
        self.settings = settings
        self.duplicates = duplicates
        self.suppressions = suppressions
        self.anchorLine = anchorLine
        self.replicationFactor = replicationFactor
        self.partitions = partitions
    }

    public func value(_ key: String) -> String? { settings[key]?.value }
    public func line(_ key: String) -> Int { settings[key]?.line ?? anchorLine }
    /// Settings named `key` or ending in `.key` (a client or cluster prefix), by line.
    public func settings(endingIn key: String) -> [(String, ConfigSetting)] {
        settings.filter { $0.key == key || $0.key.hasSuffix("." + key) }.sorted {
            ($0.value.line, $0.key) < ($1.value.line, $1.key)
        }
        .map { ($0.key, $0.value) }
    }

    /// Reads client-prefixed keys (Streams' and Connect's `producer.acks`) under the client's name too,
    /// where the plain name is not set; the setting keeps its written key for messages.
    public mutating func aliasClientPrefixes() {
        for (name, setting) in settings.sorted(by: { $0.key < $1.key }) {
            for prefix in ["producer.", "main.consumer.", "consumer."] where name.hasPrefix(prefix) {
                let bare = String(name.dropFirst(prefix.count))
                // Security settings stay the worker's own: a client override does not secure the worker.
                let security = ["security.", "ssl.", "sasl."].contains { bare.hasPrefix($0) }
                if settings[bare] == nil && !security { settings[bare] = setting }
            }
        }
    }

    /// A setting as a whole number, when it is one.
    public func integer(_ key: String) -> Int? { value(key).flatMap { Int($0.trimmingSpaces()) } }
    /// Partitions as the source states them (Strimzi spec.partitions, --partitions, architecture file).
    public var partitionCount: Int? { partitions ?? integer("strimzi.partitions") }
    /// The Strimzi kind it was read from (Kafka, KafkaTopic, …), nil for other sources.
    public var strimziKind: String? { value("strimzi.kind") }
    public var isStrimzi: Bool { strimziKind != nil }
    public func has(_ key: String) -> Bool { settings[key] != nil }
}

extension ConfigUnit {
    /// Builds a unit from a parsed properties file, detecting kind and dialect unless given.
    public static func fromProperties(_ document: PropertiesDocument, file: String, kind: ConfigKind? = nil)
        -> ConfigUnit
    {
        let raw = document.effective
        let dialect = KindDetector.dialect(Set(raw.keys))
        var settings: [String: ConfigSetting] = [:]
        for (key, setting) in raw {
            let name = dialect == .librdkafka ? (LibrdkafkaNames.javaName[key] ?? key) : key
            settings[name] = ConfigSetting(key: key, value: setting.value, line: setting.line)
        }
        var lines: [String: [Int]] = [:]
        for e in document.entries { lines[e.key, default: []].append(e.line) }
        let duplicates = lines.filter { $0.value.count > 1 }
        let keyLines = document.entries.map(\.line).sorted()
        var suppressions: [Suppression] = []
        for c in document.comments {
            guard let s = SuppressionComment.parse(c.text, line: c.line) else { continue }
            let next = s.fileWide ? nil : keyLines.first { $0 > c.line }
            for id in s.ruleIds {
                suppressions.append(
                    Suppression(
                        ruleId: id, reason: s.reason, line: c.line, appliesToLine: next ?? (s.fileWide ? nil : -1)))
            }
        }
        let detected: ConfigKind
        let reason: String
        if let kind {
            (detected, reason) = (kind, "--kind")
        } else if case .kind(let k, let why) = KindDetector.detect(Set(settings.keys), file: file) {
            (detected, reason) = (k, why)
        } else {
            (detected, reason) = (.admin, "no distinctive key")
        }
        var unit = ConfigUnit(
            file: file, kind: detected, dialect: dialect, settings: settings, duplicates: duplicates,
            suppressions: suppressions, anchorLine: 0)
        // Streams and Connect pass producer./consumer. keys to their clients.
        if detected == .streams || detected == .connect { unit.aliasClientPrefixes() }
        unit.detectedFrom = reason
        return unit
    }
}

/// `kafka-architect:disable ID[,ID] reason` or `kafka-architect:disable-file ID reason`.
enum SuppressionComment {
    struct Parsed {
        let ruleIds: [String]
        let reason: String
        let fileWide: Bool
    }

    static func parse(_ comment: String, line: Int) -> Parsed? {
        var text = Substring(comment.drop { $0 == "#" || $0 == "!" || $0 == " " })
        let marker: String
        if text.hasPrefix("kafka-architect:disable-file ") {
            marker = "kafka-architect:disable-file "
        } else if text.hasPrefix("kafka-architect:disable ") {
            marker = "kafka-architect:disable "
        } else {
            return nil
        }
        text = text.dropFirst(marker.count)
        let parts = text.split(separator: " ", maxSplits: 1)
        guard let ids = parts.first else { return nil }
        let reason = parts.count > 1 ? String(parts[1]).trimmingSpaces() : ""
        return Parsed(
            ruleIds: ids.split(separator: ",").map(String.init), reason: reason, fileWide: marker.contains("file"))
    }
}

/// librdkafka property names with a Java client equivalent, so one rule reads both.
public enum LibrdkafkaNames {
    public static let javaName: [String: String] = [
        "queue.buffering.max.ms": "linger.ms",
        "request.required.acks": "acks",
        "message.send.max.retries": "retries",
        "max.in.flight": "max.in.flight.requests.per.connection",
        "compression.codec": "compression.type",
        "sasl.mechanisms": "sasl.mechanism",
        "fetch.message.max.bytes": "max.partition.fetch.bytes",
        "message.max.bytes": "max.request.size",
        "message.timeout.ms": "delivery.timeout.ms",
        "retry.backoff.ms": "retry.backoff.ms",
    ]

    /// Names only librdkafka uses: any of them marks a file as librdkafka's.
    public static let only: Set<String> = [
        "queue.buffering.max.ms", "queue.buffering.max.messages", "queue.buffering.max.kbytes",
        "message.send.max.retries",
        "request.required.acks", "compression.codec", "batch.num.messages", "socket.keepalive.enable",
        "enable.auto.offset.store",
        "statistics.interval.ms", "topic.metadata.refresh.interval.ms", "api.version.request", "sasl.mechanisms",
        "enable.ssl.certificate.verification", "fetch.message.max.bytes", "message.timeout.ms",
        "sticky.partitioning.linger.ms",
        "partitioner", "debug", "queued.min.messages", "broker.version.fallback", "enable.partition.eof",
        "max.in.flight",
        "ssl.ca.location", "ssl.certificate.location", "ssl.key.location", "coordinator.query.interval.ms", "log_level",
    ]
}

/// Guesses what a configuration configures from its keys (then its file name), or says it is not
/// a Kafka configuration at all.
public enum KindDetector {
    public enum Detection: Sendable, Equatable {
        /// The kind, and what gave it away ("keys: acks, linger.ms").
        case kind(ConfigKind, String)
        /// Not a Kafka configuration: what it looks like instead.
        case notKafka(String)
    }

    static let markers: [(ConfigKind, [String])] = [
        (
            .broker,
            [
                "broker.id", "node.id", "process.roles", "listeners", "log.dirs", "log.dir", "zookeeper.connect",
                "num.partitions", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
                "controller.listener.names", "inter.broker.listener.name", "advertised.listeners",
                "log.retention.hours", "default.replication.factor", "offsets.topic.replication.factor",
                "auto.create.topics.enable", "num.network.threads", "num.io.threads", "log.segment.bytes",
                "transaction.state.log.replication.factor", "group.initial.rebalance.delay.ms",
            ]
        ),
        (.streams, ["application.id", "processing.guarantee", "num.stream.threads", "default.key.serde", "state.dir"]),
        (
            .connect,
            [
                "config.storage.topic", "offset.storage.topic", "status.storage.topic", "plugin.path",
                "key.converter", "value.converter", "offset.storage.file.filename", "offset.flush.interval.ms",
            ]
        ),
        (
            .producer,
            [
                "acks", "key.serializer", "value.serializer", "enable.idempotence", "linger.ms", "batch.size",
                "transactional.id", "max.in.flight.requests.per.connection", "retries", "delivery.timeout.ms",
                "buffer.memory", "max.request.size", "partitioner.class", "queue.buffering.max.messages",
                "batch.num.messages", "compression.type",
            ]
        ),
        (
            .consumer,
            [
                "group.id", "key.deserializer", "value.deserializer", "enable.auto.commit", "auto.offset.reset",
                "max.poll.records", "max.poll.interval.ms", "isolation.level", "session.timeout.ms",
                "heartbeat.interval.ms", "fetch.min.bytes", "max.partition.fetch.bytes", "group.instance.id",
                "enable.auto.offset.store", "partition.assignment.strategy", "client.rack", "group.protocol",
            ]
        ),
        (
            .topic,
            [
                "cleanup.policy", "retention.ms", "retention.bytes", "segment.bytes", "segment.ms", "max.message.bytes",
                "min.compaction.lag.ms", "message.timestamp.type", "local.retention.ms", "remote.storage.enable",
            ]
        ),
    ]

    /// Keys of a ZooKeeper server's zoo.cfg / zookeeper.properties.
    static let zookeeperKeys: Set<String> = [
        "dataDir", "dataLogDir", "clientPort", "tickTime", "initLimit", "syncLimit", "maxClientCnxns",
        "admin.enableServer", "admin.serverPort", "4lw.commands.whitelist", "autopurge.snapRetainCount",
        "autopurge.purgeInterval",
    ]

    public static func dialect(_ keys: Set<String>) -> ConfigDialect {
        keys.contains { LibrdkafkaNames.only.contains($0) } ? .librdkafka : .java
    }

    /// The kind whose marker keys appear most; ties go to the earlier (more specific) kind; none: admin.
    public static func kind(_ keys: Set<String>, dialect: ConfigDialect = .java) -> ConfigKind {
        if case .kind(let k, _) = detect(keys, file: "") { return k }
        return .admin
    }

    // Long because: the decision list, most distinctive evidence first, reads best in one place.
    public static func detect(_ keys: Set<String>, file: String) -> Detection {
        func because(_ kind: ConfigKind, _ found: [String]) -> Detection {
            .kind(kind, "keys: " + found.prefix(3).joined(separator: ", "))
        }
        // Sorted wherever a key is named: a Set's order changes from run to run.
        let sortedKeys = keys.sorted()
        if let k = sortedKeys.first(where: {
            $0.hasPrefix("log4j.") || $0.hasPrefix("log4j2.") || $0.hasPrefix("appender.")
        })
            ?? sortedKeys.first(where: { $0 == "rootLogger" || $0.hasPrefix("rootLogger.") || $0.hasPrefix("logger.") })
        {
            return .notKafka("a log4j logging configuration (\(k))")
        }
        let zk = keys.intersection(zookeeperKeys)
        if !zk.isEmpty && !keys.contains("broker.id") && !keys.contains("node.id") && !keys.contains("process.roles") {
            return .notKafka("a ZooKeeper server configuration (\(zk.sorted().prefix(2).joined(separator: ", ")))")
        }
        let code = keys.filter { k in
            k.contains("(") || k.contains(";") || k.hasPrefix("//") || k.hasPrefix("/*") || k.hasPrefix("*")
                || ["import", "package", "public", "private", "final", "return", "}", "{"].contains(k)
        }
        if code.count * 3 >= keys.count && !code.isEmpty {
            return .notKafka("source code, not properties (\(code.sorted().first ?? ""))")
        }
        if keys.contains("connector.class") { return because(.connector, ["connector.class"]) }
        let aliasKeys = sortedKeys.filter {
            $0.contains("->") || ($0.hasSuffix(".bootstrap.servers") && $0 != "bootstrap.servers")
        }
        if keys.contains("clusters") && !aliasKeys.isEmpty { return because(.mirrormaker, ["clusters"] + aliasKeys) }
        if keys.contains("application.id") { return because(.streams, ["application.id"]) }
        // Markers in their list order: the most distinctive first.
        var scores: [(ConfigKind, [String])] = markers.map { kind, list in (kind, list.filter { keys.contains($0) }) }
        // A Connect worker also has REST `listeners`; its storage topics and converters decide.
        let connect = scores.first { $0.0 == .connect }?.1 ?? []
        if !connect.isEmpty { return because(.connect, connect) }
        let broker = scores.first { $0.0 == .broker }?.1 ?? []
        if !broker.isEmpty { return because(.broker, broker) }
        let isClient = keys.contains("bootstrap.servers") || keys.contains("metadata.broker.list")
        if !isClient { scores = scores.filter { $0.0 == .topic } + scores.filter { $0.0 != .topic } }
        if let best = scores.filter({ !$0.1.isEmpty && (isClient ? $0.0 != .topic : true) })
            .max(by: { $0.1.count < $1.1.count || ($0.1.count == $1.1.count && rank($0.0) > rank($1.0)) })
        {
            if isClient, let hinted = nameHint(file), hinted != best.0,
                scores.first(where: { $0.0 == hinted })?.1.count == best.1.count
            {
                return .kind(hinted, "file name")
            }
            return because(best.0, best.1)
        }
        if let hinted = nameHint(file) { return .kind(hinted, "file name") }
        let known = keys.filter {
            KnownKeys.all.contains($0) || LibrdkafkaNames.only.contains($0) || $0.hasPrefix("ssl.")
                || $0.hasPrefix("sasl.")
        }
        if isClient || !known.isEmpty {
            return .kind(
                .admin,
                known.isEmpty ? "keys: bootstrap.servers" : "keys: " + known.sorted().prefix(3).joined(separator: ", "))
        }
        return .notKafka(keys.isEmpty ? "an empty file" : "no Kafka setting found")
    }

    /// Earlier kinds win ties.
    static func rank(_ kind: ConfigKind) -> Int { markers.firstIndex { $0.0 == kind } ?? markers.count }

    /// A kind the file's name gives: producer.properties, my-consumer.conf, streams.properties.
    static func nameHint(_ file: String) -> ConfigKind? {
        let name = (file.split(separator: "/").last.map(String.init) ?? file).lowercased()
        for (word, kind) in [
            ("producer", ConfigKind.producer), ("consumer", .consumer), ("streams", .streams), ("admin", .admin),
        ] where name.contains(word) {
            return kind
        }
        return nil
    }
}
