// Java clients and brokers expand `${env:NAME}` and `${file:PATH:KEY}` only through the config
// providers a properties file declares (KIP-297/KIP-421; EnvVarConfigProvider since Kafka 3.5,
// KIP-887). A file that uses a placeholder without declaring its provider passes the placeholder on
// as the literal value: the client then tries to connect to "${env:KAFKA_BOOTSTRAP_SERVERS}".

enum ConfigProviders {
    static let classes: [(alias: String, className: String)] = [
        ("env", "org.apache.kafka.common.config.provider.EnvVarConfigProvider"),
        ("file", "org.apache.kafka.common.config.provider.FileConfigProvider"),
    ]

    /// The `config.providers` lines for the providers `values` use (none when they use none).
    static func declarations(for values: [String]) -> [String] {
        let used = classes.filter { p in values.contains { $0.contains("${\(p.alias):") } }
        guard !used.isEmpty else { return [] }
        return ["config.providers=\(used.map(\.alias).joined(separator: ","))"]
            + used.map { "config.providers.\($0.alias).class=\($0.className)" }
    }

    /// `${env:NAME}` as `${NAME}`, for files rendered by `envsubst` (librdkafka has no providers).
    static func shellStyle(_ value: String) -> String { value.replacingOccurrences(of: "${env:", with: "${") }

    /// The environment variables a shell-style text refers to, in order of first use.
    static func variables(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "}") else { break }
            let name = String(rest[..<end])
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !names.contains(name) {
                names.append(name)
            }
            rest = rest[rest.index(after: end)...]
        }
        return names
    }
}
