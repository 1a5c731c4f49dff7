import ArchitectCore
import Foundation
import KafkaAdmin
import KafkaBench
import KafkaClient
import NIOCore
import NIOPosix

/// The topic a run uses: its own, created and deleted afterwards, or an existing one the user vouched for.
struct BenchTopic {
    let topic: String
    let created: Bool
    let admin: KafkaAdmin?
    var preloaded: String?
    /// Set when the broker did not confirm the creation: the topic is then not deleted.
    var unconfirmed: String?

    /// Deletes the topic bench created unless --keep; returns a note when that failed.
    @discardableResult
    func cleanUp(keep: Bool) async -> String? {
        guard created, !keep, let admin else {
            if let admin { await admin.pool.close() }
            return unconfirmed
        }
        let outcome = await admin.deleteTopic(topic)
        await admin.pool.close()
        if case .failed(let why) = outcome { return "could not delete \(topic): \(why); delete it by hand" }
        return nil
    }

    static func prepare(_ c: KafkaArchitect.Bench, plan: inout BenchPlan, connection: ClusterConnection) async throws
        -> BenchTopic
    {
        let d: ClusterDescription
        do { d = try await connection.admin.describeAny(connection.addresses) } catch {
            throw ClusterFailure(message: error.description)
        }
        if let name = c.topic {
            if plan.protectedTopics.contains(name) {
                throw InputFailure(
                    message:
                        "--topic \(name): \(plan.file ?? "the architecture file") marks it as production data; bench never writes to it"
                )
            }
            if let t = d.topics.first(where: { $0.name == name && $0.errorCode == 0 }) {
                guard c.iKnowThisIsLive else {
                    throw InputFailure(
                        message:
                            "--topic \(name) exists: bench writes load to it; add --i-know-this-is-live if that is what you want, or leave out --topic for a topic of its own"
                    )
                }
                if let want = plan.partitions, t.partitions.count < want {
                    throw InputFailure(
                        message: "--topic \(name) has \(t.partitions.count) partitions, fewer than --partitions \(want)"
                    )
                }
                return BenchTopic(topic: name, created: false, admin: nil)
            }
        }
        let name = c.topic ?? "kafka-architect-bench-\(Int(Date().timeIntervalSince1970))-\(getpid())"
        let pool = BrokerPool(bootstrap: connection.addresses, admin: connection.admin)
        let admin = KafkaAdmin(pool: pool)
        let rf = plan.replicationFactor ?? min(3, max(1, d.brokers.count))
        let outcome = await admin.createTopic(
            name: name, partitions: plan.partitions ?? 6, replicationFactor: rf, configs: [:])
        if case .failed(let why) = outcome {
            await pool.close()
            throw ClusterFailure(
                message: "cannot create \(name): \(why) (give an existing topic with --topic T --i-know-this-is-live)")
        }
        // Only a creation the broker confirmed makes the topic ours to delete; an answer without an entry for it
        // leaves it in place (named in the report), since another client may have made it meanwhile.
        var topic = BenchTopic(topic: name, created: outcome == .applied, admin: admin)
        if case .unconfirmed(let why) = outcome {
            topic.unconfirmed =
                "the broker did not confirm creating \(name) (\(why)): left in place; delete it if it is bench's"
        }
        do {
            try await waitForLeaders(name, connection)
            if plan.mode == .consume { topic.preloaded = try await preload(name, plan: plan, connection: connection) }
        } catch {
            let note = await topic.cleanUp(keep: false)
            let message = (error as? ClusterFailure)?.message ?? "\(error)"
            throw ClusterFailure(message: message + (note.map { "; \($0)" } ?? "; \(name) deleted"))
        }
        return topic
    }

    /// A new topic's leaders take a moment to appear in Metadata.
    static func waitForLeaders(_ name: String, _ c: ClusterConnection) async throws {
        for _ in 0..<50 {
            if let d = try? await c.admin.describeAny(c.addresses),
                let t = d.topics.first(where: { $0.name == name }), t.errorCode == 0, !t.partitions.isEmpty,
                t.partitions.allSatisfy({ $0.leader >= 0 })
            {
                return
            }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        throw ClusterFailure(message: "\(name) was created but has no leaders after 5 s")
    }

    /// consume on its own topic: the records to read, written first at full speed (not measured).
    static func preload(_ name: String, plan: BenchPlan, connection: ClusterConnection) async throws -> String {
        var request = plan.request(connection, topic: name)
        request.mode = .produce
        request.rate = nil
        request.duration = nil
        request.records = plan.records ?? 200_000
        request.histogram = false
        request.progress = nil
        request.producer.lingerMs = max(request.producer.lingerMs, 20)
        let group = MultiThreadedEventLoopGroup.singleton
        let r: BenchReport
        do { r = try await BenchRunner.run(request, group: group) } catch {
            throw ClusterFailure(message: "writing the records to consume: \(error.description)")
        }
        return
            "wrote \(BenchAnalysis.count(r.records)) records of \(plan.valueSize) B first (\(plan.records == nil ? "200,000: the default without --records" : "--records"))"
    }
}
