/// What a figure measures; renderers format values by it.
public enum FigureUnit: String, Sendable, Equatable, Codable {
    case bytes
    /// Bytes of memory, shown with binary prefixes (GiB).
    case memoryBytes
    case bytesPerSecond
    case messagesPerSecond
    case count
    case brokers
    case ratio
    case fraction
    case seconds
    case days
    case usdPerMonth
    case usdPerHour
    case usdPerGiBMonth
    case usdPerGiB
    case cores
}

/// A named value that went into a figure.
public struct Term: Sendable, Equatable, Codable {
    public let name: String
    public let value: Double
    public let unit: FigureUnit

    public init(_ name: String, _ value: Double, _ unit: FigureUnit) {
        self.name = name
        self.value = value
        self.unit = unit
    }
}

/// One number the plan states, with where it came from: the formula and the inputs it used.
public struct Figure: Sendable, Equatable, Codable {
    /// Stable identifier, the same as the value's path in the JSON output (e.g. `storage.totalBytes`).
    public let id: String
    /// What a person calls it.
    public let label: String
    public let value: Double
    public let unit: FigureUnit
    /// The formula over the inputs' names, e.g. `dailyIngressBytes × retentionDays × replicationFactor`.
    public let formula: String
    public let inputs: [Term]

    public init(id: String, label: String, value: Double, unit: FigureUnit, formula: String, inputs: [Term]) {
        self.id = id
        self.label = label
        self.value = value
        self.unit = unit
        self.formula = formula
        self.inputs = inputs
    }
}

/// Collects figures in the order a plan computes them, so every number stays explained.
struct FigureBook {
    private(set) var figures: [Figure] = []

    /// Records a figure and returns its value, so computing and explaining are one step.
    @discardableResult
    mutating func record(
        _ id: String, _ label: String, _ value: Double, _ unit: FigureUnit,
        formula: String, inputs: [Term]
    ) -> Double {
        figures.append(
            Figure(
                id: id, label: label, value: Self.tidy(value, unit), unit: unit, formula: formula,
                inputs: inputs.map { Term($0.name, Self.tidy($0.value, $0.unit), $0.unit) }))
        return value
    }

    /// Rounds away floating-point dust so output is stable and readable:
    /// whole bytes, cents, and 6 significant decimals elsewhere.
    static func tidy(_ value: Double, _ unit: FigureUnit) -> Double {
        guard value.isFinite else { return value }
        switch unit {
        case .bytes, .memoryBytes, .bytesPerSecond, .count, .brokers:
            return abs(value) >= 1000 ? value.rounded() : (value * 1000).rounded() / 1000
        case .usdPerMonth:
            return (value * 100).rounded() / 100
        default:
            return (value * 1_000_000).rounded() / 1_000_000
        }
    }
}
