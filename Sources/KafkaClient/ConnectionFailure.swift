// Why a connection to a broker failed, classified once from the typed errors NIO and NIOSSL raise,
// so that messages (and later, decisions such as retrying) never depend on the wording of an error.

import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// What went wrong while connecting to or talking with a broker, in the user's terms.
public enum ConnectionFailure: Sendable, Equatable {
    /// Nothing listens on the port.
    case refused
    /// The host name does not resolve.
    case unresolvable
    /// The broker reset the connection (often a TLS or SASL listener spoken to in plaintext).
    case reset
    /// The broker closed the connection.
    case closed
    /// The reply is not a Kafka frame.
    case notKafka
    /// The port answered with TLS records; the client spoke plaintext.
    case tlsExpected
    /// The broker closed the connection during the TLS handshake (a plaintext listener).
    case tlsRefusedHandshake
    /// The broker's certificate chain is not trusted by the configured CA.
    case tlsUntrusted
    /// The certificate does not name the host.
    case tlsHostMismatch(String)
    /// Another TLS failure, with NIOSSL's words.
    case tls(String)
    /// Any other failure, with NIO's own words.
    case other(String)

    /// Classifies an error from a connection attempt or a request.
    public init(_ error: any Error) {
        switch error {
        case is FrameDecoder.TLSExpected: self = .tlsExpected
        case is FrameDecoder.NotKafka: self = .notKafka
        case is CorrelationHandler.ConnectionClosed: self = .closed
        case let tls as NIOSSLError: self = Self.classify(tls)
        case let extra as NIOSSLExtraError where Self.hostNameErrors.contains(where: { $0 == extra }):
            self = .tlsHostMismatch("\(extra)")
        case let io as IOError: self = Self.classify(io)
        case let connect as NIOConnectionError: self = Self.classify(connect)
        default: self = .other("\(error)")
        }
    }

    /// NIOSSL's errors about the host name the certificate is checked against.
    static let hostNameErrors: [NIOSSLExtraError] = [
        .failedToValidateHostname, .serverHostnameImpossibleToMatch, .invalidSNIHostname,
    ]

    static func classify(_ error: IOError) -> ConnectionFailure {
        error.errnoCode == ECONNRESET ? .reset : .other("cannot connect: \(error.description)")
    }

    /// Happy-eyeballs connects: a failed DNS lookup, or the attempts' own socket errors.
    static func classify(_ error: NIOConnectionError) -> ConnectionFailure {
        if let dns = error.dnsAError ?? error.dnsAAAAError {
            return dns is SocketAddressError.UnknownHost ? .unresolvable : .other("\(error)")
        }
        let refused = error.connectionErrors.contains { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
        return refused ? .refused : .other("\(error)")
    }

    static func classify(_ error: NIOSSLError) -> ConnectionFailure {
        switch error {
        case .uncleanShutdown:
            return .tlsRefusedHandshake
        case .handshakeFailed(let e):
            if case .sslError(let stack) = e, stack.isEmpty { return .tlsRefusedHandshake }
            // swift-nio-ssl exposes BoringSSL's error stack only as text (no public reason codes); the
            // reason name is BoringSSL's stable identifier for a chain that does not verify.
            if stack(of: e).contains(where: { $0.description.contains("CERTIFICATE_VERIFY_FAILED") }) {
                return .tlsUntrusted
            }
            return .tls("TLS handshake failed: \(e)")
        default:
            return .tls("TLS: \(error)")
        }
    }

    /// BoringSSL's error stack, for the cases that carry one.
    static func stack(of error: BoringSSLError) -> NIOBoringSSLErrorStack {
        switch error {
        case .sslError(let stack), .unknownError(let stack), .invalidSNIName(let stack), .failedToSetALPN(let stack):
            stack
        default: []
        }
    }

    /// One line for the user: what failed and what to check.
    public var reason: String {
        switch self {
        case .refused: "connection refused (nothing listens on that port)"
        case .unresolvable: "cannot resolve the host name (DNS); check the address"
        case .reset:
            "the broker reset the connection (a TLS or SASL listener? check security.protocol in --command-config)"
        case .closed:
            "the broker closed the connection (an unsupported request version, TLS or SASL expected, or the broker stopped)"
        case .notKafka: "not a Kafka broker (the reply is not a Kafka frame); check the port"
        case .tlsExpected: "the port speaks TLS; set security.protocol=SSL (or SASL_SSL) in --command-config"
        case .tlsRefusedHandshake:
            "TLS handshake failed: the broker closed the connection (a PLAINTEXT listener? check the port and security.protocol)"
        case .tlsUntrusted:
            "TLS: the broker's certificate is not trusted (set ssl.truststore.location to its CA in PEM, ssl.truststore.type=PEM)"
        case .tlsHostMismatch(let detail):
            "TLS: the broker's certificate does not name this host (\(detail)); set ssl.endpoint.identification.algorithm= to skip the check"
        case .tls(let text): text
        case .other(let text): text
        }
    }
}
