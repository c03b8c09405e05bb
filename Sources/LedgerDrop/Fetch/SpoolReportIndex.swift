/// Every report ID the spool already holds, wherever it is (SPEC §7.4): a fetched report is
/// skipped when its ID is here, so fetching twice never posts twice.
///
/// - report files (`inbox/`, `archive/`, `failed/`, convert claims) are `<reportID>.json` when
///   fetched; a file dropped in by hand under another name is read for its IDs (inbox and
///   claims only: what is archived has its payloads in `outbox/`, `done/` or `failed/`);
/// - payloads and receipts (`outbox/`, `done/`, `failed/`, post claims) are named by entry key:
///   the report ID, or `<reportID>_<yyyy-MM-dd>[_<currency>]`;
/// - error files in `failed/` list the report IDs of the file that failed.
struct SpoolReportIndex {
    /// Report ID → where it was seen (`done/R1.graphql.json`), for messages.
    private(set) var places: [String: String] = [:]

    func place(of reportID: String) -> String? { places[reportID] }

    init(spool: Spool) {
        for folder in [Spool.Folder.outbox, .done, .failed, .archive, .inbox] {
            for name in FileSystem.list(spool.path(folder)) where !Spool.isIgnored(name) {
                note(name, at: "\(folder.rawValue)/\(name)", reading: folder == .inbox ? spool.path(.inbox, name) : nil)
                if folder == .failed, name.hasSuffix(ErrorFile.suffix),
                   let bytes = try? FileSystem.read(spool.path(.failed, name), limit: 1 << 20), let error = ErrorFile.read(bytes) {
                    for id in error.reportIDs { remember(id, at: "failed/\(name)") }
                }
            }
        }
        for stage in [Stage.convert, .post] {
            let base = spool.claims(stage)
            for owner in FileSystem.list(base) {
                for name in FileSystem.list("\(base)/\(owner)") {
                    note(name, at: "a \(stage.rawValue) claim (\(name))", reading: stage == .convert ? "\(base)/\(owner)/\(name)" : nil)
                }
            }
        }
    }

    private mutating func remember(_ id: String, at place: String) {
        if places[id] == nil { places[id] = place }
    }

    /// Records the report ID a spool file name stands for; for a report file still to be
    /// converted (`reading`), also every report ID inside it, as a file dropped in by hand may
    /// have any name and hold several reports.
    private mutating func note(_ name: String, at place: String, reading path: String?) {
        if let id = Self.reportID(fromFileName: name) { remember(id, at: place) }
        guard let path, let bytes = try? FileSystem.read(path, limit: ReportFile.maxFileBytes) else { return }
        for entry in ReportFile.read(bytes).entries { remember(entry.report.reportID, at: place) }
    }

    /// `R1.json`, `R1~2.json`, `R1.graphql.json`, `R1_2026-10-30_EUR.xml`, `R1.receipt.json`,
    /// `R1.json.error.json` → `R1`.
    static func reportID(fromFileName name: String) -> String? {
        var stem = Substring(name)
        for suffix in [ErrorFile.suffix, Receipt.suffix, ".graphql.json", ".import.txt", ".xml", ".json"] where stem.hasSuffix(suffix) {
            stem = stem.dropLast(suffix.count)
            if suffix == ErrorFile.suffix {
                for inner in [".graphql.json", ".import.txt", ".xml", ".json"] where stem.hasSuffix(inner) {
                    stem = stem.dropLast(inner.count)
                    break
                }
            }
            break
        }
        // A collision variant: `R1~2`.
        if let tilde = stem.lastIndex(of: "~"), stem[stem.index(after: tilde)...].allSatisfy(\.isNumber), tilde != stem.startIndex {
            stem = stem[..<tilde]
        }
        // An entry key with a date (and a currency): `R1_2026-10-30` or `R1_2026-10-30_EUR`.
        var parts = stem.split(separator: "_", omittingEmptySubsequences: false)
        if parts.count >= 3, parts.last!.count == 3, parts.last!.allSatisfy({ $0.isUppercase }), Day(String(parts[parts.count - 2])) != nil {
            parts.removeLast()
        }
        if parts.count >= 2, parts.last!.count == 10, Day(String(parts.last!)) != nil {
            parts.removeLast()
            stem = Substring(parts.joined(separator: "_"))
        }
        return stem.isEmpty ? nil : String(stem)
    }
}
