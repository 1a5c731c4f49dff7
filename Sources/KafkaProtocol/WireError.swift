/// Why bytes from the wire could not be decoded. Decoding never trusts the wire: a truncated
/// buffer, a negative or oversized length, or a malformed varint is an error, never a crash or an
/// allocation larger than the bytes received.
public enum WireError: Error, Equatable, Sendable {
    /// Fewer bytes remain than the field needs.
    case truncated(field: String, needed: Int, available: Int)
    /// A length or count outside what the remaining bytes can hold.
    case invalidLength(field: String, length: Int64)
    /// A varint longer than its type allows.
    case varintTooLong(field: String)
    /// A string that is not UTF-8.
    case invalidUTF8(field: String)
}
