import ArgumentParser
import Foundation
import LedgerDrop
import LedgerDropSandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Runs a local stand-in for Sage X3 on 127.0.0.1 until stopped.",
        discussion: "It accepts the credentials in X3_CLIENT_ID, X3_CLIENT_SECRET, X3_USER and X3_PASSWORD (the ones `post` uses)."
    )

    @Option(help: "The port (0: any free port).")
    var port = 8124

    @Option(help: "The master data: accounts, dimensions, periods.")
    var master = "fixtures/x3-master.json"

    @Option(help: "Where posted entries are kept, as JSON.")
    var ledger = "x3-sandbox-ledger.json"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let credentials = X3SandboxCredentials(
            clientID: environment["X3_CLIENT_ID"] ?? "ledgerdrop", clientSecret: environment["X3_CLIENT_SECRET"] ?? "",
            user: environment["X3_USER"] ?? "ADMIN", password: environment["X3_PASSWORD"] ?? ""
        )
        guard !credentials.clientSecret.isEmpty else {
            throw Failure.report(LedgerDropError(.configInvalid, "set X3_CLIENT_SECRET (and X3_CLIENT_ID, X3_USER) for the sandbox to check tokens against"))
        }
        let data: X3MasterData
        do { data = try X3MasterData.load(master) } catch {
            throw Failure.report(LedgerDropError(.configInvalid, "cannot read the master data \(master): \(error)"))
        }
        let sandbox = try await X3Sandbox.start(master: data, ledgerFile: ledger, credentials: credentials, port: port)
        print("X3 sandbox on \(sandbox.url) (GraphQL \(sandbox.url)/xtrem/api, OAuth2 \(sandbox.url)/oauth/token); ledger in \(ledger). Ctrl-C stops it.")
        await sandbox.wait()
    }
}
