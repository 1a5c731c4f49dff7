import ArchitectCore

/// Topics, ACLs and quotas for the Mongey/kafka Terraform provider.
enum TerraformTarget {
    static func files(_ r: DesignResult) -> [GeneratedFile] {
        var out = [
            "# \(Deliverables.header)", "",
            "terraform {", "  required_providers {", "    kafka = {", "      source  = \"Mongey/kafka\"",
            "      version = \"~> 0.7\"", "    }", "  }", "}", "",
            "variable \"bootstrap_servers\" {", "  type        = list(string)",
            "  description = \"Brokers to connect to, host:port\"", "}", "",
            "provider \"kafka\" {", "  bootstrap_servers = var.bootstrap_servers", "  tls_enabled       = true",
            "  sasl_mechanism    = \"scram-sha512\"", "}", "",
        ]
        for t in r.topics {
            out += [
                "resource \"kafka_topic\" \"\(Deliverables.identifier(t.name))\" {",
                "  name               = \"\(t.name)\"",
                "  replication_factor = \(t.replicationFactor)",
                "  partitions         = \(t.partitions)",
                "  config = {",
            ]
            out += t.configs.map { "    \"\($0.key)\" = \"\($0.value)\"" }
            out += ["  }", "}", ""]
        }
        for (i, acl) in r.acls.enumerated() {
            let type: String =
                switch acl.resourceType {
                case .topic: "Topic"
                case .group: "Group"
                case .transactionalId: "TransactionalID"
                case .cluster: "Cluster"
                }
            out += [
                "resource \"kafka_acl\" \"acl_\(String(format3(i)))_\(Deliverables.identifier(Deliverables.userName(acl.principal)))\" {",
                "  resource_name                = \"\(acl.resourceName)\"",
                "  resource_type                = \"\(type)\"",
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
            if let v = q.producerByteRate { out.append("    \"producer_byte_rate\" = \"\(Int64(v))\"") }
            if let v = q.consumerByteRate { out.append("    \"consumer_byte_rate\" = \"\(Int64(v))\"") }
            if let v = q.requestPercentage { out.append("    \"request_percentage\" = \"\(Int64(v))\"") }
            out += ["  }", "}", ""]
        }
        return [GeneratedFile(path: "terraform/main.tf", contents: out.joined(separator: "\n"))]
    }

    static func format3(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 3 - s.count)) + s
    }
}
