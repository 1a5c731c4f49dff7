import Foundation
import Testing

/// The runner itself: it once read standard output to its end before standard error, so a child that
/// wrote more than a pipe holds (64 KiB) to standard error before finishing standard output hung the test.
@Suite struct CLIRunnerTests {
    @Test(.timeLimit(.minutes(1))) func aLargeStandardErrorDoesNotBlockTheChild() throws {
        let script = "head -c 300000 /dev/zero | tr '\\0' e >&2; printf done"
        let r = try CLIRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script])
        #expect(r.status == 0)
        #expect(r.stdout == "done")
        #expect(r.stderr.count == 300_000)
        #expect(r.stderr.allSatisfy { $0 == "e" })
    }

    @Test func standardInputReachesTheChildWhileItWrites() throws {
        let lines = (0..<20_000).map { "key-\($0)" }.joined(separator: "\n") + "\n"
        let r = try CLIRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "cat; cat /dev/null >&2"], stdin: lines)
        #expect(r.stdout == lines)
    }
}
