// Bounded-memory summaries of a key stream: distinct count (HyperLogLog) and heavy hitters
// (Count-Min sketch + top-k). Memory does not grow with the number of distinct keys.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// Mixes a 32-bit fingerprint into 64 well-spread bits (MurmurHash3's fmix64 over a widened input).
@inline(__always)
func mix64(_ h: UInt32, _ length: Int) -> UInt64 {
    var k = UInt64(h) | (UInt64(truncatingIfNeeded: length) << 32)
    k ^= k >> 33
    k &*= 0xff51_afd7_ed55_8ccd
    k ^= k >> 33
    k &*= 0xc4ce_b9fe_1a85_ec53
    k ^= k >> 33
    return k
}

/// HyperLogLog with 2^14 registers (≈0.8% standard error), with linear counting for small sets.
struct HyperLogLog: Sendable, Equatable {
    static let precision = 14
    var registers = [UInt8](repeating: 0, count: 1 << precision)

    @inline(__always)
    mutating func add(_ hash: UInt64) {
        registers.withUnsafeMutableBufferPointer { Self.add(hash, to: $0) }
    }

    @inline(__always)
    static func add(_ hash: UInt64, to r: UnsafeMutableBufferPointer<UInt8>) {
        let index = Int(hash >> UInt64(64 - Self.precision))
        let rest = hash << UInt64(Self.precision)
        let rank = UInt8(min(rest.leadingZeroBitCount, 64 - Self.precision) + 1)
        r[index] = Swift.max(r[index], rank)
    }

    /// The registers of the union of both streams.
    mutating func merge(_ other: HyperLogLog) {
        for i in registers.indices { registers[i] = Swift.max(registers[i], other.registers[i]) }
    }

    var estimate: Double {
        let m = Double(registers.count)
        var sum = 0.0
        var zeros = 0
        for r in registers {
            sum += 1 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m && zeros > 0 { return m * log(m / Double(zeros)) }
        return raw
    }
}

/// Top-k heavy hitters: a Count-Min sketch estimates every key's count; keys whose estimate
/// beats the smallest of the current top k enter a min-heap that keeps their bytes.
/// Estimates never undercount; they overcount by at most total × e ÷ width with high probability.
struct HeavyHitters: Sendable {
    /// 2^13 blocks of 16 32-bit counters (4 rows × 4 lanes): 512 KiB; each row has 2^15 counters.
    static let blocks = 1 << 13
    static let width = blocks * 4
    static let depth = 4
    let capacity: Int
    var sketch: [UInt32]
    /// Min-heap of tracked keys by estimated count.
    private var heap: [Entry] = []
    /// Open-addressing index from fingerprint to heap position (−1 empty).
    private var index: [Int32]
    private var indexMask: Int
    /// The smallest tracked count once the heap is full (0 until then).
    private(set) var threshold: UInt64 = 0
    /// Keeps `warm`'s reads from being optimised away; means nothing.
    private var warmed: UInt32 = 0
    /// For trackers merged from several (`merging`): how heavy an unlisted key can be.
    private var mergedCeiling: UInt64? = nil

    /// Plain values only, so heap swaps need no reference counting; key bytes live in `keys`.
    ///
    /// `count` is the sketch's estimate (never under the truth); it orders the heap. `exact` counts the
    /// key's occurrences seen while it was tracked, and `prior` what the sketch claimed for it before
    /// it was last admitted: the true count lies in `exact ... min(count, prior + exact)`.
    struct Entry: Sendable {
        var fingerprint: UInt64
        var count: UInt64
        var slot: Int
        var keyIndex: Int
        var exact: UInt64
        var prior: UInt64

        /// The sketch's estimate, or what was claimed before admission plus what was seen since,
        /// whichever is smaller (a saturated 32-bit counter no longer bounds, so then the latter).
        var upperBound: UInt64 { count >= exact ? min(count, prior &+ exact) : prior &+ exact }
    }
    /// Key bytes of tracked entries, by `Entry.keyIndex`; storage is reused when an entry is replaced.
    private var keys: [[UInt8]] = []

    init(capacity: Int) {
        self.capacity = capacity
        sketch = [UInt32](repeating: 0, count: Self.blocks * 16)
        var size = 1
        while size < capacity * 4 { size <<= 1 }
        index = [Int32](repeating: -1, count: size)
        indexMask = size - 1
    }

    /// Counts `weight` occurrences of a key with 64-bit fingerprint `f`.
    @inline(__always)
    mutating func add(_ key: UnsafeRawBufferPointer, fingerprint f: UInt64, weight: UInt64) {
        let estimate = sketch.withUnsafeMutableBufferPointer { Self.count(f, weight: weight, in: $0) }
        offer(key, fingerprint: f, estimate: estimate, weight: weight)
    }

    /// Reads the sketch blocks of a batch's fingerprints ahead of `add`: the reads do not depend on one
    /// another, so their cache misses overlap with each other and with the work done before `add`.
    @inline(__always)
    mutating func warm(_ fingerprints: UnsafeBufferPointer<UInt64>) {
        var fold: UInt32 = 0
        sketch.withUnsafeBufferPointer { s in
            for f in fingerprints { fold ^= s[Self.counters(f).0] }  // the block's first row: one cache line
        }
        warmed ^= fold
    }

    /// Counts one occurrence of each key, in order (`fingerprints[i]` is `keys[i]`'s; at most 64 keys).
    @inline(__always)
    mutating func add(_ keys: UnsafeBufferPointer<UnsafeRawBufferPointer>, fingerprints: UnsafeBufferPointer<UInt64>) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: keys.count) { estimates in
            sketch.withUnsafeMutableBufferPointer { s in
                for i in keys.indices { estimates[i] = Self.count(fingerprints[i], weight: 1, in: s) }
            }
            for i in keys.indices { offer(keys[i], fingerprint: fingerprints[i], estimate: estimates[i], weight: 1) }
        }
    }

    /// Adds `weight` to a fingerprint's counters and returns its new estimate.
    ///
    /// A blocked Count-Min sketch: the key's 4 counters (one per row) share one 64-byte block,
    /// so an update touches one cache line. Conservative update raises only the counters at the
    /// current minimum: the estimate stays an upper bound with less overcount.
    @inline(__always)
    static func count(_ f: UInt64, weight: UInt64, in s: UnsafeMutableBufferPointer<UInt32>) -> UInt64 {
        let (l0, l1, l2, l3) = counters(f)
        let current = min(min(s[l0], s[l1]), min(s[l2], s[l3]))
        let raised = UInt64(current) &+ weight
        let target = UInt32(clamping: raised)
        // max() compiles to conditional moves: no unpredictable branches per key.
        s[l0] = Swift.max(s[l0], target)
        s[l1] = Swift.max(s[l1], target)
        s[l2] = Swift.max(s[l2], target)
        s[l3] = Swift.max(s[l3], target)
        return raised
    }

    /// Tracks the key if its estimate beats the smallest tracked count.
    @inline(__always)
    mutating func offer(_ key: UnsafeRawBufferPointer, fingerprint f: UInt64, estimate: UInt64, weight: UInt64) {
        // Checked against a cached copy: reading heap[0] would retain and release its key.
        if estimate <= threshold { return }
        update(key, fingerprint: f, estimate: estimate, weight: weight)
        threshold = heap.count == capacity ? heap[0].count : 0
    }

    private mutating func update(
        _ key: UnsafeRawBufferPointer, fingerprint f: UInt64, estimate: UInt64, weight: UInt64
    ) {
        var slot = Int(truncatingIfNeeded: f) & indexMask
        while index[slot] >= 0 {
            let position = Int(index[slot])
            if heap[position].fingerprint == f, keys[heap[position].keyIndex].elementsEqual(key) {
                heap[position].count = estimate
                heap[position].exact &+= weight
                siftDown(position)
                return
            }
            slot = (slot + 1) & indexMask
        }
        if heap.count < capacity {
            keys.append(Array(key))
            heap.append(
                Entry(
                    fingerprint: f, count: estimate, slot: slot, keyIndex: keys.count - 1, exact: weight,
                    prior: estimate &- weight))
            index[slot] = Int32(heap.count - 1)
            siftUp(heap.count - 1)
        } else {
            // Replace the smallest: free its index slot, reuse its entry's storage.
            removeFromIndex(heap[0].slot)
            // The free slot search may have moved after removal; find a fresh one.
            var s = Int(truncatingIfNeeded: f) & indexMask
            while index[s] >= 0 { s = (s + 1) & indexMask }
            let keyIndex = heap[0].keyIndex
            keys[keyIndex].removeAll(keepingCapacity: true)
            keys[keyIndex].append(contentsOf: key)
            heap[0] = Entry(
                fingerprint: f, count: estimate, slot: s, keyIndex: keyIndex, exact: weight, prior: estimate &- weight)
            index[s] = 0
            siftDown(0)
        }
    }

    /// Linear-probing deletion with backward shift, keeping heap entries' slots in step.
    private mutating func removeFromIndex(_ start: Int) {
        let mask = indexMask
        heap.withUnsafeMutableBufferPointer { heap in
            index.withUnsafeMutableBufferPointer { index in
                var hole = start
                index[hole] = -1
                var next = (hole + 1) & mask
                while index[next] >= 0 {
                    let position = Int(index[next])
                    let home = Int(truncatingIfNeeded: heap[position].fingerprint) & mask
                    // Move the entry into the hole if its home is not cyclically in (hole, next].
                    let distanceToNext = (next - home) & mask
                    let distanceToHole = (hole - home) & mask
                    if distanceToHole < distanceToNext {
                        index[hole] = index[next]
                        heap[position].slot = hole
                        index[next] = -1
                        hole = next
                    }
                    next = (next + 1) & mask
                }
            }
        }
    }

    private mutating func siftUp(_ i: Int) {
        heap.withUnsafeMutableBufferPointer { heap in
            index.withUnsafeMutableBufferPointer { index in Self.siftUp(i, heap, index) }
        }
    }

    private mutating func siftDown(_ i: Int) {
        heap.withUnsafeMutableBufferPointer { heap in
            index.withUnsafeMutableBufferPointer { index in Self.siftDown(i, heap, index) }
        }
    }

    /// The heap's sifts on its storage (one uniqueness check per sift, not per swap).
    private static func swapAt(
        _ a: Int, _ b: Int, _ heap: UnsafeMutableBufferPointer<Entry>, _ index: UnsafeMutableBufferPointer<Int32>
    ) {
        heap.swapAt(a, b)
        index[heap[a].slot] = Int32(a)
        index[heap[b].slot] = Int32(b)
    }

    private static func siftUp(
        _ i: Int, _ heap: UnsafeMutableBufferPointer<Entry>, _ index: UnsafeMutableBufferPointer<Int32>
    ) {
        var child = i
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[child].count >= heap[parent].count { break }
            swapAt(child, parent, heap, index)
            child = parent
        }
    }

    private static func siftDown(
        _ i: Int, _ heap: UnsafeMutableBufferPointer<Entry>, _ index: UnsafeMutableBufferPointer<Int32>
    ) {
        var parent = i
        let n = heap.count
        while true {
            let l = 2 * parent + 1
            let r = l + 1
            var smallest = parent
            if l < n, heap[l].count < heap[smallest].count { smallest = l }
            if r < n, heap[r].count < heap[smallest].count { smallest = r }
            if smallest == parent { return }
            swapAt(parent, smallest, heap, index)
            parent = smallest
        }
    }

    /// A tracked key with what is known of its true count: between `guaranteed` and `count`.
    struct Candidate: Sendable, Equatable {
        let key: [UInt8]
        /// An upper bound on the true count.
        let count: UInt64
        /// Occurrences seen while tracked: a lower bound on the true count.
        let guaranteed: UInt64
        /// How far `count` may be above the truth (0 when the count is exact).
        var maxOverestimate: UInt64 { count - guaranteed }
    }

    /// Tracked keys, largest guaranteed count first (then largest upper bound, then key bytes, so
    /// output is deterministic). A key the sketch overcounted through collisions sorts by what it
    /// was really seen, not by its inflated estimate.
    var top: [Candidate] {
        heap.map { e in
            // A 32-bit counter that saturated (a key past 4.29 billion) no longer bounds from above;
            // prior + exact still does, and nothing is ever reported below what was seen.
            Candidate(key: keys[e.keyIndex], count: max(e.upperBound, e.exact), guaranteed: e.exact)
        }.sorted { a, b in
            if a.guaranteed != b.guaranteed { return a.guaranteed > b.guaranteed }
            if a.count != b.count { return a.count > b.count }
            return a.key.lexicographicallyPrecedes(b.key)
        }
    }

    /// No key outside the tracked set can have more occurrences than this: an untracked key's
    /// estimate never beat the smallest tracked count, or it would have been admitted (0 while the
    /// tracker has room, when every key seen is tracked).
    var untrackedCeiling: UInt64 { mergedCeiling ?? (heap.count == capacity ? threshold : 0) }

    /// The sketch's current estimate for a fingerprint, without counting it: never under the number of
    /// times the fingerprint was added.
    func estimate(_ f: UInt64) -> UInt64 {
        let (l0, l1, l2, l3) = Self.counters(f)
        return UInt64(min(min(sketch[l0], sketch[l1]), min(sketch[l2], sketch[l3])))
    }

    /// A fingerprint's four counters, one per row, all in one 64-byte block: the block from the low
    /// bits, the lane in each row of 4 from bits 40–47.
    @inline(__always)
    static func counters(_ f: UInt64) -> (Int, Int, Int, Int) {
        let base = (Int(truncatingIfNeeded: f) & (Self.blocks - 1)) &* 16
        return (
            base &+ Int(truncatingIfNeeded: (f >> 40) & 3), base &+ 4 &+ Int(truncatingIfNeeded: (f >> 42) & 3),
            base &+ 8 &+ Int(truncatingIfNeeded: (f >> 44) & 3), base &+ 12 &+ Int(truncatingIfNeeded: (f >> 46) & 3)
        )
    }

    /// One tracker for a stream cut into consecutive parts, each tracked on its own (`parts`, in any
    /// order: the bounds are sums). A key's count is at least the sum of what its trackers saw, and at
    /// most the sum of its upper bounds where it was tracked and, where not, the smaller of that
    /// part's sketch estimate and the heaviest an untracked key there can be. The `capacity` keys with
    /// the highest upper bounds are kept; an unlisted key is at most the sum of the parts' ceilings or
    /// the highest bound dropped. The merged sketch is the counters' sum, still an upper bound.
    init(merging parts: [HeavyHitters]) {
        precondition(!parts.isEmpty, "at least one part")
        self.init(capacity: parts[0].capacity)
        sketch.withUnsafeMutableBufferPointer { sum in
            for part in parts {
                part.sketch.withUnsafeBufferPointer { counters in
                    for i in sum.indices {
                        let (added, overflow) = sum[i].addingReportingOverflow(counters[i])
                        sum[i] = overflow ? UInt32.max : added  // saturated, still an upper bound
                    }
                }
            }
        }
        var bounds: [[UInt8]: (fingerprint: UInt64, lower: UInt64, upper: UInt64)] = [:]
        bounds.reserveCapacity(parts.count * capacity)
        let ceilings = parts.map(\.untrackedCeiling)
        for n in parts.indices {
            for entry in parts[n].heap {
                let key = parts[n].keys[entry.keyIndex]
                guard bounds[key] == nil else { continue }
                var lower: UInt64 = 0
                var upper: UInt64 = 0
                for m in parts.indices {
                    if let tracked = m == n ? entry : parts[m].entry(for: key, fingerprint: entry.fingerprint) {
                        lower &+= tracked.exact
                        upper &+= max(tracked.upperBound, tracked.exact)
                    } else {
                        upper &+= min(parts[m].estimate(entry.fingerprint), ceilings[m])
                    }
                }
                bounds[key] = (entry.fingerprint, lower, upper)
            }
        }
        let ranked = bounds.sorted { a, b in
            if a.value.upper != b.value.upper { return a.value.upper > b.value.upper }
            if a.value.lower != b.value.lower { return a.value.lower > b.value.lower }
            return a.key.lexicographicallyPrecedes(b.key)
        }
        // Ascending counts are already a min-heap.
        for (key, bound) in ranked.prefix(capacity).reversed() {
            var slot = Int(truncatingIfNeeded: bound.fingerprint) & indexMask
            while index[slot] >= 0 { slot = (slot + 1) & indexMask }
            keys.append(key)
            heap.append(
                Entry(
                    fingerprint: bound.fingerprint, count: bound.upper, slot: slot, keyIndex: keys.count - 1,
                    exact: bound.lower, prior: bound.upper &- bound.lower))
            index[slot] = Int32(heap.count - 1)
        }
        threshold = heap.count == capacity ? heap[0].count : 0
        let untracked = parts.reduce(UInt64(0)) { $0 &+ $1.untrackedCeiling }
        mergedCeiling = max(untracked, ranked.dropFirst(capacity).map(\.value.upper).max() ?? 0)
    }

    /// The tracked entry for a key, if any.
    private func entry(for key: [UInt8], fingerprint f: UInt64) -> Entry? {
        var slot = Int(truncatingIfNeeded: f) & indexMask
        while index[slot] >= 0 {
            let position = Int(index[slot])
            if heap[position].fingerprint == f, keys[heap[position].keyIndex] == key { return heap[position] }
            slot = (slot + 1) & indexMask
        }
        return nil
    }

    /// Whether any tracked key's count is only bounded.
    var anyBounded: Bool { top.contains { $0.maxOverestimate > 0 } }

    /// Exact counts from a second pass replace the bounds of the keys they cover.
    mutating func settle(_ exact: [[UInt8]: UInt64]) {
        for i in heap.indices {
            guard let count = exact[keys[heap[i].keyIndex]] else { continue }
            heap[i].exact = count
            heap[i].prior = 0
            heap[i].count = count
        }
    }
}
