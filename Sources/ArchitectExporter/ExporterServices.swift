// The exporter's two services under swift-service-lifecycle: the collection loop, on its own interval, and the
// HTTP listener. SIGTERM (or SIGINT) stops both gracefully: the listener closes, the loop ends after the
// collection in flight (each collection is bounded by --timeout).

import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Collects every `interval` seconds, measured from each collection's start; a collection that overruns the
/// interval is followed by the next one at once (no overlap, no backlog).
public struct CollectionLoop: Service {
    let interval: Double
    let state: ExporterState
    let logger: Logger
    let collect: @Sendable () async -> CollectionOutcome

    public init(
        interval: Double, state: ExporterState, logger: Logger,
        collect: @escaping @Sendable () async -> CollectionOutcome
    ) {
        self.interval = interval
        self.state = state
        self.logger = logger
        self.collect = collect
    }

    public func run() async throws {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let outcome = await collect()
            state.publish(outcome)
            log(outcome)
            next = next.advanced(by: .milliseconds(Int64(interval * 1000)))
            if next < clock.now { next = clock.now }
            let due = next
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(until: due, clock: clock) }
            } catch { return }
        }
    }

    func log(_ o: CollectionOutcome) {
        let took = String(format: "%.3f s", o.seconds)
        if let error = o.error {
            logger.warning("collection failed after \(took): \(error); serving the last good collection")
        } else if !o.complete {
            logger.warning("collection partial (\(took)): \(ExporterState.summary(o.missing))")
        } else {
            let n = o.families?.reduce(0) { $0 + $1.samples.count } ?? 0
            logger.info("collected \(n) samples in \(took)")
        }
    }
}

/// Serves until a graceful shutdown closes the listener.
public struct HTTPService: Service {
    let channel: any Channel
    public init(channel: any Channel) { self.channel = channel }
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}
