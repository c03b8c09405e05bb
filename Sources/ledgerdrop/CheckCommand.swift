import ArgumentParser
import Foundation
import LedgerDrop

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Checks the configuration, the Expensify and X3 credentials and reachability, and that every mapped account and cost center exists in X3.",
        discussion: "Exit codes (SPEC §11): 0 all good; 2 the configuration is invalid, a credential is not set, or it names something the server lacks (an account, a publication field, a dimension column, a GraphQL input property — each on its own line); 3 a service refused the credentials or cannot be reached."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Check X3 only.")
    var skipExpensify = false

    @Flag(help: "Check Expensify only.")
    var skipX3 = false

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let environment = ProcessInfo.processInfo.environment
        var findings: [CheckFinding] = []
        var worst: Int32 = 0
        var errors = 0
        func failed(_ error: LedgerDropError) {
            printToStandardError("error: \(error.code.rawValue): \(error.message)")
            errors += 1
            worst = max(worst, error.code.exitCode)
        }
        if !skipExpensify {
            do throws(LedgerDropError) {
                let client = try ExpensifyClient(configuration: configuration, spool: global.spoolFolder(configuration), environment: environment, logger: logger)
                do { findings += try await ExpensifyCheck.run(configuration, service: client) } catch { failed(error) }
                await client.shutdown()
            } catch {
                failed(error)
            }
        }
        if !skipX3 {
            do throws(LedgerDropError) {
                let connection = try X3Connection(configuration: configuration, credentials: .resolve(environment: environment))
                do { findings += try await X3Check.run(configuration, connection: connection) } catch { failed(error) }
                await connection.shutdown()
            } catch {
                failed(error)
            }
        }
        for finding in findings { Output.line("\(finding.ok ? "ok  " : "MISSING") \(finding.text)") }
        let missing = findings.filter { !$0.ok }.count + errors
        Output.line(missing == 0 ? "everything checked is in place" : "\(missing) problem(s) found")
        // What the configuration names but the server lacks is a configuration error (exit 2).
        if missing > 0 { worst = max(worst, 2) }
        if worst != 0 { throw ExitCode(worst) }
    }
}
