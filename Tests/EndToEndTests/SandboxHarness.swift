import Foundation
import LedgerDrop
import LedgerDropSandbox

/// An X3 sandbox and an Expensify sandbox on 127.0.0.1 for one test, and a spool whose
/// configuration points at both.
struct SandboxHarness {
    static let clientID = "ledgerdrop-test"
    static let clientSecret = "test-secret-7c1f9a3e5b"
    static let user = "ADMIN"
    static let password = "test-password-4d2e8f"
    static let partnerUserID = "aa_ledgerdrop_test"
    static let partnerUserSecret = "expensify-secret-5a8c1e9b"

    let sandbox: X3Sandbox
    let expensify: ExpensifySandbox
    let spool: TemporarySpool
    var ledgerFile: String { spool.root + "/x3-ledger.json" }

    /// The credentials of both sandboxes, and a credential-store folder of the test's own, so
    /// that the user's store is never read.
    var environment: [String: String] {
        ["X3_CLIENT_ID": Self.clientID, "X3_CLIENT_SECRET": Self.clientSecret, "X3_USER": Self.user, "X3_PASSWORD": Self.password,
         "EXPENSIFY_PARTNER_USER_ID": Self.partnerUserID, "EXPENSIFY_PARTNER_USER_SECRET": Self.partnerUserSecret,
         "XDG_CONFIG_HOME": spool.root + "/.config"]
    }

    /// Expensify's limits (5 per 10 s, 20 per 60 s) scaled down tenfold, so tests run fast; the
    /// client is configured with the same unless a test says otherwise.
    static let scaledLimits: [Configuration.RequestLimit] = [.init(requests: 5, per: .seconds(1)), .init(requests: 20, per: .seconds(6))]

    /// `expensifyReports` nil: the fixture reports. `expensifyOptions` are extra `expensify:` keys.
    static func start(auth: String = "connected-app", retries: Int = 5, api: String = "graphql", tls: X3Sandbox.TLSFiles? = nil,
                      expensifyReports: [ExpensifyReport]? = nil, expensifyLimits: [Configuration.RequestLimit] = scaledLimits,
                      renderPolls: Int = 1, expensifyOptions: [String] = []) async throws -> SandboxHarness {
        let spool = try TemporarySpool(api: api)
        let master = try X3MasterData.load(Binary.packageRoot + "/fixtures/x3-master.json")
        let credentials = X3SandboxCredentials(clientID: clientID, clientSecret: clientSecret, user: user, password: password)
        let sandbox = try await X3Sandbox.start(master: master, ledgerFile: spool.root + "/x3-ledger.json", credentials: credentials, tls: tls)
        let reports = try expensifyReports ?? ExpensifyReport.load(folder: Binary.packageRoot + "/fixtures/reports")
        let expensify = try await ExpensifySandbox.start(reports: reports, credentials: .init(partnerUserID: partnerUserID, partnerUserSecret: partnerUserSecret),
                                                         limits: expensifyLimits, renderPolls: renderPolls)
        try spool.configure(x3URL: sandbox.url, auth: api == "graphql" ? auth : "basic", retries: retries)
        let limits = expensifyOptions.contains { $0.hasPrefix("rateLimit:") } ? [] : ["rateLimit: [\"5/1s\", \"20/6s\"]"]
        try spool.configure(expensifyURL: expensify.url, options: limits + expensifyOptions)
        return SandboxHarness(sandbox: sandbox, expensify: expensify, spool: spool)
    }

    func stop() async {
        await sandbox.stop()
        await expensify.stop()
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

/// A private CA and a server certificate for 127.0.0.1, made with openssl for one test.
struct TestCertificates {
    let folder: String
    var ca: String { folder + "/ca.pem" }
    var files: X3Sandbox.TLSFiles { .init(certificateChain: folder + "/server.pem", privateKey: folder + "/server.key") }

    static func make() throws -> TestCertificates {
        let folder = NSTemporaryDirectory() + "ledgerdrop-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".write(toFile: folder + "/ext.cnf", atomically: true, encoding: .utf8)
        for arguments in [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=ledgerdrop test CA"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"],
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        return TestCertificates(folder: folder)
    }
}

extension TemporarySpool {
    /// Adds an `expensify:` section pointing at the Expensify sandbox, with fast polls for tests.
    func configure(expensifyURL: String, options: [String]) throws {
        let path = root + "/ledgerdrop.yml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let keys = ["url: \(expensifyURL)", "lookback: 3d", "downloadPoll: 50ms", "backoff: 10ms"] + options
        text += "\nexpensify:\n" + keys.map { "  \($0)\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Sets `x3.timeout` in the spool's configuration.
    func configure(x3Timeout: String) throws {
        let path = root + "/ledgerdrop.yml"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "  timeout: 5s\n", with: "  timeout: \(x3Timeout)\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

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
