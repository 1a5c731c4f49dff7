/// A problem in an architecture file, pointing at the file, line and field, with what to do.
public struct ArchitectureFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    /// 1-based; 0 when the problem has no line (e.g. an empty file).
    public let line: Int
    public let column: Int
    /// The field's path, e.g. `topics[0].messageSize`; empty for the document itself.
    public let field: String
    public let message: String

    public init(file: String, line: Int, column: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// One line: `file:line:column: field: message`.
    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}
