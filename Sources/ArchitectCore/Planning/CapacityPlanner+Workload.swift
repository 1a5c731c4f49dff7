// The workload's figures, before any broker count: traffic, stored bytes and partitions, summed over
// topics. Every broker-count constraint reads them (see Constraints/).

/// Cluster-wide traffic, unrounded; the names are the figures' (`throughput.<name>`).
struct TrafficFigures: Sendable {
    let ingressMessagesPerSecond: Double
    let peakIngressMessagesPerSecond: Double
    let ingressBytesPerSecond: Double
    let peakIngressBytesPerSecond: Double
    let ingressWireBytesPerSecond: Double
    let peakIngressWireBytesPerSecond: Double
    let replicationBytesPerSecond: Double
    let peakReplicationBytesPerSecond: Double
    let egressBytesPerSecond: Double
    let peakEgressBytesPerSecond: Double
    /// Consumer reads that miss the page cache: from broker disks (topics kept local)...
    let peakColdDiskReadBytesPerSecond: Double
    /// ...or from object storage into the brokers (tiered topics).
    let peakRemoteReadBytesPerSecond: Double
    /// Leaders copy each closed segment of a tiered topic to object storage once.
    let peakTieredUploadBytesPerSecond: Double
    /// Cores the leaders spend decompressing produced batches to validate them, and recompressing them for
    /// topics whose compression.type differs from the producer's codec.
    let peakCodecCores: Double
}

/// Stored bytes, unrounded; the names are the figures' (`storage.<name>`).
struct StorageFigures: Sendable {
    let dailyIngressBytes: Double
    let retainedBytes: Double
    let totalBytes: Double
    /// Bytes on broker disks, margin included (equals totalBytes without tiered storage).
    let localBytes: Double
    /// One copy in object storage (tiered storage only).
    let remoteBytes: Double
}

struct PartitionFigures: Sendable {
    let total: Int
    /// Partition replicas, all topics.
    let replicas: Double
}

extension CapacityPlanner {
    /// Records producer, replication and consumer traffic, average and peak.
    // Long because: one record per traffic figure, each with its formula and inputs, in the documented order.
    static func trafficFigures(_ topics: [TopicPlan], policy: Policy, tiered: Bool, book: inout FigureBook)
        -> TrafficFigures
    {
        let rf = Double(policy.replicationFactor)
        let mps = book.recordTotal(
            "throughput.ingressMessagesPerSecond", "Producer messages (average)", .messagesPerSecond,
            over: topics, formula: "messagesPerSecond",
            inputs: { [$0.rateTerm] }, value: { $0.messagesPerSecond })
        let peakMps = book.recordTotal(
            "throughput.peakIngressMessagesPerSecond", "Producer messages (peak)", .messagesPerSecond,
            over: topics, formula: "messagesPerSecond × peakToAverage",
            inputs: { [$0.rateTerm, $0.peakTerm] }, value: { $0.messagesPerSecond * $0.peakToAverage })
        let ingress = book.recordTotal(
            "throughput.ingressBytesPerSecond", "Producer ingress, uncompressed (average)", .bytesPerSecond,
            over: topics, formula: "messagesPerSecond × messageSize",
            inputs: { [$0.rateTerm, $0.sizeTerm] }, value: { $0.ingressBytesPerSecond })
        let peakIngress = book.recordTotal(
            "throughput.peakIngressBytesPerSecond", "Producer ingress, uncompressed (peak)", .bytesPerSecond,
            over: topics, formula: "messagesPerSecond × messageSize × peakToAverage",
            inputs: { [$0.rateTerm, $0.sizeTerm, $0.peakTerm] }, value: { $0.ingressBytesPerSecond * $0.peakToAverage })
        let wire = book.recordTotal(
            "throughput.ingressWireBytesPerSecond", "Producer ingress on the wire (average)", .bytesPerSecond,
            over: topics, formula: "messagesPerSecond × messageSize ÷ compressionRatio",
            inputs: { [$0.rateTerm, $0.sizeTerm, $0.compressionTerm] }, value: { $0.ingressWireBytesPerSecond })
        let peakWire = book.recordTotal(
            "throughput.peakIngressWireBytesPerSecond", "Producer ingress on the wire (peak)", .bytesPerSecond,
            over: topics, formula: "messagesPerSecond × messageSize ÷ compressionRatio × peakToAverage",
            inputs: { [$0.rateTerm, $0.sizeTerm, $0.compressionTerm, $0.peakTerm] },
            value: { $0.ingressWireBytesPerSecond * $0.peakToAverage })
        let replication = book.record(
            "throughput.replicationBytesPerSecond", "Replication traffic (average)", wire * (rf - 1), .bytesPerSecond,
            formula: "ingressWireBytesPerSecond × (replicationFactor − 1)",
            inputs: [Term("ingressWireBytesPerSecond", wire, .bytesPerSecond), Term("replicationFactor", rf, .count)])
        let peakReplication = book.record(
            "throughput.peakReplicationBytesPerSecond", "Replication traffic (peak)", peakWire * (rf - 1),
            .bytesPerSecond, formula: "peakIngressWireBytesPerSecond × (replicationFactor − 1)",
            inputs: [
                Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond),
                Term("replicationFactor", rf, .count),
            ])
        let egress = book.recordTotal(
            "throughput.egressBytesPerSecond", "Consumer egress (average)", .bytesPerSecond,
            over: topics, formula: "ingressWireBytesPerSecond × consumerGroups",
            inputs: { [$0.wireTerm, $0.groupsTerm] },
            value: { $0.ingressWireBytesPerSecond * Double($0.consumerGroups) })
        let peakEgress = book.recordTotal(
            "throughput.peakEgressBytesPerSecond", "Consumer egress (peak)", .bytesPerSecond,
            over: topics, formula: "ingressWireBytesPerSecond × peakToAverage × consumerGroups",
            inputs: { [$0.wireTerm, $0.peakTerm, $0.groupsTerm] },
            value: { $0.ingressWireBytesPerSecond * $0.peakToAverage * Double($0.consumerGroups) })
        let cold = coldReadFigures(topics, policy: policy, tiered: tiered, book: &book)
        let codec = codecCores(topics, book: &book)
        return TrafficFigures(
            ingressMessagesPerSecond: mps, peakIngressMessagesPerSecond: peakMps,
            ingressBytesPerSecond: ingress, peakIngressBytesPerSecond: peakIngress,
            ingressWireBytesPerSecond: wire, peakIngressWireBytesPerSecond: peakWire,
            replicationBytesPerSecond: replication, peakReplicationBytesPerSecond: peakReplication,
            egressBytesPerSecond: egress, peakEgressBytesPerSecond: peakEgress,
            peakColdDiskReadBytesPerSecond: cold.disk, peakRemoteReadBytesPerSecond: cold.remote,
            peakTieredUploadBytesPerSecond: cold.upload, peakCodecCores: codec)
    }

    /// Records the cores the leaders spend on codecs at peak: Kafka decompresses every compressed batch to
    /// validate it, and recompresses it when the topic's compression.type is another codec (LogValidator;
    /// docs/design.html). Speeds are single-core C benchmarks (`CompressionCodec.speed`); Kafka's Java bindings
    /// may be slower.
    static func codecCores(_ topics: [TopicPlan], book: inout FigureBook) -> Double {
        var inputs: [Term] = []
        var cores = 0.0
        for t in topics {
            let peak = t.ingressBytesPerSecond * t.peakToAverage
            var c = 0.0
            if let s = t.compression.speed { c += peak / s.decompress }
            if let target = t.topicCompression, let s = target.speed { c += peak / s.compress }
            if c > 0 {
                cores += c
                inputs.append(Term(t.name, c, .cores))
            }
        }
        return book.record(
            "throughput.peakCodecCores", "Cores for decompression and recompression (peak)", cores, .cores,
            formula:
                "Σ topics peak uncompressed ingress × (1 ÷ decompressSpeed(producer codec) + 1 ÷ compressSpeed(topic codec, when it differs))",
            inputs: inputs)
    }

    /// Records the consumer reads that miss the page cache — from disk for topics kept on broker disks, from
    /// object storage for tiered ones — and the tiered topics' uploads.
    static func coldReadFigures(_ topics: [TopicPlan], policy: Policy, tiered: Bool, book: inout FigureBook)
        -> (disk: Double, remote: Double, upload: Double)
    {
        let miss = policy.cacheMissReadShare
        let missTerm = Term("cacheMissReadShare", miss, .fraction)
        func peakEgress(_ t: TopicPlan) -> Double {
            t.ingressWireBytesPerSecond * t.peakToAverage * Double(t.consumerGroups)
        }
        let local = topics.filter { !tiered || $0.keepLocal }
        let remote = topics.filter { tiered && !$0.keepLocal }
        let localEgress = local.reduce(0) { $0 + peakEgress($1) }
        let disk = book.record(
            "throughput.peakColdDiskReadBytesPerSecond", "Consumer reads from disk (peak, page-cache misses)",
            localEgress * miss, .bytesPerSecond,
            formula: tiered
                ? "peakEgress of topics kept on broker disks × cacheMissReadShare"
                : "peakEgressBytesPerSecond × cacheMissReadShare",
            inputs: [Term("peakEgress", localEgress, .bytesPerSecond), missTerm])
        guard tiered else { return (disk, 0, 0) }
        let remoteEgress = remote.reduce(0) { $0 + peakEgress($1) }
        let remoteReads = book.record(
            "throughput.peakRemoteReadBytesPerSecond", "Consumer reads from object storage (peak, tiered topics)",
            remoteEgress * miss, .bytesPerSecond, formula: "peakEgress of tiered topics × cacheMissReadShare",
            inputs: [Term("peakEgress", remoteEgress, .bytesPerSecond), missTerm])
        let uploadRate = remote.reduce(0) { $0 + $1.ingressWireBytesPerSecond * $1.peakToAverage }
        let upload = book.record(
            "throughput.peakTieredUploadBytesPerSecond", "Uploads to object storage (peak)", uploadRate,
            .bytesPerSecond, formula: "Σ tiered topics peakIngressWireBytesPerSecond (one copy, by the leader)",
            inputs: remote.map { Term($0.name, $0.ingressWireBytesPerSecond * $0.peakToAverage, .bytesPerSecond) })
        return (disk, remoteReads, upload)
    }

    /// Records daily ingress, retained data, disk with margin, and the split with tiered storage.
    static func storageFigures(_ a: Architecture, topics: [TopicPlan], book: inout FigureBook) -> StorageFigures {
        let rf = Double(a.policy.replicationFactor)
        let daily = book.recordTotal(
            "storage.dailyIngressBytes", "Daily ingress (on the wire, one copy)", .bytes,
            over: topics, formula: "ingressWireBytesPerSecond × 86,400 s",
            inputs: { [$0.wireTerm] }, value: { $0.ingressWireBytesPerSecond * Self.secondsPerDay })
        let retained = retainedBytes(topics, rf: rf, daily: daily, book: &book)
        let margin = a.policy.freeSpaceMargin
        let totalBytes = book.record(
            "storage.totalBytes", "Disk needed with free-space margin", retained * (1 + margin), .bytes,
            formula: "retainedBytes × (1 + freeSpaceMargin)",
            inputs: [Term("retainedBytes", retained, .bytes), Term("freeSpaceMargin", margin, .fraction)])
        guard let tiered = a.environment.tieredStorage else {
            return StorageFigures(
                dailyIngressBytes: daily, retainedBytes: retained, totalBytes: totalBytes,
                localBytes: totalBytes, remoteBytes: 0)
        }
        let localDays = tiered.localRetentionSeconds / Self.secondsPerDay
        // Compacted topics are never tiered (KIP-405), nor topics the design keeps local: all they
        // retain stays on broker disks.
        let localPerReplica = topics.reduce(0) {
            $0
                + ($1.keepLocal
                    ? $1.retainedBytesPerReplica
                    : min($1.retainedBytesPerReplica, $1.ingressWireBytesPerSecond * tiered.localRetentionSeconds))
        }
        let compacted = topics.filter(\.keepLocal)
        let localBytes = book.record(
            "storage.localBytes", "Broker disks with tiered storage", localPerReplica * rf * (1 + margin), .bytes,
            formula:
                "(Σ tiered topics min(retainedPerReplica, dailyIngressBytes × localRetentionDays) + Σ local-only topics retainedPerReplica) × replicationFactor × (1 + freeSpaceMargin)",
            inputs: [
                Term("dailyIngressBytes", daily, .bytes), Term("localRetentionDays", localDays, .days),
                Term("replicationFactor", rf, .count), Term("freeSpaceMargin", margin, .fraction),
            ]
                + compacted.map {
                    Term(
                        "\($0.name) (\($0.compacted ? "compacted" : "not tiered"), local)", $0.retainedBytesPerReplica,
                        .bytes)
                })
        let tieredTopics = topics.filter { !$0.keepLocal }
        let remotePerReplica = tieredTopics.reduce(0) { $0 + $1.retainedBytesPerReplica }
        let remoteBytes = book.record(
            "storage.remoteBytes", "Object storage (one copy)", remotePerReplica, .bytes,
            formula:
                "Σ tiered topics retainedPerReplica (object storage keeps its own redundancy; compacted and local-only topics stay local)",
            inputs: tieredTopics.map { Term($0.name, $0.retainedBytesPerReplica, .bytes) })
        return StorageFigures(
            dailyIngressBytes: daily, retainedBytes: retained, totalBytes: totalBytes,
            localBytes: localBytes, remoteBytes: remoteBytes)
    }

    /// Records retained data over all replicas: one time-retained topic explains itself in days,
    /// anything else as the sum of each topic's retention (time or size, whichever is smaller).
    static func retainedBytes(_ topics: [TopicPlan], rf: Double, daily: Double, book: inout FigureBook) -> Double {
        if topics.count == 1, let t = topics.first, t.retentionBytesPerPartition == nil {
            let days = (t.retentionSeconds ?? TopicWorkload.defaultRetentionSeconds) / Self.secondsPerDay
            return book.record(
                "storage.retainedBytes", "Retained data (all replicas)", t.retainedBytesPerReplica * rf, .bytes,
                formula: "dailyIngressBytes × retentionDays × replicationFactor",
                inputs: [
                    Term("dailyIngressBytes", daily, .bytes), Term("retentionDays", days, .days),
                    Term("replicationFactor", rf, .count),
                ])
        }
        let perReplica = topics.reduce(0) { $0 + $1.retainedBytesPerReplica }
        return book.record(
            "storage.retainedBytes", "Retained data (all replicas)", perReplica * rf, .bytes,
            formula: "Σ topics min(dailyIngressBytes × retentionDays, retentionBytes × partitions) × replicationFactor",
            inputs: topics.map { Term($0.name, $0.retainedBytesPerReplica, .bytes) }
                + [Term("replicationFactor", rf, .count)])
    }

    /// Records the partitions and their replicas.
    static func partitionFigures(_ topics: [TopicPlan], policy: Policy, book: inout FigureBook) -> PartitionFigures {
        let rf = Double(policy.replicationFactor)
        let total = topics.reduce(0) { $0 + $1.partitions }
        book.record(
            "partitions.total", "Partitions", Double(total), .count,
            formula: topics.count == 1 ? "partitions" : "Σ topics partitions",
            inputs: topics.map { Term($0.name, Double($0.partitions), .count) })
        let replicas = book.record(
            "partitions.replicas", "Partition replicas", Double(total) * rf, .count,
            formula: "partitions × replicationFactor",
            inputs: [Term("partitions", Double(total), .count), Term("replicationFactor", rf, .count)])
        return PartitionFigures(total: total, replicas: replicas)
    }
}

extension FigureBook {
    /// Records a figure summed over topics. One topic states its own formula and inputs; several state
    /// "Σ topics (formula)" with each topic's value as an input, so the sum stays explained.
    mutating func recordTotal(
        _ id: String, _ label: String, _ unit: FigureUnit, over topics: [TopicPlan], formula: String,
        inputs: (TopicPlan) -> [Term], value: (TopicPlan) -> Double
    ) -> Double {
        if topics.count == 1 {
            return record(id, label, value(topics[0]), unit, formula: formula, inputs: inputs(topics[0]))
        }
        let v = topics.reduce(0) { $0 + value($1) }
        return record(
            id, label, v, unit, formula: "Σ topics (\(formula))",
            inputs: topics.map { Term($0.name, value($0), unit) })
    }
}

/// The per-topic inputs the traffic and storage figures name.
extension TopicPlan {
    fileprivate var rateTerm: Term { Term("messagesPerSecond", messagesPerSecond, .messagesPerSecond) }
    fileprivate var sizeTerm: Term { Term("messageSize", messageSize, .bytes) }
    fileprivate var peakTerm: Term { Term("peakToAverage", peakToAverage, .ratio) }
    fileprivate var compressionTerm: Term { Term("compressionRatio", compressionRatio, .ratio) }
    fileprivate var wireTerm: Term { Term("ingressWireBytesPerSecond", ingressWireBytesPerSecond, .bytesPerSecond) }
    fileprivate var groupsTerm: Term { Term("consumerGroups", Double(consumerGroups), .count) }
}
