import Foundation
import LedgerDrop

/// The built `ledgerdrop` executable, run as a user would run it.
enum Binary {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    /// `$LEDGERDROP_BINARY`, else beside the test bundle (SwiftPM builds the executable there, as
    /// this test target depends on it).
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["LEDGERDROP_BINARY"] { return explicit }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ledgerdrop").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return packageRoot + "/.build/debug/ledgerdrop"
    }()

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A started `ledgerdrop`. Waiting for it never blocks a thread of Swift's cooperative pool:
    /// the X3 sandbox of the same test process runs there, and a blocked pool would starve it.
    struct Running: Sendable {
        let process: Process
        let out: String
        let err: String

        var isRunning: Bool { process.isRunning }
        var pid: Int32 { process.processIdentifier }

        func finish() async -> Result {
            let process = process
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread { process.waitUntilExit(); continuation.resume() }.start()
            }
            defer {
                try? FileManager.default.removeItem(atPath: out)
                try? FileManager.default.removeItem(atPath: err)
            }
            return Result(status: process.terminationStatus, stdout: Binary.text(of: out), stderr: Binary.text(of: err))
        }
    }

    /// A file's text (POSIX reads: Foundation leaks a buffer per empty file on Linux).
    static func text(of path: String) -> String {
        String(decoding: FileSystem.contents(ofFileAt: path) ?? [], as: UTF8.self)
    }

    /// Starts the binary; output goes to files so a full pipe never blocks it.
    static func start(_ arguments: [String], in folder: String, environment: [String: String] = [:], input: String? = nil) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var env = ProcessInfo.processInfo.environment
        for key in ["LEDGERDROP_CONFIG", "LEDGERDROP_SPOOL", "LEDGERDROP_FAILPOINT", "LEDGERDROP_MASTER_KEY", "X3_CLIENT_ID", "X3_CLIENT_SECRET", "X3_USER", "X3_PASSWORD",
                    "EXPENSIFY_PARTNER_USER_ID", "EXPENSIFY_PARTNER_USER_SECRET"] {
            env.removeValue(forKey: key)
        }
        env.merge(environment) { $1 }
        process.environment = env
        let id = UUID().uuidString
        let out = NSTemporaryDirectory() + "ledgerdrop-out-\(id)"
        let err = NSTemporaryDirectory() + "ledgerdrop-err-\(id)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        if let input {
            let path = NSTemporaryDirectory() + "ledgerdrop-in-\(id)"
            _ = FileManager.default.createFile(atPath: path, contents: Data(input.utf8))
            process.standardInput = FileHandle(forReadingAtPath: path)
        }
        try process.run()
        return Running(process: process, out: out, err: err)
    }

    static func run(_ arguments: [String], in folder: String, environment: [String: String] = [:], input: String? = nil) async throws -> Result {
        try await start(arguments, in: folder, environment: environment, input: input).finish()
    }
}

/// A temporary spool with the fixture configuration, for one test.
struct TemporarySpool {
    let root: String

    init(api: String = "graphql") throws {
        root = NSTemporaryDirectory() + "ledgerdrop-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/inbox", withIntermediateDirectories: true)
        var configuration = try String(contentsOfFile: Binary.packageRoot + "/fixtures/ledgerdrop.yml", encoding: .utf8)
        if api != "graphql" {
            configuration = configuration.replacingOccurrences(of: "api: graphql", with: "api: \(api)")
                .replacingOccurrences(of: "auth: connected-app", with: "auth: basic")
        }
        if api == "file" {
            // The folder X3 loads import files from, relative to the configuration file.
            configuration = configuration.replacingOccurrences(of: "api: file\n", with: "api: file\n  handoff: { folder: x3-import }\n")
            try FileManager.default.createDirectory(atPath: root + "/x3-import", withIntermediateDirectories: true)
        }
        try configuration.write(toFile: root + "/ledgerdrop.yml", atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: root + "/inbox/" + name, atomically: true, encoding: .utf8)
    }

    /// Every file under `.ledgerdrop/` (claims and temp files), recursively.
    func privateFiles() -> [String] {
        let base = root + "/.ledgerdrop"
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        return walker.compactMap { $0 as? String }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}
