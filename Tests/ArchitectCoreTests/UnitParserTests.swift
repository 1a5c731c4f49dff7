import Testing

@testable import ArchitectCore

@Suite struct UnitParserTests {
    @Test(arguments: [
        ("50000", 50_000.0), ("50k", 50_000), ("50K", 50_000), ("1.5M", 1_500_000), ("2G", 2e9),
        ("50k/s", 50_000), ("50k msg/s", 50_000), ("1_000", 1000), ("1e6", 1e6),
    ])
    func counts(text: String, expected: Double) throws {
        #expect(try UnitParser.count(text) == expected)
    }

    @Test(arguments: [
        ("1KB", 1000.0), ("1kB", 1000), ("1KiB", 1024), ("512", 512), ("512B", 512), ("1.5MiB", 1_572_864),
        ("1 GB", 1e9), ("2TiB", 2_199_023_255_552), ("1.5PB", 1.5e15), ("4KiB", 4096),
    ])
    func sizesSeparateDecimalFromBinary(text: String, expected: Double) throws {
        #expect(try UnitParser.bytes(text) == expected)
    }

    @Test(arguments: [
        ("7d", 604_800.0), ("36h", 129_600), ("90m", 5400), ("30s", 30), ("500ms", 0.5), ("2w", 1_209_600),
        ("1.5d", 129_600),
    ])
    func durations(text: String, expected: Double) throws {
        #expect(try UnitParser.duration(text) == expected)
    }

    @Test(arguments: [
        ("50MB/s", 50e6), ("1.5GiB/s", 1.5 * 1_073_741_824), ("10Gbps", 1.25e9), ("800Mbps", 1e8),
        ("100Mbit/s", 12.5e6),
    ])
    func byteRates(text: String, expected: Double) throws {
        #expect(try UnitParser.byteRate(text) == expected)
    }

    @Test func fractionsTakePercentOrDecimal() throws {
        #expect(try UnitParser.fraction("30%") == 0.3)
        #expect(try UnitParser.fraction("0.3") == 0.3)
        #expect(try UnitParser.factor("2x") == 2)
    }

    @Test(arguments: ["1KBB", "1kb", "KB", "", "fast", "1..5KB", "inf", "nan", "1 XB"])
    func badSizesAreRefusedWithAHint(text: String) {
        #expect(throws: UnitError.self) { try UnitParser.bytes(text) }
        do {
            _ = try UnitParser.bytes(text)
        } catch {
            #expect(error.description.contains("1KiB"))
        }
    }

    @Test(arguments: ["7", "7 days ago", "d", "7y"])
    func durationsNeedAUnit(text: String) {
        #expect(throws: UnitError.self) { try UnitParser.duration(text) }
    }

    @Test(arguments: ["50MB", "fast", "10", "1 kbps/s"])
    func ratesNeedAPerSecondUnit(text: String) {
        #expect(throws: UnitError.self) { try UnitParser.byteRate(text) }
    }

    @Test(arguments: ["50B", "lots", "1.5MB"])
    func countsRefuseSizes(text: String) {
        #expect(throws: UnitError.self) { try UnitParser.count(text) }
    }
}
