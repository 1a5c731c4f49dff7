// One exporter collection: a health snapshot (metadata, topic configs, log dirs, log start and end offsets) and
// a lag reading, evaluated with the readings of the previous collections (a sliding window, so memory stays
// bounded by --readings). Each collection makes its own connections, so brokers that come back are found again.

import ArchitectCore
import ArchitectExporter
import Foundation
import KafkaAdmin
import KafkaClient
import NIOCore

actor ExporterCollector {
    let connection: ClusterConnection
    /// --group: only these groups.
    let named: [String]
    /// The architecture file's consumer groups, used when the cluster cannot list groups.
    let designGroups: [String]
    let policy: LagPolicy
    /// Readings in the status window.
    let readings: Int
    /// A collection's deadline, seconds.
    let budget: Double
    var window: [LagReading] = []
    /// The last lag report served: groups a partial read could not see are carried over from it, so their series
    /// (and the alerts on them) do not vanish for a collection.
    var lastLag: LagReport?

    init(
        connection: ClusterConnection, named: [String], designGroups: [String], policy: LagPolicy, readings: Int,
        budget: Double
    ) {
        self.connection = connection
        self.named = named
        self.designGroups = designGroups
        self.policy = policy
        self.readings = readings
        self.budget = budget
    }

    func collect() async -> CollectionOutcome {
        let started = Date()
        let admin = connection.admin.bounded(by: NIODeadline.now() + TimeAmount.milliseconds(Int64(budget * 1000)))
        let pool = BrokerPool(bootstrap: connection.addresses, admin: admin)
        let outcome = await collect(KafkaAdmin(pool: pool), started)
        await pool.close()
        return outcome
    }

    func collect(_ admin: KafkaAdmin, _ started: Date) async -> CollectionOutcome {
        func done(_ families: [MetricFamily]?, missing: [String] = [], error: String? = nil) -> CollectionOutcome {
            CollectionOutcome(
                families: families, complete: missing.isEmpty && error == nil, missing: missing, error: error,
                seconds: Date().timeIntervalSince(started), finishedAt: Date().timeIntervalSince1970)
        }
        let snapshot: ClusterSnapshot
        do throws(ClusterError) {
            snapshot = try await SnapshotCollector(admin: admin, healthOnly: true).collect()
        } catch { return done(nil, error: error.description) }
        var missing = snapshot.missing
        var lag: LagReport? = nil
        switch await lagInput(admin) {
        case .success(let input):
            if let reading = input.readings.last {
                window.append(reading)
                if window.count > readings { window.removeFirst(window.count - readings) }
            }
            var windowed = LagInput(groups: input.groups, readings: window)
            windowed.missing = input.missing
            windowed.unsupported = input.unsupported
            var report = LagEvaluator(policy: policy).evaluate(windowed)
            missing += report.missing
            // Some groups may not have been seen (a broker's ListGroups failed or closed the connection, a
            // coordinator was away): the previous figures of the groups missing now stay served.
            let partial = !input.missing.isEmpty || input.unsupported.contains { $0.hasPrefix("ListGroups") }
            report = ExporterMetrics.carryOver(report, previous: lastLag, partial: partial, only: Set(named))
            lag = report
            lastLag = report
        case .failure(let e):
            missing.append("consumer groups: \(e.reason) (the previous collection's groups are served)")
            lag = lastLag
        }
        return done(ExporterMetrics.families(ExporterCollection(snapshot: snapshot, lag: lag)), missing: missing)
    }

    /// Every group the cluster lists (or --group's); the design's groups when the cluster cannot list them (asked
    /// again at every collection, so a cluster that lists groups again is listed again).
    func lagInput(_ admin: KafkaAdmin) async -> Result<LagInput, ClusterError> {
        do throws(ClusterError) {
            return .success(try await LagCollector(admin: admin, named: named).collect())
        } catch {
            guard error.address == "ListGroups", !designGroups.isEmpty, named.isEmpty else { return .failure(error) }
            do throws(ClusterError) {
                return .success(try await LagCollector(admin: admin, named: designGroups).collect())
            } catch { return .failure(error) }
        }
    }
}
