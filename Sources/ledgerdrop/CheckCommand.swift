import ArgumentParser
import Foundation
import LedgerDrop

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Checks the configuration, the X3 credentials and reachability, and that every mapped account and cost center exists in X3."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let connection: X3Connection
        do {
            connection = try X3Connection(configuration: configuration, credentials: .resolve(environment: ProcessInfo.processInfo.environment))
        } catch {
            throw Failure.report(error)
        }
        let findings: [X3Check.Finding]
        do {
            findings = try await X3Check.run(configuration, connection: connection)
        } catch {
            await connection.shutdown()
            throw Failure.report(error)
        }
        await connection.shutdown()
        for finding in findings { print("\(finding.ok ? "ok  " : "MISSING") \(finding.text)") }
        let missing = findings.filter { !$0.ok }.count
        print(missing == 0 ? "everything the mapping names exists in X3" : "\(missing) thing(s) the mapping names are not in X3")
        if missing > 0 { throw ExitCode(1) }
    }
}
