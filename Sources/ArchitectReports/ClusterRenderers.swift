// Live-cluster listings: `cluster describe` and `cluster api-versions`, as text tables and JSON.

import ArchitectCore
import Foundation

public struct ClusterTopologyRenderer {
    public init() {}

    public func text(_ d: ClusterTopology) -> String {
        let controller = d.controllerId.map(String.init) ?? "unknown"
        var out = [
            "Cluster \(d.clusterId ?? "(no id)"), controller \(controller) (Metadata v\(d.metadataVersion))", "",
            "Brokers",
        ]
        for b in d.brokers {
            let load = d.brokerLoad[b.id] ?? (0, 0)
            out.append(
                "  \(b.id)  \(b.host):\(b.port)\(b.rack.map { "  rack \($0)" } ?? "")  leaders \(load.leaders)  replicas \(load.replicas)"
            )
        }
        out += ["", "Topics"]
        for t in d.topics {
            let count = "\(t.partitions.count) partition\(t.partitions.count == 1 ? "" : "s")"
            let error = t.errorCode != 0 ? " error \(t.errorCode)" : ""
            out.append("  \(t.name)\(t.isInternal ? " (internal)" : ""): \(count)\(error)")
            for p in t.partitions { out.append("    " + partitionLine(p)) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    func partitionLine(_ p: ClusterTopology.Partition) -> String {
        func list(_ ids: [Int32]) -> String { ids.map(String.init).joined(separator: ",") }
        let offline = p.offline.isEmpty ? "" : "  offline \(list(p.offline))"
        let flag = p.leader < 0 ? "  NO LEADER" : (p.isr.count < p.replicas.count ? "  UNDER-REPLICATED" : "")
        return "\(p.partition): leader \(p.leader)  replicas \(list(p.replicas))  isr \(list(p.isr))\(offline)\(flag)"
    }

    public func json(_ d: ClusterTopology) throws -> String {
        struct Broker: Encodable {
            let id: Int32
            let host: String
            let port: Int32
            let rack: String?
            let leaders: Int
            let replicas: Int
        }
        struct Partition: Encodable {
            let partition, leader: Int32
            let replicas, isr, offlineReplicas: [Int32]
            let errorCode: Int16
        }
        struct Topic: Encodable {
            let name: String
            let isInternal: Bool
            let errorCode: Int16
            let partitions: [Partition]
        }
        struct Doc: Encodable {
            let clusterId: String?
            let controllerId: Int32?
            let brokers: [Broker]
            let topics: [Topic]
            let metadataVersion: Int16
        }
        let topics = d.topics.map { t in
            Topic(
                name: t.name, isInternal: t.isInternal, errorCode: t.errorCode,
                partitions: t.partitions.map {
                    Partition(
                        partition: $0.partition, leader: $0.leader, replicas: $0.replicas, isr: $0.isr,
                        offlineReplicas: $0.offline, errorCode: $0.errorCode)
                })
        }
        let doc = Doc(
            clusterId: d.clusterId, controllerId: d.controllerId,
            brokers: d.brokers.map {
                Broker(
                    id: $0.id, host: $0.host, port: $0.port, rack: $0.rack, leaders: d.brokerLoad[$0.id]?.leaders ?? 0,
                    replicas: d.brokerLoad[$0.id]?.replicas ?? 0)
            },
            topics: topics, metadataVersion: d.metadataVersion)
        return try ReportJSON.encode(doc)
    }
}

public struct APIVersionsRenderer {
    public init() {}

    public func text(_ brokers: [BrokerAPIVersions]) -> String {
        var out: [String] = []
        for b in brokers {
            out.append("\(b.address) (id: \(b.brokerId.map(String.init) ?? "?")\(b.rack.map { " rack: \($0)" } ?? ""))")
            switch b.apis {
            case .failure(let e):
                out.append("  UNREACHABLE: \(e.reason)")
            case .success(let apis):
                for a in apis {
                    let usable: String
                    switch a.usability {
                    case .usable(let v): usable = "usable: \(v)"
                    case .notImplemented: usable = "not implemented here"
                    case .unusable: usable = "UNUSABLE"
                    }
                    out.append(
                        "  \((a.name ?? "Unknown").padded(22))(\(a.apiKey)): \(a.minVersion) to \(a.maxVersion) [\(usable)]"
                    )
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func json(_ brokers: [BrokerAPIVersions]) throws -> String {
        struct API: Encodable {
            let apiKey: Int16
            let name: String?
            let minVersion, maxVersion: Int16
            let usable: Int16?
        }
        struct Broker: Encodable {
            let id: Int32?
            let address: String
            let rack: String?
            let apis: [API]
            let error: String?
        }
        let doc = brokers.map { b in
            var apis: [API] = []
            var error: String? = nil
            switch b.apis {
            case .success(let list):
                apis = list.map { a in
                    var usable: Int16? = nil
                    if case .usable(let v) = a.usability { usable = v }
                    return API(
                        apiKey: a.apiKey, name: a.name, minVersion: a.minVersion, maxVersion: a.maxVersion,
                        usable: usable)
                }
            case .failure(let e):
                error = e.reason
            }
            return Broker(id: b.brokerId, address: b.address, rack: b.rack, apis: apis, error: error)
        }
        return try ReportJSON.encode(["brokers": doc])
    }
}

extension String {
    /// Left-aligned in a column of `width`, always followed by at least one space.
    func padded(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
