// The `clusters:` section: the clusters a design spans, their topology and roles, and the recovery objectives
// between them; and the checks that tie entities' and services' `cluster` (and entities' `replication`) to it.

import ArchitectCore
import Yams

extension Reader {
    /// `clusters:` and the design, each when given, the design's clusters checked against the section.
    mutating func clustersAndDesign(_ fields: [String: Node]) throws -> (MultiClusterSpec?, DesignModel?) {
        let spec = try fields["clusters"].map { try clusters($0) }
        guard fields["domains"] != nil || fields["services"] != nil || fields["tenants"] != nil else {
            return (spec, nil)
        }
        let d = try design(fields)
        try checkClusters(d, spec)
        return (spec, d)
    }

    // Long because: each field of each member and objective is read and checked against the topology in turn.
    mutating func clusters(_ node: Node) throws -> MultiClusterSpec {
        let f = try mapping(node, "clusters", known: ["topology", "members", "objectives"])
        guard let t = f["topology"] else {
            throw error(node, "clusters.topology", "missing: add e.g. `topology: active-passive`")
        }
        let topology = try choice(t, "clusters.topology", ReplicationTopology.self)
        guard let m = f["members"] else {
            throw error(node, "clusters.members", "missing: list the clusters (name, provider, region, role)")
        }
        let (allowed, single) = MultiClusterSpec.roles(topology)
        var members: [ClusterSpec] = []
        var explicit: [Bool] = []
        let nodes = try sequence(m, "clusters.members")
        for (i, n) in nodes.enumerated() {
            let path = "clusters.members[\(i)]"
            let g = try mapping(n, path, known: ["name", "provider", "region", "role"])
            guard let nameNode = g["name"] else { throw error(n, "\(path).name", "missing: add e.g. `name: us-east`") }
            let name = try string(nameNode, "\(path).name")
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw error(
                    nameNode, "\(path).name", "'\(name)': use letters, digits, '-' and '_' (it becomes a topic prefix)")
            }
            if members.contains(where: { $0.name == name }) {
                throw error(nameNode, "\(path).name", "a cluster named \(name) is already listed; names are unique")
            }
            var role: ClusterRole = allowed.last ?? allowed[0]
            if let r = g["role"] {
                role = try choice(r, "\(path).role", ClusterRole.self)
                guard allowed.contains(role) else {
                    throw error(
                        r, "\(path).role",
                        "\(role.rawValue) is not a role of \(topology.rawValue): give \(allowed.map(\.rawValue).joined(separator: " or "))"
                    )
                }
            }
            var c = ClusterSpec(name: name, role: role)
            if let p = g["provider"] { c.provider = try choice(p, "\(path).provider", Provider.self) }
            if let r = g["region"] { c.region = try string(r, "\(path).region") }
            members.append(c)
            explicit.append(g["role"] != nil)
        }
        // Without a role: the first unmarked cluster is the one the topology needs once (primary, hub) unless one
        // is marked so; the others take the other role (standby, edge).
        if let single, !zip(members, explicit).contains(where: { $0.role == single && $1 }),
            let first = explicit.firstIndex(of: false)
        {
            members[first].role = single
        }
        guard members.count >= 2 else {
            throw error(m, "clusters.members", "\(topology.rawValue) needs at least two clusters; list them all")
        }
        if let single {
            let n = members.filter { $0.role == single }.count
            guard n == 1 else {
                throw error(
                    m, "clusters.members",
                    "\(topology.rawValue) needs exactly one \(single.rawValue) (\(n) given): set `role: \(single.rawValue)` on one cluster"
                )
            }
        }
        var spec = MultiClusterSpec(topology: topology, members: members)
        if let o = f["objectives"] {
            for (i, n) in try sequence(o, "clusters.objectives").enumerated() {
                spec.objectives.append(try objective(n, "clusters.objectives[\(i)]", members))
            }
        }
        return spec
    }

    mutating func objective(_ n: Node, _ path: String, _ members: [ClusterSpec]) throws -> RecoveryObjective {
        let g = try mapping(n, path, known: ["from", "to", "rpo", "rto"])
        func cluster(_ key: String) throws -> String {
            guard let v = g[key] else {
                throw error(n, "\(path).\(key)", "missing: name a cluster of clusters.members")
            }
            let name = try string(v, "\(path).\(key)")
            guard members.contains(where: { $0.name == name }) else {
                throw error(
                    v, "\(path).\(key)",
                    "no cluster \(name) in clusters.members (\(members.map(\.name).joined(separator: ", ")))")
            }
            return name
        }
        var r = RecoveryObjective(from: try cluster("from"), to: try cluster("to"))
        guard r.from != r.to else { throw error(n, "\(path).to", "from and to are the same cluster; name two") }
        for (key, keyPath) in [("rpo", \RecoveryObjective.rpoSeconds), ("rto", \RecoveryObjective.rtoSeconds)] {
            guard let v = g[key] else { continue }
            let s = try duration(v, "\(path).\(key)")
            guard s >= 0, s <= 365 * 86_400 else {
                throw error(v, "\(path).\(key)", "give a duration from 0s, e.g. 30s")
            }
            r[keyPath: keyPath] = s
        }
        guard r.rpoSeconds != nil || r.rtoSeconds != nil else {
            throw error(n, path, "give rpo, rto or both (e.g. `rpo: 30s`, `rto: 15m`)")
        }
        return r
    }

    /// Entities' and services' `cluster` name a cluster of `clusters:`; `replication` needs `clusters:`, and
    /// `aggregate-to-hub` a hub.
    func checkClusters(_ d: DesignModel, _ spec: MultiClusterSpec?) throws {
        for (k, e) in d.entities.enumerated() {
            let path = filePath("entities[\(k)]")
            if let c = e.cluster, let spec, spec.member(c) == nil {
                throw error(
                    at: "\(path).cluster",
                    "no cluster \(c) in clusters.members (\(spec.members.map(\.name).joined(separator: ", ")))")
            }
            guard let r = e.replication else { continue }
            guard let spec else {
                throw error(at: "\(path).replication", "replication needs a `clusters:` section naming the clusters")
            }
            if r == .aggregateToHub && spec.topology != .hubAndSpoke {
                throw error(
                    at: "\(path).replication",
                    "aggregate-to-hub needs topology hub-and-spoke (this file's is \(spec.topology.rawValue)); give replicate or local-only"
                )
            }
        }
        for (k, s) in d.services.enumerated() {
            guard let c = s.cluster, let spec, spec.member(c) == nil else { continue }
            throw error(
                at: "services[\(k)].cluster",
                "no cluster \(c) in clusters.members (\(spec.members.map(\.name).joined(separator: ", ")))")
        }
    }
}
