// THE PRICE FILE. Every price and machine specification the planner uses lives here, dated and sourced.
// To update: change the figures and `asOf` together, and say where they came from in `source`.
//
// Columns: name, vCPUs, memory GiB, network baseline Gbps (sustained, not "up to"),
// EBS baseline Mbps, on-demand USD/hour (Linux, us-east-1), local NVMe drives (GB each),
// local NVMe 4 KiB random-write IOPS (all drives; × 4 KiB gives a conservative write throughput).

extension InstanceCatalog {
    /// AWS us-east-1, on-demand Linux prices.
    public static let builtIn = InstanceCatalog(
        provider: "aws",
        region: "us-east-1",
        asOf: "2026-11-21",
        source:
            "Instance prices: AWS Price List API for us-east-1 Linux shared-tenancy on-demand, as published in aws/karpenter-provider-aws zz_generated.pricing_aws.go (generated 2026-07-20); network baselines and EBS bandwidth: Amazon EC2 User Guide (instance-type network and EBS-optimized tables); EBS, S3 and inter-zone transfer: aws.amazon.com/ebs/pricing, aws.amazon.com/s3/pricing, aws.amazon.com/ec2/pricing/on-demand (data transfer)",
        instances: [
            // m5: general purpose, Intel Xeon Platinum 8000
            aws("m5.large", 2, 8, 0.75, 650, 0.096),
            aws("m5.xlarge", 4, 16, 1.25, 1150, 0.192),
            aws("m5.2xlarge", 8, 32, 2.5, 2300, 0.384),
            aws("m5.4xlarge", 16, 64, 5, 4750, 0.768),
            aws("m5.8xlarge", 32, 128, 10, 6800, 1.536),
            aws("m5.12xlarge", 48, 192, 12, 9500, 2.304),
            aws("m5.16xlarge", 64, 256, 20, 13600, 3.072),
            aws("m5.24xlarge", 96, 384, 25, 19000, 4.608),
            // m6i: general purpose, 3rd-generation Intel Xeon
            aws("m6i.large", 2, 8, 0.781, 650, 0.096),
            aws("m6i.xlarge", 4, 16, 1.562, 1250, 0.192),
            aws("m6i.2xlarge", 8, 32, 3.125, 2500, 0.384),
            aws("m6i.4xlarge", 16, 64, 6.25, 5000, 0.768),
            aws("m6i.8xlarge", 32, 128, 12.5, 10000, 1.536),
            aws("m6i.12xlarge", 48, 192, 18.75, 15000, 2.304),
            aws("m6i.16xlarge", 64, 256, 25, 20000, 3.072),
            aws("m6i.24xlarge", 96, 384, 37.5, 30000, 4.608),
            aws("m6i.32xlarge", 128, 512, 50, 40000, 6.144),
            // m7g: general purpose, AWS Graviton3
            aws("m7g.large", 2, 8, 0.937, 630, 0.0816),
            aws("m7g.xlarge", 4, 16, 1.876, 1250, 0.1632),
            aws("m7g.2xlarge", 8, 32, 3.75, 2500, 0.3264),
            aws("m7g.4xlarge", 16, 64, 7.5, 5000, 0.6528),
            aws("m7g.8xlarge", 32, 128, 15, 10000, 1.3056),
            aws("m7g.12xlarge", 48, 192, 22.5, 15000, 1.9584),
            aws("m7g.16xlarge", 64, 256, 30, 20000, 2.6112),
            // r6i: memory optimised, 3rd-generation Intel Xeon
            aws("r6i.large", 2, 16, 0.781, 650, 0.126),
            aws("r6i.xlarge", 4, 32, 1.562, 1250, 0.252),
            aws("r6i.2xlarge", 8, 64, 3.125, 2500, 0.504),
            aws("r6i.4xlarge", 16, 128, 6.25, 5000, 1.008),
            aws("r6i.8xlarge", 32, 256, 12.5, 10000, 2.016),
            aws("r6i.12xlarge", 48, 384, 18.75, 15000, 3.024),
            aws("r6i.16xlarge", 64, 512, 25, 20000, 4.032),
            aws("r6i.24xlarge", 96, 768, 37.5, 30000, 6.048),
            aws("r6i.32xlarge", 128, 1024, 50, 40000, 8.064),
            // i3en: storage optimised, dense local NVMe
            aws("i3en.large", 2, 16, 2.1, 576, 0.226, disks: [1250], iops: 42_500),
            aws("i3en.xlarge", 4, 32, 4.2, 1153, 0.452, disks: [2500], iops: 85_000),
            aws("i3en.2xlarge", 8, 64, 8.4, 2307, 0.904, disks: [2500, 2500], iops: 170_000),
            aws("i3en.3xlarge", 12, 96, 12.5, 3800, 1.356, disks: [7500], iops: 255_000),
            aws("i3en.6xlarge", 24, 192, 25, 4750, 2.712, disks: [7500, 7500], iops: 510_000),
            aws("i3en.12xlarge", 48, 384, 50, 9500, 5.424, disks: [7500, 7500, 7500, 7500], iops: 1_000_000),
            aws("i3en.24xlarge", 96, 768, 100, 19000, 10.848, disks: Array(repeating: 7500, count: 8), iops: 2_000_000),
            // i4i: storage optimised, Nitro SSD
            aws("i4i.large", 2, 16, 0.781, 625, 0.172, disks: [468], iops: 35_000),
            aws("i4i.xlarge", 4, 32, 1.875, 1250, 0.343, disks: [937], iops: 70_000),
            aws("i4i.2xlarge", 8, 64, 4.687, 2500, 0.686, disks: [1875], iops: 140_000),
            aws("i4i.4xlarge", 16, 128, 9.375, 5000, 1.373, disks: [3750], iops: 280_000),
            aws("i4i.8xlarge", 32, 256, 18.75, 10000, 2.746, disks: [3750, 3750], iops: 560_000),
            aws("i4i.12xlarge", 48, 384, 28.125, 15000, 4.118, disks: [3750, 3750, 3750], iops: 840_000),
            aws("i4i.16xlarge", 64, 512, 37.5, 20000, 5.491, disks: Array(repeating: 3750, count: 4), iops: 1_120_000),
            aws(
                "i4i.24xlarge", 96, 768, 56.25, 30000, 8.2368, disks: Array(repeating: 3750, count: 6), iops: 1_680_000),
            aws(
                "i4i.32xlarge", 128, 1024, 75, 40000, 10.9824, disks: Array(repeating: 3750, count: 8), iops: 2_240_000),
        ],
        prices: StoragePrices(
            blockStoragePerGiBMonth: [.gp3: 0.08, .gp2: 0.10, .st1: 0.045, .io2: 0.125],
            gp3IncludedThroughput: 125 * 1_048_576,
            gp3ExtraThroughputPerMBpsMonth: 0.04,
            gp3MaxThroughput: 2000 * 1_048_576,
            st1ThroughputPerTiB: 40 * 1_048_576,
            st1MaxThroughput: 500 * 1_048_576,
            maxVolumeBytes: 16 * 1_099_511_627_776,
            objectStoragePerGiBMonth: 0.023,
            crossZonePerGiB: 0.02
        )
    )

    private static func aws(
        _ name: String, _ vcpus: Int, _ memoryGiB: Double, _ networkGbps: Double, _ ebsMbps: Double,
        _ hourly: Double, disks: [Double] = [], iops: Double = 0
    ) -> InstanceType {
        InstanceType(
            name: name, vcpus: vcpus, memoryBytes: memoryGiB * 1_073_741_824,
            networkBaselineBytesPerSecond: networkGbps * 1e9 / 8,
            blockStorageBytesPerSecond: ebsMbps * 1e6 / 8,
            localDisks: disks.map { $0 * 1e9 },
            localDiskWriteBytesPerSecond: iops * 4096,
            hourlyUSD: hourly
        )
    }
}
