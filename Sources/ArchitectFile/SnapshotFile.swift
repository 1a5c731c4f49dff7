// The snapshot's file form: JSON as docs/snapshot.md describes it. Reading names the file and the JSON path
// of anything wrong; a newer schemaVersion is refused before anything else is read.

import ArchitectCore
import Foundation

public struct SnapshotFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let path: String
    public let message: String
    public var description: String { "\(file): \(path): \(message)" }
}

public enum SnapshotFile {
    public static func decode(_ data: Data, file: String) throws(SnapshotFileError) -> ClusterSnapshot {
        try decode([UInt8](data), file: file)
    }

    /// Reads the whole document, then checks its version; only when reading fails is the version looked up
    /// first, so a newer format is named as such rather than by the first difference it trips on.
    public static func decode(_ bytes: [UInt8], file: String) throws(SnapshotFileError) -> ClusterSnapshot {
        var reader = JSONReader(bytes)
        var failure: JSONReadError? = nil
        var snapshot: ClusterSnapshot? = nil
        var version: Int? = nil
        do {
            let (s, saw) = try SnapshotDecoding.snapshot(&reader)
            try reader.end()
            snapshot = s
            version = saw ? s.schemaVersion : nil
        } catch { failure = error }
        if snapshot == nil {
            var probe = JSONReader(bytes)
            version = try? SnapshotDecoding.schemaVersion(&probe)
        }
        if let v = version, v < 1 {
            throw SnapshotFileError(file: file, path: "$.schemaVersion", message: "is \(v); versions start at 1")
        }
        if let v = version, v > ClusterSnapshot.currentSchemaVersion {
            throw SnapshotFileError(
                file: file, path: "$.schemaVersion",
                message:
                    "is \(v); this kafka-architect reads version \(ClusterSnapshot.currentSchemaVersion) (upgrade kafka-architect, or take the snapshot with this one)"
            )
        }
        if let failure { throw SnapshotFileError(file: file, path: failure.path, message: failure.message) }
        guard let snapshot, version != nil else {
            throw SnapshotFileError(
                file: file, path: "$.schemaVersion",
                message: "missing: not a kafka-architect snapshot (write one with `kafka-architect cluster snapshot`)")
        }
        return snapshot
    }

    /// The snapshot as the project's JSON (sorted keys, so two snapshots diff cleanly).
    public static func encode(_ snapshot: ClusterSnapshot) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(snapshot), as: UTF8.self) + "\n"
    }
}
