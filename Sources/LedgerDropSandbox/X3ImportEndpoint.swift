import Foundation
import Hummingbird
import LedgerDrop
import NIOCore

/// AOWSIMPORT's `run` in the sandbox (SPEC §13.6): the GRP1 parameters in the JSON `inputXml`, the
/// records of the import template it knows (`YLDGAS`, a copy of GAS as an administrator would set
/// it up in GESAOE), X3's checks and refusals. The template is X3's own description — field
/// names per record, read by position — not ledgerdrop's layout engine.
struct X3ImportTemplate: Sendable {
    var code: String
    var header: [String]
    var line: [String]
    /// The analytics record: `A`, the line, then (type, code) pairs up to the last three fields.
    var analyticsTail: [String]

    static let yldgas = X3ImportTemplate(
        code: "YLDGAS",
        header: ["G", "TYP", "NUM", "FCY", "JOU", "ACCDAT", "DACDIA", "CUR", "DESVCR", "BPRVCR", "REF"],
        line: ["D", "LIN", "LEDTYP", "IDTLIN", "FCYLIN", "SAC", "LED", "COA", "ACC", "BPR", "SNS", "CUR", "AMTCUR", "DES", "TAX", "OFFACC"],
        analyticsTail: ["AMTCUR", "QTY", "SNS"])

    /// `30102026` → `2026-10-30`.
    static func date(_ text: String) -> String? {
        guard text.count == 8, text.allSatisfy(\.isNumber) else { return nil }
        return "\(text.suffix(4))-\(text.dropFirst(2).prefix(2))-\(text.prefix(2))"
    }

    /// The entry the records describe (ledger type 1), or X3's message for what is wrong.
    /// `route`: how the records came (the ledger says `import` or `file`).
    func entry(_ records: [String], route: String = "import") -> Result<(X3LedgerEntry, debit: ExactDecimal, credit: ExactDecimal), X3Diagnoses> {
        func refuse(_ message: String) -> Result<(X3LedgerEntry, debit: ExactDecimal, credit: ExactDecimal), X3Diagnoses> {
            .failure(X3Diagnoses(diagnoses: [.init(message: message, path: [])]))
        }
        var entry: X3LedgerEntry?
        var debit = ExactDecimal(significand: 0, scale: 0)
        var credit = debit
        var lastLineOfLedger1 = false
        for (index, record) in records.enumerated() {
            let values = record.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            switch values.first {
            case "G":
                guard values.count == header.count else { return refuse("Line \(index + 1): G record has \(values.count) fields, template \(code) expects \(header.count)") }
                guard entry == nil else { return refuse("Line \(index + 1): a second G record; one entry per import") }
                let g = Dictionary(uniqueKeysWithValues: zip(header, values))
                guard let day = Self.date(g["ACCDAT"] ?? "") else { return refuse("Line \(index + 1): ACCDAT \(g["ACCDAT"] ?? "") is not a date") }
                entry = X3LedgerEntry(entryNumber: "", entryType: g["TYP"] ?? "", site: g["FCY"] ?? "", accountingDate: day, currency: g["CUR"] ?? "",
                                      reference: g["REF"] ?? "", description: g["DESVCR"] ?? "", api: route, lines: [])
            case "D":
                guard entry != nil else { return refuse("Line \(index + 1): D record before the G record") }
                guard values.count == line.count else { return refuse("Line \(index + 1): D record has \(values.count) fields, template \(code) expects \(line.count)") }
                let d = Dictionary(uniqueKeysWithValues: zip(line, values))
                lastLineOfLedger1 = d["LEDTYP"] == "1"
                guard lastLineOfLedger1 else { continue }
                guard let sign = Int(d["SNS"] ?? ""), sign == 1 || sign == -1 else { return refuse("Line \(index + 1): SNS must be 1 or -1") }
                guard let amount = ExactDecimal(Substring(d["AMTCUR"] ?? "")), amount.significand > 0 else { return refuse("Line \(index + 1): AMTCUR \(d["AMTCUR"] ?? "") is not an amount") }
                if sign == 1 { debit = debit.adding(amount) } else { credit = credit.adding(amount) }
                entry!.lines.append(.init(account: d["ACC"] ?? "", sign: sign, amount: d["AMTCUR"] ?? "", description: d["DES"] ?? "",
                                          businessPartner: d["BPR"] ?? "", dimensions: [:], tax: d["TAX"] ?? "", controlAccount: d["SAC"] ?? ""))
            case "A":
                guard entry != nil, values.count >= 2 + analyticsTail.count, (values.count - 2 - analyticsTail.count) % 2 == 0 else {
                    return refuse("Line \(index + 1): A record does not match template \(code)")
                }
                guard lastLineOfLedger1, !entry!.lines.isEmpty else { continue }
                let pairs = values.dropFirst(2).dropLast(analyticsTail.count)
                var dimensions: [String: String] = [:]
                for at in stride(from: pairs.startIndex, to: pairs.endIndex, by: 2) where !pairs[at + 1].isEmpty {
                    dimensions[pairs[at]] = pairs[at + 1]
                }
                entry!.lines[entry!.lines.count - 1].dimensions = dimensions
            default:
                return refuse("Line \(index + 1): record type \"\(values.first ?? "")\" is not in template \(code)")
            }
        }
        guard let entry else { return refuse("No G record: nothing to import") }
        return .success((entry, debit, credit))
    }
}

extension X3Endpoints {
    func run(_ operation: XMLTree) async -> Response {
        func refused(_ messages: [String]) -> Response {
            xml(SOAPEnvelope.reply(operation: "run", status: 0, messages: messages.map { (3, $0) }, resultXml: ""))
        }
        guard operation.child("publicName")?.text == "AOWSIMPORT" else {
            return refused(["Web service \(operation.child("publicName")?.text ?? "") is not published"])
        }
        guard let input = try? JSONParser.parse(Array((operation.child("inputXml")?.text ?? "").utf8)), let group = input["GRP1"] else {
            return refused(["inputXml is not the GRP1 parameters of AOWSIMPORT"])
        }
        func text(_ key: String) -> String { if case .string(let s)? = group[key] { s } else { "" } }
        guard text("I_MODIMP") == X3ImportTemplate.yldgas.code else {
            return refused([text("I_MODIMP").isEmpty ? "Import template: mandatory field" : "Import template \(text("I_MODIMP")): Record does not exist"])
        }
        let separator = text("I_RECORDSEP").isEmpty ? "|" : text("I_RECORDSEP")
        var records = text("I_FILE").components(separatedBy: separator)
        guard records.last == "END" else { return refused(["I_FILE does not end with END"]) }
        records.removeLast()
        let parsed: (X3LedgerEntry, debit: ExactDecimal, credit: ExactDecimal)
        switch X3ImportTemplate.yldgas.entry(records) {
        case .failure(let refusal): return refused(refusal.diagnoses.map(\.message))
        case .success(let p): parsed = p
        }
        let fault = await state.fault(for: parsed.0.reference)
        switch fault {
        case .unavailable?: return Response(status: .serviceUnavailable)
        case .tooManyRequests?: return refused(["No Web services accepted"])
        case .dropBefore?: return dropConnection()
        default: break
        }
        switch await state.create(parsed.0, totals: (parsed.debit, parsed.credit)) {
        case .failure(let refusal):
            return refused(refusal.diagnoses.map(\.message) + ["Import \(X3ImportTemplate.yldgas.code): 0 record(s) created, 1 in error"])
        case .success:
            if fault == .dropAfter { return dropConnection() }
            if fault == .timeout { try? await Task.sleep(for: .seconds(3600)) }
            // Like AOWSIMPORT, the answer says what was imported, not the entry's number.
            let answer = SOAPEnvelope.reply(operation: "run", status: 1, messages: [(1, "Import \(X3ImportTemplate.yldgas.code): 1 record(s) created")],
                                            resultXml: "{\"GRP1\":{\"I_MODIMP\":\"\(X3ImportTemplate.yldgas.code)\",\"I_EXEC\":\"REALTIME\"}}")
            return Self.storedAnswer(fault, answer: answer, contentType: "text/xml; charset=utf-8") ?? xml(answer)
        }
    }
}

extension X3Sandbox {
    /// What finance does with GESAIM on the `file` route: every `*.import.txt` in `folder` is
    /// imported with the YLDGAS template, as AOWSIMPORT would, and moved into `folder/loaded/`
    /// (a refused one into `folder/refused/`). Returns how many were loaded.
    @discardableResult
    public func loadImportFolder(_ folder: String) async -> Int {
        let fm = FileManager.default
        var loaded = 0
        for name in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() where name.hasSuffix(".import.txt") && !name.hasPrefix(".") {
            let path = folder + "/" + name
            guard let data = fm.contents(atPath: path) else { continue }
            let records = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
            var done = "refused"
            if case .success(let parsed) = X3ImportTemplate.yldgas.entry(records, route: "file"),
               case .success = await state.create(parsed.0, totals: (parsed.debit, parsed.credit)) {
                done = "loaded"
                loaded += 1
            }
            try? fm.createDirectory(atPath: folder + "/" + done, withIntermediateDirectories: true)
            try? fm.moveItem(atPath: path, toPath: folder + "/" + done + "/" + name)
        }
        return loaded
    }
}
