import ArchitectBalance
import ArchitectCore
import ArchitectReports
import ArgumentParser
import Foundation

extension KafkaArchitect {
    /// `kafka-architect rebalance`: a reassignment plan that meets Cruise Control's goals in priority order and
    /// moves the least data, with its rollback, throttle and duration. Writes files; changes no cluster.
    struct Rebalance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebalance",
            abstract: "Plan a partition reassignment that balances brokers and moves the least data.",
            discussion: """
                Goals in priority order (Cruise Control's): hard — BrokerRemovalGoal,
                RackAwareGoal, ReplicaCapacityGoal, DiskCapacityGoal, NetworkInbound- and
                NetworkOutboundCapacityGoal; soft — ReplicaDistributionGoal,
                LeaderReplicaDistributionGoal, DiskUsageDistributionGoal,
                TopicReplicaDistributionGoal, LeaderBytesInDistributionGoal. A step for one
                goal is refused if it breaks a goal above it. Leadership changes are used
                where they suffice; data moves only where needed. Sizes come from the
                snapshot's log dirs (without them replicas are balanced by count), rates from
                `cluster snapshot --rate-window`, disk capacity from the log dirs or flags.

                Writes kafka-reassign-partitions.sh JSON with -o, and its rollback beside it
                (reassignment.rollback.json). Executing is left to kafka-reassign-partitions.sh:
                the commands are printed. Formulas: docs/rebalance.md.

                Examples:
                  kafka-architect rebalance --snapshot snapshot.json -o reassignment.json
                  kafka-architect rebalance --bootstrap kafka:9092 --remove-brokers 3 -o drain.json
                  kafka-architect rebalance --snapshot s.json --add-brokers 7:us-east-1a,8:us-east-1b
                  kafka-architect rebalance --snapshot s.json --only-above 85% --disk-capacity 2TB

                Exit codes: 0 a plan that meets every hard goal (or nothing to move); 1 a hard
                goal cannot be met (which and why; the plan is still written); 2 usage or input
                error; 3 cluster unreachable or the snapshot incomplete.
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Plan against this snapshot (from `cluster snapshot`) instead of a live cluster.")
        var snapshot: String?
        @Option(help: "Brokers to add, id[:rack], comma-separated (e.g. 7:us-east-1a,8:us-east-1b).")
        var addBrokers: String?
        @Option(help: "Brokers to drain and remove, comma-separated ids.") var removeBrokers: String?
        @Option(help: "Light mode: move only what brings brokers above this disk use under it (e.g. 85%).")
        var onlyAbove: String?
        @Option(help: "At most this many replica moves.") var maxMoves: Int?
        @Option(help: "Goals to use, in priority order, comma-separated (default: all, Cruise Control's order).")
        var goals: String?
        @Option(help: "Disk for partition data per broker (e.g. 2TB); default from the snapshot's log dirs.")
        var diskCapacity: String?
        @Option(help: "Disk use the capacity goal allows.") var diskThreshold: String = "80%"
        @Option(help: "Network capacity per broker, each way (e.g. 1.25GB/s or 10Gbps).") var networkCapacity: String?
        @Option(help: "Take network (and local disk) capacity from this instance type (see `instances`).")
        var instanceType: String?
        @Option(help: "At most this many replicas per broker.") var maxReplicasPerBroker: Int?
        @Option(
            help:
                "Architecture file: topic sizes and rates where the snapshot has none, and broker capacities from its plan (instance type, volumes)."
        )
        var file: String?
        @Option(help: "Replication throttle to plan with (e.g. 50MB/s); default from the spare bandwidth.")
        var throttle: String?
        @Option(help: "Live only: read sizes and offsets twice, this far apart (e.g. 30s), for byte rates.")
        var rateWindow: String?
        @Option(help: "Output: text or json.") var format: ListingFormat = .text
        @Option(name: [.short, .long], help: "Write the reassignment JSON here (and its rollback beside it).")
        var output: String?
        @Flag(help: "Replace the output files if they exist.") var force = false

        func validate() throws {
            if snapshot == nil && cluster.bootstrap == nil {
                throw ValidationError("give --snapshot FILE, or --bootstrap host:port to read a cluster")
            }
            if snapshot != nil && cluster.bootstrap != nil {
                throw ValidationError("--snapshot and --bootstrap: give one")
            }
            if let maxMoves, maxMoves < 0 { throw ValidationError("--max-moves: must be 0 or more") }
            if rateWindow != nil && snapshot != nil {
                throw ValidationError("--rate-window reads a live cluster: take the snapshot with it instead")
            }
            if let m = maxReplicasPerBroker, m < 1 { throw ValidationError("--max-replicas-per-broker: at least 1") }
            if onlyAbove != nil && goals != nil {
                throw ValidationError("--only-above chooses the goals: not with --goals")
            }
            if let output, !force {
                for path in [output, Self.rollbackPath(output), Self.electionPath(output)]
                where FileManager.default.fileExists(atPath: path) {
                    throw ValidationError("\(path) exists: give --force to replace it, or another -o")
                }
            }
        }

        static func rollbackPath(_ output: String) -> String {
            (output.hasSuffix(".json") ? String(output.dropLast(5)) : output) + ".rollback.json"
        }

        static func electionPath(_ output: String) -> String {
            (output.hasSuffix(".json") ? String(output.dropLast(5)) : output) + ".election.json"
        }

        func run() async throws {
            let options = try RebalanceOptions(self)
            var window: Double? = nil
            if let rateWindow {
                let w = try parseUnit(rateWindow, "--rate-window", UnitParser.duration)
                guard w > 0, w <= 3600 else {
                    throw InputFailure(message: "--rate-window: between 1s and 1h, e.g. 30s")
                }
                window = w
            }
            let s = try await Audit.read(snapshot, cluster, rateWindow: window)
            let model: (state: BalanceState, notes: [String])
            do { model = try BalanceState.from(s, options.request) } catch {
                throw InputFailure(message: error.description)
            }
            var notes = model.notes
            if options.onlyAbove != nil && model.state.brokers.contains(where: { $0.capacity.disk == nil }) {
                throw InputFailure(
                    message:
                        "--only-above: no disk capacity is known for every broker (the snapshot's log dirs give none): give --disk-capacity"
                )
            }
            let result = Rebalancer(goals: options.goals, maxMoves: options.maxMoves).run(model.state)
            if !result.invalid.isEmpty {
                // Never expected: the optimiser only takes valid actions. Refuse to hand over a broken plan.
                throw InputFailure(
                    message: "internal error, no plan written: " + result.invalid.prefix(3).joined(separator: "; "))
            }
            if result.budgetExhausted { notes.append("--max-moves \(options.maxMoves) reached: the plan stops there") }
            let estimate = ReassignmentPlan.throttle(result, given: options.throttle)
            let report = RebalanceReport(
                clusterId: s.clusterId, takenAt: s.takenAt, result: result, throttle: estimate, notes: notes,
                output: output, rollback: output.map(Self.rollbackPath), bootstrap: cluster.bootstrap ?? "$BOOTSTRAP",
                shortfall: RebalanceReport.shortfall(result, options))
            if let output {
                try Terminal.writeAtomically(ReassignmentPlan.json(result.moves), to: output)
                try Terminal.writeAtomically(
                    ReassignmentPlan.json(result.moves, rollback: true), to: Self.rollbackPath(output))
                try Terminal.writeAtomically(ReassignmentPlan.electionJSON(result.moves), to: Self.electionPath(output))
            }
            switch format {
            case .text: Terminal.writeOut(report.text())
            case .json:
                do { Terminal.writeOut(try ReportJSON.encode(report)) } catch {
                    throw InputFailure(message: "cannot encode JSON: \(error)")
                }
            }
            if !s.complete {
                throw ClusterFailure(message: "snapshot incomplete: " + s.missing.joined(separator: "; "))
            }
            if !result.unmetHardGoals.isEmpty { throw ExitCode(ExitStatus.findings) }
        }
    }
}

/// The flags, checked and in the optimiser's terms.
struct RebalanceOptions {
    var request = BalanceRequest()
    var goals: [any BalanceGoal]
    var maxMoves: Int
    var throttle: Double?
    var onlyAbove: Double?
    var diskThreshold: Double

    // Long because: every flag in turn, each checked with an error that names it.
    init(_ c: KafkaArchitect.Rebalance) throws {
        diskThreshold = try parseUnit(c.diskThreshold, "--disk-threshold", UnitParser.fraction)
        guard diskThreshold > 0 && diskThreshold <= 1 else {
            throw InputFailure(message: "--disk-threshold: between 0% and 100% (got \(c.diskThreshold))")
        }
        request.add = try c.addBrokers.map(Self.added) ?? []
        request.remove = try c.removeBrokers.map { try Self.ids($0, "--remove-brokers") } ?? []
        if let f = c.file { try Self.fromFile(f, into: &request) }
        if let i = c.instanceType {
            guard let t = InstanceCatalog.builtIn.instance(named: i) else {
                throw InputFailure(
                    message: "--instance-type: '\(i)' is not in the catalog (see `kafka-architect instances`)")
            }
            request.capacity.networkIn = t.networkBaselineBytesPerSecond
            request.capacity.networkOut = t.networkBaselineBytesPerSecond
            if t.localCapacityBytes > 0 { request.capacity.disk = t.localCapacityBytes }
        }
        func bounded(_ v: Double, _ flag: String, max: Double) throws -> Double {
            guard v.isFinite, v <= max else {
                throw InputFailure(
                    message: "\(flag): at most \(BalanceFormat.bytes(max)) (got \(BalanceFormat.bytes(v)))")
            }
            return v
        }
        if let d = c.diskCapacity {
            request.capacity.disk = try bounded(
                positive(parseUnit(d, "--disk-capacity", UnitParser.bytes), "--disk-capacity"), "--disk-capacity",
                max: 1e18)
            if (request.capacity.disk ?? 0) < 1e6 {
                throw InputFailure(message: "--disk-capacity: at least 1MB (got \(d))")
            }
        }
        if let n = c.networkCapacity {
            let v = try bounded(
                positive(parseUnit(n, "--network-capacity", UnitParser.byteRate), "--network-capacity"),
                "--network-capacity", max: 1e13)
            request.capacity.networkIn = v
            request.capacity.networkOut = v
        }
        request.capacity.maxReplicas = c.maxReplicasPerBroker
        throttle = try c.throttle.map {
            try bounded(
                positive(parseUnit($0, "--throttle", UnitParser.byteRate), "--throttle"), "--throttle", max: 1e13)
        }
        maxMoves = c.maxMoves ?? .max
        if let o = c.onlyAbove {
            let v = try parseUnit(o, "--only-above", UnitParser.fraction)
            guard v > 0 && v <= 1 else { throw InputFailure(message: "--only-above: between 0% and 100% (got \(o))") }
            onlyAbove = v
            goals = Rebalancer.onlyAbove(v)
        } else if let names = c.goals {
            let threshold = diskThreshold
            let chosen: [any BalanceGoal] = try names.split(separator: ",").map { n in
                let name = n.trimmingCharacters(in: .whitespaces)
                guard let g = Rebalancer.goal(named: name, diskThreshold: threshold) else {
                    throw InputFailure(
                        message:
                            "--goals: '\(name)' is not a goal; the goals are \(Rebalancer.goalNames.joined(separator: ", "))"
                    )
                }
                return g
            }
            guard !chosen.isEmpty else {
                throw InputFailure(message: "--goals: give at least one goal, e.g. --goals DiskUsageDistributionGoal")
            }
            // Hard goals always hold (as Cruise Control requires): the ones not named go first, in their order.
            let named = Set(chosen.map(\.name))
            let hard = Rebalancer.defaultGoals(diskThreshold: threshold).filter { $0.hard && !named.contains($0.name) }
            goals = hard + chosen
        } else {
            goals = Rebalancer.defaultGoals(diskThreshold: diskThreshold)
        }
    }

    /// Sizes, rates and capacities from an architecture file's plan (flags given after it override them).
    static func fromFile(_ file: String, into request: inout BalanceRequest) throws {
        let architecture = try ArchitectureInput.load(file)
        let plan: CapacityPlan
        do {
            plan =
                try architecture.design == nil
                ? CapacityPlanner().plan(architecture) : DesignAdvisor.designPlan(architecture)
        } catch { throw InputFailure(message: "\(file): cannot plan it for sizes and capacities: \(error)") }
        for t in plan.topics where t.retainedBytesPerReplica.isFinite {
            request.topicEstimates[t.name] = (t.retainedBytesPerReplica, t.ingressWireBytesPerSecond)
        }
        request.capacity.networkIn = plan.instance.type.networkBaselineBytesPerSecond
        request.capacity.networkOut = plan.instance.type.networkBaselineBytesPerSecond
        let volumes = Double(plan.storage.volumesPerBroker) * plan.storage.volumeSizeBytes
        let disk = volumes > 0 ? volumes : plan.instance.type.localCapacityBytes
        if disk > 0 { request.capacity.disk = disk }
    }

    static func ids(_ text: String, _ flag: String) throws -> [Int32] {
        try text.split(separator: ",").map { part in
            let t = part.trimmingCharacters(in: .whitespaces)
            guard let id = Int32(t), id >= 0 else {
                throw InputFailure(
                    message: "\(flag): '\(t)' is not a broker id (a whole number from 0 to \(Int32.max))")
            }
            return id
        }
    }

    static func added(_ text: String) throws -> [(id: Int32, rack: String?)] {
        try text.split(separator: ",").map { part in
            let pieces = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = pieces.first, let id = Int32(first), id >= 0 else {
                throw InputFailure(message: "--add-brokers: '\(part)' is not id[:rack], e.g. 7:us-east-1a")
            }
            if pieces.count == 2 && pieces[1].isEmpty {
                throw InputFailure(message: "--add-brokers: '\(part)' names an empty rack")
            }
            return (id, pieces.count == 2 ? pieces[1] : nil)
        }
    }
}
