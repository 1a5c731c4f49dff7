// What the broker count means for each broker: its traffic, data, volumes, recovery time and memory.

/// Per-broker figures, unrounded.
struct PerBrokerFigures: Sendable {
    let networkInBytesPerSecond: Double
    let networkOutBytesPerSecond: Double
    let bytes: Double
    let layout: CapacityPlanner.VolumeLayout
    let recoverySeconds: Double
    let replicas: Double
}

extension CapacityPlanner {
    struct VolumeLayout: Sendable {
        var volumes: Int
        var volumeSize: Double
        var volumeThroughput: Double
    }

    /// What a broker's disks can write: local drives at their write rate; gp3 volumes at the throughput
    /// provisioned on them, within the instance's block-storage limit; other block storage at that limit.
    public static func diskWriteCapacity(
        _ storage: StorageType, instance: InstanceType, volumes: Int, volumeThroughput: Double
    ) -> Double {
        switch storage {
        case .localNVMe: return instance.localDiskWriteBytesPerSecond
        case .gp3 where volumeThroughput > 0:
            return min(instance.blockStorageBytesPerSecond, volumeThroughput * Double(volumes))
        default: return instance.blockStorageBytesPerSecond
        }
    }

    /// Records each broker's share of the traffic and data, its volumes and how long it takes to rebuild.
    func perBrokerFigures(_ c: ConstraintContext, brokers n: Double, book: inout FigureBook) -> PerBrokerFigures {
        let peakWire = c.traffic.peakIngressWireBytesPerSecond
        let localBytes = c.storage.localBytes
        let replicas = c.partitions.replicas
        let nic = c.instance.networkBaselineBytesPerSecond
        let brokers = Term("brokers", n, .brokers)
        let (netIn, netOut) = Self.networkFigures(c, brokers: n, book: &book)
        let perBroker = Self.busiestBrokerBytes(localBytes, brokers: n, zones: c.availabilityZones, book: &book)
        let writeAtTarget =
            (peakWire * c.replicationFactor + c.traffic.peakColdDiskReadBytesPerSecond) / n
            / c.targetUtilization
        // A replacement must also refill within the recovery target, beside the live writes.
        let forRecovery = perBroker / c.policy.recoveryTargetSeconds + peakWire * c.replicationFactor / n
        let needed = book.record(
            "storage.perBrokerWriteBytesPerSecond", "Disk throughput to provision per broker",
            max(writeAtTarget, forRecovery), .bytesPerSecond,
            formula:
                "max((peakIngressWire × replicationFactor + peakColdDiskReads) ÷ brokers ÷ targetUtilization, perBrokerBytes ÷ recoveryTarget + peakIngressWire × replicationFactor ÷ brokers)",
            inputs: [
                Term("peakIngressWire", peakWire, .bytesPerSecond),
                Term("replicationFactor", c.replicationFactor, .count),
                Term("peakColdDiskReads", c.traffic.peakColdDiskReadBytesPerSecond, .bytesPerSecond), brokers,
                Term("targetUtilization", c.targetUtilization, .fraction), Term("perBrokerBytes", perBroker, .bytes),
                Term("recoveryTarget", c.policy.recoveryTargetSeconds, .seconds),
            ])
        let layout = volumeLayout(
            perBrokerBytes: perBroker, perBrokerWrite: needed,
            storage: c.environment.storage, instance: c.instance, book: &book)
        // A replacement broker refills over whatever network the live traffic leaves, and writes what it
        // receives to disks that also take the live writes (all it receives at peak): the slower of the
        // two bounds it, never less than 5% of either.
        let spareIn = max(nic - netIn, nic * 0.05)
        let disk = Self.diskWriteCapacity(
            c.environment.storage, instance: c.instance, volumes: layout.volumes,
            volumeThroughput: layout.volumeThroughput)
        let liveWrites = peakWire * c.replicationFactor / n
        let spareDisk = max(disk - liveWrites, disk * 0.05)
        let recovery = book.record(
            "storage.brokerRecoverySeconds", "Time to re-replicate a replaced broker",
            perBroker / min(spareIn, spareDisk), .seconds,
            formula:
                "perBrokerBytes ÷ min(max(networkBaseline − networkInPerBroker, 5% × networkBaseline), max(diskWriteCapacity − writesPerBroker, 5% × diskWriteCapacity))",
            inputs: [
                Term("perBrokerBytes", perBroker, .bytes), Term("networkBaseline", nic, .bytesPerSecond),
                Term("networkInPerBroker", netIn, .bytesPerSecond), Term("diskWriteCapacity", disk, .bytesPerSecond),
                Term("writesPerBroker", liveWrites, .bytesPerSecond),
            ])
        let replicasPerBroker = book.record(
            "partitions.replicasPerBroker", "Partition replicas per broker", replicas / n, .count,
            formula: "partitionReplicas ÷ brokers", inputs: [Term("partitionReplicas", replicas, .count), brokers])
        Self.leaderSkew(c.topics, brokers: n, book: &book)
        return PerBrokerFigures(
            networkInBytesPerSecond: netIn, networkOutBytesPerSecond: netOut, bytes: perBroker,
            layout: layout, recoverySeconds: recovery, replicas: replicasPerBroker)
    }

    /// Records how much more producer traffic the busiest broker leads than an even share, when partition
    /// counts do not divide by the brokers: it leads ⌈partitions ÷ brokers⌉ of a topic's partitions, and at
    /// worst the same broker does so for every topic.
    @discardableResult
    static func leaderSkew(_ topics: [TopicPlan], brokers n: Double, book: inout FigureBook) -> Double {
        // A topic ordered across all keys has one partition by design: its leader is not a choice.
        let topics = topics.filter { !$0.globalOrdering }
        let total = topics.reduce(0) { $0 + $1.ingressWireBytesPerSecond }
        let busiest = topics.reduce(0) { sum, t in
            let p = Double(max(1, t.partitions))
            return sum + t.ingressWireBytesPerSecond * (p / n).rounded(.up) / p
        }
        return book.record(
            "partitions.leaderSkew", "Busiest broker's leadership ÷ an even share (worst case)",
            total > 0 ? busiest * n / total : 1, .ratio,
            formula: "Σ topics ingressWire × ⌈partitions ÷ brokers⌉ ÷ partitions × brokers ÷ Σ topics ingressWire",
            inputs: topics.map { Term("\($0.name) partitions", Double($0.partitions), .count) } + [
                Term("brokers", n, .brokers)
            ])
    }

    /// Records each broker's share of the network at peak, in and out.
    static func networkFigures(_ c: ConstraintContext, brokers n: Double, book: inout FigureBook) -> (Double, Double) {
        let peakWire = c.traffic.peakIngressWireBytesPerSecond
        let peakReplication = c.traffic.peakReplicationBytesPerSecond
        let peakEgress = c.traffic.peakEgressBytesPerSecond
        let remote = c.traffic.peakRemoteReadBytesPerSecond
        let upload = c.traffic.peakTieredUploadBytesPerSecond
        let tiered = c.environment.tieredStorage != nil
        let brokers = Term("brokers", n, .brokers)
        let netIn = book.record(
            "throughput.networkInPerBrokerBytesPerSecond", "Network in per broker (peak)",
            (peakWire + peakReplication + remote) / n, .bytesPerSecond,
            formula: tiered
                ? "(peakIngressWireBytesPerSecond + peakReplicationBytesPerSecond + peakRemoteReads) ÷ brokers"
                : "(peakIngressWireBytesPerSecond + peakReplicationBytesPerSecond) ÷ brokers",
            inputs: [
                Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond),
                Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond),
            ] + (tiered ? [Term("peakRemoteReads", remote, .bytesPerSecond)] : []) + [brokers])
        let netOut = book.record(
            "throughput.networkOutPerBrokerBytesPerSecond", "Network out per broker (peak)",
            (peakEgress + peakReplication + upload) / n, .bytesPerSecond,
            formula: tiered
                ? "(peakEgressBytesPerSecond + peakReplicationBytesPerSecond + peakTieredUploads) ÷ brokers"
                : "(peakEgressBytesPerSecond + peakReplicationBytesPerSecond) ÷ brokers",
            inputs: [
                Term("peakEgressBytesPerSecond", peakEgress, .bytesPerSecond),
                Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond),
            ] + (tiered ? [Term("peakTieredUploads", upload, .bytesPerSecond)] : []) + [brokers])
        return (netIn, netOut)
    }

    /// Records the data on the fullest broker. Rack-aware assignment gives every zone the same share of the
    /// replicas, whatever its broker count, so when the brokers do not divide by the zones the brokers of the
    /// smallest zone hold more than the average: localBytes ÷ zones ÷ ⌊brokers ÷ zones⌋.
    static func busiestBrokerBytes(_ localBytes: Double, brokers n: Double, zones: Double, book: inout FigureBook)
        -> Double
    {
        let z = min(zones, n)
        let smallestZone = (n / z).rounded(.down)
        let inputs = [Term("localBytes", localBytes, .bytes), Term("brokers", n, .brokers)]
        if n.truncatingRemainder(dividingBy: z) == 0 {
            return book.record(
                "storage.perBrokerBytes", "Disk per broker", localBytes / n, .bytes,
                formula: "localBytes ÷ brokers", inputs: inputs)
        }
        return book.record(
            "storage.perBrokerBytes", "Disk on the fullest broker (zones hold unequal brokers)",
            localBytes / z / smallestZone, .bytes,
            formula: "localBytes ÷ zones ÷ ⌊brokers ÷ zones⌋ (each zone holds an equal share of the replicas)",
            inputs: inputs + [Term("zones", z, .count)])
    }

    /// Records the instance's own NVMe drives as the broker's volumes.
    func localDriveLayout(_ instance: InstanceType, book: inout FigureBook) -> VolumeLayout {
        let count = instance.localDisks.count
        book.record(
            "storage.volumesPerBroker", "Local NVMe drives per broker", Double(count), .count,
            formula: "the instance's drives",
            inputs: [Term("localNVMeCapacity", instance.localCapacityBytes, .bytes)])
        book.record(
            "storage.volumeSizeBytes", "Drive size", instance.localDisks.first ?? 0, .bytes,
            formula: "the instance's drive size", inputs: [])
        return VolumeLayout(volumes: count, volumeSize: instance.localDisks.first ?? 0, volumeThroughput: 0)
    }

    /// Records the volumes each broker needs: local NVMe brings its own drives; block storage takes enough
    /// volumes for the data and, on gp3 and st1, for the write rate.
    func volumeLayout(
        perBrokerBytes: Double, perBrokerWrite: Double, storage: StorageType, instance: InstanceType,
        book: inout FigureBook
    ) -> VolumeLayout {
        let prices = catalog.prices
        if storage == .localNVMe { return localDriveLayout(instance, book: &book) }
        let maxVolume = prices.maxVolumeBytes
        let perVolumeThroughputCap: Double? =
            switch storage {
            case .gp3: prices.gp3MaxThroughput
            case .st1: prices.st1MaxThroughput
            default: nil
            }
        let bySize = ceilInt(perBrokerBytes / maxVolume)
        let byThroughput = perVolumeThroughputCap.map { ceilInt(perBrokerWrite / $0) } ?? 1
        let msk = catalog.deployment == .msk
        let volumes = Int(
            book.record(
                "storage.volumesPerBroker", "Volumes per broker", msk ? 1 : Double(max(1, bySize, byThroughput)),
                .count,
                formula: msk
                    ? "1: Amazon MSK gives each broker one volume, of at most maxVolumeSize"
                    : "max(1, ⌈perBrokerBytes ÷ maxVolumeSize⌉, ⌈perBrokerWrite ÷ maxVolumeThroughput⌉)",
                inputs: [
                    Term("perBrokerBytes", perBrokerBytes, .bytes), Term("maxVolumeSize", maxVolume, .bytes),
                    Term("perBrokerWrite", perBrokerWrite, .bytesPerSecond),
                    Term("maxVolumeThroughput", perVolumeThroughputCap ?? 0, .bytesPerSecond),
                ]))
        var size = perBrokerBytes / Double(volumes)
        var throughput = 0.0
        if storage == .st1 {
            // st1 throughput grows with size: provision enough TiB for the write rate.
            let forThroughput = perBrokerWrite / Double(volumes) / prices.st1ThroughputPerTiB * 1_099_511_627_776
            size = max(size, forThroughput, 125 * Self.gib)
        }
        if storage == .gp3 {
            throughput = gp3Throughput(
                perBrokerWrite: perBrokerWrite, volumes: volumes, instance: instance, msk: msk, book: &book)
        }
        size = max(size, Self.gib)
        book.record(
            "storage.volumeSizeBytes", "Volume size", size, .bytes,
            formula: storage == .st1
                ? "max(perBrokerBytes ÷ volumes, write rate ÷ 40 MiB/s per TiB, 125 GiB)"
                : "max(perBrokerBytes ÷ volumes, 1 GiB)",
            inputs: [Term("perBrokerBytes", perBrokerBytes, .bytes), Term("volumes", Double(volumes), .count)])
        return VolumeLayout(volumes: volumes, volumeSize: size, volumeThroughput: throughput)
    }

    /// Records the gp3 (or MSK storage) throughput to provision on each volume: never more than the volume or
    /// the instance can use, never less than the volume includes.
    func gp3Throughput(
        perBrokerWrite: Double, volumes: Int, instance: InstanceType, msk: Bool, book: inout FigureBook
    ) -> Double {
        let prices = catalog.prices
        let perVolume = perBrokerWrite / Double(volumes)
        let ceiling = min(prices.gp3MaxThroughput, instance.blockStorageBytesPerSecond)
        return book.record(
            "storage.volumeThroughputBytesPerSecond",
            msk ? "Storage throughput to provision per broker" : "gp3 throughput to provision per volume",
            max(prices.gp3IncludedThroughput, min(ceiling, perVolume)), .bytesPerSecond,
            formula:
                "max(includedThroughput, min(maxVolumeThroughput, instanceStorageLimit, perBrokerWrite ÷ volumes))",
            inputs: [
                Term("includedThroughput", prices.gp3IncludedThroughput, .bytesPerSecond),
                Term("maxVolumeThroughput", prices.gp3MaxThroughput, .bytesPerSecond),
                Term("instanceStorageLimit", instance.blockStorageBytesPerSecond, .bytesPerSecond),
                Term("perBrokerWrite", perBrokerWrite, .bytesPerSecond), Term("volumes", Double(volumes), .count),
            ])
    }

    /// Records memory: a modest heap, the rest is page cache that serves consumers reading the tail.
    static func memoryFigures(_ c: ConstraintContext, brokers n: Double, book: inout FigureBook) -> Memory {
        let mem = c.instance.memoryBytes
        let heap = book.record(
            "memory.heapBytes", "JVM heap", min(Self.maxHeapBytes, max(Self.minHeapBytes, 0.25 * mem)), .memoryBytes,
            formula: "min(6 GiB, max(1 GiB, 25% × memory))", inputs: [Term("memory", mem, .memoryBytes)])
        let pageCache = book.record(
            "memory.pageCacheBytes", "Page cache", max(0, mem - heap - Self.osReserveBytes), .memoryBytes,
            formula: "memory − heap − 1 GiB operating-system reserve",
            inputs: [Term("memory", mem, .memoryBytes), Term("heap", heap, .memoryBytes)])
        let wire = c.traffic.ingressWireBytesPerSecond
        let rf = c.replicationFactor
        let writesPerBroker = wire * rf / n
        let cacheSeconds = book.record(
            "memory.pageCacheSeconds", "Newest writes held in page cache",
            writesPerBroker > 0 ? pageCache / writesPerBroker : 0, .seconds,
            formula: "pageCacheBytes ÷ (ingressWireBytesPerSecond × replicationFactor ÷ brokers)",
            inputs: [
                Term("pageCacheBytes", pageCache, .memoryBytes),
                Term("ingressWireBytesPerSecond", wire, .bytesPerSecond),
                Term("replicationFactor", rf, .count), Term("brokers", n, .brokers),
            ])
        return Memory(
            heapBytes: FigureBook.tidy(heap, .bytes), pageCacheBytes: FigureBook.tidy(pageCache, .bytes),
            pageCacheSeconds: FigureBook.tidy(cacheSeconds, .seconds))
    }
}

extension Throughput {
    /// The plan's throughput section: the figures' values, tidied as the FigureBook shows them.
    init(_ t: TrafficFigures, perBroker p: PerBrokerFigures) {
        func tidy(_ v: Double) -> Double { FigureBook.tidy(v, .bytesPerSecond) }
        self.init(
            ingressMessagesPerSecond: FigureBook.tidy(t.ingressMessagesPerSecond, .messagesPerSecond),
            peakIngressMessagesPerSecond: FigureBook.tidy(t.peakIngressMessagesPerSecond, .messagesPerSecond),
            ingressBytesPerSecond: tidy(t.ingressBytesPerSecond),
            peakIngressBytesPerSecond: tidy(t.peakIngressBytesPerSecond),
            ingressWireBytesPerSecond: tidy(t.ingressWireBytesPerSecond),
            peakIngressWireBytesPerSecond: tidy(t.peakIngressWireBytesPerSecond),
            replicationBytesPerSecond: tidy(t.replicationBytesPerSecond),
            peakReplicationBytesPerSecond: tidy(t.peakReplicationBytesPerSecond),
            egressBytesPerSecond: tidy(t.egressBytesPerSecond),
            peakEgressBytesPerSecond: tidy(t.peakEgressBytesPerSecond),
            networkInPerBrokerBytesPerSecond: tidy(p.networkInBytesPerSecond),
            networkOutPerBrokerBytesPerSecond: tidy(p.networkOutBytesPerSecond))
    }
}

extension Storage {
    /// The plan's storage section: the figures' values, tidied as the FigureBook shows them.
    init(_ s: StorageFigures, perBroker p: PerBrokerFigures) {
        func tidy(_ v: Double) -> Double { FigureBook.tidy(v, .bytes) }
        self.init(
            dailyIngressBytes: tidy(s.dailyIngressBytes), retainedBytes: tidy(s.retainedBytes),
            totalBytes: tidy(s.totalBytes), localBytes: tidy(s.localBytes), remoteBytes: tidy(s.remoteBytes),
            perBrokerBytes: tidy(p.bytes),
            volumesPerBroker: p.layout.volumes, volumeSizeBytes: tidy(p.layout.volumeSize),
            volumeThroughputBytesPerSecond: FigureBook.tidy(p.layout.volumeThroughput, .bytesPerSecond),
            brokerRecoverySeconds: FigureBook.tidy(p.recoverySeconds, .seconds))
    }
}
