import ArchitectCore
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import ArchitectExporter

/// The exporter's HTTP side without Kafka: what a collection published is what /metrics serves, in the text format;
/// a failed collection keeps the last good one with the success gauge at 0; unknown paths and methods are refused.
@Suite struct ExporterServerTests {
    /// GET over a plain socket (the test's own HTTP/1.1 client): status line, headers and body.
    static func get(_ port: Int, _ path: String, method: String = "GET") throws -> (status: Int, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ServerTestError("connect failed") }
        let request = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            data += chunk[0..<n]
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw ServerTestError("no header end in \(text)") }
        let head = text[..<split.lowerBound]
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, String(text[split.upperBound...]))
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static let families = [
        MetricFamily(
            "kafka_consumergroup_lag", "Current Approximate Lag of a ConsumerGroup at Topic/Partition",
            origin: "kafka_exporter",
            samples: [
                MetricSample(
                    [
                        MetricLabel("consumergroup", "bill\"ing\nx"), MetricLabel("topic", "t"),
                        MetricLabel("partition", "0"),
                    ],
                    42)
            ])
    ]

    @Test func whatACollectionPublishedIsServedAndKeptThroughAFailure() async throws {
        let state = ExporterState(intervalSeconds: 30)
        let port = try Self.freePort()
        let channel = try await ExporterHTTP.bind(
            host: "127.0.0.1", port: port, state: state, group: MultiThreadedEventLoopGroup.singleton)
        defer { channel.close(promise: nil) }
        state.publish(CollectionOutcome(families: Self.families, seconds: 0.25, finishedAt: 1_800_000_000))
        let first = try Self.get(port, "/metrics")
        #expect(first.status == 200)
        #expect(first.body.contains("# TYPE kafka_consumergroup_lag gauge"))
        // The label value escaped as the text format wants: \" and \n.
        #expect(first.body.contains(#"consumergroup="bill\"ing\nx""#), "\(first.body)")
        #expect(first.body.contains("} 42\n"))
        #expect(first.body.contains("kafka_architect_exporter_collection_success 1.0"))
        #expect(first.body.contains("kafka_architect_exporter_collection_duration_seconds 0.25"))

        // The cluster went away: the last good collection stays, success drops to 0.
        state.publish(
            CollectionOutcome(families: nil, error: "no broker answered", seconds: 10, finishedAt: 1_800_000_030))
        let second = try Self.get(port, "/metrics")
        #expect(second.body.contains("} 42\n"))
        #expect(second.body.contains("kafka_architect_exporter_collection_success 0.0"))
        #expect(second.body.contains(#"kafka_architect_exporter_collections_total{result="failure"} 1"#))
        #expect(second.body.contains("kafka_architect_exporter_last_success_timestamp_seconds 1800000000.0"))
        let health = try Self.get(port, "/healthz")
        #expect(health.status == 200)
        #expect(health.body.contains("failed: no broker answered"))

        #expect(try Self.get(port, "/nothing").status == 404)
        #expect(try Self.get(port, "/metrics", method: "POST").status == 405)
        // Scrapes were timed: the histogram counted them.
        let third = try Self.get(port, "/metrics")
        #expect(third.body.contains("kafka_architect_exporter_scrape_duration_seconds_count"))
    }

    @Test func theTextFormatEscapesAndNumbersAsTheFormatSays() {
        let f = [
            MetricFamily(
                "m", "a \\ b\nc", origin: "kafka-architect",
                samples: [
                    MetricSample([MetricLabel("l", #"q"\"#)], 12_345_678_901),
                    MetricSample([MetricLabel("l", "x")], 0.25),
                    MetricSample([MetricLabel("l", "y")], 1e20),
                    MetricSample([MetricLabel("l", "z")], .nan),
                ])
        ]
        let text = String(decoding: PrometheusText.render(f), as: UTF8.self)
        #expect(
            text == """
                # HELP m a \\\\ b\\nc
                # TYPE m gauge
                m{l="q\\"\\\\"} 12345678901
                m{l="x"} 0.25
                m{l="y"} 1e+20
                m{l="z"} NaN

                """)
        #expect(PrometheusText.render(f) == PrometheusText.render(f), "same input, same bytes")
    }

    @Test func headAnswersWithoutABodyAndAWedgedLoopFailsHealth() async throws {
        let state = ExporterState(intervalSeconds: 30, staleAfter: 0.05)
        let port = try Self.freePort()
        let channel = try await ExporterHTTP.bind(
            host: "127.0.0.1", port: port, state: state, group: MultiThreadedEventLoopGroup.singleton)
        defer { channel.close(promise: nil) }
        state.publish(
            CollectionOutcome(families: Self.families, seconds: 0.1, finishedAt: Date().timeIntervalSince1970))
        let head = try Self.get(port, "/metrics", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(try Self.get(port, "/healthz").status == 200)
        // No collection for longer than staleAfter: the loop is wedged, /healthz says so.
        try await Task.sleep(nanoseconds: 200_000_000)
        let stale = try Self.get(port, "/healthz")
        #expect(stale.status == 503)
        #expect(stale.body.hasPrefix("stalled: no collection ended for"))
    }

    @Test func aPortInUseFailsToBind() async throws {
        let state = ExporterState(intervalSeconds: 30)
        let port = try Self.freePort()
        let one = try await ExporterHTTP.bind(
            host: "127.0.0.1", port: port, state: state, group: MultiThreadedEventLoopGroup.singleton)
        defer { one.close(promise: nil) }
        await #expect(throws: (any Error).self) {
            _ = try await ExporterHTTP.bind(
                host: "127.0.0.1", port: port, state: state, group: MultiThreadedEventLoopGroup.singleton)
        }
    }
}

struct ServerTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
