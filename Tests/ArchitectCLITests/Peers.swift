import Foundation
import Testing

/// Finds the real peers `scripts/test` installs. Locally a missing peer skips its test with a
/// note; under CI=true it fails the run, so a green CI always means the peer was exercised.
enum Peers {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Records why a peer test cannot run: a failure in CI, a note elsewhere.
    static func missing(_ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let message = "peer missing: \(what) — run ./scripts/test to install it"
        if isCI {
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        } else {
            print("note: skipping, \(message)")
        }
    }

    static func run(_ executable: String, _ arguments: [String], stdin: String = "", timeout: TimeInterval = 120) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        // coreutils' timeout: a peer that hangs fails its test instead of the whole run.
        let r = try CLIRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["timeout", "--kill-after=5", String(Int(timeout)), executable] + arguments, stdin: stdin)
        return (r.status, r.stdout, r.stderr)
    }

    static func pythonHas(_ module: String) -> Bool {
        (try? run("python3", ["-c", "import \(module)"]).status) == 0
    }

    static var script: URL { CLIRunner.packageRoot.appendingPathComponent("Tests/Peers") }

    /// The Tansu broker binary: $KAFKA_ARCHITECT_TANSU, or where scripts/test puts it.
    static var tansu: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["KAFKA_ARCHITECT_TANSU"],
            CLIRunner.packageRoot.appendingPathComponent(".build-peers/tansu").path,
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A Tansu broker on a free loopback port for the life of a test.
final class TansuBroker {
    let process = Process()
    let port: Int
    let binary: String
    var bootstrap: String { "127.0.0.1:\(port)" }

    /// `advertisedPort`: the port clients are told to use (a proxy in front), when not the broker's own.
    /// `port`: a given port (a broker brought back where the last one was), else a free one.
    init(binary: String, advertisedPort: Int? = nil, port fixed: Int? = nil) throws {
        self.binary = binary
        port = try fixed ?? Self.freePort()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "broker", "--listener-url", "tcp://127.0.0.1:\(port)", "--advertised-listener-url",
            "tcp://127.0.0.1:\(advertisedPort ?? port)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !Self.accepts(port) {
            guard Date() < deadline, process.isRunning else {
                throw PeerError("tansu did not start listening on \(port)")
            }
            usleep(50_000)
        }
    }

    func createTopic(_ name: String, partitions: Int) throws {
        let r = try Peers.run(
            binary, ["topic", "create", "--broker", "tcp://\(bootstrap)", "--partitions", String(partitions), name])
        guard r.status == 0 else { throw PeerError("tansu topic create failed: \(r.stderr)") }
    }

    /// Tansu ignores SIGTERM; it keeps nothing on disk here, so SIGKILL is safe.
    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func freePort() throws -> Int {
        guard let (fd, port) = Loopback.bound() else { throw PeerError("no free port") }
        close(fd)
        return port
    }

    static func accepts(_ port: Int) -> Bool {
        guard let fd = Loopback.connected(port) else { return false }
        close(fd)
        return true
    }
}

/// Loopback TCP sockets for the tests' own clients and listeners (127.0.0.1 only); the caller closes them.
enum Loopback {
    static func address(_ port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        return addr
    }

    /// A socket bound to 127.0.0.1:`port` (0: a free one) and the port it got; nil when the bind failed.
    static func bound(_ port: Int = 0) -> (fd: Int32, port: Int)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = address(port)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok else {
            close(fd)
            return nil
        }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    /// A socket connected to 127.0.0.1:`port`, receives timing out after `timeout` seconds; nil when nothing
    /// accepts there.
    static func connected(_ port: Int, timeout: Int = 5) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = address(port)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard ok else {
            close(fd)
            return nil
        }
        return fd
    }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// librdkafka's mock cluster (Tests/Peers/mock_cluster.c, built by scripts/test): brokers with
/// racks, topics, and commands to take a broker down or slow it.
final class MockCluster {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    private(set) var description: [String: Any] = [:]
    private var buffered = Data()

    static var binary: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["KAFKA_ARCHITECT_MOCK_CLUSTER"],
            CLIRunner.packageRoot.appendingPathComponent(".build-peers/mock_cluster").path,
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    var bootstrap: String { description["bootstrap"] as? String ?? "" }

    /// The same driver linked against librdkafka 2.16 (the library inside the confluent-kafka wheel).
    static var binary216: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["KAFKA_ARCHITECT_MOCK_CLUSTER_216"],
            CLIRunner.packageRoot.appendingPathComponent(".build-peers/mock216/mock_cluster").path,
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(binary: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments + ["--seconds", "120"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = try readLine()
        guard let doc = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw PeerError("mock_cluster printed \(line)")
        }
        description = doc
    }

    private func readLine() throws -> String {
        while !buffered.contains(10) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw PeerError("mock_cluster exited") }
            buffered.append(chunk)
        }
        let end = buffered.firstIndex(of: 10)!
        let line = String(decoding: buffered[buffered.startIndex..<end], as: UTF8.self)
        buffered = Data(buffered[buffered.index(after: end)...])
        return line
    }

    /// Sends one command and returns its one-line answer ("ok ..." or "error ...").
    @discardableResult
    func command(_ text: String) throws -> String {
        input.fileHandleForWriting.write(Data((text + "\n").utf8))
        let answer = try readLine()
        guard answer.hasPrefix("ok") else { throw PeerError("mock_cluster: \(text) → \(answer)") }
        return answer
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// A real peer a test checks against. A test names its peers with `.requires(...)`: locally a
/// missing peer shows the test as skipped (with the reason); under CI=true the test always runs,
/// so a missing peer fails it through `Peers.missing` instead of passing unseen.
enum Peer: Sendable, CustomStringConvertible {
    case tansu, mockCluster, mockCluster216, java, promtool, openssl, shellcheck, protoc
    /// Debian's prometheus server and wrk (HTTP load).
    case prometheus, wrk
    /// Debian's burrow with Debian's zookeeper (which it needs).
    case burrow
    /// A Python module, by its import name.
    case python(String)

    var isAvailable: Bool {
        switch self {
        case .tansu: Peers.tansu != nil
        case .mockCluster: MockCluster.binary != nil
        case .mockCluster216: MockCluster.binary216 != nil
        case .java: (try? Peers.run("java", ["-version"]).status) == 0
        case .promtool: (try? Peers.run("promtool", ["--version"]).status) == 0
        case .openssl: (try? Peers.run("openssl", ["version"]).status) == 0
        case .shellcheck: (try? Peers.run("shellcheck", ["--version"]).status) == 0
        case .protoc: (try? Peers.run("protoc", ["--version"]).status) == 0
        case .prometheus: (try? Peers.run("prometheus", ["--version"]).status) == 0
        case .wrk: FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk")
        case .burrow:
            FileManager.default.isExecutableFile(atPath: "/usr/bin/Burrow")
                && FileManager.default.fileExists(atPath: "/usr/share/java/zookeeper.jar")
        case .python(let module): Peers.pythonHas(module)
        }
    }

    var description: String {
        switch self {
        case .tansu: "the Tansu broker (.build-peers/tansu)"
        case .mockCluster: "librdkafka's mock cluster (.build-peers/mock_cluster)"
        case .mockCluster216: "librdkafka 2.16's mock cluster (.build-peers/mock216/mock_cluster)"
        case .java: "a JDK"
        case .promtool: "promtool"
        case .openssl: "openssl"
        case .shellcheck: "shellcheck"
        case .protoc: "protoc (protobuf-compiler)"
        case .prometheus: "the Prometheus server (apt-get install prometheus)"
        case .wrk: "wrk (apt-get install wrk)"
        case .burrow: "Burrow and ZooKeeper (apt-get install burrow zookeeper)"
        case .python(let module): "python module \(module)"
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when every peer is installed, and always under CI=true (where a missing peer fails).
    static func requires(_ peers: Peer...) -> Self {
        let names = peers.map(\.description).joined(separator: ", ")
        return .enabled(
            if: Peers.isCI || peers.allSatisfy(\.isAvailable),
            Comment(rawValue: "needs \(names); ./scripts/test installs it"))
    }
}
