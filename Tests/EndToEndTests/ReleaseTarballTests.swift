import Foundation
import Testing

extension EndToEnd {
    /// Issue 13: the release tarball (`scripts/release`; `.ci/run` builds it and names it in
    /// `LEDGERDROP_RELEASE_TARBALL`) as an X3 administrator gets it — the binary runs `--version`,
    /// `--help` and `demo` with no Swift toolchain reachable (an environment of PATH=/usr/bin:/bin
    /// alone, LD_LIBRARY_PATH empty, ldd naming system libraries only), from an empty folder; its
    /// manual page renders; its completion scripts know the commands.
    @Suite("The release tarball", .serialized, .enabled(if: ProcessInfo.processInfo.environment["LEDGERDROP_RELEASE_TARBALL"] != nil, "set by .ci/run after scripts/release"))
    struct ReleaseTarballTests {
        /// Runs `executable` with exactly `environment`, in `folder`; (status, stdout + stderr).
        static func run(_ executable: String, _ arguments: [String], in folder: String, environment: [String: String]) async throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.environment = environment
            let out = NSTemporaryDirectory() + "ledgerdrop-release-\(UUID().uuidString).out"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            defer { try? FileManager.default.removeItem(atPath: out) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread { process.waitUntilExit(); done.resume() }.start()
            }
            return (process.terminationStatus, Binary.text(of: out))
        }

        /// The tarball unpacked into a fresh folder; the path of its top folder.
        static func unpack() async throws -> String {
            let tarball = try #require(ProcessInfo.processInfo.environment["LEDGERDROP_RELEASE_TARBALL"])
            let folder = NSTemporaryDirectory() + "ledgerdrop-release-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let (status, output) = try await run("/bin/tar", ["-xzf", tarball, "-C", folder], in: folder, environment: ["PATH": "/usr/bin:/bin"])
            #expect(status == 0, "\(output)")
            let top = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first)
            return folder + "/" + top
        }

        static let bare = ["PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": ""]

        @Test func theBinaryRunsWithoutASwiftToolchainFromAnEmptyFolder() async throws {
            let top = try await Self.unpack()
            let binary = top + "/bin/ledgerdrop"
            let (lddStatus, libraries) = try await Self.run("/usr/bin/ldd", [binary], in: top, environment: Self.bare)
            #expect(lddStatus == 0, "\(libraries)")
            for line in libraries.split(separator: "\n") {
                #expect(!line.contains("swift") && !line.contains("Foundation") && !line.contains("not found"), "only system libraries: \(line)")
                if let path = line.split(separator: " ").first(where: { $0.hasPrefix("/") }) {
                    #expect(path.hasPrefix("/lib") || path.hasPrefix("/usr/lib"), "\(line)")
                }
            }
            let empty = top + "/empty"
            try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
            let (versionStatus, version) = try await Self.run(binary, ["--version"], in: empty, environment: Self.bare)
            #expect(versionStatus == 0 && version.hasPrefix("ledgerdrop 0.") && version.contains("(commit "), "\(version)")
            #expect(!version.contains("commit unknown"), "built from a git checkout: \(version)")
            let (helpStatus, help) = try await Self.run(binary, ["--help"], in: empty, environment: Self.bare)
            #expect(helpStatus == 0 && help.contains("reconcile") && help.contains("demo"), "\(help)")
            let (demoStatus, demo) = try await Self.run(binary, ["demo"], in: empty, environment: Self.bare.merging(["TMPDIR": top]) { $1 })
            #expect(demoStatus == 0, "\(demo)")
            #expect(demo.contains("post: posted 20"), "the built-in fixtures, posted: \(demo)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty, "nothing written where it ran")
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/man"), "man-db (.ci/run installs it)"))
        func theManualRendersAndTheCompletionsKnowTheCommands() async throws {
            let top = try await Self.unpack()
            let page = top + "/share/man/man1/ledgerdrop.1"
            let (status, text) = try await Self.run("/usr/bin/man", ["-l", page], in: top, environment: Self.bare.merging(["MANPAGER": "cat", "MANWIDTH": "100"]) { $1 })
            #expect(status == 0 && text.contains("LEDGERDROP(1)") && text.contains("reconcile") && text.contains("--metrics-file"), "\(text.prefix(600))")
            for script in ["ledgerdrop.bash", "_ledgerdrop", "ledgerdrop.fish"] {
                let completion = try String(contentsOfFile: top + "/share/completions/" + script, encoding: .utf8)
                #expect(completion.contains("reconcile") && completion.contains("watch"), "\(script)")
            }
            for unit in ["ledgerdrop.service", "ledgerdrop.timer", "ledgerdrop-watch.service", "ledgerdrop.cron", "ledgerdrop.logrotate", "ledgerdrop-alerts.yml"] {
                #expect(FileManager.default.fileExists(atPath: top + "/deploy/" + unit), "\(unit)")
            }
        }
    }
}
