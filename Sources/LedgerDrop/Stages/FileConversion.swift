/// What one inbox file becomes: its payloads, or one failure naming every problem. Pure: the
/// bytes come in, the decision goes out; the stage does the moving.
public struct FileConversion: Sendable {
    public enum Outcome: Sendable {
        case converted([Payload])
        case failed(LedgerDropError)
    }

    public var outcome: Outcome
    /// The report IDs read from the file (also when it failed), for the error file and audit.
    public var reportIDs: [String]
    /// How many reports, entries and lines the file yielded.
    public var reportCount = 0
    public var entries: [JournalEntry] = []
    /// What `posting.totalCheck: warn` let through, by report ID: said in each entry's audit line.
    public var warnings: [String: [Problem]] = [:]
    /// Each report's approval day and content hash, by report ID, for the audit lines.
    public var contents: [String: ReportContent] = [:]

    /// Reads a claimed file (never through a symbolic link) and converts it.
    static func convertFile(at path: String, name: String, converter: Converter, renderer: PayloadRenderer) -> FileConversion {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path, limit: ReportFile.maxFileBytes)
        } catch .notRegular(let what) {
            return FileConversion(outcome: .failed(LedgerDropError(.unsupportedFile, "\(name) is \(what)")), reportIDs: [])
        } catch {
            return FileConversion(outcome: .failed(LedgerDropError(.unsupportedFile, "\(name) cannot be read: \(error)")), reportIDs: [])
        }
        return convert(name: name, bytes: bytes, converter: converter, renderer: renderer)
    }

    public static func convert(name: String, bytes: [UInt8], converter: Converter, renderer: PayloadRenderer) -> FileConversion {
        guard name.lowercased().hasSuffix(".json") else {
            return FileConversion(outcome: .failed(LedgerDropError(.unsupportedFile, "\(name) is not a .json report file")), reportIDs: [])
        }
        let file = ReportFile.read(bytes)
        let reportIDs = file.entries.map(\.report.reportID)
        var problems = file.problems
        var entries: [JournalEntry] = []
        var warnings: [String: [Problem]] = [:]
        var contents: [String: ReportContent] = [:]
        for entry in file.entries {
            contents[entry.report.reportID] = ReportContent(entry.report)
            problems += entry.problems
            let outcome = converter.convert(entry.report, at: entry.path)
            // A report that could not be read whole is not "empty" because its bad lines were left out.
            problems += entry.problems.isEmpty ? outcome.problems : outcome.problems.filter { $0.code != .emptyReport }
            entries += outcome.entries
            if !outcome.warnings.isEmpty { warnings[entry.report.reportID, default: []] += outcome.warnings }
        }
        if !problems.isEmpty {
            return FileConversion(outcome: .failed(LedgerDropError(problems: problems)), reportIDs: reportIDs, reportCount: file.entries.count, contents: contents)
        }
        var payloads: [Payload] = []
        for entry in entries {
            do {
                payloads.append(try renderer.render(entry))
            } catch {
                return FileConversion(outcome: .failed(error), reportIDs: reportIDs, reportCount: file.entries.count, contents: contents)
            }
        }
        return FileConversion(outcome: .converted(payloads), reportIDs: reportIDs, reportCount: file.entries.count, entries: entries, warnings: warnings, contents: contents)
    }
}
