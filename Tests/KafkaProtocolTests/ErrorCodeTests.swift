import Testing

@testable import KafkaProtocol

/// Checks against Apache Kafka 4.4's Errors.java and the exception classes it names (retriable = extends RetriableException).
@Suite struct ErrorCodeTests {
    /// Codes Kafka leaves out between -1 and its highest code. Kafka 4.4 skips none.
    static let skipped: Set<Int16> = []
    /// Kafka 4.4's highest code: CONTROLLER_ID_NOT_REGISTERED. Kafka 4.3 stopped at 133.
    static let highest: Int16 = 136

    @Test func codesAreUniqueSortedAndContiguous() {
        let codes = KafkaErrorCode.all.map(\.code)
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        #expect(codes.first == -1)
        #expect(codes.last == Self.highest)
        #expect(codes == (-1...Self.highest).filter { !Self.skipped.contains($0) })
        #expect(KafkaErrorCode.all.count == 138)
    }

    @Test func namesAreUniqueAndShapedLikeKafkas() {
        let names = KafkaErrorCode.all.map(\.name)
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(!name.isEmpty && name.allSatisfy { $0.isUppercase || $0 == "_" }, "\(name)")
        }
    }

    @Test func everyCodeButNoneHasASummary() {
        for entry in KafkaErrorCode.all where entry.code != 0 {
            #expect(entry.summary.hasSuffix("."), "\(entry.name)")
        }
        #expect(KafkaErrorCode.named(0).summary.isEmpty)
    }

    @Test func lookupAgreesWithTheTable() {
        #expect(KafkaErrorCode.byCode.count == KafkaErrorCode.all.count)
        for entry in KafkaErrorCode.all {
            #expect(KafkaErrorCode.named(entry.code) == entry)
        }
    }

    static let spots: [(Int16, String, Bool)] = [
        (-1, "UNKNOWN_SERVER_ERROR", false),
        (0, "NONE", false),
        (2, "CORRUPT_MESSAGE", true),
        (3, "UNKNOWN_TOPIC_OR_PARTITION", true),
        (5, "LEADER_NOT_AVAILABLE", true),
        (6, "NOT_LEADER_OR_FOLLOWER", true),
        (7, "REQUEST_TIMED_OUT", true),
        (8, "BROKER_NOT_AVAILABLE", false),
        (13, "NETWORK_EXCEPTION", true),
        (15, "COORDINATOR_NOT_AVAILABLE", true),
        (27, "REBALANCE_IN_PROGRESS", false),
        (29, "TOPIC_AUTHORIZATION_FAILED", false),
        (35, "UNSUPPORTED_VERSION", false),
        (36, "TOPIC_ALREADY_EXISTS", false),
        (41, "NOT_CONTROLLER", true),
        (58, "SASL_AUTHENTICATION_FAILED", false),
        (129, "REBOOTSTRAP_REQUIRED", false),
        (133, "SHARE_SESSION_LIMIT_REACHED", true),
        (136, "CONTROLLER_ID_NOT_REGISTERED", false),
    ]

    @Test(arguments: Self.spots)
    func wellKnownEntries(code: Int16, name: String, retriable: Bool) {
        let entry = KafkaErrorCode.named(code)
        #expect(entry.code == code)
        #expect(entry.name == name)
        #expect(entry.retriable == retriable)
    }

    /// The 32 codes whose exceptions extend RetriableException in Kafka 4.4, listed apart from the table.
    @Test func exactlyKafkasRetriableCodesAreRetriable() {
        let retriable: Set<Int16> = [
            2, 3, 5, 6, 7, 9, 13, 14, 15, 16, 19, 20, 41, 51, 56, 70,
            71, 72, 74, 75, 78, 80, 83, 84, 88, 89, 100, 103, 106, 122, 123, 133,
        ]
        #expect(Set(KafkaErrorCode.all.filter(\.retriable).map(\.code)) == retriable)
    }

    @Test func descriptions() {
        #expect(
            KafkaErrorCode.named(3).description
                == "UNKNOWN_TOPIC_OR_PARTITION (3): This server does not host this topic-partition.")
        #expect(KafkaErrorCode.named(7).description == "REQUEST_TIMED_OUT (7): The request timed out.")
        #expect(
            KafkaErrorCode.named(-1).description
                == "UNKNOWN_SERVER_ERROR (-1): The server experienced an unexpected error when processing the request.")
        #expect(KafkaErrorCode.named(0).description == "NONE (0)")
    }

    @Test(arguments: [Self.highest + 1, -2, 999, Int16.max, Int16.min])
    func unknownCodesFallBack(code: Int16) {
        let entry = KafkaErrorCode.named(code)
        #expect(entry.code == code)
        #expect(entry.name == "UNKNOWN_ERROR_CODE_\(code)")
        #expect(!entry.retriable)
        #expect(entry.summary == "an error code this build does not know (newer broker?)")
        #expect(KafkaErrorCode.byCode[code] == nil)
        #expect(!KafkaErrorCode.all.contains(entry))
    }

    @Test func unknownFallbackDescription() {
        #expect(
            KafkaErrorCode.named(137).description
                == "UNKNOWN_ERROR_CODE_137 (137): an error code this build does not know (newer broker?)")
    }
}
