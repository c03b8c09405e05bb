import Foundation
import Mustache

/// The reconciliation as one self-contained HTML page (issue 12): no script, no fetch, styles
/// inline, so it opens from a shared drive with no network. The markup is a Mustache template
/// (`Resources/reconcile-page.mustache`); every value goes in through `{{…}}`, which escapes it.
public enum ReconcilePage {
    static let template: MustacheTemplate = {
        // The template ships in the binary; a broken one is a build mistake the tests catch.
        try! MustacheTemplate(string: String(decoding: PackageResources.reconcile_page_mustache, as: UTF8.self))
    }()

    public static func render(_ report: ReconcileReport, spool: Spool, at now: String = Timestamp.iso8601(Timestamp.now())) -> String {
        let summary = report.summary
        let companies = report.rows.contains { !$0.company.isEmpty } || summary.totals.contains { !$0.company.isEmpty }
        var page: [String: Any] = [
            "title": "reconciliation \(report.period)",
            "period": report.period,
            "generatedAt": now,
            "spool": spool.root.hasPrefix("/") ? spool.root : FileManager.default.currentDirectoryPath + (spool.root == "." ? "" : "/" + spool.root),
            "reportCount": report.rows.count,
            "hasCompanies": companies,
            "counts": report.counts.map { ["verdict": $0.0.rawValue, "count": $0.1, "style": style($0.0)] as [String: Any] },
            "notChecked": summary.notChecked,
            "hasNotChecked": !summary.notChecked.isEmpty,
            "notes": summary.notes,
            "hasNotes": !summary.notes.isEmpty,
            "rows": report.rows.map(row),
            "failedGroups": failedGroups(spool),
            "waiting": report.rows.filter { $0.verdict == .waiting }.map { ["reportID": $0.reportID, "detail": $0.details.first ?? ""] },
            "totals": summary.totals.map { total -> [String: Any] in
                ["company": total.company, "account": total.account, "costCenter": total.costCenter.isEmpty ? "-" : total.costCenter, "currency": total.currency,
                 "postedDebit": total.postedDebit, "postedCredit": total.postedCredit, "x3Debit": total.x3Debit, "x3Credit": total.x3Credit, "agrees": total.agrees]
            },
        ]
        if let chart = PostedPerDay(report.rows).chart { page["chart"] = chart }
        return template.render(page)
    }

    static func style(_ verdict: ReconcileVerdict) -> String {
        switch verdict {
        case .reconciled: "ok"
        case .waiting, .postedNotChecked: "warn"
        default: "bad"
        }
    }

    static func row(_ row: ReconcileRow) -> [String: Any] {
        var values: [String: Any] = [
            "reportID": row.reportID, "numbers": row.x3EntryNumbers, "verdict": row.verdict.rawValue, "style": style(row.verdict),
            "approved": row.approved.isEmpty ? "-" : row.approved, "company": row.company.isEmpty ? "-" : row.company,
            "details": row.details, "hasDetails": !row.details.isEmpty,
            "entries": row.entries.map { entry -> [String: Any] in
                let lines = entry.lines ?? []
                return ["entryKey": entry.entryKey, "place": entry.place, "total": entry.total, "currency": entry.currency, "hasTotal": !entry.total.isEmpty,
                        "x3": entry.x3, "hasX3": !entry.x3.isEmpty, "hasLines": !lines.isEmpty, "lineCount": lines.count,
                        "lines": lines.map { ["account": $0.account, "side": $0.side, "amount": $0.amount, "description": $0.description, "dimensions": $0.dimensions] }]
            },
        ]
        if row.verdict.needsAttention, !row.remedy.isEmpty {
            values["fix"] = row.remedy.replacingAll("<ID>", with: row.reportID)
            values["hasFix"] = true
        }
        return values
    }

    /// Everything in `failed/` now, grouped by code with the code's remedy.
    static func failedGroups(_ spool: Spool) -> [[String: Any]] {
        var groups: [String: (remedy: String, items: [[String: Any]])] = [:]
        for name in FileSystem.list(spool.path(.failed)).sorted() where name.hasSuffix(ErrorFile.suffix) {
            guard let bytes = try? FileSystem.read(spool.path(.failed, name), limit: 1 << 20), let error = ErrorFile.read(bytes) else { continue }
            let item: [String: Any] = ["file": "failed/" + String(name.dropLast(ErrorFile.suffix.count)), "reports": error.reportIDs.joined(separator: ", "), "message": error.message]
            groups[error.code.rawValue, default: (error.remedy, [])].items.append(item)
        }
        return groups.keys.sorted().map { code in ["code": code, "remedy": groups[code]!.remedy, "count": groups[code]!.items.count, "items": groups[code]!.items] }
    }
}
