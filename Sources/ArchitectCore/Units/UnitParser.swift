// Human-form units used in architecture files and command-line flags.
//
// Decimal (SI) prefixes are powers of 1000 (`1KB` = 1000 bytes); binary prefixes are
// powers of 1024 (`1KiB` = 1024 bytes). Durations take s, ms, m, h, d, w.
// Every parse failure says what was expected, with an example.

/// Why a value could not be read as the unit a field expects.
public struct UnitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    /// What the field expects, with an example, e.g. "a size such as 1KB or 1.5MiB".
    public let expected: String

    public var description: String { "'\(text)' is not \(expected)" }
}

public enum UnitParser {
    static let countHint = "a count such as 50000, 50k or 1.5M"
    static let sizeHint = "a size such as 512B, 1KB (1000) or 1KiB (1024)"
    static let durationHint = "a duration such as 7d, 36h, 90m, 30s or 500ms"
    static let rateHint = "a byte rate such as 50MB/s, 1.5GiB/s or 10Gbps"
    static let fractionHint = "a fraction such as 0.3 or 30%"

    /// Reads a plain count or rate: `50000`, `50k`, `1.5M`, optionally followed by `/s` or `msg/s`.
    public static func count(_ text: String) throws(UnitError) -> Double {
        var s = trimmed(text)
        for suffix in ["msg/s", "msgs/s", "/s"] where s.hasSuffix(suffix) {
            s = String(s.dropLast(suffix.count)).trimmingSpaces()
            break
        }
        let (number, unit) = split(s)
        guard let value = parseNumber(number) else { throw UnitError(text: text, expected: countHint) }
        let multipliers: [String: Double] = ["": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12]
        guard let m = multipliers[unit] else { throw UnitError(text: text, expected: countHint) }
        return value * m
    }

    /// Reads a size in bytes: `1024`, `512B`, `1KB`, `1KiB`, `1.5 GB`, `2TiB`.
    public static func bytes(_ text: String) throws(UnitError) -> Double {
        let (number, unit) = split(trimmed(text))
        guard let value = parseNumber(number), let m = byteMultiplier(unit) else {
            throw UnitError(text: text, expected: sizeHint)
        }
        return value * m
    }

    /// Reads a duration in seconds: `7d`, `36h`, `90m`, `30s`, `500ms`, `2w`.
    /// A bare number is refused: Kafka itself mixes milliseconds and seconds, so the unit must be said.
    public static func duration(_ text: String) throws(UnitError) -> Double {
        let (number, unit) = split(trimmed(text))
        let multipliers: [String: Double] = [
            "us": 0.000_001, "µs": 0.000_001, "ms": 0.001, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600,
            "d": 86_400, "day": 86_400, "days": 86_400, "w": 604_800, "week": 604_800, "weeks": 604_800,
        ]
        guard let value = parseNumber(number), let m = multipliers[unit] else {
            throw UnitError(text: text, expected: durationHint)
        }
        return value * m
    }

    /// Reads a data rate in bytes per second: `50MB/s`, `1.5GiB/s`, `10Gbps`, `800Mbps`, `100Mbit/s`.
    public static func byteRate(_ text: String) throws(UnitError) -> Double {
        let s = trimmed(text)
        let (number, unit) = split(s)
        guard let value = parseNumber(number) else { throw UnitError(text: text, expected: rateHint) }
        if unit.hasSuffix("/s"), let m = byteMultiplier(String(unit.dropLast(2))), !unit.dropLast(2).isEmpty {
            return value * m
        }
        let bitUnits: [String: Double] = [
            "bps": 1, "Kbps": 1e3, "kbps": 1e3, "Mbps": 1e6, "Gbps": 1e9, "Tbps": 1e12,
            "bit/s": 1, "Kbit/s": 1e3, "kbit/s": 1e3, "Mbit/s": 1e6, "Gbit/s": 1e9, "Tbit/s": 1e12,
        ]
        if let m = bitUnits[unit] { return value * m / 8 }
        throw UnitError(text: text, expected: rateHint)
    }

    /// Reads a fraction: `0.3` or `30%`.
    public static func fraction(_ text: String) throws(UnitError) -> Double {
        let s = trimmed(text)
        if s.hasSuffix("%") {
            guard let v = parseNumber(String(s.dropLast()).trimmingSpaces()) else {
                throw UnitError(text: text, expected: fractionHint)
            }
            return v / 100
        }
        guard let v = parseNumber(s) else { throw UnitError(text: text, expected: fractionHint) }
        return v
    }

    /// Reads a plain decimal number (`2`, `1.5`, `2x`).
    public static func factor(_ text: String) throws(UnitError) -> Double {
        var s = trimmed(text)
        if s.hasSuffix("x") || s.hasSuffix("×") { s = String(s.dropLast()).trimmingSpaces() }
        guard let v = parseNumber(s) else { throw UnitError(text: text, expected: "a number such as 2 or 1.5") }
        return v
    }

    static func byteMultiplier(_ unit: String) -> Double? {
        let table: [String: Double] = [
            "": 1, "B": 1,
            "KB": 1e3, "kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15,
            "KiB": 1024, "MiB": 1_048_576, "GiB": 1_073_741_824, "TiB": 1_099_511_627_776,
            "PiB": 1_125_899_906_842_624,
        ]
        return table[unit]
    }

    private static func trimmed(_ s: String) -> String { s.trimmingSpaces() }

    /// Splits "1.5 MiB" into ("1.5", "MiB").
    private static func split(_ s: String) -> (String, String) {
        var numberEnd = s.startIndex
        for index in s.indices {
            let c = s[index]
            if c.isNumber || c == "." || c == "_" || ((c == "-" || c == "+") && index == s.startIndex) {
                numberEnd = s.index(after: index)
            } else if c == "e" || c == "E", index != s.startIndex,
                let next = s.index(index, offsetBy: 1, limitedBy: s.endIndex), next < s.endIndex,
                s[next].isNumber || s[next] == "-" || s[next] == "+"
            {
                // exponent, e.g. 1e6: only when a digit or sign follows, so "1EB" stays a unit.
                numberEnd = s.index(after: index)
            } else {
                break
            }
        }
        return (String(s[..<numberEnd]), String(s[numberEnd...]).trimmingSpaces())
    }

    private static func parseNumber(_ s: String) -> Double? {
        let digits = s.replacingUnderscores()
        guard !digits.isEmpty, let v = Double(digits), v.isFinite else { return nil }
        return v
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

    fileprivate func replacingUnderscores() -> String {
        String(self.filter { $0 != "_" })
    }
}

extension Substring {
    func trimmingSpaces() -> String { String(self).trimmingSpaces() }
}
