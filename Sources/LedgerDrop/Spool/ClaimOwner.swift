#if canImport(Glibc)
import Glibc
#endif
import CFileSystem

/// Who holds a claim: host, pid and the process's start time, written into the claim folder's
/// name (`host~pid~start`). The start time tells a live owner from a new process that reused
/// the pid.
struct ClaimOwner: Equatable {
    var host: String
    var pid: Int32
    var startTime: UInt64

    static let current: ClaimOwner = {
        let pid = getpid()
        return ClaimOwner(host: hostName(), pid: pid, startTime: ledgerdrop_process_start_time(pid))
    }()

    var folderName: String { "\(Self.safe(host))~\(pid)~\(startTime)" }

    init(host: String, pid: Int32, startTime: UInt64) {
        self.host = host
        self.pid = pid
        self.startTime = startTime
    }

    init?(folderName: String) {
        let parts = folderName.split(separator: "~")
        guard parts.count == 3, let pid = Int32(parts[1]), let start = UInt64(parts[2]) else { return nil }
        self.init(host: String(parts[0]), pid: pid, startTime: start)
    }

    /// Whether the owner may still be working. On this host that is known; a claim from another
    /// host sharing the folder is taken as alive until it is `foreignClaimTimeout` old.
    func isAlive(folderModified: Int64, now: Int64) -> Bool {
        if Self.safe(host) == Self.safe(Self.current.host) {
            return ledgerdrop_process_start_time(pid) == startTime && startTime != 0
        }
        return now - folderModified < Self.foreignClaimTimeout.nanoseconds
    }

    static let foreignClaimTimeout = Duration.seconds(3600)

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        let name = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    private static func safe(_ host: String) -> String {
        String(String.UnicodeScalarView(host.unicodeScalars.map { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "-", ".": scalar
            default: "_"
            }
        }))
    }
}
