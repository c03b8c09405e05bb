import Foundation
import Testing

extension EndToEnd {
    /// Every fuzz seed and every fixed finding under `fixtures/fuzz/` goes through its parser
    /// once, in the normal build (`ledgerdrop-fuzz TARGET FOLDER`): a finding stays fixed.
    @Suite("Fuzz seeds and findings replay")
    struct FuzzSeedTests {
        static var binary: String {
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ledgerdrop-fuzz").path
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)),
              arguments: ["report", "yaml", "soap-reply", "graphql-reply", "expensify-reply", "export-splitter"])
        func everyInputRunsWithoutACrash(target: String) async throws {
            let root = Binary.packageRoot + "/fixtures"
            var folders = [root + "/fuzz/" + target, root + "/fuzz/findings/" + target].filter { FileManager.default.fileExists(atPath: $0) }
            if target == "report" { folders += [root + "/reports", root + "/bad"] }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = [target] + folders
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = await withCheckedContinuation { (done: CheckedContinuation<String, Never>) in
                Thread { let data = pipe.fileHandleForReading.readDataToEndOfFile(); process.waitUntilExit(); done.resume(returning: String(decoding: data, as: UTF8.self)) }.start()
            }
            #expect(process.terminationStatus == 0, "\(output)")
            #expect(output.contains("ran without a crash") && !output.contains(": 0 input"), "\(output)")
        }
    }
}
