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
