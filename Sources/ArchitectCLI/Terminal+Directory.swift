import ArchitectDeliverables
import Foundation

extension Terminal {
    /// Writes every file into a temporary sibling directory, then swaps it into place.
    static func writeDirectory(_ files: [GeneratedFile], to out: String, replacing force: Bool) throws(InputFailure) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: out, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw InputFailure(message: "\(out): is a file; give a directory for --out")
        }
        if exists, !force, let contents = try? fm.contentsOfDirectory(atPath: out), !contents.isEmpty {
            throw InputFailure(message: "\(out): is not empty; add --force to replace it")
        }
        let base = URL(fileURLWithPath: out).standardizedFileURL
        let pid = ProcessInfo.processInfo.processIdentifier
        let temp = base.deletingLastPathComponent().appendingPathComponent(".\(base.lastPathComponent).tmp-\(pid)")
        let old = base.deletingLastPathComponent().appendingPathComponent(".\(base.lastPathComponent).old-\(pid)")
        do {
            try? fm.removeItem(at: temp)
            try fm.createDirectory(at: temp, withIntermediateDirectories: true)
            for f in files {
                let url = temp.appendingPathComponent(f.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(f.contents.utf8).write(to: url)
                if f.path.hasSuffix(".sh") {
                    try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
                }
            }
            if exists { try fm.moveItem(at: base, to: old) }
            try fm.moveItem(at: temp, to: base)
            if exists { try? fm.removeItem(at: old) }
        } catch {
            try? fm.removeItem(at: temp)
            if exists && !fm.fileExists(atPath: base.path) { try? fm.moveItem(at: old, to: base) }
            throw InputFailure(message: "\(out): cannot write: \(error.localizedDescription)")
        }
    }
}
