// libFuzzer entry point for the wire decoders. Built and run by scripts/fuzz (a bounded run in CI):
//   swiftc -sanitize=fuzzer,address -parse-as-library (this file + KafkaProtocol's sources)
// The first input byte picks the decoder; the rest is the wire data. Any throw is fine; a crash,
// an address-sanitizer report, a leak or a timeout is a finding.

import KafkaProtocol
import NIOCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    var buffer = ByteBuffer(bytes: bytes)
    let definitions = MessageDefinition.generated
    switch selector % 4 {
    case 0:
        _ = try? RecordBatch.decodeAll(&buffer, decompressionLimit: 1 << 20)
    case 1:
        try? RecordBatch.forEachRecord(in: &buffer, decompressionLimit: 1 << 20) { _, _ in }
    case 2:
        let definition = definitions[(selector / 4) % definitions.count]
        let range = definition.validVersions
        let span = Int((range.upper ?? range.lower) - range.lower) + 1
        let version = range.lower + Int16((selector / 4 / definitions.count) % span)
        var copy = buffer
        _ = try? MessageCodec.decode(definition, version: version, from: &buffer)
        // The generated struct of the same message, on the same bytes.
        if let typed = KafkaAPIs.messages.first(where: { $0.name == definition.name })?.type {
            _ = try? typed.init(version: version, from: &copy)
        }
    default:
        let codecs: [RecordBatchCodec] = [.gzip, .snappy, .lz4, .zstd]
        let codec = codecs[(selector / 4) % 4]
        _ = try? UnsafeRawBufferPointer(bytes).withMemoryRebound(to: UInt8.self) { _ in
            try Compression.decompress(codec, UnsafeRawBufferPointer(bytes), limit: 1 << 20)
        }
    }
    return 0
}
