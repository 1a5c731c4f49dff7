import Testing

@testable import KafkaClient

@Suite struct SCRAMTests {
    /// RFC 7677 section 3: the SCRAM-SHA-256 example exchange, byte for byte.
    @Test func rfc7677Example() throws {
        var client = SCRAMClient(
            mechanism: .scramSHA256, username: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(String(decoding: client.clientFirst(), as: UTF8.self) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        let final = try client.clientFinal(serverFirst: Array(serverFirst.utf8))
        #expect(
            String(decoding: final, as: UTF8.self)
                == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        )
        try client.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        #expect(throws: SCRAMClient.Failure.serverSignatureMismatch) {
            try client.verify(serverFinal: Array("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        }
    }

    /// A server (or a man in the middle) asking for a cheap proof is refused, as Kafka's client does.
    @Test func tooFewIterationsAreRefused() {
        var client = SCRAMClient(mechanism: .scramSHA512, username: "alice", password: "x", nonce: "abc")
        _ = client.clientFirst()
        #expect(throws: SCRAMClient.Failure.self) {
            try client.clientFinal(serverFirst: Array("r=abcdef,s=QSXCR+Q6sek8bf92,i=1".utf8))
        }
        #expect(throws: SCRAMClient.Failure.self) {
            try client.clientFinal(serverFirst: Array("r=xyz,s=QSXCR+Q6sek8bf92,i=4096".utf8))
        }
    }

    @Test func namesAreEscaped() {
        #expect(SCRAMClient.saslName("a=b,c") == "a=3Db=2Cc")
    }
}

@Suite struct ClientSecurityTests {
    func parse(_ lines: [String: String]) throws(ClientSecurity.ConfigError) -> ClientSecurity {
        var props: [String: (value: String, line: Int)] = [:]
        for (i, (k, v)) in lines.sorted(by: { $0.key < $1.key }).enumerated() { props[k] = (v, i + 1) }
        return try ClientSecurity.from(properties: props, file: "client.properties")
    }

    @Test func javaPropertiesBecomeSettings() throws {
        let s = try parse([
            "security.protocol": "sasl_ssl", "sasl.mechanism": "SCRAM-SHA-512",
            "sasl.jaas.config":
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"p a\\\"ss\";",
            "ssl.truststore.type": "PEM", "ssl.truststore.location": "/etc/kafka/ca.pem",
            "ssl.endpoint.identification.algorithm": "",
        ])
        #expect(s.securityProtocol == .saslSSL)
        #expect(s.sasl == SASLCredentials(mechanism: .scramSHA512, username: "alice", password: "p a\"ss"))
        #expect(s.tls?.caFile == "/etc/kafka/ca.pem")
        #expect(s.tls?.verifyHostname == false)
        #expect(!s.description.contains("p a"))
    }

    /// A malformed JAAS line never echoes what was parsed (part of a password could be in it).
    @Test(arguments: [
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=my secretword;",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"secretword;",
    ])
    func jaasErrorsDoNotEchoSecrets(jaas: String) {
        do throws(ClientSecurity.ConfigError) {
            _ = try parse(["security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN", "sasl.jaas.config": jaas])
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("secretword"), "\(error.description)")
            #expect(error.description.hasPrefix("client.properties:"))
        }
    }
}
