/// How a Kafka producer chooses a record's partition from its key.
///
/// | name | keyed records | null key | empty key |
/// |---|---|---|---|
/// | `java` | murmur2 & 0x7fffffff % n | sticky / adaptive (KIP-480, KIP-794) | hashed like any key |
/// | `murmur2` | same as java | sticky (librdkafka ≥ 1.6; documented as "single partition") | hashed |
/// | `murmur2_random` | same | sticky | hashed |
/// | `consistent` | CRC-32 % n | sticky | CRC-32 of nothing = 0 → partition 0 |
/// | `consistent_random` | CRC-32 % n (librdkafka's default) | sticky | sticky |
/// | `fnv1a` | FNV-1a % n | sticky | hashed |
/// | `fnv1a_random` | same | sticky | hashed |
///
/// "Sticky" records go to one partition for a while (a batch, `linger.ms`, or
/// `sticky.partitioning.linger.ms`) and then to another: even over time, bursty in the short run.
public enum Partitioner: String, Sendable, Equatable, CaseIterable, Codable {
    case java
    case murmur2
    case murmur2Random = "murmur2_random"
    case consistent
    case consistentRandom = "consistent_random"
    case fnv1a
    case fnv1aRandom = "fnv1a_random"

    /// What a producer does with one record.
    public enum Choice: Equatable, Sendable {
        /// Always this partition for this key.
        case partition(Int)
        /// No key-derived partition: sticky (or, for old clients, random) spreading over all partitions.
        case spread
    }

    /// The partition a keyed record goes to; `nil` key means a null key.
    @inlinable
    public func choose(_ key: UnsafeRawBufferPointer?, partitions n: Int) -> Choice {
        guard let key else { return .spread }
        switch self {
        case .java, .murmur2, .murmur2Random:
            return .partition(Int((KafkaHash.murmur2(key) & 0x7fff_ffff) % UInt32(n)))
        case .consistent:
            return .partition(Int(KafkaHash.crc32(key) % UInt32(n)))
        case .consistentRandom:
            return key.isEmpty ? .spread : .partition(Int(KafkaHash.crc32(key) % UInt32(n)))
        case .fnv1a, .fnv1aRandom:
            return .partition(Int(KafkaHash.fnv1a(key) % UInt32(n)))
        }
    }

    /// The 32-bit hash this partitioner uses (also the analyser's key fingerprint).
    @inlinable @inline(__always)
    public func hash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        switch self {
        case .java, .murmur2, .murmur2Random: KafkaHash.murmur2(key)
        case .consistent, .consistentRandom: KafkaHash.crc32(key)
        case .fnv1a, .fnv1aRandom: KafkaHash.fnv1a(key)
        }
    }

    /// The partition from a hash computed by `hash(_:)`.
    @inlinable @inline(__always)
    public func partition(fromHash h: UInt32, partitions n: Int) -> Int {
        switch self {
        case .java, .murmur2, .murmur2Random: Int((h & 0x7fff_ffff) % UInt32(n))
        case .consistent, .consistentRandom, .fnv1a, .fnv1aRandom: Int(h % UInt32(n))
        }
    }

    /// The value `partition(fromHash:)` reduces modulo the partition count.
    @inlinable @inline(__always)
    public func reducible(_ h: UInt32) -> UInt32 {
        switch self {
        case .java, .murmur2, .murmur2Random: h & 0x7fff_ffff
        case .consistent, .consistentRandom, .fnv1a, .fnv1aRandom: h
        }
    }

    /// Whether an empty (zero-length, non-null) key is spread rather than hashed.
    public var spreadsEmptyKeys: Bool { self == .consistentRandom }

    public func choose(_ key: [UInt8]?, partitions n: Int) -> Choice {
        guard let key else { return choose(nil as UnsafeRawBufferPointer?, partitions: n) }
        return key.withUnsafeBytes { choose($0, partitions: n) }
    }

    /// Who uses it, for reports.
    public var clientDescription: String {
        switch self {
        case .java: "Java client default (BuiltInPartitioner)"
        case .murmur2: "librdkafka murmur2 (Java-compatible)"
        case .murmur2Random: "librdkafka murmur2_random (Java-compatible)"
        case .consistent: "librdkafka consistent (CRC-32)"
        case .consistentRandom: "librdkafka consistent_random (CRC-32; librdkafka's default)"
        case .fnv1a: "librdkafka fnv1a (Sarama-compatible)"
        case .fnv1aRandom: "librdkafka fnv1a_random (Sarama-compatible)"
        }
    }
}
