import Foundation
import LedgerDrop
import Logging

/// `ledgerdrop demo`: the shipped fixture reports through a temporary spool — converted, then
/// posted to the X3 sandbox on 127.0.0.1 — so a newcomer sees the whole pipeline with one command.
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
    public var convert: ConvertSummary
    public var post: PostSummary

    public static func run(fixtures: String, logger: Logger) async throws(LedgerDropError) -> Demo {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: fixtures + "/reports").filter({ $0.hasSuffix(".json") }).sorted(), !names.isEmpty else {
            throw LedgerDropError(.configInvalid, "no fixture reports in \(fixtures)/reports: run the demo from a checkout of ledgerdrop, or pass --fixtures")
        }
        var configuration = try ConfigurationLoader(file: fixtures + "/ledgerdrop.yml").load()
        let spool = Spool(root: NSTemporaryDirectory() + "ledgerdrop-demo-" + String(Timestamp.now() / 1_000_000, radix: 36))
        try spool.prepare()
        for name in names {
            do { try fm.copyItem(atPath: fixtures + "/reports/" + name, toPath: spool.path(.inbox, name)) } catch {
                throw LedgerDropError(.spoolUnavailable, "cannot copy \(name) into \(spool.root): \(error)")
            }
        }
        let convert = try ConvertStage(spool: spool, configuration: configuration, options: .init(minimumAge: .zero), logger: logger).run()

        // A sandbox with credentials made up for this run; nothing is read from the environment.
        let secret = (0..<3).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 36) }.joined()
        let credentials = X3Credentials(clientID: "ledgerdrop-demo", clientSecret: secret, user: "DEMO", password: "")
        let master: X3MasterData
        do { master = try X3MasterData.load(fixtures + "/x3-master.json") } catch {
            throw LedgerDropError(.configInvalid, "cannot read \(fixtures)/x3-master.json: \(error)")
        }
        let ledgerFile = spool.root + "/x3-sandbox-ledger.json"
        let sandbox: X3Sandbox
        do {
            sandbox = try await X3Sandbox.start(master: master, ledgerFile: ledgerFile, credentials: .init(clientID: credentials.clientID, clientSecret: secret, user: credentials.user, password: ""))
        } catch {
            throw LedgerDropError(.x3Unreachable, "the X3 sandbox did not start: \(error)")
        }
        configuration.x3.url = sandbox.url
        let post: PostSummary
        let connection: X3Connection
        do {
            connection = try X3Connection(configuration: configuration, credentials: credentials)
        } catch {
            await sandbox.stop()
            throw error
        }
        do {
            post = try await PostStage(spool: spool, configuration: configuration, transport: connection.transport, options: .init(minimumAge: .zero), logger: logger).run()
        } catch {
            await connection.shutdown()
            await sandbox.stop()
            throw error
        }
        await connection.shutdown()
        await sandbox.stop()

        var rows: [Row] = []
        for name in (try? fm.contentsOfDirectory(atPath: spool.path(.done)))?.sorted() ?? [] where name.hasSuffix(Receipt.suffix) {
            guard let data = fm.contents(atPath: spool.path(.done, name)), let receipt = Receipt.read(Array(data)) else { continue }
            rows.append(Row(entryKey: receipt.entryKey, lines: receipt.lineCount, total: "\(receipt.total) \(receipt.currency)", x3Entry: receipt.x3EntryNumber))
        }
        return Demo(spool: spool, ledgerFile: ledgerFile, rows: rows, convert: convert, post: post)
    }

    public var exitCode: Int32 { max(convert.exitCode, post.exitCode) }

    public var text: String {
        func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
        func left(_ s: String, _ width: Int) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }
        var lines = [pad("entry key", 26) + left("lines", 5) + "  " + left("debits", 18) + "  X3 entry"]
        for row in rows {
            lines.append(pad(row.entryKey, 26) + left(String(row.lines), 5) + "  " + left(row.total, 18) + "  " + row.x3Entry)
        }
        lines.append("")
        lines.append("\(convert.files) report files → \(convert.entries) balanced journal entries → \(post.posted) posted to the X3 sandbox; \(convert.failedFiles + post.failed) failed.")
        lines.append("Look at: \(spool.path(.done)) (payloads and receipts), \(spool.path(.archive)) (reports), \(spool.auditLog), \(ledgerFile) (the sandbox's ledger)")
        lines.append("Next: `ledgerdrop status --spool \(spool.root)`")
        return lines.joined(separator: "\n")
    }
}
