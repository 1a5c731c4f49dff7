/// The ranges of whole-number flags, so that a value ArgumentParser cannot read as an `Int` (too
/// large, negative where the next word is then taken for a flag, or not a number) is reported as one
/// line naming the flag and what it takes, exit 2 — never a trap or "missing value".
enum FlagRanges {
    /// Flag → the values it takes, where a command checks them (the same bounds as its validation).
    static let partitions = 1...1_000_000
    static let top = 0...1_000_000
    static let saltBuckets = 2...10_000
    static let known: [String: ClosedRange<Int>] = [
        "--partitions": partitions, "--top": top, "--salt-buckets": saltBuckets, "--zones": 1...16,
        "--brokers": 1...10_000, "--consumer-groups": 0...100_000, "--replication-factor": 1...100,
        "--min-insync-replicas": 1...100, "--availability-zones": 1...16, "--consumers": 1...1_000_000,
    ]

    static func describe(_ flag: String) -> String {
        guard let r = known[flag] else { return "a value --help describes" }
        return "a whole number from \(r.lowerBound) to \(r.upperBound)"
    }

    /// A clearer message for ArgumentParser's number errors, or nil for any other message.
    /// `arguments` are the command line's words (to see a negative number taken for a flag).
    static func rewrite(_ message: String, arguments: [String]) -> String? {
        if let m = message.firstMatch(of: /The value '([^']*)' is invalid for '(--[a-z0-9-]+)/) {
            let (value, flag) = (String(m.1), String(m.2))
            guard value.wholeMatch(of: /[-+]?[0-9][0-9_.eE+-]*/) != nil else { return nil }
            return "\(flag) \(value) is out of range: give \(describe(flag))"
        }
        if let m = message.firstMatch(of: /Missing value for '(--[a-z0-9-]+)/) {
            let flag = String(m.1)
            guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count,
                arguments[i + 1].wholeMatch(of: /-[0-9][0-9_.]*/) != nil
            else { return nil }
            return "\(flag) \(arguments[i + 1]) is out of range: give \(describe(flag))"
        }
        return nil
    }
}
