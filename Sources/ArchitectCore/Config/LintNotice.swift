// A file, or a document in it, and a message: what `lint` skipped on purpose (not a Kafka
// configuration, a notice) or could not read (an input error, `LintInputError`).

public struct LintNotice: Error, Sendable, Equatable {
    public let file: String
    /// The document's line in a YAML stream; 0 for the whole file.
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
