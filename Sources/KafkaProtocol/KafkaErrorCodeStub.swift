// TEMPORARY stub until the table lands.
public struct KafkaErrorCode: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let code: Int16
    public let name: String
    public let retriable: Bool
    public let summary: String
    public static func named(_ code: Int16) -> KafkaErrorCode { KafkaErrorCode(code: code, name: "E\(code)", retriable: [3, 5, 6, 7].contains(code), summary: "") }
    public var description: String { "\(name) (\(code))" }
}
