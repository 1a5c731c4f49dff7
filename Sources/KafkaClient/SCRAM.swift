// SCRAM-SHA-256 and SCRAM-SHA-512 client (RFC 5802, RFC 7677), as Kafka uses it (KIP-84): no
// channel binding ("n,,"), the server's iteration count between 4096 and 16384.

import Crypto
import Foundation

struct SCRAMClient {
    enum Failure: Error, Equatable {
        case malformed(String)
        case serverSignatureMismatch
        case serverError(String)
    }

    let mechanism: SASLMechanism
    let username: String
    let password: String
    let nonce: String
    private(set) var clientFirstBare = ""
    private(set) var expectedServerSignature: [UInt8] = []

    init(mechanism: SASLMechanism, username: String, password: String, nonce: String? = nil) {
        self.mechanism = mechanism
        self.username = username
        self.password = password
        self.nonce = nonce ?? Self.randomNonce()
    }

    static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }

    /// RFC 5802 5.1: '=' and ',' in names are escaped.
    static func saslName(_ s: String) -> String {
        s.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
    }

    mutating func clientFirst() -> [UInt8] {
        clientFirstBare = "n=\(Self.saslName(username)),r=\(nonce)"
        return Array(("n,," + clientFirstBare).utf8)
    }

    /// Answers the server-first message with the client proof.
    mutating func clientFinal(serverFirst: [UInt8]) throws(Failure) -> [UInt8] {
        let text = String(decoding: serverFirst, as: UTF8.self)
        let attributes = Self.attributes(text)
        if let e = attributes["e"] { throw .serverError(e) }
        guard let serverNonce = attributes["r"], serverNonce.hasPrefix(nonce), serverNonce.count > nonce.count else {
            throw .malformed("server nonce does not extend ours")
        }
        guard let saltText = attributes["s"], let salt = Data(base64Encoded: saltText) else {
            throw .malformed("no salt")
        }
        // Kafka's own client refuses fewer than 4096 iterations (a cheap proof to attack offline).
        guard let iterations = attributes["i"].flatMap(Int.init), iterations >= 4096, iterations <= 1_000_000 else {
            throw .malformed("iteration count outside 4096…1000000")
        }
        let withoutProof = "c=biws,r=\(serverNonce)"
        let authMessage = Array("\(clientFirstBare),\(text),\(withoutProof)".utf8)
        let salted = Self.pbkdf2(mechanism, password: Array(password.utf8), salt: Array(salt), iterations: iterations)
        let clientKey = Self.hmac(mechanism, key: salted, Array("Client Key".utf8))
        let storedKey = Self.hash(mechanism, clientKey)
        let signature = Self.hmac(mechanism, key: storedKey, authMessage)
        let proof = zip(clientKey, signature).map { $0 ^ $1 }
        let serverKey = Self.hmac(mechanism, key: salted, Array("Server Key".utf8))
        expectedServerSignature = Self.hmac(mechanism, key: serverKey, authMessage)
        return Array("\(withoutProof),p=\(Data(proof).base64EncodedString())".utf8)
    }

    func verify(serverFinal: [UInt8]) throws(Failure) {
        let attributes = Self.attributes(String(decoding: serverFinal, as: UTF8.self))
        if let e = attributes["e"] { throw .serverError(e) }
        guard let v = attributes["v"], let signature = Data(base64Encoded: v),
            signature.count == expectedServerSignature.count
        else { throw .serverSignatureMismatch }
        // Constant time: the comparison takes as long whatever byte differs.
        guard zip(signature, expectedServerSignature).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw .serverSignatureMismatch
        }
    }

    static func attributes(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for part in text.split(separator: ",") {
            guard let eq = part.firstIndex(of: "="), part.distance(from: part.startIndex, to: eq) == 1 else { continue }
            out[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        return out
    }

    static func hmac(_ m: SASLMechanism, key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        let k = SymmetricKey(data: key)
        return m == .scramSHA512
            ? Array(HMAC<SHA512>.authenticationCode(for: data, using: k))
            : Array(HMAC<SHA256>.authenticationCode(for: data, using: k))
    }

    static func hash(_ m: SASLMechanism, _ data: [UInt8]) -> [UInt8] {
        m == .scramSHA512 ? Array(SHA512.hash(data: data)) : Array(SHA256.hash(data: data))
    }

    /// PBKDF2 with HMAC of the mechanism's hash; one block (the output is one hash long).
    static func pbkdf2(_ m: SASLMechanism, password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let k = SymmetricKey(data: password)
        func mac(_ data: [UInt8]) -> [UInt8] {
            m == .scramSHA512
                ? Array(HMAC<SHA512>.authenticationCode(for: data, using: k))
                : Array(HMAC<SHA256>.authenticationCode(for: data, using: k))
        }
        var u = mac(salt + [0, 0, 0, 1])
        var result = u
        for _ in 1..<iterations {
            u = mac(u)
            for j in 0..<result.count { result[j] ^= u[j] }
        }
        return result
    }
}
