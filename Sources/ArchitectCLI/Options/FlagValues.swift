import ArchitectCore

// Flag values with units and choices, checked with errors that name the flag (exit 2).

func parseUnit(_ text: String, _ flag: String, _ parser: (String) throws(UnitError) -> Double) throws(InputFailure)
    -> Double
{
    do { return try parser(text) } catch { throw InputFailure(message: "\(flag): \(error.description)") }
}

func parseChoice<T: RawRepresentable & CaseIterable>(_ text: String, _ flag: String, _: T.Type) throws(InputFailure)
    -> T where T.RawValue == String
{
    if let v = T(rawValue: text) ?? T.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) {
        return v
    }
    throw InputFailure(
        message: "\(flag): '\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
}

func positive(_ v: Double, _ flag: String) throws(InputFailure) -> Double {
    guard v > 0 else { throw InputFailure(message: "\(flag): must be positive") }
    return v
}

func atLeastOne(_ v: Double, _ flag: String) throws(InputFailure) -> Double {
    guard v >= 1 else { throw InputFailure(message: "\(flag): must be at least 1") }
    return v
}
