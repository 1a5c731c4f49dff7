import ArgumentParser

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

    var useColor: Bool {
        switch color {
        case .always: true
        case .never: false
        case .auto: output == nil && Terminal.stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        }
    }

    func emit(_ text: String) throws(InputFailure) {
        if let output {
            try Terminal.writeAtomically(text, to: output)
        } else {
            Terminal.writeOut(text)
        }
    }
}

import Foundation
