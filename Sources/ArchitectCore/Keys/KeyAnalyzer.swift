// Streams keys through a Kafka partitioner and summarises the load per partition in bounded
// memory: exact per-partition counts, a distinct-key estimate, heavy hitters and key shapes.

/// Accumulates a key stream. Feed it with `add`, then call `report()`.
public struct KeyAnalyzer: Sendable {
    public let partitioner: Partitioner
    public let partitions: Int
    /// Partition counts to simulate alongside (what-if), each counted exactly.
    public let whatIfCounts: [Int]

    let modulus: FastModulus
    let whatIfModuli: [FastModulus]
    var messages: [UInt64]
    var bytes: [UInt64]
    var whatIf: [[UInt64]]
    var spreadMessages: UInt64 = 0
    var spreadBytes: UInt64 = 0
    var nullKeys: UInt64 = 0
    var emptyKeys: UInt64 = 0
    var total: UInt64 = 0
    var totalBytes: UInt64 = 0
    var sawBytes = false
    var distinct = HyperLogLog()
    var heavy: HeavyHitters
    var patterns = KeyPatternDetector()

    /// - Parameters:
    ///   - partitions: the topic's partition count (≥ 1).
    ///   - whatIf: other partition counts to simulate in the same pass.
    ///   - trackedKeys: how many heavy-hitter candidates to keep.
    public init(partitioner: Partitioner, partitions: Int, whatIf: [Int] = [], trackedKeys: Int = 1024) {
        precondition(partitions >= 1, "validated by the caller")
        self.partitioner = partitioner
        self.partitions = partitions
        self.whatIfCounts = whatIf
        modulus = FastModulus(partitions)
        whatIfModuli = whatIf.map(FastModulus.init)
        messages = [UInt64](repeating: 0, count: partitions)
        bytes = [UInt64](repeating: 0, count: partitions)
        self.whatIf = whatIf.map { [UInt64](repeating: 0, count: $0) }
        heavy = HeavyHitters(capacity: trackedKeys)
    }

    /// Counts one key (`nil` for a null key) seen `weight` times, each `size` bytes when known.
    public mutating func add(_ key: UnsafeRawBufferPointer?, weight: UInt64 = 1, size: UInt64? = nil) {
        total &+= weight
        let recordBytes = size.map { $0 &* weight } ?? 0
        if size != nil {
            sawBytes = true
            totalBytes &+= recordBytes
        }
        guard let key else {
            nullKeys &+= weight
            spreadMessages &+= weight
            spreadBytes &+= recordBytes
            return
        }
        if key.isEmpty {
            emptyKeys &+= weight
            if partitioner.spreadsEmptyKeys {
                spreadMessages &+= weight
                spreadBytes &+= recordBytes
                return
            }
        }
        let h = partitioner.hash(key)
        let reducible = partitioner.reducible(h)
        let p = modulus.remainder(reducible)
        messages.withUnsafeMutableBufferPointer { $0[p] &+= weight }
        if recordBytes > 0 { bytes.withUnsafeMutableBufferPointer { $0[p] &+= recordBytes } }
        for i in whatIf.indices {
            let q = whatIfModuli[i].remainder(reducible)
            whatIf[i][q] &+= weight
        }
        let fingerprint = mix64(h, key.count)
        distinct.add(fingerprint)
        heavy.add(key, fingerprint: fingerprint, weight: weight)
        if patterns.sampled < KeyPatternDetector.sampleSize { patterns.observe(key) }
    }

    /// The fast path for line-per-key input: one non-null key, seen once, size unknown.
    /// Same result as `add(key, weight: 1, size: nil)`.
    public mutating func add(key: UnsafeRawBufferPointer) {
        guard whatIf.isEmpty, !key.isEmpty else { return add(key, weight: 1, size: nil) }
        total &+= 1
        let h = partitioner.hash(key)
        let p = modulus.remainder(partitioner.reducible(h))
        messages.withUnsafeMutableBufferPointer { $0[p] &+= 1 }
        let fingerprint = mix64(h, key.count)
        distinct.add(fingerprint)
        heavy.add(key, fingerprint: fingerprint, weight: 1)
        if patterns.sampled < KeyPatternDetector.sampleSize { patterns.observe(key) }
    }

    /// One analysis of a stream cut into consecutive parts, each analysed on its own with the same
    /// partitioner, partition count and what-ifs (`parts` in stream order, at least one). Counts add up
    /// exactly and the distinct-key estimate is the union's. Heavy hitters keep true bounds
    /// (`HeavyHitters(merging:)`): the candidates can differ from one pass over the whole stream,
    /// their bounds always hold. Key shapes are the first part's: when it saw fewer keys than the
    /// detector samples (`wantsMoreShapes`), feed the following keys to `observeShape` in order.
    public init(merging parts: [KeyAnalyzer]) {
        precondition(!parts.isEmpty, "at least one part")
        self = parts[0]
        for part in parts.dropFirst() {
            precondition(part.partitions == partitions && part.whatIfCounts == whatIfCounts, "same settings")
            for i in messages.indices {
                messages[i] &+= part.messages[i]
                bytes[i] &+= part.bytes[i]
            }
            for i in whatIf.indices { for q in whatIf[i].indices { whatIf[i][q] &+= part.whatIf[i][q] } }
            spreadMessages &+= part.spreadMessages
            spreadBytes &+= part.spreadBytes
            nullKeys &+= part.nullKeys
            emptyKeys &+= part.emptyKeys
            total &+= part.total
            totalBytes &+= part.totalBytes
            sawBytes = sawBytes || part.sawBytes
            distinct.merge(part.distinct)
        }
        heavy = HeavyHitters(merging: parts.map(\.heavy))
    }

    /// Whether the key-shape detector has room for more keys (see `init(merging:)`).
    public var wantsMoreShapes: Bool { patterns.sampled < KeyPatternDetector.sampleSize }

    /// Shows one more key to the key-shape detector only (see `init(merging:)`).
    public mutating func observeShape(_ key: UnsafeRawBufferPointer) { patterns.observe(key) }

    /// The fast path for a batch of line-per-key keys, each non-null and seen once, size unknown: the
    /// same result as `add(key:)` on each in order. The batch is hashed first, then counted, so the
    /// hashes' multiplications and the sketch's memory reads of neighbouring keys overlap. Each key's
    /// `partitioner.hash` is written to `hashes` when given (room for `batch.count`).
    public mutating func add(
        keys batch: UnsafeBufferPointer<UnsafeRawBufferPointer>, hashes: UnsafeMutablePointer<UInt32>? = nil
    ) {
        guard batch.count <= Self.batchSize, !batch.contains(where: { $0.isEmpty }) else {
            for (i, key) in batch.enumerated() {
                add(key: key)
                hashes?[i] = partitioner.hash(key)
            }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: batch.count) { fingerprints in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: batch.count) { scratch in
                let h = hashes ?? scratch.baseAddress.unsafelyUnwrapped
                switch partitioner {
                case .java, .murmur2, .murmur2Random: KafkaHash.murmur2(batch, into: h)
                case .consistent, .consistentRandom: for i in batch.indices { h[i] = KafkaHash.crc32(batch[i]) }
                case .fnv1a, .fnv1aRandom: for i in batch.indices { h[i] = KafkaHash.fnv1a(batch[i]) }
                }
                count(batch, hashes: h, fingerprints: fingerprints)
            }
            heavy.warm(UnsafeBufferPointer(fingerprints))
            distinct.registers.withUnsafeMutableBufferPointer { r in
                for f in fingerprints { HyperLogLog.add(f, to: r) }
            }
            heavy.add(batch, fingerprints: UnsafeBufferPointer(fingerprints))
        }
        total &+= UInt64(batch.count)
        if patterns.sampled < KeyPatternDetector.sampleSize { for key in batch { patterns.observe(key) } }
    }

    /// The batch's partitions (and what-if partitions) counted, and its fingerprints.
    @inline(__always)
    private mutating func count(
        _ batch: UnsafeBufferPointer<UnsafeRawBufferPointer>, hashes h: UnsafeMutablePointer<UInt32>,
        fingerprints: UnsafeMutableBufferPointer<UInt64>
    ) {
        let partitioner = partitioner
        let modulus = modulus
        messages.withUnsafeMutableBufferPointer { counts in
            for i in batch.indices { counts[modulus.remainder(partitioner.reducible(h[i]))] &+= 1 }
        }
        for w in whatIf.indices {
            let m = whatIfModuli[w]
            whatIf[w].withUnsafeMutableBufferPointer { counts in
                for i in batch.indices { counts[m.remainder(partitioner.reducible(h[i]))] &+= 1 }
            }
        }
        for i in batch.indices { fingerprints[i] = mix64(h[i], batch[i].count) }
    }

    /// The most keys `add(keys:)` takes at once.
    public static let batchSize = 64

    /// Whether any heavy-hitter candidate (listed or not) has a count that is only bounded: then a
    /// second count can change which keys are the heaviest.
    public var heavyHittersAreBounded: Bool { heavy.anyBounded }

    /// The heavy-hitter candidates, for an exact second count (`settle`).
    public var heavyHitterCandidates: Set<[UInt8]> { Set(heavy.top.map(\.key)) }

    /// Replaces the candidates' bounded counts with exact ones from a second pass over the same input.
    /// Call after the last `add`.
    public mutating func settle(exactCounts: [[UInt8]: UInt64]) { heavy.settle(exactCounts) }

    /// Convenience for tests and small inputs.
    public mutating func add(_ key: [UInt8]?, weight: UInt64 = 1, size: UInt64? = nil) {
        if let key {
            key.withUnsafeBytes { add($0, weight: weight, size: size) }
        } else {
            add(nil as UnsafeRawBufferPointer?, weight: weight, size: size)
        }
    }

    public mutating func add(_ key: String?, weight: UInt64 = 1, size: UInt64? = nil) {
        add(key.map { Array($0.utf8) }, weight: weight, size: size)
    }
}

/// x mod n by multiplication (Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019):
/// exact for every 32-bit x and n ≥ 1, and much cheaper than a division per key.
struct FastModulus: Sendable {
    let divisor: UInt64
    let magic: UInt64

    init(_ n: Int) {
        divisor = UInt64(n)
        magic = n == 1 ? 0 : UInt64.max / UInt64(n) &+ 1
    }

    @inline(__always)
    func remainder(_ x: UInt32) -> Int {
        let low = magic &* UInt64(x)
        return Int(low.multipliedFullWidth(by: divisor).high)
    }
}
