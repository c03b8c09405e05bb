import ArgumentParser
import Foundation
import LedgerDrop

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Creates the spool folders and a commented ledgerdrop.yml."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Overwrite an existing ledgerdrop.yml.")
    var force = false

    func run() throws {
        let spool = global.spoolFolder(nil)
        do { try spool.prepare() } catch { throw Failure.report(error) }
        let path = global.config ?? (spool.root == "." ? "ledgerdrop.yml" : "\(spool.root)/ledgerdrop.yml")
        if FileManager.default.fileExists(atPath: path), !force {
            print("spool ready in \(spool.root); kept the existing \(path) (--force overwrites it)")
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(ExampleConfiguration.text.utf8)) else {
            throw Failure.report(LedgerDropError(.spoolUnavailable, "cannot write \(path)"))
        }
        print("spool ready in \(spool.root): inbox/ outbox/ archive/ done/ failed/")
        print("wrote \(path): set x3.site, x3.url and the mapping, then run `ledgerdrop convert`")
    }
}
