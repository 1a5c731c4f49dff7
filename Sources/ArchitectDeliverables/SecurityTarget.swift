import ArchitectCore

// Listener security for the brokers and controllers, and the SCRAM credentials outside Strimzi.
//
// - Clients and brokers (inter-broker traffic) use the SASL_SSL listener with SCRAM-SHA-512 (SASL_PLAINTEXT
//   when `environment.tls` is false: SCRAM still never sends the password, but records are unencrypted).
// - Brokers reach the controllers over mutual TLS: the controllers require a certificate signed by the
//   cluster's CA, and `ssl.principal.mapping.rules` turns its CN into the principal (CN=kafka-broker →
//   User:kafka-broker), a super user. SCRAM cannot authenticate controller connections (the credentials
//   live in the metadata the controllers serve), so the controller listener is always TLS, whatever
//   `environment.tls` says: its traffic is small.
// - Key and trust stores are files at fixed paths; their passwords and the SCRAM passwords come from the
//   environment (`${env:…}`, EnvVarConfigProvider) and are never written into a generated file.
// - In KRaft, the brokers' own SCRAM user must exist before any broker starts: it is stored at storage
//   format time (`kafka-storage.sh format --add-scram`, scripts/format-storage.sh), with the admin user
//   the other scripts connect as. Client users are created afterwards from a file (`kafka-configs.sh
//   --add-config-file`), so no client password is on a command line.
enum SecurityTarget {
    static let brokerUser = "kafka-broker"
    static let controllerUser = "kafka-controller"
    static let adminUser = "admin"
    static let mechanism = "SCRAM-SHA-512"
    static let secrets = "/etc/kafka/secrets"
    /// TLS 1.3 and 1.2 only; TLS 1.0 and 1.1 are off (RFC 8996).
    static let protocols = "TLSv1.3,TLSv1.2"
    /// CN=name,OU=…,O=… → name; anything else keeps the full distinguished name (never a super user).
    static let principalRule = "RULE:^CN=([a-zA-Z0-9._-]+)(,.*)?$/$1/,DEFAULT"
    static let superUsers = "User:\(adminUser);User:\(brokerUser);User:\(controllerUser)"

    static func listenerProtocol(_ a: Architecture) -> String { a.environment.tls ? "SASL_SSL" : "SASL_PLAINTEXT" }

    /// The node's own key and certificate and the CA it trusts, with the TLS versions pinned.
    static func tls(keystore: String) -> [String] {
        [
            "# TLS: this node's key and certificate (PKCS12, its password from the environment) and the cluster's CA.",
            "ssl.keystore.type=PKCS12",
            "ssl.keystore.location=\(secrets)/\(keystore).keystore.p12",
            "ssl.keystore.password=${env:KAFKA_SSL_KEYSTORE_PASSWORD}",
            "ssl.key.password=${env:KAFKA_SSL_KEYSTORE_PASSWORD}",
            "ssl.truststore.type=PEM",
            "ssl.truststore.location=\(secrets)/ca.crt",
            "ssl.enabled.protocols=\(protocols)",
            "ssl.protocol=TLSv1.3",
            "ssl.endpoint.identification.algorithm=https",
            "# Certificates name their node in the CN: CN=\(brokerUser) is User:\(brokerUser).",
            "ssl.principal.mapping.rules=\(principalRule)",
        ]
    }

    /// The SCRAM login of the brokers' own user, for the connections they open to each other.
    static func brokerLogin(_ a: Architecture) -> String {
        let listener = listenerProtocol(a).lowercased()
        return "listener.name.\(listener).\(mechanism.lowercased()).sasl.jaas.config="
            + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"\(brokerUser)\" password=\"${env:KAFKA_BROKER_SCRAM_PASSWORD}\";"
    }

    /// A broker's listener and authentication settings.
    static func broker(_ a: Architecture) -> [String] {
        let l = listenerProtocol(a)
        var lines = [
            "# Clients and brokers: \(l) with \(mechanism); brokers to controllers: mutual TLS (CONTROLLER).",
            "listeners=\(l)://0.0.0.0:9093",
            "advertised.listeners=\(l)://${env:ADVERTISED_HOST}:9093",
            "inter.broker.listener.name=\(l)",
            "listener.security.protocol.map=CONTROLLER:SSL,\(l):\(l)",
            "sasl.enabled.mechanisms=\(mechanism)",
            "sasl.mechanism.inter.broker.protocol=\(mechanism)",
            "# The brokers' own user, stored at storage format time (scripts/format-storage.sh).",
            brokerLogin(a),
        ]
        if !a.environment.tls {
            lines.insert(
                "# environment.tls is false: SCRAM never sends passwords, but records cross the network unencrypted.",
                at: 1)
        }
        return lines + tls(keystore: "broker")
    }

    /// A controller's listener: TLS with a client certificate required of every connection.
    static func controller() -> [String] {
        [
            "# Brokers and controllers connect here with a certificate signed by the cluster's CA (mutual TLS).",
            "listeners=CONTROLLER://0.0.0.0:9094",
            "listener.security.protocol.map=CONTROLLER:SSL",
            "listener.name.controller.ssl.client.auth=required",
        ] + tls(keystore: "controller")
    }

    /// What the remote log metadata manager's own clients need to reach the brokers' listener.
    static func remoteLogMetadataClient(_ a: Architecture) -> [String] {
        let prefix = "rlmm.config.remote.log.metadata.common.client."
        var lines = [
            "# The metadata manager's clients connect to the brokers' listener as the brokers' user.",
            "\(prefix)security.protocol=\(listenerProtocol(a))",
            "\(prefix)sasl.mechanism=\(mechanism)",
            "\(prefix)sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"\(brokerUser)\" password=\"${env:KAFKA_BROKER_SCRAM_PASSWORD}\";",
        ]
        if a.environment.tls {
            lines += ["\(prefix)ssl.truststore.type=PEM", "\(prefix)ssl.truststore.location=\(secrets)/ca.crt"]
        }
        return lines
    }

    /// The users the clients authenticate as: every principal given access or a quota, in first use.
    static func clientUsers(_ r: DesignResult) -> [String] {
        var users: [String] = []
        for p in r.acls.map(\.principal) + r.quotas.map(\.principal) {
            let name = Deliverables.userName(p)
            if p.hasPrefix("User:"), !users.contains(name) { users.append(name) }
        }
        return users
    }

    /// The environment variable a user's password is read from: SCRAM_PASSWORD_ORDER_SERVICE.
    static func passwordVariable(_ user: String) -> String {
        "SCRAM_PASSWORD_" + String(user.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    static func scripts(_ r: DesignResult) -> [GeneratedFile] {
        [
            GeneratedFile(path: "scripts/format-storage.sh", contents: formatStorage().joined(separator: "\n") + "\n"),
            GeneratedFile(
                path: "scripts/create-scram-users.sh", contents: scramUsers(r).joined(separator: "\n") + "\n"),
        ]
    }

    static func formatStorage() -> [String] {
        [
            "#!/usr/bin/env bash",
            "# \(Deliverables.header)",
            "# Formats this node's log directories for KRaft, once, before its first start (run on every controller",
            "# and broker). On the controllers it also stores the \(mechanism) credentials of the brokers' user",
            "# (\(brokerUser), the inter-broker listener's) and of the admin user the other scripts connect as:",
            "# brokers cannot authenticate to each other before these exist.",
            "# Needs ROLE (controller or broker), CONFIG (this node's controller.properties or server.properties),",
            "# CLUSTER_ID (kafka-storage.sh random-uuid, once, the same on every node) and, on controllers,",
            "# INITIAL_CONTROLLERS (id@host:port:directory-id for the three, e.g. 0@controller-0:9094:<kafka-storage.sh random-uuid>,…),",
            "# KAFKA_BROKER_SCRAM_PASSWORD and KAFKA_ADMIN_SCRAM_PASSWORD.",
            "# kafka-storage.sh takes SCRAM passwords only as arguments: they are visible to this host's process list",
            "# for the seconds it runs. Run it on the node itself, from a shell that does not log commands.",
            "set -euo pipefail",
            ": \"${ROLE:?set ROLE to controller or broker}\"",
            ": \"${CONFIG:?set CONFIG to the properties file of this node}\"",
            ": \"${CLUSTER_ID:?set CLUSTER_ID to the cluster id (kafka-storage.sh random-uuid, the same on every node)}\"",
            "",
            "case \"$ROLE\" in",
            "  controller)",
            "    : \"${INITIAL_CONTROLLERS:?set INITIAL_CONTROLLERS to id@host:port:directory-id of each controller}\"",
            "    : \"${KAFKA_BROKER_SCRAM_PASSWORD:?set KAFKA_BROKER_SCRAM_PASSWORD}\"",
            "    : \"${KAFKA_ADMIN_SCRAM_PASSWORD:?set KAFKA_ADMIN_SCRAM_PASSWORD}\"",
            "    kafka-storage.sh format --config \"$CONFIG\" --cluster-id \"$CLUSTER_ID\" --ignore-formatted \\",
            "      --initial-controllers \"$INITIAL_CONTROLLERS\" \\",
            "      --add-scram \"\(mechanism)=[name=\(brokerUser),password=${KAFKA_BROKER_SCRAM_PASSWORD}]\" \\",
            "      --add-scram \"\(mechanism)=[name=\(adminUser),password=${KAFKA_ADMIN_SCRAM_PASSWORD}]\"",
            "    ;;",
            "  broker)",
            "    kafka-storage.sh format --config \"$CONFIG\" --cluster-id \"$CLUSTER_ID\" --ignore-formatted",
            "    ;;",
            "  *)",
            "    echo \"format-storage.sh: ROLE must be controller or broker, not '$ROLE'\" >&2",
            "    exit 2",
            "    ;;",
            "esac",
        ]
    }

    // Long because: a shell script's lines, one per line.
    static func scramUsers(_ r: DesignResult) -> [String] {
        var lines = [
            "#!/usr/bin/env bash",
            "# \(Deliverables.header)",
            "# Creates (or replaces) the \(mechanism) credential of each client user. Each password is read from",
            "# the environment variable named below, written to a file only this user can read for the one",
            "# kafka-configs.sh call that needs it, and removed: no password is ever on a command line.",
            "# The services read the same passwords from \(secrets)/<user>.properties (their client configs).",
            "# Needs BOOTSTRAP (host:port) and COMMAND_CONFIG (a client properties file with admin credentials).",
            "set -euo pipefail",
            ": \"${BOOTSTRAP:?set BOOTSTRAP to host:port}\"",
            ": \"${COMMAND_CONFIG:?set COMMAND_CONFIG to an admin client properties file}\"",
            "umask 077",
            "credentials=\"$(mktemp)\"",
            "trap 'rm -f \"$credentials\"' EXIT",
            "",
            "# add_user USER VARIABLE: USER's credential from the password in the environment variable VARIABLE.",
            "add_user() {",
            "  local user=\"$1\" variable=\"$2\"",
            "  if [ -z \"${!variable:-}\" ]; then",
            "    echo \"create-scram-users.sh: set $variable to the password of $user\" >&2",
            "    exit 2",
            "  fi",
            "  local password=\"${!variable}\"",
            "  # A properties file: a backslash in the password is written as two.",
            "  printf '\(mechanism)=iterations=8192,password=%s\\n' \"${password//\\\\/\\\\\\\\}\" > \"$credentials\"",
            "  kafka-configs.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$COMMAND_CONFIG\" --alter \\",
            "    --entity-type users --entity-name \"$user\" --add-config-file \"$credentials\"",
            "  : > \"$credentials\"",
            "}",
            "",
        ]
        for user in clientUsers(r) { lines.append("add_user '\(user)' \(passwordVariable(user))") }
        return lines
    }
}
