// THE PRICE FILE. Every price and machine specification the planner uses lives here, dated and sourced.
// To update: change the figures and `asOf` together, and say where they came from in `source`.
//
// Columns: name, vCPUs, memory GiB, network baseline Gbps (sustained, not "up to"),
// EBS baseline Mbps, on-demand USD/hour (Linux, us-east-1), local NVMe drives (GB each),
// local NVMe 4 KiB 100% random-write IOPS (all drives; × 4 KiB gives a conservative write throughput).

extension InstanceCatalog {
    /// AWS us-east-1, on-demand Linux prices.
    public static let builtIn = ec2.withCommitments

    /// 3-year standard reserved (all upfront, spread over the term) against on-demand, per family; m5 and r6i
    /// had no rate in the source, so they have none here.
    private var withCommitments: InstanceCatalog {
        var c = self
        c.threeYearDiscount = [
            "m7g": 0.605, "m6i": 0.605, "r7g": 0.605, "i4i": 0.597, "i4g": 0.597, "i3en": 0.621, "i7ie": 0.621,
            "im4gn": 0.602,
        ]
        return c
    }

    private static let ec2 = InstanceCatalog(
        provider: "aws",
        region: "us-east-1",
        asOf: "2026-11-21",
        source:
            "Instance prices: AWS Price List API for us-east-1 Linux shared-tenancy on-demand, as published in aws/karpenter-provider-aws zz_generated.pricing_aws.go (generated 2026-07-20); network baselines: karpenter-provider-aws zz_generated.bandwidth.go (2026-08-18, the baseline column of the EC2 instance-types guide); EBS bandwidth and instance-store 100% random write IOPS: Amazon EC2 User Guide (awsdocs/amazon-ec2-user-guide e3707c43, storage-optimized and EBS-optimized tables), i7ie write IOPS approximated from Netflix-Skunkworks/service-capacity-modeling auto_i7ie.json (32aef110); 3-year reserved discounts: the AWS Price List API's 3-year standard all-upfront rates as stored in service-capacity-modeling 3yr-reserved_ec2.json (c15e03e1, 2026-06-06); EBS, S3 and inter-zone transfer: aws.amazon.com/ebs/pricing, aws.amazon.com/s3/pricing, aws.amazon.com/ec2/pricing/on-demand (data transfer)",
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
            // r7g: memory optimised, AWS Graviton3
            aws("r7g.large", 2, 16, 0.937, 630, 0.1071),
            aws("r7g.xlarge", 4, 32, 1.876, 1250, 0.2142),
            aws("r7g.2xlarge", 8, 64, 3.75, 2500, 0.4284),
            aws("r7g.4xlarge", 16, 128, 7.5, 5000, 0.8568),
            aws("r7g.8xlarge", 32, 256, 15, 10000, 1.7136),
            aws("r7g.12xlarge", 48, 384, 22.5, 15000, 2.5704),
            aws("r7g.16xlarge", 64, 512, 30, 20000, 3.4272),
            // i3en: storage optimised, dense local NVMe (write IOPS: the user guide's 100% random write column)
            aws("i3en.large", 2, 16, 2.1, 576, 0.226, disks: [1250], iops: 32_500),
            aws("i3en.xlarge", 4, 32, 4.2, 1153, 0.452, disks: [2500], iops: 65_000),
            aws("i3en.2xlarge", 8, 64, 8.4, 2307, 0.904, disks: [2500, 2500], iops: 130_000),
            aws("i3en.3xlarge", 12, 96, 12.5, 3800, 1.356, disks: [7500], iops: 200_000),
            aws("i3en.6xlarge", 24, 192, 25, 4750, 2.712, disks: [7500, 7500], iops: 400_000),
            aws("i3en.12xlarge", 48, 384, 50, 9500, 5.424, disks: [7500, 7500, 7500, 7500], iops: 800_000),
            aws("i3en.24xlarge", 96, 768, 100, 19000, 10.848, disks: Array(repeating: 7500, count: 8), iops: 1_600_000),
            // i4i: storage optimised, Nitro SSD (12xlarge and 24xlarge: write IOPS scaled from the other sizes)
            aws("i4i.large", 2, 16, 0.781, 625, 0.172, disks: [468], iops: 27_500),
            aws("i4i.xlarge", 4, 32, 1.875, 1250, 0.343, disks: [937], iops: 55_000),
            aws("i4i.2xlarge", 8, 64, 4.687, 2500, 0.686, disks: [1875], iops: 110_000),
            aws("i4i.4xlarge", 16, 128, 9.375, 5000, 1.373, disks: [3750], iops: 220_000),
            aws("i4i.8xlarge", 32, 256, 18.75, 10000, 2.746, disks: [3750, 3750], iops: 440_000),
            aws("i4i.12xlarge", 48, 384, 28.125, 15000, 4.118, disks: [3750, 3750, 3750], iops: 660_000),
            aws("i4i.16xlarge", 64, 512, 37.5, 20000, 5.491, disks: Array(repeating: 3750, count: 4), iops: 880_000),
            aws(
                "i4i.24xlarge", 96, 768, 56.25, 30000, 8.2368, disks: Array(repeating: 3750, count: 6), iops: 1_320_000),
            aws(
                "i4i.32xlarge", 128, 1024, 75, 40000, 10.9824, disks: Array(repeating: 3750, count: 8), iops: 1_760_000),
            // im4gn: storage optimised, Graviton2, dense NVMe per vCPU
            aws("im4gn.large", 2, 8, 3.125, 1250, 0.1819, disks: [937], iops: 25_000),
            aws("im4gn.xlarge", 4, 16, 6.25, 2500, 0.36379, disks: [1875], iops: 50_000),
            aws("im4gn.2xlarge", 8, 32, 12.5, 5000, 0.72758, disks: [3750], iops: 100_000),
            aws("im4gn.4xlarge", 16, 64, 25, 10000, 1.45517, disks: [7500], iops: 200_000),
            aws("im4gn.8xlarge", 32, 128, 50, 20000, 2.91034, disks: [7500, 7500], iops: 400_000),
            aws("im4gn.16xlarge", 64, 256, 100, 40000, 5.82067, disks: Array(repeating: 7500, count: 4), iops: 800_000),
            // i4g: storage optimised, Graviton2, Nitro SSD
            aws("i4g.large", 2, 16, 0.781, 625, 0.15444, disks: [468], iops: 25_000),
            aws("i4g.xlarge", 4, 32, 1.875, 1250, 0.30888, disks: [937], iops: 50_000),
            aws("i4g.2xlarge", 8, 64, 4.687, 2500, 0.61776, disks: [1875], iops: 100_000),
            aws("i4g.4xlarge", 16, 128, 9.375, 5000, 1.23552, disks: [3750], iops: 200_000),
            aws("i4g.8xlarge", 32, 256, 18.75, 10000, 2.47104, disks: [3750, 3750], iops: 400_000),
            aws("i4g.16xlarge", 64, 512, 37.5, 20000, 4.94208, disks: Array(repeating: 3750, count: 4), iops: 800_000),
            // i7ie: storage optimised, 3rd-generation Nitro SSD. Only the sizes with a fixed EBS rate (the smaller
            // ones publish only "up to" 10 Gbps); write IOPS approximate (about 37 per GiB of drive), see `source`.
            aws("i7ie.6xlarge", 24, 192, 12.5, 10000, 3.1188, disks: [7500, 7500], iops: 519_684),
            aws("i7ie.12xlarge", 48, 384, 25, 15000, 6.2376, disks: Array(repeating: 7500, count: 4), iops: 1_039_368),
            aws(
                "i7ie.18xlarge", 72, 576, 37.5, 22500, 9.3564, disks: Array(repeating: 7500, count: 6), iops: 1_559_052),
            aws("i7ie.24xlarge", 96, 768, 50, 30000, 12.4752, disks: Array(repeating: 7500, count: 8), iops: 2_078_699),
            aws(
                "i7ie.48xlarge", 192, 1536, 100, 60000, 24.9504, disks: Array(repeating: 7500, count: 16),
                iops: 4_157_435),
        ],
        prices: StoragePrices(
            blockStoragePerGiBMonth: [.gp3: 0.08, .gp2: 0.10, .st1: 0.045, .io2: 0.125],
            gp3IncludedThroughput: 125 * 1_048_576,
            gp3ExtraThroughputPerMBpsMonth: 0.04,
            gp3MaxThroughput: 2000 * 1_048_576,
            st1ThroughputPerTiB: 40 * 1_048_576,
            st1MaxThroughput: 500 * 1_048_576,
            maxVolumeBytes: 16 * 1_099_511_627_776,
            // S3 Standard: first 50 TB/month $0.023, next 450 TB $0.022, over 500 TB $0.021 (1 TB = 1,024 GB).
            objectStorageTiers: [
                PriceTier(sizeGiB: 50 * 1024, perGiB: 0.023), PriceTier(sizeGiB: 450 * 1024, perGiB: 0.022),
                PriceTier(sizeGiB: nil, perGiB: 0.021),
            ],
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
