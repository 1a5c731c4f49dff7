/// Looks at the first keys of a stream for shapes that make poor partition keys:
/// numbers that only grow (sequences, auto-increment ids) and timestamps.
struct KeyPatternDetector: Sendable, Equatable {
    static let sampleSize = 10_000
    private(set) var sampled = 0
    private(set) var numeric = 0
    private(set) var increasing = 0
    private(set) var timestampLike = 0
    private var previous: Int64? = nil

    mutating func observe(_ key: UnsafeRawBufferPointer) {
        guard sampled < Self.sampleSize, !key.isEmpty else { return }
        sampled += 1
        if let value = Self.integer(key) {
            numeric += 1
            if let previous, value > previous { increasing += 1 }
            previous = value
            // Epoch seconds or milliseconds between 2001 and 2100.
            if (key.count == 10 && value >= 1_000_000_000 && value < 4_102_444_800)
                || (key.count == 13 && value >= 1_000_000_000_000 && value < 4_102_444_800_000)
            {
                timestampLike += 1
            }
        } else {
            previous = nil
            if Self.looksLikeISODate(key) { timestampLike += 1 }
        }
    }

    var isSequential: Bool { numeric >= 100 && Double(increasing) >= 0.9 * Double(numeric - 1) }
    var isTimestampLike: Bool { sampled >= 20 && Double(timestampLike) >= 0.9 * Double(sampled) }

    static func integer(_ key: UnsafeRawBufferPointer) -> Int64? {
        guard key.count <= 18 else { return nil }
        var value: Int64 = 0
        var start = 0
        var negative = false
        if key[0] == UInt8(ascii: "-") {
            negative = true
            start = 1
        }
        guard start < key.count else { return nil }
        for i in start..<key.count {
            let c = key[i]
            guard c >= 48 && c <= 57 else { return nil }
            value = value * 10 + Int64(c - 48)
        }
        return negative ? -value : value
    }

    /// `YYYY-MM-DD` at the start, optionally followed by a time.
    static func looksLikeISODate(_ key: UnsafeRawBufferPointer) -> Bool {
        guard key.count >= 10 else { return false }
        func digit(_ i: Int) -> Bool { key[i] >= 48 && key[i] <= 57 }
        return digit(0) && digit(1) && digit(2) && digit(3) && key[4] == UInt8(ascii: "-")
            && digit(5) && digit(6) && key[7] == UInt8(ascii: "-") && digit(8) && digit(9)
    }
}
