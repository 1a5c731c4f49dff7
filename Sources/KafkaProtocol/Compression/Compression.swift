// The four codecs Kafka uses for record batches (the wire's codec; the model's compression.type is
// ArchitectCore.CompressionCodec), behind one pair of functions. Snappy is written
// here in Swift; gzip, lz4 and zstd use the system's libraries (see SystemCodecs.swift), and a
// missing one is an error that says what to install.

public enum RecordBatchCodec: Int16, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case none = 0
    case gzip = 1
    case snappy = 2
    case lz4 = 3
    case zstd = 4

    public var description: String {
        switch self {
        case .none: "none"
        case .gzip: "gzip"
        case .snappy: "snappy"
        case .lz4: "lz4"
        case .zstd: "zstd"
        }
    }
}

public enum CompressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The codec needs a system library that is not installed.
    case libraryMissing(RecordBatchCodec, library: String, install: String)
    /// The compressed bytes are not a valid stream.
    case corrupt(RecordBatchCodec, String)
    /// Decompressing would produce more than the allowed bytes.
    case tooLarge(RecordBatchCodec, limit: Int)

    public var description: String {
        switch self {
        case .libraryMissing(let codec, let library, let install):
            "\(codec)-compressed records need \(library), which is not installed; install it with: \(install)"
        case .corrupt(let codec, let why): "corrupt \(codec) data: \(why)"
        case .tooLarge(let codec, let limit): "\(codec) data decompresses to more than \(limit) bytes"
        }
    }
}

public enum Compression {
    /// Decompresses a record batch's records (or a legacy wrapper message's value), producing at most `limit` bytes.
    public static func decompress(_ codec: RecordBatchCodec, _ input: UnsafeRawBufferPointer, limit: Int)
        throws(CompressionError) -> [UInt8]
    {
        switch codec {
        case .none:
            guard input.count <= limit else { throw .tooLarge(.none, limit: limit) }
            return Array(input)
        case .gzip: return try Gzip.decompress(input, limit: limit)
        case .snappy:
            do { return try Snappy.decodeKafka(input, limit: limit) } catch {
                if case .tooLarge = error { throw .tooLarge(.snappy, limit: limit) }
                throw .corrupt(.snappy, "\(error)")
            }
        case .lz4: return try LZ4Frame.decompress(input, limit: limit)
        case .zstd: return try Zstd.decompress(input, limit: limit)
        }
    }

    /// Compresses as the Java client does: gzip (level 6), snappy in xerial framing, lz4 frames with
    /// independent 64 KiB blocks, zstd level 3.
    public static func compress(_ codec: RecordBatchCodec, _ input: UnsafeRawBufferPointer) throws(CompressionError)
        -> [UInt8]
    {
        switch codec {
        case .none: return Array(input)
        case .gzip: return try Gzip.compress(input)
        case .snappy: return Snappy.encodeKafka(input)
        case .lz4: return try LZ4Frame.compress(input)
        case .zstd: return try Zstd.compress(input)
        }
    }

    /// Whether this build can use `codec` here (its system library is present).
    public static func isAvailable(_ codec: RecordBatchCodec) -> Bool {
        switch codec {
        case .none, .snappy: true
        case .gzip: Gzip.api != nil
        case .lz4: LZ4Frame.api != nil
        case .zstd: Zstd.api != nil
        }
    }
}
