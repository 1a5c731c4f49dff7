// Reads the newest records of a topic (ListOffsets + Fetch from each partition's leader) and keeps
// their keys and partitions, for key-distribution analysis of a live topic.

import KafkaProtocol
import NIOCore

public struct SampledKey: Sendable, Equatable {
    public let partition: Int32
    public let offset: Int64
    /// nil for a null key.
    public let key: [UInt8]?
}

/// A partition's offsets when it was sampled: `end − start` records are retained (an upper bound:
/// compaction and transaction markers leave gaps), and the sample read from `sampledFrom` to `end`.
/// Over a window, `windowStart` is the log-end offset at its beginning and `end` at its close.
public struct PartitionVolume: Sendable, Equatable {
    public let partition: Int32
    public let start: Int64
    public let end: Int64
    public let sampledFrom: Int64
    /// Reading reached `end` (false: stopped by --timeout or an error, so the sample of it is short).
    public let readToEnd: Bool
    /// The log-end offset when the window opened (nil: no window).
    public var windowStart: Int64? = nil
    public var retained: Int64 { Self.retained(from: start, to: end) }
    /// Records appended during the window (nil: no window).
    public var appended: Int64? { windowStart.map { Self.retained(from: $0, to: end) } }
    /// Where the records the sample stands for begin: the window's start, or the log start.
    public var base: Int64 { windowStart ?? start }

    /// Records between two offsets, saturating: offsets come from the broker and must not trap.
    static func retained(from start: Int64, to end: Int64) -> Int64 {
        let (d, overflow) = end.subtractingReportingOverflow(start)
        return overflow ? 0 : max(0, d)
    }
}

public struct KeySample: Sendable, Equatable {
    public let topic: String
    public let partitions: Int
    public let keys: [SampledKey]
    /// Offsets of every partition whose offsets were read, by partition.
    public let volumes: [PartitionVolume]
    /// What could not be read, partition by partition.
    public let notes: [String]
    /// Record batches read, by compression codec (what the producers use) and by format (magic v0/v1/v2).
    public let batchesByCodec: [String: Int]
}

extension ClusterAdmin {
    /// About `records` of the newest records of `topic` (every record when it holds fewer), taken from
    /// each partition in proportion to the records it retains, so the sample has the topic's own skew.
    ///
    /// Partitions whose leader answers with a retriable error (a leader moving, a replica not yet in
    /// sync) are tried again after fresh metadata, backing off 100 ms, 200 ms, ... up to 1 s, until
    /// `timeout` has passed since the start; a leader that cannot be reached or drops the connection
    /// is reported in `notes` with the partitions it leaves unsampled, and the rest is still read.
    ///
    /// With `window` (seconds), each partition's log-end offset is read twice, `window` apart, and the
    /// sample is taken from the records appended in between, in proportion to how many each received.
    public func sampleKeys(
        bootstrap: [BrokerAddress], topic: String, records: Int, window: Double? = nil
    ) async throws(ClusterError) -> KeySample {
        let start = NIODeadline.now()
        let deadline = start + .milliseconds(Int64(timeout * 1000))
        // Metadata too must end by the deadline: a slow bootstrap broker cannot hold the command.
        let client = bounded(by: deadline)
        var description = try await client.describeAny(bootstrap)
        guard let t = description.topics.first(where: { $0.name == topic }) else {
            throw ClusterError(
                address: bootstrap.map(\.description).joined(separator: ","),
                reason: "topic '\(topic)' does not exist (\(description.topics.count) topics on the cluster)")
        }
        guard !t.partitions.isEmpty else {
            throw ClusterError(
                address: bootstrap.map(\.description).joined(separator: ","),
                reason: "topic '\(topic)' has no partitions in the cluster's metadata (error code \(t.errorCode))")
        }
        let partitionCount = t.partitions.count
        var progress = SampleProgress(
            pending: Set(t.partitions.map(\.partition)), records: records, window: window)
        var backoff = Backoff()
        while true {
            let retry = await sampleRound(description, topic: topic, deadline: deadline, progress: &progress)
            progress.pending = progress.pending.intersection(retry.keys)
            if progress.pending.isEmpty { break }
            let pause = backoff.next()
            guard NIODeadline.now() + .milliseconds(Int64(pause * 1000)) < deadline else {
                for p in progress.pending.sorted() {
                    progress.notes.append(
                        "partition \(p): \(retry[p] ?? "not read"); gave up after \(KafkaConnection.format(timeout)) s of retries"
                    )
                }
                break
            }
            try? await Task.sleep(nanoseconds: UInt64(pause * 1e9))
            // The leader may have moved: read the metadata again.
            if let fresh = try? await client.describeAny(bootstrap) { description = fresh }
        }
        progress.keys.sort { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
        return KeySample(
            topic: topic, partitions: partitionCount, keys: progress.keys,
            volumes: progress.volumes.values.sorted { $0.partition < $1.partition }, notes: progress.notes,
            batchesByCodec: progress.codecs)
    }

    /// What `sampleKeys` has gathered over its rounds, and the partitions still to read.
    struct SampleProgress {
        var keys: [SampledKey] = []
        var notes: [String] = []
        var codecs: [String: Int] = [:]
        var pending: Set<Int32>
        /// Records asked for (Int.max: every record).
        let records: Int
        /// Seconds between the two log-end readings (nil: the records retained are measured).
        let window: Double?
        var volumes: [Int32: PartitionVolume] = [:]
        /// The share of each partition's retained records to read, fixed by the first round that saw
        /// offsets, so partitions retried later are sampled at the same rate.
        var fraction: Double? = nil
    }

    /// Reads the pending partitions once, as `description` places them, every leader at the same time:
    /// first each partition's offsets, then the share of its records the topic-wide rate asks for.
    /// Returns the partitions to try again, with why; partitions read or given up on leave `pending`.
    private func sampleRound(
        _ description: ClusterDescription, topic: String, deadline: NIODeadline, progress: inout SampleProgress
    ) async -> [Int32: String] {
        var retry: [Int32: String] = [:]
        let current =
            description.topics.first(where: { $0.name == topic })?.partitions.filter {
                progress.pending.contains($0.partition)
            } ?? []
        // A partition the (refreshed) metadata no longer lists is retried too, never silently dropped.
        for p in progress.pending.subtracting(current.map(\.partition)) {
            retry[p] = "missing from the cluster's metadata"
        }
        var leaders: [(broker: ClusterDescription.Broker, partitions: [Int32])] = []
        for (leader, led) in Dictionary(grouping: current, by: \.leader).sorted(by: { $0.key < $1.key }) {
            let parts = led.map(\.partition).sorted()
            guard let broker = description.brokers.first(where: { $0.id == leader }) else {
                for p in parts { retry[p] = "no leader (offline)" }
                continue
            }
            leaders.append((broker, parts))
        }
        // Every request of the round ends by the command's deadline, whatever a slow broker does.
        let client = bounded(by: deadline)
        let window = progress.window
        let opened = await withTaskGroup(of: LeaderOffsets.self) { group in
            for l in leaders {
                group.addTask {
                    await client.openLeader(l.broker, topic: topic, partitions: l.partitions, window: window)
                }
            }
            var all: [LeaderOffsets] = []
            for await o in group { all.append(o) }
            return all.sorted { $0.broker.id < $1.broker.id }
        }
        // Partitions to be tried again have no offsets yet: count each as the mean of those read, so the
        // rate fixed now does not read the whole --sample from the partitions seen first.
        let unknown = retry.count + opened.reduce(0) { $0 + $1.early.retry.count }
        let fraction =
            progress.fraction ?? Self.fraction(records: progress.records, of: opened, alsoUnknown: unknown)
        if opened.contains(where: { !$0.offsets.isEmpty }) { progress.fraction = fraction }
        let outcomes = await withTaskGroup(of: LeaderOutcome.self) { group in
            for o in opened {
                group.addTask { await client.sample(o, topic: topic, fraction: fraction, deadline: deadline) }
            }
            var all: [LeaderOutcome] = []
            for await o in group { all.append(o) }
            return all.sorted { $0.leader < $1.leader }
        }
        for outcome in outcomes { merge(outcome, into: &progress, retry: &retry) }
        return retry
    }

    /// The share of every partition's retained (or, over a window, appended) records to read: all of
    /// them when there are no more than `records`.
    /// `alsoUnknown` partitions are still to be read: each counts as the mean of the partitions read.
    static func fraction(records: Int, of leaders: [LeaderOffsets], alsoUnknown: Int = 0) -> Double {
        let known = leaders.flatMap(\.offsets.values)
        var retained = known.reduce(0.0) { $0 + Double(PartitionVolume.retained(from: $1.base, to: $1.end)) }
        if !known.isEmpty { retained *= Double(known.count + alsoUnknown) / Double(known.count) }
        guard retained > Double(records) else { return 1 }
        return Double(records) / retained
    }

    /// One leader's outcome folded into the whole: keys, notes, codecs, and what is still pending.
    private func merge(_ outcome: LeaderOutcome, into progress: inout SampleProgress, retry: inout [Int32: String]) {
        progress.keys += outcome.keys
        progress.notes += outcome.notes
        progress.codecs.merge(outcome.codecs, uniquingKeysWith: +)
        for v in outcome.volumes { progress.volumes[v.partition] = v }
        progress.pending.subtract(outcome.done)
        for (p, why) in outcome.retry { retry[p] = why }
        if let lost = outcome.lost {
            let missing = outcome.partitions.filter { !outcome.done.contains($0) && outcome.retry[$0] == nil }
            progress.notes.append(
                "leader \(outcome.leader) (\(outcome.address)) failed mid-read: \(lost.reason); \(Self.list(missing)) not sampled"
            )
            progress.pending.subtract(missing)
        }
    }

    static func list(_ partitions: [Int32]) -> String {
        (partitions.count == 1 ? "partition " : "partitions ") + partitions.map(String.init).joined(separator: ",")
    }

    struct LeaderOutcome: Sendable {
        let leader: Int32
        let partitions: [Int32]
        /// The leader's host:port, for notes.
        var address = ""
        var volumes: [PartitionVolume] = []
        var keys: [SampledKey] = []
        var notes: [String] = []
        var codecs: [String: Int] = [:]
        var done: Set<Int32> = []
        /// Partitions to try again (retriable error), with why.
        var retry: [Int32: String] = [:]
        /// The connection failed part-way.
        var lost: ClusterError?
    }

    /// A partition's log-start and log-end offsets, and the log end when the window opened.
    struct Offsets: Sendable {
        let start: Int64
        var end: Int64
        var windowStart: Int64? = nil
        var base: Int64 { windowStart ?? start }
    }

    /// A leader's connection, the versions to use with it, and its partitions' offsets.
    struct LeaderOffsets: Sendable {
        let broker: ClusterDescription.Broker
        let partitions: [Int32]
        var connection: KafkaConnection?
        var fetchVersion: Int16 = 0
        var offsets: [Int32: Offsets] = [:]
        /// Why partitions have no offsets, or the leader could not be used.
        var early = LeaderOutcome(leader: 0, partitions: [])
    }

    /// Connects to a leader and reads its partitions' earliest and latest offsets; over a window, waits
    /// `window` seconds and reads the latest again.
    private func openLeader(
        _ broker: ClusterDescription.Broker, topic: String, partitions parts: [Int32], window: Double?
    ) async -> LeaderOffsets {
        var o = LeaderOffsets(broker: broker, partitions: parts)
        o.early = LeaderOutcome(leader: broker.id, partitions: parts, address: "\(broker.host):\(broker.port)")
        let c: KafkaConnection
        do { c = try await connect(BrokerAddress(host: broker.host, port: Int(broker.port))) } catch {
            o.early.notes.append("\(Self.list(parts)): leader \(broker.id) unreachable (\(error.reason)); not sampled")
            o.early.done = Set(parts)
            return o
        }
        o.connection = c
        do {
            let apis = try await apiVersions(c)
            guard let listVersion = apis.first(where: { $0.apiKey == 2 })?.chosen,
                let fetchMax = apis.first(where: { $0.apiKey == 1 })?.chosen
            else {
                o.early.notes.append(
                    "leader \(broker.id): no ListOffsets/Fetch version in common; \(Self.list(parts)) not sampled")
                o.early.done = Set(parts)
                return o
            }
            // Fetch v13+ names topics by ID; v12 is the last that names them, which every broker we meet supports.
            o.fetchVersion = min(fetchMax, 12)
            let latest = try await offsets(c, topic: topic, partitions: parts, timestamp: -1, version: listVersion)
            let earliest = try await offsets(c, topic: topic, partitions: parts, timestamp: -2, version: listVersion)
            for p in parts {
                guard case .success(let end)? = latest[p], case .success(let first)? = earliest[p] else {
                    Self.noteMissingOffsets(p, latest: latest[p], earliest: earliest[p], into: &o.early)
                    continue
                }
                o.offsets[p] = Offsets(start: first, end: end)
            }
            if let window, !o.offsets.isEmpty {
                try await closeWindow(window, c, topic: topic, version: listVersion, offsets: &o)
            }
        } catch {
            o.early.lost = error
        }
        return o
    }

    /// The second log-end reading of a window: partitions without one are left out, with why.
    private func closeWindow(
        _ window: Double, _ c: KafkaConnection, topic: String, version: Int16, offsets o: inout LeaderOffsets
    ) async throws(ClusterError) {
        try? await Task.sleep(nanoseconds: UInt64(window * 1e9))
        let parts = o.offsets.keys.sorted()
        let closing = try await offsets(c, topic: topic, partitions: parts, timestamp: -1, version: version)
        for p in parts {
            guard case .success(let end)? = closing[p] else {
                o.offsets[p] = nil
                Self.noteMissingOffsets(p, latest: closing[p], earliest: .success(0), into: &o.early)
                continue
            }
            guard var current = o.offsets[p] else { continue }
            current.windowStart = current.end
            current.end = end
            o.offsets[p] = current
        }
    }

    /// Reads `fraction` of each partition's retained records, newest first, from one opened leader,
    /// then closes its connection.
    private func sample(_ o: LeaderOffsets, topic: String, fraction: Double, deadline: NIODeadline) async
        -> LeaderOutcome
    {
        guard let c = o.connection else { return o.early }
        var outcome = o.early
        if outcome.lost == nil {
            await readPartitions(o, on: c, topic: topic, fraction: fraction, deadline: deadline, into: &outcome)
        }
        await c.close()
        return outcome
    }

    /// Partition after partition on one connection, each outcome (retry, failure, timeout) folded in.
    private func readPartitions(
        _ o: LeaderOffsets, on c: KafkaConnection, topic: String, fraction: Double, deadline: NIODeadline,
        into outcome: inout LeaderOutcome
    ) async {
        do {
            for p in o.partitions {
                guard let offsets = o.offsets[p] else { continue }
                let (first, end) = (offsets.start, offsets.end)
                let retained = PartitionVolume.retained(from: offsets.base, to: end)
                // Rounded up so a partition with records is never skipped; every record at fraction 1.
                let take = fraction >= 1 ? retained : min(retained, Int64((Double(retained) * fraction).rounded(.up)))
                let from = end - take
                let read = try await readRange(
                    c, topic: topic, partition: p, from: from, to: end, version: o.fetchVersion, deadline: deadline,
                    notes: &outcome.notes)
                if let failed = read.failed, failed.retriable {
                    outcome.retry[p] = "Fetch: \(failed.name)"
                    continue
                }
                if let failed = read.failed { outcome.notes.append("partition \(p): fetch failed with \(failed.name)") }
                if read.outOfTime {
                    outcome.notes.append(
                        "partition \(p): stopped at offset \(read.offset) of \(end) when --timeout ran out; \(read.keys.count) records read"
                    )
                }
                for (codec, n) in read.codecs { outcome.codecs[codec, default: 0] += n }
                // Records past `end` (appended since, or a broker that under-reports its high watermark) are
                // kept, except over a window: then the sample is of the window's records only.
                outcome.keys += offsets.windowStart == nil ? read.keys : read.keys.filter { $0.offset < end }
                outcome.volumes.append(
                    PartitionVolume(
                        partition: p, start: first, end: end, sampledFrom: from,
                        readToEnd: !read.outOfTime && read.failed == nil && read.offset >= end,
                        windowStart: offsets.windowStart))
                outcome.done.insert(p)
            }
        } catch {
            outcome.lost = error
        }
    }

    /// Records why partition `p` has no usable offsets: to retry for a retriable error, otherwise a
    /// note (the partition is then done).
    private static func noteMissingOffsets(
        _ p: Int32, latest: Result<Int64, KafkaErrorCode>?, earliest: Result<Int64, KafkaErrorCode>?,
        into outcome: inout LeaderOutcome
    ) {
        let code = [latest, earliest].compactMap { r -> KafkaErrorCode? in
            if case .failure(let e)? = r { return e } else { return nil }
        }.first
        if let code, code.retriable {
            outcome.retry[p] = "ListOffsets: \(code.name)"
        } else {
            outcome.notes.append("partition \(p): no offsets\(code.map { " (\($0.name))" } ?? "")")
            outcome.done.insert(p)
        }
    }

    /// What reading one partition from an offset towards its end gave.
    struct PartitionRead {
        var keys: [SampledKey] = []
        var codecs: [String: Int] = [:]
        /// Where reading stopped.
        var offset: Int64
        /// The partition's error code, which stopped the reading.
        var failed: KafkaErrorCode?
        /// The command's deadline passed before `end` was reached.
        var outOfTime = false
    }

    /// Fetches `partition` from `start` until `end`, stopping at an error, an undecodable record set, no
    /// progress, or (after the first fetch) past `deadline`.
    private func readRange(
        _ c: KafkaConnection, topic: String, partition p: Int32, from start: Int64, to end: Int64, version: Int16,
        deadline: NIODeadline, notes: inout [String]
    ) async throws(ClusterError) -> PartitionRead {
        var read = PartitionRead(offset: start)
        var rounds = 0
        while read.offset < end {
            // Each fetch has its own timeout; past the command's deadline, stop with what was read.
            if rounds > 0 && NIODeadline.now() > deadline {
                read.outOfTime = true
                break
            }
            rounds += 1
            let fetched = try await fetch(
                c, topic: topic, partition: p, offset: read.offset, version: version, notes: &notes)
            if let error = fetched.error {
                read.failed = error
                break
            }
            for (codec, n) in fetched.codecs { read.codecs[codec, default: 0] += n }
            read.keys += fetched.keys
            if fetched.undecodable { break }
            let next = fetched.next ?? read.offset
            if next <= read.offset { break }
            read.offset = next
        }
        return read
    }

    /// Each partition's offset at `timestamp` (-1 latest, -2 earliest). One request per partition,
    /// all in flight at once on the one connection (pipelined, matched by correlation ID): librdkafka
    /// 2.0.2's mock cluster misaligns multi-partition ListOffsets v4+ responses, and one-partition
    /// requests cost no extra round trip when pipelined.
    func offsets(_ c: KafkaConnection, topic: String, partitions: [Int32], timestamp: Int64, version: Int16)
        async throws(ClusterError) -> [Int32: Result<Int64, KafkaErrorCode>]
    {
        let timeout = requestTimeout
        let results = await withTaskGroup(of: Result<ListOffsetsResponse, ClusterError>.self) { group in
            for p in partitions {
                let request = ListOffsetsRequest(
                    replicaId: -1, isolationLevel: 0,
                    topics: [
                        .init(
                            name: topic,
                            partitions: [
                                .init(partitionIndex: p, currentLeaderEpoch: -1, timestamp: timestamp, maxNumOffsets: 1)
                            ])
                    ])
                group.addTask {
                    do throws(ClusterError) {
                        return .success(try await c.send(request, version: version, timeout: timeout))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<ListOffsetsResponse, ClusterError>] = []
            for await r in group { all.append(r) }
            return all
        }
        var out: [Int32: Result<Int64, KafkaErrorCode>] = [:]
        for result in results {
            let r: ListOffsetsResponse
            switch result {
            case .success(let value): r = value
            case .failure(let error): throw error
            }
            for t in r.topics {
                for p in t.partitions {
                    if p.errorCode != 0 {
                        out[p.partitionIndex] = .failure(KafkaErrorCode.named(p.errorCode))
                        continue
                    }
                    // v0 answers a list of offsets; v1+ one offset.
                    if version >= 1 {
                        out[p.partitionIndex] = .success(p.offset)
                    } else if let first = p.oldStyleOffsets.first {
                        out[p.partitionIndex] = .success(first)
                    }
                }
            }
        }
        return out
    }

    /// What one Fetch of one partition gave: the keys at or after the asked offset, the codecs of
    /// the batches, the offset after the last batch, or the partition's error code.
    struct Fetched {
        var keys: [SampledKey] = []
        var codecs: [String: Int] = [:]
        var next: Int64?
        var error: KafkaErrorCode?
        /// The record set could not be decoded past some point (noted); fetching it again would not help.
        var undecodable = false
    }

    func fetch(
        _ c: KafkaConnection, topic: String, partition: Int32, offset: Int64, version: Int16, notes: inout [String]
    ) async throws(ClusterError) -> Fetched {
        let request = FetchRequest(
            replicaId: -1, maxWaitMs: 200, minBytes: 1, maxBytes: 8 * 1024 * 1024, isolationLevel: 0, sessionId: 0,
            sessionEpoch: -1,
            topics: [
                .init(
                    topic: topic,
                    partitions: [
                        .init(
                            partition: partition, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1,
                            logStartOffset: -1, partitionMaxBytes: 4 * 1024 * 1024)
                    ])
            ], forgottenTopicsData: [], rackId: "")
        let r = try await c.send(request, version: version, timeout: requestTimeout)
        var out = Fetched()
        for t in r.responses {
            for p in t.partitions {
                if p.errorCode != 0 {
                    out.error = KafkaErrorCode.named(p.errorCode)
                    return out
                }
                guard var set = p.records else { continue }
                do {
                    // Streamed: no Record values, only the keys the sample keeps.
                    try RecordBatch.forEachRecord(
                        in: &set,
                        onBatch: { b in
                            let codec = b.compression.map(\.description) ?? "unknown"
                            out.codecs[b.magic < 2 ? "\(codec) (legacy v\(b.magic))" : codec, default: 0] += 1
                            // Wrapping arithmetic: a hostile baseOffset near Int64.max must not trap (the batch is then simply not "after" us).
                            let end = b.baseOffset &+ Int64(b.lastOffsetDelta) &+ 1
                            if end > offset { out.next = max(out.next ?? offset, end) }
                        },
                        { b, r in
                            let o = b.baseOffset &+ Int64(r.offsetDelta)
                            if !b.isControl && o >= offset {
                                out.keys.append(
                                    SampledKey(partition: partition, offset: o, key: r.key.map { Array($0) }))
                            }
                        })
                } catch {
                    notes.append(
                        "partition \(partition): \(error); records after offset \(out.next ?? offset) not sampled")
                    out.undecodable = true
                }
            }
        }
        return out
    }
}
