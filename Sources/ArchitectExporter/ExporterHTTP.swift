// The exporter's HTTP/1.1 server (SwiftNIO): GET /metrics (the Prometheus text format), GET /healthz, and a
// small index at /. Scrapes read what the last collection rendered: no Kafka request is ever made per scrape.

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

public enum ExporterHTTP {
    /// Binds the listener; a port in use or an address that cannot be bound throws here, before anything runs.
    public static func bind(host: String, port: Int, state: ExporterState, group: any EventLoopGroup)
        async throws -> any Channel
    {
        try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // A connection idle (nothing read, nothing written) for a minute is closed, so a client that
                    // stops reading cannot hold a collection's text for ever.
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: .seconds(60)))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(state: state))
                }
            }
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port).get()
    }
}

final class MetricsHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let state: ExporterState
    var head: HTTPRequestHead?
    var started: UInt64 = 0

    init(state: ExporterState) { self.state = state }

    /// At most `ExporterState.maxConnections` at once: more are closed as they arrive.
    func channelActive(context: ChannelHandlerContext) {
        if !state.connectionOpened() { context.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.connectionClosed()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            started = DispatchTime.now().uptimeNanoseconds
        case .body: break
        case .end:
            guard let h = head else { return }
            head = nil
            respond(context, h)
        }
    }

    func respond(_ context: ChannelHandlerContext, _ h: HTTPRequestHead) {
        let path = h.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? h.uri
        guard h.method == .GET || h.method == .HEAD else {
            send(context, h, status: .methodNotAllowed, [Array("use GET\n".utf8)], extra: [("Allow", "GET, HEAD")])
            return
        }
        switch path {
        case "/metrics":
            let (collection, own) = state.metrics()
            let start = started
            let done = send(
                context, h, status: .ok, collection: collection, [own],
                type: "text/plain; version=0.0.4; charset=utf-8")
            done.whenComplete { [state] _ in
                state.recordScrape(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
        case "/healthz":
            let (ok, text) = state.health()
            send(context, h, status: ok ? .ok : .serviceUnavailable, [Array(text.utf8)])
        case "/":
            let page =
                "kafka-architect exporter\n/metrics  Prometheus text format\n/healthz  liveness and the last collection\n"
            send(context, h, status: .ok, [Array(page.utf8)])
        default: send(context, h, status: .notFound, [Array("not found: try /metrics\n".utf8)])
        }
    }

    @discardableResult
    func send(
        _ context: ChannelHandlerContext, _ h: HTTPRequestHead, status: HTTPResponseStatus,
        collection: ByteBuffer? = nil, _ parts: [[UInt8]], type: String = "text/plain; charset=utf-8",
        extra: [(String, String)] = []
    ) -> EventLoopFuture<Void> {
        let length = (collection?.readableBytes ?? 0) + parts.reduce(0) { $0 + $1.count }
        var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", String(length))] + extra)
        let keepAlive = h.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let response = HTTPResponseHead(version: h.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        if h.method != .HEAD {
            if let collection, collection.readableBytes > 0 {
                context.write(wrapOutboundOut(.body(.byteBuffer(collection))), promise: nil)
            }
            for p in parts where !p.isEmpty {
                context.write(
                    wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: p)))), promise: nil)
            }
        }
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            done.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        }
        return done.futureResult
    }
}
