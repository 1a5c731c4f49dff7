import Foundation

/// Streams a file (or standard input) line by line without copying: each line is handed over as
/// bytes, without its `\n` and a trailing `\r`. Memory stays at one read buffer plus the longest line.
struct LineReader {
    let path: String
    static let chunkSize = 1 << 20

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
        let fd = try openInput()
        defer { if fd != STDIN_FILENO { close(fd) } }

        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var carry: [UInt8] = []  // a line split across reads
        var lineNumber = 0

        func emit(_ start: UnsafeRawPointer, _ count: Int) throws {
            lineNumber += 1
            var n = count
            if n > 0 && start.load(fromByteOffset: n - 1, as: UInt8.self) == 13 { n -= 1 }
            try body(UnsafeRawBufferPointer(start: start, count: n), lineNumber)
        }

        while true {
            let got = read(fd, buffer, Self.chunkSize)
            if got < 0 {
                if errno == EINTR { continue }
                throw InputFailure(message: "\(path): read failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            var offset = 0
            while offset < got {
                let start = buffer + offset
                guard let newline = memchr(start, 10, got - offset) else {
                    carry.append(contentsOf: UnsafeRawBufferPointer(start: start, count: got - offset))
                    offset = got
                    break
                }
                let length = UnsafeRawPointer(newline) - UnsafeRawPointer(start)
                if carry.isEmpty {
                    try emit(start, length)
                } else {
                    carry.append(contentsOf: UnsafeRawBufferPointer(start: start, count: length))
                    try carry.withUnsafeBytes { try emit($0.baseAddress ?? UnsafeRawPointer(buffer), $0.count) }
                    carry.removeAll(keepingCapacity: true)
                }
                offset += length + 1
            }
        }
        if !carry.isEmpty {
            try carry.withUnsafeBytes { bytes in
                if let start = bytes.baseAddress { try emit(start, bytes.count) }
            }
        }
    }
}
