import Foundation
import NIOCore
import Testing

@testable import KafkaProtocol

/// A bounded mutation fuzzer over every decoder that reads bytes from the wire: valid encodings are
/// mutated (bit flips, random bytes, truncation, duplicated and deleted runs, lengths pushed to
/// extremes) and decoded; a decoder may throw but must never crash, hang or over-allocate (the
/// process would die). Seeded, so a failure reproduces; FUZZ_ITERATIONS=N runs longer (CI: the default).
@Suite struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"] ?? "") ?? 1_500

    struct Mutator {
        var state: UInt64
        mutating func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }

        mutating func mutate(_ input: [UInt8]) -> [UInt8] {
            var b = input
            for _ in 0..<(1 + next() % 3) {
                guard !b.isEmpty else { return [UInt8(truncatingIfNeeded: next())] }
                let i = next() % b.count
                switch next() % 7 {
                case 0: b[i] ^= UInt8(1 << (next() % 8))
                case 1: b[i] = UInt8(truncatingIfNeeded: next())
                case 2: b.removeLast(next() % b.count)
                case 3: b.insert(contentsOf: b[i..<min(b.count, i + 1 + next() % 16)], at: i)
                case 4: b.removeSubrange(i..<min(b.count, i + 1 + next() % 16))
                case 5:  // a length or count field pushed to an extreme
                    let extreme: [UInt8] = [
                        [0x7F, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0xFE], [0x80, 0, 0, 0],
                        [0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
                    ][next() % 4]
                    for (k, v) in extreme.enumerated() where i + k < b.count { b[i + k] = v }
                default: b[i] = [0x00, 0xFF, 0x7F, 0x80][next() % 4]
                }
            }
            return b
        }
    }

    /// Every response and request definition at every version, from a valid sample, through the schema-driven
    /// codec and the generated struct.
    @Test(arguments: MessageDefinition.generated.map(\.name))
    func messageDecoders(name: String) throws {
        let definition = try #require(MessageDefinition.generated.first { $0.name == name })
        var m = Mutator(state: UInt64(truncatingIfNeeded: name.utf8.reduce(7) { $0 &* 31 &+ Int($1) }))
        let versions = definition.validVersions
        let typed = KafkaAPIs.messages.first { $0.name == name }?.type
        for version in versions.lower...(versions.upper ?? versions.lower) {
            var seed: Int64 = Int64(version) + 11
            let value = MessageDefinitionTests.sample(definition.fields, version: version, seed: &seed)
            var buffer = ByteBuffer()
            MessageCodec.encode(value, definition, version: version, into: &buffer)
            let valid = Array(buffer.readableBytesView)
            for _ in 0..<max(1, Self.iterations / 10) {
                let bytes = m.mutate(valid)
                var mutated = ByteBuffer(bytes: bytes)
                _ = try? MessageCodec.decode(definition, version: version, from: &mutated)
                // The generated struct of the same message reads the same hostile bytes.
                if let typed {
                    var again = ByteBuffer(bytes: bytes)
                    _ = try? typed.init(version: version, from: &again)
                }
            }
        }
    }

    @Test func recordSetDecoders() throws {
        let valid = Array(try StreamedDecodeTests.recordSet().readableBytesView)
        var m = Mutator(state: 99)
        for _ in 0..<Self.iterations {
            let bytes = m.mutate(valid)
            var a = ByteBuffer(bytes: bytes)
            var b = a
            _ = try? RecordBatch.decodeAll(&a, decompressionLimit: 1 << 20)
            try? RecordBatch.forEachRecord(in: &b, decompressionLimit: 1 << 20) { _, _ in }
        }
    }

    /// Each codec's decompressor on mutated streams, bounded to 1 MiB of output.
    @Test(arguments: RecordBatchCodec.allCases.filter { $0 != .none })
    func decompressors(codec: RecordBatchCodec) throws {
        let text = Array((0..<20_000).map { "record \($0 % 97) of the fuzz corpus;" }.joined().utf8)
        let valid = try text.withUnsafeBytes { try Compression.compress(codec, $0) }
        var m = Mutator(state: UInt64(codec.rawValue) + 3)
        for _ in 0..<Self.iterations {
            let bytes = m.mutate(valid)
            if let out = try? bytes.withUnsafeBytes({ try Compression.decompress(codec, $0, limit: 1 << 20) }) {
                #expect(out.count <= 1 << 20)
            }
        }
    }

    @Test func legacyMessages() throws {
        var set = ByteBuffer()
        var inner = ByteBuffer()
        for i in 0..<5 {
            LegacyMessageSet.encode(
                offset: Int64(i), magic: 1, timestamp: 9, key: [UInt8(i)], value: Array("v\(i)".utf8), into: &inner)
        }
        let packed = try inner.withUnsafeReadableBytes { try Compression.compress(.snappy, $0) }
        LegacyMessageSet.encode(offset: 4, magic: 1, attributes: 2, timestamp: 9, key: nil, value: packed, into: &set)
        LegacyMessageSet.encode(offset: 5, magic: 0, key: nil, value: [1, 2, 3], into: &set)
        let valid = Array(set.readableBytesView)
        var m = Mutator(state: 5)
        for _ in 0..<Self.iterations {
            var b = ByteBuffer(bytes: m.mutate(valid))
            _ = try? RecordBatch.decodeAll(&b, decompressionLimit: 1 << 20)
        }
    }
}
