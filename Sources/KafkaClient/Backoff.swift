/// Pauses between retries: 100 ms, doubling, at most 1 s.
struct Backoff {
    var delay = 0.1
    mutating func next() -> Double {
        defer { delay = min(delay * 2, 1.0) }
        return delay
    }
}
