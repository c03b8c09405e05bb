import Foundation
import LedgerDrop
import Logging

/// `ledgerdrop demo`: the shipped fixture reports through a temporary spool — fetched from the
/// Expensify sandbox, converted, then posted to the X3 sandbox, both on 127.0.0.1 — so a newcomer
/// sees the whole pipeline (`ledgerdrop run`) with one command.
public struct Demo {
    public struct Row: Sendable {
        public var entryKey: String
        public var lines: Int
        public var total: String
        public var x3Entry: String
    }

    public var spool: Spool
    public var ledgerFile: String
    public var rows: [Row]
    public var outcome: Pipeline.Outcome
    public var route: Configuration.X3.API
    /// The file route's second pass, after the sandbox's GESAIM loaded the handed-off files.
    public var later: [String] = []

    /// `route`: the X3 route shown (SPEC §13.1); the import route by default, as it works on
    /// every stock X3. `fixtures`: a folder with `reports/`, `ledgerdrop.yml` and
    /// `x3-master.json`; nil: the ones built into the binary (`DemoFixtures`), so that the demo
    /// runs from any folder.
    public static func run(fixtures given: String? = nil, route: Configuration.X3.API = .import, logger: Logger) async throws(LedgerDropError) -> Demo {
        let spool = Spool(root: NSTemporaryDirectory() + "ledgerdrop-demo-" + String(Timestamp.now() / 1_000_000, radix: 36))
        try spool.create()
        let fixtures: String
        if let given { fixtures = given } else { fixtures = try unpackFixtures(into: spool.root + "/.demo-fixtures") }
        let reports: [ExpensifyReport]
        do { reports = try ExpensifyReport.load(folder: fixtures + "/reports") } catch {
            throw LedgerDropError(.configInvalid, "cannot read the fixture reports in \(fixtures)/reports (\(error))")
        }
        guard let earliest = reports.compactMap(\.approved).min() else {
            throw LedgerDropError(.configInvalid, "no approved fixture reports in \(fixtures)/reports")
        }
        var configuration = try ConfigurationLoader(file: fixtures + "/ledgerdrop.yml").load()

        // Both sandboxes with credentials made up for this run; nothing is read from the
        // environment or the user's credential store.
        func secret() -> String { (0..<3).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 36) }.joined() }
        let partner = ExpensifySandboxCredentials(partnerUserID: "aa_demo_acme_example", partnerUserSecret: secret())
        let x3 = X3SandboxCredentials(clientID: "ledgerdrop-demo", clientSecret: secret(), user: "DEMO", password: secret())
        let master: X3MasterData
        do { master = try X3MasterData.load(fixtures + "/x3-master.json") } catch {
            throw LedgerDropError(.configInvalid, "cannot read \(fixtures)/x3-master.json: \(error)")
        }
        let ledgerFile = spool.root + "/x3-sandbox-ledger.json"
        let expensify: ExpensifySandbox
        let x3Sandbox: X3Sandbox
        do {
            expensify = try await ExpensifySandbox.start(reports: reports, credentials: partner)
            x3Sandbox = try await X3Sandbox.start(master: master, ledgerFile: ledgerFile, credentials: x3)
        } catch {
            throw LedgerDropError(.spoolUnavailable, "the sandboxes did not start: \(error)")
        }
        configuration.expensify.url = expensify.url
        configuration.expensify.downloadPoll = .milliseconds(200)
        configuration.x3.url = x3Sandbox.url
        configuration.x3.api = route
        if route != .graphql { configuration.x3.auth = .basic }
        if route == .file {
            configuration.x3.handoffFolder = spool.root + "/x3-import"
            try? FileManager.default.createDirectory(atPath: configuration.x3.handoffFolder, withIntermediateDirectories: true)
        }
        let environment = [
            "EXPENSIFY_PARTNER_USER_ID": partner.partnerUserID, "EXPENSIFY_PARTNER_USER_SECRET": partner.partnerUserSecret,
            "X3_CLIENT_ID": x3.clientID, "X3_CLIENT_SECRET": x3.clientSecret, "X3_USER": x3.user, "X3_PASSWORD": x3.password,
            "XDG_CONFIG_HOME": spool.root + "/.ledgerdrop",
        ]
        // The fixtures were approved on fixed days: the window starts at the earliest of them.
        let pipeline = Pipeline(spool: spool, configuration: configuration, environment: environment, request: .init(since: earliest))
        let outcome = await pipeline.runOnce(logger: logger)
        var later: [String] = []
        if route == .file {
            // Finance loads the handed-off files with GESAIM; the next post finds their numbers.
            await x3Sandbox.loadImportFolder(configuration.x3.handoffFolder)
            let numbers = await Pipeline(spool: spool, configuration: configuration, environment: environment, fetch: false).runOnce(logger: logger)
            later = numbers.lines.filter { $0.hasPrefix("post") }.map { "after GESAIM loaded x3-import/: " + $0 }
        }
        await expensify.stop()
        await x3Sandbox.stop()

        let fm = FileManager.default
        var rows: [Row] = []
        for name in (try? fm.contentsOfDirectory(atPath: spool.path(.done)))?.sorted() ?? [] where name.hasSuffix(Receipt.suffix) {
            guard let data = fm.contents(atPath: spool.path(.done, name)), let receipt = Receipt.read(Array(data)) else { continue }
            rows.append(Row(entryKey: receipt.entryKey, lines: receipt.lineCount, total: "\(receipt.total) \(receipt.currency)", x3Entry: receipt.x3EntryNumber))
        }
        return Demo(spool: spool, ledgerFile: ledgerFile, rows: rows, outcome: outcome, route: route, later: later)
    }

    public var exitCode: Int32 { outcome.exitCode }

    public var text: String {
        func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
        func left(_ s: String, _ width: Int) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }
        var lines = [pad("entry key", 26) + left("lines", 5) + "  " + left("debits", 18) + "  X3 entry"]
        for row in rows {
            lines.append(pad(row.entryKey, 26) + left(String(row.lines), 5) + "  " + left(row.total, 18) + "  " + row.x3Entry)
        }
        lines.append("")
        let how = switch route {
        case .import: "import records through AOWSIMPORT run, numbers read back with the stock journalEntry query"
        case .soap: "object XML through the GAS publication's save"
        case .graphql: "the journal-entry mutation over GraphQL"
        case .file: "import files handed to a folder for GESAIM, numbers found once loaded"
        }
        lines.append("Expensify sandbox → inbox/ → outbox/ → X3 sandbox (route \(route.rawValue): \(how)):")
        lines += (outcome.lines + later).map { "  " + $0 }
        lines.append("Look at: \(spool.path(.done)) (payloads and receipts), \(spool.path(.archive)) (the fetched reports), \(spool.auditLog), \(ledgerFile) (the sandbox's ledger)")
        lines.append("Next: `ledgerdrop status --spool \(spool.root)`")
        return lines.joined(separator: "\n")
    }
}

extension Demo {
    /// The fixtures built into the binary, written out as files (the sandboxes and the
    /// configuration loader read files). Returns their folder.
    static func unpackFixtures(into folder: String) throws(LedgerDropError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: folder + "/reports", withIntermediateDirectories: true)
            for (path, base64) in DemoFixtures.files {
                guard let data = Data(base64Encoded: base64) else { throw LedgerDropError(.configInvalid, "the built-in demo fixture \(path) is not base64") }
                try data.write(to: URL(fileURLWithPath: folder + "/" + path))
            }
        } catch let error as LedgerDropError {
            throw error
        } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot write the demo's fixtures into \(folder): \(error)")
        }
        return folder
    }
}
