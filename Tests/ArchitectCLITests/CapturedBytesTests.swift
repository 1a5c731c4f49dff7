import Foundation
import KafkaProtocol
import NIOCore
import Testing

/// Requests captured from real clients decode with our definitions and re-encode byte for byte.
/// The frames below were captured with Tests/Peers/capture_request.py on 2026-11-21; the live test
/// captures again from the installed clients, so a client upgrade that changes its bytes is seen.
@Suite struct CapturedBytesTests {
    static let captured: [(client: String, hex: String)] = [
        (
            "confluent-kafka 2.16.1 / librdkafka 2.16.0",
            "0012000300000001000d676f6c64656e2d636c69656e740017636f6e666c75656e742d6b61666b612d707974686f6e16322e31362e312d72646b61666b612d322e31362e3000"
        ),
        (
            "kafka-python 3.0.12",
            "0012000400000001000d676f6c64656e2d636c69656e74000d6b61666b612d707974686f6e07332e302e313200"
        ),
    ]

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// Decodes header v2 + ApiVersionsRequest, checks the fields, re-encodes, compares.
    static func check(_ frame: [UInt8], client: String) throws {
        var b = ByteBuffer(bytes: frame)
        let header = try MessageCodec.decode(.requestHeader, version: 2, from: &b)
        #expect(header["RequestApiKey"]?.int == 18, "\(client)")
        #expect(header["ClientId"]?.string == "golden-client", "\(client)")
        let version = Int16(try #require(header["RequestApiVersion"]?.int))
        let body = try MessageCodec.decode(.apiVersionsRequest, version: version, from: &b)
        #expect(b.readableBytes == 0, "\(client): bytes left over")
        let name = body["ClientSoftwareName"]?.string ?? nil
        #expect(name == "confluent-kafka-python" || name == "kafka-python", "\(client)")
        var out = ByteBuffer()
        MessageCodec.encode(header, .requestHeader, version: 2, into: &out)
        MessageCodec.encode(body, .apiVersionsRequest, version: version, into: &out)
        #expect(Array(out.readableBytesView) == frame, "\(client): our encoding differs from the captured bytes")
    }

    @Test(arguments: captured.map(\.client))
    func committedCapturesRoundTrip(client: String) throws {
        let hex = try #require(Self.captured.first { $0.client == client }?.hex)
        try Self.check(Self.bytes(hex), client: client)
    }

    @Test(.requires(.python("confluent_kafka"), .python("kafka")), arguments: ["confluent", "kafka-python"])
    func liveCapturesRoundTrip(client: String) throws {
        guard Peers.pythonHas(client == "confluent" ? "confluent_kafka" : "kafka") else {
            return Peers.missing("python module for \(client)")
        }
        let r = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("capture_request.py").path, client], timeout: 30)
        #expect(r.status == 0, "\(r.stderr)")
        let hex = try #require(try CLIRunner.json(r.stdout)["frame"] as? String)
        #expect(!hex.isEmpty, "no request captured from \(client)")
        try Self.check(Self.bytes(hex), client: client)
    }
}
