// The lag report for people (text and Markdown, worst group first, each with the rule that decided its status)
// and machines (JSON: docs/lag.md).

import ArchitectCore

public struct LagRenderer: Sendable {
    public var color: Bool = false
    public init(color: Bool = false) { self.color = color }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    static func clean(_ s: String) -> String { AuditRenderer.clean(s) }

    func label(_ s: GroupLagStatus) -> String {
        switch s {
        case .ok: paint("OK ", "32")
        case .warn: paint("WARN", "33")
        case .err: paint("ERR", "31")
        case .unknown: paint("UNKNOWN", "35")
        }
    }

    static func count(_ v: Int64?) -> String { v.map { Format.grouped(Double($0), decimals: 0) } ?? "-" }
    static func seconds(_ v: Double?) -> String { v.map { Format.duration($0) } ?? "-" }
    static func rate(_ v: Double?) -> String { v.map { Format.grouped($0, decimals: 2) } ?? "-" }

    static func header(_ r: LagReport) -> String {
        let window =
            r.windowSeconds.map { "over \(Format.duration($0)) (\(r.readings) readings)" }
            ?? "one reading (no --window: figures and the SLO verdict only)"
        let counts = GroupLagStatus.allCases.reversed().compactMap { s -> String? in
            let c = r.count(s)
            return c > 0 ? "\(c) \(s.rawValue)" : nil
        }
        return "Consumer lag: \(counted(r.groups.count, "group")) \(window)"
            + (counts.isEmpty ? "" : " — " + counts.joined(separator: ", "))
    }

    static func partitionRows(_ g: GroupLag) -> [[String]] {
        let sorted = g.partitions.sorted { a, b in
            let ra = a.status?.rank ?? 0
            let rb = b.status?.rank ?? 0
            if ra != rb { return ra > rb }
            if (a.lagSeconds ?? -1) != (b.lagSeconds ?? -1) { return (a.lagSeconds ?? -1) > (b.lagSeconds ?? -1) }
            if (a.lag ?? -1) != (b.lag ?? -1) { return (a.lag ?? -1) > (b.lag ?? -1) }
            return (a.topic, a.partition) < (b.topic, b.partition)
        }
        return sorted.map { p in
            [
                clean(p.topic), String(p.partition), count(p.committedOffset), count(p.logEndOffset), count(p.lag),
                seconds(p.lagSeconds), rate(p.consumeRate), rate(p.produceRate), p.catchUp ?? "-",
                p.status?.rawValue ?? "-", p.owner.map { clean($0) } ?? (g.members == nil ? "?" : "-"),
            ]
        }
    }

    static let columns = [
        "TOPIC", "PARTITION", "COMMITTED", "LOG-END", "LAG", "LAG-TIME", "CONSUME/S", "PRODUCE/S", "CATCH-UP",
        "STATUS", "OWNER",
    ]

    static func describe(_ g: GroupLag) -> String {
        var parts: [String] = []
        if let s = g.state { parts.append(s) }
        if let t = g.protocolType, !t.isEmpty { parts.append(t + (g.protocol.map { "/\($0)" } ?? "")) }
        if let m = g.members { parts.append(counted(m.count, "member")) }
        return parts.isEmpty ? "" : " (\(parts.map(clean).joined(separator: ", ")))"
    }

    static func summaryLine(_ g: GroupLag) -> String {
        var total = "\(count(g.totalLag)) records"
        if g.partitionsUnknown > 0 {
            let known = g.partitions.compactMap(\.lag).reduce(0, +)
            total = "at least \(count(known)) records (\(counted(g.partitionsUnknown, "partition")) unread)"
        }
        var s = "lag \(total), oldest unconsumed \(seconds(g.maxLagSeconds))"
        if g.consumeRate != nil || g.produceRate != nil {
            s += "; consuming \(rate(g.consumeRate))/s, producing \(rate(g.produceRate))/s"
        }
        if let c = g.catchUp { s += "; catch-up: \(c)" }
        return s
    }

    // Long because: the header, then per group its status line, rule, figures, SLO, findings and partition table.
    public func text(_ r: LagReport) -> String {
        var out = Self.header(r) + "\n"
        if !r.complete {
            out += "INCOMPLETE: could not read " + r.missing.map(Self.clean).joined(separator: "; ") + "\n"
        }
        for u in r.unsupported { out += "note: not offered by this cluster: \(u)\n" }
        for g in r.groups {
            out += "\n\(label(g.status)) \(Self.clean(g.groupId))\(Self.describe(g))\n"
            out += "  rule: \(Self.clean(g.rule))\n"
            if g.totalLag != nil || g.maxLagSeconds != nil || g.partitionsUnknown > 0 {
                out += "  \(Self.summaryLine(g))\n"
            }
            if let s = g.slo { out += "  SLO: \(LagEvaluator.describe(s))\n" }
            if let note = g.membershipNote { out += "  note: \(Self.clean(note))\n" }
            for f in g.findings where f.kind != "slo" && f.kind != "not-found" {
                out +=
                    "  \(f.severity == .error ? "error" : f.severity.rawValue): \(f.kind): \(Self.clean(f.message))\n"
            }
            let rows = Self.partitionRows(g)
            guard !rows.isEmpty else { continue }
            out += TextTable.render([Self.columns] + rows, indent: "  ")
            for p in g.partitions where p.status != nil && p.status != .ok {
                out +=
                    "  \(Self.clean(p.topic))-\(p.partition): \(p.status?.rawValue ?? "") — \(Self.clean(p.rule ?? ""))\n"
            }
        }
        return out
    }

    public func markdown(_ r: LagReport) -> String {
        func cell(_ s: String) -> String { Self.clean(s).replacingOccurrences("|", "\\|") }
        var out = "# \(Self.header(r))\n\n"
        if !r.complete {
            out += "> **Incomplete:** could not read " + r.missing.map(cell).joined(separator: "; ") + "\n\n"
        }
        for u in r.unsupported { out += "> Not offered by this cluster: \(cell(u))\n\n" }
        out +=
            "| Status | Group | State | Lag (records) | Oldest unconsumed | Catch-up | Rule |\n|---|---|---|---:|---:|---|---|\n"
        for g in r.groups {
            out +=
                "| \(g.status.rawValue) | \(cell(g.groupId)) | \(cell(g.state ?? "?")) | \(Self.count(g.totalLag)) | \(Self.seconds(g.maxLagSeconds)) | \(cell(g.catchUp ?? "-")) | \(cell(g.rule)) |\n"
        }
        for g in r.groups where !g.partitions.isEmpty || !g.findings.isEmpty {
            out += "\n## \(g.status.rawValue) \(cell(g.groupId))\n\n"
            if let s = g.slo { out += "- SLO: \(cell(LagEvaluator.describe(s)))\n" }
            for f in g.findings where f.kind != "slo" { out += "- \(f.severity.rawValue): \(cell(f.message))\n" }
            let rows = Self.partitionRows(g)
            guard !rows.isEmpty else { continue }
            out +=
                "\n| " + Self.columns.joined(separator: " | ") + " |\n|"
                + String(repeating: "---|", count: Self.columns.count) + "\n"
            for row in rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        }
        return out
    }

    public func json(_ r: LagReport) throws -> String { LagJSON.encode(r) }
}

/// Columns padded to their widest cell, the last one unpadded.
public enum TextTable {
    public static func render(_ rows: [[String]], indent: String = "") -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for row in rows {
            var line = indent
            for (i, cell) in row.enumerated() {
                line += i == row.count - 1 ? cell : cell.padded(widths[i] + 1)
            }
            out += line + "\n"
        }
        return out
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}
