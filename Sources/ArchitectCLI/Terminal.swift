import Foundation

/// Standard streams and files: the CLI's only I/O.
enum Terminal {
    static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func writeOut(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Reads a file, or standard input for `-`, as UTF-8 text.
    static func readText(_ path: String) throws(InputFailure) -> String {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputFailure(message: "\(path): no such file; check the path (examples are in examples/)")
            }
            guard !isDirectory.boolValue else {
                throw InputFailure(message: "\(path): is a directory; give an architecture file (.yaml)")
            }
            guard let d = FileManager.default.contents(atPath: path) else {
                throw InputFailure(message: "\(path): cannot be read; check its permissions")
            }
            data = d
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputFailure(message: "\(path): is not UTF-8 text; save it as UTF-8 YAML")
        }
        return text
    }

    /// Writes text to a file atomically: a temporary file beside it, then a rename,
    /// so a reader never sees half a file and a failure leaves the old file in place.
    /// Paths that are not regular files (/dev/null, a FIFO, a terminal) are written in place:
    /// renaming over them would replace the device with a file.
    static func writeAtomically(_ text: String, to path: String) throws(InputFailure) {
        if path == "-" { return writeOut(text) }
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw InputFailure(message: "\(path): cannot write: \(String(cString: strerror(errno)))")
            }
            handle.write(Data(text.utf8))
            try? handle.close()
            return
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temp = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temp)
            if rename(temp.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temp)
                throw InputFailure(message: "\(path): cannot write: \(reason)")
            }
        } catch let e as InputFailure {
            throw e
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw InputFailure(message: "\(path): cannot write: \(error.localizedDescription)")
        }
    }
}
