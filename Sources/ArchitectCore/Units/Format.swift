// Number formatting for people: locale-independent so output is byte-identical everywhere.

public enum Format {
    /// A figure's value in its unit, e.g. `50 MB/s`, `117.936 TB`, `$1,234.56/month`.
    public static func value(_ v: Double, _ unit: FigureUnit) -> String {
        guard v.isFinite else { return v > 0 ? "unbounded" : "—" }
        switch unit {
        case .bytes: return si(v, "B")
        case .memoryBytes: return binary(v)
        case .bytesPerSecond: return si(v, "B/s")
        case .messagesPerSecond: return "\(grouped(v, decimals: 2)) msg/s"
        case .count: return grouped(v, decimals: 2)
        case .brokers: return grouped(v, decimals: 2)
        case .ratio: return "\(grouped(v, decimals: 3))"
        case .fraction: return "\(grouped(v * 100, decimals: 1))%"
        case .seconds: return duration(v)
        case .days: return "\(grouped(v, decimals: 3)) d"
        case .usdPerMonth: return "$\(grouped(v, decimals: 2, fixed: true))/month"
        case .usdPerHour: return "$\(grouped(v, decimals: 4))/h"
        case .usdPerGiBMonth: return "$\(grouped(v, decimals: 4))/GiB-month"
        case .usdPerGiB: return "$\(grouped(v, decimals: 4))/GiB"
        case .cores: return "\(grouped(v, decimals: 2)) vCPU"
        }
    }

    /// Decimal prefixes: 117.936 TB, 50 MB/s.
    public static func si(_ v: Double, _ suffix: String) -> String {
        let prefixes = ["", "K", "M", "G", "T", "P", "E"]
        var x = v
        var i = 0
        while abs(x) >= 1000 && i < prefixes.count - 1 {
            x /= 1000
            i += 1
        }
        return "\(grouped(x, decimals: 3)) \(prefixes[i])\(suffix)"
    }

    /// Binary prefixes, for memory: 6 GiB.
    public static func binary(_ v: Double) -> String {
        let prefixes = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var x = v
        var i = 0
        while abs(x) >= 1024 && i < prefixes.count - 1 {
            x /= 1024
            i += 1
        }
        return "\(grouped(x, decimals: 2)) \(prefixes[i])"
    }

    public static func duration(_ seconds: Double) -> String {
        if seconds >= 86_400 * 2 { return "\(grouped(seconds / 86_400, decimals: 1)) d" }
        if seconds >= 3600 { return "\(grouped(seconds / 3600, decimals: 1)) h" }
        if seconds >= 60 { return "\(grouped(seconds / 60, decimals: 1)) min" }
        if seconds >= 1 || seconds == 0 { return "\(grouped(seconds, decimals: 1)) s" }
        if seconds >= 0.001 { return "\(grouped(seconds * 1000, decimals: 2)) ms" }
        return "\(grouped(seconds * 1_000_000, decimals: 2)) µs"
    }

    /// `1234567.891` → `1,234,567.89` (at most `decimals` places, trailing zeros dropped unless `fixed`).
    public static func grouped(_ v: Double, decimals: Int, fixed: Bool = false) -> String {
        // Beyond what an Int holds exactly, say it in powers of ten rather than trap.
        guard v.isFinite else { return v.isNaN ? "n/a" : (v < 0 ? "-∞" : "∞") }
        if abs(v) >= 1e15 { return scientific(v) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(v) * scale).rounded()
        let negative = v < 0 && rounded != 0
        let whole = (rounded / scale).rounded(.down)
        var frac = Int((rounded - whole * scale).rounded())
        var wholeDigits = String(Int(whole))
        var groupedWhole = ""
        while wholeDigits.count > 3 {
            groupedWhole = "," + wholeDigits.suffix(3) + groupedWhole
            wholeDigits = String(wholeDigits.dropLast(3))
        }
        groupedWhole = wholeDigits + groupedWhole
        var fracText = ""
        if decimals > 0 {
            var digits = String(frac)
            while digits.count < decimals { digits = "0" + digits }
            if !fixed {
                while digits.hasSuffix("0") { digits.removeLast() }
            }
            if !digits.isEmpty { fracText = "." + digits }
            frac = 0
        }
        return (negative ? "-" : "") + groupedWhole + fracText
    }

    /// `1.2e+30`: a number too large to group, with three significant digits.
    static func scientific(_ v: Double) -> String {
        var exponent = 0
        var m = abs(v)
        while m >= 10 {
            m /= 10
            exponent += 1
        }
        return "\(v < 0 ? "-" : "")\(grouped((m * 100).rounded() / 100, decimals: 2))e+\(exponent)"
    }

    /// `messagesPerSecond = 50,000 msg/s, messageSize = 1 KB`
    public static func inputs(_ terms: [Term]) -> String {
        terms.map { "\($0.name) = \(value($0.value, $0.unit))" }.joined(separator: ", ")
    }
}
