import ArchitectCore
import Foundation

/// Renders `kafka-architect design`: the reviewed topology, then its capacity plan summary.
public struct DesignRenderer {
    public init() {}

    public func text(_ r: DesignResult) -> String {
        var out: [String] = ["Design: \(r.name)", ""]
        out.append("Topics")
        for t in r.topics {
            out.append(
                "  \(t.name)  [\(t.purpose.rawValue)] \(t.partitions) partition\(t.partitions == 1 ? "" : "s"), RF \(t.replicationFactor)  "
                    + t.configs.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            for n in t.notes { out.append("      \(n)") }
        }
        out += ["", "Consumer groups"]
        for g in r.consumerGroups { out.append("  \(g.id) (\(g.service)): \(g.topics.joined(separator: ", "))") }
        out += ["", "ACLs (allow)"]
        for a in r.acls {
            out.append(
                "  \(a.principal)  \(a.operation)  \(a.resourceType.rawValue) \(a.patternType == .prefixed ? "prefix " : "")\(a.resourceName)"
            )
        }
        if !r.quotas.isEmpty {
            out += ["", "Quotas"]
            for q in r.quotas { out.append("  \(q.principal) (tenant \(q.tenant)): " + quotaText(q)) }
        }
        out += ["", "Client configuration"]
        for c in r.clientConfigs {
            out.append("  \(c.service) \(c.role.rawValue) (\(c.guarantee.rawValue))")
            for p in c.properties
            where ![
                "bootstrap.servers", "sasl.jaas.config", "key.serializer", "value.serializer", "key.deserializer",
                "value.deserializer",
            ].contains(p.key) {
                out.append("      \(p.key)=\(p.value)")
            }
        }
        out += ["", "Review"]
        if r.findings.isEmpty { out.append("  no findings") }
        for f in r.findings {
            out.append("  \(f.severity.rawValue) [\(f.code)] \(f.subject): \(f.message)")
            out.append("      fix: \(f.fix)")
        }
        out += ["", "Capacity"]
        out.append(contentsOf: PlanSections.summary(r.plan).map { "  " + $0 })
        out.append("  (full plan with formulas: kafka-architect plan FILE)")
        return out.joined(separator: "\n") + "\n"
    }

    public func markdown(_ r: DesignResult) -> String {
        var out: [String] = [
            "# Design: \(r.name)", "", "## Topics", "", "| Topic | Purpose | Partitions | RF | Configuration | Why |",
            "|---|---|---:|---:|---|---|",
        ]
        for t in r.topics {
            out.append(
                "| `\(t.name)` | \(t.purpose.rawValue) | \(t.partitions) | \(t.replicationFactor) | \(t.configs.map { "`\($0.key)=\($0.value)`" }.joined(separator: "<br>")) | \(t.notes.joined(separator: "<br>").replacingPipes()) |"
            )
        }
        out += ["", "## Consumer groups", "", "| Group | Service | Topics |", "|---|---|---|"]
        for g in r.consumerGroups {
            out.append("| `\(g.id)` | \(g.service) | \(g.topics.map { "`\($0)`" }.joined(separator: ", ")) |")
        }
        out += ["", "## ACLs", "", "| Principal | Operation | Resource | Pattern |", "|---|---|---|---|"]
        for a in r.acls {
            out.append(
                "| `\(a.principal)` | \(a.operation) | \(a.resourceType.rawValue) `\(a.resourceName)` | \(a.patternType.rawValue) |"
            )
        }
        if !r.quotas.isEmpty {
            out += ["", "## Quotas", "", "| Principal | Tenant | Quotas |", "|---|---|---|"]
            for q in r.quotas { out.append("| `\(q.principal)` | \(q.tenant) | \(quotaText(q)) |") }
        }
        out += ["", "## Client configuration", ""]
        for c in r.clientConfigs {
            out += ["### \(c.service) — \(c.role.rawValue), \(c.guarantee.rawValue)", "", "```properties"]
            out += c.properties.map { "\($0.key)=\($0.value)" }
            out += ["```", ""]
        }
        out += ["## Review", ""]
        if r.findings.isEmpty { out.append("No findings.") }
        for f in r.findings {
            out.append("- **\(f.severity.rawValue)** `\(f.code)` \(f.subject): \(f.message). Fix: \(f.fix)")
        }
        out += ["", "## Capacity", ""]
        out += PlanSections.summary(r.plan).map { "- \($0)" }
        return out.joined(separator: "\n") + "\n"
    }

    struct KV: Encodable { let key, value: String }
    struct Topic: Encodable {
        let name, purpose, entity: String
        let partitions, replicationFactor: Int
        let configs: [KV]
        let notes: [String]
        let tenant: String?
    }
    struct Group: Encodable {
        let id, service: String
        let topics: [String]
    }
    struct Acl: Encodable {
        let principal, resourceType, resourceName, patternType, operation: String
        let permission = "Allow"
    }
    struct Quota: Encodable {
        let tenant, principal: String
        let producerByteRate, consumerByteRate, requestPercentage: Double?
        /// How many principals share the tenant's budget (each quota is 1/shareOf of it, per broker).
        let shareOf: Int
    }
    struct Client: Encodable {
        let service, role, guarantee: String
        let properties: [KV]
    }
    struct Finding: Encodable { let code, severity, subject, message, fix: String }
    struct Capacity: Encodable {
        let brokers: Int
        let instance, bindingConstraint: String
        let monthlyUSD: Double
    }
    struct Doc: Encodable {
        let name: String
        let topics: [Topic]
        let consumerGroups: [Group]
        let acls: [Acl]
        let quotas: [Quota]
        let clientConfigs: [Client]
        let findings: [Finding]
        let capacity: Capacity
    }

    public func json(_ r: DesignResult) throws -> String {
        let doc = Doc(
            name: r.name,
            topics: r.topics.map {
                Topic(
                    name: $0.name, purpose: $0.purpose.rawValue, entity: $0.entity, partitions: $0.partitions,
                    replicationFactor: $0.replicationFactor,
                    configs: $0.configs.map { KV(key: $0.key, value: $0.value) }, notes: $0.notes, tenant: $0.tenant)
            },
            consumerGroups: r.consumerGroups.map { Group(id: $0.id, service: $0.service, topics: $0.topics) },
            acls: r.acls.map {
                Acl(
                    principal: $0.principal, resourceType: $0.resourceType.rawValue, resourceName: $0.resourceName,
                    patternType: $0.patternType.rawValue, operation: $0.operation)
            },
            quotas: r.quotas.map {
                Quota(
                    tenant: $0.tenant, principal: $0.principal, producerByteRate: $0.producerByteRate,
                    consumerByteRate: $0.consumerByteRate, requestPercentage: $0.requestPercentage, shareOf: $0.shareOf)
            },
            clientConfigs: r.clientConfigs.map {
                Client(
                    service: $0.service, role: $0.role.rawValue, guarantee: $0.guarantee.rawValue,
                    properties: $0.properties.map { KV(key: $0.key, value: $0.value) })
            },
            findings: r.findings.map {
                Finding(
                    code: $0.code, severity: $0.severity.rawValue, subject: $0.subject, message: $0.message, fix: $0.fix
                )
            },
            capacity: Capacity(
                brokers: r.plan.brokers, instance: r.plan.instance.type.name,
                bindingConstraint: r.plan.bindingConstraint.rawValue, monthlyUSD: r.plan.cost.monthlyUSD))
        return try ReportJSON.encode(doc)
    }

    func quotaText(_ q: TenantQuota) -> String {
        [
            q.producerByteRate.map { "produce \(Format.value($0, .bytesPerSecond))" },
            q.consumerByteRate.map { "consume \(Format.value($0, .bytesPerSecond))" },
            q.requestPercentage.map { "requests \(Format.grouped($0, decimals: 1))%" },
        ].compactMap { $0 }.joined(separator: ", ")
            + (q.shareOf > 1
                ? " per broker (1/\(q.shareOf) of the tenant's budget: Kafka has no quota shared across principals)"
                : " per broker")
    }
}
