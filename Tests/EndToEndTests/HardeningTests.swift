import Foundation
import LedgerDrop
import LedgerDropSandbox
import Testing

extension EndToEnd {
    /// What a new user or an adversary meets at the command line: each case failed before
    /// ledgerdrop handled it.
    @Suite("Command-line hardening")
    struct HardeningTests {
        static let meal = #"{"reportID": "RHARD", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#

        @Test(arguments: ["status", "audit", "replay"])
        func aSpoolThatDoesNotExistIsAnError(command: String) async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            let missing = spool.root + "/no-such-spool"
            let result = try await Binary.run([command, "--spool", missing] + (command == "replay" ? ["--all"] : []), in: spool.root)
            #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("does not exist"))
            #expect(!FileManager.default.fileExists(atPath: missing))
        }

        @Test func convertDoesNotCreateASpoolThatIsNotThere() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            let text = try String(contentsOfFile: spool.root + "/ledgerdrop.yml", encoding: .utf8).replacingOccurrences(of: "spool: .", with: "spool: ./typo")
            try text.write(toFile: spool.root + "/ledgerdrop.yml", atomically: true, encoding: .utf8)
            let result = try await Binary.run(["convert"], in: spool.root)
            #expect(result.status == 2 && result.stderr.contains("typo"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: spool.root + "/typo"))
        }

        @Test func initWithAConfigPathPutsTheFoldersWhereItsSpoolPoints() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            let result = try await Binary.run(["init", "--config", "site/ledgerdrop.yml"], in: spool.root)
            #expect(result.status == 0, "\(result.stderr)")
            for folder in ["inbox", "outbox", "archive", "done", "failed"] {
                #expect(FileManager.default.fileExists(atPath: spool.root + "/site/" + folder), "\(folder)")
            }
            #expect(!FileManager.default.fileExists(atPath: spool.root + "/outbox"), "nothing where the configuration does not point")
        }

        @Test func initOnAPathThatCannotBeMadeIsAnError() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            let result = try await Binary.run(["init", "--spool", "/proc/1/ledgerdrop"], in: spool.root)
            #expect(result.status == 3, "an error, not a crash: \(result.status)")
            #expect(result.stderr.contains("SPOOL_UNAVAILABLE"))
        }

        @Test func replayOfAnUnknownEntryKeyIsAnError() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            _ = try await Binary.run(["init", "--spool", spool.root], in: spool.root)
            let result = try await Binary.run(["replay", "R-NOT-THERE", "--spool", spool.root], in: spool.root)
            #expect(result.status == 2 && result.stderr.contains("R-NOT-THERE"), "\(result.stderr)")
        }

        @Test func anUnwritableStandardErrorNeverCrashesAndTheExitCodeStillSays() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            for (arguments, code) in [(["status", "--spool", spool.root + "/missing"], Int32(2)), (["nosuch"], 2), (["status", "--spool", spool.root], 0)] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: Binary.path)
                process.arguments = arguments
                process.currentDirectoryURL = URL(fileURLWithPath: spool.root)
                process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
                process.standardError = FileHandle(forWritingAtPath: "/dev/full")
                try process.run()
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in Thread { process.waitUntilExit(); done.resume() }.start() }
                #expect(process.terminationReason == .exit && process.terminationStatus == code, "\(arguments): \(process.terminationStatus)")
            }
        }

        @Test func controlCharactersInAFileNameNeverReachTheTerminalRaw() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            try Self.meal.write(toFile: spool.root + "/inbox/evil\u{1B}]0;owned\u{07}\u{1B}[2J.json", atomically: true, encoding: .utf8)
            try "not json".write(toFile: spool.root + "/inbox/bad\u{1B}[31m.json", atomically: true, encoding: .utf8)
            let result = try await Binary.run(["convert", "--log-level", "debug"], in: spool.root)
            #expect(result.status == 1)
            let status = try await Binary.run(["status"], in: spool.root)
            for text in [result.stdout, result.stderr, status.stdout] {
                #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
            }
            #expect(result.stderr.contains("bad?[31m.json"), "named, made safe")
        }

        @Test func credentialsSetRefusesMissingValues() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            let home = ["XDG_CONFIG_HOME": spool.root + "/.config", "HOME": spool.root]
            let ended = try await Binary.run(["credentials", "set", "expensify"], in: spool.root, environment: home, input: "aa_partner\n")
            #expect(ended.status == 2 && ended.stderr.contains("nothing was stored"), "\(ended.stderr)")
            let empty = try await Binary.run(["credentials", "set", "x3"], in: spool.root, environment: home, input: "\n\n\n\n")
            #expect(empty.status == 2 && empty.stderr.contains("x3 needs"), "\(empty.stderr)")
            #expect(!FileManager.default.fileExists(atPath: spool.root + "/.config/ledgerdrop/credentials.enc"))
            let basic = try await Binary.run(["credentials", "set", "x3"], in: spool.root, environment: home, input: "\n\nADMIN\nsecret-pw-1\n")
            #expect(basic.status == 0, "an empty line for what the chosen auth does not use: \(basic.stderr)")
        }

        @Test func aStoreOthersCanReadIsMadePrivateWithAWarning() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            let home = ["XDG_CONFIG_HOME": spool.root + "/.config", "HOME": spool.root]
            #expect(try await Binary.run(["credentials", "set", "expensify"], in: spool.root, environment: home, input: "aa_partner\npartner-secret-1\n").status == 0)
            let folder = spool.root + "/.config/ledgerdrop"
            chmod(folder, 0o755)
            chmod(folder + "/credentials.enc", 0o644)
            chmod(folder + "/credentials.key", 0o640)
            let list = try await Binary.run(["credentials", "list"], in: spool.root, environment: home)
            #expect(list.status == 0 && list.stdout.contains("expensify"), "\(list.stderr)")
            #expect(list.stderr.contains("made private"), "\(list.stderr)")
            for (path, mode) in [(folder, 0o700), (folder + "/credentials.enc", 0o600), (folder + "/credentials.key", 0o600)] {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == mode, "\(path)")
            }
        }

        /// The prompt switches echo off; Ctrl-C there must give the terminal back with echo on.
        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/python3")))
        func ctrlCAtThePromptRestoresTheTerminal() async throws {
            let script = """
                import os, pty, sys, termios, time, signal
                pid, fd = pty.fork()
                if pid == 0:
                    # As from a shell: the test runner's threads block signals, which a child inherits.
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    os.environ["XDG_CONFIG_HOME"] = sys.argv[2]
                    os.execv(sys.argv[1], [sys.argv[1], "credentials", "set", "x3"])
                out = b""
                deadline = time.time() + 20
                signal.alarm(30)
                while b"clientID" not in out and time.time() < deadline:
                    out += os.read(fd, 1024)
                before = termios.tcgetattr(fd)[3] & termios.ECHO
                os.write(fd, b"\\x03")
                _, status = os.waitpid(pid, 0)
                after = termios.tcgetattr(fd)[3] & termios.ECHO
                print("echo-off-at-prompt" if before == 0 else "echo-on-at-prompt", "echo-restored" if after else "echo-lost", os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1)
                """
            let spool = try TemporarySpool()
            defer { spool.remove() }
            try script.write(toFile: spool.root + "/prompt_check.py", atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", spool.root + "/prompt_check.py", Binary.path, spool.root + "/.config"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = await withCheckedContinuation { (done: CheckedContinuation<String, Never>) in
                Thread { let data = pipe.fileHandleForReading.readDataToEndOfFile(); process.waitUntilExit(); done.resume(returning: String(decoding: data, as: UTF8.self)) }.start()
            }
            #expect(output.contains("echo-off-at-prompt"), "\(output)")
            #expect(output.contains("echo-restored"), "\(output)")
            #expect(output.contains(" 130"), "Ctrl-C exits 130: \(output)")
        }
    }
}
