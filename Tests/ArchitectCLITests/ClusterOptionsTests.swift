import Foundation
import Testing

/// The live commands' shared flags, checked before any connection is made.
@Suite struct ClusterOptionsTests {
    /// A --timeout of 10^23 s once trapped converting the deadline to Int64 milliseconds.
    @Test(arguments: [["cluster", "describe"], ["cluster", "api-versions"], ["keys", "--topic", "t"]])
    func aHugeTimeoutIsAUsageErrorNotACrash(command: [String]) throws {
        let r = try CLIRunner.run(command + ["--bootstrap", "127.0.0.1:1", "--timeout", "99999999999999999999999s"])
        #expect(r.status == 2)
        #expect(r.stderr == "kafka-architect: error: --timeout: at most 24h, e.g. 30s\n")
    }

    @Test func theClusterCommandsNeedABootstrap() throws {
        for command in [["cluster", "describe"], ["cluster", "api-versions"]] {
            let r = try CLIRunner.run(command)
            #expect(r.status == 2)
            #expect(r.stderr.contains("--bootstrap is required"))
        }
    }

    @Test func aBadBootstrapNamesTheFlag() throws {
        let r = try CLIRunner.run(["cluster", "describe", "--bootstrap", "no-port-here"])
        #expect(r.status == 2)
        #expect(r.stderr == "kafka-architect: error: --bootstrap: 'no-port-here' is not host:port[,host:port]\n")
    }
}
