import Foundation
import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaClient

/// The pool on a hand-written broker (FakeBroker): connections are reused, a timed-out request leaves the
/// pending table, a dropped connection is reopened, and `cluster snapshot` completes past a broker that
/// closes the connection on every admin API.
@Suite struct BrokerPoolTests {
    @Test func oneConnectionServesManyRequests() async throws {
        let fake = try FakeBroker(behaviour: .drop)
        let pool = BrokerPool(
            bootstrap: [BrokerAddress(host: "127.0.0.1", port: fake.port)], admin: ClusterAdmin(timeout: 5))
        for _ in 0..<5 { _ = try await pool.send(MetadataRequest(topics: nil)) }
        let m = try await pool.metadata(refresh: true)
        #expect(m.topics.map(\.name) == ["events"])
        #expect(await pool.opened == 1)
        #expect(fake.accepted.withLockedValue { $0 } == 1)
        // The broker closes the connection on DescribeConfigs: that request fails, the next one reconnects.
        await #expect(throws: ClusterError.self) {
            _ = try await pool.send(DescribeConfigsRequest(resources: [.init(resourceType: 4, resourceName: "1")]))
        }
        _ = try await pool.send(MetadataRequest(topics: nil))
        #expect(await pool.opened >= 2)
        await pool.close()
    }

    @Test func aTimedOutRequestLeavesThePendingTable() async throws {
        let fake = try FakeBroker(behaviour: .silent)
        let address = BrokerAddress(host: "127.0.0.1", port: fake.port)
        let pool = BrokerPool(bootstrap: [address], admin: ClusterAdmin(timeout: 0.3))
        do {
            _ = try await pool.send(DescribeConfigsRequest(resources: [.init(resourceType: 4, resourceName: "1")]))
            Issue.record("a silent broker answered")
        } catch {
            #expect(error.reason.contains("no response within 0.3 s"), "\(error)")
        }
        let c = try await pool.connection(address)
        // Let the deadline's cleanup run on the event loop.
        try await Task.sleep(nanoseconds: 100_000_000)
        let pending = try await c.channel.pipeline.handler(type: CorrelationHandler.self).flatMap { h in
            c.channel.eventLoop.makeSucceededFuture(h.pendingCount)
        }.get()
        #expect(pending == 0)
        // The connection is still good for the next request.
        _ = try await pool.send(MetadataRequest(topics: nil))
        #expect(await pool.opened == 1)
        await pool.close()
    }

    @Test func snapshotCompletesPastABrokerThatDropsAdminRequests() throws {
        let fake = try FakeBroker(behaviour: .drop)
        let r = try CLIRunner.run(["cluster", "snapshot", "--bootstrap", fake.bootstrap, "--timeout", "10s"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        #expect(doc["complete"] as? Bool == true)
        let unsupported = (doc["unsupported"] as? [[String: Any]] ?? [])
        let apis = Set(unsupported.compactMap { $0["api"] as? String })
        #expect(
            apis.isSuperset(of: ["DescribeConfigs", "DescribeLogDirs", "ListOffsets", "ListGroups", "DescribeAcls"]))
        #expect(unsupported.allSatisfy { ($0["reason"] as? String)?.contains("closed the connection") == true })
        // What it could not read is null, not invented.
        let p = ((doc["topics"] as? [[String: Any]])?.first?["partitions"] as? [[String: Any]])?.first
        #expect(p?["logEndOffset"] is NSNull)
        #expect(p?["leader"] as? Int == 1)
    }
}
