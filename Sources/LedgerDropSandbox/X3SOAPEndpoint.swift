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
        var header: [String: String] = [:]
        for field in document.child("GRP")?.all("FLD") ?? [] { header[field.attributes["NAME"] ?? ""] = field.text }
        var lines: [X3LedgerEntry.Line] = []
        var debit = ExactDecimal(significand: 0, scale: 0)
        var credit = debit
        for line in document.child("TAB")?.children.filter({ $0.name == "LIN" }) ?? [] {
            var fields: [String: String] = [:]
            for field in line.children where field.name == "FLD" { fields[field.attributes["NAME"] ?? ""] = field.text }
            let types = line.children.first { $0.attributes["NAME"] == "DIE" }?.children.map(\.text) ?? []
            let values = line.children.first { $0.attributes["NAME"] == "CCE" }?.children.map(\.text) ?? []
            let sign = Int(fields["SNS"] ?? "") ?? 0
            guard let amount = ExactDecimal(Substring(fields["AMTCUR"] ?? "")) else { continue }
            if sign == 1 { debit = debit.adding(amount) } else { credit = credit.adding(amount) }
            lines.append(.init(account: fields["ACC"] ?? "", sign: sign, amount: fields["AMTCUR"] ?? "", description: fields["DES"] ?? "",
                               businessPartner: fields["BPR"] ?? "", dimensions: Dictionary(zip(types, values), uniquingKeysWith: { $1 })))
        }
        let compact = header["ACCDAT"] ?? ""
        let date = compact.count == 8 ? "\(compact.prefix(4))-\(compact.dropFirst(4).prefix(2))-\(compact.suffix(2))" : compact
        let entry = X3LedgerEntry(entryNumber: "", entryType: header["TYP"] ?? "", site: header["FCY"] ?? "", accountingDate: date,
                                  currency: header["CUR"] ?? "", reference: header["REF"] ?? "", description: header["DESVCR"] ?? "", api: "soap", lines: lines)
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
            let result = SOAPEnvelope.resultDocument(group: "GAS0_1", header: [("TYP", posted.entryType), ("NUM", posted.entryNumber), ("ACCDAT", compact), ("REF", posted.reference)], table: "", lines: [])
            let answer = SOAPEnvelope.reply(operation: "save", status: 1, messages: [(1, "Creation of \(posted.entryNumber)")], resultXml: result)
            return Self.storedAnswer(fault, answer: answer, contentType: "text/xml; charset=utf-8") ?? xml(answer)
        }
    }

    func query(_ operation: XMLTree) async -> Response {
        let keys = operation.all("objectKey")
        let reference = keys.first { $0.child("key")?.text == "REF" }?.child("value")?.text ?? ""
        let found = await state.find(reference: reference, accountingDate: nil)
        let lines = found.map { entry in
            [("TYP", entry.entryType), ("NUM", entry.entryNumber), ("ACCDAT", entry.accountingDate.replacingOccurrences(of: "-", with: "")),
             ("REF", entry.reference), ("CUR", entry.currency)]
        }
        let result = SOAPEnvelope.resultDocument(group: "", header: [], table: "GAS1_1", lines: lines)
        return xml(SOAPEnvelope.reply(operation: "query", status: 1, messages: [], resultXml: result))
    }

    /// `getDescription` of the publications the sandbox has: AOWSIMPORT's GRP1 parameters.
    func describe(_ operation: XMLTree) -> Response {
        let name = operation.child("publicName")?.text ?? ""
        guard name == "AOWSIMPORT" else {
            return xml(SOAPEnvelope.reply(operation: "getDescription", status: 0, messages: [(3, "Web service \(name) is not published")], resultXml: ""))
        }
        let fields = ["I_MODIMP", "I_AOWSTA", "I_EXEC", "I_RECORDSEP", "I_FILE"].map { "<FLD NAME=\"\($0)\" TYPE=\"Char\"/>" }.joined()
        return xml(SOAPEnvelope.reply(operation: "getDescription", status: 1, messages: [], resultXml: "<ADXDESC><GRP NAME=\"GRP1\">\(fields)</GRP></ADXDESC>"))
    }

    func xml(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
