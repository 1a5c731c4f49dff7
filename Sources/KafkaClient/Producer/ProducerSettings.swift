// The producer's settings, named and defaulted as the Java client names them (Kafka 4.x defaults).

import KafkaProtocol

public struct ProducerSettings: Sendable, Equatable {
    /// -1 (all in-sync replicas), 0 (no answer) or 1 (the leader).
    public var acks: Int16 = -1
    /// `batch.size`: bytes a partition's batch may reach before it is sent without waiting for linger.
    public var batchSize = 16384
    /// `linger.ms`: how long a batch waits for more records.
    public var lingerMs: Double = 5
    /// `compression.type`.
    public var compression: RecordBatchCodec = .none
    /// `max.in.flight.requests.per.connection` (≤ 5 with idempotence, as Kafka requires).
    public var maxInFlight = 5
    /// `enable.idempotence`: a producer id and per-partition sequence numbers, so retries neither duplicate nor
    /// reorder.
    public var idempotent = true
    /// `request.timeout.ms`, in seconds.
    public var requestTimeout: Double = 30
    /// `delivery.timeout.ms`, in seconds: a record not acknowledged by then fails.
    public var deliveryTimeout: Double = 120
    /// `buffer.memory`: bytes of records not yet acknowledged; beyond it `append` refuses.
    public var bufferMemory = 32 * 1024 * 1024
    /// `max.request.size`.
    public var maxRequestSize = 1024 * 1024
    /// `retry.backoff.ms`, in seconds.
    public var retryBackoff: Double = 0.1

    public init() {}

    /// What Kafka would refuse in this combination, or nil.
    public var problem: String? {
        if idempotent && acks != -1 { return "idempotence needs acks=all (-1); pass --no-idempotence or --acks all" }
        if idempotent && maxInFlight > 5 {
            return "idempotence allows at most 5 requests in flight per connection (--max-in-flight \(maxInFlight))"
        }
        if batchSize < 1 { return "batch.size must be at least 1 byte" }
        if maxInFlight < 1 { return "max.in.flight must be at least 1" }
        return nil
    }
}

/// What happened to one batch: its records' tokens (what `append` was given, in order), and the offset the
/// broker gave the first record, or the error that ended it.
public struct ProducerDelivery: Sendable {
    public let partition: Int32
    public let tokens: [UInt64]
    /// -1 when unknown: acks=0, or a retry the broker had already written (DUPLICATE_SEQUENCE_NUMBER).
    public let baseOffset: Int64
    public let error: ClusterError?
    /// The batch's bytes before compression and as sent.
    public let bytes: Int
    /// Its records' key and value bytes.
    public let payloadBytes: Int
    public let wireBytes: Int
    /// Times it was sent (1 = no retry).
    public let attempts: Int
}

/// One Produce request's round trip.
public struct ProducerRequestSample: Sendable {
    public let broker: Int32
    public let nanoseconds: UInt64
    public let throttleMs: Int32
    public let batches: Int
    public let wireBytes: Int
    /// Requests this broker had in flight when this one was sent (itself included).
    public let inFlight: Int
}

/// Counters a run reports.
public struct ProducerStatistics: Sendable, Equatable {
    public var requests = 0
    public var batches = 0
    public var records = 0
    public var bytes = 0
    public var wireBytes = 0
    public var retries = 0
    public var throttledResponses = 0
    public var throttleMs = 0
    public var errors: [String: Int] = [:]
    /// Times a ready batch waited because its broker had `maxInFlight` requests out.
    /// Batches that were ready while all max.in.flight requests of their connection were out (each once).
    public var inFlightFull = 0
    /// Times `append` refused for want of buffer memory.
    public var bufferFull = 0
    /// Batches sent because they were full, because linger passed, or because of a flush.
    public var fullBatches = 0
    public var lingerBatches = 0
    public var flushBatches = 0
    public init() {}
}
