// Security: traffic in clear text, anyone allowed, secrets in files.

extension LintRules {
    static let security: [LintRule] = [
        LintRule(
            "KA-SEC-001", .security, .warning, title: "Unencrypted listener",
            kinds: [.broker], keys: ["listeners", "listener.security.protocol.map"],
            rationale:
                "A listener whose protocol is PLAINTEXT — whatever its name — carries records and credentials unencrypted and unauthenticated; SASL_PLAINTEXT authenticates but still carries every record in clear. Kafka's default listener (listeners unset) is PLAINTEXT://:9092 on every interface.",
            fix: "Map every listener reachable off the machine to SSL or SASL_SSL; keep PLAINTEXT for loopback only.",
            fires: RuleExample(
                .broker,
                "broker.id=1\nlisteners=INTERNAL://0.0.0.0:9092\nlistener.security.protocol.map=INTERNAL:PLAINTEXT\n"),
            passes: RuleExample(
                .broker,
                "broker.id=1\nlisteners=INTERNAL://:9093,LOCAL://127.0.0.1:9092\nlistener.security.protocol.map=INTERNAL:SASL_SSL,LOCAL:PLAINTEXT\n"
            )
        ) { u, _ in
            // Controller listeners are KA-SEC-015's, SASL_PLAINTEXT with PLAIN KA-SEC-003's: one listener, one finding.
            let open = Listeners.resolve(u).filter { l in
                !l.isLoopback && !l.isController
                    && (l.protocolName == "PLAINTEXT"
                        || (l.protocolName == "SASL_PLAINTEXT" && !l.mechanisms.contains("PLAIN")))
            }
            guard let first = open.first else { return [] }
            if first.isImplicit {
                return [
                    RuleHit(
                        line: u.line("listeners"), configs: ["listeners"],
                        message:
                            "listeners not set (default PLAINTEXT://:9092): clear-text, unauthenticated on every interface"
                    )
                ]
            }
            let named = open.map { l in
                l.protocolName == "SASL_PLAINTEXT"
                    ? "\(l.text) (SASL_PLAINTEXT: authenticated, not encrypted)"
                    : l.name == "PLAINTEXT" ? l.text : "\(l.text) (PLAINTEXT)"
            }
            let what =
                open.allSatisfy { $0.protocolName == "SASL_PLAINTEXT" } ? "clear-text" : "clear-text, unauthenticated"
            // A Strimzi listener is pointed at where it is declared.
            if let item = u.settings["strimzi.listener.\(first.name.lowercased())"] {
                let strimziNames = open.map { l in
                    "'\(l.name.lowercased())' (port \(l.port), tls: false\(l.protocolName == "SASL_PLAINTEXT" ? ", SASL" : ""))"
                }
                return [
                    RuleHit(
                        line: item.line, configs: [item.key],
                        message:
                            "\(what) listener\(open.count > 1 ? "s" : "") reachable off the machine: \(strimziNames.joined(separator: ", "))"
                    )
                ]
            }
            return hit(
                u, "listeners",
                "\(what) listener\(open.count > 1 ? "s" : "") reachable off the machine: \(named.joined(separator: ", "))",
                also: u.has("listener.security.protocol.map") ? ["listener.security.protocol.map"] : [])
        },
        LintRule(
            "KA-SEC-002", .security, .warning, title: "Client connects in plain text",
            kinds: clients, keys: ["security.protocol"],
            rationale:
                "security.protocol=PLAINTEXT (the default) sends records unencrypted and without authentication.",
            fix: "Set security.protocol=SASL_SSL (or SSL) and the matching credentials.",
            fires: RuleExample(.producer, "bootstrap.servers=kafka:9092\nacks=all\n"),
            passes: RuleExample(
                .producer, "bootstrap.servers=kafka:9093\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n")
        ) { u, c in
            guard !u.isStrimzi else { return [] }
            let p = c.value(u, "security.protocol")?.uppercased()
            // SASL_PLAINTEXT with PLAIN is KA-SEC-003's; with any other mechanism records still travel in clear.
            if p == "SASL_PLAINTEXT", (u.value("sasl.mechanism") ?? "GSSAPI").uppercased() != "PLAIN" {
                return hit(
                    u, "security.protocol",
                    "security.protocol=SASL_PLAINTEXT: authenticated, but records are not encrypted")
            }
            return p == "PLAINTEXT"
                ? hit(
                    u, "security.protocol",
                    u.has("security.protocol")
                        ? "security.protocol=PLAINTEXT: no encryption, no authentication"
                        : "no security.protocol: the client uses PLAINTEXT") : []
        },
        LintRule(
            "KA-SEC-003", .security, .error, title: "SASL/PLAIN without TLS",
            kinds: clients.union([.broker]), keys: ["sasl.mechanism", "security.protocol", "sasl.enabled.mechanisms"],
            rationale: "SASL PLAIN sends the password itself; over SASL_PLAINTEXT anyone on the path reads it.",
            fix:
                "Use SASL_SSL (security.protocol, or the listener's protocol), and prefer SCRAM-SHA-512 or OAUTHBEARER.",
            fires: RuleExample(.consumer, "group.id=g\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"),
            passes: RuleExample(.consumer, "group.id=g\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n")
        ) { u, _ in
            if u.kind == .broker {
                let exposed = Listeners.resolve(u).filter {
                    $0.protocolName == "SASL_PLAINTEXT" && $0.mechanisms.contains("PLAIN") && !$0.isLoopback
                }
                guard !exposed.isEmpty else { return [] }
                let key = u.has("sasl.enabled.mechanisms") ? "sasl.enabled.mechanisms" : "listeners"
                return hit(
                    u, key,
                    "SASL PLAIN over SASL_PLAINTEXT sends passwords in clear on \(exposed.map(\.text).joined(separator: ", "))",
                    also: ["listeners"])
            }
            let proto = u.value("security.protocol")?.uppercased()
            let mech = (u.value("sasl.mechanism") ?? "GSSAPI").uppercased()
            return proto == "SASL_PLAINTEXT" && mech == "PLAIN"
                ? hit(
                    u, "sasl.mechanism", "SASL PLAIN over SASL_PLAINTEXT sends the password in clear",
                    also: ["security.protocol"]) : []
        },
        LintRule(
            "KA-SEC-004", .security, .error, title: "TLS hostname verification disabled",
            kinds: clients.union([.broker, .mirrormaker, .connector, .bridge]),
            keys: ["ssl.endpoint.identification.algorithm"],
            rationale:
                "An empty ssl.endpoint.identification.algorithm accepts any certificate for any host: a man in the middle goes unnoticed.",
            fix: "Remove the setting (default https) and give brokers certificates that match their advertised names.",
            fires: RuleExample(.producer, "security.protocol=SSL\nssl.endpoint.identification.algorithm=\n"),
            passes: RuleExample(.producer, "security.protocol=SSL\n")
        ) { u, _ in
            // Also under a client or cluster prefix (producer., MirrorMaker 2's A.).
            let off = u.settings(endingIn: "ssl.endpoint.identification.algorithm").filter { _, s in
                s.value.trimmingSpaces().isEmpty || s.value.lowercased() == "none"
            }
            return off.map { name, s in
                RuleHit(line: s.line, configs: [s.key], message: "\(s.key) is empty: hostname verification is disabled")
            }
        },
        LintRule(
            "KA-SEC-005", .security, .error, title: "Everyone allowed when no ACL matches",
            kinds: [.broker], keys: ["allow.everyone.if.no.acl.found"],
            rationale: "Any resource without an ACL is open to every principal, including anonymous ones.",
            fix: "Set allow.everyone.if.no.acl.found=false and grant ACLs explicitly.",
            fires: RuleExample(.broker, "broker.id=1\nallow.everyone.if.no.acl.found=true\n"),
            passes: RuleExample(.broker, "broker.id=1\n")
        ) { u, c in
            c.bool(u, "allow.everyone.if.no.acl.found") == true
                ? hit(u, "allow.everyone.if.no.acl.found", "resources without ACLs are open to everyone") : []
        },
        LintRule(
            "KA-SEC-006", .security, .warning, title: "Broad super users",
            kinds: [.broker], keys: ["super.users"],
            rationale: "Super users bypass every ACL; ANONYMOUS or many principals there undo authorization.",
            fix: "Keep super.users to the brokers' and operators' own principals.",
            fires: RuleExample(.broker, "broker.id=1\nsuper.users=User:ANONYMOUS\n"),
            passes: RuleExample(.broker, "broker.id=1\nsuper.users=User:admin\n")
        ) { u, _ in
            guard let v = u.value("super.users") else { return [] }
            let users = v.split(separator: ";").map { $0.trimmingSpaces() }
            if let open = users.first(where: { $0 == "User:ANONYMOUS" || $0 == "User:*" }) {
                return hit(u, "super.users", "super.users includes \(open): authorization is bypassed")
            }
            return users.count > 5 ? hit(u, "super.users", "\(users.count) super users bypass every ACL") : []
        },
        LintRule(
            "KA-SEC-007", .security, .warning, title: "Password written in the file",
            kinds: Set(ConfigKind.allCases),
            keys: [
                "sasl.jaas.config", "ssl.keystore.password", "ssl.key.password", "ssl.truststore.password",
                "sasl.password",
            ],
            rationale: "Secrets in configuration files end up in repositories, images and logs.",
            fix: "Use a config provider (${file:/path:key}, ${env:VAR}) or a secret store; never commit the value.",
            fires: RuleExample(.consumer, "group.id=g\nssl.keystore.password=hunter2\n"),
            passes: RuleExample(
                .consumer, "group.id=g\nssl.keystore.password=${file:/etc/kafka/secrets.properties:keystore}\n")
        ) { u, _ in
            // A setting read under two names (Streams' producer.x as x) is one written line: said once.
            var seen = Set<String>()
            return u.settings.sorted(by: { ($0.value.line, $0.key) < ($1.value.line, $1.key) }).compactMap { key, s in
                seen.insert("\(s.key)@\(s.line)").inserted && Secrets.isLiteral(key: key, value: s.value)
                    ? RuleHit(
                        line: s.line, configs: [s.key],
                        message: key.hasSuffix("sasl.jaas.config")
                            ? "\(s.key) contains a password in clear (value not shown)"
                            : "\(s.key) is written in the file (value not shown)") : nil
            }
        },
        LintRule(
            "KA-SEC-008", .security, .error, title: "Outdated TLS protocol",
            kinds: clients.union([.broker, .mirrormaker, .connector, .bridge]),
            keys: ["ssl.protocol", "ssl.enabled.protocols"],
            rationale: "TLS 1.0 and 1.1 are deprecated (RFC 8996) and broken in practice.",
            fix: "Use TLSv1.3 (or TLSv1.2) only.",
            fires: RuleExample(.producer, "security.protocol=SSL\nssl.enabled.protocols=TLSv1.2,TLSv1.1\n"),
            passes: RuleExample(.producer, "security.protocol=SSL\nssl.enabled.protocols=TLSv1.3\n")
        ) { u, _ in
            let old = (u.settings(endingIn: "ssl.protocol") + u.settings(endingIn: "ssl.enabled.protocols")).filter {
                _, s in
                s.value.split(separator: ",").contains { ["TLSv1", "TLSv1.1", "SSLv3"].contains($0.trimmingSpaces()) }
            }
            return old.prefix(1).map { _, s in
                RuleHit(line: s.line, configs: [s.key], message: "\(s.key)=\(s.value) allows a deprecated protocol")
            }
        },
        LintRule(
            "KA-SEC-009", .security, .error, title: "TLS certificate verification disabled (librdkafka)",
            kinds: clients, keys: ["enable.ssl.certificate.verification"],
            rationale: "The client accepts any broker certificate.",
            fix: "Remove enable.ssl.certificate.verification=false and configure ssl.ca.location.",
            fires: RuleExample(
                .producer,
                "queue.buffering.max.ms=5\nsecurity.protocol=SSL\nenable.ssl.certificate.verification=false\n"),
            passes: RuleExample(.producer, "queue.buffering.max.ms=5\nsecurity.protocol=SSL\n")
        ) { u, _ in
            u.value("enable.ssl.certificate.verification")?.lowercased() == "false"
                ? hit(u, "enable.ssl.certificate.verification", "broker certificates are not verified") : []
        },
        LintRule(
            "KA-SEC-010", .security, .warning, title: "SASL listener without an authorizer",
            kinds: [.broker], keys: ["authorizer.class.name", "listeners"],
            rationale:
                "Authentication without authorization lets every authenticated principal read and write every topic.",
            fix:
                "Set authorizer.class.name (org.apache.kafka.metadata.authorizer.StandardAuthorizer on KRaft) and grant ACLs.",
            fires: RuleExample(.broker, "broker.id=1\nlisteners=SASL_SSL://:9093\n"),
            passes: RuleExample(
                .broker,
                "broker.id=1\nlisteners=SASL_SSL://:9093\nauthorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer\n"
            )
        ) { u, _ in
            guard !u.isStrimzi,
                Listeners.resolve(u).contains(where: { $0.protocolName?.hasPrefix("SASL") == true }),
                !u.has("authorizer.class.name")
            else { return [] }
            return hit(
                u, "listeners",
                "SASL listeners authenticate, but no authorizer.class.name is set: every principal may do everything")
        },
        LintRule(
            "KA-SEC-011", .security, .warning, title: "User without authentication",
            kinds: [.user], keys: ["authentication.type"],
            rationale:
                "A KafkaUser without spec.authentication gets no credentials: the ACLs it carries apply to a principal nobody can log in as, or to a principal authenticated elsewhere without review.",
            fix: "Set spec.authentication.type to scram-sha-512 or tls.",
            doc: "https://strimzi.io/docs/operators/latest/configuring.html#type-KafkaUserSpec-reference",
            fires: RuleExample(.user, "authorization.type=simple\n"),
            passes: RuleExample(.user, "authentication.type=scram-sha-512\nauthorization.type=simple\n")
        ) { u, _ in
            u.has("authentication.type")
                ? []
                : [
                    RuleHit(
                        line: u.anchorLine, configs: ["spec.authentication"], message: "the user has no authentication")
                ]
        },
        LintRule(
            "KA-SEC-012", .security, .warning, title: "User ACL on every topic or group",
            kinds: [.user], keys: ["authorization.acls"],
            rationale:
                "An ACL on resource name \"*\" (or an empty prefix) grants the operation on every current and future topic or group: least privilege is lost.",
            fix: "Name the topics and groups the service uses (literal, or a tenant prefix).",
            doc: "https://strimzi.io/docs/operators/latest/configuring.html#type-AclRule-reference",
            fires: RuleExample(.user, "authentication.type=tls\nacl.0=topic|*|literal|Write\n"),
            passes: RuleExample(.user, "authentication.type=tls\nacl.0=topic|orders.|prefix|Write\n")
        ) { u, _ in
            u.settings.filter { $0.key.hasPrefix("acl.") }.sorted { $0.value.line < $1.value.line }.compactMap { _, s in
                let parts = s.value.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 4, ["topic", "group", "cluster"].contains(parts[0]),
                    parts[1] == "*" || (parts[2] == "prefix" && parts[1].isEmpty)
                else { return nil }
                return RuleHit(
                    line: s.line, configs: [s.key],
                    message: "ACL grants \(parts[3].isEmpty ? "operations" : parts[3]) on every \(parts[0])")
            }
        },
    ]
}

/// Which written values are secrets: keys ending in password or secret, JAAS configs (also
/// prefixed: producer., consumer., admin., MirrorMaker 2 cluster aliases) — unless the value is a
/// placeholder (${…}, {{ … }}, <…>, […]) that something else fills in.
enum Secrets {
    static func isSecretKey(_ key: String) -> Bool {
        let k = key.lowercased()
        return k.hasSuffix("password") || k.hasSuffix(".secret") || k.hasSuffix("client.secret")
            || k.hasSuffix("sasl.jaas.config") || k.hasSuffix("secret.key")
            // user:password for Schema Registry and other HTTP basic auth; a PEM private key inline.
            || k.hasSuffix("basic.auth.user.info") || k.hasSuffix("ssl.keystore.key")
    }

    static func isPlaceholder(_ value: String) -> Bool {
        let v = value.trimmingSpaces().trimmingQuotes()
        return (v.hasPrefix("${") && v.hasSuffix("}")) || (v.hasPrefix("{{") && v.hasSuffix("}}"))
            || (v.hasPrefix("<") && v.hasSuffix(">")) || (v.hasPrefix("[") && v.hasSuffix("]"))
            || (v.hasPrefix("{") && v.hasSuffix("}"))
            || (v.hasPrefix("$") && !v.dropFirst().contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }))
    }

    /// Whether a setting writes a secret literally: a password value, or a JAAS config whose
    /// password= option is not a placeholder.
    static func isLiteral(key: String, value: String) -> Bool {
        guard isSecretKey(key), !value.trimmingSpaces().isEmpty else { return false }
        if key.lowercased().hasSuffix("sasl.jaas.config") {
            return jaasPasswords(value).contains { !$0.isEmpty && !isPlaceholder($0) }
        }
        return !isPlaceholder(value)
    }

    /// Values of every `password=` / `*Password=` option in a JAAS config line, quotes removed.
    static func jaasPasswords(_ jaas: String) -> [String] {
        var out: [String] = []
        let chars = Array(jaas)
        var i = 0
        while i < chars.count {
            guard chars[i] == "=" else {
                i += 1
                continue
            }
            var k = i - 1
            while k >= 0 && (chars[k].isLetter || chars[k].isNumber || chars[k] == "_" || chars[k] == ".") { k -= 1 }
            let name = String(chars[(k + 1)..<i]).lowercased()
            var j = i + 1
            var value = ""
            if j < chars.count && (chars[j] == "\"" || chars[j] == "'") {
                let quote = chars[j]
                j += 1
                while j < chars.count && chars[j] != quote {
                    value.append(chars[j])
                    j += 1
                }
            } else {
                while j < chars.count && !chars[j].isWhitespace && chars[j] != ";" {
                    value.append(chars[j])
                    j += 1
                }
            }
            // user_<name>="…" is a PlainLoginModule user's password on the broker side.
            if name.hasSuffix("password") || name == "secret" || name.hasSuffix("clientsecret")
                || name.hasPrefix("user_")
            {
                out.append(value)
            }
            i = j
        }
        return out
    }
}

extension String {
    /// Without one pair of surrounding single or double quotes.
    func trimmingQuotes() -> String {
        if count >= 2, let f = first, let l = last, f == l, f == "\"" || f == "'" {
            return String(dropFirst().dropLast())
        }
        return self
    }
}
