// `instances`: the built-in catalog of machines and prices, as a table, Markdown or JSON.

import ArchitectCore

public struct InstanceCatalogRenderer {
    public init() {}

    public func text(_ types: [InstanceType], catalog: InstanceCatalog) -> String {
        let rows = table(types)
        let widths = (0..<rows[0].count).map { i in rows.map { $0[i].count }.max() ?? 0 }
        var out = ""
        for r in rows {
            out +=
                r.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: "  ") + "\n"
        }
        return out + footer(catalog)
    }

    public func markdown(_ types: [InstanceType], catalog: InstanceCatalog) -> String {
        let rows = table(types)
        var out =
            "| " + rows[0].joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: rows[0].count) + "\n"
        for r in rows.dropFirst() { out += "| " + r.joined(separator: " | ") + " |\n" }
        return out + footer(catalog)
    }

    public func json(_ types: [InstanceType], catalog: InstanceCatalog) throws -> String {
        struct Row: Encodable {
            let name: String
            let vcpus: Int
            let memoryBytes: Double
            let networkBaselineBytesPerSecond: Double
            let blockStorageBytesPerSecond: Double
            let localDiskBytes: [Double]
            let localDiskWriteBytesPerSecond: Double
            let hourlyUSD: Double
        }
        struct Doc: Encodable {
            let provider, region, asOf, source: String
            let instances: [Row]
        }
        let rows = types.map {
            Row(
                name: $0.name, vcpus: $0.vcpus, memoryBytes: $0.memoryBytes,
                networkBaselineBytesPerSecond: $0.networkBaselineBytesPerSecond,
                blockStorageBytesPerSecond: $0.blockStorageBytesPerSecond, localDiskBytes: $0.localDisks,
                localDiskWriteBytesPerSecond: $0.localDiskWriteBytesPerSecond, hourlyUSD: $0.hourlyUSD)
        }
        return try ReportJSON.encode(
            Doc(
                provider: catalog.provider, region: catalog.region, asOf: catalog.asOf, source: catalog.source,
                instances: rows))
    }

    func table(_ types: [InstanceType]) -> [[String]] {
        var rows = [["instance", "vCPU", "memory", "network", "block storage", "local NVMe", "USD/hour"]]
        for t in types {
            rows.append([
                t.name, String(t.vcpus), Format.binary(t.memoryBytes),
                Format.value(t.networkBaselineBytesPerSecond, .bytesPerSecond),
                Format.value(t.blockStorageBytesPerSecond, .bytesPerSecond),
                t.localDisks.isEmpty ? "—" : "\(t.localDisks.count) × \(Format.value(t.localDisks[0], .bytes))",
                Format.grouped(t.hourlyUSD, decimals: 4),
            ])
        }
        return rows
    }

    func footer(_ catalog: InstanceCatalog) -> String {
        "\nPrices: \(catalog.provider) \(catalog.region), on-demand, as of \(catalog.asOf). Source: \(catalog.source)\n"
    }
}
