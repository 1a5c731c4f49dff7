// Protocol benchmarks (release build; run through scripts/bench-protocol):
//   decode  — record batches v2 decoded from memory, GB/s of batch bytes
//   crc     — CRC-32C over a 64 MiB buffer, hardware instruction and slicing-by-8, GB/s
//   fetch BOOTSTRAP TOPIC RECORDS — reads a topic's newest RECORDS records with our client, records/s
// Each prints one JSON line per measurement with the median of RUNS runs.

import Dispatch
import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s[s.count / 2]
}

func time(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let runs = Int(ProcessInfo.processInfo.environment["RUNS"] ?? "") ?? 15
let args = CommandLine.arguments.dropFirst()

switch args.first {
case "decode":
    // 64 MiB of batches of 500 records: 16-byte keys, 80-byte JSON-ish values, one header on every tenth.
    var set = ByteBuffer()
    var records = 0
    var offset: Int64 = 0
    while set.readableBytes < 64 * 1024 * 1024 {
        var batch = RecordBatch(
            records: (0..<500).map { (i: Int) -> Record in
                let key = ByteBuffer(string: "customer-" + String((i * 7919) % 1_000_000))
                let value = ByteBuffer(
                    string: "{\"order\":" + String(i) + ",\"amount\":" + String(i * 13)
                        + ",\"currency\":\"EUR\",\"status\":\"created\",\"note\":\"bench\"}")
                let headers: [RecordHeader] =
                    i % 10 == 0 ? [RecordHeader(key: "trace-id", value: ByteBuffer(string: "abcdef0123456789"))] : []
                return Record(timestampDelta: Int64(i), offsetDelta: Int32(i), key: key, value: value, headers: headers)
            })
        batch.baseOffset = offset
        batch.lastOffsetDelta = 499
        offset += 500
        records += 500
        try! batch.encode(into: &set)
    }
    let bytes = Double(set.readableBytes)
    var seconds: [Double] = []
    var checksum = 0
    for _ in 0..<runs {
        var copy = set
        seconds.append(
            time {
                let batches = try! RecordBatch.decodeAll(&copy)
                for b in batches { checksum &+= b.records.count }
            })
    }
    var scanned: [Double] = []
    var keyBytes = 0
    for _ in 0..<runs {
        var copy = set
        scanned.append(
            time {
                try! RecordBatch.forEachRecord(in: &copy) { _, r in keyBytes &+= r.key?.count ?? 0 }
            })
    }
    let s = median(scanned)
    print(
        "{\"benchmark\":\"decode record batches v2, streamed (forEachRecord: the fetch path)\",\"bytes\":\(Int(bytes)),\"records\":\(records),\"medianSeconds\":\(s),\"GBps\":\(bytes / s / 1e9),\"recordsPerSecond\":\(Double(records) / s),\"check\":\(keyBytes / runs)}"
    )
    let m = median(seconds)
    print(
        "{\"benchmark\":\"decode record batches v2 into Record values (decodeAll)\",\"bytes\":\(Int(bytes)),\"records\":\(records),\"medianSeconds\":\(m),\"GBps\":\(bytes / m / 1e9),\"recordsPerSecond\":\(Double(records) / m),\"check\":\(checksum / runs)}"
    )
case "crc":
    let size = 64 * 1024 * 1024
    let data = [UInt8]((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
    for (name, hardware) in [("hardware", true), ("slicing-by-8", false)] {
        var seconds: [Double] = []
        var sink: UInt32 = 0
        for _ in 0..<runs {
            seconds.append(
                time {
                    data.withUnsafeBytes { sink ^= hardware ? CRC32C.checksum($0) : CRC32C.software($0) }
                })
        }
        let m = median(seconds)
        print(
            "{\"benchmark\":\"CRC-32C \(name)\(hardware && !CRC32C.hardware ? " (unavailable: software)" : "")\",\"bytes\":\(size),\"medianSeconds\":\(m),\"GBps\":\(Double(size) / m / 1e9),\"check\":\(sink)}"
        )
    }
case "fetch":
    let list = Array(args.dropFirst())
    guard list.count == 3, let bootstrap = BrokerAddress(list[0]), let wanted = Int(list[2]) else {
        FileHandle.standardError.write(Data("usage: kafka-protocol-bench fetch HOST:PORT TOPIC RECORDS\n".utf8))
        exit(2)
    }
    let admin = ClusterAdmin(timeout: 30)
    var seconds: [Double] = []
    var got = 0
    for _ in 0..<max(1, runs / 3) {
        let start = DispatchTime.now().uptimeNanoseconds
        let sample = try await admin.sampleKeys(bootstrap: [bootstrap], topic: list[1], records: wanted)
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        got = sample.keys.count
    }
    let m = median(seconds)
    print(
        "{\"benchmark\":\"fetch with kafka-architect's client\",\"records\":\(got),\"medianSeconds\":\(m),\"recordsPerSecond\":\(Double(got) / m)}"
    )
default:
    FileHandle.standardError.write(
        Data("usage: kafka-protocol-bench decode | crc | fetch HOST:PORT TOPIC RECORDS\n".utf8))
    exit(2)
}
