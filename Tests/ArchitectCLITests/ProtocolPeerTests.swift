import Foundation
import KafkaProtocol
import NIOCore
import Testing

/// The definition-driven codec against a real broker (Tansu): ApiVersions (classic header, header
/// v0 response) and Metadata v12 (flexible: compact strings, tagged fields, header v2 / v1).
@Suite(.serialized) struct ProtocolPeerTests {
    /// One request/response exchange over a blocking socket: enough to check bytes, not a client.
    static func exchange(
        port: Int, _ definition: MessageDefinition, version: Int16, body: [String: KafkaValue], correlationId: Int32,
        response: MessageDefinition
    ) throws -> [String: KafkaValue] {
        let flexible = definition.flexibleVersions.contains(version)
        var frame = ByteBuffer()
        MessageCodec.encode(
            [
                "RequestApiKey": .int(Int64(definition.apiKey!)), "RequestApiVersion": .int(Int64(version)),
                "CorrelationId": .int(Int64(correlationId)), "ClientId": .string("kafka-architect-test"),
            ],
            .requestHeader, version: flexible ? 2 : 1, into: &frame)
        MessageCodec.encode(body, definition, version: version, into: &frame)
        var packet = ByteBuffer()
        packet.writeInteger(Int32(frame.readableBytes))
        packet.writeBuffer(&frame)

        guard let fd = Loopback.connected(port) else { throw PeerError("cannot connect to 127.0.0.1:\(port)") }
        defer { close(fd) }
        let bytes = Array(packet.readableBytesView)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else {
            throw PeerError("short send")
        }

        func readExactly(_ n: Int) throws -> [UInt8] {
            var out = [UInt8](repeating: 0, count: n)
            var got = 0
            while got < n {
                let r = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, n - got, 0) }
                guard r > 0 else { throw PeerError("connection closed after \(got) of \(n) bytes") }
                got += r
            }
            return out
        }
        var sizeBuffer = ByteBuffer(bytes: try readExactly(4))
        let size = Int(sizeBuffer.readInteger(as: Int32.self)!)
        var body = ByteBuffer(bytes: try readExactly(size))
        // ApiVersions responses always use header v0; others use v1 when flexible.
        let headerVersion: Int16 = (definition.apiKey == 18 || !flexible) ? 0 : 1
        let header = try MessageCodec.decode(.responseHeader, version: headerVersion, from: &body)
        #expect(header["CorrelationId"]?.int == Int64(correlationId))
        let decoded = try MessageCodec.decode(response, version: version, from: &body)
        #expect(body.readableBytes == 0, "\(response.name) v\(version): \(body.readableBytes) bytes left undecoded")
        return decoded
    }

    @Test(.requires(.tansu)) func apiVersionsAndMetadataAgainstTansu() throws {
        guard let binary = Peers.tansu else { return Peers.missing("Tansu broker (.build-peers/tansu)") }
        let broker = try TansuBroker(binary: binary)
        try broker.createTopic("codec-check", partitions: 3)

        let versions = try Self.exchange(
            port: broker.port, .apiVersionsRequest, version: 0, body: [:], correlationId: 7,
            response: .apiVersionsResponse)
        #expect(versions["ErrorCode"]?.int == 0)
        let keys = versions["ApiKeys"]?.array ?? []
        let metadata = try #require(keys.first { $0["ApiKey"]?.int == 3 })
        #expect((metadata["MaxVersion"]?.int ?? 0) >= 12)

        let v12 = try Self.exchange(
            port: broker.port, .metadataRequest, version: 12,
            body: [
                "Topics": .array(nil), "AllowAutoTopicCreation": .bool(false),
                "IncludeTopicAuthorizedOperations": .bool(false),
            ],
            correlationId: 8, response: .metadataResponse)
        let brokers = v12["Brokers"]?.array ?? []
        #expect(brokers.count == 1)
        #expect(brokers.first?["Port"]?.int == Int64(broker.port))
        let topic = try #require((v12["Topics"]?.array ?? []).first { $0["Name"]?.string == "codec-check" })
        #expect(topic["Partitions"]?.array?.count == 3)
    }
}
