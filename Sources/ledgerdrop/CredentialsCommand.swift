import ArgumentParser
import Foundation
import LedgerDrop

struct CredentialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Stores, lists and removes the Expensify and X3 secrets, encrypted (never from the command line).",
        subcommands: [Set.self, List.self, Remove.self]
    )

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reads the secrets of a service from the terminal without echo (or one per line from stdin).",
            discussion: "expensify: partner user ID, partner user secret. x3: client ID, client secret, user, password (an empty line for what the chosen auth does not use)."
        )

        @Argument(help: "expensify or x3")
        var service: String

        func validate() throws {
            guard CredentialStore.services.contains(service) else { throw ValidationError("the service is expensify or x3") }
        }

        func run() throws {
            let store = CredentialStore(environment: ProcessInfo.processInfo.environment)
            var values: [String: String] = [:]
            for field in CredentialStore.fields[service] ?? [] {
                values[field] = SecretInput.read(prompt: "\(service) \(field): ")
            }
            do {
                var all = try store.load()
                all[service] = values
                try store.save(all)
            } catch {
                throw Failure.report(error)
            }
            print("stored \(service) credentials (\(values.filter { !$0.value.isEmpty }.keys.sorted().joined(separator: ", "))) in \(store.folder)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Names what is stored; never the values.")

        func run() throws {
            let store = CredentialStore(environment: ProcessInfo.processInfo.environment)
            let all: [String: [String: String]]
            do { all = try store.load() } catch { throw Failure.report(error) }
            if all.isEmpty { print("no credentials stored in \(store.folder)") }
            for (service, values) in all.sorted(by: { $0.key < $1.key }) {
                print("\(service): \(values.filter { !$0.value.isEmpty }.keys.sorted().joined(separator: ", "))")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deletes the stored secrets of a service.")

        @Argument(help: "expensify or x3")
        var service: String

        func run() throws {
            let store = CredentialStore(environment: ProcessInfo.processInfo.environment)
            do {
                var all = try store.load()
                guard all.removeValue(forKey: service) != nil else {
                    print("no \(service) credentials stored")
                    return
                }
                try store.save(all)
            } catch {
                throw Failure.report(error)
            }
            print("removed \(service) credentials")
        }
    }
}

/// A secret from the terminal with echo off, or a line of stdin when it is not a terminal.
enum SecretInput {
    static func read(prompt: String) -> String {
        guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) ?? "" }
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
