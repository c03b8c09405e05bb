/// What the spool knows of the reports approved in a period (issue 12): where each report and
/// each of its entries is, its approval day, company and content hash. Read from `audit.log` (one
/// line at a time) and one listing of each folder, so that a year of history is read in time
/// linear in its size, with one small record per report (no path, no text it does not need).
struct SpoolSide: Sendable {
    struct Report: Sendable {
        var reportID: String
        var approved: Day?
        var company = ""
        /// `ReportContent.hash` of the report as it was last converted.
        var digest: ReportContent.Digest? = nil
        /// The file it was converted from (`archive/<file>`), kept only while its approval day is
        /// not known otherwise.
        var sourceFile = ""
        /// Where its file waits to be converted (`inbox/R1.json`, a convert claim).
        var waiting = ""
        /// Its file failed to convert.
        var failure: Failure? = nil
        var entries: [Entry] = []

        init(reportID: String) { self.reportID = reportID }
    }

    struct Failure: Sendable, Equatable {
        var code: String
        var message: String
        var remedy: String
        /// `failed/<file>`.
        var file: String
    }

    struct Entry: Sendable {
        enum Place: String, Sendable { case outbox, claimed, failed, done }
        var key: String
        var place: Place
        /// A posted payload's format: it lies in `done/` as `<key><extension>` (none: its
        /// receipt is alone there).
        var format: PayloadFormat? = nil
        /// The payload elsewhere (`outbox/`, a post claim, `failed/`).
        var path = ""
        var failure: Failure? = nil

        /// Where its payload file is; empty when there is none.
        func payload(in spool: Spool) -> String {
            if let format, place == .done { return spool.path(.done, key + format.fileExtension) }
            return path
        }
    }

    /// Every report the spool knows, whatever its period: Expensify may say a report was
    /// approved in this period that the spool dated otherwise (approved again since).
    var all: [String: Report] = [:]
    /// The reports the spool dates in the period.
    var inPeriod: [String] = []
    /// Reports in the spool whose approval day is not known anywhere (a hand-made file without
    /// one): they cannot be placed in a period, and are named.
    var undated: [String] = []

    /// Reads the spool for `period`.
    static func read(_ spool: Spool, period: ReconcilePeriod) -> SpoolSide {
        var known: [String: Report] = [:]
        var keyOwner: [String: String] = [:]
        func report(_ id: String) -> Report { known[id] ?? Report(reportID: id) }
        // 1. The trail: approval days, companies, content hashes, entry keys.
        FileSystem.forEachLine(spool.auditLog) { line, whole in
            guard whole, let event = try? JSONParser.parse(Array(line)) else { return }
            func text(_ key: String) -> String { if case .string(let s)? = event[key] { s } else { "" } }
            let ids = text("reportID").split(separator: ",").map(String.init)
            guard !ids.isEmpty else { return }
            // Only keys that are not the report ID itself need saying whose they are.
            if ids.count == 1, !text("entryKey").isEmpty, text("entryKey") != ids[0] { keyOwner[text("entryKey")] = ids[0] }
            for id in ids {
                var r = report(id)
                if let day = Day(text("approved")), ids.count == 1 { r.approved = day }
                if !text("company").isEmpty { r.company = text("company") }
                if text("event") == "converted" {
                    if let digest = ReportContent.Digest(hex: text("contentHash")) { r.digest = digest }
                    r.sourceFile = r.approved == nil ? text("file") : ""
                }
                known[id] = r
            }
        }
        // 2. Where everything is now.
        func owner(ofKey key: String) -> String? { keyOwner[key] ?? SpoolReportIndex.reportID(fromFileName: key + ".json") }
        for (folder, place) in [(spool.path(.inbox), "inbox/")] + Self.claimFolders(spool, .convert).map({ ($0, "a convert claim: ") }) {
            for name in FileSystem.list(folder) where !Spool.isIgnored(name) && name.lowercased().hasSuffix(".json") {
                for (id, approved) in Self.reports(inFile: "\(folder)/\(name)", name: name) {
                    var r = report(id)
                    r.waiting = place + name
                    if r.approved == nil { r.approved = approved }
                    known[id] = r
                }
            }
        }
        for name in FileSystem.list(spool.path(.failed)) where name.hasSuffix(ErrorFile.suffix) {
            guard let bytes = try? FileSystem.read(spool.path(.failed, name), limit: 1 << 20), let error = ErrorFile.read(bytes) else { continue }
            let file = String(name.dropLast(ErrorFile.suffix.count))
            let failure = Failure(code: error.code.rawValue, message: error.message, remedy: error.remedy, file: "failed/\(file)")
            if let key = error.entryKey, error.stage == Stage.post.rawValue, let id = owner(ofKey: key) {
                var r = report(id)
                r.entries.append(Entry(key: key, place: .failed, path: spool.path(.failed, file), failure: failure))
                known[id] = r
            } else {
                let inFile = error.reportIDs.isEmpty ? Self.reports(inFile: spool.path(.failed, file), name: file) : error.reportIDs.map { ($0, nil) }
                for (id, approved) in inFile {
                    var r = report(id)
                    r.failure = failure
                    if r.approved == nil { r.approved = approved ?? Self.reports(inFile: spool.path(.failed, file), name: file).first { $0.0 == id }?.1 }
                    known[id] = r
                }
            }
        }
        let payloadFolders = [(spool.path(.outbox), Entry.Place.outbox)] + Self.claimFolders(spool, .post).map { ($0, Entry.Place.claimed) }
        for (folder, place) in payloadFolders {
            for name in FileSystem.list(folder) where !Spool.isIgnored(name) {
                guard let format = PayloadFormat(fileName: name) else { continue }
                let key = String(name.dropLast(format.fileExtension.count))
                guard let id = owner(ofKey: key) else { continue }
                var r = report(id)
                r.entries.append(Entry(key: key, place: place, path: "\(folder)/\(name)"))
                known[id] = r
            }
        }
        var formats: [String: PayloadFormat] = [:]
        var receipts: [String] = []
        for name in FileSystem.list(spool.path(.done)) {
            if name.hasSuffix(Receipt.suffix) {
                receipts.append(String(name.dropLast(Receipt.suffix.count)))
            } else if let format = PayloadFormat(fileName: name) {
                formats[String(name.dropLast(format.fileExtension.count))] = format
            }
        }
        for key in receipts {
            guard let id = owner(ofKey: key) else { continue }
            known[id, default: Report(reportID: id)].entries.append(Entry(key: key, place: .done, format: formats[key]))
        }
        // 3. The period: reports whose approval day is known, or read from their archived file.
        var side = SpoolSide()
        for id in Array(known.keys) {
            if known[id]!.approved == nil, !known[id]!.sourceFile.isEmpty {
                let file = known[id]!.sourceFile
                known[id]!.approved = Self.reports(inFile: spool.path(.archive, file), name: file).first { $0.0 == id }?.1
            }
            if known[id]!.entries.count > 1 { known[id]!.entries.sort { $0.key < $1.key } }
            guard let approved = known[id]!.approved else {
                side.undated.append(id)
                continue
            }
            if period.contains(approved) { side.inPeriod.append(id) }
        }
        side.all = known
        side.undated.sort()
        return side
    }

    /// The report IDs in a report file, each with its approval day when it has one.
    static func reports(inFile path: String, name: String) -> [(String, Day?)] {
        if let id = SpoolReportIndex.reportID(fromFileName: name), ReportID.isPlain(id), !FileSystem.exists(path) { return [(id, nil)] }
        guard let bytes = try? FileSystem.read(path, limit: ReportFile.maxFileBytes) else {
            return SpoolReportIndex.reportID(fromFileName: name).map { [($0, nil)] } ?? []
        }
        let file = ReportFile.read(bytes)
        if file.entries.isEmpty { return SpoolReportIndex.reportID(fromFileName: name).map { [($0, nil)] } ?? [] }
        return file.entries.map { ($0.report.reportID, Day(String($0.report.approved.prefix(10)))) }
    }

    static func claimFolders(_ spool: Spool, _ stage: Stage) -> [String] {
        let base = spool.claims(stage)
        return FileSystem.list(base).map { "\(base)/\($0)" }
    }
}
