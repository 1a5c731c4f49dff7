import Foundation

/// Streams a file (or standard input) line by line without copying: each line is handed over as
/// bytes, without its `\n` and a trailing `\r`. Memory stays at one read buffer plus the longest line.
struct LineReader {
    let path: String

    /// The file's descriptor (standard input for `-`), or an input error naming the path.
    func openInput() throws(InputFailure) -> Int32 {
        if path == "-" {
            return STDIN_FILENO
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputFailure(message: "\(path): no such file; check the path")
            }
            guard !isDirectory.boolValue else {
                throw InputFailure(message: "\(path): is a directory; give a file of keys")
            }
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw InputFailure(message: "\(path): cannot be read: \(String(cString: strerror(errno)))")
            }
            return fd
        }
    }

    /// Calls `body(line, lineNumber)` for every line; a last line without `\n` counts too.
    func forEachLine(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        var lineNumber = 0
        try forEachBatch { batch in
            for line in batch.lines {
                lineNumber += 1
                try body(line, lineNumber)
            }
        }
    }

    /// The lines in batches of up to `KeyAnalyzer.batchSize` (see `LineScanner.scanBatches`).
    func forEachBatch(_ body: (LineScanner.Batch) throws -> Void) throws {
        let fd = try openInput()
        defer { if fd != STDIN_FILENO { close(fd) } }
        try LineScanner.scanBatches(
            fill: { buffer, capacity in
                while true {
                    let got = read(fd, buffer, capacity)
                    if got >= 0 { return got }
                    if errno != EINTR {
                        throw InputFailure(message: "\(path): read failed: \(String(cString: strerror(errno)))")
                    }
                }
            },
            { batch in
                try body(batch)
                return true
            })
    }
}

/// Cuts a byte stream into lines in one growing buffer: a line split across reads is moved to the
/// front and completed by the next read, so no line is ever copied twice.
enum LineScanner {
    static let chunkSize = 1 << 20
    static let gather: UInt64 = 0x0002_0408_1020_4081
    static let high1: UInt64 = 0x8080_8080_8080_8080

    /// Lines cut from one read buffer: each without its `\n` and a trailing `\r`, and how long each
    /// was in the input (with the `\r`, without the `\n`).
    struct Batch {
        let lines: UnsafeBufferPointer<UnsafeRawBufferPointer>
        let inputLengths: UnsafeBufferPointer<Int>

        init(lines: UnsafeBufferPointer<UnsafeRawBufferPointer>, lengths: UnsafeMutablePointer<Int>) {
            self.lines = lines
            inputLengths = UnsafeBufferPointer(start: lengths, count: lines.count)
        }
    }

    /// The lines of `scan` handed over up to `batchSize` (at least 8) at a time, in order; each batch's
    /// views are valid only during the call.
    ///
    /// Newlines are found sixteen bytes at a time and their offsets written without a branch per line
    /// (see `findNewlines`), then the batch's lines are cut from the offsets.
    static func scanBatches(
        batchSize: Int = 64, fill: (UnsafeMutableRawPointer, Int) throws -> Int,
        _ body: (Batch) throws -> Bool
    ) throws {
        precondition(batchSize >= 16, "a block can hold sixteen newlines")
        var capacity = chunkSize
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        let batch = UnsafeMutableBufferPointer<UnsafeRawBufferPointer>.allocate(capacity: batchSize)
        defer { batch.deallocate() }
        let newlines = UnsafeMutablePointer<Int>.allocate(capacity: batchSize)
        defer { newlines.deallocate() }
        var have = 0
        while true {
            if have == capacity {  // one line fills the buffer: make room for the rest of it
                let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                larger.copyMemory(from: buffer, byteCount: have)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let got = try fill(buffer + have, capacity - have)
            let end = have + got
            var start = 0
            var position = 0
            while position < end {
                let count = findNewlines(buffer, from: &position, to: end, into: newlines, capacity: batchSize)
                for i in 0..<count {
                    let newline = newlines[i]
                    let length = newline &- start
                    // A trailing \r is dropped (the byte before an empty line is never read).
                    let cr = length > 0 && buffer.load(fromByteOffset: newline &- 1, as: UInt8.self) == 13
                    batch[i] = UnsafeRawBufferPointer(start: buffer + start, count: length &- (cr ? 1 : 0))
                    newlines[i] = length
                    start = newline &+ 1
                }
                if count > 0 {
                    guard try body(Batch(lines: .init(rebasing: batch[..<count]), lengths: newlines)) else { return }
                }
            }
            if got == 0 {
                guard start < end else { return }
                let length = end - start
                let cr = buffer.load(fromByteOffset: end - 1, as: UInt8.self) == 13
                batch[0] = UnsafeRawBufferPointer(start: buffer + start, count: length - (cr ? 1 : 0))
                newlines[0] = length
                _ = try body(Batch(lines: .init(rebasing: batch[..<1]), lengths: newlines))
                return
            }
            have = end - start
            if start > 0 && have > 0 { memmove(buffer, buffer + start, have) }
        }
    }

    /// Writes the offsets of the newlines from `position` on into `offsets` (at most `capacity`),
    /// advancing `position` past the bytes looked at; returns how many were found.
    ///
    /// Sixteen bytes at a time: a vector compare marks newline bytes with 0xFF, and per eight bytes
    /// (m & 0x8080…) × 0x02040810204081 gathers their top bits into the product's top byte (bit 56 + j
    /// for byte j). The first two newlines of a block are stored without a branch and counted only if
    /// present.
    @inline(__always)
    static func findNewlines(
        _ buffer: UnsafeMutableRawPointer, from position: inout Int, to end: Int,
        into offsets: UnsafeMutablePointer<Int>, capacity: Int
    ) -> Int {
        var count = 0
        var p = position
        while p &+ 16 <= end && count &+ 16 <= capacity {
            let block = buffer.loadUnaligned(fromByteOffset: p, as: SIMD16<UInt8>.self)
            let marks = unsafeBitCast(block .== SIMD16<UInt8>(repeating: 10), to: SIMD2<UInt64>.self)
            let low = ((marks[0] & Self.high1) &* Self.gather) >> 56
            let high = ((marks[1] & Self.high1) &* Self.gather) >> 56
            var found = UInt32(truncatingIfNeeded: low | high << 8)
            offsets[count] = p &+ found.trailingZeroBitCount
            count &+= found == 0 ? 0 : 1
            found &= found &- 1
            offsets[count] = p &+ found.trailingZeroBitCount
            count &+= found == 0 ? 0 : 1
            found &= found &- 1
            while found != 0 {  // short lines: more than two newlines in a block
                offsets[count] = p &+ found.trailingZeroBitCount
                count &+= 1
                found &= found &- 1
            }
            p &+= 16
        }
        if p &+ 16 > end {
            while p < end && count < capacity {
                if buffer.load(fromByteOffset: p, as: UInt8.self) == 10 {
                    offsets[count] = p
                    count &+= 1
                }
                p &+= 1
            }
        }
        position = p
        return count
    }
}
