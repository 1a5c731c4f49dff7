// gzip, lz4 (frame format) and zstd through the system's own libraries, loaded when first needed
// (dlopen) so the binary runs without them and says what to install when a batch needs one.
// Only the stable C entry points are used; the two structs they take (zlib's z_stream, zstd's
// in/out buffers, lz4's preferences) are laid out by hand for LP64 platforms.
//   zlib:  https://zlib.net/manual.html          (inflateInit2_, inflate, deflateInit2_, deflate)
//   lz4:   https://github.com/lz4/lz4/blob/dev/lib/lz4frame.h
//   zstd:  https://facebook.github.io/zstd/zstd_manual.html

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A shared library opened once; nil when absent.
final class SystemLibrary: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    private init(handle: UnsafeMutableRawPointer) { self.handle = handle }

    static func open(_ names: [String]) -> SystemLibrary? {
        for name in names {
            if let h = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return SystemLibrary(handle: h) }
        }
        return nil
    }

    func symbol<T>(_ name: String, as: T.Type) -> T? {
        guard let s = dlsym(handle, name) else { return nil }
        return unsafeBitCast(s, to: T.self)
    }
}

/// Output gathered chunk by chunk, refusing to grow past `limit`.
struct BoundedOutput {
    var bytes: [UInt8] = []
    let limit: Int
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(limit: Int) { self.limit = limit }

    mutating func append(count: Int, codec: RecordBatchCodec) throws(CompressionError) {
        guard bytes.count + count <= limit else { throw .tooLarge(codec, limit: limit) }
        bytes.append(contentsOf: chunk[0..<count])
    }
}

// MARK: gzip (zlib)

enum Gzip {
    typealias InflateInit2 = @convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<CChar>, Int32) -> Int32
    typealias DeflateInit2 =
        @convention(c) (UnsafeMutableRawPointer, Int32, Int32, Int32, Int32, Int32, UnsafePointer<CChar>, Int32) ->
        Int32
    typealias Step = @convention(c) (UnsafeMutableRawPointer, Int32) -> Int32
    typealias End = @convention(c) (UnsafeMutableRawPointer) -> Int32
    typealias Bound = @convention(c) (UnsafeMutableRawPointer, UInt) -> UInt
    typealias Version = @convention(c) () -> UnsafePointer<CChar>

    struct API: @unchecked Sendable {
        let inflateInit2: InflateInit2, inflate: Step, inflateEnd: End, inflateReset: End
        let deflateInit2: DeflateInit2, deflate: Step, deflateEnd: End, deflateBound: Bound, version: Version
    }

    static let api: API? = {
        guard let lib = SystemLibrary.open(["libz.so.1", "libz.so", "libz.dylib"]),
            let a = lib.symbol("inflateInit2_", as: InflateInit2.self), let b = lib.symbol("inflate", as: Step.self),
            let c = lib.symbol("inflateEnd", as: End.self), let d = lib.symbol("inflateReset", as: End.self),
            let e = lib.symbol("deflateInit2_", as: DeflateInit2.self), let f = lib.symbol("deflate", as: Step.self),
            let g = lib.symbol("deflateEnd", as: End.self), let h = lib.symbol("deflateBound", as: Bound.self),
            let i = lib.symbol("zlibVersion", as: Version.self)
        else { return nil }
        return API(
            inflateInit2: a, inflate: b, inflateEnd: c, inflateReset: d, deflateInit2: e, deflate: f, deflateEnd: g,
            deflateBound: h, version: i)
    }()

    // z_stream on LP64: next_in 0, avail_in 8, total_in 16, next_out 24, avail_out 32, total_out 40,
    // msg 48, state 56, zalloc 64, zfree 72, opaque 80, data_type 88, adler 96, reserved 104.
    static let streamSize = 112

    static func loaded() throws(CompressionError) -> API {
        guard let api else {
            throw .libraryMissing(
                .gzip, library: "libz.so.1", install: "apt-get install zlib1g (Debian/Ubuntu) or dnf install zlib")
        }
        return api
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CompressionError) -> [UInt8] {
        let api = try loaded()
        let z = UnsafeMutableRawPointer.allocate(byteCount: streamSize, alignment: 8)
        defer { z.deallocate() }
        z.initializeMemory(as: UInt8.self, repeating: 0, count: streamSize)
        guard api.inflateInit2(z, 15 + 32, api.version(), Int32(streamSize)) == 0 else {
            throw .corrupt(.gzip, "inflateInit2 failed")
        }
        defer { _ = api.inflateEnd(z) }
        var out = BoundedOutput(limit: limit)
        guard let base = input.baseAddress, !input.isEmpty else { throw .corrupt(.gzip, "empty stream") }
        z.storeBytes(of: base, toByteOffset: 0, as: UnsafeRawPointer.self)
        z.storeBytes(of: UInt32(input.count), toByteOffset: 8, as: UInt32.self)
        while true {
            let (status, produced) = out.chunk.withUnsafeMutableBytes { chunk -> (Int32, Int) in
                z.storeBytes(of: chunk.allocatedBase, toByteOffset: 24, as: UnsafeMutableRawPointer.self)
                z.storeBytes(of: UInt32(chunk.count), toByteOffset: 32, as: UInt32.self)
                let status = api.inflate(z, 0)
                return (status, chunk.count - Int(z.load(fromByteOffset: 32, as: UInt32.self)))
            }
            try out.append(count: produced, codec: .gzip)
            let remaining = Int(z.load(fromByteOffset: 8, as: UInt32.self))
            switch status {
            case 1:  // Z_STREAM_END: gzip members may follow one another (GZIPInputStream reads them all)
                if remaining == 0 { return out.bytes }
                guard api.inflateReset(z) == 0 else { throw .corrupt(.gzip, "inflateReset failed") }
            case 0:
                continue
            case -5 where remaining == 0:  // Z_BUF_ERROR with no input left: the stream stops early
                throw .corrupt(.gzip, "truncated stream")
            default:
                throw .corrupt(.gzip, "zlib error \(status)")
            }
        }
    }

    static func compress(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        let api = try loaded()
        let z = UnsafeMutableRawPointer.allocate(byteCount: streamSize, alignment: 8)
        defer { z.deallocate() }
        z.initializeMemory(as: UInt8.self, repeating: 0, count: streamSize)
        // level 6 (zlib's default), deflate, window 2^15 + 16 = gzip wrapper, memLevel 8, default strategy
        guard api.deflateInit2(z, 6, 8, 15 + 16, 8, 0, api.version(), Int32(streamSize)) == 0 else {
            throw .corrupt(.gzip, "deflateInit2 failed")
        }
        defer { _ = api.deflateEnd(z) }
        var out = [UInt8](repeating: 0, count: Int(api.deflateBound(z, UInt(input.count))) + 32)
        let empty: [UInt8] = [0]
        let produced = empty.withUnsafeBytes { emptyBytes in
            out.withUnsafeMutableBytes { o -> Int in
                z.storeBytes(
                    of: input.baseAddress ?? emptyBytes.allocatedBase, toByteOffset: 0, as: UnsafeRawPointer.self)
                z.storeBytes(of: UInt32(input.count), toByteOffset: 8, as: UInt32.self)
                z.storeBytes(of: o.allocatedBase, toByteOffset: 24, as: UnsafeMutableRawPointer.self)
                z.storeBytes(of: UInt32(o.count), toByteOffset: 32, as: UInt32.self)
                guard api.deflate(z, 4) == 1 else { return -1 }  // Z_FINISH → Z_STREAM_END
                return o.count - Int(z.load(fromByteOffset: 32, as: UInt32.self))
            }
        }
        guard produced >= 0 else { throw .corrupt(.gzip, "deflate did not finish") }
        out.removeLast(out.count - produced)
        return out
    }
}

// MARK: zstd

enum Zstd {
    typealias Create = @convention(c) () -> UnsafeMutableRawPointer?
    typealias Free = @convention(c) (UnsafeMutableRawPointer?) -> Int
    typealias Stream = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int
    typealias IsError = @convention(c) (Int) -> UInt32
    typealias ErrorName = @convention(c) (Int) -> UnsafePointer<CChar>
    typealias Bound = @convention(c) (Int) -> Int
    typealias Compress = @convention(c) (UnsafeMutableRawPointer, Int, UnsafeRawPointer, Int, Int32) -> Int

    struct API: @unchecked Sendable {
        let create: Create, free: Free, decompressStream: Stream, isError: IsError, errorName: ErrorName, bound: Bound,
            compress: Compress
    }

    static let api: API? = {
        guard let lib = SystemLibrary.open(["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib"]),
            let a = lib.symbol("ZSTD_createDCtx", as: Create.self), let b = lib.symbol("ZSTD_freeDCtx", as: Free.self),
            let c = lib.symbol("ZSTD_decompressStream", as: Stream.self),
            let d = lib.symbol("ZSTD_isError", as: IsError.self),
            let e = lib.symbol("ZSTD_getErrorName", as: ErrorName.self),
            let f = lib.symbol("ZSTD_compressBound", as: Bound.self),
            let g = lib.symbol("ZSTD_compress", as: Compress.self)
        else { return nil }
        return API(create: a, free: b, decompressStream: c, isError: d, errorName: e, bound: f, compress: g)
    }()

    static func loaded() throws(CompressionError) -> API {
        guard let api else {
            throw .libraryMissing(
                .zstd, library: "libzstd.so.1",
                install: "apt-get install libzstd1 (Debian/Ubuntu) or dnf install libzstd")
        }
        return api
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CompressionError) -> [UInt8] {
        let api = try loaded()
        guard let base = input.baseAddress, !input.isEmpty else { throw .corrupt(.zstd, "empty stream") }
        guard let dctx = api.create() else { throw .corrupt(.zstd, "cannot create a decompression context") }
        defer { _ = api.free(dctx) }
        // ZSTD_inBuffer / ZSTD_outBuffer: { pointer, size_t size, size_t pos }
        let inBuffer = UnsafeMutableRawPointer.allocate(byteCount: 24, alignment: 8)
        let outBuffer = UnsafeMutableRawPointer.allocate(byteCount: 24, alignment: 8)
        defer {
            inBuffer.deallocate()
            outBuffer.deallocate()
        }
        inBuffer.storeBytes(of: base, toByteOffset: 0, as: UnsafeRawPointer.self)
        inBuffer.storeBytes(of: input.count, toByteOffset: 8, as: Int.self)
        inBuffer.storeBytes(of: 0, toByteOffset: 16, as: Int.self)
        var out = BoundedOutput(limit: limit)
        while true {
            let before = inBuffer.load(fromByteOffset: 16, as: Int.self)
            let (result, produced) = out.chunk.withUnsafeMutableBytes { chunk -> (Int, Int) in
                outBuffer.storeBytes(of: chunk.allocatedBase, toByteOffset: 0, as: UnsafeMutableRawPointer.self)
                outBuffer.storeBytes(of: chunk.count, toByteOffset: 8, as: Int.self)
                outBuffer.storeBytes(of: 0, toByteOffset: 16, as: Int.self)
                let r = api.decompressStream(dctx, outBuffer, inBuffer)
                return (r, outBuffer.load(fromByteOffset: 16, as: Int.self))
            }
            if api.isError(result) != 0 { throw .corrupt(.zstd, String(cString: api.errorName(result))) }
            try out.append(count: produced, codec: .zstd)
            let consumed = inBuffer.load(fromByteOffset: 16, as: Int.self)
            if result == 0 && consumed == input.count { return out.bytes }  // every frame complete
            if produced == 0 && consumed == before {
                throw .corrupt(.zstd, consumed == input.count ? "truncated stream" : "no progress")
            }
        }
    }

    static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 3) throws(CompressionError) -> [UInt8] {
        let api = try loaded()
        var out = [UInt8](repeating: 0, count: api.bound(input.count))
        let empty: [UInt8] = [0]
        let n = empty.withUnsafeBytes { e in
            out.withUnsafeMutableBytes { o in
                api.compress(o.allocatedBase, o.count, input.baseAddress ?? e.allocatedBase, input.count, level)
            }
        }
        if api.isError(n) != 0 { throw .corrupt(.zstd, String(cString: api.errorName(n))) }
        out.removeLast(out.count - n)
        return out
    }
}

// MARK: lz4 frames

enum LZ4Frame {
    typealias CreateD = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UInt32) -> Int
    typealias FreeD = @convention(c) (UnsafeMutableRawPointer?) -> Int
    typealias Decompress =
        @convention(c) (
            UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutablePointer<Int>,
            UnsafeRawPointer, UnsafeMutablePointer<Int>, UnsafeRawPointer?
        ) -> Int
    typealias IsError = @convention(c) (Int) -> UInt32
    typealias ErrorName = @convention(c) (Int) -> UnsafePointer<CChar>
    typealias Bound = @convention(c) (Int, UnsafeRawPointer?) -> Int
    typealias Compress = @convention(c) (UnsafeMutableRawPointer, Int, UnsafeRawPointer, Int, UnsafeRawPointer?) -> Int

    struct API: @unchecked Sendable {
        let create: CreateD, free: FreeD, decompress: Decompress, isError: IsError, errorName: ErrorName, bound: Bound,
            compress: Compress
    }

    static let api: API? = {
        guard let lib = SystemLibrary.open(["liblz4.so.1", "liblz4.so", "liblz4.1.dylib", "liblz4.dylib"]),
            let a = lib.symbol("LZ4F_createDecompressionContext", as: CreateD.self),
            let b = lib.symbol("LZ4F_freeDecompressionContext", as: FreeD.self),
            let c = lib.symbol("LZ4F_decompress", as: Decompress.self),
            let d = lib.symbol("LZ4F_isError", as: IsError.self),
            let e = lib.symbol("LZ4F_getErrorName", as: ErrorName.self),
            let f = lib.symbol("LZ4F_compressFrameBound", as: Bound.self),
            let g = lib.symbol("LZ4F_compressFrame", as: Compress.self)
        else { return nil }
        return API(create: a, free: b, decompress: c, isError: d, errorName: e, bound: f, compress: g)
    }()

    static func loaded() throws(CompressionError) -> API {
        guard let api else {
            throw .libraryMissing(
                .lz4, library: "liblz4.so.1",
                install: "apt-get install liblz4-1 (Debian/Ubuntu) or dnf install lz4-libs")
        }
        return api
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CompressionError) -> [UInt8] {
        let api = try loaded()
        guard let base = input.baseAddress, !input.isEmpty else { throw .corrupt(.lz4, "empty stream") }
        var context: UnsafeMutableRawPointer?
        let created = api.create(&context, 100)  // LZ4F_VERSION
        guard api.isError(created) == 0, let dctx = context else {
            throw .corrupt(.lz4, "cannot create a decompression context")
        }
        defer { _ = api.free(dctx) }
        var out = BoundedOutput(limit: limit)
        var position = 0
        while true {
            var srcSize = input.count - position
            var dstSize = out.chunk.count
            let hint = out.chunk.withUnsafeMutableBytes { chunk in
                api.decompress(dctx, chunk.allocatedBase, &dstSize, base + position, &srcSize, nil)
            }
            if api.isError(hint) != 0 { throw .corrupt(.lz4, String(cString: api.errorName(hint))) }
            position += srcSize
            try out.append(count: dstSize, codec: .lz4)
            if hint == 0 && position == input.count { return out.bytes }  // frame complete, nothing left
            if srcSize == 0 && dstSize == 0 {
                throw .corrupt(.lz4, position == input.count ? "truncated frame" : "no progress")
            }
        }
    }

    static func compress(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        let api = try loaded()
        // LZ4F_preferences_t: frameInfo { blockSizeID, blockMode, contentChecksumFlag, frameType (4 × int),
        // contentSize u64, dictID u32, blockChecksumFlag int }, compressionLevel, autoFlush, favorDecSpeed, reserved[3].
        // Like the Java client: 64 KiB blocks (id 4), independent blocks (Kafka's reader refuses linked ones).
        var preferences = [UInt8](repeating: 0, count: 56)
        preferences.withUnsafeMutableBytes { p in
            p.storeBytes(of: Int32(4), toByteOffset: 0, as: Int32.self)
            p.storeBytes(of: Int32(1), toByteOffset: 4, as: Int32.self)
        }
        let empty: [UInt8] = [0]
        var out: [UInt8] = []
        let n = preferences.withUnsafeBytes { prefs -> Int in
            out = [UInt8](repeating: 0, count: api.bound(input.count, prefs.baseAddress))
            return empty.withUnsafeBytes { e in
                out.withUnsafeMutableBytes { o in
                    api.compress(
                        o.allocatedBase, o.count, input.baseAddress ?? e.allocatedBase, input.count, prefs.baseAddress)
                }
            }
        }
        if api.isError(n) != 0 { throw .corrupt(.lz4, String(cString: api.errorName(n))) }
        out.removeLast(out.count - n)
        return out
    }
}
