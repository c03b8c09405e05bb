#if canImport(Glibc)
import Glibc
#endif
import LedgerDrop

/// Everything the command line writes goes through here: one `write(2)` per text, with errors
/// ignored — a full disk behind `2>`, a closed pipe — so that writing can never crash the
/// process, and the exit code still says what happened. Control characters of outside text
/// never reach a terminal raw.
enum Output {
    /// A line on stdout (results).
    static func line(_ text: String) { write(STDOUT_FILENO, TerminalText.safe(text) + "\n") }

    /// A document on stdout as it is (CSV with its CRLF, escaped JSON).
    static func data(_ text: String) { write(STDOUT_FILENO, text) }

    /// A line on stderr (errors, warnings, logs).
    static func error(_ text: String) { write(STDERR_FILENO, TerminalText.safe(text) + "\n") }

    /// Bytes as they are (a progress bar's carriage return), on stderr.
    static func raw(_ text: String) { write(STDERR_FILENO, text) }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
        bytes.removeAll()
    }
}
