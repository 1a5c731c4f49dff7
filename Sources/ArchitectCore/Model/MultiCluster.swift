// Designs that span clusters (issue 21, first part): the clusters, their topology, each pair's recovery
// objectives, and per entity what crosses between them. The replication flows, MirrorMaker 2 sizing and
// deliverables build on this model (docs/architecture-file.md, `clusters`).

/// How the clusters replicate.
public enum ReplicationTopology: String, Sendable, Equatable, CaseIterable {
    /// Disaster recovery: one primary takes the writes, standbys receive copies.
    case activePassive = "active-passive"
    /// Every cluster takes writes; replicated topics carry the source cluster's prefix.
    case activeActive = "active-active"
    /// Edge clusters feed a central hub.
    case hubAndSpoke = "hub-and-spoke"
}

public enum ClusterRole: String, Sendable, Equatable, CaseIterable {
    case primary, standby, peer, hub, edge
}

public struct ClusterSpec: Sendable, Equatable {
    public var name: String
    public var provider: Provider?
    public var region: String?
    public var role: ClusterRole
    public init(name: String, provider: Provider? = nil, region: String? = nil, role: ClusterRole) {
        self.name = name
        self.provider = provider
        self.region = region
        self.role = role
    }
}

/// The recovery point and time objectives between two clusters (data written on `from`, recovered on `to`).
public struct RecoveryObjective: Sendable, Equatable {
    public var from: String
    public var to: String
    public var rpoSeconds: Double?
    public var rtoSeconds: Double?
    public init(from: String, to: String, rpoSeconds: Double? = nil, rtoSeconds: Double? = nil) {
        self.from = from
        self.to = to
        self.rpoSeconds = rpoSeconds
        self.rtoSeconds = rtoSeconds
    }
}

/// What an entity's topic does across clusters.
public enum ReplicationIntent: String, Sendable, Equatable, CaseIterable {
    /// Copied to the other clusters (the standbys, the peers).
    case replicate
    /// Stays where it is written.
    case localOnly = "local-only"
    /// Every edge's copy flows to the hub (hub-and-spoke only).
    case aggregateToHub = "aggregate-to-hub"
}

public struct MultiClusterSpec: Sendable, Equatable {
    public var topology: ReplicationTopology
    public var members: [ClusterSpec]
    public var objectives: [RecoveryObjective] = []
    public init(topology: ReplicationTopology, members: [ClusterSpec]) {
        self.topology = topology
        self.members = members
    }

    public func member(_ name: String) -> ClusterSpec? { members.first { $0.name == name } }

    /// The roles a topology allows, the one it requires exactly once (if any), and the default for the others.
    public static func roles(_ t: ReplicationTopology) -> (allowed: [ClusterRole], single: ClusterRole?) {
        switch t {
        case .activePassive: ([.primary, .standby], .primary)
        case .activeActive: ([.peer], nil)
        case .hubAndSpoke: ([.hub, .edge], .hub)
        }
    }
}
