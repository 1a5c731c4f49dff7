// Reads what `lag` and `groups` evaluate: the groups (listed, or named with --group), their membership, and
// `readings` evenly spaced readings of committed offsets and log-end offsets — the last one also with log starts,
// last stable offsets and the timestamps of the oldest unconsumed records (one-record fetches). An API the
// cluster lacks is noted as unsupported; any other failed read is noted as missing (the report is incomplete).

import ArchitectCore
import Foundation
import KafkaAdmin
import KafkaClient
import KafkaProtocol

struct LagCollector {
    let admin: KafkaAdmin
    /// Groups named with --group; empty: every consumer group the cluster lists.
    var named: [String] = []
    var topic: String? = nil
    var readings = 1
    /// Seconds between readings.
    var interval: Double = 0

    final class Notes {
        var unsupported = Set<String>()
        var missing: [String] = []
        /// Per group, topics with committed offsets that --topic left out.
        var otherTopics: [String: Set<String>] = [:]
        func miss(_ s: String) { if !missing.contains(s) { missing.append(s) } }
    }

    static func unsupported(_ e: ClusterError) -> Bool {
        e.unsupportedAPI != nil || e.failure == .closed || e.code?.code == 35
    }

    func collect() async throws(ClusterError) -> LagInput {
        let meta = try await admin.pool.metadata(refresh: true)
        if let topic, !meta.topics.contains(where: { $0.name == topic }) {
            throw ClusterError(address: "--topic", reason: "--topic \(topic): no such topic on this cluster")
        }
        let notes = Notes()
        let (ids, listed) = try await groupIds(meta, notes)
        var infos = await describe(ids, listed: listed, notes)
        var out: [LagReading] = []
        let start = Date()
        for i in 0..<readings {
            let due = start.addingTimeInterval(Double(i) * interval)
            let wait = due.timeIntervalSinceNow
            if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
            out.append(await reading(ids, infos, meta, last: i == readings - 1, notes))
        }
        if readings > 1 { infos = await describe(ids, listed: listed, notes) }
        var input = LagInput(groups: ids.compactMap { infos[$0] }, readings: out)
        input.topic = topic
        input.otherTopics = notes.otherTopics.mapValues { $0.sorted() }
        if topic != nil && named.isEmpty {
            // Every group, filtered to one topic: only the groups that commit to it or are assigned it.
            input.groups = input.groups.filter { g in
                out.contains { !($0.committed[g.groupId] ?? [:]).isEmpty }
                    || (g.members ?? []).contains { $0.assignment.contains { $0.topic == topic } }
            }
        }
        input.missing = notes.missing
        input.unsupported = notes.unsupported.sorted()
        return input
    }

    /// The groups to evaluate, and which ones ListGroups listed (nil when the cluster cannot list groups).
    func groupIds(_ meta: ClusterDescription, _ notes: Notes) async throws(ClusterError) -> ([String], Set<String>?) {
        var listed: [String: GroupListing] = [:]
        var canList = true
        for (id, r) in await admin.listGroups(meta.brokers.map(\.id)).sorted(by: { $0.key < $1.key }) {
            switch r {
            case .success(let gs): for g in gs { listed[g.groupId] = g }
            case .failure(let e):
                if Self.unsupported(e) {
                    canList = false
                    notes.unsupported.insert("ListGroups (groups cannot be listed; name them with --group)")
                } else {
                    notes.miss("ListGroups on broker \(id): \(e.reason)")
                }
            }
        }
        if !named.isEmpty { return (named, canList ? Set(listed.keys) : nil) }
        guard canList || !listed.isEmpty else {
            throw ClusterError(
                address: "ListGroups",
                reason: "this cluster does not list consumer groups: name them with --group")
        }
        // Consumer groups, and groups with offsets only (committed by an admin or a plain assign()).
        let ids = listed.values.filter { $0.protocolType == "consumer" || $0.protocolType.isEmpty }.map(\.groupId)
        return (ids.sorted(), Set(listed.keys))
    }

    func describe(_ ids: [String], listed: Set<String>?, _ notes: Notes) async -> [String: LagGroupInfo] {
        var out: [String: LagGroupInfo] = [:]
        let described = ids.isEmpty ? [:] : await admin.describeGroupsEach(ids)
        for g in ids {
            var info = LagGroupInfo(groupId: g, listed: listed.map { $0.contains(g) })
            switch described[g] {
            case .success(let d):
                info.state = d.state
                info.protocolType = d.protocolType
                info.protocolName = d.protocolName.isEmpty ? nil : d.protocolName
                info.members = d.members.map { m in
                    LagMember(
                        memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, host: m.host,
                        assignment: m.assignment.flatMap { t, ps in ps.map { LagPartitionRef(t, $0) } }.sorted())
                }
            case .failure(let e):
                if Self.unsupported(e) {
                    info.membershipNote = "DescribeGroups is not offered by this cluster: state and members unknown"
                    notes.unsupported.insert("DescribeGroups (group state and members unknown)")
                } else {
                    info.membershipNote = "DescribeGroups failed: \(e.reason)"
                    notes.miss("DescribeGroups for \(g): \(e.reason)")
                }
            case nil:
                info.membershipNote = "DescribeGroups gave no answer"
            }
            out[g] = info
        }
        return out
    }

    // Long because: one reading is read in one order (committed offsets, named-partition retry, log ends, and on the
    // last reading log starts, stable offsets and record timestamps), each read filing its own failure.
    func reading(
        _ ids: [String], _ infos: [String: LagGroupInfo], _ meta: ClusterDescription, last: Bool, _ notes: Notes
    ) async -> LagReading {
        var r = LagReading(atMs: Int64(Date().timeIntervalSince1970 * 1000))
        let partitionsOf = Dictionary(
            meta.topics.map { t in (t.name, t.partitions.map { TopicPartitionKey(t.name, $0.partition) }) },
            uniquingKeysWith: { a, _ in a })
        var answers = ids.isEmpty ? [:] : await admin.committedOffsets(ids)
        // Some clusters (librdkafka's mock) answer "all partitions" with nothing: ask for them by name — every
        // topic's, even under --topic, so that a group committing only elsewhere is told apart from no group.
        let empty = ids.filter { if case .success(let v) = answers[$0] { return v.isEmpty } else { return false } }
        if !empty.isEmpty {
            let named = meta.topics.filter { !$0.isInternal }.flatMap { partitionsOf[$0.name] ?? [] }
            if !named.isEmpty {
                for (g, a) in await admin.committedOffsets(empty, partitions: named) { answers[g] = a }
            }
        }
        var topics = Set<String>()
        if let topic { topics.insert(topic) }
        for g in ids {
            switch answers[g] {
            case .success(let offsets):
                var m: [LagPartitionRef: Int64] = [:]
                for o in offsets {
                    guard topic == nil || o.topic == topic else {
                        notes.otherTopics[g, default: []].insert(o.topic)
                        continue
                    }
                    m[LagPartitionRef(o.topic, o.partition)] = o.offset
                    topics.insert(o.topic)
                }
                r.committed[g] = m
            case .failure(let e):
                r.unreadable[g] = e.description
                notes.miss("OffsetFetch for group \(g): \(e.description)")
            case nil:
                r.unreadable[g] = "no answer"
                notes.miss("OffsetFetch for group \(g): no answer")
            }
            for m in infos[g]?.members ?? [] {
                for p in m.assignment where topic == nil || p.topic == topic { topics.insert(p.topic) }
            }
        }
        let parts = topics.sorted().flatMap { partitionsOf[$0] ?? [] }
        func ref(_ k: TopicPartitionKey) -> LagPartitionRef { LagPartitionRef(k.topic, k.partition) }
        for (k, v) in await offsets(parts, timestamp: -1, isolation: 0, notes) { r.logEnd[ref(k)] = v }
        guard last else { return r }
        for (k, v) in await offsets(parts, timestamp: -2, isolation: 0, notes) { r.logStart[ref(k)] = v }
        for (k, v) in await offsets(parts, timestamp: -1, isolation: 1, notes, optional: true) {
            r.lastStable[ref(k)] = v
        }
        let positions = LagEvaluator.positions(in: r)
        let fetched = await admin.recordTimestamps(
            Set(
                positions.map {
                    RecordPosition(TopicPartitionKey($0.partition.topic, $0.partition.partition), $0.offset)
                }))
        for (p, found) in fetched.found {
            let at = LagOffsetRef(LagPartitionRef(p.key.topic, p.key.partition), p.offset)
            switch found {
            case .timestamp(let ts): r.recordTimestamps[at] = ts
            case .onlyControlRecords(let n): r.controlOnly[at] = n
            }
        }
        for f in fetched.failures { notes.miss("record timestamps: \(f)") }
        return r
    }

    func offsets(
        _ parts: [TopicPartitionKey], timestamp: Int64, isolation: Int8, _ notes: Notes, optional: Bool = false
    ) async -> [TopicPartitionKey: Int64] {
        guard !parts.isEmpty else { return [:] }
        let what = isolation > 0 ? "ListOffsets (read_committed)" : "ListOffsets"
        do throws(ClusterError) {
            let r = try await admin.listOffsetsByLeader(parts, timestamp: timestamp, isolationLevel: isolation)
            for (leader, e) in r.failures.sorted(by: { $0.key < $1.key }) {
                // An optional read that failed for another reason: the required reads of that broker say so.
                if Self.unsupported(e) {
                    notes.unsupported.insert("\(what) on broker \(leader)")
                } else if !optional {
                    notes.miss("\(what) on broker \(leader): \(e.reason)")
                }
            }
            return r.offsets
        } catch {
            if Self.unsupported(error) {
                notes.unsupported.insert(what)
            } else if !optional {
                notes.miss("\(what): \(error.reason)")
            }
            return [:]
        }
    }
}
