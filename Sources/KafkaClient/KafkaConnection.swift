// One connection to one broker: length-prefixed frames, requests pipelined and matched to their
// responses by correlation ID, a deadline per request, and errors that say what went wrong.

import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Why talking to a broker failed, in words for one line of output.
public struct ClusterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let address: String
    public let reason: String
    /// A Kafka error code the broker returned, when that is what failed.
    public let code: KafkaErrorCode?
    /// How the connection failed, when that is what failed.
    public let failure: ConnectionFailure?

    /// The API key, when the broker offers no version of it this client speaks.
    public let unsupportedAPI: Int16?

    public init(address: String, reason: String, code: KafkaErrorCode? = nil, unsupported: Int16? = nil) {
        self.address = address
        self.reason = reason
        self.code = code
        self.failure = nil
        self.unsupportedAPI = unsupported
    }

    /// A connection-level failure, its reason in the user's words.
    public init(address: String, failure: ConnectionFailure) {
        self.address = address
        self.reason = failure.reason
        self.code = nil
        self.failure = failure
        self.unsupportedAPI = nil
    }

    /// Worth trying again after a pause (a leader moving, a coordinator loading, ...).
    public var retriable: Bool { code?.retriable ?? false }

    public var description: String { "\(address): \(reason)" }
}

/// Splits the byte stream into Kafka frames (int32 size, then that many bytes). A size beyond
/// `maximumFrame` means the peer is not speaking Kafka.
final class FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maximumFrame: Int32

    init(maximumFrame: Int32) { self.maximumFrame = maximumFrame }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
        // A TLS record (alert 0x15 or handshake 0x16, version 3.x) where a Kafka frame should be: the port speaks TLS.
        if size >> 24 == 0x15 || size >> 24 == 0x16, (size >> 16) & 0xFF == 0x03 { throw TLSExpected() }
        guard size >= 4, size <= maximumFrame else { throw NotKafka(size: size) }
        guard buffer.readableBytes >= 4 + Int(size) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let frame = buffer.readSlice(length: Int(size)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    struct NotKafka: Error { let size: Int32 }
    struct TLSExpected: Error {}
}

/// Matches responses to pending requests by correlation ID (the first 4 bytes of every response).
final class CorrelationHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = PendingRequest
    typealias OutboundOut = ByteBuffer

    struct PendingRequest {
        let correlationId: Int32
        let frame: ByteBuffer
        /// Nil for a request the broker never answers (Produce with acks=0).
        let promise: EventLoopPromise<ByteBuffer>?
    }

    private var pending: [Int32: EventLoopPromise<ByteBuffer>] = [:]
    /// Shared with the connection so a request that fails later can report the first cause.
    let firstError: NIOLockedValueBox<Error?>

    init(firstError: NIOLockedValueBox<Error?>) { self.firstError = firstError }

    /// Once the connection has failed (e.g. the peer sent something that is not Kafka before we
    /// asked anything), every later request fails at once with that reason.
    private var failure: Error?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise?.fail(failure)
            promise?.fail(failure)
            return
        }
        if let answer = request.promise { pending[request.correlationId] = answer }
        context.write(wrapOutboundOut(request.frame), promise: promise)
    }

    /// Drops a request that timed out, so the table does not grow with requests nobody waits for.
    func forget(_ id: Int32) { pending.removeValue(forKey: id) }

    var pendingCount: Int { pending.count }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard let id = frame.readInteger(as: Int32.self), let promise = pending.removeValue(forKey: id) else { return }
        promise.succeed(frame)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if failure == nil { failure = error }
        firstError.withLockedValue { if $0 == nil { $0 = error } }
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let cause = failure ?? ConnectionClosed()
        failure = cause
        firstError.withLockedValue { if $0 == nil { $0 = cause } }
        failAll(cause)
        context.fireChannelInactive()
    }

    private func failAll(_ error: Error) {
        let all = pending
        pending.removeAll()
        for (_, p) in all { p.fail(error) }
    }

    struct ConnectionClosed: Error {}
}

/// A connection to one broker.
public final class KafkaConnection: Sendable {
    public let host: String
    public let port: Int
    let channel: Channel
    let clientId: String
    private let counter = NIOLockedValueBox<Int32>(0)
    let firstError: NIOLockedValueBox<Error?>

    public var address: String { "\(host):\(port)" }

    /// Connects (TLS and SASL as `settings` say), failing within `timeout` seconds.
    public static func connect(
        host: String, port: Int, timeout: Double, clientId: String = "kafka-architect",
        settings: ConnectionSettings = .plaintext, group: EventLoopGroup
    ) async throws(ClusterError) -> KafkaConnection {
        let address = "\(host):\(port)"
        let firstError = NIOLockedValueBox<Error?>(nil)
        let tlsContext = settings.tlsContext
        // SNI and host-name checks need a name; an IP literal is checked against the certificate's IP entries.
        let serverName = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrameDecoder(maximumFrame: 100 * 1024 * 1024)))
                    try channel.pipeline.syncOperations.addHandler(CorrelationHandler(firstError: firstError))
                    if tlsContext != nil {
                        try channel.pipeline.syncOperations.addHandler(
                            HandshakeWatcher(done: channel.eventLoop.makePromise(of: Void.self)))
                    }
                }
            }
        let connection: KafkaConnection
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            connection = KafkaConnection(
                host: host, port: port, channel: channel, clientId: clientId, firstError: firstError)
            if tlsContext != nil {
                // This channel's own watcher (not another connection attempt's), read on its event loop.
                let done = channel.pipeline.handler(type: HandshakeWatcher.self).flatMap { $0.done.futureResult }
                try await connection.awaitHandshake(done, timeout: timeout)
            }
        } catch let e as ChannelError where e == .connectTimeout(.milliseconds(Int64(timeout * 1000))) {
            throw ClusterError(
                address: address, reason: "no answer within \(format(timeout)) s (host down or port filtered)")
        } catch {
            throw ClusterError(address: address, failure: ConnectionFailure(firstError.withLockedValue { $0 } ?? error))
        }
        if let sasl = settings.security.sasl {
            do {
                try await connection.authenticate(sasl, timeout: timeout)
            } catch {
                await connection.close()
                throw error
            }
        }
        return connection
    }

    init(host: String, port: Int, channel: Channel, clientId: String, firstError: NIOLockedValueBox<Error?>) {
        self.host = host
        self.port = port
        self.channel = channel
        self.clientId = clientId
        self.firstError = firstError
    }

    /// Sends one typed request in `version` and decodes its typed response, failing within `timeout` seconds.
    public func send<R: KafkaRequest>(_ request: R, version: Int16, timeout: Double) async throws(ClusterError)
        -> R.Response
    {
        let flexible = R.isFlexible(version)
        let name = String(describing: R.self)
        var payload = try await exchange(
            apiKey: R.apiKey, version: version, flexible: flexible, name: name, timeout: timeout
        ) { frame in request.encode(version, flexible, into: &frame) }
        do {
            return try R.Response(version, flexible, from: &payload)
        } catch {
            throw ClusterError(address: address, reason: "malformed \(R.Response.self) v\(version): \(error)")
        }
    }

    /// Writes a request frame (header v1, or v2 when flexible), waits for its response and returns the body
    /// after the response header.
    func exchange(
        apiKey: Int16, version: Int16, flexible: Bool, name: String, timeout: Double,
        body: (inout ByteBuffer) -> Void
    ) async throws(ClusterError) -> ByteBuffer {
        let answer = write(apiKey: apiKey, version: version, flexible: flexible, timeout: timeout, body: body)
        do { return try await answer.get() } catch {
            throw self.error(error, name: name, version: version, timeout: timeout)
        }
    }

    /// Writes one typed request now — requests written from one thread reach the broker in call order, which
    /// pipelined Produce needs — and returns its decoded response when it comes. The future fails with a
    /// `ClusterError`.
    public func enqueue<R: KafkaRequest>(_ request: R, version: Int16, timeout: Double) -> EventLoopFuture<R.Response> {
        let flexible = R.isFlexible(version)
        let address = self.address
        return write(apiKey: R.apiKey, version: version, flexible: flexible, timeout: timeout) { frame in
            request.encode(version, flexible, into: &frame)
        }
        .flatMapErrorThrowing {
            throw self.error($0, name: String(describing: R.self), version: version, timeout: timeout)
        }
        .flatMapThrowing { payload in
            var payload = payload
            do { return try R.Response(version, flexible, from: &payload) } catch {
                throw ClusterError(address: address, reason: "malformed \(R.Response.self) v\(version): \(error)")
            }
        }
    }

    /// Writes a request the broker never answers (Produce with acks=0); the future completes when the bytes
    /// are handed to the socket.
    public func enqueueUnanswered<R: KafkaRequest>(_ request: R, version: Int16) -> EventLoopFuture<Void> {
        let flexible = R.isFlexible(version)
        let frame = self.frame(apiKey: R.apiKey, version: version, flexible: flexible) { frame in
            request.encode(version, flexible, into: &frame)
        }
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(
            CorrelationHandler.PendingRequest(correlationId: frame.id, frame: frame.bytes, promise: nil),
            promise: written)
        let address = self.address
        let firstError = self.firstError
        return written.futureResult.flatMapErrorThrowing { error in
            throw ClusterError(address: address, failure: ConnectionFailure(firstError.withLockedValue { $0 } ?? error))
        }
    }

    /// A request frame with its size, header and body, and the correlation id it carries.
    private func frame(apiKey: Int16, version: Int16, flexible: Bool, body: (inout ByteBuffer) -> Void) -> (
        id: Int32, bytes: ByteBuffer
    ) {
        let id: Int32 = counter.withLockedValue { value in
            value &+= 1
            return value
        }
        var frame = ByteBuffer()
        frame.writeInteger(Int32(0))  // size, patched below
        frame.writeInteger(apiKey)
        frame.writeInteger(version)
        frame.writeInteger(id)
        frame.writeKafkaString(clientId)  // never compact, even in header v2
        if flexible { frame.writeUnsignedVarint(0) }
        body(&frame)
        frame.setInteger(Int32(frame.readableBytes - 4), at: frame.readerIndex)
        return (id, frame)
    }

    /// Writes the frame and answers with the response body after its header; fails with `Timeout` after
    /// `timeout` seconds or with the connection's error.
    private func write(
        apiKey: Int16, version: Int16, flexible: Bool, timeout: Double, body: (inout ByteBuffer) -> Void
    ) -> EventLoopFuture<ByteBuffer> {
        let (id, frame) = self.frame(apiKey: apiKey, version: version, flexible: flexible, body: body)
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        let channel = self.channel
        let deadline = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
            promise.fail(Timeout())
            // A late answer must not find its promise: the pending entry goes with the request.
            channel.pipeline.handler(type: CorrelationHandler.self).whenSuccess { $0.forget(id) }
        }
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { promise.fail($0) }  // a closed channel never reaches the handler
        channel.writeAndFlush(
            CorrelationHandler.PendingRequest(correlationId: id, frame: frame, promise: promise), promise: written)
        let address = self.address
        return promise.futureResult.always { _ in deadline.cancel() }
            .flatMapThrowing { payload in
                var payload = payload
                // Flexible responses (except ApiVersions, always header v0) carry header tagged fields.
                if flexible && apiKey != 18 {
                    do { _ = try payload.readTaggedFields("ResponseHeader") } catch {
                        throw ClusterError(address: address, reason: "malformed response header: \(error)")
                    }
                }
                return payload
            }
    }

    /// The one error a failed exchange reports: its own timeout, a malformed header, or the connection's first
    /// failure.
    private func error(_ error: Error, name: String, version: Int16, timeout: Double) -> ClusterError {
        if let e = error as? ClusterError { return e }
        if error is Timeout {
            return ClusterError(
                address: address, reason: "\(name) v\(version): no response within \(Self.format(timeout)) s")
        }
        return ClusterError(address: address, failure: ConnectionFailure(firstError.withLockedValue { $0 } ?? error))
    }

    /// Whether the connection is still open (a pool replaces one that is not).
    public var isActive: Bool { channel.isActive && firstError.withLockedValue { $0 } == nil }

    /// Waits for the TLS handshake so a listener that never answers it (a PLAINTEXT port) is named as such.
    func awaitHandshake(_ done: EventLoopFuture<Void>, timeout: Double) async throws {
        let timedOut = channel.eventLoop.makePromise(of: Void.self)
        let deadline = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
            timedOut.fail(HandshakeTimeout())
        }
        done.cascade(to: timedOut)
        defer { deadline.cancel() }
        do {
            try await timedOut.futureResult.get()
        } catch is HandshakeTimeout {
            await close()
            throw ClusterError(
                address: address,
                reason:
                    "TLS handshake: no answer within \(Self.format(timeout)) s (a PLAINTEXT listener? check the port and security.protocol)"
            )
        }
    }

    struct HandshakeTimeout: Error {}

    /// Completes `done` when NIOSSL reports the handshake, fails it on an error or close.
    final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        let done: EventLoopPromise<Void>
        init(done: EventLoopPromise<Void>) { self.done = done }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event { done.succeed() }
            context.fireUserInboundEventTriggered(event)
        }
        func errorCaught(context: ChannelHandlerContext, error: Error) {
            done.fail(error)
            context.fireErrorCaught(error)
        }
        func channelInactive(context: ChannelHandlerContext) {
            done.fail(CorrelationHandler.ConnectionClosed())
            context.fireChannelInactive()
        }
        /// A channel that never became active gets no channelInactive: the promise is settled here too.
        func handlerRemoved(context: ChannelHandlerContext) {
            done.fail(CorrelationHandler.ConnectionClosed())
        }
    }

    public func close() async {
        try? await channel.close()
    }

    struct Timeout: Error {}

    /// Seconds as people write them: 2, 0.3 (a deadline's remainder, 1.9956 s, reads as the 2 s it stands for).
    static func format(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
