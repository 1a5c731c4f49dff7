// Reads everything `audit` needs from a live cluster into one ClusterSnapshot. A read the cluster does not
// offer (an API it lacks, or drops the connection on) is listed in `unsupported` and the snapshot goes on; a
// read that failed for another reason is listed in `missing` and the snapshot is marked incomplete.

import ArchitectCore
import Foundation
import KafkaAdmin
import KafkaClient
import KafkaProtocol

struct SnapshotCollector {
    let admin: KafkaAdmin
    /// Seconds between two reads of log-end offsets (and sizes), for per-partition rates; nil: no rates.
    var rateWindow: Double? = nil
    /// Only what `diff`, `apply` and `import` compare: metadata, topic configs, reassignments, ACLs, quotas. Broker
    /// configs, log dirs, offsets, groups and transactions are not read, so a failure there cannot hold up a plan.
    var syncOnly = false
    /// Only what `exporter` serves: metadata, topic configs, log dirs, offsets and reassignments. Broker configs,
    /// groups (the exporter reads them as `lag` does), ACLs, quotas and transactions are not read.
    var healthOnly = false

    final class Notes {
        var unsupported: [String: (brokers: Set<Int32>, reason: String)] = [:]
        var missing: [String] = []
    }

    /// Files an error: an API the broker lacks or closed the connection on is unsupported, anything else missing.
    static func note(_ error: ClusterError, api: String, broker: Int32?, into notes: Notes) {
        if error.unsupportedAPI != nil || error.failure == .closed || error.code?.code == 35 {
            let reason =
                error.unsupportedAPI != nil
                ? "not offered by the broker (ApiVersions)"
                : error.code?.code == 35 ? "UNSUPPORTED_VERSION" : "the broker closed the connection on this request"
            var entry = notes.unsupported[api] ?? ([], reason)
            if let broker { entry.brokers.insert(broker) }
            notes.unsupported[api] = entry
        } else {
            notes.missing.append("\(api)\(broker.map { " on broker \($0)" } ?? ""): \(error.reason)")
        }
    }

    // Long because: the snapshot is read in one order (metadata, configs, log dirs, offsets, groups, access), each
    // read filing its own failure.
    func collect() async throws(ClusterError) -> ClusterSnapshot {
        let started = Date()
        let meta = try await admin.pool.metadata(refresh: true)
        let notes = Notes()
        let ids = meta.brokers.map(\.id)
        let brokerConfigs = syncOnly || healthOnly ? [:] : await readBrokerConfigs(ids, notes)
        let topicNames = meta.topics.map(\.name)
        var topicConfigs: [String: [ConfigEntryInfo]] = [:]
        do throws(ClusterError) {
            let r = try await admin.topicConfigs(topicNames)
            topicConfigs = r.configs
            for (topic, e) in r.errors.sorted(by: { $0.key < $1.key }) {
                notes.missing.append("DescribeConfigs for topic \(topic): \(e)")
            }
            if !topicNames.isEmpty && r.configs.values.allSatisfy(\.isEmpty) && r.errors.isEmpty {
                notes.unsupported["DescribeConfigs (topics)"] = (
                    [], "the broker answered with no configuration entries, so topic configurations are unknown"
                )
            }
        } catch { Self.note(error, api: "DescribeConfigs", broker: nil, into: notes) }
        var logDirs = syncOnly ? [] : await readLogDirs(ids, notes)
        let partitions =
            syncOnly ? [] : meta.topics.flatMap { t in t.partitions.map { TopicPartitionKey(t.name, $0.partition) } }
        let starts = syncOnly ? [:] : await offsets(partitions, timestamp: -2, notes)
        var ends = syncOnly ? [:] : await offsets(partitions, timestamp: -1, notes)
        var firstEnds: [TopicPartitionKey: Int64] = [:]
        var firstSizes: [TopicPartitionKey: Int64] = [:]
        var window: Double? = nil
        if let rateWindow {
            firstEnds = ends
            firstSizes = Self.sizes(logDirs)
            try? await Task.sleep(nanoseconds: UInt64(rateWindow * 1e9))
            ends = await offsets(partitions, timestamp: -1, notes)
            logDirs = await readLogDirs(ids, Notes())
            window = rateWindow
        }
        let sizes = Self.sizes(logDirs)
        let groups = syncOnly || healthOnly ? [] : await readGroups(ids, notes)
        var acls: [ClusterSnapshot.Acl] = []
        if !healthOnly {
            do throws(ClusterError) {
                acls = try await admin.acls().map {
                    .init(
                        resourceType: $0.resourceType, resourceName: $0.resourceName, patternType: $0.patternType,
                        principal: $0.principal, host: $0.host, operation: $0.operation, permission: $0.permission)
                }
            } catch { Self.noteAccess(error, api: "DescribeAcls", into: notes) }
        }
        var quotas: [ClusterSnapshot.Quota] = []
        if !healthOnly {
            do throws(ClusterError) {
                quotas = try await admin.clientQuotas().map { q in
                    .init(
                        entity: .init(
                            user: q.entity["user"].map { $0 ?? "<default>" },
                            clientId: q.entity["client-id"].map { $0 ?? "<default>" },
                            ip: q.entity["ip"].map { $0 ?? "<default>" }), values: q.values)
                }
            } catch { Self.note(error, api: "DescribeClientQuotas", broker: nil, into: notes) }
        }
        var moves: [TopicPartitionKey: ReassignmentInfo] = [:]
        do throws(ClusterError) {
            for m in try await admin.reassignments() { moves[TopicPartitionKey(m.topic, m.partition)] = m }
        } catch { Self.note(error, api: "ListPartitionReassignments", broker: nil, into: notes) }
        var transactions: [ClusterSnapshot.Transaction] = []
        do throws(ClusterError) {
            transactions =
                syncOnly || healthOnly
                ? []
                : try await admin.transactions(ids).map { t in
                    .init(
                        transactionalId: t.transactionalId, state: t.state, producerId: t.producerId,
                        startTimeMs: t.startTimeMs >= 0 ? t.startTimeMs : nil, timeoutMs: t.timeoutMs,
                        partitions: t.partitions.sorted { $0.key < $1.key }.map {
                            .init(topic: $0.key, partitions: $0.value.sorted())
                        })
                }
        } catch { Self.note(error, api: "ListTransactions", broker: nil, into: notes) }

        let topics: [ClusterSnapshot.Topic] = meta.topics.map { t in
            .init(
                name: t.name, internal: t.isInternal, configs: Self.configMap(topicConfigs[t.name] ?? []),
                partitions: t.partitions.map { p in
                    let key = TopicPartitionKey(t.name, p.partition)
                    var partition = ClusterSnapshot.Partition(
                        partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr,
                        offlineReplicas: p.offline, logStartOffset: starts[key], logEndOffset: ends[key],
                        sizeBytes: sizes[key])
                    // A move that finished between the two reads no longer matches Metadata's replicas.
                    if let m = moves[key], Set(m.adding + m.removing).isSubset(of: p.replicas) {
                        partition.addingReplicas = m.adding
                        partition.removingReplicas = m.removing
                    }
                    if let window, let a = firstEnds[key], let b = ends[key], b >= a {
                        partition.messagesInPerSecond = Double(b - a) / window
                        if let s0 = firstSizes[key], let s1 = sizes[key], s1 >= s0 {
                            partition.bytesInPerSecond = Double(s1 - s0) / window
                        }
                    }
                    return partition
                })
        }
        let millis = Int64(started.timeIntervalSince1970 * 1000)
        return ClusterSnapshot(
            takenAt: Self.iso(started), takenAtMs: millis, clusterId: meta.clusterId, controllerId: meta.controllerId,
            brokers: meta.brokers.map { .init(id: $0.id, host: $0.host, port: $0.port, rack: $0.rack) },
            brokerConfigs: brokerConfigs, topics: topics,
            logDirs: Self.snapshotDirs(logDirs), groups: groups, acls: acls,
            quotas: quotas, transactions: transactions,
            unsupported: notes.unsupported.sorted { $0.key < $1.key }.map {
                .init(api: $0.key, brokers: $0.value.brokers.sorted(), reason: $0.value.reason)
            },
            complete: notes.missing.isEmpty, missing: notes.missing, rateWindowSeconds: window)
    }

    /// DescribeAcls on a cluster without an authorizer answers SECURITY_DISABLED: the cluster has no ACLs.
    static func noteAccess(_ error: ClusterError, api: String, into notes: Notes) {
        if error.code?.code == 54 {
            notes.unsupported[api] = ([], "SECURITY_DISABLED: no authorizer is configured, so no ACLs apply")
        } else {
            note(error, api: api, broker: nil, into: notes)
        }
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// Keys whose values are secrets even when a broker does not flag them (a custom config provider's).
    static func looksSecret(_ key: String) -> Bool {
        key.hasSuffix(".password") || key.hasSuffix("sasl.jaas.config") || key.hasSuffix(".secret")
            || key.contains("password") || key.hasSuffix(".key")
    }

    static func configMap(_ entries: [ConfigEntryInfo]) -> [String: ClusterSnapshot.ConfigEntry] {
        var out: [String: ClusterSnapshot.ConfigEntry] = [:]
        for e in entries {
            let source: ConfigValueSource =
                e.source >= 0 ? ConfigValueSource(wire: e.source) : e.isDefault ? .default : .unknown
            out[e.name] = .init(value: e.value, source: source, sensitive: e.isSensitive || looksSecret(e.name))
        }
        return out
    }

    func readBrokerConfigs(_ ids: [Int32], _ notes: Notes) async -> [String: [String: ClusterSnapshot.ConfigEntry]] {
        var out: [String: [String: ClusterSnapshot.ConfigEntry]] = [:]
        var empty: [Int32] = []
        for (id, r) in await admin.brokerConfigs(ids).sorted(by: { $0.key < $1.key }) {
            switch r {
            case .success(let entries):
                out[String(id)] = Self.configMap(entries)
                if entries.isEmpty { empty.append(id) }
            case .failure(let e): Self.note(e, api: "DescribeConfigs", broker: id, into: notes)
            }
        }
        if !empty.isEmpty {
            notes.unsupported["DescribeConfigs (brokers)"] = (
                Set(empty), "the broker answered with no configuration entries, so its configuration is unknown"
            )
        }
        return out
    }

    func readLogDirs(_ ids: [Int32], _ notes: Notes) async -> [BrokerLogDir] {
        var out: [BrokerLogDir] = []
        for (id, r) in await admin.logDirs(ids).sorted(by: { $0.key < $1.key }) {
            switch r {
            case .success(let dirs): out += dirs
            case .failure(let e): Self.note(e, api: "DescribeLogDirs", broker: id, into: notes)
            }
        }
        return out
    }

    static func snapshotDirs(_ dirs: [BrokerLogDir]) -> [ClusterSnapshot.LogDir] {
        dirs.map { d in
            .init(
                broker: d.broker, path: d.path, totalBytes: d.totalBytes, usableBytes: d.usableBytes,
                partitionBytes: d.replicas.filter { !$0.isFuture }.reduce(0) { $0 + $1.sizeBytes },
                error: d.errorCode == 0 ? nil : KafkaErrorCode.named(d.errorCode).name)
        }.sorted { ($0.broker, $0.path) < ($1.broker, $1.path) }
    }

    /// Largest replica size per partition, from the log dirs (nil when none reported it).
    static func sizes(_ dirs: [BrokerLogDir]) -> [TopicPartitionKey: Int64] {
        var out: [TopicPartitionKey: Int64] = [:]
        for d in dirs {
            for r in d.replicas where !r.isFuture {
                let key = TopicPartitionKey(r.topic, r.partition)
                out[key] = max(out[key] ?? 0, r.sizeBytes)
            }
        }
        return out
    }

    func offsets(_ partitions: [TopicPartitionKey], timestamp: Int64, _ notes: Notes) async -> [TopicPartitionKey:
        Int64]
    {
        guard !partitions.isEmpty else { return [:] }
        do throws(ClusterError) {
            let r = try await admin.listOffsetsByLeader(partitions, timestamp: timestamp)
            for (leader, e) in r.failures.sorted(by: { $0.key < $1.key }) {
                Self.note(e, api: "ListOffsets", broker: leader, into: notes)
            }
            return r.offsets
        } catch {
            Self.note(error, api: "ListOffsets", broker: nil, into: notes)
            return [:]
        }
    }

    // Long because: list on every broker, then describe and fetch offsets by coordinator, each failure filed.
    func readGroups(_ ids: [Int32], _ notes: Notes) async -> [ClusterSnapshot.Group] {
        var listed: [String: GroupListing] = [:]
        for (id, r) in await admin.listGroups(ids).sorted(by: { $0.key < $1.key }) {
            switch r {
            case .success(let gs): for g in gs { listed[g.groupId] = g }
            case .failure(let e): Self.note(e, api: "ListGroups", broker: id, into: notes)
            }
        }
        let names = listed.keys.sorted()
        guard !names.isEmpty else { return [] }
        var described: [String: GroupDescription] = [:]
        do throws(ClusterError) {
            for d in try await admin.describeGroups(names) where d.errorCode == 0 { described[d.groupId] = d }
        } catch { Self.note(error, api: "DescribeGroups", broker: nil, into: notes) }
        let offsets = await admin.committedOffsets(names)
        var offsetFailures = 0
        var out: [ClusterSnapshot.Group] = []
        for name in names {
            let l = listed[name]
            let d = described[name]
            var committed: [ClusterSnapshot.CommittedOffset] = []
            switch offsets[name] {
            case .success(let list)?:
                committed = list.map { .init(topic: $0.topic, partition: $0.partition, offset: $0.offset) }
                    .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            case .failure(let e)?:
                offsetFailures += 1
                if offsetFailures == 1 { Self.note(e, api: "OffsetFetch", broker: nil, into: notes) }
            case nil: break
            }
            let state = d?.state ?? l?.state
            out.append(
                .init(
                    groupId: name, state: state == "Unknown" || state?.isEmpty == true ? nil : state,
                    protocolType: (d?.protocolType ?? l?.protocolType).flatMap { $0.isEmpty ? nil : $0 },
                    members: (d?.members ?? []).map { m in
                        .init(
                            memberId: m.memberId, clientId: m.clientId.isEmpty ? nil : m.clientId,
                            host: m.host.isEmpty ? nil : m.host,
                            assignment: m.assignment.sorted { $0.key < $1.key }.map {
                                .init(topic: $0.key, partitions: $0.value.sorted())
                            })
                    }, offsets: committed))
        }
        return out
    }
}
