import ArchitectCore
import ArgumentParser
import Foundation
import KafkaClient

/// Options every live-cluster command shares: where the cluster is, how to reach it, how long to wait.
/// `--bootstrap` is optional here so that a command may also read a saved input instead; commands that
/// need a cluster call `requireBootstrap()` in `validate()`.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Bootstrap brokers, host:port[,host:port].") var bootstrap: String?
    @Option(help: "Give up after this long, e.g. 10s (default 10s).") var timeout: String = "10s"
    @Option(
        help: ArgumentHelp(
            "Client properties for TLS/SASL, with the Java client's names (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ...).",
            valueName: "file")) var commandConfig: String?

    func requireBootstrap() throws {
        guard bootstrap != nil else {
            throw ValidationError("--bootstrap is required: the cluster's brokers, host:port")
        }
    }

    /// The connection to make, from every flag checked: addresses, TLS/SASL settings and the deadline.
    func connection() throws(InputFailure) -> ClusterConnection {
        let admin = ClusterAdmin(timeout: try seconds(), settings: try settings())
        return ClusterConnection(addresses: try addresses(), admin: admin)
    }

    /// TLS and SASL from --command-config (plaintext without it). Bad files are input errors (exit 2).
    func settings() throws(InputFailure) -> ConnectionSettings {
        guard let commandConfig else { return .plaintext }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: commandConfig, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputFailure(message: "\(commandConfig): is a directory; give a client properties file")
        }
        let text: String
        do {
            text = PropertiesParser.latin1(try Data(contentsOf: URL(fileURLWithPath: commandConfig)))
        } catch {
            throw InputFailure(
                message:
                    "\(commandConfig): cannot read (\((error as NSError).localizedDescription)); give a client properties file"
            )
        }
        let document: PropertiesDocument
        do { document = try PropertiesParser.parse(text) } catch {
            throw InputFailure(message: "\(commandConfig):\(error.line): \(error.message)")
        }
        var properties: [String: (value: String, line: Int)] = [:]
        for (key, entry) in document.effective { properties[key] = (entry.value, entry.line) }
        try checkNames(properties, file: commandConfig)
        do {
            return try ConnectionSettings.make(
                try ClientSecurity.from(properties: properties, file: commandConfig), file: commandConfig)
        } catch {
            throw InputFailure(message: error.description)
        }
    }

    /// A misspelt security setting would silently connect in plaintext: names near one the client reads
    /// are errors with a suggestion; other known client settings, and names it does not know, get a note.
    func checkNames(_ properties: [String: (value: String, line: Int)], file: String) throws(InputFailure) {
        for (key, entry) in properties.sorted(by: { $0.value.line < $1.value.line }) {
            if ClientSecurity.readKeys.contains(key) { continue }
            if ConfigNames.isKnown(key) || ClientSecurity.otherLibrdkafkaNames.contains(key) {
                Terminal.writeError(
                    "kafka-architect: note: \(file):\(entry.line): \(key) is a client setting kafka-architect does not use; ignored"
                )
                continue
            }
            if let near = ConfigNames.nearest(key, in: ClientSecurity.readKeys) {
                throw InputFailure(
                    message:
                        "\(file):\(entry.line): \(key) is not a client setting; did you mean \(near)? (a misspelt security setting would connect without it)"
                )
            }
            if let near = ConfigNames.nearest(key) {
                throw InputFailure(
                    message: "\(file):\(entry.line): \(key) is not a client setting; did you mean \(near)?")
            }
            Terminal.writeError(
                "kafka-architect: note: \(file):\(entry.line): \(key) is not a setting kafka-architect knows; ignored")
        }
    }

    func addresses() throws(InputFailure) -> [BrokerAddress] {
        guard let bootstrap else {
            throw InputFailure(message: "--bootstrap is required: the cluster's brokers, host:port")
        }
        if bootstrap.contains("://") {
            throw InputFailure(
                message:
                    "--bootstrap: '\(bootstrap)' has a URL scheme; give host:port[,host:port] (security comes from --command-config)"
            )
        }
        let list = bootstrap.split(separator: ",").map {
            BrokerAddress(String($0).trimmingCharacters(in: .whitespaces))
        }
        let parsed = list.compactMap { $0 }
        guard !parsed.isEmpty, parsed.count == list.count else {
            throw InputFailure(message: "--bootstrap: '\(bootstrap)' is not host:port[,host:port]")
        }
        return parsed
    }

    func seconds() throws(InputFailure) -> Double {
        let s = try parseUnit(timeout, "--timeout", UnitParser.duration)
        guard s > 0 else { throw InputFailure(message: "--timeout: must be positive, e.g. 10s") }
        // Deadlines become integer milliseconds for NIO: a day is far beyond any useful wait.
        guard s <= 86_400 else { throw InputFailure(message: "--timeout: at most 24h, e.g. 30s") }
        return s
    }
}

/// A checked set of connection flags: the bootstrap addresses and the client to reach them with.
struct ClusterConnection {
    let addresses: [BrokerAddress]
    let admin: ClusterAdmin
}

/// A cluster or connection problem: one line, exit code 3.
struct ClusterFailure: Error {
    let message: String
}
