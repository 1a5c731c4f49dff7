import ArchitectCore

/// The deliverables of a design deployed on Amazon MSK. AWS runs the brokers and controllers, so what a
/// self-managed cluster needs — server.properties, Strimzi resources, storage formatting, SCRAM users made
/// with kafka-configs, a JMX exporter — gives way to an MSK configuration and cluster in Terraform, with the
/// SCRAM users as Secrets Manager secrets associated to the cluster. `DEPLOYMENT.md` lists what was left out
/// and why.
enum MSKTarget {
    static func generate(_ r: DesignResult, architecture a: Architecture, targets: [DeliverableTarget])
        -> [GeneratedFile]
    {
        var files: [GeneratedFile] = []
        var skipped: [String] = []
        for t in targets {
            switch t {
            case .terraform:
                files += TerraformTarget.files(r, mskCluster: Deliverables.identifier(r.plan.name))
                files.append(GeneratedFile(path: "terraform/msk.tf", contents: terraform(r, a)))
            case .strimzi:
                skipped.append(
                    "strimzi: Strimzi runs Kafka on Kubernetes; on MSK, AWS runs the brokers (terraform/msk.tf).")
            case .scripts:
                files += ScriptsTarget.files(r, msk: true)
                skipped.append(
                    "scripts/format-storage.sh and scripts/create-scram-users.sh: MSK formats its own storage, and its SCRAM users are Secrets Manager secrets associated to the cluster (terraform/msk.tf)."
                )
            case .clientConfigs: files += ClientConfigTarget.files(r)
            case .brokerConfig:
                files.append(
                    GeneratedFile(path: "broker-config/msk-configuration.properties", contents: configuration(r, a)))
            case .prometheus, .grafana:
                if !skipped.contains(where: { $0.hasPrefix("prometheus") }) {
                    skipped.append(
                        "prometheus and grafana: the alerts and dashboard read the metric names of this tool's JMX exporter rules; MSK's open monitoring (enabled in terraform/msk.tf, ports 11001 and 11002) names its metrics itself, so they are not generated for MSK yet."
                    )
                }
            case .runbooks:
                files += RunbookTarget.files(r, a).filter { !selfManagedRunbooks.contains($0.path) }
            case .schemas: files += SchemaTarget.files(r, a)
            case .reports: files += DecisionRecordsTarget.files(r, a)
            }
        }
        let text =
            ["# Deployment: Amazon MSK", "", "<!-- \(Deliverables.header) -->", ""]
            + [
                "The design deploys on Amazon MSK provisioned (\(r.plan.brokers) × \(r.plan.instance.type.name)).", "",
                "## Order of the first deployment", "",
                "MSK has no super users, and SASL/SCRAM clusters need `allow.everyone.if.no.acl.found=false` to enforce ACLs; turning it off before any ACL exists locks every client out, the admin included. So:",
                "",
                "1. In terraform/: `terraform apply -var acls_enforced=false -target=aws_msk_cluster.\(Deliverables.identifier(r.plan.name)) -target=aws_msk_scram_secret_association.\(Deliverables.identifier(r.plan.name))`: the cluster, its configuration and the SCRAM secrets (`scram_passwords` holds each user's password, `admin` included). The kafka provider in main.tf reads the cluster's SCRAM bootstrap brokers (`terraform output bootstrap_brokers_sasl_scram`), so the cluster must exist before the rest is planned.",
                "2. Grant the admin everything: the first four commands of scripts/create-acls.sh, as `admin` over SASL_SSL (port 9096, SCRAM-SHA-512; the kafka provider authenticates the same way, with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD).",
                "3. Topics, ACLs and quotas, one way only: `terraform apply` (main.tf's kafka_topic, kafka_acl and kafka_quota resources), or the rest of scripts/create-topics.sh, create-acls.sh and set-quotas.sh. Both describe the same topology; running both makes Terraform find objects it did not create. The Terraform way also applies the enforced configuration, so step 4 then changes nothing.",
                "4. `terraform apply -target=aws_msk_configuration.\(Deliverables.identifier(r.plan.name)) -target=aws_msk_cluster.\(Deliverables.identifier(r.plan.name))`: `acls_enforced` is true by default, so the configuration's new revision sets `allow.everyone.if.no.acl.found=false`, and every later apply keeps it.",
                "",
            ]
        var notes = skipped.isEmpty ? [] : ["## Not generated, and why", ""] + skipped.map { "- \($0)" }
        if !targets.contains(.terraform) {
            notes += ["", "The cluster itself is `terraform/msk.tf`: generate it with `--target terraform`."]
        }
        files.append(GeneratedFile(path: "DEPLOYMENT.md", contents: (text + notes).joined(separator: "\n") + "\n"))
        return files
    }

    /// Runbooks for work AWS does on MSK: replacing brokers, the controller quorum, rolling upgrades.
    static let selfManagedRunbooks: Set<String> = [
        "runbooks/broker-replacement.md", "runbooks/controller-quorum.md", "runbooks/rolling-upgrade.md",
    ]

    /// The cluster settings MSK lets a configuration set (the same as the self-managed brokers').
    static func configuration(_ r: DesignResult, _ a: Architecture) -> String {
        (["# \(Deliverables.header)", "# Amazon MSK configuration (aws_msk_configuration in terraform/msk.tf)."]
            + BrokerConfigTarget.clusterSettings(r, a).map { "\($0.0)=\($0.1)" }
            + [
                "# Enforce ACLs once they exist (DEPLOYMENT.md: the first deployment sets it to true until then).",
                "allow.everyone.if.no.acl.found=false",
            ]).joined(separator: "\n") + "\n"
    }

    static func terraform(_ r: DesignResult, _ a: Architecture) -> String {
        let p = r.plan
        let name = Deliverables.identifier(p.name, separator: "-")
        let volumeGiB = min(16_384, max(1, Int((p.storage.volumeSizeBytes / 1_073_741_824).rounded(.up))))
        let throughputMiB = Int((p.storage.volumeThroughputBytesPerSecond / 1_048_576).rounded(.up))
        let provisioned = p.storage.volumeThroughputBytesPerSecond > InstanceCatalog.volumeDefault + 1
        var lines = [
            "# \(Deliverables.header)",
            "# Amazon MSK provisioned: \(p.brokers) × \(p.instance.type.name) over \(a.environment.availabilityZones) zones, as planned.",
            "# The module's providers are required in main.tf.", "",
            "variable \"kafka_version\" {",
            "  description = \"A version MSK offers (aws kafka list-kafka-versions)\(a.environment.controller == .kraft ? ", in KRaft mode" : "")\"",
            "  default     = \"\(a.environment.controller == .kraft ? "3.7.x.kraft" : "3.6.0")\"", "}", "",
            "variable \"client_subnets\" {",
            "  description = \"One subnet per availability zone (\(a.environment.availabilityZones)); the broker count is a multiple of them\"",
            "  type        = list(string)", "}", "",
            "variable \"security_groups\" {", "  type = list(string)", "}", "",
            "variable \"region\" {", "  default = \"\(a.environment.region)\"", "}", "",
            "provider \"aws\" {", "  region = var.region", "}", "",
            "variable \"acls_enforced\" {",
            "  description = \"false only for the first deployment, until the admin has its ACLs (DEPLOYMENT.md)\"",
            "  type        = bool", "  default     = true", "}", "",
            "variable \"scram_passwords\" {", "  description = \"Password of each SCRAM user, by user name\"",
            "  type        = map(string)", "  sensitive   = true", "}", "",
            "resource \"aws_msk_configuration\" \"\(Deliverables.identifier(p.name))\" {",
            "  name           = \"\(name)\"", "  kafka_versions = [var.kafka_version]",
            "  server_properties = <<-PROPERTIES",
        ]
        lines += BrokerConfigTarget.clusterSettings(r, a).map { "    \($0.0)=\($0.1)" }
        lines += [
            "    allow.everyone.if.no.acl.found=${var.acls_enforced ? \"false\" : \"true\"}", "  PROPERTIES", "}", "",
        ]
        lines += cluster(r, a, volumeGiB: volumeGiB, throughputMiB: provisioned ? throughputMiB : nil)
        lines += scram(r, a)
        lines += [
            "", "output \"bootstrap_brokers_sasl_scram\" {",
            "  value = aws_msk_cluster.\(Deliverables.identifier(p.name)).bootstrap_brokers_sasl_scram", "}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    static func cluster(_ r: DesignResult, _ a: Architecture, volumeGiB: Int, throughputMiB: Int?) -> [String] {
        let p = r.plan
        let id = Deliverables.identifier(p.name)
        var lines = [
            "resource \"aws_msk_cluster\" \"\(id)\" {",
            "  cluster_name           = \"\(Deliverables.identifier(p.name, separator: "-"))\"",
            "  kafka_version          = var.kafka_version",
            "  number_of_broker_nodes = \(p.brokers)",
        ]
        if a.environment.tieredStorage != nil { lines.append("  storage_mode           = \"TIERED\"") }
        lines += [
            "", "  broker_node_group_info {", "    instance_type   = \"\(p.instance.type.name)\"",
            "    client_subnets  = var.client_subnets", "    security_groups = var.security_groups",
            "    storage_info {", "      ebs_storage_info {",
            "        volume_size = \(volumeGiB) # GiB per broker, as planned",
        ]
        if let throughputMiB {
            lines += [
                "        provisioned_throughput {", "          enabled           = true",
                "          volume_throughput = \(throughputMiB) # MiB/s, as planned", "        }",
            ]
        }
        lines += [
            "      }", "    }", "  }", "",
            "  configuration_info {", "    arn      = aws_msk_configuration.\(id).arn",
            "    revision = aws_msk_configuration.\(id).latest_revision", "  }", "",
            "  client_authentication {", "    sasl {", "      scram = true", "    }", "  }", "",
            "  encryption_info {", "    encryption_in_transit {", "      client_broker = \"TLS\"",
            "      in_cluster    = true", "    }", "  }", "",
            "  open_monitoring {", "    prometheus {", "      jmx_exporter {", "        enabled_in_broker = true",
            "      }", "      node_exporter {", "        enabled_in_broker = true", "      }", "    }", "  }", "}", "",
        ]
        return lines
    }

    /// One Secrets Manager secret per SCRAM user, named AmazonMSK_… and encrypted with a customer-managed key
    /// (MSK refuses secrets under the default key), associated to the cluster.
    static func scram(_ r: DesignResult, _ a: Architecture) -> [String] {
        let id = Deliverables.identifier(r.plan.name)
        let users = [SecurityTarget.adminUser] + SecurityTarget.clientUsers(r)
        var lines = [
            "resource \"aws_kms_key\" \"\(id)_scram\" {",
            "  description = \"SCRAM secrets of the \(r.plan.name) MSK cluster\"", "}", "",
        ]
        for user in users {
            let u = Deliverables.identifier(user)
            lines += [
                "resource \"aws_secretsmanager_secret\" \"scram_\(u)\" {",
                "  name       = \"AmazonMSK_\(Deliverables.identifier(r.plan.name, separator: "-"))_\(user)\"",
                "  kms_key_id = aws_kms_key.\(id)_scram.key_id", "}", "",
                "resource \"aws_secretsmanager_secret_version\" \"scram_\(u)\" {",
                "  secret_id     = aws_secretsmanager_secret.scram_\(u).id",
                "  secret_string = jsonencode({ username = \"\(user)\", password = var.scram_passwords[\"\(user)\"] })",
                "}", "",
            ]
        }
        lines += [
            "resource \"aws_msk_scram_secret_association\" \"\(id)\" {",
            "  cluster_arn     = aws_msk_cluster.\(id).arn",
            "  secret_arn_list = ["
                + users.map { "aws_secretsmanager_secret.scram_\(Deliverables.identifier($0)).arn" }
                .joined(separator: ", ") + "]",
            "  depends_on      = ["
                + users.map { "aws_secretsmanager_secret_version.scram_\(Deliverables.identifier($0))" }
                .joined(separator: ", ") + "]",
            "}",
        ]
        return lines
    }
}
