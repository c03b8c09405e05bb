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
            GlobalOptions.bootstrap(level: .warning, format: .text)
            var values: [String: String] = [:]
            for field in CredentialStore.fields[service] ?? [] {
                guard let value = SecretInput.read(prompt: "\(service) \(field): ") else {
                    throw Failure.report(LedgerDropError(.configInvalid, "the input ended before \(service) \(field); nothing was stored"))
                }
                values[field] = value
            }
            if let missing = CredentialStore.missing(in: values, service: service) {
                throw Failure.report(LedgerDropError(.configInvalid, "\(missing); nothing was stored"))
            }
            do {
                var all = try store.load()
                all[service] = values
                try store.save(all)
            } catch {
                throw Failure.report(error)
            }
            Output.line("stored \(service) credentials (\(values.filter { !$0.value.isEmpty }.keys.sorted().joined(separator: ", "))) in \(store.folder)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Names what is stored; never the values.")

        func run() throws {
            let store = CredentialStore(environment: ProcessInfo.processInfo.environment)
            let all: [String: [String: String]]
            do { all = try store.load() } catch { throw Failure.report(error) }
            if all.isEmpty { Output.line("no credentials stored in \(store.folder)") }
            for (service, values) in all.sorted(by: { $0.key < $1.key }) {
                Output.line("\(service): \(values.filter { !$0.value.isEmpty }.keys.sorted().joined(separator: ", "))")
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
                    Output.line("no \(service) credentials stored")
                    return
                }
                try store.save(all)
            } catch {
                throw Failure.report(error)
            }
            Output.line("removed \(service) credentials")
        }
    }
}

/// A secret from the terminal with echo off, or a line of stdin when it is not a terminal; nil
/// when the input ends first. Ctrl-C (or SIGTERM/SIGHUP) at the prompt puts the terminal back
/// as it was before the process ends.
enum SecretInput {
    /// The terminal's settings before the prompt, on the heap: the signal handler reads them,
    /// and C writes them (AddressSanitizer found glibc writing past a Swift global of this type).
    nonisolated(unsafe) static let saved: UnsafeMutablePointer<termios> = {
        let pointer = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        pointer.initialize(to: termios())
        return pointer
    }()

    static func read(prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
        tcgetattr(STDIN_FILENO, saved)
        var silent = saved.pointee
        silent.c_lflag &= ~tcflag_t(ECHO)
        let restoreAndLeave: @convention(c) (Int32) -> Void = { signal in
            tcsetattr(STDIN_FILENO, TCSANOW, SecretInput.saved)
            _ = write(STDERR_FILENO, "\n", 1)
            _exit(128 + signal)
        }
        let previous = [SIGINT, SIGTERM, SIGHUP].map { ($0, Glibc.signal($0, restoreAndLeave)) }
        // A parent that blocked them (a service manager, a test runner) must not keep Ctrl-C from
        // reaching the handler.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblocked, number) }
        var blocked = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &unblocked, &blocked)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        // Echo is off and Ctrl-C is handled before the prompt shows.
        Output.raw(prompt)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, saved)
            for (number, handler) in previous { _ = Glibc.signal(number, handler) }
            pthread_sigmask(SIG_SETMASK, &blocked, nil)
            Output.raw("\n")
        }
        return readLine(strippingNewline: true)
    }
}
