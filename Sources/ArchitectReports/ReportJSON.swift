// One JSON style for every report: pretty, keys sorted (stable diffs), slashes unescaped, and
// non-finite numbers as strings ("Infinity") rather than a failed encoding.

import Foundation

public enum ReportJSON {
    /// The value as the project's JSON, ending in a newline.
    /// - Throws: `EncodingError` when a value cannot be encoded.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
