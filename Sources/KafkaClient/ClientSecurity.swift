// How to reach a secured cluster, read from the Java client's property names (the file given to
// kafka-*.sh as --command-config): security.protocol, sasl.mechanism, sasl.jaas.config, and the
// PEM forms of the trust and key stores. Secrets are kept out of every description.

/// SASL mechanisms this client speaks.
public enum SASLMechanism: String, Sendable, Equatable, CaseIterable {
    case plain = "PLAIN"
    case scramSHA256 = "SCRAM-SHA-256"
    case scramSHA512 = "SCRAM-SHA-512"
}

public struct SASLCredentials: Sendable, Equatable, CustomStringConvertible {
    public let mechanism: SASLMechanism
    public let username: String
    /// Never printed: `description` and every error leave it out.
    public let password: String

    public init(mechanism: SASLMechanism, username: String, password: String) {
        self.mechanism = mechanism
        self.username = username
        self.password = password
    }

    public var description: String { "\(mechanism.rawValue) as '\(username)' (password hidden)" }
}

public struct TLSSettings: Sendable, Equatable {
    /// PEM file of trusted CA certificates; nil = the system's roots.
    public var caFile: String?
    /// PEM certificates given inline (ssl.truststore.certificates).
    public var caPEM: String?
    /// Client certificate chain and key for mutual TLS (PEM files).
    public var certificateFile: String?
    public var keyFile: String?
    /// ssl.endpoint.identification.algorithm=https (the default) checks the broker's host name.
    public var verifyHostname = true

    public init() {}
}

public enum SecurityProtocol: String, Sendable, Equatable, CaseIterable {
    case plaintext = "PLAINTEXT"
    case ssl = "SSL"
    case saslPlaintext = "SASL_PLAINTEXT"
    case saslSSL = "SASL_SSL"

    var usesTLS: Bool { self == .ssl || self == .saslSSL }
    var usesSASL: Bool { self == .saslPlaintext || self == .saslSSL }
}

public struct ClientSecurity: Sendable, Equatable, CustomStringConvertible {
    public var securityProtocol: SecurityProtocol = .plaintext
    public var sasl: SASLCredentials?
    public var tls: TLSSettings?

    public init() {}
    public static let plaintext = ClientSecurity()

    public var description: String {
        var parts = [securityProtocol.rawValue]
        if let sasl { parts.append(sasl.description) }
        if let tls {
            parts.append(tls.caFile.map { "CA \($0)" } ?? (tls.caPEM != nil ? "inline CA" : "system CA roots"))
        }
        return parts.joined(separator: ", ")
    }

    /// One problem in a --command-config file: the file, line and key, and what to do.
    public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
        public let file: String
        public let line: Int?
        public let key: String
        public let message: String
        public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(key): \(message)" }
    }

    /// Every property `from(properties:file:)` reads or accepts (Java client and librdkafka names).
    public static let readKeys: Set<String> = [
        "security.protocol", "sasl.mechanism", "sasl.jaas.config", "sasl.username", "sasl.password",
        "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.certificates", "ssl.ca.location",
        "ssl.keystore.type", "ssl.keystore.location", "ssl.certificate.location", "ssl.key.location",
        "ssl.key.password", "ssl.endpoint.identification.algorithm", "ssl.truststore.password",
        "ssl.keystore.password", "sasl.mechanisms",
    ]

    /// librdkafka's names for settings this client does not use (not typos of the ones it reads).
    public static let otherLibrdkafkaNames: Set<String> = [
        "ssl.crl.location", "ssl.key.pem", "ssl.certificate.pem", "ssl.ca.pem", "ssl.keystore.location",
        "ssl.cipher.suites", "ssl.curves.list", "ssl.sigalgs.list", "ssl.engine.location", "ssl.providers",
        "ssl.ca.certificate.stores", "sasl.kerberos.service.name", "sasl.kerberos.principal",
        "sasl.kerberos.keytab", "sasl.kerberos.kinit.cmd", "sasl.oauthbearer.config",
        "enable.ssl.certificate.verification", "ssl.endpoint.identification.algorithm",
    ]

    /// Reads the settings from properties (key → value and line), as the Java client names them.
    public static func from(properties: [String: (value: String, line: Int)], file: String) throws(ConfigError)
        -> ClientSecurity
    {
        let reader = PropertyReader(properties: properties, file: file)
        var s = ClientSecurity()
        if let p = reader.value("security.protocol") {
            guard let parsed = SecurityProtocol(rawValue: p.uppercased()) else {
                throw reader.fail("security.protocol", "'\(p)' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL")
            }
            s.securityProtocol = parsed
        }
        if s.securityProtocol.usesSASL { s.sasl = try saslCredentials(reader) }
        if s.securityProtocol.usesTLS { s.tls = try tlsSettings(reader) }
        return s
    }

    /// The --command-config properties, with the file name and lines to put in every error.
    struct PropertyReader {
        let properties: [String: (value: String, line: Int)]
        let file: String

        /// An error about `key`, at the line it was set on (if it was).
        func fail(_ key: String, _ message: String) -> ConfigError {
            ConfigError(file: file, line: properties[key]?.line, key: key, message: message)
        }

        /// The value of `key` without surrounding whitespace; nil when unset or blank.
        func value(_ key: String) -> String? {
            guard let v = properties[key]?.value.trimmingWhitespace(), !v.isEmpty else { return nil }
            return v
        }
    }

    /// The SASL mechanism and credentials, from sasl.mechanism and sasl.jaas.config (or librdkafka's names).
    static func saslCredentials(_ reader: PropertyReader) throws(ConfigError) -> SASLCredentials {
        let name = reader.value("sasl.mechanism") ?? reader.value("sasl.mechanisms") ?? "GSSAPI"  // librdkafka: plural
        guard let mechanism = SASLMechanism(rawValue: name.uppercased()) else {
            throw reader.fail(
                "sasl.mechanism",
                "'\(name)' is not supported; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512\(reader.properties["sasl.mechanism"] == nil ? " (the Java default is GSSAPI/Kerberos)" : "")"
            )
        }
        var username = reader.value("sasl.username")  // librdkafka's names
        var password = reader.properties["sasl.password"]?.value
        if let jaas = reader.value("sasl.jaas.config") {
            let options: [String: String]
            do { options = try JAAS.options(jaas) } catch { throw reader.fail("sasl.jaas.config", error.message) }
            username = options["username"] ?? username
            password = options["password"] ?? password
        }
        guard let username else {
            throw reader.fail(
                "sasl.jaas.config",
                "no username; write e.g. org.apache.kafka.common.security.\(mechanism == .plain ? "plain.PlainLoginModule" : "scram.ScramLoginModule") required username=\"alice\" password=\"...\";"
            )
        }
        guard let password else { throw reader.fail("sasl.jaas.config", "no password for '\(username)'") }
        return SASLCredentials(mechanism: mechanism, username: username, password: password)
    }

    /// The trust store, client key pair and host-name check, from the ssl.* properties (PEM only).
    static func tlsSettings(_ reader: PropertyReader) throws(ConfigError) -> TLSSettings {
        var tls = TLSSettings()
        let storeType = reader.value("ssl.truststore.type")?.uppercased()
        if let location = reader.value("ssl.truststore.location") {
            guard
                storeType == "PEM" || location.lowercased().hasSuffix(".pem")
                    || location.lowercased().hasSuffix(".crt")
            else {
                throw reader.fail(
                    "ssl.truststore.location",
                    "\(storeType ?? "JKS") truststores cannot be read without Java; export the CA as PEM (keytool -exportcert -rfc -keystore \(location) -alias CARoot -file ca.pem) and set ssl.truststore.type=PEM"
                )
            }
            tls.caFile = location
        }
        tls.caPEM = reader.value("ssl.truststore.certificates")
        tls.caFile = tls.caFile ?? reader.value("ssl.ca.location")  // librdkafka's name
        if let location = reader.value("ssl.keystore.location") {
            guard reader.value("ssl.keystore.type")?.uppercased() == "PEM" || location.lowercased().hasSuffix(".pem")
            else {
                throw reader.fail(
                    "ssl.keystore.location",
                    "only PEM keystores are supported; convert with: openssl pkcs12 -in keystore.p12 -out client.pem -nodes, and set ssl.keystore.type=PEM"
                )
            }
            tls.certificateFile = location
            tls.keyFile = location
        }
        tls.certificateFile = reader.value("ssl.certificate.location") ?? tls.certificateFile
        tls.keyFile = reader.value("ssl.key.location") ?? tls.keyFile
        if reader.value("ssl.key.password") != nil {
            throw reader.fail(
                "ssl.key.password",
                "encrypted private keys are not supported; decrypt the key (openssl pkey -in key.pem -out key-plain.pem) and drop ssl.key.password"
            )
        }
        if let algorithm = reader.properties["ssl.endpoint.identification.algorithm"]?.value.trimmingWhitespace() {
            tls.verifyHostname = !algorithm.isEmpty
        }
        return tls
    }
}

/// The options of a JAAS login-module line: `module.Class required key="value" key2=value2;`.
enum JAAS {
    struct Failure: Error { let message: String }

    static func options(_ text: String) throws(Failure) -> [String: String] {
        var chars = Array(text.unicodeScalars)
        if chars.last == ";" { chars.removeLast() }
        var scanner = Scanner(chars: chars)
        scanner.skipSpace()
        let module = scanner.word()
        guard !module.isEmpty else {
            throw Failure(message: "empty; expected 'LoginModuleClass required username=\"...\" password=\"...\";'")
        }
        scanner.skipSpace()
        let flag = scanner.word()
        guard ["required", "requisite", "sufficient", "optional"].contains(flag) else {
            throw Failure(message: "expected 'required' after \(module), found '\(flag)'")
        }
        var out: [String: String] = [:]
        while true {
            scanner.skipSpace()
            if scanner.atEnd { break }
            let key = scanner.word()
            scanner.skipSpace()
            // Never echo what was parsed: a typo in a password would put part of it in the message.
            guard scanner.take("=") else {
                throw Failure(
                    message:
                        "malformed option \(out.count + 1) (expected key=\"value\"; quote values that contain spaces)")
            }
            scanner.skipSpace()
            let value = try scanner.value(option: out.count + 1)
            out[key] = value
        }
        return out
    }

    /// A cursor over the scalars of a JAAS line.
    struct Scanner {
        let chars: [Unicode.Scalar]
        var i = 0

        /// Whether every scalar has been read.
        var atEnd: Bool { i >= chars.count }

        /// Moves past whitespace.
        mutating func skipSpace() { while i < chars.count, chars[i].properties.isWhitespace { i += 1 } }

        /// Reads up to the next whitespace, `=` or `;` (possibly nothing).
        mutating func word() -> String {
            var w = ""
            while i < chars.count, !chars[i].properties.isWhitespace, chars[i] != "=", chars[i] != ";" {
                w.unicodeScalars.append(chars[i])
                i += 1
            }
            return w
        }

        /// Moves past `c` if it is next; whether it was.
        mutating func take(_ c: Unicode.Scalar) -> Bool {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
            return true
        }

        /// Reads an option's value: a quoted string (backslash escapes the next scalar) or a bare word.
        /// `option` (1-based) names it in the error for a missing closing quote.
        mutating func value(option: Int) throws(Failure) -> String {
            guard take("\"") else { return word() }
            var value = ""
            while i < chars.count {
                if chars[i] == "\\", i + 1 < chars.count {
                    value.unicodeScalars.append(chars[i + 1])
                    i += 2
                    continue
                }
                if chars[i] == "\"" {
                    i += 1
                    return value
                }
                value.unicodeScalars.append(chars[i])
                i += 1
            }
            throw Failure(message: "option \(option) has a value with no closing quote")
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
