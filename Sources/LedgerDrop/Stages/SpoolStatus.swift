/// `ledgerdrop status` (SPEC §8): what waits in each folder, the oldest age, failures by code,
/// and the last run of each stage.
public struct SpoolStatus: Sendable, Codable, Equatable {
    public struct FolderStatus: Sendable, Codable, Equatable {
        public var files: Int
        /// Age of the oldest file in seconds; nil when the folder is empty.
        public var oldestAgeSeconds: Int64?
        public var oldestFile: String?
    }

    public struct LastRun: Sendable, Codable, Equatable {
        public var at: String
        public var run: String
    }

    public var spool: String
    public var folders: [String: FolderStatus]
    public var claims: [String: Int]
    public var failuresByCode: [String: Int]
    public var lastRuns: [String: LastRun]
    /// Entries converted with a warning (`posting.totalCheck: warn`), by code, in the recent
    /// audit log (its last 256 KB, as `lastRuns`).
    public var warningsByCode: [String: Int] = [:]
    /// The last day fully fetched from Expensify (`.ledgerdrop/fetch-cursor.json`), if any.
    public var fetchCursor: String?
    /// `status --by company`: each company's entries by their last event in the whole audit log.
    public var byCompany: [CompanyTotal]? = nil
    /// The last `run` or `watch` pass (`.ledgerdrop/last-pass.json`), if one was recorded.
    public var lastPass: PassRecord? = nil
    /// `status --json`: the whole audit log's lines by event and failures by stage and code — the
    /// counters of `watch --metrics-file`.
    public var auditTotals: AuditTotals? = nil

    /// `status --by company`: the folders, and each company's entries from the audit log (which
    /// reads the whole log, so it is asked for, not always done).
    public static func gather(_ spool: Spool, byCompany: Bool, now: Int64 = Timestamp.now()) -> SpoolStatus {
        var status = gather(spool, now: now)
        if byCompany { status.byCompany = AuditReport.read(spool).companyTotals }
        return status
    }

    public static func gather(_ spool: Spool, now: Int64 = Timestamp.now()) -> SpoolStatus {
        var folders: [String: FolderStatus] = [:]
        var failures: [String: Int] = [:]
        for folder in Spool.Folder.allCases {
            var status = FolderStatus(files: 0)
            var oldest: Int64 = .max
            for name in FileSystem.list(spool.path(folder)) where !Spool.isIgnored(name) {
                if name.hasSuffix(ErrorFile.suffix) {
                    if folder == .failed { failures[errorCode(spool.path(folder, name)), default: 0] += 1 }
                    continue
                }
                if name.hasSuffix(Receipt.suffix) { continue }
                guard let file = FileSystem.status(spool.path(folder, name)), !file.isDirectory else { continue }
                status.files += 1
                if file.modified < oldest {
                    oldest = file.modified
                    status.oldestFile = name
                }
            }
            if status.files > 0 { status.oldestAgeSeconds = max(0, (now - oldest) / 1_000_000_000) }
            folders[folder.rawValue] = status
        }
        var claims: [String: Int] = [:]
        for stage in Stage.allCases {
            claims[stage.rawValue] = ClaimArea(spool: spool, stage: stage).allClaimedNames().count
        }
        let cursor = (try? FetchCursor.read(spool))?.map(\.description) ?? nil
        let recent = recentEvents(AuditLog(spool: spool).path)
        return SpoolStatus(spool: spool.root, folders: folders, claims: claims, failuresByCode: failures, lastRuns: recent.lastRuns,
                           warningsByCode: recent.warnings, fetchCursor: cursor, lastPass: PassRecord.read(spool))
    }

    private static func errorCode(_ path: String) -> String {
        guard let bytes = try? FileSystem.read(path, limit: 1 << 20), let document = try? JSONParser.parse(bytes),
              case .string(let code)? = document["code"] else { return "UNREADABLE_ERROR_FILE" }
        return code
    }

    /// The last event of each stage and the warnings of converted entries, read from the end of
    /// the audit log only.
    private static func recentEvents(_ path: String) -> (lastRuns: [String: LastRun], warnings: [String: Int]) {
        guard let bytes = try? FileSystem.tail(path, bytes: 256 << 10) else { return ([:], [:]) }
        var result: [String: LastRun] = [:]
        var warnings: [String: Int] = [:]
        for line in bytes.split(separator: 0x0A) {
            guard let event = try? JSONParser.parse(Array(line)),
                  case .string(let stage)? = event["stage"], case .string(let at)? = event["at"],
                  case .string(let run)? = event["run"] else { continue }
            result[stage] = LastRun(at: at, run: run)
            if case .string(AuditEvent.Kind.converted.rawValue)? = event["event"], case .string(let code)? = event["code"] { warnings[code, default: 0] += 1 }
        }
        return (result, warnings)
    }

    /// A table for people.
    public var text: String {
        var lines = ["spool \(spool)", "", "folder    files  oldest"]
        for folder in Spool.Folder.allCases {
            let status = folders[folder.rawValue] ?? FolderStatus(files: 0)
            let age = status.oldestAgeSeconds.map(Self.age) ?? "-"
            lines.append(folder.rawValue.padding(8) + String(status.files).leftPadding(7) + "  " + age + (status.oldestFile.map { "  (\($0))" } ?? ""))
        }
        let claimed = claims.filter { $0.value > 0 }
        if !claimed.isEmpty {
            lines.append("")
            lines.append("claimed: " + claimed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("")
        if failuresByCode.isEmpty {
            lines.append("failures by code: none")
        } else {
            lines.append("failures by code:")
            for (code, count) in failuresByCode.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                lines.append("  " + code.padding(24) + String(count).leftPadding(6))
            }
        }
        if !warningsByCode.isEmpty {
            lines.append("converted with a warning (recent audit.log): "
                         + warningsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("")
        if lastRuns.isEmpty {
            lines.append("last runs: none recorded in audit.log")
        } else {
            lines.append("last runs:")
            for stage in Stage.allCases {
                if let last = lastRuns[stage.rawValue] { lines.append("  " + stage.rawValue.padding(8) + last.at + "  run " + last.run) }
            }
        }
        if let byCompany {
            lines.append("")
            lines.append("by company (each entry's last event in audit.log):")
            if byCompany.isEmpty { lines.append("  none recorded") }
            for total in byCompany { lines.append("  " + total.heading) }
        }
        lines.append("")
        lines.append("fetched from Expensify up to: " + (fetchCursor ?? "never (the first fetch starts expensify.lookback before today)"))
        if let lastPass {
            lines.append("last pass (run or watch): \(lastPass.lastPassAt), exit \(lastPass.lastPassExitCode); last good pass: \(lastPass.lastGoodPassAt ?? "none")")
        }
        return lines.joined(separator: "\n")
    }

    static func age(_ seconds: Int64) -> String {
        switch seconds {
        case ..<120: "\(seconds)s"
        case ..<7200: "\(seconds / 60)m"
        case ..<172_800: "\(seconds / 3600)h"
        default: "\(seconds / 86_400)d"
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
    func leftPadding(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
