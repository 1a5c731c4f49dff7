import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import KafkaClient

/// Connection failures are classified from the errors' types. Most of these cannot be provoked on
/// cue by a peer (a reset mid-handshake, a certificate for another host), so the classifier is fed
/// the errors NIO and NIOSSL raise; the peer tests (SecurityPeerTests, ClusterCommandTests) cover the
/// ones a real listener produces end to end.
@Suite struct ConnectionFailureTests {
    @Test func theProtocolLayersOwnErrors() {
        #expect(ConnectionFailure(FrameDecoder.TLSExpected()) == .tlsExpected)
        #expect(ConnectionFailure(FrameDecoder.NotKafka(size: 1_213_486_160)) == .notKafka)
        #expect(ConnectionFailure(CorrelationHandler.ConnectionClosed()) == .closed)
    }

    @Test func socketErrors() {
        #expect(ConnectionFailure(IOError(errnoCode: ECONNRESET, reason: "read")) == .reset)
        guard case .other(let text) = ConnectionFailure(IOError(errnoCode: EHOSTUNREACH, reason: "connect")) else {
            Issue.record("an unreachable host is not a named failure")
            return
        }
        #expect(text.hasPrefix("cannot connect: "))
    }

    @Test func tlsErrors() {
        #expect(ConnectionFailure(NIOSSLError.uncleanShutdown) == .tlsRefusedHandshake)
        #expect(ConnectionFailure(NIOSSLError.handshakeFailed(.sslError([]))) == .tlsRefusedHandshake)
        #expect(ConnectionFailure.stack(of: .unknownError([.eofDuringHandshake])) == [.eofDuringHandshake])
        if case .tlsHostMismatch = ConnectionFailure(NIOSSLExtraError.failedToValidateHostname) {
        } else {
            Issue.record("a certificate for another host is not named as such")
        }
        if case .tls(let text) = ConnectionFailure(NIOSSLError.handshakeFailed(.unknownError([.eofDuringHandshake]))) {
            #expect(text.hasPrefix("TLS handshake failed: "))
        } else {
            Issue.record("a failed handshake is not a TLS failure")
        }
    }

    /// Refused and unresolvable connections, from NIO's own happy-eyeballs connect (real sockets, no peer).
    @Test func refusedAndUnresolvableFromRealConnects() async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        try await listener.close()
        do {
            _ = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            Issue.record("a closed port accepted a connection")
        } catch {
            #expect(ConnectionFailure(error) == .refused)
            #expect(ConnectionFailure(error).reason == "connection refused (nothing listens on that port)")
        }
        do {
            _ = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "no-such-host.invalid", port: 9092).get()
            Issue.record("an invalid host name resolved")
        } catch {
            #expect(ConnectionFailure(error) == .unresolvable)
        }
    }

    @Test func theReasonIsCarriedOnTheClusterError() {
        let e = ClusterError(address: "k1:9092", failure: .refused)
        #expect(e.description == "k1:9092: connection refused (nothing listens on that port)")
        #expect(e.failure == .refused)
        #expect(!e.retriable)
    }
}
