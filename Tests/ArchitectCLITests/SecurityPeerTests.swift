import Foundation
import Testing

/// TLS and SASL against independent implementations: Tests/Peers/secure_proxy.py puts Python's
/// ssl (OpenSSL) and scramp's SCRAM server in front of a Tansu broker; kafka-python checks the peer.
@Suite(.serialized) struct SecurityPeerTests {
    static let password = "s3cr3t-Pa55word"

    /// A CA, a server certificate for localhost/127.0.0.1 signed by it, and an unrelated CA.
    final class Certificates {
        let dir: URL
        var ca: String { dir.appendingPathComponent("ca.pem").path }
        var otherCA: String { dir.appendingPathComponent("other-ca.pem").path }
        var cert: String { dir.appendingPathComponent("server.pem").path }
        var key: String { dir.appendingPathComponent("server-key.pem").path }

        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("ka-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let d = dir.path
            let script = """
                set -e
                cd '\(d)'
                openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 -subj '/CN=Test CA' 2>/dev/null
                openssl req -x509 -newkey rsa:2048 -nodes -keyout other-key.pem -out other-ca.pem -days 2 -subj '/CN=Other CA' 2>/dev/null
                openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj '/CN=localhost' 2>/dev/null
                printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > ext.cnf
                openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null
                """
            let r = try Peers.run("bash", ["-c", script])
            guard r.status == 0 else { throw PeerError("openssl: \(r.stderr)") }
        }

        deinit { try? FileManager.default.removeItem(at: dir) }
    }

    /// The proxy process in front of a broker.
    final class Proxy {
        let process = Process()
        let port: Int

        init(port: Int, upstream: Int, certificates: Certificates?, mechanism: String?) throws {
            self.port = port
            var args = [
                Peers.script.appendingPathComponent("secure_proxy.py").path, "--listen", String(port), "--upstream",
                "127.0.0.1:\(upstream)",
            ]
            if let c = certificates { args += ["--cert", c.cert, "--key", c.key] }
            if let mechanism {
                args += ["--mechanism", mechanism, "--user", "alice", "--password", SecurityPeerTests.password]
            }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + args
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(10)
            while !TansuBroker.accepts(port) {
                guard Date() < deadline, process.isRunning else { throw PeerError("secure_proxy did not start") }
                usleep(50_000)
            }
        }

        /// SIGKILL: children of the test runner inherit an ignored SIGTERM (Tansu "ignores" it for the same reason).
        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    func config(_ lines: [String]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ka-client-\(UUID().uuidString).properties")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func jaas(_ mechanism: String, password: String = SecurityPeerTests.password) -> String {
        let module = mechanism == "PLAIN" ? "plain.PlainLoginModule" : "scram.ScramLoginModule"
        return
            "sasl.jaas.config=org.apache.kafka.common.security.\(module) required username=\"alice\" password=\"\(password)\";"
    }

    func peersPresent() -> Bool {
        guard Peers.tansu != nil else {
            Peers.missing("Tansu broker (.build-peers/tansu)")
            return false
        }
        guard Peers.pythonHas("scramp"), Peers.pythonHas("kafka") else {
            Peers.missing("python modules scramp and kafka-python")
            return false
        }
        guard (try? Peers.run("openssl", ["version"]).status) == 0 else {
            Peers.missing("openssl")
            return false
        }
        return true
    }

    /// SASL_SSL with SCRAM-SHA-512 end to end: describe, api-versions (which reconnects to the
    /// advertised broker) and keys --bootstrap; kafka-python sees the same topics through the same peer.
    @Test(.requires(.tansu, .python("scramp"), .python("kafka"), .openssl)) func saslSSLWithScramSha512() throws {
        guard peersPresent(), let binary = Peers.tansu else { return }
        let certs = try Certificates()
        let front = try TansuBroker.freePort()
        let broker = try TansuBroker(binary: binary, advertisedPort: front)
        try broker.createTopic("secure-orders", partitions: 3)
        let proxy = try Proxy(port: front, upstream: broker.port, certificates: certs, mechanism: "SCRAM-SHA-512")
        let bootstrap = "localhost:\(proxy.port)"

        let independent = try Peers.run(
            "python3",
            [
                Peers.script.appendingPathComponent("secure_client.py").path, bootstrap, "SASL_SSL", "SCRAM-SHA-512",
                "alice", Self.password, certs.ca,
            ])
        #expect(independent.status == 0, "kafka-python through the peer: \(independent.stderr)")
        #expect(independent.stdout.contains("secure-orders"))

        let file = try config([
            "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", jaas("SCRAM-SHA-512"),
            "ssl.truststore.type=PEM", "ssl.truststore.location=\(certs.ca)",
        ])
        let describe = try CLIRunner.run([
            "cluster", "describe", "--bootstrap", bootstrap, "--command-config", file, "--format", "json", "--timeout",
            "10s",
        ])
        #expect(describe.status == 0, "\(describe.stderr)")
        let topics = (try CLIRunner.json(describe.stdout)["topics"] as? [[String: Any]] ?? []).compactMap {
            $0["name"] as? String
        }
        #expect(topics.contains("secure-orders"))
        let versions = try CLIRunner.run([
            "cluster", "api-versions", "--bootstrap", bootstrap, "--command-config", file,
        ])
        #expect(versions.status == 0, "\(versions.stderr)")
        #expect(versions.stdout.contains("SaslAuthenticate"))
        let keys = try CLIRunner.run([
            "keys", "--bootstrap", bootstrap, "--topic", "secure-orders", "--command-config", file, "--format", "json",
        ])
        #expect(keys.status == 0, "\(keys.stderr)")
        for output in [describe, versions, keys] {
            #expect(!(output.stdout + output.stderr).contains(Self.password), "the password must never be printed")
        }
    }

    /// SCRAM-SHA-256 without TLS, and PLAIN over TLS.
    @Test(
        .requires(.tansu, .python("scramp"), .python("kafka"), .openssl),
        arguments: [("SASL_PLAINTEXT", "SCRAM-SHA-256"), ("SASL_SSL", "PLAIN"), ("SSL", "")])
    func otherMechanisms(securityProtocol: String, mechanism: String) throws {
        guard peersPresent(), let binary = Peers.tansu else { return }
        let certs = try Certificates()
        let broker = try TansuBroker(binary: binary)
        try broker.createTopic("t", partitions: 1)
        let tls = securityProtocol.contains("SSL")
        let proxy = try Proxy(
            port: try TansuBroker.freePort(), upstream: broker.port, certificates: tls ? certs : nil,
            mechanism: mechanism.isEmpty ? nil : mechanism)
        var lines = ["security.protocol=\(securityProtocol)"]
        if !mechanism.isEmpty { lines += ["sasl.mechanism=\(mechanism)", jaas(mechanism)] }
        if tls { lines += ["ssl.truststore.location=\(certs.ca)", "ssl.truststore.type=PEM"] }
        let r = try CLIRunner.run([
            "cluster", "describe", "--bootstrap", "localhost:\(proxy.port)", "--command-config", try config(lines),
            "--timeout", "10s",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("t: 1 partition"))
    }

    /// Every failure: one line on stderr, exit 3 within the timeout, the password never shown.
    @Test(.requires(.tansu, .python("scramp"), .python("kafka"), .openssl)) func failuresAreOneLineAndExitThree() throws
    {
        guard peersPresent(), let binary = Peers.tansu else { return }
        let certs = try Certificates()
        let broker = try TansuBroker(binary: binary)
        let scram = try Proxy(
            port: try TansuBroker.freePort(), upstream: broker.port, certificates: certs, mechanism: "SCRAM-SHA-512")
        let trust = ["ssl.truststore.location=\(certs.ca)", "ssl.truststore.type=PEM"]
        let cases: [(String, [String], Int, String)] = [
            (
                "wrong password",
                [
                    "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                    jaas("SCRAM-SHA-512", password: "wrong-\(Self.password)"),
                ] + trust, scram.port, "authentication failed"
            ),
            (
                "mechanism not offered", ["security.protocol=SASL_SSL", "sasl.mechanism=PLAIN", jaas("PLAIN")] + trust,
                scram.port, "not enabled"
            ),
            (
                "untrusted certificate",
                [
                    "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", jaas("SCRAM-SHA-512"),
                    "ssl.truststore.location=\(certs.otherCA)", "ssl.truststore.type=PEM",
                ], scram.port, "not trusted"
            ),
            ("TLS against a plaintext port", ["security.protocol=SSL"] + trust, broker.port, "TLS"),
            ("plaintext against a TLS port", ["security.protocol=PLAINTEXT"], scram.port, "TLS"),
        ]
        for (name, lines, port, expected) in cases {
            let start = Date()
            let r = try CLIRunner.run([
                "cluster", "describe", "--bootstrap", "localhost:\(port)", "--command-config", try config(lines),
                "--timeout", "4s",
            ])
            #expect(Date().timeIntervalSince(start) < 6, "\(name)")
            #expect(r.status == 3, "\(name): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(name): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(name): \(r.stderr)")
            #expect(!r.stderr.contains(Self.password), "\(name): the password must never be printed")
        }
    }

    /// Bad --command-config files are input errors (exit 2) naming the file, line and key.
    @Test func badCommandConfigsAreInputErrors() throws {
        let cases: [([String], String)] = [
            (["security.protocol=SASL_SSL", "sasl.mechanism=GSSAPI"], ":2: sasl.mechanism"),
            (
                [
                    "security.protocol=SSL", "ssl.truststore.location=/etc/kafka/truststore.jks",
                    "ssl.truststore.password=changeit",
                ], ":2: ssl.truststore.location"
            ),
            (["security.protocol=SASL_PLAIN"], ":1: security.protocol"),
            (
                [
                    "security.protocol=SASL_PLAINTEXT", "sasl.mechanism=PLAIN",
                    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\";",
                ], "no password"
            ),
            (["security.protocol=SSL", "ssl.truststore.location=/nonexistent/ca.pem"], "cannot read CA certificates"),
        ]
        for (lines, expected) in cases {
            let file = try config(lines)
            let r = try CLIRunner.run(["cluster", "describe", "--bootstrap", "127.0.0.1:9", "--command-config", file])
            #expect(r.status == 2, "\(lines): \(r.stderr)")
            #expect(r.stderr.contains(file) && r.stderr.contains(expected), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        let missing = try CLIRunner.run([
            "cluster", "describe", "--bootstrap", "127.0.0.1:9", "--command-config", "/nonexistent/client.properties",
        ])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/client.properties"))
    }
}
