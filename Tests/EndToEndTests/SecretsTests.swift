import Foundation
import LedgerDrop
import LedgerDropSandbox
import Testing

extension EndToEnd {
    /// Every secret in the environment and (other values) in the encrypted store; every command
    /// at trace level, in both log formats: not one occurrence in stdout, stderr or the spool.
    @Suite("No secret in any output", .serialized)
    struct SecretsTests {
        static let masterKey = Data((0..<32).map { UInt8($0 * 7 % 251) }).base64EncodedString()
        /// Stored values differ from the environment's (which wins), so both sets are searched.
        static let storedClientSecret = "stored-client-secret-91c3"
        static let storedPassword = "stored-password-5e77"
        static let storedPartnerSecret = "stored-partner-secret-2d4a"

        static func secrets() -> [String] {
            let basic = Data("\(SandboxHarness.user):\(SandboxHarness.password)".utf8).base64EncodedString()
            return [SandboxHarness.clientSecret, SandboxHarness.password, SandboxHarness.partnerUserSecret, masterKey,
                    storedClientSecret, storedPassword, storedPartnerSecret, basic,
                    // The header of every JWT ledgerdrop signs ({"alg":"HS256","typ":"JWT"}).
                    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"]
        }

        static func environment(_ harness: SandboxHarness) -> [String: String] {
            harness.environment.merging(["LEDGERDROP_MASTER_KEY": masterKey, "HOME": harness.spool.root]) { $1 }
        }

        /// Stores the other values, with the master key from the environment.
        static func fillStore(_ harness: SandboxHarness) async throws {
            let environment = ["XDG_CONFIG_HOME": harness.spool.root + "/.config", "LEDGERDROP_MASTER_KEY": masterKey, "HOME": harness.spool.root]
            let x3 = "\(SandboxHarness.clientID)\n\(storedClientSecret)\n\(SandboxHarness.user)\n\(storedPassword)\n"
            let expensify = "\(SandboxHarness.partnerUserID)\n\(storedPartnerSecret)\n"
            #expect(try await Binary.run(["credentials", "set", "x3"], in: harness.spool.root, environment: environment, input: x3).status == 0)
            #expect(try await Binary.run(["credentials", "set", "expensify"], in: harness.spool.root, environment: environment, input: expensify).status == 0)
        }

        /// Every file under the spool but the sealed store itself.
        static func spoolText(_ root: String) -> (text: String, files: Int) {
            var text = ""
            var files = 0
            let walker = FileManager.default.enumerator(atPath: root)
            while let path = walker?.nextObject() as? String {
                guard !path.hasSuffix("credentials.enc"), !path.hasSuffix("credentials.key"), path != "ledgerdrop.yml",
                      let data = FileSystem.contents(ofFileAt: root + "/" + path) else { continue }
                files += 1
                text += String(decoding: data, as: UTF8.self)
            }
            return (text, files)
        }

        @Test(arguments: ["text graphql", "json graphql", "text soap", "json soap"])
        func everyCommandAtTraceLevel(name: String) async throws {
            let format = String(name.split(separator: " ")[0]), api = String(name.split(separator: " ")[1])
            let harness = try await SandboxHarness.start(retries: 1, api: api)
            defer { Task { await harness.stop() } }
            try await Self.fillStore(harness)
            let environment = Self.environment(harness)
            let logging = ["--log-level", "trace", "--log-format", format]
            var output = ""
            func run(_ arguments: [String]) async throws {
                let result = try await Binary.run(arguments + logging, in: harness.spool.root, environment: environment)
                output += "$ \(arguments.joined(separator: " "))\n" + result.stdout + result.stderr
            }
            try await run(["credentials", "list"])
            try await run(["check"])
            try await run(["fetch", "--dry-run", "--since", "2026-10-01"])
            try await run(["fetch", "--since", "2026-10-01"])
            try await run(["convert", "--dry-run"])
            try await run(["post", "--dry-run"])
            try await run(["run"])
            try await run(["status"])
            try await run(["audit"])
            // A refusal that quotes the Authorization header lands in an error file.
            try harness.spool.write("echo.json", #"{"reportID": "RECHO", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#)
            try await run(["convert"])
            await harness.sandbox.state.setFaults(SandboxFaults(failPercent: 100, kinds: [.echoCredentials]))
            try await run(["post"])
            await harness.sandbox.state.setFaults(.none)
            try await run(["replay", "--all"])
            try await run(["post"])
            // Wrong credentials: the refused values are not echoed either.
            let wrong = try await Binary.run(["post"] + logging, in: harness.spool.root, environment: environment.merging(["X3_CLIENT_SECRET": "wrong-secret-value-xyz", "X3_PASSWORD": "wrong-password-value-xyz"]) { $1 })
            output += wrong.stdout + wrong.stderr
            // watch, stopped by SIGTERM after its first pass.
            let watch = try Binary.start(["watch", "--schedule", "every 1h"] + logging, in: harness.spool.root, environment: environment)
            #expect(try await RunAndWatchTests.wait { RunAndWatchTests.output(watch).contains("pass at") })
            kill(watch.pid, SIGTERM)
            let watched = await watch.finish()
            output += watched.stdout + watched.stderr

            #expect(output.contains("trace") || output.contains("debug") || format == "json", "logging did run at trace level")
            #expect(try harness.ledger().count == 21, "the commands did their work: \(output.suffix(2000))")
            let spool = Self.spoolText(harness.spool.root)
            let searched = spool.files > 40 && spool.text.contains("RECHO"), redacted = spool.text.contains("[redacted")
            #expect(searched, "the search read the spool")
            #expect(redacted, "the echoed header was in X3's answer and is redacted")
            for secret in Self.secrets() + ["wrong-secret-value-xyz", "wrong-password-value-xyz"] {
                // Booleans, so that a failure names the secret, not megabytes of output.
                let inOutput = output.contains(secret), inSpool = spool.text.contains(secret)
                #expect(!inOutput, "\(secret) in stdout or stderr")
                #expect(!inSpool, "\(secret) in the spool")
            }
        }
    }
}
