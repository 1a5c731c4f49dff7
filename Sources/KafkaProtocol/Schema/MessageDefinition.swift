// Declarative message definitions: one per API and direction, each field tagged with the versions
// it exists in, as in Kafka's own JSON schemas. Encoding and decoding follow from them (MessageCodec).

/// Versions as Kafka's schemas write them: `0+`, `3-5`, `7`, `none`.
public struct VersionRange: Sendable, Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let lower: Int16
    /// nil means open-ended.
    public let upper: Int16?
    public let isNone: Bool

    public init(stringLiteral text: String) {
        if text == "none" {
            (lower, upper, isNone) = (0, -1, true)
        } else if text.hasSuffix("+") {
            (lower, upper, isNone) = (Int16(text.dropLast()) ?? 0, nil, false)
        } else if let dash = text.firstIndex(of: "-") {
            (lower, upper, isNone) = (Int16(text[..<dash]) ?? 0, Int16(text[text.index(after: dash)...]) ?? 0, false)
        } else {
            let v = Int16(text) ?? 0
            (lower, upper, isNone) = (v, v, false)
        }
    }

    public func contains(_ version: Int16) -> Bool {
        !isNone && version >= lower && (upper.map { version <= $0 } ?? true)
    }

    public var description: String {
        if isNone { return "none" }
        guard let upper else { return "\(lower)+" }
        return lower == upper ? "\(lower)" : "\(lower)-\(upper)"
    }
}

public indirect enum WireType: Sendable, Equatable {
    case bool, int8, int16, int32, int64, uint16, uint32, float64
    case string, bytes, uuid
    /// A record set: bytes on the wire (decoded by RecordBatch).
    case records
    case array(WireType)
    case structure([FieldDefinition])
}

public struct FieldDefinition: Sendable, Equatable {
    public let name: String
    public let type: WireType
    public let versions: VersionRange
    public let nullable: VersionRange
    /// Versions in which the field travels as a tagged field.
    public let tagged: VersionRange
    public let tag: UInt32?
    /// Overrides the message's flexible versions for this field (RequestHeader.ClientId is never compact).
    public let flexible: VersionRange?
    public let defaultValue: String?

    public init(
        _ name: String, _ type: WireType, versions: VersionRange, nullable: VersionRange = "none",
        tagged: VersionRange = "none",
        tag: UInt32? = nil, flexible: VersionRange? = nil, defaultValue: String? = nil
    ) {
        self.name = name
        self.type = type
        self.versions = versions
        self.nullable = nullable
        self.tagged = tagged
        self.tag = tag
        self.flexible = flexible
        self.defaultValue = defaultValue
    }
}

public struct MessageDefinition: Sendable, Equatable {
    public enum Kind: String, Sendable { case request, response, header }
    public let name: String
    public let apiKey: Int16?
    public let kind: Kind
    public let validVersions: VersionRange
    public let flexibleVersions: VersionRange
    public let fields: [FieldDefinition]

    public init(
        name: String, apiKey: Int16?, kind: Kind, validVersions: VersionRange, flexibleVersions: VersionRange,
        fields: [FieldDefinition]
    ) {
        self.name = name
        self.apiKey = apiKey
        self.kind = kind
        self.validVersions = validVersions
        self.flexibleVersions = flexibleVersions
        self.fields = fields
    }
}
