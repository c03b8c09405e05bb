import Foundation
import LedgerDropSandbox

/// An X3 sandbox on 127.0.0.1 for one test, and a spool whose configuration points at it.
struct SandboxHarness {
    static let clientID = "ledgerdrop-test"
    static let clientSecret = "test-secret-7c1f9a3e5b"
    static let user = "ADMIN"
    static let password = "test-password-4d2e8f"

    let sandbox: X3Sandbox
    let spool: TemporarySpool
    var ledgerFile: String { spool.root + "/x3-ledger.json" }

    var environment: [String: String] {
        ["X3_CLIENT_ID": Self.clientID, "X3_CLIENT_SECRET": Self.clientSecret, "X3_USER": Self.user, "X3_PASSWORD": Self.password]
    }

    static func start(auth: String = "connected-app", retries: Int = 5, api: String = "graphql") async throws -> SandboxHarness {
        let spool = try TemporarySpool(api: api)
        let master = try X3MasterData.load(Binary.packageRoot + "/fixtures/x3-master.json")
        let credentials = X3SandboxCredentials(clientID: clientID, clientSecret: clientSecret, user: user, password: password)
        let sandbox = try await X3Sandbox.start(master: master, ledgerFile: spool.root + "/x3-ledger.json", credentials: credentials)
        try spool.configure(x3URL: sandbox.url, auth: api == "soap" ? "basic" : auth, retries: retries)
        return SandboxHarness(sandbox: sandbox, spool: spool)
    }

    func stop() async {
        await sandbox.stop()
        spool.remove()
    }

    func ledger() throws -> [X3LedgerEntry] {
        guard FileManager.default.fileExists(atPath: ledgerFile) else { return [] }
        return try JSONDecoder().decode([X3LedgerEntry].self, from: Data(contentsOf: URL(fileURLWithPath: ledgerFile)))
    }

    func copyFixtureReports() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: Binary.packageRoot + "/fixtures/reports") where name.hasSuffix(".json") {
            try FileManager.default.copyItem(atPath: Binary.packageRoot + "/fixtures/reports/" + name, toPath: spool.root + "/inbox/" + name)
        }
    }

    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> Binary.Result {
        try await Binary.run(arguments, in: spool.root, environment: environment.merging(extra) { $1 })
    }
}

extension TemporarySpool {
    /// Points the spool's configuration at a sandbox, with short retries for tests.
    func configure(x3URL: String, auth: String, retries: Int) throws {
        let path = root + "/ledgerdrop.yml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "url: http://127.0.0.1:8124", with: "url: \(x3URL)")
            .replacingOccurrences(of: "auth: connected-app", with: "auth: \(auth)").replacingOccurrences(of: "auth: basic", with: "auth: \(auth)")
            .replacingOccurrences(of: "  journal: \"\"\n", with: "  journal: \"\"\n  retries: \(retries)\n  backoff: 10ms\n  timeout: 5s\n  concurrency: 4\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
