import ArgumentParser
import Foundation
import LedgerDrop
import LedgerDropSandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Runs local stand-ins for Sage X3 and Expensify on 127.0.0.1 until stopped.",
        discussion: """
            Each accepts the credentials the real commands use: X3_CLIENT_ID, X3_CLIENT_SECRET, X3_USER and \
            X3_PASSWORD for X3; EXPENSIFY_PARTNER_USER_ID and EXPENSIFY_PARTNER_USER_SECRET for Expensify. \
            A sandbox whose secret is not set is not started.
            """
    )

    @Option(help: "The X3 sandbox's port (0: any free port).")
    var port = 8124

    @Option(help: "The Expensify sandbox's port (0: any free port).")
    var expensifyPort = 8125

    @Option(help: "The X3 master data: accounts, dimensions, periods.")
    var master = "fixtures/x3-master.json"

    @Option(help: "Where posted entries are kept, as JSON (empty: in memory only, for a long benchmark).")
    var ledger = "x3-sandbox-ledger.json"

    @Option(help: "The reports the Expensify sandbox exports (files in the inbox formats).")
    var reports = "fixtures/reports"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var started: [String] = []
        var x3Sandbox: X3Sandbox?
        var expensify: ExpensifySandbox?
        if let secret = environment["X3_CLIENT_SECRET"], !secret.isEmpty {
            let credentials = X3SandboxCredentials(
                clientID: environment["X3_CLIENT_ID"] ?? "ledgerdrop", clientSecret: secret,
                user: environment["X3_USER"] ?? "ADMIN", password: environment["X3_PASSWORD"] ?? ""
            )
            let data: X3MasterData
            do { data = try X3MasterData.load(master) } catch {
                throw Failure.report(LedgerDropError(.configInvalid, "cannot read the master data \(master): \(error.localizedDescription)"))
            }
            let sandbox = try await X3Sandbox.start(master: data, ledgerFile: ledger.isEmpty ? nil : ledger, credentials: credentials, port: port)
            started.append("X3 sandbox on \(sandbox.url) (GraphQL \(sandbox.url)/xtrem/api, OAuth2 \(sandbox.url)/oauth/token); ledger in \(ledger)")
            x3Sandbox = sandbox
        }
        if let secret = environment["EXPENSIFY_PARTNER_USER_SECRET"], !secret.isEmpty {
            let fixtureReports: [ExpensifyReport]
            do { fixtureReports = try ExpensifyReport.load(folder: reports) } catch {
                throw Failure.report(LedgerDropError(.configInvalid, "cannot read the reports in \(reports): \(error.localizedDescription)"))
            }
            let credentials = ExpensifySandboxCredentials(partnerUserID: environment["EXPENSIFY_PARTNER_USER_ID"] ?? "aa_ledgerdrop", partnerUserSecret: secret)
            let sandbox = try await ExpensifySandbox.start(reports: fixtureReports, credentials: credentials, port: expensifyPort)
            started.append("Expensify sandbox on \(sandbox.url) with \(fixtureReports.count) reports (set expensify.url to it)")
            expensify = sandbox
        }
        guard !started.isEmpty else {
            throw Failure.report(LedgerDropError(.configInvalid, "set X3_CLIENT_SECRET (and X3_CLIENT_ID, X3_USER) and/or EXPENSIFY_PARTNER_USER_SECRET (and EXPENSIFY_PARTNER_USER_ID) for the sandboxes to check credentials against"))
        }
        for line in started { Output.line(line) }
        Output.line("Ctrl-C stops them.")
        await x3Sandbox?.wait()
        await expensify?.wait()
    }
}
