// Reads the architecture file (YAML) into the model, keeping the line of every field so that
// every error — syntax, unknown field, bad unit, broken rule — points at the line to fix.

import ArchitectCore
import Yams

public enum ArchitectureFile {
    /// Parses and validates an architecture file's text.
    /// - Parameters:
    ///   - text: the YAML document.
    ///   - file: the name used in error messages.
    /// - Returns: the architecture, valid for planning.
    /// - Throws: `ArchitectureFileError` naming the file, line and field.
    public static func parse(_ text: String, file: String, catalog: InstanceCatalog = .builtIn)
        throws(ArchitectureFileError) -> Architecture
    {
        try parseWithLines(text, file: file, catalog: catalog).architecture
    }

    /// Parses like `parse`, and also returns the line of every field by its path (e.g. `topics[0]`).
    public static func parseWithLines(_ text: String, file: String, catalog: InstanceCatalog = .builtIn)
        throws(ArchitectureFileError) -> (architecture: Architecture, lines: [String: Int])
    {
        let (architecture, locator) = try read(text, file: file)
        if let error = locator.firstError(architecture, catalog: catalog) { throw error }
        return (architecture, locator.reader.marks.mapValues(\.line))
    }

    /// Reads the file's fields without checking the model's rules, so a caller can change the model first
    /// (a command's flags override the file) and then ask the locator what is still wrong, at its line.
    public static func read(_ text: String, file: String) throws(ArchitectureFileError) -> (Architecture, FieldLocator)
    {
        var reader = Reader(file: file)
        let architecture: Architecture
        do {
            architecture = try reader.read(text)
        } catch let e as ArchitectureFileError {
            throw e
        } catch {
            throw ArchitectureFileError(file: file, line: 0, column: 0, field: "", message: "cannot read: \(error)")
        }
        return (architecture, FieldLocator(reader: reader))
    }
}

/// Where each field of a file is, so a rule the model breaks is reported at its line.
public struct FieldLocator {
    let reader: Reader

    /// The first rule `architecture` breaks, at the line of its field, or nil when it is valid.
    public func firstError(_ architecture: Architecture, catalog: InstanceCatalog = .builtIn) -> ArchitectureFileError?
    {
        if let first = architecture.validationErrors(catalog: catalog).first {
            return reader.error(at: reader.filePath(first.field), first.message)
        }
        if let first = architecture.designErrors().first {
            return reader.error(at: reader.filePath(first.field), first.message)
        }
        return nil
    }

    /// An error at a model field's line (`topics[0].messagesPerSecond`, `entities[2].key`).
    public func error(at field: String, _ message: String) -> ArchitectureFileError {
        reader.error(at: reader.filePath(field), message)
    }
}

/// Walks the YAML node tree, one typed accessor per kind of field.
struct Reader {
    let file: String
    /// Every field's position, by path, for errors found after reading (model validation).
    var marks: [String: Mark] = [:]

    init(file: String) { self.file = file }

    /// Maps a core path (`entities[3].key`) to the file's (`domains[1].entities[0].key`).
    func filePath(_ field: String) -> String {
        // Sized topics are numbered among themselves in the model; managed-only entries sit between them.
        if field.hasPrefix("topics["), let close = field.firstIndex(of: "]"),
            let k = Int(field[field.index(field.startIndex, offsetBy: 7)..<close]), k < topicPaths.count
        {
            return topicPaths[k] + field[field.index(after: close)...]
        }
        guard field.hasPrefix("entities["), let close = field.firstIndex(of: "]"),
            let k = Int(field[field.index(field.startIndex, offsetBy: 9)..<close]), k < entityPaths.count
        else { return field }
        return entityPaths[k] + field[field.index(after: close)...]
    }

    func error(at field: String, _ message: String) -> ArchitectureFileError {
        // Fall back to the nearest enclosing field that has a position.
        var path = field
        while marks[path] == nil, let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) {
            path = String(path[..<cut])
        }
        let mark = marks[path] ?? marks[""]
        return ArchitectureFileError(
            file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, field: field, message: message)
    }

    func error(_ node: Node, _ field: String, _ message: String) -> ArchitectureFileError {
        ArchitectureFileError(
            file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, field: field, message: message)
    }

    mutating func read(_ text: String) throws -> Architecture {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw yamlError(e, text: text)
        }
        guard let root else {
            throw ArchitectureFileError(
                file: file, line: 0, column: 0, field: "",
                message: "the file is empty; start from examples/log-pipeline.yaml")
        }
        marks[""] = root.mark
        let fields = try mapping(
            root, "",
            known: [
                "version", "name", "description", "environment", "policy", "topics",
                "naming", "domains", "services", "tenants", "slos", "coPartition", "acls", "quotas", "clusters",
            ])
        var arch = Architecture(topics: [])
        if let v = fields["version"] {
            let version = try int(v, "version")
            guard version == 1 else {
                throw error(v, "version", "version \(version) is not supported; this tool reads version 1")
            }
        }
        if let n = fields["name"] { arch.name = try string(n, "name") }
        if let e = fields["environment"] { arch.environment = try environment(e) }
        if let p = fields["policy"] { arch.policy = try policy(p) }
        (arch.clusters, arch.design) = try clustersAndDesign(fields)
        try resources(fields, into: &arch)
        guard let t = fields["topics"] else {
            if arch.design != nil || !arch.managed.acls.isEmpty || !arch.managed.quotas.isEmpty { return arch }
            throw error(
                root, "topics",
                "missing: describe at least one topic (name, messagesPerSecond, messageSize), or domains and services")
        }
        var managedAt: [String: Int] = [:]
        for (i, node) in try sequence(t, "topics").enumerated() {
            let (workload, managed) = try topicEntry(node, "topics[\(i)]")
            if let workload {
                topicPaths.append("topics[\(i)]")
                arch.topics.append(workload)
            }
            if let managed {
                if let first = managedAt[KafkaNames.collisionKey(managed.name)] {
                    throw error(
                        at: "topics[\(i)].name",
                        "a topic named \(arch.managed.topics.first { KafkaNames.collisionKey($0.name) == KafkaNames.collisionKey(managed.name) }?.name ?? managed.name) is already given at topics[\(first)] (Kafka treats '.' and '_' alike in topic names); keep one"
                    )
                }
                managedAt[KafkaNames.collisionKey(managed.name)] = i
                arch.managed.topics.append(managed)
            }
        }
        return arch
    }

    // MARK: Sections

    mutating func environment(_ node: Node) throws -> Environment {
        let f = try mapping(
            node, "environment",
            known: [
                "provider", "region", "availabilityZones", "instance", "brokers", "storage", "tieredStorage",
                "followerFetching", "controller", "tls", "machines", "stage", "pricing", "controllers",
            ])
        var env = Environment()
        if let v = f["provider"] { env.provider = try choice(v, "environment.provider", Provider.self) }
        if let v = f["region"] { env.region = try string(v, "environment.region") }
        if let v = f["availabilityZones"] { env.availabilityZones = try int(v, "environment.availabilityZones") }
        if let v = f["instance"] {
            let s = try string(v, "environment.instance")
            env.instance = s == "auto" ? nil : s
        }
        if let v = f["brokers"] {
            let s = try string(v, "environment.brokers")
            env.brokers = s == "auto" ? nil : try int(v, "environment.brokers")
        }
        if let v = f["storage"] { env.storage = try choice(v, "environment.storage", StorageType.self) }
        if let v = f["tieredStorage"] {
            let t = try mapping(v, "environment.tieredStorage", known: ["enabled", "localRetention"])
            let enabled = try t["enabled"].map { try bool($0, "environment.tieredStorage.enabled") } ?? true
            let local =
                try t["localRetention"].map { try duration($0, "environment.tieredStorage.localRetention") } ?? 86_400
            env.tieredStorage = enabled ? TieredStorage(localRetentionSeconds: local) : nil
        }
        if let v = f["followerFetching"] { env.followerFetching = try bool(v, "environment.followerFetching") }
        if let v = f["controller"] { env.controller = try choice(v, "environment.controller", ControllerMode.self) }
        if let v = f["tls"] { env.tls = try bool(v, "environment.tls") }
        if let v = f["stage"] { env.stage = try choice(v, "environment.stage", Stage.self) }
        if let v = f["pricing"] { env.pricing = try choice(v, "environment.pricing", Pricing.self) }
        if let v = f["controllers"] { env.controllers = try int(v, "environment.controllers") }
        if let v = f["machines"] {
            env.machines = try sequence(v, "environment.machines").enumerated().map { i, m in
                try machine(m, "environment.machines[\(i)]")
            }
        }
        return env
    }

    mutating func machine(_ node: Node, _ path: String) throws -> InstanceType {
        let f = try mapping(
            node, path,
            known: ["name", "vcpus", "memory", "network", "diskThroughput", "localDisks", "localDiskSize", "hourlyUSD"])
        func need(_ key: String) throws -> Node {
            guard let v = f[key] else {
                throw error(
                    node, "\(path).\(key)",
                    "missing: a machine needs name, vcpus, memory, network, diskThroughput and hourlyUSD")
            }
            return v
        }
        let disks = try f["localDisks"].map { try int($0, "\(path).localDisks") } ?? 0
        let diskSize = try f["localDiskSize"].map { try bytes($0, "\(path).localDiskSize") } ?? 0
        if disks > 0 && diskSize <= 0 {
            throw error(
                node, "\(path).localDiskSize", "missing: give the size of each of the \(disks) local drives, e.g. 7.5TB"
            )
        }
        let disk = try byteRate(need("diskThroughput"), "\(path).diskThroughput")
        return InstanceType(
            name: try string(need("name"), "\(path).name"),
            vcpus: try int(need("vcpus"), "\(path).vcpus"),
            memoryBytes: try bytes(need("memory"), "\(path).memory"),
            networkBaselineBytesPerSecond: try byteRate(need("network"), "\(path).network"),
            blockStorageBytesPerSecond: disk,
            localDisks: Array(repeating: diskSize, count: max(0, disks)),
            localDiskWriteBytesPerSecond: disks > 0 ? disk : 0,
            hourlyUSD: try number(need("hourlyUSD"), "\(path).hourlyUSD")
        )
    }

    mutating func policy(_ node: Node) throws -> Policy {
        let f = try mapping(
            node, "policy",
            known: [
                "replicationFactor", "minInsyncReplicas", "targetUtilization", "freeSpaceMargin", "growthFactor",
                "maxStoragePerBroker", "partitionWriteThroughput", "partitionReadThroughput", "cpuThroughputPerCore",
                "recoveryTarget", "failureCeiling", "cacheMissReadShare", "produceLatencyP99", "producerLinger",
                "crossZoneRoundTrip",
            ])
        var p = Policy()
        if let v = f["replicationFactor"] { p.replicationFactor = try int(v, "policy.replicationFactor") }
        if let v = f["minInsyncReplicas"] { p.minInsyncReplicas = try int(v, "policy.minInsyncReplicas") }
        if let v = f["targetUtilization"] { p.targetUtilization = try fraction(v, "policy.targetUtilization") }
        if let v = f["freeSpaceMargin"] { p.freeSpaceMargin = try fraction(v, "policy.freeSpaceMargin") }
        if let v = f["growthFactor"] { p.growthFactor = try factor(v, "policy.growthFactor") }
        if let v = f["maxStoragePerBroker"] { p.maxStoragePerBroker = try bytes(v, "policy.maxStoragePerBroker") }
        if let v = f["partitionWriteThroughput"] {
            p.partitionWriteThroughput = try byteRate(v, "policy.partitionWriteThroughput")
        }
        if let v = f["partitionReadThroughput"] {
            p.partitionReadThroughput = try byteRate(v, "policy.partitionReadThroughput")
        }
        if let v = f["cpuThroughputPerCore"] { p.cpuThroughputPerCore = try byteRate(v, "policy.cpuThroughputPerCore") }
        if let v = f["recoveryTarget"] { p.recoveryTargetSeconds = try duration(v, "policy.recoveryTarget") }
        if let v = f["failureCeiling"] { p.failureCeiling = try fraction(v, "policy.failureCeiling") }
        if let v = f["cacheMissReadShare"] { p.cacheMissReadShare = try fraction(v, "policy.cacheMissReadShare") }
        if let v = f["produceLatencyP99"] { p.produceLatencyP99Seconds = try duration(v, "policy.produceLatencyP99") }
        if let v = f["producerLinger"] { p.producerLingerSeconds = try duration(v, "policy.producerLinger") }
        if let v = f["crossZoneRoundTrip"] {
            p.crossZoneRoundTripSeconds = try duration(v, "policy.crossZoneRoundTrip")
        }
        return p
    }

    mutating func topic(_ node: Node, _ path: String) throws -> TopicWorkload {
        let f = try mapping(
            node, path,
            known: [
                "name", "description", "messagesPerSecond", "messageSize", "compression", "compressionRatio",
                "retention", "retentionBytes", "consumerGroups", "peakToAverage", "partitions", "consumers",
                "processingTime", "lowVolume", "ordering", "compressionType", "replicationFactor", "configs", "keyed",
            ])
        func need(_ key: String, _ example: String) throws -> Node {
            guard let v = f[key] else { throw error(node, "\(path).\(key)", "missing: add e.g. `\(key): \(example)`") }
            return v
        }
        let name = try string(need("name", "orders"), "\(path).name")
        let codec = try f["compression"].map { try choice($0, "\(path).compression", CompressionCodec.self) } ?? .none
        var t = TopicWorkload(
            name: name,
            messagesPerSecond: try count(need("messagesPerSecond", "50k"), "\(path).messagesPerSecond"),
            messageSize: try bytes(need("messageSize", "1KB"), "\(path).messageSize"),
            compression: codec,
            compressionRatio: try f["compressionRatio"].map { try factor($0, "\(path).compressionRatio") }
        )
        if let v = f["retention"] {
            let s = try string(v, "\(path).retention")
            t.retentionSeconds = (s == "infinite" || s == "forever") ? nil : try duration(v, "\(path).retention")
            if t.retentionSeconds == nil && f["retentionBytes"] == nil {
                throw error(
                    v, "\(path).retention",
                    "infinite retention needs a size limit: add retentionBytes (per partition), e.g. 100GB")
            }
        }
        if let v = f["retentionBytes"] { t.retentionBytesPerPartition = try bytes(v, "\(path).retentionBytes") }
        if let v = f["consumerGroups"] { t.consumerGroups = try int(v, "\(path).consumerGroups") }
        if let v = f["peakToAverage"] { t.peakToAverage = try factor(v, "\(path).peakToAverage") }
        if let v = f["consumers"] { t.consumers = try int(v, "\(path).consumers") }
        if let v = f["processingTime"] { t.processingTimeSeconds = try duration(v, "\(path).processingTime") }
        if let v = f["lowVolume"] { t.lowVolume = try bool(v, "\(path).lowVolume") }
        if let v = f["compressionType"] {
            let s = try string(v, "\(path).compressionType")
            t.topicCompression =
                s == "producer" ? nil : try choice(v, "\(path).compressionType", CompressionCodec.self)
        }
        if let v = f["ordering"] { t.globalOrdering = try choice(v, "\(path).ordering", OrderingNeed.self) == .total }
        if let v = f["partitions"] {
            let s = try string(v, "\(path).partitions")
            t.partitions = s == "auto" ? nil : try int(v, "\(path).partitions")
        }
        return t
    }

    // MARK: Design

    /// File paths of the flattened entities, so core errors (`entities[k]`) point at their lines.
    var entityPaths: [String] = []
    /// File paths of the sized topics (model `topics[k]`), which managed-only entries do not count in.
    var topicPaths: [String] = []

    mutating func design(_ fields: [String: Node]) throws -> DesignModel {
        var d = DesignModel()
        if let n = fields["naming"] {
            if case .mapping = n {
                let m = try mapping(n, "naming", known: ["convention"])
                if let c = m["convention"] { d.naming = try string(c, "naming.convention") }
            } else {
                d.naming = try string(n, "naming")
            }
        }
        if let t = fields["tenants"] {
            d.tenants = try sequence(t, "tenants").enumerated().map { i, node in try tenant(node, "tenants[\(i)]") }
        }
        if let c = fields["coPartition"] {
            d.coPartition = try sequence(c, "coPartition").enumerated().map { i, group in
                try sequence(group, "coPartition[\(i)]").enumerated().map { j, n in
                    let path = "coPartition[\(i)][\(j)]"
                    marks[path] = n.mark
                    return try string(n, path)
                }
            }
        }
        if let ds = fields["domains"] {
            for (i, node) in try sequence(ds, "domains").enumerated() {
                let path = "domains[\(i)]"
                let f = try mapping(node, path, known: ["name", "description", "tenant", "entities"])
                guard let nameNode = f["name"] else {
                    throw error(node, "\(path).name", "missing: every domain needs a name")
                }
                let domain = try string(nameNode, "\(path).name")
                let tenant = try f["tenant"].map { try string($0, "\(path).tenant") }
                for (j, e) in try sequence(f["entities"] ?? .sequence(.init([])), "\(path).entities").enumerated() {
                    var entity = try entitySpec(e, "\(path).entities[\(j)]", domain: domain)
                    if entity.tenant == nil { entity.tenant = tenant }
                    d.entities.append(entity)
                    entityPaths.append("\(path).entities[\(j)]")
                }
            }
        }
        if let ss = fields["services"] {
            d.services = try sequence(ss, "services").enumerated().map { i, node in try service(node, "services[\(i)]")
            }
        }
        d.slos = try fields["slos"].map { try slos($0) } ?? ServiceLevels()
        return d
    }

    mutating func entitySpec(_ node: Node, _ path: String, domain: String) throws -> EntitySpec {
        let f = try mapping(
            node, path,
            known: [
                "name", "description", "kind", "key", "fields", "orderBy", "ordering", "messagesPerSecond",
                "messageSize", "peakToAverage", "schema", "compatibility", "retention", "tenant", "external", "cluster",
                "retentionBytes", "partitions", "tieredStorage", "pii", "maxMessageSize", "keyCardinality",
                "hotKeyShare", "replication",
            ])
        func need(_ key: String, _ example: String) throws -> Node {
            guard let v = f[key] else { throw error(node, "\(path).\(key)", "missing: add e.g. `\(key): \(example)`") }
            return v
        }
        var e = EntitySpec(
            domain: domain, name: try string(need("name", "orders"), "\(path).name"),
            messagesPerSecond: try count(need("messagesPerSecond", "2k"), "\(path).messagesPerSecond"),
            messageSize: try bytes(need("messageSize", "1KB"), "\(path).messageSize"))
        if let v = f["kind"] { e.kind = try choice(v, "\(path).kind", StreamKind.self) }
        if let v = f["key"] { e.key = try string(v, "\(path).key") }
        if let v = f["fields"] {
            e.fields = try sequence(v, "\(path).fields").enumerated().map { i, n in
                try string(n, "\(path).fields[\(i)]")
            }
        }
        if let v = f["orderBy"] { e.orderBy = try string(v, "\(path).orderBy") }
        if let v = f["ordering"] { e.ordering = try choice(v, "\(path).ordering", OrderingNeed.self) }
        if let v = f["peakToAverage"] { e.peakToAverage = try factor(v, "\(path).peakToAverage") }
        if let v = f["schema"] { e.schema = try choice(v, "\(path).schema", SchemaFormat.self) }
        if let v = f["compatibility"] {
            e.compatibility = try choice(v, "\(path).compatibility", SchemaCompatibility.self)
        }
        try entityData(&e, f, path)
        if let v = f["tenant"] { e.tenant = try string(v, "\(path).tenant") }
        if let v = f["external"] { e.external = try bool(v, "\(path).external") }
        if let v = f["cluster"] { e.cluster = try string(v, "\(path).cluster") }
        if let v = f["replication"] { e.replication = try choice(v, "\(path).replication", ReplicationIntent.self) }
        return e
    }

    /// What an entity says about its data: retention (or `forever`), size limit, fixed partitions,
    /// tiering, personal data, record size, keys.
    func entityData(_ e: inout EntitySpec, _ f: [String: Node], _ path: String) throws {
        if let v = f["retention"] {
            let s = try scalar(v, "\(path).retention")
            if s == "forever" || s == "infinite" {
                e.retainForever = true
            } else {
                guard let seconds = try? duration(v, "\(path).retention") else {
                    throw error(v, "\(path).retention", "'\(s)' is not a duration such as 7d, 36h or 90m, nor forever")
                }
                e.retentionSeconds = seconds
            }
        }
        if let v = f["retentionBytes"] { e.retentionBytesPerPartition = try bytes(v, "\(path).retentionBytes") }
        if let v = f["partitions"] {
            let n = try int(v, "\(path).partitions")
            guard n >= 1, n <= 100_000 else {
                throw error(v, "\(path).partitions", "must be from 1 to 100000 (a fixed partition count)")
            }
            e.partitions = n
        }
        if let v = f["tieredStorage"] { e.tieredStorage = try bool(v, "\(path).tieredStorage") }
        if let v = f["pii"] { e.pii = try bool(v, "\(path).pii") }
        if let v = f["maxMessageSize"] {
            let size = try bytes(v, "\(path).maxMessageSize")
            guard size >= 1, size <= 2_147_483_647 else {
                throw error(v, "\(path).maxMessageSize", "must be from 1B to 2GB (Kafka's limits are 32-bit)")
            }
            e.maxMessageSize = size
        }
        if let v = f["keyCardinality"] {
            let n = try count(v, "\(path).keyCardinality")
            guard n >= 1 else { throw error(v, "\(path).keyCardinality", "must be at least 1 distinct key") }
            e.keyCardinality = n
        }
        if let v = f["hotKeyShare"] { e.hotKeyShare = try fraction(v, "\(path).hotKeyShare") }
    }

    mutating func service(_ node: Node, _ path: String) throws -> ServiceSpec {
        let f = try mapping(
            node, path,
            known: ["name", "description", "kind", "domain", "tenant", "principal", "cluster", "produces", "consumes"])
        guard let n = f["name"] else { throw error(node, "\(path).name", "missing: every service needs a name") }
        var s = ServiceSpec(name: try string(n, "\(path).name"))
        if let v = f["kind"] { s.kind = try choice(v, "\(path).kind", ServiceKind.self) }
        if let v = f["domain"] { s.domain = try string(v, "\(path).domain") }
        if let v = f["tenant"] { s.tenant = try string(v, "\(path).tenant") }
        if let v = f["principal"] { s.principal = try string(v, "\(path).principal") }
        if let v = f["cluster"] { s.cluster = try string(v, "\(path).cluster") }
        if let v = f["produces"] {
            s.produces = try sequence(v, "\(path).produces").enumerated().map { i, u in
                try streamUse(u, "\(path).produces[\(i)]", consumer: false)
            }
        }
        if let v = f["consumes"] {
            s.consumes = try sequence(v, "\(path).consumes").enumerated().map { i, u in
                try streamUse(u, "\(path).consumes[\(i)]", consumer: true)
            }
        }
        return s
    }

    /// A stream use: a plain name, or a mapping with the guarantee and processing details.
    mutating func streamUse(_ node: Node, _ path: String, consumer: Bool) throws -> StreamUse {
        if case .scalar = node {
            marks["\(path).stream"] = node.mark
            return StreamUse(stream: try string(node, path))
        }
        let known =
            consumer
            ? [
                "stream", "guarantee", "processingTime", "idempotent", "consumers", "concurrency", "maxLag",
                "sideEffects",
                "offsetReset", "maxPollRecords",
            ]
            : ["stream", "guarantee"]
        let f = try mapping(node, path, known: known)
        guard let st = f["stream"] else {
            throw error(node, "\(path).stream", "missing: name the stream, e.g. `stream: ecommerce.orders.events`")
        }
        var u = StreamUse(stream: try string(st, "\(path).stream"))
        if let v = f["guarantee"] { u.guarantee = try choice(v, "\(path).guarantee", DeliveryGuarantee.self) }
        if let v = f["processingTime"] { u.processingTimeSeconds = try duration(v, "\(path).processingTime") }
        if let v = f["idempotent"] { u.idempotent = try bool(v, "\(path).idempotent") }
        if let v = f["consumers"] { u.consumers = try int(v, "\(path).consumers") }
        if let v = f["concurrency"] {
            let c = try int(v, "\(path).concurrency")
            guard c >= 1, c <= 100_000 else {
                throw error(
                    v, "\(path).concurrency", "must be from 1 to 100000: records each instance processes at once")
            }
            u.concurrency = c
        }
        if let v = f["maxLag"] { u.maxLagSeconds = try duration(v, "\(path).maxLag") }
        if let v = f["sideEffects"] { u.sideEffects = try bool(v, "\(path).sideEffects") }
        if let v = f["offsetReset"] { u.offsetReset = try choice(v, "\(path).offsetReset", OffsetReset.self) }
        if let v = f["maxPollRecords"] {
            let n = try int(v, "\(path).maxPollRecords")
            guard n >= 1, n <= 100_000 else {
                throw error(v, "\(path).maxPollRecords", "must be from 1 to 100000: records one poll returns")
            }
            u.maxPollRecords = n
        }
        return u
    }

    mutating func tenant(_ node: Node, _ path: String) throws -> TenantSpec {
        let f = try mapping(node, path, known: ["name", "prefix", "principals", "quotas"])
        guard let n = f["name"] else { throw error(node, "\(path).name", "missing: every tenant needs a name") }
        let name = try string(n, "\(path).name")
        var t = TenantSpec(name: name, prefix: try f["prefix"].map { try string($0, "\(path).prefix") } ?? "\(name).")
        if let v = f["principals"] {
            t.principals = try sequence(v, "\(path).principals").enumerated().map { i, p in
                try string(p, "\(path).principals[\(i)]")
            }
        }
        if let q = f["quotas"] {
            let m = try mapping(
                q, "\(path).quotas", known: ["producerByteRate", "consumerByteRate", "requestPercentage"])
            if let v = m["producerByteRate"] { t.producerByteRate = try byteRate(v, "\(path).quotas.producerByteRate") }
            if let v = m["consumerByteRate"] { t.consumerByteRate = try byteRate(v, "\(path).quotas.consumerByteRate") }
            if let v = m["requestPercentage"] {
                t.requestPercentage = try number(v, "\(path).quotas.requestPercentage")
            }
        }
        return t
    }

    mutating func slos(_ node: Node) throws -> ServiceLevels {
        let f = try mapping(
            node, "slos", known: ["availability", "produceLatencyP99", "endToEndLatencyP99", "maxConsumerLag"])
        var s = ServiceLevels()
        if let v = f["availability"] { s.availability = try fraction(v, "slos.availability") }
        if let v = f["produceLatencyP99"] { s.produceLatencyP99Seconds = try duration(v, "slos.produceLatencyP99") }
        if let v = f["endToEndLatencyP99"] { s.endToEndLatencyP99Seconds = try duration(v, "slos.endToEndLatencyP99") }
        if let v = f["maxConsumerLag"] { s.maxConsumerLagSeconds = try duration(v, "slos.maxConsumerLag") }
        return s
    }

    // MARK: Node accessors

    mutating func mapping(_ node: Node, _ path: String, known: [String]) throws -> [String: Node] {
        marks[path] = node.mark
        guard case .mapping(let m) = node else {
            throw error(node, path, "expected a mapping of fields (\(known.prefix(4).joined(separator: ", ")), …)")
        }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.string else { throw error(k, path, "field names must be plain text") }
            let field = path.isEmpty ? key : "\(path).\(key)"
            guard known.contains(key) else {
                let hint = suggestion(for: key, in: known).map { "did you mean '\($0)'? " } ?? ""
                throw error(k, field, "unknown field; \(hint)known fields here: \(known.joined(separator: ", "))")
            }
            guard out[key] == nil else { throw error(k, field, "given twice; keep one") }
            out[key] = v
            marks[field] = v.mark ?? k.mark
        }
        return out
    }

    mutating func sequence(_ node: Node, _ path: String) throws -> [Node] {
        marks[path] = node.mark
        guard case .sequence(let s) = node else {
            throw error(node, path, "expected a list (lines starting with '- ')")
        }
        for (i, item) in s.enumerated() { marks["\(path)[\(i)]"] = item.mark }
        return Array(s)
    }

    func scalar(_ node: Node, _ path: String) throws -> String {
        guard case .scalar(let s) = node else {
            throw error(node, path, "expected a single value, not a list or mapping")
        }
        return s.string
    }

    func string(_ node: Node, _ path: String) throws -> String { try scalar(node, path) }

    func int(_ node: Node, _ path: String) throws -> Int {
        let s = try scalar(node, path)
        guard let v = Int(String(s.filter { $0 != "_" })) else {
            throw error(node, path, "'\(s)' is not a whole number")
        }
        return v
    }

    func number(_ node: Node, _ path: String) throws -> Double {
        let s = try scalar(node, path)
        guard let v = Double(s), v.isFinite else { throw error(node, path, "'\(s)' is not a number") }
        return v
    }

    func bool(_ node: Node, _ path: String) throws -> Bool {
        let s = try scalar(node, path)
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, path, "'\(s)' is not true or false")
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _: T.Type) throws -> T
    where T.RawValue == String {
        let s = try scalar(node, path)
        if let v = T(rawValue: s) ?? T.allCases.first(where: { $0.rawValue.lowercased() == s.lowercased() }) {
            return v
        }
        throw error(node, path, "'\(s)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }

    func unit(_ node: Node, _ path: String, _ parse: (String) throws(UnitError) -> Double) throws -> Double {
        let s = try scalar(node, path)
        do { return try parse(s) } catch { throw self.error(node, path, error.description) }
    }

    func count(_ n: Node, _ p: String) throws -> Double { try unit(n, p, UnitParser.count) }
    func bytes(_ n: Node, _ p: String) throws -> Double { try unit(n, p, UnitParser.bytes) }
    func duration(_ n: Node, _ p: String) throws -> Double { try unit(n, p, UnitParser.duration) }
    func byteRate(_ n: Node, _ p: String) throws -> Double { try unit(n, p, UnitParser.byteRate) }
    func fraction(_ n: Node, _ p: String) throws -> Double { try unit(n, p, UnitParser.fraction) }
    func factor(_ n: Node, _ p: String) throws -> Double { try unit(n, p, UnitParser.factor) }

    func yamlError(_ e: YamlError, text: String) -> ArchitectureFileError {
        switch e {
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Point at the second occurrence of the key, at or below the mapping's start.
            let key = duplicates.first ?? ""
            var seen = 0
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where i + 1 >= context.mark.line {
                let trimmed = line.drop { $0 == " " || $0 == "-" }
                if trimmed.hasPrefix("\(key):") {
                    seen += 1
                    if seen == 2 {
                        return ArchitectureFileError(
                            file: file, line: i + 1, column: line.count - trimmed.count + 1, field: key,
                            message: "given twice in the same mapping; keep one")
                    }
                }
            }
            return ArchitectureFileError(
                file: file, line: context.mark.line, column: context.mark.column, field: key,
                message: "given twice in the same mapping; keep one")
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ArchitectureFileError(
                file: file, line: mark.line, column: mark.column, field: "", message: "not valid YAML: \(problem)")
        default:
            return ArchitectureFileError(file: file, line: 0, column: 0, field: "", message: "not valid YAML: \(e)")
        }
    }

    /// The known name closest to a misspelt one, if it is close.
    func suggestion(for key: String, in known: [String]) -> String? {
        let scored = known.map { ($0, ArchitectCore.editDistance(key.lowercased(), $0.lowercased())) }.min {
            $0.1 < $1.1
        }
        guard let (best, d) = scored, d <= max(2, key.count / 3) else { return nil }
        return best
    }

}
