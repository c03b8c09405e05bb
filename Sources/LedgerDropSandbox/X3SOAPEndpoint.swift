import Foundation
import Hummingbird
import LedgerDrop
import NIOCore

/// The X3 web services of the sandbox (SPEC §6.2, §13.6): `save` and `query` on the GAS
/// publication, `run` on AOWSIMPORT, HTTP Basic, X3's messages, and the same checks and ledger
/// as the GraphQL route.
extension X3Endpoints {
    func registerSOAP(on router: Router<BasicRequestContext>) {
        router.post("/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC") { request, _ in try await soap(request) }
    }

    func soap(_ request: Request) async throws -> Response {
        var request = request
        await state.countRequest()
        let faults = await state.faults
        if faults.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(faults.latencyMilliseconds)) }
        guard credentials.matchesBasic(request.headers[.authorization] ?? "", id: credentials.user, secret: credentials.password) else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"Sage X3\""])
        }
        let body = Array(buffer: try await request.collectBody(upTo: 8 << 20))
        guard let envelope = XMLTree.parse(body), let operation = envelope.child("Body")?.children.first else {
            return xml(Array("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>Malformed SOAP message</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>".utf8), status: .internalServerError)
        }
        if operation.name == "save", await state.faults.kinds == [.echoCredentials] {
            return xml(SOAPEnvelope.reply(operation: "save", status: 0, messages: [(3, "User refused for header \(request.headers[.authorization] ?? "")")], resultXml: ""))
        }
        switch operation.name {
        case "save": return await save(operation)
        case "query": return await query(operation)
        case "run": return await run(operation)
        case "getDescription": return describe(operation)
        default: return xml(SOAPEnvelope.reply(operation: operation.name, status: 0, messages: [(3, "Unknown operation \(operation.name)")], resultXml: ""))
        }
    }

    func save(_ operation: XMLTree) async -> Response {
        guard let document = XMLTree.parse(Array((operation.child("objectXml")?.text ?? "").utf8)), document.name == "PARAM" else {
            return xml(SOAPEnvelope.reply(operation: "save", status: 0, messages: [(3, "objectXml is not an X3 object document")], resultXml: ""))
        }
        let publication = X3Publication.entryTransaction
        var header: [String: String] = [:]
        for group in document.children where group.name == "GRP" {
            let id = group.attributes["ID"] ?? ""
            guard let known = publication.groups[id] else { return refuse("Group \(id) : unknown in publication \(X3Publication.name)") }
            for field in group.all("FLD") {
                let name = field.attributes["NAME"] ?? ""
                guard known.contains(name) else { return refuse("\(id) \(name) : Field unknown in publication \(X3Publication.name)") }
                header[name] = field.text
            }
        }
        var lines: [X3LedgerEntry.Line] = []
        var debit = ExactDecimal(significand: 0, scale: 0)
        var credit = debit
        for table in document.children where table.name == "TAB" {
            let id = table.attributes["ID"] ?? ""
            guard let known = publication.tables[id] else { return refuse("Table \(id) : unknown in publication \(X3Publication.name)") }
            for line in table.children where line.name == "LIN" {
                var fields: [String: String] = [:]
                for field in line.children where field.name == "FLD" {
                    let name = field.attributes["NAME"] ?? ""
                    guard known.contains(name) else { return refuse("\(id) \(name) : Field unknown in publication \(X3Publication.name)") }
                    fields[name] = field.text
                }
                // An amount in DEB or CDT, never both (the entry transaction's two columns).
                let debitText = fields["DEB"] ?? "", creditText = fields["CDT"] ?? ""
                guard debitText.isEmpty != creditText.isEmpty, let amount = ExactDecimal(Substring(debitText.isEmpty ? creditText : debitText)) else {
                    return refuse("Line \(line.attributes["NUM"] ?? "?") : Debit or credit amount mandatory")
                }
                let sign = debitText.isEmpty ? -1 : 1
                if sign == 1 { debit = debit.adding(amount) } else { credit = credit.adding(amount) }
                var dimensions: [String: String] = [:]
                for (column, type) in X3Publication.dimensionColumns { if let code = fields[column], !code.isEmpty { dimensions[type] = code } }
                lines.append(.init(account: fields["ACC1"] ?? "", sign: sign, amount: debitText.isEmpty ? creditText : debitText, description: fields["DES"] ?? "",
                                   businessPartner: fields["BPR"] ?? "", dimensions: dimensions, tax: fields["TAX"] ?? ""))
            }
        }
        let compact = header["ACCDAT"] ?? ""
        let date = compact.count == 8 ? "\(compact.prefix(4))-\(compact.dropFirst(4).prefix(2))-\(compact.suffix(2))" : compact
        let entry = X3LedgerEntry(entryNumber: "", entryType: header["TYP"] ?? "", site: header["FCY"] ?? "", accountingDate: date,
                                  currency: header["CUR"] ?? "", reference: header["BPRVCR"] ?? "", description: header["DESVCR"] ?? "", api: "soap", lines: lines, status: header["STA"],
                                  sourceDate: header["BPRDATVCR"].map { $0.count == 8 ? "\($0.prefix(4))-\($0.dropFirst(4).prefix(2))-\($0.suffix(2))" : $0 })
        let fault = await state.fault(for: entry.reference)
        switch fault {
        case .unavailable?: return Response(status: .serviceUnavailable)
        case .tooManyRequests?: return xml(SOAPEnvelope.reply(operation: "save", status: 0, messages: [(3, "No Web services accepted")], resultXml: ""))
        case .dropBefore?: return dropConnection()
        default: break
        }
        switch await state.create(entry, totals: (debit, credit)) {
        case .failure(let refusal):
            return xml(SOAPEnvelope.reply(operation: "save", status: 0, messages: refusal.diagnoses.map { (3, $0.message) }, resultXml: ""))
        case .success(let posted):
            if fault == .dropAfter { return dropConnection() }
            if fault == .timeout { try? await Task.sleep(for: .seconds(3600)) }
            let result = SOAPEnvelope.resultDocument(group: "HAE0_1", header: [("FCY", posted.site), ("TYP", posted.entryType), ("NUM", posted.entryNumber), ("ACCDAT", compact)], table: "", lines: [])
            let answer = SOAPEnvelope.reply(operation: "save", status: 1, messages: [(1, "Creation of \(posted.entryNumber)")], resultXml: result)
            return Self.storedAnswer(fault, answer: answer, contentType: "text/xml; charset=utf-8") ?? xml(answer)
        }
    }

    func query(_ operation: XMLTree) async -> Response {
        let keys = operation.all("objectKey")
        // The entry transaction's source document holds the report ID; REF is the older key.
        let reference = keys.first { ["BPRVCR", "REF"].contains($0.child("key")?.text ?? "") }?.child("value")?.text ?? ""
        let found = await state.find(reference: reference, accountingDate: nil)
        let lines = found.map { entry in
            [("TYP", entry.entryType), ("NUM", entry.entryNumber), ("ACCDAT", entry.accountingDate.replacingOccurrences(of: "-", with: "")),
             ("BPRVCR", entry.reference), ("CUR", entry.currency)]
        }
        let result = SOAPEnvelope.resultDocument(group: "", header: [], table: "HAE2_1", lines: lines)
        return xml(SOAPEnvelope.reply(operation: "query", status: 1, messages: [], resultXml: result))
    }

    /// `getDescription` of the publications the sandbox has: AOWSIMPORT's GRP1 parameters, and
    /// the GAS publication's groups and line table (its fields, its dimension columns).
    func describe(_ operation: XMLTree) -> Response {
        let name = operation.child("publicName")?.text ?? ""
        func fields(_ names: [String]) -> String { names.map { "<FLD NAM=\"\($0)\" TYP=\"Char\"/>" }.joined() }
        switch name {
        case "AOWSIMPORT":
            let group = "<GRP NAM=\"GRP1\">\(fields(["I_MODIMP", "I_AOWSTA", "I_EXEC", "I_RECORDSEP", "I_FILE"]))</GRP>"
            return xml(SOAPEnvelope.reply(operation: "getDescription", status: 1, messages: [], resultXml: "<ADXDESC>\(group)</ADXDESC>"))
        case X3Publication.name:
            let publication = X3Publication.entryTransaction
            let groups = publication.groups.keys.sorted().map { "<GRP NAM=\"\($0)\">\(fields(publication.groups[$0]!.sorted()))</GRP>" }.joined()
            let tables = publication.tables.keys.sorted().map { "<TAB NAM=\"\($0)\" DIM=\"300\"><LIN>\(fields(publication.tables[$0]!.sorted()))</LIN></TAB>" }.joined()
            return xml(SOAPEnvelope.reply(operation: "getDescription", status: 1, messages: [], resultXml: "<ADXDESC>\(groups)\(tables)</ADXDESC>"))
        default:
            return xml(SOAPEnvelope.reply(operation: "getDescription", status: 0, messages: [(3, "Web service \(name) is not published")], resultXml: ""))
        }
    }

    func refuse(_ message: String) -> Response {
        xml(SOAPEnvelope.reply(operation: "save", status: 0, messages: [(3, message)], resultXml: ""))
    }

    func xml(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The sandbox's GAS publication (SPEC §13.6): the entry transaction of SPEC §13.2's default layout,
/// with two dimension columns (CCE1 cost center, CCE2 project), as GESGDE would fix them.
enum X3Publication {
    static let name = "YGAS"
    static let dimensionColumns = [("CCE1", "CCT"), ("CCE2", "PRJ")]

    struct Description {
        var groups: [String: Set<String>]
        var tables: [String: Set<String>]
    }

    static let entryTransaction: Description = {
        let layout = SOAPLayout.standard
        var groups: [String: Set<String>] = [:]
        for group in layout.groups { groups[group.id] = Set(group.fields.map(\.name)) }
        // The real header has more fields than ledgerdrop fills (REF, the rate, the reversal…).
        groups["HAE0_1", default: []].insert("REF")
        let columns = Set(layout.lines.map(\.name) + dimensionColumns.map(\.0))
        return Description(groups: groups, tables: [layout.table: columns])
    }()
}
