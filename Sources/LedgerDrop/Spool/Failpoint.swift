#if canImport(Glibc)
import Glibc
#endif

/// Named crash points for the crash-safety tests: with `LEDGERDROP_FAILPOINT=<name>` in the
/// environment the process kills itself (SIGKILL, no clean-up) when it reaches that point, so
/// every window of the hand-off is tested, not only those a random kill happens to hit.
enum Failpoint {
    static let armed: String? = {
        guard let value = getenv("LEDGERDROP_FAILPOINT") else { return nil }
        return String(cString: value)
    }()

    static func hit(_ name: String) {
        guard let armed, armed == name else { return }
        kill(getpid(), SIGKILL)
    }
}
