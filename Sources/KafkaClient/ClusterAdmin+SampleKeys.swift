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

public struct KeySample: Sendable, Equatable {
    public let topic: String
    public let partitions: Int
    public let keys: [SampledKey]
    /// What could not be read, partition by partition.
    public let notes: [String]
    /// Record batches read, by compression codec (what the producers use) and by format (magic v0/v1/v2).
    public let batchesByCodec: [String: Int]
}

extension ClusterAdmin {
    /// About `records` of the newest records of `topic`, spread evenly over its partitions.
    ///
    /// Partitions whose leader answers with a retriable error (a leader moving, a replica not yet in
    /// sync) are tried again after fresh metadata, backing off 100 ms, 200 ms, ... up to 1 s, until
    /// `timeout` has passed since the start; a leader that cannot be reached or drops the connection
    /// is reported in `notes` with the partitions it leaves unsampled, and the rest is still read.
    public func sampleKeys(bootstrap: [BrokerAddress], topic: String, records: Int) async throws(ClusterError)
        -> KeySample
    {
        let start = NIODeadline.now()
        let deadline = start + .milliseconds(Int64(timeout * 1000))
        var description = try await describeAny(bootstrap)
        guard let t = description.topics.first(where: { $0.name == topic }) else {
            throw ClusterError(
                address: bootstrap.map(\.description).joined(separator: ","),
                reason: "topic '\(topic)' does not exist (\(description.topics.count) topics on the cluster)")
        }
        let partitionCount = t.partitions.count
        let perPartition = (records + max(1, partitionCount) - 1) / max(1, partitionCount)
        var progress = SampleProgress(pending: Set(t.partitions.map(\.partition)))
        var backoff = Backoff()
        while true {
            let retry = await sampleRound(
                description, topic: topic, perPartition: perPartition, deadline: deadline, progress: &progress)
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
            if let fresh = try? await describeAny(bootstrap) { description = fresh }
        }
        progress.keys.sort { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
        return KeySample(
            topic: topic, partitions: partitionCount, keys: progress.keys, notes: progress.notes,
            batchesByCodec: progress.codecs)
    }

    /// What `sampleKeys` has gathered over its rounds, and the partitions still to read.
    struct SampleProgress {
        var keys: [SampledKey] = []
        var notes: [String] = []
        var codecs: [String: Int] = [:]
        var pending: Set<Int32>
    }

    /// Reads the pending partitions once, leader by leader, as `description` places them; returns the
    /// partitions to try again, with why. Partitions read or given up on leave `progress.pending`.
    private func sampleRound(
        _ description: ClusterDescription, topic: String, perPartition: Int, deadline: NIODeadline,
        progress: inout SampleProgress
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
        let byLeader = Dictionary(grouping: current, by: \.leader)
        for (leader, led) in byLeader.sorted(by: { $0.key < $1.key }) {
            let parts = led.map(\.partition).sorted()
            guard let broker = description.brokers.first(where: { $0.id == leader }) else {
                for p in parts { retry[p] = "no leader (offline)" }
                continue
            }
            let c: KafkaConnection
            do { c = try await connect(BrokerAddress(host: broker.host, port: Int(broker.port))) } catch {
                progress.notes.append(
                    "\(Self.list(parts)): leader \(broker.id) unreachable (\(error.reason)); not sampled")
                progress.pending.subtract(parts)
                continue
            }
            let outcome = await sample(
                c, leader: broker.id, topic: topic, partitions: parts, perPartition: perPartition,
                deadline: deadline)
            await c.close()
            progress.keys += outcome.keys
            progress.notes += outcome.notes
            progress.codecs.merge(outcome.codecs, uniquingKeysWith: +)
            progress.pending.subtract(outcome.done)
            for (p, why) in outcome.retry { retry[p] = why }
            if let lost = outcome.lost {
                let missing = parts.filter { !outcome.done.contains($0) && outcome.retry[$0] == nil }
                progress.notes.append(
                    "leader \(broker.id) (\(broker.host):\(broker.port)) failed mid-read: \(lost.reason); \(Self.list(missing)) not sampled"
                )
                progress.pending.subtract(missing)
            }
        }
        return retry
    }

    static func list(_ partitions: [Int32]) -> String {
        (partitions.count == 1 ? "partition " : "partitions ") + partitions.map(String.init).joined(separator: ",")
    }

    struct LeaderOutcome {
        var keys: [SampledKey] = []
        var notes: [String] = []
        var codecs: [String: Int] = [:]
        var done: Set<Int32> = []
        /// Partitions to try again (retriable error), with why.
        var retry: [Int32: String] = [:]
        /// The connection failed part-way.
        var lost: ClusterError?
    }

    /// The newest `perPartition` records of each of `partitions`, all led by the broker behind `c`.
    private func sample(
        _ c: KafkaConnection, leader: Int32, topic: String, partitions parts: [Int32], perPartition: Int,
        deadline: NIODeadline
    ) async -> LeaderOutcome {
        var outcome = LeaderOutcome()
        do {
            let apis = try await apiVersions(c)
            guard let listVersion = apis.first(where: { $0.apiKey == 2 })?.chosen,
                let fetchMax = apis.first(where: { $0.apiKey == 1 })?.chosen
            else {
                outcome.notes.append(
                    "leader \(leader): no ListOffsets/Fetch version in common; \(Self.list(parts)) not sampled")
                outcome.done = Set(parts)
                return outcome
            }
            // Fetch v13+ names topics by ID; v12 is the last that names them, which every broker we meet supports.
            let fetchVersion = min(fetchMax, 12)
            let latest = try await offsets(c, topic: topic, partitions: parts, timestamp: -1, version: listVersion)
            let earliest = try await offsets(c, topic: topic, partitions: parts, timestamp: -2, version: listVersion)
            for p in parts {
                guard case .success(let end)? = latest[p], case .success(let first)? = earliest[p] else {
                    Self.noteMissingOffsets(p, latest: latest[p], earliest: earliest[p], into: &outcome)
                    continue
                }
                // Offsets come from the broker: saturate instead of trapping on absurd values.
                let offset = max(
                    first,
                    end.subtractingReportingOverflow(Int64(perPartition)).overflow ? first : end - Int64(perPartition))
                let read = try await readRange(
                    c, topic: topic, partition: p, from: offset, to: end, version: fetchVersion, deadline: deadline,
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
                outcome.keys += read.keys.suffix(perPartition)
                outcome.done.insert(p)
            }
        } catch {
            outcome.lost = error
        }
        return outcome
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

    /// Fetches `partition` from `start` until `end`, in at most 50 fetches, stopping at an error, an
    /// undecodable record set, no progress, or (after the first fetch) past `deadline`.
    private func readRange(
        _ c: KafkaConnection, topic: String, partition p: Int32, from start: Int64, to end: Int64, version: Int16,
        deadline: NIODeadline, notes: inout [String]
    ) async throws(ClusterError) -> PartitionRead {
        var read = PartitionRead(offset: start)
        var rounds = 0
        while read.offset < end && rounds < 50 {
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
        let timeout = self.timeout
        let results = await withTaskGroup(of: Result<[String: KafkaValue], ClusterError>.self) { group in
            for p in partitions {
                let body: [String: KafkaValue] = [
                    "ReplicaId": .int(-1), "IsolationLevel": .int(0),
                    "Topics": .array([
                        .structure([
                            "Name": .string(topic),
                            "Partitions": .array([
                                .structure([
                                    "PartitionIndex": .int(Int64(p)), "CurrentLeaderEpoch": .int(-1),
                                    "Timestamp": .int(timestamp), "MaxNumOffsets": .int(1),
                                ])
                            ]),
                        ])
                    ]),
                ]
                group.addTask {
                    do throws(ClusterError) {
                        return .success(
                            try await c.send(
                                .listOffsetsRequest, version: version, body, response: .listOffsetsResponse,
                                timeout: timeout))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<[String: KafkaValue], ClusterError>] = []
            for await r in group { all.append(r) }
            return all
        }
        var out: [Int32: Result<Int64, KafkaErrorCode>] = [:]
        for result in results {
            let r: [String: KafkaValue]
            switch result {
            case .success(let value): r = value
            case .failure(let error): throw error
            }
            for t in r["Topics"]?.array ?? [] {
                for p in t["Partitions"]?.array ?? [] {
                    guard let index = p["PartitionIndex"]?.int else { continue }
                    let code = Int16(p["ErrorCode"]?.int ?? 0)
                    if code != 0 {
                        out[Int32(index)] = .failure(KafkaErrorCode.named(code))
                        continue
                    }
                    if let offset = p["Offset"]?.int ?? p["OldStyleOffsets"]?.array?.first?.int {
                        out[Int32(index)] = .success(offset)
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
        let body: [String: KafkaValue] = [
            "ReplicaId": .int(-1), "MaxWaitMs": .int(200), "MinBytes": .int(1), "MaxBytes": .int(8 * 1024 * 1024),
            "IsolationLevel": .int(0),
            "SessionId": .int(0), "SessionEpoch": .int(-1),
            "Topics": .array([
                .structure([
                    "Topic": .string(topic),
                    "Partitions": .array([
                        .structure([
                            "Partition": .int(Int64(partition)), "CurrentLeaderEpoch": .int(-1),
                            "FetchOffset": .int(offset), "LastFetchedEpoch": .int(-1),
                            "LogStartOffset": .int(-1), "PartitionMaxBytes": .int(4 * 1024 * 1024),
                        ])
                    ]),
                ])
            ]),
            "ForgottenTopicsData": .array([]), "RackId": .string(""),
        ]
        let r = try await c.send(.fetchRequest, version: version, body, response: .fetchResponse, timeout: timeout)
        var out = Fetched()
        for t in r["Responses"]?.array ?? [] {
            for p in t["Partitions"]?.array ?? [] {
                if let code = p["ErrorCode"]?.int, code != 0 {
                    out.error = KafkaErrorCode.named(Int16(code))
                    return out
                }
                guard case .bytes(let records)? = p["Records"], var set = records else { continue }
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
