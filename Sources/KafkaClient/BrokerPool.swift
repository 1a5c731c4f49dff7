// The client's connections (kgo's role): one pooled connection per broker, reused across requests and
// reopened with backoff when it breaks; each broker's API versions negotiated once; a metadata cache
// refreshed when a leader moves; requests routed to any broker, a given broker, the controller or a
// group's coordinator. Requests to different brokers run in parallel (the pool only guards its tables).

import KafkaProtocol
import NIOCore
import NIOPosix

/// Where a request should go.
public enum BrokerTarget: Sendable, Equatable, Hashable {
    /// Any broker that answers (the bootstrap broker first).
    case any
    case broker(Int32)
    /// The active controller as metadata names it (in KRaft, the broker that forwards to it).
    case controller
    /// A consumer group's coordinator.
    case groupCoordinator(String)
    /// A transactional id's coordinator.
    case transactionCoordinator(String)
}

public actor BrokerPool {
    public let bootstrap: [BrokerAddress]
    public let admin: ClusterAdmin
    /// Attempts per connection before giving up (100 ms, 200 ms, ... between them).
    public let connectAttempts: Int

    private var connections: [String: KafkaConnection] = [:]
    private var connecting: [String: Task<KafkaConnection, Error>] = [:]
    private var versions: [String: [Int16: ClosedRange<Int16>]] = [:]
    private var cachedMetadata: ClusterDescription?
    private var coordinators: [String: Int32] = [:]
    /// Connections opened over the pool's life (a test reads it to see reuse).
    public private(set) var opened = 0

    public init(bootstrap: [BrokerAddress], admin: ClusterAdmin, connectAttempts: Int = 3) {
        self.bootstrap = bootstrap
        self.admin = admin
        self.connectAttempts = max(1, connectAttempts)
    }

    /// Closes every connection.
    public func close() async {
        let all = connections.values
        connections.removeAll()
        for c in all { await c.close() }
    }

    // MARK: Connections

    /// The pooled connection to `address`, opened (with retries and backoff) when there is none or it broke.
    public func connection(_ address: BrokerAddress) async throws(ClusterError) -> KafkaConnection {
        let key = address.description
        if let c = connections[key], c.isActive { return c }
        connections[key] = nil
        versions[key] = nil
        if let pending = connecting[key] {
            do { return try await pending.value } catch { throw Self.clusterError(error, key) }
        }
        let admin = self.admin
        let attempts = connectAttempts
        let task = Task { () throws -> KafkaConnection in
            var backoff = Backoff()
            var last: ClusterError?
            for attempt in 0..<attempts {
                if attempt > 0 {
                    // No retry past the deadline: --timeout bounds the whole command.
                    if let deadline = admin.deadline, deadline <= .now() { break }
                    try? await Task.sleep(nanoseconds: UInt64(backoff.next() * 1e9))
                }
                do { return try await admin.connect(address) } catch let error as ClusterError {
                    last = error
                    // A refused or unresolvable address does not get better by waiting; a reset might.
                    if error.failure != .reset && error.failure != .closed { break }
                }
            }
            throw last ?? ClusterError(address: key, reason: "no connection")
        }
        connecting[key] = task
        defer { connecting[key] = nil }
        do {
            let c = try await task.value
            connections[key] = c
            opened += 1
            return c
        } catch {
            throw Self.clusterError(error, key)
        }
    }

    static func clusterError(_ error: Error, _ address: String) -> ClusterError {
        (error as? ClusterError) ?? ClusterError(address: address, reason: "\(error)")
    }

    /// The API versions `address` serves, asked once per connection.
    public func apiVersions(_ address: BrokerAddress) async throws(ClusterError) -> [Int16: ClosedRange<Int16>] {
        let key = address.description
        let c = try await connection(address)
        if let known = versions[key] { return known }
        let apis = try await admin.apiVersions(c)
        let ranges = Dictionary(apis.map { ($0.apiKey, $0.brokerMin...max($0.brokerMin, $0.brokerMax)) }) { a, _ in a }
        versions[key] = ranges
        return ranges
    }

    /// The highest version of `R` both sides speak on `address`, or nil.
    public func version<R: KafkaRequest>(of _: R.Type, at address: BrokerAddress) async throws(ClusterError)
        -> Int16?
    {
        guard let theirs = try await apiVersions(address)[R.apiKey] else { return nil }
        let top = min(theirs.upperBound, R.versions.upperBound)
        return top >= max(theirs.lowerBound, R.versions.lowerBound) ? top : nil
    }

    /// The version `version(of:at:)` finds, or an error whose `unsupportedAPI` names the API.
    public func requiredVersion<R: KafkaRequest>(of _: R.Type, at address: BrokerAddress) async throws(ClusterError)
        -> Int16
    {
        guard let v = try await version(of: R.self, at: address) else {
            throw ClusterError(
                address: address.description,
                reason: "\(ClusterAdmin.apiNames[R.apiKey] ?? "API \(R.apiKey)"): not offered by this broker",
                unsupported: R.apiKey)
        }
        return v
    }

    // MARK: Metadata and routing

    /// Brokers, controller and topics; cached until `refresh` or `invalidateMetadata()`.
    public func metadata(refresh: Bool = false) async throws(ClusterError) -> ClusterDescription {
        if !refresh, let cachedMetadata { return cachedMetadata }
        var last = ClusterError(address: bootstrap.map(\.description).joined(separator: ","), reason: "no broker")
        for address in knownAddresses() {
            do {
                let c = try await connection(address)
                let d = try await admin.describe(c)
                cachedMetadata = d
                return d
            } catch {
                last = error
            }
        }
        throw last
    }

    /// Forgets cached metadata (after NOT_LEADER_OR_FOLLOWER and its kind).
    public func invalidateMetadata() { cachedMetadata = nil }

    /// Forgets a coordinator (after NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE).
    public func invalidateCoordinator(_ key: String) { coordinators[key] = nil }

    /// Brokers from the last metadata, else the bootstrap list.
    private func knownAddresses() -> [BrokerAddress] {
        let known = (cachedMetadata?.brokers ?? []).map { BrokerAddress(host: $0.host, port: Int($0.port)) }
        return bootstrap + known.filter { k in !bootstrap.contains(k) }
    }

    /// The address a target resolves to.
    public func address(of target: BrokerTarget) async throws(ClusterError) -> BrokerAddress {
        switch target {
        case .any:
            if let c = connections.values.first(where: { $0.isActive }) {
                return BrokerAddress(host: c.host, port: c.port)
            }
            _ = try await metadata()
            for a in knownAddresses() where connections[a.description]?.isActive ?? false { return a }
            return bootstrap.first ?? BrokerAddress(host: "127.0.0.1", port: 9092)
        case .broker(let id):
            return try await brokerAddress(id)
        case .controller:
            let m = try await metadata()
            guard let id = m.controllerId, id >= 0 else {
                throw ClusterError(address: "controller", reason: "metadata names no controller")
            }
            // In KRaft, Metadata may name a controller that is no broker (a controller-only node): brokers
            // forward controller requests, so any broker takes them (and a ZooKeeper-era broker that is not
            // the controller answers NOT_CONTROLLER).
            do { return try await brokerAddress(id) } catch { return try await address(of: .any) }
        case .groupCoordinator(let group):
            return try await brokerAddress(try await coordinator(group, type: 0))
        case .transactionCoordinator(let id):
            return try await brokerAddress(try await coordinator(id, type: 1))
        }
    }

    func brokerAddress(_ id: Int32) async throws(ClusterError) -> BrokerAddress {
        var m = try await metadata()
        if !m.brokers.contains(where: { $0.id == id }) { m = try await metadata(refresh: true) }
        guard let b = m.brokers.first(where: { $0.id == id }) else {
            throw ClusterError(address: "broker \(id)", reason: "metadata does not list broker \(id)")
        }
        return BrokerAddress(host: b.host, port: Int(b.port))
    }

    func coordinator(_ key: String, type: Int8) async throws(ClusterError) -> Int32 {
        let cacheKey = "\(type)/\(key)"
        if let id = coordinators[cacheKey] { return id }
        var backoff = Backoff()
        for attempt in 0..<5 {
            let r = try await send(FindCoordinatorRequest(key: key, keyType: type, coordinatorKeys: [key]), to: .any)
            let (code, node) =
                r.coordinators.first.map { ($0.errorCode, $0.nodeId) } ?? (r.errorCode, r.nodeId)
            if code == 0 {
                coordinators[cacheKey] = node
                return node
            }
            let error = KafkaErrorCode.named(code)
            if !error.retriable || attempt == 4 {
                throw ClusterError(
                    address: "coordinator of \(key)", reason: "FindCoordinator: \(error.name)", code: error)
            }
            try? await Task.sleep(nanoseconds: UInt64(backoff.next() * 1e9))
        }
        throw ClusterError(address: "coordinator of \(key)", reason: "FindCoordinator gave no answer")
    }

    /// The coordinators of many groups: from FindCoordinator v4 in batches of 500 keys per request, one request
    /// per group before (several in flight); a group whose lookup failed gets its error.
    public func groupCoordinators(_ groups: [String]) async -> [String: Result<Int32, ClusterError>] {
        var out: [String: Result<Int32, ClusterError>] = [:]
        var todo: [String] = []
        for g in groups {
            if let id = coordinators["0/\(g)"] { out[g] = .success(id) } else { todo.append(g) }
        }
        guard !todo.isEmpty else { return out }
        var single: [String] = []
        do throws(ClusterError) {
            let address = try await address(of: .any)
            let version = try await requiredVersion(of: FindCoordinatorRequest.self, at: address)
            if version >= 4 {
                var start = 0
                while start < todo.count {
                    let chunk = Array(todo[start..<min(todo.count, start + 500)])
                    start += 500
                    let r = try await send(
                        FindCoordinatorRequest(keyType: 0, coordinatorKeys: chunk), version: version, to: address)
                    var answered = Set<String>()
                    for c in r.coordinators where c.errorCode == 0 {
                        coordinators["0/\(c.key)"] = c.nodeId
                        out[c.key] = .success(c.nodeId)
                        answered.insert(c.key)
                    }
                    single += chunk.filter { !answered.contains($0) }
                }
            } else {
                single = todo
            }
        } catch {
            single = todo.filter { out[$0] == nil }
        }
        // One at a time per group (retrying what is retriable), up to 32 in flight.
        await withTaskGroup(of: (String, Result<Int32, ClusterError>).self) { group in
            var next = 0
            func add() {
                guard next < single.count else { return }
                let g = single[next]
                next += 1
                group.addTask {
                    do throws(ClusterError) { return (g, .success(try await self.coordinator(g, type: 0))) } catch {
                        return (g, .failure(error))
                    }
                }
            }
            for _ in 0..<32 { add() }
            for await (g, r) in group {
                out[g] = r
                add()
            }
        }
        return out
    }

    // MARK: Sending

    /// Sends `request` to `target` at the highest version both sides speak; when the broker offers none, the
    /// error's `unsupportedAPI` names it.
    public func send<R: KafkaRequest>(_ request: R, to target: BrokerTarget = .any) async throws(ClusterError)
        -> R.Response
    {
        let address = try await address(of: target)
        return try await send(request, version: try await requiredVersion(of: R.self, at: address), to: address)
    }

    /// Sends `request` in `version` to `address` on its pooled connection; a connection that broke before the
    /// request was answered is reopened once and the request sent again (admin reads are idempotent).
    public func send<R: KafkaRequest>(_ request: R, version: Int16, to address: BrokerAddress)
        async throws(ClusterError) -> R.Response
    {
        let c = try await connection(address)
        do {
            return try await c.send(request, version: version, timeout: admin.requestTimeout)
        } catch {
            guard error.failure != nil, !c.isActive else { throw error }
            let again = try await connection(address)
            return try await again.send(request, version: version, timeout: admin.requestTimeout)
        }
    }
}
