import ArgumentParser
import Foundation

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// For commands whose output is a listing rather than a report.
enum ListingFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

enum ColorMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// Options every reporting command shares.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: OutputFormat = .text

    @Option(name: [.short, .long], help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Colour text output: auto (when standard output is a terminal), always or never.")
    var color: ColorMode = .auto

    var useColor: Bool { color.enabled(writingToFile: output != nil, text: format == .text) }

    func emit(_ text: String) throws(InputFailure) {
        if let output {
            try Terminal.writeAtomically(text, to: output)
        } else {
            Terminal.writeOut(text)
        }
    }
}

extension OutputOptions {
    /// Renders in the chosen format and writes it; a report that cannot be encoded is an input error.
    func emit(
        text: () -> String, markdown: () -> String, json: () throws -> String
    ) throws(InputFailure) {
        switch format {
        case .text: try emit(text())
        case .markdown: try emit(markdown())
        case .json:
            let rendered: String
            do { rendered = try json() } catch { throw InputFailure(message: "cannot encode JSON: \(error)") }
            try emit(rendered)
        }
    }
}

/// The output option of commands that list rather than report: `--format text|json`, to standard output.
struct ListingOptions: ParsableArguments {
    @Option(help: "Output: text or json.") var format: ListingFormat = .text

    func emit(text: () -> String, json: () throws -> String) throws(InputFailure) {
        switch format {
        case .text: Terminal.writeOut(text())
        case .json:
            do { Terminal.writeOut(try json()) } catch { throw InputFailure(message: "cannot encode JSON: \(error)") }
        }
    }
}

/// The output options of review commands (`lint`): text, JSON or SARIF for code review, to a file or standard output.
struct ReviewOutputOptions: ParsableArguments {
    @Option(help: "Output: text, json or sarif.") var format: LintFormat = .text
    @Option(name: [.short, .long], help: "Write to this file (atomically) instead of standard output.") var output:
        String?
    @Option(help: "Colour text output: auto, always or never.") var color: ColorMode = .auto

    var useColor: Bool { color.enabled(writingToFile: output != nil, text: format == .text) }
}

extension ColorMode {
    /// `auto` colours text written to a terminal, unless NO_COLOR is set.
    func enabled(writingToFile: Bool, text: Bool) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto:
            !writingToFile && text && Terminal.stdoutIsTerminal
                && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        }
    }
}
