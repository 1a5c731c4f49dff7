// Reads a snapshot with the pull reader, field by field as docs/snapshot.md lists them; unknown keys are
// skipped (a newer minor addition reads), missing required keys and wrong types name their JSON path.

import ArchitectCore

typealias Snap = ClusterSnapshot
typealias R = JSONReader

enum SnapshotDecoding {
    /// The top-level schemaVersion, found without reading the rest (so a newer format is refused before its
    /// differences can produce a confusing error).
    static func schemaVersion(_ r: inout R) throws(JSONReadError) -> Int? {
        var version: Int? = nil
        try r.object { r, key throws(JSONReadError) in
            if key == "schemaVersion" { version = try r.null() ? nil : try r.int() } else { try r.skip() }
        }
        return version
    }

    // Long because: one case per top-level field of the format.
    static func snapshot(_ r: inout R) throws(JSONReadError) -> (snapshot: Snap, sawVersion: Bool) {
        var s = Snap(takenAt: "")
        var sawVersion = false
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "schemaVersion":
                s.schemaVersion = try r.int()
                sawVersion = true
            case "takenAt": s.takenAt = try r.optionalString() ?? ""
            case "takenAtMs": s.takenAtMs = try r.optionalInt64()
            case "clusterId": s.clusterId = try r.optionalString()
            case "controllerId": s.controllerId = try r.optionalInt32()
            case "brokers": s.brokers = try list(&r, broker)
            case "brokerConfigs":
                if try r.null() { return }
                try r.object { r, id throws(JSONReadError) in s.brokerConfigs[id] = try configs(&r) }
            case "topics": s.topics = try list(&r, topic)
            case "logDirs": s.logDirs = try list(&r, logDir)
            case "groups": s.groups = try list(&r, group)
            case "acls": s.acls = try list(&r, acl)
            case "quotas": s.quotas = try list(&r, quota)
            case "transactions": s.transactions = try list(&r, transaction)
            case "unsupported": s.unsupported = try list(&r, unsupported)
            case "complete": s.complete = try r.null() ? true : try r.bool()
            case "missing": s.missing = try r.strings()
            case "rateWindowSeconds": s.rateWindowSeconds = try r.optionalDouble()
            default: try r.skip()
            }
        }
        return (s, sawVersion)
    }

    static func list<T>(_ r: inout R, _ one: (inout R) throws(JSONReadError) -> T) throws(JSONReadError) -> [T] {
        var out: [T] = []
        if try r.null() { return out }
        try r.array { r, _ throws(JSONReadError) in out.append(try one(&r)) }
        return out
    }

    static func required<T>(_ value: T?, _ key: String, _ r: R) throws(JSONReadError) -> T {
        guard let value else { throw r.missing(key) }
        return value
    }

    static func broker(_ r: inout R) throws(JSONReadError) -> Snap.Broker {
        var id: Int32?
        var host: String?
        var port: Int32?
        var rack: String?
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "id": id = try r.int32()
            case "host": host = try r.string()
            case "port": port = try r.int32()
            case "rack": rack = try r.optionalString()
            default: try r.skip()
            }
        }
        return Snap.Broker(
            id: try required(id, "id", r), host: try required(host, "host", r), port: try required(port, "port", r),
            rack: rack)
    }

    static func configs(_ r: inout R) throws(JSONReadError) -> [String: Snap.ConfigEntry] {
        var out: [String: Snap.ConfigEntry] = [:]
        if try r.null() { return out }
        try r.object { r, name throws(JSONReadError) in
            var value: String?
            var source = ConfigValueSource.unknown
            var sensitive = false
            try r.object { r, key throws(JSONReadError) in
                switch key {
                case "value": value = try r.optionalString()
                case "source":
                    let text = try r.string()
                    guard let s = ConfigValueSource(rawValue: text) else {
                        throw JSONReadError(
                            path: r.pathText,
                            message:
                                "'\(text)' is not a source; expected one of \(ConfigValueSource.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    source = s
                case "sensitive": sensitive = try r.null() ? false : try r.bool()
                default: try r.skip()
                }
            }
            out[name] = .init(value: value, source: source, sensitive: sensitive)
        }
        return out
    }

    static func topic(_ r: inout R) throws(JSONReadError) -> Snap.Topic {
        var name: String?
        var isInternal = false
        var cfg: [String: Snap.ConfigEntry] = [:]
        var partitions: [Snap.Partition] = []
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "name": name = try r.string()
            case "internal": isInternal = try r.null() ? false : try r.bool()
            case "configs": cfg = try configs(&r)
            case "partitions": partitions = try list(&r, partition)
            default: try r.skip()
            }
        }
        return Snap.Topic(
            name: try required(name, "name", r), internal: isInternal, configs: cfg, partitions: partitions)
    }

    static func partition(_ r: inout R) throws(JSONReadError) -> Snap.Partition {
        var id: Int32?
        var leader: Int32?
        var replicas: [Int32]?
        var isr: [Int32]?
        var p = Snap.Partition(partition: 0, leader: -1, replicas: [], isr: [])
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "partition": id = try r.int32()
            case "leader": leader = try r.int32()
            case "replicas": replicas = try r.int32s()
            case "isr": isr = try r.int32s()
            case "offlineReplicas": p.offlineReplicas = try r.int32s()
            case "logStartOffset": p.logStartOffset = try r.optionalInt64()
            case "logEndOffset": p.logEndOffset = try r.optionalInt64()
            case "sizeBytes": p.sizeBytes = try r.optionalInt64()
            case "bytesInPerSecond": p.bytesInPerSecond = try r.optionalDouble()
            case "messagesInPerSecond": p.messagesInPerSecond = try r.optionalDouble()
            case "addingReplicas": p.addingReplicas = try r.int32s()
            case "removingReplicas": p.removingReplicas = try r.int32s()
            default: try r.skip()
            }
        }
        // Leader, replicas and ISR are the partition's health: missing, they would be invented.
        p.partition = try required(id, "partition", r)
        p.leader = try required(leader, "leader", r)
        p.replicas = try required(replicas, "replicas", r)
        p.isr = try required(isr, "isr", r)
        if Set(p.replicas).count != p.replicas.count {
            throw JSONReadError(path: r.pathText + ".replicas", message: "names a broker twice")
        }
        // A move in progress: the joining and leaving replicas are among `replicas`, and none is both.
        for (field, ids) in [("addingReplicas", p.addingReplicas), ("removingReplicas", p.removingReplicas)]
        where !Set(ids).isSubset(of: p.replicas) || Set(ids).count != ids.count {
            throw JSONReadError(
                path: r.pathText + "." + field, message: "lists a broker twice or one that is not in replicas")
        }
        if !Set(p.addingReplicas).isDisjoint(with: p.removingReplicas) || p.removingReplicas.count >= p.replicas.count {
            throw JSONReadError(
                path: r.pathText + ".removingReplicas",
                message: "a replica cannot be both joining and leaving, and at least one must stay")
        }
        return p
    }

    static func logDir(_ r: inout R) throws(JSONReadError) -> Snap.LogDir {
        var broker: Int32?
        var path: String?
        var d = Snap.LogDir(broker: 0, path: "")
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "broker": broker = try r.int32()
            case "path": path = try r.string()
            case "totalBytes": d.totalBytes = try r.optionalInt64()
            case "usableBytes": d.usableBytes = try r.optionalInt64()
            case "partitionBytes": d.partitionBytes = try r.optionalInt64()
            case "error": d.error = try r.optionalString()
            default: try r.skip()
            }
        }
        d.broker = try required(broker, "broker", r)
        d.path = try required(path, "path", r)
        return d
    }

    static func topicPartitions(_ r: inout R) throws(JSONReadError) -> Snap.TopicPartitions {
        var topic: String?
        var partitions: [Int32] = []
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "topic": topic = try r.string()
            case "partitions": partitions = try r.int32s()
            default: try r.skip()
            }
        }
        return .init(topic: try required(topic, "topic", r), partitions: partitions)
    }

    static func group(_ r: inout R) throws(JSONReadError) -> Snap.Group {
        var id: String?
        var g = Snap.Group(groupId: "")
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "groupId": id = try r.string()
            case "state": g.state = try r.optionalString()
            case "protocolType": g.protocolType = try r.optionalString()
            case "members": g.members = try list(&r, member)
            case "offsets": g.offsets = try list(&r, offset)
            default: try r.skip()
            }
        }
        g.groupId = try required(id, "groupId", r)
        return g
    }

    static func member(_ r: inout R) throws(JSONReadError) -> Snap.Member {
        var id: String?
        var m = Snap.Member(memberId: "")
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "memberId": id = try r.string()
            case "clientId": m.clientId = try r.optionalString()
            case "host": m.host = try r.optionalString()
            case "assignment": m.assignment = try list(&r, topicPartitions)
            default: try r.skip()
            }
        }
        m.memberId = try required(id, "memberId", r)
        return m
    }

    static func offset(_ r: inout R) throws(JSONReadError) -> Snap.CommittedOffset {
        var topic: String?
        var partition: Int32?
        var offset: Int64?
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "topic": topic = try r.string()
            case "partition": partition = try r.int32()
            case "offset": offset = try r.int64()
            default: try r.skip()
            }
        }
        return .init(
            topic: try required(topic, "topic", r), partition: try required(partition, "partition", r),
            offset: try required(offset, "offset", r))
    }

    static func acl(_ r: inout R) throws(JSONReadError) -> Snap.Acl {
        var f: [String: String] = [:]
        let keys = ["resourceType", "resourceName", "patternType", "principal", "host", "operation", "permission"]
        try r.object { r, key throws(JSONReadError) in
            if keys.contains(key) { f[key] = try r.string() } else { try r.skip() }
        }
        for k in keys where f[k] == nil { throw r.missing(k) }
        return .init(
            resourceType: f["resourceType"] ?? "", resourceName: f["resourceName"] ?? "",
            patternType: f["patternType"] ?? "", principal: f["principal"] ?? "", host: f["host"] ?? "",
            operation: f["operation"] ?? "", permission: f["permission"] ?? "")
    }

    static func quota(_ r: inout R) throws(JSONReadError) -> Snap.Quota {
        var q = Snap.Quota(entity: .init(), values: [:])
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "entity":
                try r.object { r, k throws(JSONReadError) in
                    switch k {
                    case "user": q.entity.user = try r.optionalString()
                    case "clientId": q.entity.clientId = try r.optionalString()
                    case "ip": q.entity.ip = try r.optionalString()
                    default: try r.skip()
                    }
                }
            case "values": try r.object { r, name throws(JSONReadError) in q.values[name] = try r.double() }
            default: try r.skip()
            }
        }
        return q
    }

    static func transaction(_ r: inout R) throws(JSONReadError) -> Snap.Transaction {
        var id: String?
        var state: String?
        var producer: Int64?
        var t = Snap.Transaction(transactionalId: "", state: "", producerId: -1)
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "transactionalId": id = try r.string()
            case "state": state = try r.string()
            case "producerId": producer = try r.int64()
            case "startTimeMs": t.startTimeMs = try r.optionalInt64()
            case "timeoutMs": t.timeoutMs = try r.optionalInt32()
            case "partitions": t.partitions = try list(&r, topicPartitions)
            default: try r.skip()
            }
        }
        t.transactionalId = try required(id, "transactionalId", r)
        t.state = try required(state, "state", r)
        t.producerId = producer ?? -1
        return t
    }

    static func unsupported(_ r: inout R) throws(JSONReadError) -> Snap.Unsupported {
        var u = Snap.Unsupported(api: "", brokers: [], reason: "")
        var api: String?
        try r.object { r, key throws(JSONReadError) in
            switch key {
            case "api": api = try r.string()
            case "brokers": u.brokers = try r.int32s()
            case "reason": u.reason = try r.optionalString() ?? ""
            default: try r.skip()
            }
        }
        u.api = try required(api, "api", r)
        return u
    }
}
