// Snappy in Swift, standard library only: the raw block format
// (https://github.com/google/snappy/blob/main/format_description.txt) and the framing Kafka clients
// put around it (xerial snappy-java's SnappyOutputStream, which the Java client uses).
//
// Raw block:  varint uncompressed length, then elements. Each element starts with a tag byte whose
//             low two bits say what it is:
//               00 literal: length-1 in the upper six bits (0...59), or 60...63 meaning 1...4
//                  little-endian bytes of length-1 follow; then the bytes.
//               01 copy, length 4...11 in bits 2-4, 11-bit offset: bits 5-7 and one more byte.
//               10 copy, length 1...64 in the upper six bits, 2-byte little-endian offset.
//               11 copy, length 1...64 in the upper six bits, 4-byte little-endian offset.
//             A copy repeats `length` bytes starting `offset` bytes back in the output (it may
//             overlap what it writes, which is how runs are encoded).
// Xerial:     0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00, int32 version, int32 compatible version (both
//             big-endian, both 1), then blocks: big-endian int32 length + one raw snappy block of
//             at most 32 KiB of input. A reader also meets a second header where a block length
//             would be (streams concatenated); snappy-java skips it, and so does this one.
//
// Decoding trusts nothing: every length and offset is checked before it is used, and the declared
// uncompressed length is checked against the caller's limit before anything is allocated.

public enum SnappyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended in the middle of something.
    case truncated
    /// The input is not valid snappy (or not valid xerial framing).
    case corrupt(String)
    /// The input declares more uncompressed bytes than the caller allows.
    case tooLarge(declared: Int, limit: Int)

    /// Short, without the codec's name: `CompressionError` wraps it as "corrupt snappy data: …".
    public var description: String {
        switch self {
        case .truncated: "truncated"
        case .corrupt(let why): why
        case .tooLarge(let declared, let limit): "declares \(declared) bytes, more than the limit of \(limit)"
        }
    }
}

public enum Snappy {
    /// The xerial snappy-java stream magic.
    static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    /// Magic plus the two int32 versions.
    static let xerialHeaderSize = 16
    /// snappy-java's SnappyOutputStream.DEFAULT_BLOCK_SIZE, which Kafka's Java client uses.
    static let xerialBlockSize = 32 * 1024
    /// The compressor works on independent fragments of this size, so offsets fit in 16 bits.
    static let fragmentSize = 64 * 1024
    /// A copy element writes at most 64 bytes from 3 input bytes: no valid block expands more.
    static let maxExpansionNumerator = 64, maxExpansionDenominator = 3

    // MARK: - Raw format

    /// Raw snappy block format (https://github.com/google/snappy/blob/main/format_description.txt).
    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let bound = maxCompressedLength(input.count)
        return [UInt8](unsafeUninitializedCapacity: bound) { out, count in
            count = compressBlock(input, into: out.allocatedBase)
            precondition(count <= bound)
        }
    }

    /// Decodes one raw snappy block, refusing one that declares more than `limit` bytes.
    public static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(SnappyError) -> [UInt8] {
        let (declared, headerLength) = try readLength(input)
        try checkDeclared(declared, blockSize: input.count, headerLength: headerLength, limit: limit)
        var failure: SnappyError?
        let out = [UInt8](unsafeUninitializedCapacity: declared) { buffer, count in
            do throws(SnappyError) {
                try decodeElements(
                    UnsafeRawBufferPointer(rebasing: input[headerLength...]),
                    into: buffer.baseAddress, count: declared)
                count = declared
            } catch {
                failure = error
                count = 0
            }
        }
        if let failure { throw failure }
        return out
    }

    // MARK: - Kafka

    /// What Kafka puts in a snappy batch: the Java client writes xerial snappy-java's framing
    /// (magic 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00, then int32 version, int32 compatible version, then
    /// blocks of big-endian int32 compressed length + raw snappy block); librdkafka writes either raw
    /// snappy or the xerial framing. Decode accepts both (detect the 8-byte magic).
    public static func decodeKafka(_ input: UnsafeRawBufferPointer, limit: Int) throws(SnappyError) -> [UInt8] {
        guard hasXerialMagic(input, at: 0) else { return try decompress(input, limit: limit) }

        // First pass: walk the framing, read each block's declared length, and check the total
        // against the limit before allocating anything.
        var blocks: [(body: UnsafeRawBufferPointer, declared: Int)] = []
        var total = 0
        var position = 0
        while position < input.count {
            if hasXerialMagic(input, at: position) {
                guard input.count - position >= xerialHeaderSize else { throw .truncated }
                position += xerialHeaderSize
                continue
            }
            guard input.count - position >= 4 else { throw .truncated }
            let length = Int(Int32(bitPattern: readBigEndian32(input, at: position)))
            position += 4
            guard length >= 0 else { throw .corrupt("negative xerial block length \(length)") }
            guard input.count - position >= length else { throw .truncated }
            let block = UnsafeRawBufferPointer(rebasing: input[position..<position + length])
            position += length
            let (declared, headerLength) = try readLength(block)
            let remaining = limit - total
            guard declared <= remaining else { throw .tooLarge(declared: total + declared, limit: limit) }
            try checkDeclared(declared, blockSize: block.count, headerLength: headerLength, limit: remaining)
            total += declared
            blocks.append((UnsafeRawBufferPointer(rebasing: block[headerLength...]), declared))
        }

        // Second pass: decode each block straight into its place in the output.
        var failure: SnappyError?
        let out = [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            var offset = 0
            do throws(SnappyError) {
                for block in blocks {
                    try decodeElements(block.body, into: buffer.baseAddress.map { $0 + offset }, count: block.declared)
                    offset += block.declared
                }
                count = total
            } catch {
                failure = error
                count = 0
            }
        }
        if let failure { throw failure }
        return out
    }

    /// Encodes as Kafka's Java client does: the xerial header (version 1, compatible version 1), then
    /// one block per 32 KiB of input. Empty input is the header alone, as snappy-java writes it.
    public static func encodeKafka(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let blockCount = (input.count + xerialBlockSize - 1) / xerialBlockSize
        let bound = xerialHeaderSize + blockCount * (4 + maxCompressedLength(xerialBlockSize))
        return [UInt8](unsafeUninitializedCapacity: bound) { out, count in
            let base = out.allocatedBase
            for (i, byte) in xerialMagic.enumerated() { base[i] = byte }
            storeBigEndian32(1, at: base + 8)
            storeBigEndian32(1, at: base + 12)
            var written = xerialHeaderSize
            var position = 0
            while position < input.count {
                let end = min(position + xerialBlockSize, input.count)
                let length = compressBlock(
                    UnsafeRawBufferPointer(rebasing: input[position..<end]), into: base + written + 4)
                storeBigEndian32(UInt32(length), at: base + written)
                written += 4 + length
                position = end
            }
            precondition(written <= bound)
            count = written
        }
    }

    // MARK: - Decoding

    /// Reads the varint uncompressed length at the start of a raw block: at most 5 bytes, at most 2^32-1.
    static func readLength(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> (length: Int, headerLength: Int) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for i in 0..<5 {
            guard i < input.count else { throw .truncated }
            let byte = input[i]
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                guard value <= UInt64(UInt32.max) else { throw .corrupt("uncompressed length overflows 32 bits") }
                return (Int(value), i + 1)
            }
            shift += 7
        }
        throw .corrupt("uncompressed length varint longer than 5 bytes")
    }

    /// The limit first (so a caller's limit always yields `.tooLarge`), then plausibility: a block
    /// cannot produce more than 64 bytes for every 3 bytes of elements.
    static func checkDeclared(_ declared: Int, blockSize: Int, headerLength: Int, limit: Int) throws(SnappyError) {
        guard declared <= limit else { throw .tooLarge(declared: declared, limit: limit) }
        let body = blockSize - headerLength
        guard declared <= body * maxExpansionNumerator / maxExpansionDenominator else {
            throw .corrupt("declared length \(declared) is more than \(body) bytes of elements can produce")
        }
    }

    // Long because: the hot loop of decompression (GB/s); one pass over the tags with `ip`/`op` in
    // registers, and splitting the literal and copy cases into helpers would cost that inlining.
    /// Decodes the elements of a raw block into exactly `count` bytes at `destination`.
    static func decodeElements(
        _ input: UnsafeRawBufferPointer, into destination: UnsafeMutablePointer<UInt8>?,
        count: Int
    ) throws(SnappyError) {
        guard let src = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            guard count == 0 else { throw .truncated }
            return
        }
        guard let out = destination else {
            // Only a zero-length output has no storage; any element would overrun it.
            guard input.isEmpty else { throw .corrupt("elements after a zero declared length") }
            return
        }
        let inEnd = input.count
        var ip = 0
        var op = 0
        while ip < inEnd {
            let tag = src[ip]
            ip += 1
            let length: Int
            let offset: Int
            switch tag & 3 {
            case 0:
                var literal = Int(tag >> 2)
                if literal < 16 && inEnd - ip >= 16 && count - op >= 16 {
                    // Short literal with room on both sides: two unaligned words instead of memcpy;
                    // bytes past the literal are overwritten by what follows.
                    literal += 1
                    let raw = UnsafeRawPointer(src + ip)
                    let dst = UnsafeMutableRawPointer(out + op)
                    dst.storeBytes(of: raw.loadUnaligned(as: UInt64.self), as: UInt64.self)
                    (dst + 8).storeBytes(of: (raw + 8).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    ip += literal
                    op += literal
                    continue
                }
                if literal >= 60 {
                    let extra = literal - 59
                    guard inEnd - ip >= extra else { throw .truncated }
                    literal = 0
                    for k in 0..<extra { literal |= Int(src[ip + k]) << (8 * k) }
                    ip += extra
                }
                literal += 1
                guard inEnd - ip >= literal else { throw .truncated }
                guard count - op >= literal else { throw .corrupt("literal runs past the declared length") }
                (out + op).initialize(from: src + ip, count: literal)
                ip += literal
                op += literal
                continue
            case 1:
                guard ip < inEnd else { throw .truncated }
                length = 4 + Int((tag >> 2) & 7)
                offset = Int(tag >> 5) << 8 | Int(src[ip])
                ip += 1
            case 2:
                guard inEnd - ip >= 2 else { throw .truncated }
                length = 1 + Int(tag >> 2)
                offset = Int(src[ip]) | Int(src[ip + 1]) << 8
                ip += 2
            default:
                guard inEnd - ip >= 4 else { throw .truncated }
                length = 1 + Int(tag >> 2)
                offset = Int(src[ip]) | Int(src[ip + 1]) << 8 | Int(src[ip + 2]) << 16 | Int(src[ip + 3]) << 24
                ip += 4
            }
            guard offset != 0 else { throw .corrupt("copy with offset 0") }
            guard offset <= op else { throw .corrupt("copy offset \(offset) reaches before the start of the output") }
            guard count - op >= length else { throw .corrupt("copy runs past the declared length") }
            let from = out + (op - offset)
            let to = out + op
            if offset >= 8 && count - op >= length + 8 {
                // Eight bytes at a time; with offset >= 8 every load reads bytes already written.
                // The last store may spill up to 7 bytes past the copy, which later elements overwrite
                // (the room for it was checked above).
                var k = 0
                repeat {
                    let word = UnsafeRawPointer(from + k).loadUnaligned(as: UInt64.self)
                    UnsafeMutableRawPointer(to + k).storeBytes(of: word, as: UInt64.self)
                    k += 8
                } while k < length
            } else {
                for k in 0..<length { to[k] = from[k] }
            }
            op += length
        }
        guard op == count else { throw .truncated }
    }

    // MARK: - Encoding

    /// An upper bound on the raw compressed size of `n` bytes (the reference implementation's bound).
    static func maxCompressedLength(_ n: Int) -> Int { 32 + n + n / 6 }

    /// Writes one raw block (varint length, then the elements of each 64 KiB fragment) and returns its size.
    static func compressBlock(_ input: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var op = 0
        var n = UInt32(truncatingIfNeeded: input.count)
        precondition(input.count <= Int(UInt32.max), "snappy blocks hold at most 4 GiB")
        while n >= 0x80 {
            out[op] = UInt8(truncatingIfNeeded: n) | 0x80
            op += 1
            n >>= 7
        }
        out[op] = UInt8(n)
        op += 1
        guard let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count > 0 else { return op }

        let tableSize = min(
            1 << 14, max(256, Int(1) << (Int.bitWidth - (min(input.count, fragmentSize) - 1).leadingZeroBitCount)))
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: tableSize)
        defer { table.deallocate() }
        let shift = UInt32(32 - tableSize.trailingZeroBitCount)

        var position = 0
        while position < input.count {
            let length = min(fragmentSize, input.count - position)
            table.initialize(repeating: 0, count: tableSize)
            op += compressFragment(base + position, length, into: out + op, table: table, shift: shift)
            position += length
        }
        return op
    }

    @inline(__always)
    static func load32(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
    }

    @inline(__always)
    static func hash(_ v: UInt32, _ shift: UInt32) -> Int {
        Int((v &* 0x1E35_A7BD) >> shift)
    }

    /// The greedy matcher of the reference implementation: hash each 4-byte sequence, look up the
    /// last place it was seen, and on a hit emit the pending literal and as long a copy as matches.
    /// Where nothing matches it looks at positions ever further apart (skip heuristic), so
    /// incompressible input passes quickly.
    static func compressFragment(
        _ base: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>,
        table: UnsafeMutablePointer<UInt16>, shift: UInt32
    ) -> Int {
        var op = 0
        var nextEmit = 0
        let inputMargin = 15
        if n >= inputMargin {
            let ipLimit = n - inputMargin
            var ip = 1
            var nextHash = hash(load32(base + ip), shift)
            outer: while true {
                var skip = 32
                var nextIp = ip
                var candidate = 0
                repeat {
                    ip = nextIp
                    let h = nextHash
                    nextIp = ip + (skip >> 5)
                    skip += 1
                    if nextIp > ipLimit { break outer }
                    nextHash = hash(load32(base + nextIp), shift)
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while load32(base + ip) != load32(base + candidate)

                op += emitLiteral(base + nextEmit, ip - nextEmit, into: out + op)

                repeat {
                    let matched = 4 + matchLength(base + candidate + 4, base + ip + 4, limit: base + n)
                    let offset = ip - candidate
                    ip += matched
                    op += emitCopy(offset: offset, length: matched, into: out + op)
                    nextEmit = ip
                    if ip >= ipLimit { break outer }
                    table[hash(load32(base + ip - 1), shift)] = UInt16(truncatingIfNeeded: ip - 1)
                    let h = hash(load32(base + ip), shift)
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while load32(base + ip) == load32(base + candidate)

                ip += 1
                nextHash = hash(load32(base + ip), shift)
            }
        }
        if nextEmit < n {
            op += emitLiteral(base + nextEmit, n - nextEmit, into: out + op)
        }
        return op
    }

    /// How many bytes from `a` equal those from `b`, stopping at `limit` (with `a` < `b`).
    @inline(__always)
    static func matchLength(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> Int {
        var matched = 0
        while limit - (b + matched) >= 8 {
            let x = UnsafeRawPointer(a + matched).loadUnaligned(as: UInt64.self)
            let y = UnsafeRawPointer(b + matched).loadUnaligned(as: UInt64.self)
            let diff = UInt64(littleEndian: x) ^ UInt64(littleEndian: y)
            if diff != 0 { return matched + diff.trailingZeroBitCount >> 3 }
            matched += 8
        }
        while b + matched < limit && a[matched] == b[matched] { matched += 1 }
        return matched
    }

    static func emitLiteral(_ src: UnsafePointer<UInt8>, _ length: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let n = length - 1
        var op: Int
        if n < 60 {
            out[0] = UInt8(n << 2)
            op = 1
        } else {
            let bytes = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4
            out[0] = UInt8((59 + bytes) << 2)
            for k in 0..<bytes { out[1 + k] = UInt8(truncatingIfNeeded: n >> (8 * k)) }
            op = 1 + bytes
        }
        (out + op).initialize(from: src, count: length)
        return op + length
    }

    static func emitCopy(offset: Int, length: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var remaining = length
        var op = 0
        // Long matches: 64-byte copies, keeping at least 4 for the last one (copy-1 needs 4).
        while remaining >= 68 {
            op += emitCopyAtMost64(offset: offset, length: 64, into: out + op)
            remaining -= 64
        }
        if remaining > 64 {
            op += emitCopyAtMost64(offset: offset, length: 60, into: out + op)
            remaining -= 60
        }
        return op + emitCopyAtMost64(offset: offset, length: remaining, into: out + op)
    }

    @inline(__always)
    static func emitCopyAtMost64(offset: Int, length: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if length < 12 && offset < 2048 {
            out[0] = UInt8(1 | (length - 4) << 2 | (offset >> 8) << 5)
            out[1] = UInt8(truncatingIfNeeded: offset)
            return 2
        }
        out[0] = UInt8(2 | (length - 1) << 2)
        out[1] = UInt8(truncatingIfNeeded: offset)
        out[2] = UInt8(truncatingIfNeeded: offset >> 8)
        return 3
    }

    // MARK: - Framing helpers

    static func hasXerialMagic(_ input: UnsafeRawBufferPointer, at position: Int) -> Bool {
        guard input.count - position >= xerialMagic.count else { return false }
        for k in 0..<xerialMagic.count where input[position + k] != xerialMagic[k] { return false }
        return true
    }

    static func readBigEndian32(_ input: UnsafeRawBufferPointer, at position: Int) -> UInt32 {
        UInt32(input[position]) << 24 | UInt32(input[position + 1]) << 16 | UInt32(input[position + 2]) << 8
            | UInt32(input[position + 3])
    }

    static func storeBigEndian32(_ value: UInt32, at p: UnsafeMutablePointer<UInt8>) {
        p[0] = UInt8(truncatingIfNeeded: value >> 24)
        p[1] = UInt8(truncatingIfNeeded: value >> 16)
        p[2] = UInt8(truncatingIfNeeded: value >> 8)
        p[3] = UInt8(truncatingIfNeeded: value)
    }
}
