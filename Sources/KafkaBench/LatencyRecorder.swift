// Latencies in HdrHistograms (3 significant digits, 1 µs to 1 h): one per second for the series, added into the
// whole run's when the second closes (one record per value, not two). Confined to the runner's event loop.

import ArchitectCore
import Foundation
import Histogram

struct LatencyRecorder {
    static let highest: UInt64 = 3_600_000_000
    var all = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: highest, numberOfSignificantValueDigits: .three)
    var second = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: highest, numberOfSignificantValueDigits: .three)
    /// Off for the overhead check: counts only.
    let enabled: Bool
    var count = 0

    init(enabled: Bool) { self.enabled = enabled }

    mutating func record(micros: UInt64, count n: UInt64 = 1) {
        count += Int(n)
        guard enabled else { return }
        let v = min(max(1, micros), Self.highest)
        _ = second.record(v, count: n)
    }

    /// Adds another recorder's values (both seconds closed or not) into this run's.
    mutating func merge(_ other: LatencyRecorder) {
        count += other.count
        guard enabled else { return }
        all.add(other.all)
        all.add(other.second)
    }

    /// This second's percentile, and a fresh second.
    mutating func closeSecond(_ percentile: Double) -> Double? {
        guard second.totalCount > 0 else { return nil }
        defer {
            all.add(second)
            second.reset()
        }
        return Double(second.valueAtPercentile(percentile))
    }

    /// The run's percentile so far (closed seconds).
    func soFar(_ percentile: Double) -> Double? {
        guard enabled, all.totalCount > 0 else { return nil }
        return Double(all.valueAtPercentile(percentile))
    }

    var summary: LatencySummary? {
        var all = self.all
        all.add(second)  // the second not closed yet
        guard enabled, all.totalCount > 0 else { return nil }
        return LatencySummary(
            count: Int(all.totalCount), p50: Double(all.valueAtPercentile(50)), p99: Double(all.valueAtPercentile(99)),
            p999: Double(all.valueAtPercentile(99.9)), p9999: Double(all.valueAtPercentile(99.99)),
            max: Double(all.max), mean: all.mean)
    }
}

/// This process's CPU time so far (user + system), seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}
