// The producer's sending side: which batches go out together, their answers, retries in order, reconnecting.

import KafkaProtocol
import NIOCore

extension Producer {
    func drain(brokerOf q: PartitionQueue) { drain(broker: q.leader) }

    /// Sends ready batches for broker `id` while it has room for another request in flight.
    func drain(broker id: Int32) {
        guard fatal == nil, !closed, let link = brokers[id], !link.reconnecting else { return }
        if let muted = link.mutedUntil, muted > .now() { return }
        while link.inFlight < settings.maxInFlight {
            let batches = nextRequest(link)
            guard !batches.isEmpty else { return }
            send(batches, on: link)
        }
        // Every request slot is taken: each ready batch now waits for one (counted once per batch).
        for q in link.partitions {
            guard let b = q.unsent.first, b.ready || b.sealed, !b.waitedForSlot else { continue }
            b.waitedForSlot = true
            statistics.inFlightFull += 1
        }
    }

    /// The batches of the next request: at most one per partition, oldest first, under max.request.size. A retry
    /// goes alone once nothing else of its partition is out, and nothing follows it until it is answered.
    func nextRequest(_ link: BrokerLink) -> [ProducerBatch] {
        var batches: [ProducerBatch] = []
        var size = 0
        let n = link.partitions.count
        for k in 0..<n {
            let q = link.partitions[(link.cursor + k) % n]
            guard let b = q.unsent.first, b.ready || b.sealed else { continue }
            if b.attempts > 0 && !q.inFlight.isEmpty { continue }
            if q.inFlight.contains(where: { $0.attempts > 1 }) { continue }
            if settings.idempotent && q.inFlight.count >= 5 { continue }
            guard let wire = encode(b, q) else { return [] }
            if !batches.isEmpty && size + wire > settings.maxRequestSize { break }
            q.unsent.removeFirst()
            if q.open === b { q.open = nil }
            b.sealed = true
            q.inFlight.append(b)
            batches.append(b)
            size += wire
        }
        link.cursor = n == 0 ? 0 : (link.cursor + 1) % n
        return batches
    }

    /// The batch's bytes, compressed once and numbered once (a retry resends the same bytes); nil after a fatal
    /// compression error.
    func encode(_ b: ProducerBatch, _ q: PartitionQueue) -> Int? {
        if let e = b.encoded { return e.readableBytes }
        var identity = RecordBatchBuilder.Producer.none
        if settings.idempotent {
            identity = .init(id: producerId, epoch: producerEpoch, baseSequence: q.nextSequence)
            // Sequences wrap from Int32.max to 0, as the broker expects.
            let next = Int64(q.nextSequence) + Int64(b.builder.count)
            q.nextSequence = Int32(next > Int64(Int32.max) ? next - Int64(Int32.max) - 1 : next)
        }
        b.order = nextOrder
        nextOrder += 1
        var out = ByteBufferAllocator().buffer(capacity: b.builder.sizeInBytes)
        do { try b.builder.encode(into: &out, codec: settings.compression, producer: identity) } catch {
            stop(ClusterError(address: topic, reason: "\(error)"))
            return nil
        }
        b.encoded = out
        return out.readableBytes
    }

    func send(_ batches: [ProducerBatch], on link: BrokerLink) {
        link.inFlight += 1
        for b in batches { b.attempts += 1 }
        statistics.requests += 1
        let request = ProduceRequest(
            transactionalId: nil, acks: settings.acks,
            timeoutMs: Int32(clamping: Int64(settings.requestTimeout * 1000)),
            topicData: [
                .init(name: topic, partitionData: batches.map { .init(index: $0.partition, records: $0.encoded) })
            ])
        let sent = NIODeadline.now()
        let inFlight = link.inFlight
        let wire = batches.reduce(0) { $0 + ($1.encoded?.readableBytes ?? 0) }
        if settings.acks == 0 {
            link.connection.enqueueUnanswered(request, version: produceVersion).whenComplete { [self] result in
                link.inFlight -= 1
                switch result {
                case .success:
                    for b in batches { finish(b, offset: -1, error: nil) }
                case .failure(let e): connectionFailed(link, batches, e)
                }
                drain(broker: link.id)
                checkFlushed()
            }
            return
        }
        link.connection.enqueue(request, version: produceVersion, timeout: settings.requestTimeout).whenComplete {
            [self] result in
            link.inFlight -= 1
            switch result {
            case .success(let r):
                let rtt = UInt64(max(0, (NIODeadline.now() - sent).nanoseconds))
                onRequest(
                    ProducerRequestSample(
                        broker: link.id, nanoseconds: rtt, throttleMs: r.throttleTimeMs, batches: batches.count,
                        wireBytes: wire, inFlight: inFlight))
                handle(r, batches, link)
            case .failure(let e): connectionFailed(link, batches, e)
            }
            drain(broker: link.id)
            checkFlushed()
        }
    }

    func handle(_ r: ProduceResponse, _ batches: [ProducerBatch], _ link: BrokerLink) {
        if r.throttleTimeMs > 0 { throttle(link, ms: r.throttleTimeMs) }
        var answers: [Int32: ProduceResponse.PartitionProduceResponse] = [:]
        for t in r.responses where t.name == topic {
            for p in t.partitionResponses { answers[p.index] = p }
        }
        for b in batches {
            guard let a = answers[b.partition] else {
                retry(b, because: KafkaErrorCode.named(-1), reason: "the answer names no partition \(b.partition)")
                continue
            }
            complete(b, code: a.errorCode, offset: a.baseOffset, message: a.errorMessage)
        }
    }

    /// KIP-219: a throttled broker is not sent more until the throttle time has passed.
    func throttle(_ link: BrokerLink, ms: Int32) {
        statistics.throttledResponses += 1
        statistics.throttleMs += Int(ms)
        let until = NIODeadline.now() + .milliseconds(Int64(ms))
        link.mutedUntil = max(link.mutedUntil ?? until, until)
        loop.scheduleTask(deadline: until) { [self] in
            if let m = link.mutedUntil, m <= .now() { link.mutedUntil = nil }
            drain(broker: link.id)
        }
    }

    func complete(_ b: ProducerBatch, code: Int16, offset: Int64, message: String?) {
        switch code {
        case 0: finish(b, offset: offset, error: nil)
        case 46: finish(b, offset: -1, error: nil)  // DUPLICATE_SEQUENCE_NUMBER: an earlier attempt was written
        default:
            let e = KafkaErrorCode.named(code)
            let q = partitions[b.partition]
            // OUT_OF_ORDER_SEQUENCE_NUMBER behind an earlier batch that failed: resent after it, in order.
            let behindRetry = code == 45 && (q?.unsent.first.map { $0.attempts > 0 && $0.order < b.order } ?? false)
            if e.retriable || behindRetry {
                retry(b, because: e, reason: message)
                if [3, 5, 6].contains(code) { refresh(reconnect: nil) }
            } else {
                let why = message.map { "\(e) — \($0)" } ?? "\(e)"
                let error = ClusterError(
                    address: q.flatMap { brokers[$0.leader] }.map { $0.connection.address } ?? topic,
                    reason: "Produce to \(topic)/\(b.partition) failed: \(why)", code: e)
                finish(b, offset: -1, error: error)
                stop(error)
            }
        }
    }

    /// Puts a batch back for another attempt — before the batches sent after it — unless it is past
    /// delivery.timeout.
    func retry(_ b: ProducerBatch, because e: KafkaErrorCode, reason: String?) {
        guard let q = partitions[b.partition] else { return }
        if NIODeadline.now() - b.created > .nanoseconds(Int64(settings.deliveryTimeout * 1e9)) {
            let error = ClusterError(
                address: topic,
                reason:
                    "\(topic)/\(b.partition): not acknowledged within delivery.timeout \(settings.deliveryTimeout) s (last: \(e))"
                    + (settings.idempotent
                        ? "; with idempotence the batches numbered after it cannot be written in order, so the producer stops (Java's client bumps the epoch, KIP-360)"
                        : ""),
                code: e)
            finish(b, offset: -1, error: error)
            // The sequence has a hole the broker will never fill: every later batch would be OUT_OF_ORDER_SEQUENCE.
            if settings.idempotent { stop(error) }
            return
        }
        statistics.retries += 1
        statistics.errors[e.name, default: 0] += 1
        q.inFlight.removeAll { $0 === b }
        let at = q.unsent.firstIndex { $0.encoded == nil || $0.order > b.order } ?? q.unsent.count
        q.unsent.insert(b, at: at)
        loop.scheduleTask(in: .nanoseconds(Int64(settings.retryBackoff * 1e9))) { [self] in drain(brokerOf: q) }
    }

    func finish(_ b: ProducerBatch, offset: Int64, error: ClusterError?) {
        guard let q = partitions[b.partition] else { return }
        q.inFlight.removeAll { $0 === b }
        q.unsent.removeAll { $0 === b }
        buffered -= b.builder.sizeInBytes
        statistics.batches += 1
        statistics.records += Int(b.builder.count)
        statistics.bytes += b.builder.sizeInBytes
        statistics.wireBytes += b.encoded?.readableBytes ?? 0
        if let error { statistics.errors[error.code?.name ?? "ERROR", default: 0] += 1 }
        onDelivery(
            ProducerDelivery(
                partition: b.partition, tokens: b.tokens, baseOffset: offset, error: error,
                bytes: b.builder.sizeInBytes, payloadBytes: b.payloadBytes,
                wireBytes: b.encoded?.readableBytes ?? 0, attempts: b.attempts))
    }

    func stop(_ error: ClusterError) {
        if fatal == nil { fatal = error }
        checkFlushed()
    }

    /// Every batch of a request whose connection failed is retried; the connection is made again.
    func connectionFailed(_ link: BrokerLink, _ batches: [ProducerBatch], _ error: Error) {
        let e = KafkaErrorCode.named(13)  // NETWORK_EXCEPTION
        for b in batches.sorted(by: { $0.order < $1.order }) { retry(b, because: e, reason: "\(error)") }
        refresh(reconnect: link.id)
    }
}
