import ArchitectCore

/// Topics, ACLs and quotas for the Mongey/kafka Terraform provider.
enum TerraformTarget {
    /// On Amazon MSK (`mskCluster` names its `aws_msk_cluster`), the module also requires the AWS provider —
    /// one `required_providers` block per module — and the kafka provider reaches the cluster's SCRAM listeners.
    static func files(_ r: DesignResult, mskCluster: String? = nil) -> [GeneratedFile] {
        var out = header(mskCluster: mskCluster)
        for t in r.topics {
            out += [
                "resource \"kafka_topic\" \"\(Deliverables.identifier(t.name))\" {",
                "  name               = \"\(t.name)\"",
                "  replication_factor = \(t.replicationFactor)",
                "  partitions         = \(t.partitions)",
                "  config = {",
            ]
            // Aligned as `terraform fmt` aligns a map's `=`, so a `fmt -check` in CI passes.
            let width = t.configs.map(\.key.count).max() ?? 0
            out += t.configs.map {
                "    \"\($0.key)\"" + String(repeating: " ", count: width - $0.key.count) + " = \"\($0.value)\""
            }
            out += ["  }", "}", ""]
        }
        var seen: Set<String> = []
        for acl in r.acls {
            let name = aclResourceName(acl)
            guard seen.insert(name).inserted else { continue }  // the same ACL twice is one ACL
            out += [
                "resource \"kafka_acl\" \"\(name)\" {",
                "  resource_name                = \"\(acl.resourceName)\"",
                "  resource_type                = \"\(resourceType(acl))\"",
                "  resource_pattern_type_filter = \"\(acl.patternType == .prefixed ? "Prefixed" : "Literal")\"",
                "  acl_principal                = \"\(acl.principal)\"",
                "  acl_host                     = \"*\"",
                "  acl_operation                = \"\(acl.operation)\"",
                "  acl_permission_type          = \"Allow\"",
                "}", "",
            ]
        }
        for q in r.quotas {
            out += [
                "resource \"kafka_quota\" \"\(Deliverables.identifier(Deliverables.userName(q.principal)))\" {",
                "  entity_name = \"\(Deliverables.userName(q.principal))\"",
                "  entity_type = \"user\"",
                "  config = {",
            ]
            // All three keys have the same length: `terraform fmt` leaves one space before `=`.
            if let v = q.producerByteRate { out.append("    \"producer_byte_rate\" = \"\(Int64(v))\"") }
            if let v = q.consumerByteRate { out.append("    \"consumer_byte_rate\" = \"\(Int64(v))\"") }
            if let v = q.requestPercentage { out.append("    \"request_percentage\" = \"\(Int64(v))\"") }
            out += ["  }", "}", ""]
        }
        return [
            GeneratedFile(path: "terraform/main.tf", contents: out.joined(separator: "\n")),
            GeneratedFile(path: "terraform/moved.tf", contents: movedBlocks(r)),
        ]
    }

    /// The module's providers, and the kafka provider's connection.
    static func header(mskCluster: String?) -> [String] {
        var out = ["# \(Deliverables.header)", "", "terraform {", "  required_providers {"]
        if mskCluster != nil {
            out += ["    aws = {", "      source  = \"hashicorp/aws\"", "      version = \">= 5.0\"", "    }"]
        }
        out += [
            "    kafka = {", "      source  = \"Mongey/kafka\"", "      version = \"~> 0.7\"", "    }", "  }", "}", "",
        ]
        if let cluster = mskCluster {
            out += [
                "# The cluster in msk.tf: apply it first (DEPLOYMENT.md), then this provider can reach it.",
                "provider \"kafka\" {",
                "  bootstrap_servers = split(\",\", aws_msk_cluster.\(cluster).bootstrap_brokers_sasl_scram)",
                "  tls_enabled       = true", "  sasl_mechanism    = \"scram-sha512\"", "}", "",
            ]
        } else {
            out += [
                "variable \"bootstrap_servers\" {", "  type        = list(string)",
                "  description = \"Brokers to connect to, host:port\"", "}", "",
                "provider \"kafka\" {", "  bootstrap_servers = var.bootstrap_servers", "  tls_enabled       = true",
                "  sasl_mechanism    = \"scram-sha512\"", "}", "",
            ]
        }
        return out
    }

    static func resourceType(_ acl: AclEntry) -> String {
        switch acl.resourceType {
        case .topic: "Topic"
        case .group: "Group"
        case .transactionalId: "TransactionalID"
        case .cluster: "Cluster"
        }
    }

    /// An ACL's Terraform name from its content, never its position: the Mongey/kafka provider
    /// replaces (ForceNew) an ACL whose address changes, so a positional name would destroy and
    /// recreate every ACL after the one a new service inserts. Readable parts (principal, resource
    /// type and name, pattern, operation) and 8 hex digits of FNV-1a over the exact content, because
    /// sanitising is lossy (`orders.events` and `orders_events` read the same).
    static func aclResourceName(_ acl: AclEntry) -> String {
        let content = [
            acl.principal, resourceType(acl), acl.resourceName, acl.patternType.rawValue, acl.operation, "Allow", "*",
        ].joined(separator: "|")
        var hash: UInt32 = 0x811C_9DC5
        for byte in content.utf8 {
            hash ^= UInt32(byte)
            hash &*= 0x0100_0193
        }
        let hex = String(hash, radix: 16)
        let parts = [
            Deliverables.userName(acl.principal), acl.resourceType.rawValue, acl.resourceName,
            acl.patternType == .prefixed ? "prefixed" : nil, acl.operation,
        ].compactMap { $0 }
        return "acl_" + Deliverables.identifier(parts.joined(separator: "_")) + "_"
            + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// `moved` blocks (Terraform 1.1+) from the positional names kafka-architect wrote before, so an
    /// applied state is renamed in place instead of every ACL being destroyed and created again.
    static func movedBlocks(_ r: DesignResult) -> String {
        var out = [
            "# \(Deliverables.header)",
            "# Renames ACLs from the positional names of earlier kafka-architect versions (acl_000_<user>, ...) to",
            "# names derived from their content. Apply once with this file; delete it when every state has moved.",
            "",
        ]
        for (i, acl) in r.acls.enumerated() {
            let old = "acl_\(format3(i))_\(Deliverables.identifier(Deliverables.userName(acl.principal)))"
            out += ["moved {", "  from = kafka_acl.\(old)", "  to   = kafka_acl.\(aclResourceName(acl))", "}", ""]
        }
        return out.joined(separator: "\n")
    }

    static func format3(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 3 - s.count)) + s
    }
}
