// The monthly bill: instances, storage, object storage and cross-zone traffic, with and without
// follower fetching.

/// Cost lines as they are recorded: each a `cost.<id>` figure and a row of the plan's cost table.
struct CostLedger {
    private(set) var lines: [CostLine] = []
    /// The lines that do not depend on follower fetching, summed in the order recorded.
    var base: Double { sum ?? 0 }
    private var sum: Double?

    /// Records a line that counts towards `base`.
    @discardableResult
    mutating func add(
        _ id: String, _ item: String, _ value: Double, formula: String, inputs: [Term],
        book: inout FigureBook
    ) -> Double {
        let v = addLine(id, item, value, formula: formula, inputs: inputs, book: &book)
        // The first line starts the sum rather than adding to 0: the same left-to-right sum as the lines.
        sum = sum.map { $0 + v } ?? v
        return v
    }

    /// Records a line kept out of `base` (the consumers' cross-zone traffic, which follower fetching changes).
    mutating func addLine(
        _ id: String, _ item: String, _ value: Double, formula: String, inputs: [Term],
        book: inout FigureBook
    ) -> Double {
        let v = book.record("cost.\(id)", item, value, .usdPerMonth, formula: formula, inputs: inputs)
        lines.append(CostLine(item: item, monthlyUSD: FigureBook.tidy(v, .usdPerMonth), figureId: "cost.\(id)"))
        return v
    }
}

extension CapacityPlanner {
    /// Records every cost line, then the monthly total with the plan's follower-fetching setting and both ways.
    func costs(
        _ a: Architecture, instance: InstanceType, brokers n: Double, layout: VolumeLayout,
        wire: Double, egress: Double, remoteBytes: Double, book: inout FigureBook
    ) -> Cost {
        let env = a.environment
        var ledger = CostLedger()
        instanceCosts(env, instance: instance, brokers: n, ledger: &ledger, book: &book)
        storageCosts(env.storage, brokers: n, layout: layout, remoteBytes: remoteBytes, ledger: &ledger, book: &book)
        let consumer = crossZoneCosts(a, wire: wire, egress: egress, ledger: &ledger, book: &book)
        let base = ledger.base
        let total = book.record(
            "cost.monthlyUSD", "Monthly cost", base + consumer.planned, .usdPerMonth,
            formula: "Σ cost lines", inputs: ledger.lines.map { Term($0.item, $0.monthlyUSD, .usdPerMonth) })
        let with = book.record(
            "cost.withFollowerFetchingMonthlyUSD", "Monthly cost with follower fetching (KIP-392)",
            base + consumer.fromFollowers, .usdPerMonth,
            formula: "other lines + consumer cross-zone traffic read from same-zone followers",
            inputs: [
                Term("otherLines", base, .usdPerMonth),
                Term("consumerCrossZone", consumer.fromFollowers, .usdPerMonth),
            ])
        let without = book.record(
            "cost.withoutFollowerFetchingMonthlyUSD", "Monthly cost without follower fetching",
            base + consumer.fromLeaders, .usdPerMonth,
            formula: "other lines + consumer cross-zone traffic read from leaders",
            inputs: [
                Term("otherLines", base, .usdPerMonth),
                Term("consumerCrossZone", consumer.fromLeaders, .usdPerMonth),
            ])
        return Cost(
            monthlyUSD: FigureBook.tidy(total, .usdPerMonth), lines: ledger.lines,
            withFollowerFetchingMonthlyUSD: FigureBook.tidy(with, .usdPerMonth),
            withoutFollowerFetchingMonthlyUSD: FigureBook.tidy(without, .usdPerMonth),
            followerFetching: env.followerFetching)
    }

    /// Records the broker instances, on demand or at the 3-year commitment's discount, and the KRaft controllers
    /// a self-managed cluster runs beside them.
    func instanceCosts(
        _ env: Environment, instance: InstanceType, brokers n: Double, ledger: inout CostLedger, book: inout FigureBook
    ) {
        let brokers = Term("brokers", n, .brokers)
        let hourly = Term("hourlyPrice", instance.hourlyUSD, .usdPerHour)
        let what = catalog.deployment == .msk ? "MSK brokers" : "Broker instances"
        if env.pricing == .reserved3y {
            let discount = catalog.threeYearDiscount[instance.family]
            ledger.add(
                "instances",
                "\(what) (\(instance.name), \(discount == nil ? "no 3-year rate: on demand" : "3-year commitment"))",
                n * instance.hourlyUSD * (1 - (discount ?? 0)) * Self.hoursPerMonth,
                formula: discount == nil
                    ? "brokers × hourlyPrice × 730 h (no 3-year price for \(instance.family) in the catalog: on demand)"
                    : "brokers × hourlyPrice × (1 − threeYearDiscount) × 730 h",
                inputs: [brokers, hourly] + (discount.map { [Term("threeYearDiscount", $0, .fraction)] } ?? []),
                book: &book)
        } else {
            ledger.add(
                "instances", "\(what) (\(instance.name))", n * instance.hourlyUSD * Self.hoursPerMonth,
                formula: "brokers × hourlyPrice × 730 h", inputs: [brokers, hourly], book: &book)
        }
        guard catalog.deployment == .ec2, env.controller == .kraft, let controller = controllerInstance() else {
            return
        }
        let count = Double(env.controllers)
        let volume = Self.controllerVolumeBytes
        let perGiB = catalog.prices.blockStoragePerGiBMonth[.gp3] ?? 0
        let discount = env.pricing == .reserved3y ? catalog.threeYearDiscount[controller.family] ?? 0 : 0
        ledger.add(
            "controllers", "KRaft controllers (\(env.controllers) × \(controller.name), 64 GiB gp3 each)",
            count * (controller.hourlyUSD * (1 - discount) * Self.hoursPerMonth + volume / Self.gib * perGiB),
            formula:
                "controllers × (hourlyPrice × (1 − commitmentDiscount) × 730 h + 64 GiB × pricePerGiBMonth): dedicated controllers, at least 4 GB of memory and a 64 GB SSD each (Confluent's KRaft sizing)",
            inputs: [
                Term("controllers", count, .count), Term("hourlyPrice", controller.hourlyUSD, .usdPerHour),
                Term("commitmentDiscount", discount, .fraction), Term("pricePerGiBMonth", perGiB, .usdPerGiBMonth),
            ],
            book: &book)
    }

    /// 64 GiB: the metadata log's volume on each controller.
    static let controllerVolumeBytes = 64 * 1_073_741_824.0

    /// The cheapest catalog machine for a dedicated KRaft controller: 2 vCPUs and at least 8 GiB (a 1–2 GiB heap,
    /// the rest page cache for the metadata log), block storage only.
    func controllerInstance() -> InstanceType? {
        catalog.instances.filter { $0.vcpus >= 2 && $0.memoryBytes >= 8 * Self.gib && $0.localDisks.isEmpty }
            .min { ($0.hourlyUSD, $0.name) < ($1.hourlyUSD, $1.name) }
    }

    /// Records block storage (and gp3 throughput beyond the included rate) and tiered storage's object storage.
    func storageCosts(
        _ storage: StorageType, brokers n: Double, layout: VolumeLayout, remoteBytes: Double,
        ledger: inout CostLedger, book: inout FigureBook
    ) {
        let prices = catalog.prices
        let brokers = Term("brokers", n, .brokers)
        let volumes = Term("volumesPerBroker", Double(layout.volumes), .count)
        if storage.isBlockStorage {
            let perGiB = prices.blockStoragePerGiBMonth[storage] ?? 0
            let provisioned = n * Double(layout.volumes) * layout.volumeSize
            ledger.add(
                "blockStorage",
                catalog.deployment == .msk ? "MSK broker storage" : "Block storage (\(storage.rawValue))",
                provisioned / Self.gib * perGiB,
                formula: "brokers × volumesPerBroker × volumeSize ÷ 1 GiB × pricePerGiBMonth",
                inputs: [
                    brokers, volumes, Term("volumeSize", layout.volumeSize, .bytes),
                    Term("pricePerGiBMonth", perGiB, .usdPerGiBMonth),
                ],
                book: &book)
            if storage == .gp3, layout.volumeThroughput > prices.gp3IncludedThroughput {
                let extraMBps = (layout.volumeThroughput - prices.gp3IncludedThroughput) / 1_048_576
                let perMBps = prices.gp3ExtraThroughputPerMBpsMonth
                ledger.add(
                    "blockStorageThroughput",
                    catalog.deployment == .msk ? "MSK provisioned storage throughput" : "gp3 provisioned throughput",
                    n * Double(layout.volumes) * extraMBps * perMBps,
                    formula:
                        "brokers × volumesPerBroker × (volumeThroughput − includedThroughput) ÷ 1 MiB/s × pricePerMiBpsMonth",
                    inputs: [
                        brokers, volumes,
                        Term("volumeThroughput", layout.volumeThroughput, .bytesPerSecond),
                        Term("includedThroughput", prices.gp3IncludedThroughput, .bytesPerSecond),
                        Term("pricePerMiBpsMonth", perMBps, .usdPerMonth),
                    ],
                    book: &book)
            }
        }
        if remoteBytes > 0 {
            let tiers = prices.objectStorageTiers
            let bands = tiers.enumerated().map { i, t in
                Term(
                    t.sizeGiB.map { "tier \(i + 1): next \(Format.grouped($0, decimals: 0)) GiB" }
                        ?? "tier \(i + 1): beyond", t.perGiB, .usdPerGiBMonth)
            }
            ledger.add(
                "objectStorage", "Object storage (tiered segments)",
                PriceTier.price(remoteBytes / Self.gib, tiers: tiers),
                formula: "remoteBytes ÷ 1 GiB priced band by band over the provider's volume tiers",
                inputs: [Term("remoteBytes", remoteBytes, .bytes)] + bands,
                book: &book)
        }
    }

    /// The consumers' cross-zone traffic both ways, and the one the plan's follower-fetching setting pays.
    struct ConsumerCrossZone {
        let fromLeaders: Double
        let fromFollowers: Double
        let planned: Double
    }

    /// How rack-aware assignment spreads one partition's replicas over the zones: one per zone in turn, so
    /// `replicationFactor mod zones` zones hold one more than the others.
    public static func replicaPlacement(replicationFactor rf: Int, zones: Int) -> [Int] {
        let z = max(1, zones)
        return (0..<z).map { rf / z + ($0 < rf % z ? 1 : 0) }.filter { $0 > 0 }
    }

    /// Copies of each record that cross a zone: the leader is any replica with equal chance, so it sits in
    /// zone i with probability nᵢ ÷ RF and then nᵢ − 1 followers share its zone.
    public static func crossZoneCopies(_ placement: [Int]) -> Double {
        let rf = Double(placement.reduce(0, +))
        guard rf > 0 else { return 0 }
        return rf - 1 - placement.reduce(0) { $0 + Double($1 * ($1 - 1)) } / rf
    }

    /// Records cross-zone traffic: producers, leaders and consumers spread evenly over the zones.
    func crossZoneCosts(
        _ a: Architecture, wire: Double, egress: Double,
        ledger: inout CostLedger, book: inout FigureBook
    ) -> ConsumerCrossZone {
        let rf = Double(a.policy.replicationFactor)
        let zones = Double(a.environment.availabilityZones)
        let crossShare = (zones - 1) / zones
        let perGiB = catalog.prices.crossZonePerGiB
        let month = Self.secondsPerMonth
        let wireTerm = Term("ingressWireBytesPerSecond", wire, .bytesPerSecond)
        let egressTerm = Term("egressBytesPerSecond", egress, .bytesPerSecond)
        let zonesTerm = Term("zones", zones, .count)
        let rfTerm = Term("replicationFactor", rf, .count)
        let priceTerm = Term("pricePerGiB", perGiB, .usdPerGiB)
        ledger.add(
            "crossZoneProducer", "Cross-zone traffic: producers to leaders",
            wire * crossShare * month / Self.gib * perGiB,
            formula: "ingressWireBytesPerSecond × (zones − 1) ÷ zones × seconds per month ÷ 1 GiB × pricePerGiB",
            inputs: [wireTerm, zonesTerm, priceTerm], book: &book)
        let placement = Self.replicaPlacement(replicationFactor: a.policy.replicationFactor, zones: Int(zones))
        guard catalog.replicationTransferBilled else {
            ledger.add(
                "crossZoneReplication", "Cross-zone traffic: replication (not charged inside MSK)", 0,
                formula: "0: Amazon MSK does not charge for replication between brokers", inputs: [], book: &book)
            return consumerCrossZone(
                a, egress: egress, egressTerm: egressTerm, zonesTerm: zonesTerm, rfTerm: rfTerm, priceTerm: priceTerm,
                ledger: &ledger, book: &book)
        }
        let remoteCopies = Self.crossZoneCopies(placement)
        let placementText = placement.map(String.init).joined(separator: "+")
        let copies = book.record(
            "cost.crossZoneCopiesPerRecord", "Cross-zone replica copies per record", remoteCopies, .ratio,
            formula:
                "replicationFactor − 1 − Σ nᵢ(nᵢ − 1) ÷ replicationFactor, nᵢ replicas in zone i (\(placementText) over \(Int(zones)) zones)",
            inputs: [rfTerm, zonesTerm])
        ledger.add(
            "crossZoneReplication", "Cross-zone traffic: replication",
            wire * copies * month / Self.gib * perGiB,
            formula: "ingressWireBytesPerSecond × crossZoneCopiesPerRecord × seconds per month ÷ 1 GiB × pricePerGiB",
            inputs: [wireTerm, Term("crossZoneCopiesPerRecord", copies, .ratio), priceTerm], book: &book)
        return consumerCrossZone(
            a, egress: egress, egressTerm: egressTerm, zonesTerm: zonesTerm, rfTerm: rfTerm, priceTerm: priceTerm,
            ledger: &ledger, book: &book)
    }

    /// Records the consumers' cross-zone traffic, from leaders or from same-zone followers (KIP-392).
    func consumerCrossZone(
        _ a: Architecture, egress: Double, egressTerm: Term, zonesTerm: Term, rfTerm: Term, priceTerm: Term,
        ledger: inout CostLedger, book: inout FigureBook
    ) -> ConsumerCrossZone {
        let rf = Double(a.policy.replicationFactor)
        let zones = Double(a.environment.availabilityZones)
        let crossShare = (zones - 1) / zones
        let perGiB = catalog.prices.crossZonePerGiB
        let month = Self.secondsPerMonth
        let fromLeaders = egress * crossShare * month / Self.gib * perGiB
        let fromFollowers = egress * max(0, zones - rf) / zones * month / Self.gib * perGiB
        let planned =
            a.environment.followerFetching
            ? ledger.addLine(
                "crossZoneConsumer", "Cross-zone traffic: consumers (follower fetching)", fromFollowers,
                formula:
                    "egressBytesPerSecond × max(0, zones − replicationFactor) ÷ zones × seconds per month ÷ 1 GiB × pricePerGiB",
                inputs: [egressTerm, zonesTerm, rfTerm, priceTerm], book: &book)
            : ledger.addLine(
                "crossZoneConsumer", "Cross-zone traffic: consumers (from leaders)", fromLeaders,
                formula: "egressBytesPerSecond × (zones − 1) ÷ zones × seconds per month ÷ 1 GiB × pricePerGiB",
                inputs: [egressTerm, zonesTerm, priceTerm], book: &book)
        return ConsumerCrossZone(fromLeaders: fromLeaders, fromFollowers: fromFollowers, planned: planned)
    }
}
