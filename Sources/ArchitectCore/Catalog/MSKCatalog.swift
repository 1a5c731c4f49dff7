// THE MSK PRICE FILE. Amazon MSK provisioned (Standard brokers), us-east-1, dated and sourced like the EC2 one.
//
// Columns as in AWSCatalog.swift, with one difference: the block-storage column is what one broker's storage
// can sustain on MSK — its EBS baseline, capped at the 250 MiB/s a volume gives without provisioned storage
// throughput, or at the provisioned-throughput maximum where MSK offers it (kafka.m5.4xlarge and larger,
// kafka.m7g.4xlarge and larger; AWS's pages disagree on kafka.m7g.2xlarge, so it is treated as not eligible).

extension InstanceCatalog {
    /// Amazon MSK, us-east-1, on-demand broker hours. MSK offers no reserved or savings-plan pricing.
    public static let msk: InstanceCatalog = {
        var c = InstanceCatalog(
            provider: "aws", deployment: .msk, region: "us-east-1", asOf: "2026-12-01",
            source:
                "Broker-hour, storage ($0.10/GB-month) and provisioned storage throughput ($0.08 per MB/s-month) prices: the constants of AWS's own MSK sizing script (aws/agent-toolkit-for-aws managing-amazon-msk/scripts/msk_sizing.py, d6ad2e4, 2026-06-23, 'ALL PRICING IN THIS FILE IS BASED ON us-east-1'); provisioned throughput maxima: MSK developer guide, msk-provision-throughput-management; partitions per broker: MSK best practices, 'Right-size your cluster: Number of partitions per Standard broker' (the same on KRaft, kraft-intro); 16 TiB per broker: MSK quotas; replication between brokers is not charged: aws.amazon.com/msk/pricing; client traffic across zones at EC2's $0.01/GB each way",
            instances: [
                msk("kafka.m5.large", 2, 8, 0.75, 81.25e6, 0.21),
                msk("kafka.m5.xlarge", 4, 16, 1.25, 143.75e6, 0.42),
                msk("kafka.m5.2xlarge", 8, 32, 2.5, volumeDefault, 0.84),
                msk("kafka.m5.4xlarge", 16, 64, 5, 593.75e6, 1.68),
                msk("kafka.m5.8xlarge", 32, 128, 10, 850e6, 3.36),
                msk("kafka.m5.12xlarge", 48, 192, 12, mib1000, 5.04),
                msk("kafka.m5.16xlarge", 64, 256, 20, mib1000, 6.72),
                msk("kafka.m5.24xlarge", 96, 384, 25, mib1000, 10.08),
                msk("kafka.m7g.large", 2, 8, 0.937, 78.75e6, 0.204),
                msk("kafka.m7g.xlarge", 4, 16, 1.876, 156.25e6, 0.408),
                msk("kafka.m7g.2xlarge", 8, 32, 3.75, volumeDefault, 0.816),
                msk("kafka.m7g.4xlarge", 16, 64, 7.5, 625e6, 1.632),
                msk("kafka.m7g.8xlarge", 32, 128, 15, mib1000, 3.264),
                msk("kafka.m7g.12xlarge", 48, 192, 22.5, mib1000, 4.896),
                msk("kafka.m7g.16xlarge", 64, 256, 30, mib1000, 6.528),
            ],
            prices: StoragePrices(
                blockStoragePerGiBMonth: [.gp3: 0.10],
                gp3IncludedThroughput: volumeDefault,
                gp3ExtraThroughputPerMBpsMonth: 0.08,
                gp3MaxThroughput: mib1000,
                st1ThroughputPerTiB: 0,
                st1MaxThroughput: 0,
                maxVolumeBytes: 16 * 1_099_511_627_776,
                // MSK tiered storage, as the sizing script prices it.
                objectStorageTiers: [PriceTier(sizeGiB: nil, perGiB: 0.023)],
                crossZonePerGiB: 0.02
            ))
        c.storageLimitPerBroker = 16 * 1_099_511_627_776
        c.replicationTransferBilled = false
        return c
    }()

    /// 250 MiB/s: one MSK volume without provisioned storage throughput.
    public static let volumeDefault = 250 * 1_048_576.0
    static let mib1000 = 1000 * 1_048_576.0

    private static func msk(
        _ name: String, _ vcpus: Int, _ memoryGiB: Double, _ networkGbps: Double, _ storageBytesPerSecond: Double,
        _ hourly: Double
    ) -> InstanceType {
        InstanceType(
            name: name, vcpus: vcpus, memoryBytes: memoryGiB * 1_073_741_824,
            networkBaselineBytesPerSecond: networkGbps * 1e9 / 8, blockStorageBytesPerSecond: storageBytesPerSecond,
            hourlyUSD: hourly)
    }

    /// The same machine under the other deployment: `m7g.xlarge` ↔ `kafka.m7g.xlarge`.
    public static func counterpart(of name: String, in deployment: Deployment) -> String {
        switch deployment {
        case .msk: name.hasPrefix("kafka.") ? name : "kafka." + name
        case .ec2: name.hasPrefix("kafka.") ? String(name.dropFirst("kafka.".count)) : name
        }
    }
}
