// What a load test writes: keys from a distribution, values of a size and compressibility, and the partition
// each record goes to. Seeded, so the same flags write the same records.

import ArchitectCore
import Foundation

/// SplitMix64: small, fast, and the same sequence everywhere for a seed.
public struct SplitMix64: Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

public enum KeyDistribution: Sendable, Equatable {
    case none
    /// `count` keys, each equally likely.
    case uniform(count: Int)
    /// `count` keys, the k-th most frequent with weight 1/k^skew.
    case zipf(count: Int, skew: Double)
    /// These keys, in this order, again and again (a sample of real keys replayed).
    case list([[UInt8]])

    public var description: String {
        switch self {
        case .none: "none"
        case .uniform(let n): "uniform over \(n) keys"
        case .zipf(let n, let s): "Zipf over \(n) keys, skew \(s)"
        case .list(let keys): "\(keys.count) keys from a file, in order"
        }
    }
}

/// Draws keys: `key-<n>` names for the distributions, or the file's keys.
public struct KeySource: Sendable {
    let distribution: KeyDistribution
    var random: SplitMix64
    /// Zipf's cumulative weights, normalised.
    let cdf: [Double]
    var position = 0
    var buffer: [UInt8] = []

    public init(_ d: KeyDistribution, seed: UInt64) {
        distribution = d
        random = SplitMix64(seed: seed ^ 0x6B65_7973)
        if case .zipf(let n, let s) = d {
            var sums: [Double] = []
            sums.reserveCapacity(n)
            var total = 0.0
            for k in 1...max(1, n) {
                total += 1 / pow(Double(k), s)
                sums.append(total)
            }
            cdf = sums.map { $0 / total }
        } else {
            cdf = []
        }
    }

    /// The next key's index (for the named distributions), or nil without keys.
    mutating func nextIndex() -> Int? {
        switch distribution {
        case .none: return nil
        case .uniform(let n): return Int(random.next() % UInt64(max(1, n)))
        case .zipf:
            let u = random.unit()
            var lo = 0
            var hi = cdf.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cdf[mid] < u { lo = mid + 1 } else { hi = mid }
            }
            return lo
        case .list(let keys):
            defer { position = (position + 1) % max(1, keys.count) }
            return position
        }
    }

    /// Calls `body` with the next key's bytes (nil without keys).
    public mutating func next<R>(_ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let i = nextIndex() else { return body(nil) }
        if case .list(let keys) = distribution {
            return keys[i].withUnsafeBytes { body($0) }
        }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: "key-".utf8)
        buffer.append(contentsOf: String(i).utf8)
        return buffer.withUnsafeBytes { body($0) }
    }
}

/// Values of `size` bytes: the record's sequence number (8 bytes, big-endian) first, then a body of which
/// `compressibility` is a repeated pattern and the rest random bytes, from a pool of distinct bodies so no two
/// records in a batch are alike.
public struct ValueSource: Sendable {
    public let size: Int
    public let compressibility: Double
    let pool: [[UInt8]]
    var next = 0
    var buffer: [UInt8]

    /// The pool holds at most this many bytes (1,024 bodies of 1 KB; 6 of 10 MB).
    public static let poolBytes = 64_000_000

    public init(size: Int, compressibility: Double, seed: UInt64, poolSize: Int = 1024) {
        self.size = size
        self.compressibility = compressibility
        var random = SplitMix64(seed: seed ^ 0x7661_6c75)
        let body = max(0, size - 8)
        let poolSize = max(1, min(poolSize, Self.poolBytes / max(1, body)))
        let repeated = Int((Double(body) * compressibility).rounded())
        var pool: [[UInt8]] = []
        for _ in 0..<poolSize {
            var v = [UInt8](repeating: 0, count: body)
            for i in 0..<repeated { v[i] = UInt8(ascii: "a") &+ UInt8(i % 16) }
            var i = repeated
            while i < body {
                var r = random.next()
                for _ in 0..<8 where i < body {
                    v[i] = UInt8(truncatingIfNeeded: r)
                    r >>= 8
                    i += 1
                }
            }
            pool.append(v)
        }
        self.pool = pool
        buffer = [UInt8](repeating: 0, count: size)
    }

    /// Calls `body` with the value of record `sequence`.
    public mutating func value<R>(_ sequence: UInt64, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let b = pool[next]
        next = (next + 1) % pool.count
        return buffer.withUnsafeMutableBytes { out in
            let head = min(8, size)
            for i in 0..<head { out[i] = UInt8(truncatingIfNeeded: sequence >> (56 - 8 * UInt64(i))) }
            if size > 8 {
                b.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[8...]).copyMemory(from: $0) }
            }
            return body(UnsafeRawBufferPointer(out))
        }
    }
}

public enum PartitionerChoice: String, Sendable, Equatable, CaseIterable {
    /// Kafka's default: keyed records by murmur2(key); unkeyed records stick to one partition until `batch.size`
    /// bytes went to it, then move to another (the built-in partitioner of KIP-794, Kafka 3.3+).
    case sticky
    /// Keyed records by murmur2(key), unkeyed round robin.
    case murmur2
    /// Every record to the next partition, keys ignored.
    case roundRobin = "round-robin"
}

/// Picks each record's partition.
public struct PartitionPicker: Sendable {
    let choice: PartitionerChoice
    let count: Int32
    var cursor: Int32 = 0
    var random: SplitMix64
    /// Bytes of unkeyed records given to the sticky partition so far, and the switch point (batch.size).
    var stickyBytes = 0
    let batchSize: Int

    public init(_ choice: PartitionerChoice, partitions: Int32, seed: UInt64, batchSize: Int = 16_384) {
        self.choice = choice
        self.batchSize = max(1, batchSize)
        self.count = max(1, partitions)
        self.random = SplitMix64(seed: seed ^ 0x7061_7274)
        self.cursor = Int32(random.next() % UInt64(self.count))
    }

    public mutating func pick(_ key: UnsafeRawBufferPointer?) -> Int32 {
        if choice != .roundRobin, let key {
            return Int32((KafkaHash.murmur2(key) & 0x7fff_ffff) % UInt32(count))
        }
        switch choice {
        case .sticky: return cursor
        case .murmur2, .roundRobin:
            defer { cursor = (cursor + 1) % count }
            return cursor
        }
    }

    /// An unkeyed record of `bytes` (key and value) went to the sticky partition: after `batch.size` bytes the
    /// next record goes to another partition, chosen at random among the others.
    public mutating func appended(unkeyed bytes: Int) {
        guard choice == .sticky, count > 1 else { return }
        stickyBytes += bytes
        guard stickyBytes >= batchSize else { return }
        stickyBytes = 0
        var next = Int32(random.next() % UInt64(count - 1))
        if next >= cursor { next += 1 }
        cursor = next
    }
}
