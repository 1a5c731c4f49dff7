import ArchitectCore
import ArchitectFile
import ArchitectReports
import ArgumentParser
import Foundation
import KafkaAdmin
import KafkaClient
import NIOCore

extension KafkaArchitect {
    /// `kafka-architect apply`: makes the cluster what the architecture file (or a reviewed plan) says — a dry
    /// run unless `--execute`; never deletes without `--prune`; never lowers partitions.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Make a cluster's topics, configs, ACLs and quotas what the architecture file says.",
            discussion: """
                Prints the plan (as `diff` does) and changes nothing unless --execute. With
                --plan, applies exactly a plan saved by `diff -o` or `apply -o`, and refuses
                (exit 2) when it was made for another cluster or the resources it touches
                changed since. Order: topics, then ACLs, then quotas; each change reported as
                applied, unconfirmed (the broker answered without a result for it), failed
                (with the broker's error) or skipped (the topic it needs could not be
                created). Deletes only with --prune, listed first. Rules: docs/sync.md.

                Examples:
                  kafka-architect apply architecture.yaml --bootstrap kafka:9092
                  kafka-architect diff architecture.yaml --bootstrap kafka:9092 -o plan.json
                  kafka-architect apply --plan plan.json --bootstrap kafka:9092 --execute

                Exit codes: 0 dry run printed, or every change applied; 1 a change failed,
                was skipped or cannot be made (run again after fixing: what was applied
                is not repeated); 2 usage or input error, a plan for another cluster or a
                stale plan (nothing changed); 3 cluster unreachable or missing an API the
                plan needs (nothing changed).
                """
        )
        @Argument(help: "Architecture file (YAML); not with --plan.") var file: String?
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Apply this saved plan (JSON from `diff -o` or `apply -o`) instead of a file.") var plan: String?
        @Flag(help: "Also delete topics, ACLs and quotas the file does not mention.") var prune = false
        @Flag(help: "Make the changes (without it, a dry run).") var execute = false
        @Option(help: "Output: text or json.") var format: ListingFormat = .text
        @Option(name: [.short, .long], help: "Also write the plan as JSON to this file (atomically).") var output:
            String?

        func validate() throws {
            try cluster.requireBootstrap()
            switch (file, plan) {
            case (nil, nil): throw ValidationError("give an architecture file, or --plan plan.json")
            case (.some, .some): throw ValidationError("give an architecture file or --plan, not both")
            default: break
            }
            if plan != nil && prune {
                throw ValidationError("--prune is fixed when the plan is made: give it to `diff` or `apply FILE`")
            }
        }

        func run() async throws {
            // Inputs first: a bad file or plan touches nothing.
            let desired = try file.map { try ArchitectureInput.loadResources($0).1 }
            let saved = try plan.map { try Self.readPlan($0) }
            let connection = try cluster.connection()
            let admin = connection.admin.bounded(
                by: NIODeadline.now() + TimeAmount.milliseconds(Int64(try cluster.seconds() * 1000)))
            let pool = BrokerPool(bootstrap: connection.addresses, admin: admin)
            let outcome: Result<ApplyReport, any Error>
            do {
                outcome = .success(try await apply(KafkaAdmin(pool: pool), desired: desired, saved: saved))
            } catch { outcome = .failure(error) }
            await pool.close()
            let report = try outcome.get()
            switch format {
            case .text: Terminal.writeOut(Self.text(report))
            case .json:
                do { Terminal.writeOut(try ReportJSON.encode(report)) } catch {
                    throw InputFailure(message: "cannot encode JSON: \(error)")
                }
            }
            if !report.unavailable.isEmpty {
                throw ClusterFailure(
                    message: "the cluster cannot take this plan, nothing changed: "
                        + report.unavailable.joined(separator: "; "))
            }
            if !report.succeeded { throw ExitCode(ExitStatus.findings) }
        }

        func apply(_ admin: KafkaAdmin, desired: DesiredState?, saved: SyncPlan?) async throws -> ApplyReport {
            let snapshot: ArchitectCore.ClusterSnapshot
            do throws(ClusterError) {
                snapshot = try await SnapshotCollector(admin: admin, syncOnly: true).collect()
            } catch {
                throw ClusterFailure(message: error.description)
            }
            if !snapshot.complete {
                throw ClusterFailure(
                    message: "incomplete read of the cluster, nothing changed: "
                        + snapshot.missing.joined(separator: "; "))
            }
            let plan: SyncPlan
            if let saved, let path = self.plan {
                try Self.check(saved, path: path, against: snapshot)
                plan = saved
            } else {
                plan = try Diff.plan(desired ?? DesiredState(), snapshot, prune: prune)
            }
            if let output {
                do { try Terminal.writeAtomically(try ReportJSON.encode(plan), to: output) } catch let e as InputFailure
                {
                    throw e
                } catch { throw InputFailure(message: "cannot encode JSON: \(error)") }
            }
            var report = ApplyReport(plan: plan, executed: execute)
            report.unavailable = try await Self.unavailable(plan, admin)
            guard execute, report.unavailable.isEmpty else {
                report.executed = false
                return report
            }
            report.results = await SyncExecutor(admin: admin).run(plan)
            if let desired, report.results.contains(where: { $0.result == .applied || $0.result == .unconfirmed }) {
                report.readBack = await Self.readBack(desired, admin, prune: plan.prune)
            }
            return report
        }

        /// The cluster read again after the writes and planned once more: what still differs (a broker that
        /// answered without a result, or one that applies asynchronously). A few tries, half a second apart, for
        /// metadata to settle. nil when the read failed.
        static func readBack(_ desired: DesiredState, _ admin: KafkaAdmin, prune: Bool) async -> [String]? {
            var remaining: [String]? = nil
            for attempt in 0..<3 {
                if attempt > 0 { try? await Task.sleep(nanoseconds: 500_000_000) }
                guard let s = try? await SnapshotCollector(admin: admin, syncOnly: true).collect(), s.complete else {
                    continue
                }
                let plan = SyncPlanner(prune: prune).diff(desired, s)
                remaining = plan.changes.filter { $0.action != .cannot }.map {
                    "\($0.resourceType.rawValue) \($0.name)"
                }
                if remaining?.isEmpty == true { break }
            }
            return remaining
        }

        /// The write APIs the plan needs that the cluster does not offer, each with the changes that need it.
        static func unavailable(_ plan: SyncPlan, _ admin: KafkaAdmin) async throws -> [String] {
            var needs: [KafkaAdmin.WriteAPI: [String]] = [:]
            for c in plan.changes {
                guard let op = c.operation else { continue }
                needs[writeAPI(op.kind), default: []].append("\(c.resourceType.rawValue) \(c.name)")
            }
            let missing: [KafkaAdmin.WriteAPI: String]
            do throws(ClusterError) { missing = try await admin.unavailable(Set(needs.keys)) } catch {
                throw ClusterFailure(message: error.description)
            }
            return KafkaAdmin.WriteAPI.allCases.compactMap { api in
                missing[api].map { why in
                    let by = needs[api] ?? []
                    let shown = by.prefix(3).joined(separator: ", ") + (by.count > 3 ? " and \(by.count - 3) more" : "")
                    return "\(api.rawValue): \(why); needed by \(shown)"
                }
            }
        }

        static func writeAPI(_ kind: SyncOperation.Kind) -> KafkaAdmin.WriteAPI {
            switch kind {
            case .createTopic: .createTopics
            case .createPartitions: .createPartitions
            case .setConfig, .resetConfig: .incrementalAlterConfigs
            case .deleteTopic: .deleteTopics
            case .createAcl: .createAcls
            case .deleteAcl: .deleteAcls
            case .setQuota, .removeQuota: .alterClientQuotas
            }
        }

        /// A saved plan, or one line saying what is wrong with the file.
        static func readPlan(_ path: String) throws(InputFailure) -> SyncPlan {
            let data = try Audit.readFile(path)
            let plan: SyncPlan
            do { plan = try JSONDecoder().decode(SyncPlan.self, from: data) } catch let e as DecodingError {
                throw InputFailure(
                    message: "\(path): not a plan written by `diff -o` or `apply -o`: \(Self.describe(e))")
            } catch { throw InputFailure(message: "\(path): not a plan: \(error)") }
            guard plan.planVersion == SyncPlan.currentPlanVersion else {
                throw InputFailure(
                    message:
                        "\(path): plan version \(plan.planVersion); this build reads version \(SyncPlan.currentPlanVersion): make the plan again"
                )
            }
            return plan
        }

        static func describe(_ e: DecodingError) -> String {
            func path(_ c: [any CodingKey]) -> String {
                "$" + c.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            }
            switch e {
            case .keyNotFound(let k, let c): return "\(path(c.codingPath + [k])): missing"
            case .typeMismatch(_, let c), .valueNotFound(_, let c):
                return "\(path(c.codingPath)): \(c.debugDescription)"
            case .dataCorrupted(let c):
                return c.codingPath.isEmpty ? "not valid JSON" : "\(path(c.codingPath)): \(c.debugDescription)"
            @unknown default: return "\(e)"
            }
        }

        /// A plan applies only to the cluster it was made for, as it was then.
        static func check(_ plan: SyncPlan, path: String, against s: ArchitectCore.ClusterSnapshot) throws(InputFailure)
        {
            guard s.clusterId != nil else {
                throw InputFailure(
                    message:
                        "\(path): this cluster reports no cluster id, so a saved plan cannot be checked against it: apply the architecture file instead; nothing changed"
                )
            }
            if plan.clusterId != s.clusterId {
                throw InputFailure(
                    message:
                        "\(path): made for cluster \(plan.clusterId ?? "(no id)"), but this is cluster \(s.clusterId ?? "(no id)"): nothing changed"
                )
            }
            // The digest covers the plan's content: a change edited after review (a value, an operation) is refused.
            if SyncPlan.digest(plan.changes, prune: plan.prune) != plan.changesDigest {
                throw InputFailure(
                    message:
                        "\(path): the plan was edited after it was made (its changes no longer match changesDigest): make it again with `diff -o`; nothing changed"
                )
            }
            // The fingerprint covers the cluster's state, not the plan's content: every operation must be one the
            // plan could have made — on a resource it covers, and a delete only in a --prune plan.
            for c in plan.changes {
                guard let op = c.operation else { continue }
                let deletes = [.deleteTopic, .resetConfig, .deleteAcl, .removeQuota].contains(op.kind)
                if deletes && !plan.prune {
                    throw InputFailure(
                        message:
                            "\(path): change \(c.name) deletes, but the plan was made without --prune: nothing changed")
                }
                let resource: SyncResource.Kind = op.phase == 0 ? .topic : op.phase == 1 ? .acl : .quota
                let name = op.topic ?? op.acl.map(SyncPlanner.aclName) ?? op.quota.map(SyncPlanner.quotaName) ?? ""
                let covered = plan.resources.contains { r in
                    r.kind == resource && r.name == name
                        && (![.setConfig, .resetConfig].contains(op.kind) || r.keys.contains(op.key ?? ""))
                }
                if !covered {
                    throw InputFailure(
                        message:
                            "\(path): change \(c.name) acts on \(resource.rawValue) \(name), which the plan's fingerprint does not cover: the plan was edited; make it again with `diff -o`; nothing changed"
                    )
                }
            }
            let now = SyncPlanner.fingerprint(plan.resources, s)
            if now != plan.fingerprint {
                throw InputFailure(
                    message:
                        "\(path): stale: the resources it touches changed since it was made (fingerprint \(plan.fingerprint), now \(now)): make it again with `diff -o`; nothing changed"
                )
            }
        }

        static func text(_ r: ApplyReport) -> String {
            var out = Diff.text(r.plan)
            let deletes = r.plan.changes.filter { $0.action == .delete }
            if !deletes.isEmpty {
                out +=
                    "Deletes (--prune): \(deletes.map { "\($0.resourceType.rawValue) \($0.name)" }.joined(separator: "; "))\n"
            }
            guard r.executed else {
                if !r.unavailable.isEmpty {
                    out += "Cannot apply (the cluster does not offer what the plan needs):\n"
                    out += r.unavailable.map { "  \(AuditRenderer.clean($0))\n" }.joined()
                } else if !r.plan.inSync {
                    out +=
                        "Dry run: nothing changed. Run again with --execute to apply, or save it with -o plan.json for review and apply --plan plan.json --execute.\n"
                }
                return out
            }
            out += "Applied:\n"
            for x in r.results {
                out +=
                    "  \(x.result.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(x.resourceType.rawValue) \(AuditRenderer.clean(x.name))"
                if let d = x.detail { out += ": \(AuditRenderer.clean(d))" }
                out += "\n"
            }
            let counts = ApplyResult.Outcome.allCases.compactMap { o -> String? in
                let n = r.results.filter { $0.result == o }.count
                return n > 0 ? "\(n) \(o.rawValue)" : nil
            }
            out += "Result: " + (counts.isEmpty ? "nothing to do" : counts.joined(separator: ", ")) + "\n"
            if let back = r.readBack {
                out +=
                    back.isEmpty
                    ? "Read back: the cluster now matches the file.\n"
                    : "Read back: \(back.count) change\(back.count == 1 ? "" : "s") still differ (the broker may apply them later; run diff again): \(back.prefix(5).map(AuditRenderer.clean).joined(separator: "; "))\n"
            }
            return out
        }
    }
}

/// What `apply` printed and did.
struct ApplyReport: Encodable {
    var plan: SyncPlan
    var executed: Bool
    /// Write APIs the plan needs that the cluster does not offer (then nothing is changed, exit 3).
    var unavailable: [String] = []
    var results: [ApplyResult] = []

    /// Every change applied (or, where the broker cannot say, sent) and none refused.
    /// What still differed when the cluster was read back after applying a file (nil: not read back).
    var readBack: [String]? = nil

    var succeeded: Bool {
        if !executed { return true }
        return !plan.changes.contains { $0.action == .cannot }
            && results.allSatisfy { $0.result == .applied || $0.result == .unconfirmed }
            && (readBack?.isEmpty ?? true)
    }
}

struct ApplyResult: Encodable, Equatable {
    enum Outcome: String, Encodable, CaseIterable { case applied, unconfirmed, failed, skipped, refused }
    var action: SyncChange.Action
    var resourceType: SyncChange.Resource
    var name: String
    var result: Outcome
    var detail: String?
}

/// Runs a plan's operations in order — topics, then ACLs, then quotas — one request per change.
struct SyncExecutor {
    let admin: KafkaAdmin

    func run(_ plan: SyncPlan) async -> [ApplyResult] {
        var out: [ApplyResult] = []
        var failedTopics: Set<String> = []
        let ordered = plan.changes.enumerated().sorted {
            ($0.element.operation?.phase ?? 0, $0.offset) < ($1.element.operation?.phase ?? 0, $1.offset)
        }.map(\.element)
        for c in ordered {
            var r = ApplyResult(action: c.action, resourceType: c.resourceType, name: c.name, result: .applied)
            guard let op = c.operation else {
                r.result = .refused
                r.detail = c.reason
                out.append(r)
                continue
            }
            let topic = op.topic ?? (op.acl?.resourceType == "Topic" ? op.acl?.resourceName : nil)
            if let topic, failedTopics.contains(topic) {
                r.result = .skipped
                r.detail = "topic \(topic) could not be created"
                out.append(r)
                continue
            }
            switch await send(op) {
            case .applied: break
            case .unconfirmed(let why):
                r.result = .unconfirmed
                r.detail = why
            case .failed(let why):
                r.result = .failed
                r.detail = why
                // Only a topic that could not be created blocks what follows for it; a refused partition
                // increase does not stop a config change on a topic that exists.
                if op.kind == .createTopic, let t = op.topic { failedTopics.insert(t) }
            }
            out.append(r)
        }
        return out
    }

    func send(_ op: SyncOperation) async -> AdminOutcome {
        switch op.kind {
        case .createTopic:
            return await admin.createTopic(
                name: op.topic ?? "", partitions: op.partitions ?? 0, replicationFactor: op.replicationFactor ?? 0,
                configs: op.configs ?? [:])
        case .createPartitions: return await admin.createPartitions(topic: op.topic ?? "", count: op.partitions ?? 0)
        case .setConfig:
            return await admin.setTopicConfig(topic: op.topic ?? "", key: op.key ?? "", value: op.value ?? "")
        case .resetConfig: return await admin.setTopicConfig(topic: op.topic ?? "", key: op.key ?? "", value: nil)
        case .deleteTopic: return await admin.deleteTopic(op.topic ?? "")
        case .createAcl, .deleteAcl:
            guard let a = op.acl else { return .failed("the plan's ACL is missing") }
            let binding = AclBinding(
                resourceType: a.resourceType, resourceName: a.resourceName, patternType: a.patternType,
                principal: a.principal, host: a.host, operation: a.operation, permission: a.permission)
            return op.kind == .createAcl ? await admin.createAcl(binding) : await admin.deleteAcl(binding)
        case .setQuota, .removeQuota:
            guard let e = op.quota, let key = op.key else { return .failed("the plan's quota is missing") }
            return await admin.setClientQuota(
                entity: Self.entity(e), key: key, value: op.kind == .setQuota ? op.quotaValue ?? 0 : nil)
        }
    }

    /// Kafka's entity types; `<default>` is the default entity (a null name on the wire).
    static func entity(_ e: ArchitectCore.ClusterSnapshot.QuotaEntity) -> [String: String?] {
        var out: [String: String?] = [:]
        func name(_ s: String) -> String? { s == "<default>" ? nil : s }
        if let u = e.user { out["user"] = .some(name(u)) }
        if let c = e.clientId { out["client-id"] = .some(name(c)) }
        if let ip = e.ip { out["ip"] = .some(name(ip)) }
        return out
    }
}
