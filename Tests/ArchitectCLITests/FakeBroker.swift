import Foundation
import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A hand-written broker for the failures no peer produces on cue: it answers ApiVersions (offering every
/// API this client speaks) and Metadata (itself, one topic of two partitions), and for any other API either
/// closes the connection (as librdkafka's mock does on an API it lacks) or never answers.
final class FakeBroker: @unchecked Sendable {
    enum Behaviour: Sendable, Equatable {
        case drop, silent
        /// Accepts every Produce (error 0) and says it throttled the client for this many ms.
        case acceptProduce(throttleMs: Int32)
    }
    /// Produce requests answered (with `.acceptProduce`).
    let produced = NIOLockedValueBox(0)

    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var channel: Channel!
    let behaviour: Behaviour
    let accepted = NIOLockedValueBox(0)
    var port: Int { channel.localAddress?.port ?? 0 }
    var bootstrap: String { "127.0.0.1:\(port)" }

    init(behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let broker = self
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                broker.accepted.withLockedValue { $0 += 1 }
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(Frames()))
                    try child.pipeline.syncOperations.addHandler(Handler(broker: broker))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    deinit {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    struct Frames: ByteToMessageDecoder {
        typealias InboundOut = ByteBuffer
        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self),
                buffer.readableBytes >= 4 + Int(size)
            else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: 4)
            context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: Int(size))!))
            return .continue
        }
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let broker: FakeBroker
        init(broker: FakeBroker) { self.broker = broker }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var frame = unwrapInboundIn(data)
            guard let key = frame.readInteger(as: Int16.self), let version = frame.readInteger(as: Int16.self),
                let id = frame.readInteger(as: Int32.self)
            else { return }
            var body = ByteBuffer()
            switch key {
            case ApiVersionsRequest.apiKey:
                let offered = KafkaAPIs.requests.map {
                    ApiVersionsResponse.ApiVersion(
                        apiKey: $0.apiKey, minVersion: $0.versions.lowerBound, maxVersion: $0.versions.upperBound)
                }
                ApiVersionsResponse(apiKeys: offered).encode(version: 0, into: &body)
                reply(context, id, flexible: false, body)
            case MetadataRequest.apiKey:
                let port = Int32(broker.port)
                MetadataResponse(
                    brokers: [.init(nodeId: 1, host: "127.0.0.1", port: port)], clusterId: "fake", controllerId: 1,
                    topics: [
                        .init(
                            name: "events",
                            partitions: (0..<2).map {
                                .init(partitionIndex: $0, leaderId: 1, replicaNodes: [1], isrNodes: [1])
                            })
                    ]
                ).encode(version: version, into: &body)
                reply(context, id, flexible: MetadataResponse.isFlexible(version), body)
            case ProduceRequest.apiKey:
                guard case .acceptProduce(let throttle) = broker.behaviour else {
                    if broker.behaviour == .drop { context.close(promise: nil) }
                    return
                }
                let flexible = ProduceRequest.isFlexible(version)
                guard let clientIdLength = frame.readInteger(as: Int16.self) else { return }
                frame.moveReaderIndex(forwardBy: max(0, Int(clientIdLength)))
                if flexible { _ = try? frame.readTaggedFields("RequestHeader") }
                guard let request = try? ProduceRequest(version, flexible, from: &frame) else { return }
                broker.produced.withLockedValue { $0 += 1 }
                ProduceResponse(
                    responses: request.topicData.map { t in
                        .init(
                            name: t.name,
                            partitionResponses: t.partitionData.map { .init(index: $0.index, errorCode: 0) })
                    }, throttleTimeMs: throttle
                ).encode(version, flexible, into: &body)
                reply(context, id, flexible: flexible, body)
            default:
                if broker.behaviour == .drop { context.close(promise: nil) }
            }
        }

        func reply(_ context: ChannelHandlerContext, _ id: Int32, flexible: Bool, _ body: ByteBuffer) {
            var out = ByteBuffer()
            out.writeInteger(Int32(4 + (flexible ? 1 : 0) + body.readableBytes))
            out.writeInteger(id)
            if flexible { out.writeInteger(UInt8(0)) }
            var body = body
            out.writeBuffer(&body)
            context.writeAndFlush(NIOAny(out), promise: nil)
        }
    }
}
