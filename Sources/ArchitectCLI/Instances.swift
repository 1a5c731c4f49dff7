import ArchitectCore
import ArchitectOutput
import ArgumentParser
import Foundation

extension KafkaArchitect {
    /// `kafka-architect instances`: the built-in catalog of machines and prices.
    struct Instances: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the built-in instance catalog with specifications and prices.",
            discussion: """
                Network is the sustained baseline, not the "up to" burst figure. Prices are on-demand, dated and sourced.

                Examples:
                  kafka-architect instances
                  kafka-architect instances --family i4i --format json
                """
        )

        @Option(help: "Only this family, e.g. m6i.") var family: String?
        @OptionGroup var outputOptions: OutputOptions

        func run() throws {
            let catalog = InstanceCatalog.builtIn
            let types = catalog.instances.filter { family == nil || $0.family == family }
            guard !types.isEmpty else {
                let families = Array(Set(catalog.instances.map(\.family))).sorted()
                throw InputFailure(message: "--family: '\(family ?? "")' is not in the catalog; known families: \(families.joined(separator: ", "))")
            }
            switch outputOptions.format {
            case .json:
                struct Row: Encodable {
                    let name: String; let vcpus: Int; let memoryBytes: Double; let networkBaselineBytesPerSecond: Double
                    let blockStorageBytesPerSecond: Double; let localDiskBytes: [Double]; let localDiskWriteBytesPerSecond: Double; let hourlyUSD: Double
                }
                struct Doc: Encodable { let provider, region, asOf, source: String; let instances: [Row] }
                let doc = Doc(provider: catalog.provider, region: catalog.region, asOf: catalog.asOf, source: catalog.source, instances: types.map {
                    Row(name: $0.name, vcpus: $0.vcpus, memoryBytes: $0.memoryBytes, networkBaselineBytesPerSecond: $0.networkBaselineBytesPerSecond,
                        blockStorageBytesPerSecond: $0.blockStorageBytesPerSecond, localDiskBytes: $0.localDisks,
                        localDiskWriteBytesPerSecond: $0.localDiskWriteBytesPerSecond, hourlyUSD: $0.hourlyUSD)
                })
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try outputOptions.emit(String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n")
            case .text, .markdown:
                var rows = [["instance", "vCPU", "memory", "network", "block storage", "local NVMe", "USD/hour"]]
                for t in types {
                    rows.append([t.name, String(t.vcpus), Format.binary(t.memoryBytes), Format.value(t.networkBaselineBytesPerSecond, .bytesPerSecond),
                                 Format.value(t.blockStorageBytesPerSecond, .bytesPerSecond),
                                 t.localDisks.isEmpty ? "—" : "\(t.localDisks.count) × \(Format.value(t.localDisks[0], .bytes))",
                                 Format.grouped(t.hourlyUSD, decimals: 4)])
                }
                var out = ""
                if outputOptions.format == .markdown {
                    out += "| " + rows[0].joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: rows[0].count) + "\n"
                    for r in rows.dropFirst() { out += "| " + r.joined(separator: " | ") + " |\n" }
                } else {
                    let widths = (0..<rows[0].count).map { i in rows.map { $0[i].count }.max() ?? 0 }
                    for r in rows {
                        out += r.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }.joined(separator: "  ") + "\n"
                    }
                }
                out += "\nPrices: \(catalog.provider) \(catalog.region), on-demand, as of \(catalog.asOf). Source: \(catalog.source)\n"
                try outputOptions.emit(out)
            }
        }
    }
}
