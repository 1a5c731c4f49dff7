// What a connection needs beyond host and port: a TLS context built once (its files read and
// checked before any connection), and SASL authentication right after connecting (KIP-43:
// SaslHandshake v1, then SaslAuthenticate carrying the mechanism's messages).

import KafkaProtocol
import NIOCore
import NIOSSL

public struct ConnectionSettings: Sendable {
    public let security: ClientSecurity
    let tlsContext: NIOSSLContext?

    public static let plaintext = ConnectionSettings(security: .plaintext, tlsContext: nil)

    /// Builds the TLS context, reading the CA and key files now so a bad file is an input error.
    public static func make(_ security: ClientSecurity, file: String) throws(ClientSecurity.ConfigError)
        -> ConnectionSettings
    {
        guard let tls = security.tls else { return ConnectionSettings(security: security, tlsContext: nil) }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = tls.verifyHostname ? .fullVerification : .noHostnameVerification
        do {
            if let caFile = tls.caFile {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } else if let pem = tls.caPEM {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
            }
        } catch {
            throw ClientSecurity.ConfigError(
                file: file, line: nil,
                key: tls.caFile != nil ? "ssl.truststore.location" : "ssl.truststore.certificates",
                message: "cannot read CA certificates\(tls.caFile.map { " from \($0)" } ?? ""): \(error); expected PEM")
        }
        if let certificate = tls.certificateFile {
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                configuration.privateKey = .privateKey(
                    try NIOSSLPrivateKey(file: tls.keyFile ?? certificate, format: .pem))
            } catch {
                throw ClientSecurity.ConfigError(
                    file: file, line: nil, key: "ssl.keystore.location",
                    message: "cannot read the client certificate and key from \(certificate): \(error); expected PEM")
            }
        }
        do {
            return ConnectionSettings(security: security, tlsContext: try NIOSSLContext(configuration: configuration))
        } catch {
            throw ClientSecurity.ConfigError(
                file: file, line: nil, key: "ssl.*", message: "cannot set up TLS: \(error)")
        }
    }
}

extension KafkaConnection {
    /// SASL after connecting. Failures name the mechanism and user, never the password.
    func authenticate(_ credentials: SASLCredentials, timeout: Double) async throws(ClusterError) {
        let who = "\(credentials.mechanism.rawValue) as '\(credentials.username)'"
        let handshake = try await send(
            SaslHandshakeRequest(mechanism: credentials.mechanism.rawValue), version: 1, timeout: timeout)
        let code = handshake.errorCode
        if code != 0 {
            let offered = handshake.mechanisms
            throw ClusterError(
                address: address,
                reason:
                    "SASL \(credentials.mechanism.rawValue) is not enabled on this listener (it offers \(offered.isEmpty ? "none" : offered.joined(separator: ", "))); check sasl.mechanism",
                code: KafkaErrorCode.named(Int16(code)))
        }
        switch credentials.mechanism {
        case .plain:
            let token = [0] + Array(credentials.username.utf8) + [0] + Array(credentials.password.utf8)
            _ = try await authenticateStep(token, who: who, timeout: timeout)
        case .scramSHA256, .scramSHA512:
            var scram = SCRAMClient(
                mechanism: credentials.mechanism, username: credentials.username, password: credentials.password)
            let serverFirst = try await authenticateStep(scram.clientFirst(), who: who, timeout: timeout)
            let final: [UInt8]
            do { final = try scram.clientFinal(serverFirst: serverFirst) } catch {
                throw ClusterError(
                    address: address,
                    reason: "authentication failed (\(who)): the broker's SCRAM challenge is unusable (\(error))")
            }
            let serverFinal = try await authenticateStep(final, who: who, timeout: timeout)
            do { try scram.verify(serverFinal: serverFinal) } catch {
                throw ClusterError(
                    address: address,
                    reason:
                        "authentication failed (\(who)): the broker could not prove it knows the credentials (server signature mismatch)"
                )
            }
        }
    }

    private func authenticateStep(_ token: [UInt8], who: String, timeout: Double) async throws(ClusterError) -> [UInt8]
    {
        var bytes = ByteBuffer()
        bytes.writeBytes(token)
        let r = try await send(SaslAuthenticateRequest(authBytes: bytes), version: 1, timeout: timeout)
        let code = r.errorCode
        if code != 0 {
            let message = r.errorMessage
            throw ClusterError(
                address: address,
                reason:
                    "authentication failed (\(who))\(message.map { ": \($0)" } ?? ""); check the user name and password in sasl.jaas.config",
                code: KafkaErrorCode.named(Int16(code)))
        }
        return Array(r.authBytes.readableBytesView)
    }
}
