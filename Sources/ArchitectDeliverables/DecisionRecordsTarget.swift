import ArchitectCore
import ArchitectReports

/// Architecture decision records and the capacity report of a design, in Markdown: what was decided,
/// the alternatives considered and the figures behind each decision, all from the same derivation
/// as every other deliverable.
enum DecisionRecordsTarget {
    static func files(_ r: DesignResult, _ a: Architecture) -> [GeneratedFile] {
        guard let d = a.design else { return [] }
        let c = Context(r: r, a: a, d: d)
        return [
            record("0001-partition-keys", keys(c)), record("0002-exactly-once-boundaries", exactlyOnce(c)),
            record("0003-tenancy", tenancy(c)), record("0004-retention-and-tiering", retention(c)),
            GeneratedFile(path: "reports/capacity.md", contents: capacity(c)),
        ]
    }

    struct Context {
        let r: DesignResult
        let a: Architecture
        let d: DesignModel
        var main: [DesignedTopic] { r.topics.filter { $0.purpose == .main } }
        func entity(_ t: DesignedTopic) -> EntitySpec? { d.entities.first { $0.reference == t.entity } }
    }

    static func record(_ name: String, _ lines: [String]) -> GeneratedFile {
        GeneratedFile(
            path: "reports/adr/\(name).md",
            contents: (["<!-- \(Deliverables.header) -->"] + lines).joined(separator: "\n") + "\n")
    }

    static func rate(_ v: Double) -> String { "\(Format.grouped(v, decimals: v < 1000 ? 1 : 0)) msg/s" }

    // Long because: one decision record's sections, one line each.
    static func keys(_ c: Context) -> [String] {
        var rows: [String] = []
        for t in c.main {
            guard let e = c.entity(t) else { continue }
            let peak = e.messagesPerSecond * e.peakToAverage
            rows.append(
                "| `\(t.name)` | \(e.key.map { "`\($0)`" } ?? "none (null keys)") | \(e.ordering.rawValue) | \(t.partitions) | \(rate(peak / Double(t.partitions))) | \(e.keyCardinality.map { Format.grouped($0, decimals: 0) } ?? "not given") | \(e.hotKeyShare.map { "\(Format.grouped($0 * 100, decimals: 1))%" } ?? "not given") |"
            )
        }
        let keyFindings = c.r.findings.filter {
            ["hot-key", "few-keys", "ordering-key-mismatch", "ordering-without-key"].contains($0.code)
        }
        return [
            "# ADR 0001: Partition keys — \(c.r.name)", "", "Status: proposed (generated from the architecture file).",
            "",
            "## Context",
            "Records of one key go to one partition (murmur2 of the key, the Java client's default partitioner), so the key decides both ordering and load spread. Per-key ordering holds within a partition only.",
            "",
            "## Decision", "",
            "| Topic | Key | Ordering | Partitions | Peak per partition | Distinct keys | Busiest key |",
            "|---|---|---|---:|---:|---:|---:|",
        ] + rows + [
            "",
            "Partition counts come from the plan (`kafka-architect plan`, throughput, consumers and processing time, rounded up to a multiple of the \(c.r.plan.brokers) brokers); topics joined on a key share one count.",
            "",
            "## Alternatives considered",
            "- **No key (null keys)**: the sticky partitioner spreads batches evenly, but records of one entity land anywhere: no per-entity order, and consumers cannot keep per-entity state.",
            "- **A coarser key** (status, country, tenant): few distinct values concentrate load on a few partitions; rejected wherever ordering does not need it.",
            "- **Salting a hot key** (key#0…key#N−1): spreads one key's load over N partitions at the price of its order; used only where a finding shows a hot key.",
            "",
            "## Consequences",
            keyFindings.isEmpty
                ? "- The review raises no key finding for this design." : "- Findings to act on:",
        ] + keyFindings.map { "  - `\($0.code)` on `\($0.subject)`: \($0.message). \($0.fix)" } + [
            "- Check real keys before go-live: `kafka-architect keys <sample file> --partitions <n>` (or `--bootstrap` on a live topic) reports the spread and the hottest keys with error bounds."
        ]
    }

    static func exactlyOnce(_ c: Context) -> [String] {
        let producers = c.r.clientConfigs.filter { $0.role != .consumer && $0.guarantee == .exactlyOnce }
        let consumers = c.d.services.filter { s in s.consumes.contains { $0.guarantee == .exactlyOnce } }
        let external = c.r.findings.filter { $0.code.hasPrefix("exactly-once") }
        return [
            "# ADR 0002: Exactly-once boundaries — \(c.r.name)", "",
            "Status: proposed (generated from the architecture file).", "",
            "## Context",
            "Kafka transactions make a consume-process-produce step atomic: the outputs and the consumed offsets commit together, and `read_committed` consumers never see aborted records. They cover nothing outside Kafka.",
            "",
            "## Decision",
            producers.isEmpty
                ? "- No service writes transactionally: every producer is idempotent (`enable.idempotence=true`, `acks=all`), which removes duplicates from retries but not from reprocessing."
                : "- Transactional writers: " + producers.map { "`\($0.service)`" }.joined(separator: ", ")
                    + ". Each instance has its own `transactional.id` (`<service>-tx-${HOSTNAME}`, stable across restarts, StatefulSet ordinals under Kubernetes; Streams applications use their `application.id`), `transaction.timeout.ms` 60 s and `delivery.timeout.ms` within it.",
            consumers.isEmpty
                ? "- No consumer reads exactly-once."
                : "- Consumers inside the boundary: " + consumers.map { "`\($0.name)`" }.joined(separator: ", ") + ".",
            "- Every consumer reads `read_committed` when the design has any transactional writer: a topic may gain one later, and `read_committed` costs nothing on a non-transactional topic.",
            "- Outside the boundary (databases, e-mail, payment networks): at-least-once with idempotent handling, or retry and dead-letter topics where handling is not idempotent.",
            "",
            "## Alternatives considered",
            "- **At-least-once everywhere with idempotent consumers** (deduplicate by a record id): no transaction cost, but every consumer must keep a deduplication store.",
            "- **Transactional outbox** for effects outside Kafka: the service writes its state and the event in one database transaction, and a relay publishes the event; needed where a database write and an event must agree.",
            "",
            "## Consequences",
            "- A hanging transaction stalls `read_committed` consumers: the `HangingTransaction_*` alerts and `runbooks/hanging-transactions.md` cover it.",
            "- Each transaction commit adds a round trip to the transaction coordinator: commit every 100 ms–1 s, not per record.",
        ] + external.map { "- `\($0.code)` on `\($0.subject)`: \($0.message). \($0.fix)" }
    }

    static func tenancy(_ c: Context) -> [String] {
        var rows: [String] = []
        for q in c.r.quotas {
            let own = c.main.filter { $0.tenant == q.tenant }.map(\.name)
            rows.append(
                "| \(q.tenant) | `\(q.principal)` | \(q.producerByteRate.map { Format.value($0, .bytesPerSecond) } ?? "—") | \(q.consumerByteRate.map { Format.value($0, .bytesPerSecond) } ?? "—") | \(q.shareOf) | \(own.map { "`\($0)`" }.joined(separator: ", ")) |"
            )
        }
        let findings = c.r.findings.filter { ["tenant-quota-throttles", "cross-tenant-access"].contains($0.code) }
        return [
            "# ADR 0003: Tenancy — \(c.r.name)", "", "Status: proposed (generated from the architecture file).", "",
            "## Context",
            c.d.tenants.isEmpty
                ? "The design has no tenants: every service is trusted alike, with least-privilege ACLs per service."
                : "Tenants: " + c.d.tenants.map { "\($0.name) (prefix `\($0.prefix)`)" }.joined(separator: ", ")
                    + ". Kafka enforces quotas per user (or client id) and per broker; no quota is shared across principals.",
            "",
            "## Decision",
            "- One shared cluster; each tenant's principals administer its prefix (prefixed ACLs on its topics and groups), its services' groups and transactional ids carry the prefix, and services get literal ACLs for exactly what they read and write (prefixed only for their own transactional ids and Streams internal topics).",
            rows.isEmpty
                ? "- No quotas." : "- Quotas: each tenant's budget is split evenly between its principals, per broker:",
        ]
            + (rows.isEmpty
                ? []
                : [
                    "", "| Tenant | Principal | Produce | Fetch | Sharing the budget | Tenant topics |",
                    "|---|---|---:|---:|---:|---|",
                ] + rows) + [
                "",
                "## Alternatives considered",
                "- **A cluster per tenant**: full isolation, at the cost of at least \(c.a.policy.replicationFactor) brokers and 3 controllers each (this design's brokers cost \(Format.grouped(c.r.plan.cost.monthlyUSD / Double(max(1, c.r.plan.brokers)), decimals: 0)) USD/month each).",
                "- **Client-id quotas**: easier to set, but a client id is self-declared; user (principal) quotas cannot be evaded.",
                "",
                "## Consequences",
            ]
            + (findings.isEmpty
                ? ["- The review raises no tenancy finding."]
                : findings.map { "- `\($0.code)` on `\($0.subject)`: \($0.message). \($0.fix)" })
    }

    // Long because: one decision record's sections, one line each.
    static func retention(_ c: Context) -> [String] {
        let s = c.r.plan.storage
        var rows: [String] = []
        for t in c.main {
            let ms = t.config("retention.ms").flatMap { Double($0) }
            let kept =
                t.config("cleanup.policy") == "compact"
                ? "compacted" : ms.map { $0 < 0 ? "forever" : Format.duration($0 / 1000) } ?? "—"
            let local =
                t.config("local.retention.ms").flatMap { Double($0) }.map { Format.duration($0 / 1000) } ?? "all"
            let plan = c.r.plan.topics.first { $0.name == t.name }
            rows.append(
                "| `\(t.name)` | \(kept) | \(t.config("remote.storage.enable") == "true" ? "tiered" : "local") | \(local) | \(plan.map { Format.value($0.retainedBytesPerReplica, .bytes) } ?? "—") |"
            )
        }
        let tiered = c.a.environment.tieredStorage
        return [
            "# ADR 0004: Retention and tiering — \(c.r.name)", "",
            "Status: proposed (generated from the architecture file).", "",
            "## Context",
            "Retention decides how far consumers can replay and how much disk the brokers need; tiered storage (KIP-405) moves closed segments to object storage so broker disks hold only the newest part.",
            "",
            "## Decision", "",
            "| Topic | Kept | Where | On broker disks | Retained per replica |", "|---|---|---|---|---:|",
        ] + rows + [
            "",
            tiered.map {
                "- Tiered storage: topics keeping more than \(Format.duration($0.localRetentionSeconds)) are tiered; compacted topics cannot be (KIP-405) and stay on broker disks."
            }
                ?? "- No tiered storage: brokers hold all retained data.",
            "- Broker disks: \(Format.value(s.localBytes, .bytes)) in all (\(Format.value(s.perBrokerBytes, .bytes)) per broker on \(c.r.plan.brokers) brokers, with a \(Int((c.a.policy.freeSpaceMargin * 100).rounded()))% free-space margin)\(tiered == nil ? "" : "; object storage: \(Format.value(s.remoteBytes, .bytes)) (one copy)").",
            "",
            "## Alternatives considered",
            tiered == nil
                ? "- **Tiered storage**: broker disks would hold only the local window; worth it when retention is many times the replay window consumers need."
                : "- **Everything on broker disks**: \(Format.value(s.totalBytes, .bytes)) instead of \(Format.value(s.localBytes, .bytes)); replacing a broker then re-replicates all of it.",
            "- **Shorter retention**: less disk, but a consumer down longer than the retention loses records; the default here is at least 7 days or 100 × the lag SLO.",
            "- **Compaction** for state: keeps the latest record per key instead of days of history.",
            "",
            "## Consequences",
            "- Replacing a broker re-replicates \(Format.value(s.perBrokerBytes, .bytes)): about \(Format.duration(RunbookTarget.Context(r: c.r, a: c.a).recoverySeconds)) at what it has spare, network or disk (`runbooks/broker-replacement.md`).",
        ]
            + c.r.findings.filter { ["kept-forever", "pii-kept-forever"].contains($0.code) }.map {
                "- `\($0.code)` on `\($0.subject)`: \($0.message). \($0.fix)"
            }
    }

    /// The plan of the design, exactly as `kafka-architect plan <file> --format markdown` shows it.
    static func capacity(_ c: Context) -> String {
        "<!-- \(Deliverables.header) -->\n"
            + "<!-- The capacity plan of this design: the same as `kafka-architect plan <architecture file> --format markdown`. -->\n"
            + PlanMarkdownRenderer().render(c.r.plan)
    }
}
