// A broker's listeners as Kafka resolves them: `listeners` (default PLAINTEXT://:9092), each name's
// protocol from listener.security.protocol.map (default: names that are protocols map to
// themselves), which of them are controller or inter-broker listeners, the SASL mechanisms each
// enables and whether TLS clients must authenticate.

public struct BrokerListener: Sendable, Equatable {
    public let name: String
    /// PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL; nil when the map does not name it.
    public let protocolName: String?
    public let host: String
    public let port: String
    public let isController: Bool
    /// True when `listeners` is not set and this is Kafka's default listener.
    public let isImplicit: Bool
    /// SASL mechanisms enabled on it (listener.name.<l>.sasl.enabled.mechanisms, else sasl.enabled.mechanisms, default GSSAPI).
    public let mechanisms: [String]
    /// ssl.client.auth on it (listener.name.<l>.ssl.client.auth, else ssl.client.auth, default none).
    public let clientAuth: String

    /// Whether it binds to a loopback address only.
    public var isLoopback: Bool {
        let h = host.lowercased()
        return h == "localhost" || h.hasPrefix("127.") || h == "[::1]" || h == "::1"
    }

    /// `NAME://host:port`, as written.
    public var text: String { "\(name)://\(host):\(port)" }

    /// Whether a client must prove who it is: SASL, or TLS with client certificates required.
    public var authenticates: Bool {
        switch protocolName {
        case "SASL_SSL", "SASL_PLAINTEXT": true
        case "SSL": clientAuth == "required"
        default: false
        }
    }
}

public enum Listeners {
    static let defaultListener = "PLAINTEXT://:9092"

    public static func resolve(_ u: ConfigUnit) -> [BrokerListener] {
        let implicit = u.value("listeners") == nil
        let text = u.value("listeners") ?? (u.isStrimzi || u.isControllerOnly ? "" : defaultListener)
        var map: [String: String] = [:]
        for p in ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] { map[p] = p }
        let controllers = Set(
            (u.value("controller.listener.names") ?? "").split(separator: ",").map { $0.trimmingSpaces().uppercased() })
        // Without an explicit map, controller listeners are PLAINTEXT (KafkaConfig, controller.listener.names).
        for c in controllers where map[c] == nil { map[c] = "PLAINTEXT" }
        if let m = u.value("listener.security.protocol.map") {
            map = [:]
            for pair in m.split(separator: ",") {
                let kv = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingSpaces() }
                if kv.count == 2 { map[kv[0].uppercased()] = kv[1].uppercased() }
            }
        }
        return text.split(separator: ",").compactMap { entry -> BrokerListener? in
            let s = String(entry).trimmingSpaces()
            let parts = s.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[1].hasPrefix("//") else { return nil }
            let name = String(parts[0]).uppercased()
            let rest = String(parts[1].dropFirst(2))
            let colon = rest.lastIndex(of: ":")
            let host = colon.map { String(rest[..<$0]) } ?? rest
            let port = colon.map { String(rest[rest.index(after: $0)...]) } ?? ""
            let lower = name.lowercased()
            let mechanisms =
                (u.value("listener.name.\(lower).sasl.enabled.mechanisms")
                ?? u.value("sasl.enabled.mechanisms") ?? "GSSAPI")
                .split(separator: ",").map { $0.trimmingSpaces().uppercased() }
            let clientAuth = (u.value("listener.name.\(lower).ssl.client.auth") ?? u.value("ssl.client.auth") ?? "none")
                .lowercased()
            return BrokerListener(
                name: name, protocolName: map[name], host: host, port: port, isController: controllers.contains(name),
                isImplicit: implicit, mechanisms: mechanisms, clientAuth: clientAuth)
        }
    }
}
