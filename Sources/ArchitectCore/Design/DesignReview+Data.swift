// The design review of what a stream carries: its keys, record sizes, personal data and retention.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

extension DesignReview {
    // Long because: one check per field of the entity, each with its message and fix.
    /// Keys (too few for the partitions, a known hot key), large records, personal data and
    /// retention kept forever; retries that reorder a per-key-ordered stream.
    static func dataFindings(
        _ e: EntitySpec, design d: DesignModel, topics: [DesignedTopic], policy: Policy, into out: inout Findings
    ) {
        let topic = d.topicName(e)
        let partitions = topics.first { $0.name == topic }?.partitions ?? 1
        if let keys = e.keyCardinality, keys < Double(partitions) * 4 {
            // Keys land on partitions at random (murmur2): a partition stays empty with probability (1 − 1/P)^K.
            let idle = Double(partitions) * pow(1 - 1 / Double(partitions), keys)
            out.add(
                "few-keys", keys < Double(partitions) ? .warning : .info, topic,
                "\(Format.grouped(keys, decimals: 0)) distinct keys over \(partitions) partitions: about \(Format.grouped(idle, decimals: 1)) partitions get no key at all and the rest are uneven (a partition holds whole keys)",
                "Use fewer partitions (about a quarter of the key count at most), or a finer key.")
        }
        if let share = e.hotKeyShare {
            let peakBytes = e.messagesPerSecond * e.peakToAverage * e.messageSize
            let hot = share * peakBytes
            let skew = share * Double(partitions) + (1 - share)
            if hot > policy.partitionWriteThroughput || skew > 2 {
                let buckets = max(
                    2, Int((hot / policy.partitionWriteThroughput).rounded(.up)), Int((skew).rounded(.up)))
                out.add(
                    "hot-key", .warning, topic,
                    "the busiest key carries \(Format.grouped(share * 100, decimals: 1))% of the records: \(Format.value(hot, .bytesPerSecond)) at peak on one partition (a partition takes \(Format.value(policy.partitionWriteThroughput, .bytesPerSecond))), its partition at \(Format.grouped(skew, decimals: 1))× the mean",
                    e.ordering == .perKey
                        ? "Salt the hot key into \(buckets) buckets (key#0…key#\(buckets - 1); `kafka-architect keys --salt-buckets \(buckets)` shows the spread) and merge downstream: per-key order then holds only within a bucket, so order by a sequence number in the record."
                        : "Salt the hot key into \(buckets) buckets (key#0…key#\(buckets - 1); `kafka-architect keys --salt-buckets \(buckets)` shows the spread) and merge downstream."
                )
            }
        }
        if let size = e.maxMessageSize, size > 10_000_000 {
            out.add(
                "large-messages", .warning, topic,
                "records up to \(Format.value(size, .bytes)): every broker, replica fetcher and consumer buffers whole batches of them, and one slow record holds its partition",
                "Store large payloads in object storage and send a reference (claim check); keep records under 1 MB.")
        }
        if e.retainForever {
            out.add(
                "kept-forever", .info, topic,
                "kept forever (retention.ms=-1): the plan sizes \(Format.duration(EntitySpec.foreverHorizonSeconds)) of writes, the disks fill after that",
                "Tier the topic (object storage grows without moving brokers), or plan again each year.")
            if e.pii && e.kind != .state {
                out.add(
                    "pii-kept-forever", .error, topic,
                    "personal data kept forever on a delete-policy topic: it can never be erased (GDPR Art. 17)",
                    "Compact by the person's key and erase with tombstones, or encrypt per person and delete the key (crypto-shredding), or set a retention."
                )
            }
        }
        let retried = d.services.contains { s in
            s.consumes.contains { d.entity(for: $0.stream) == e && DesignAdvisor.needsDeadLetter($0, entity: e) }
        }
        if retried && e.ordering == .perKey && e.key != nil {
            out.add(
                "retry-reorders", .warning, topic,
                "per-key ordering is asked for, but a consumer retries through retry topics: a record sent to retry is processed after later records of its key",
                "Make the consumer idempotent and retry in place (blocking the partition), or park the key's later records until the retry succeeds; or declare `ordering: none` if order does not matter."
            )
        }
    }

    /// A Kafka Streams application runs one task per input partition (co-partitioned inputs share their
    /// tasks: one task processes both sides of a join), each a record at a time: a task is busy
    /// Σ rate × processing time of its inputs, and the application keeps up only when that fits the
    /// tasks it runs at once (`consumers`: its stream threads, at most one task each at a time).
    static func streamsCapacityFindings(
        _ s: ServiceSpec, design d: DesignModel, topics: [DesignedTopic], growth: Double, into out: inout Findings
    ) {
        let groups = d.coPartitionedTopics
        var done = Set<String>()
        for use in s.consumes {
            guard let e = d.entity(for: use.stream), use.processingTimeSeconds != nil else { continue }
            let topic = d.topicName(e)
            guard !done.contains(topic) else { continue }
            let members = groups.first { $0.contains(topic) } ?? [topic]
            done.formUnion(members)
            var busyPeak = 0.0
            var busyAverage = 0.0
            for u in s.consumes {
                guard let f = d.entity(for: u.stream), members.contains(d.topicName(f)),
                    let pt = u.processingTimeSeconds
                else { continue }
                busyAverage += f.messagesPerSecond * growth * pt
                busyPeak += f.messagesPerSecond * growth * f.peakToAverage * pt
            }
            let partitions = topics.first { $0.name == topic }?.partitions ?? 1
            let threads = min(s.consumes.compactMap(\.consumers).max() ?? partitions, partitions)
            guard busyPeak > Double(threads) else { continue }
            let needed = Int(busyPeak.rounded(.up))
            out.add(
                "consumer-capacity", busyAverage > Double(threads) ? .error : .warning, s.name,
                "\(s.name) (Kafka Streams) keeps \(Format.grouped(busyPeak, decimals: 1)) tasks busy at peak after growth on \(members.joined(separator: " + ")) (Σ rate × processing time of the inputs each task joins), with \(threads) running at once (\(partitions) partitions, \(threads) stream threads): \(busyAverage > Double(threads) ? "its lag grows without end" : "its lag builds in every burst")",
                partitions >= needed
                    ? "Run at least \(needed) stream threads in all (instances × num.stream.threads; `consumers: \(needed)` on its consumes entries): the inputs' \(partitions) partitions allow it. Or make processing faster."
                    : "Give the inputs at least \(needed) partitions (`partitions: \(needed)`; co-partitioned streams follow) and run \(needed) stream threads in all (instances × num.stream.threads), or make processing faster."
            )
        }
    }
}
