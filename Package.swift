// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "kafka-architect",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kafka-architect", targets: ["kafka-architect"]),
        .library(name: "ArchitectCore", targets: ["ArchitectCore"]),
        // A native Kafka client for Swift: the wire format, pooled connections, typed admin calls.
        .library(name: "KafkaProtocol", targets: ["KafkaProtocol"]),
        .library(name: "KafkaClient", targets: ["KafkaClient"]),
        .library(name: "KafkaAdmin", targets: ["KafkaAdmin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The Kafka wire format: primitives, CRC-32C, message definitions, record batches, compression. NIOCore only,
        // Plus a few lines of C for the CPU's CRC-32C instruction.
        .target(
            name: "KafkaProtocol", dependencies: ["CKafkaCRC32C", .product(name: "NIOCore", package: "swift-nio")]),
        .target(name: "CKafkaCRC32C"),
        // Connections to brokers: framing, correlation, version negotiation, timeouts, retries, TLS, SASL. NIO.
        .target(
            name: "KafkaClient",
            dependencies: [
                "KafkaProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Typed admin calls over the client (kadm's role): configs, log dirs, groups, offsets, ACLs, quotas.
        .target(
            name: "KafkaAdmin",
            dependencies: ["KafkaClient", "KafkaProtocol", .product(name: "NIOCore", package: "swift-nio")]),
        // Load tests (`bench`): the schedule, keys and values, latencies in HdrHistograms, produce/consume/e2e runs.
        .target(
            name: "KafkaBench",
            dependencies: [
                "KafkaClient", "KafkaProtocol", "ArchitectCore",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        // `exporter`'s server: the collection loop and the HTTP/1 listener (SwiftNIO), the Prometheus text
        // (swift-prometheus), graceful shutdown (swift-service-lifecycle).
        .target(
            name: "ArchitectExporter",
            dependencies: [
                "ArchitectCore",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        // The architect's brain: workload model, units, capacity planning. Pure values, no I/O.
        .target(name: "ArchitectCore"),
        // The rebalancer (Cruise Control's analyzer): cluster model, goals in priority order, optimiser, verifier.
        .target(name: "ArchitectBalance", dependencies: ["ArchitectCore", "ArchitectReports"]),
        // The architecture file: YAML text → model, with file/line/field errors.
        .target(name: "ArchitectFile", dependencies: ["ArchitectCore", "Yams"]),
        // Reports for people and machines: text, JSON, Markdown, SARIF. Pure.
        .target(name: "ArchitectReports", dependencies: ["ArchitectCore"]),
        // Deliverables a design hands over: Terraform, Strimzi, scripts, configs, alerts, dashboards, runbooks. Pure.
        .target(name: "ArchitectDeliverables", dependencies: ["ArchitectCore", "ArchitectReports"]),
        // Commands: thin, one per file.
        .target(
            name: "ArchitectCLI",
            dependencies: [
                "ArchitectCore", "ArchitectBalance", "ArchitectFile", "ArchitectReports", "ArchitectDeliverables",
                "KafkaClient",
                "KafkaProtocol", "KafkaAdmin", "KafkaBench", "ArchitectExporter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(name: "kafka-architect", dependencies: ["ArchitectCLI"]),
        // libFuzzer entry point for the wire decoders (scripts/fuzz links it with -sanitize=fuzzer).
        .target(
            name: "KafkaProtocolFuzz", dependencies: ["KafkaProtocol", .product(name: "NIOCore", package: "swift-nio")]),
        // Protocol benchmarks (scripts/bench-protocol): decoding, CRC-32C, fetch.
        .executableTarget(
            name: "kafka-protocol-bench",
            dependencies: ["KafkaProtocol", "KafkaClient", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "ArchitectCoreTests", dependencies: ["ArchitectCore"]),
        .testTarget(name: "KafkaBenchTests", dependencies: ["KafkaBench"]),
        .testTarget(
            name: "ArchitectExporterTests",
            dependencies: [
                "ArchitectExporter", "ArchitectCore", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(name: "ArchitectBalanceTests", dependencies: ["ArchitectBalance", "ArchitectCore"]),
        .testTarget(
            name: "KafkaProtocolTests",
            dependencies: ["KafkaProtocol", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(
            name: "KafkaClientTests",
            dependencies: [
                "KafkaClient", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .testTarget(name: "ArchitectFileTests", dependencies: ["ArchitectFile", "ArchitectCore"]),
        .testTarget(name: "ArchitectReportsTests", dependencies: ["ArchitectReports", "ArchitectCore"]),
        .testTarget(
            name: "ArchitectDeliverablesTests",
            dependencies: ["ArchitectDeliverables", "ArchitectCore", "ArchitectFile"]),
        .testTarget(
            name: "ArchitectCLITests",
            dependencies: [
                "ArchitectCLI", "ArchitectCore", "ArchitectFile", "ArchitectReports", "KafkaProtocol", "KafkaClient",
                "KafkaAdmin", "KafkaBench",
                "Yams",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
