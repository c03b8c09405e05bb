import Foundation
import Hummingbird
import LedgerDrop
import NIOCore

/// The route of the Expensify sandbox: Expensify's one Integration Server URL, which takes every
/// job as a form-encoded POST and answers HTTP 200 whatever happened, as the real service does.
struct ExpensifyEndpoints: Sendable {
    let state: ExpensifySandboxState
    let credentials: ExpensifySandboxCredentials

    static let path = "/Integration-Server/ExpensifyIntegrations"

    func register(on router: Router<BasicRequestContext>) {
        router.post(RouterPath(Self.path)) { request, _ in try await job(request) }
        router.post("/__sandbox/expensify/faults") { request, _ in
            var request = request
            await state.setFaults(try JSONDecoder().decode(SandboxFaults.self, from: Data(buffer: try await request.collectBody(upTo: 1 << 16))))
            return Response(status: .noContent)
        }
        router.post("/__sandbox/expensify/reports") { request, _ in
            var request = request
            await state.add(try ExpensifyReport.parse(Array(buffer: try await request.collectBody(upTo: 32 << 20))))
            return Response(status: .noContent)
        }
        router.get("/__sandbox/expensify/stats") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(await state.stats))))
        }
    }

    func job(_ request: Request) async throws -> Response {
        var request = request
        let faults = await state.faults
        if faults.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(faults.latencyMilliseconds)) }
        let form = Self.form(Array(buffer: try await request.collectBody(upTo: 32 << 20)))
        guard let description = form["requestJobDescription"] else {
            // Tomcat's error page, as Expensify's own script knew it.
            return html(500, "HTTP Status 500 - requestJobDescription is missing")
        }
        guard let job = try? JSONParser.parse(Array(description.utf8)), case .object = job else {
            return html(500, "HTTP Status 500 - JSONObject text must begin with '{'")
        }
        let type = Self.text(job["type"])
        guard credentials.accepts(id: Self.text(job["credentials"]?["partnerUserID"]), secret: Self.text(job["credentials"]?["partnerUserSecret"])) else {
            await state.countAuthenticationFailure()
            return envelope(500, "Authentication error")
        }
        if let refusal = await state.admit(Self.text(job["credentials"]?["partnerUserID"])) {
            return rateLimited(refusal)
        }
        await state.count(type)
        switch faults.pick() {
        case .unavailable?: return html(503, "HTTP Status 503 - Service Unavailable")
        case .tooManyRequests?: return rateLimited(0)
        case .dropBefore?, .dropAfter?, .timeout?: return dropConnection()
        case .storedTruncated?, .storedHTML?, .storedText500?, .storedDrip?, .echoCredentials?: return html(500, "HTTP Status 500 - Internal Server Error")
        case nil: break
        }
        switch type {
        case "file": return await export(job, template: form["template"])
        case "download": return await download(job)
        case "get": return await policyList(job)
        default: return envelope(410, "Argument 'type' is missing or malformed")
        }
    }

    /// The Report Exporter: renders the matching reports into a file and answers its bare name.
    func export(_ job: JSONValue, template: String?) async -> Response {
        guard let template, !template.isEmpty else { return envelope(500, "No Template Submitted") }
        guard case .array(let actions)? = job["onReceive"]?["immediateResponse"], actions.contains(.string("returnRandomFileName")) else {
            return envelope(410, "onReceive must be {\"immediateResponse\":[\"returnRandomFileName\"]}")
        }
        guard Self.text(job["inputSettings"]?["type"]) == "combinedReportData" else { return envelope(410, "Argument 'inputSettings.type' is missing or malformed") }
        if job["onFinish"] != nil { return envelope(410, "this sandbox refuses onFinish actions: ledgerdrop never writes to Expensify") }
        let filters = job["inputSettings"]?["filters"]
        let approvedAfterText = Self.text(filters?["approvedAfter"])
        let reportIDs = Self.text(filters?["reportIDList"])
        if approvedAfterText.isEmpty, reportIDs.isEmpty, Self.text(filters?["startDate"]).isEmpty {
            return envelope(410, "filters must contain reportIDList, startDate or approvedAfter")
        }
        var approvedAfter: Day?
        if !approvedAfterText.isEmpty {
            guard approvedAfterText.count == 10, let day = Day(approvedAfterText) else {
                return envelope(410, "Malformed date '\(approvedAfterText)'. Expected format is yyyy-MM-dd")
            }
            approvedAfter = day
        }
        let stateText = Self.text(job["inputSettings"]?["reportState"])
        let states = Set((stateText.isEmpty ? "OPEN,SUBMITTED,APPROVED,REIMBURSED,ARCHIVED" : stateText).split(separator: ",").map { String($0) })
        for state in states where !["OPEN", "SUBMITTED", "APPROVED", "REIMBURSED", "ARCHIVED"].contains(state) {
            return envelope(410, "Invalid reportState '\(state)'")
        }
        let policies = Self.text(filters?["policyIDList"])
        let selected = await state.select(
            states: states, approvedAfter: approvedAfter,
            reportIDs: reportIDs.isEmpty ? nil : Set(reportIDs.split(separator: ",").map(String.init)),
            policyIDs: policies.isEmpty ? nil : Set(policies.split(separator: ",").map(String.init))
        )
        // What ledgerdrop's template renders: one array, the brackets outside the list.
        var rendered: [UInt8] = [UInt8(ascii: "[")]
        for (index, report) in selected.enumerated() {
            rendered += (index == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A]) + report.json
        }
        rendered += [0x0A, UInt8(ascii: "]"), 0x0A]
        let fileExtension = Self.text(job["outputSettings"]?["fileExtension"])
        let name = "export" + UUID().uuidString.lowercased() + "." + (fileExtension.isEmpty ? "csv" : fileExtension)
        await state.store(file: name, bytes: rendered)
        return Response(status: .ok, headers: [.contentType: "text/plain;charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: name)))
    }

    /// The Downloader: the file's bytes, an empty body while it renders, or an error.
    func download(_ job: JSONValue) async -> Response {
        let name = Self.text(job["fileName"])
        guard !name.isEmpty else { return envelope(410, "Argument 'fileName' is missing or malformed") }
        guard let bytes = await state.download(name) else {
            return Response(status: .ok, headers: [.contentType: "text/plain;charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "{\"responseMessage\":\"File not found\"}")))
        }
        return Response(status: .ok, headers: [.contentType: "text/plain;charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The policy list: the policies of the sandbox's reports.
    func policyList(_ job: JSONValue) async -> Response {
        guard Self.text(job["inputSettings"]?["type"]) == "policyList" else { return envelope(410, "Argument 'type' is missing or malformed") }
        var seen: [String: String] = [:]
        for report in await state.reports where !report.policyID.isEmpty && seen[report.policyID] == nil {
            seen[report.policyID] = report.policyName
        }
        let list: [[String: Any]] = seen.keys.sorted().map {
            ["id": $0, "name": seen[$0] ?? "", "owner": "admin@acme.example", "role": "admin", "outputCurrency": "EUR", "type": "corporate"]
        }
        let data = (try? JSONSerialization.data(withJSONObject: ["policyList": list, "responseCode": 200], options: [.sortedKeys])) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: - Replies

    /// Expensify's error envelope, under HTTP 200.
    func envelope(_ code: Int, _ message: String) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: ["responseMessage": message, "responseCode": code], options: [.sortedKeys])) ?? Data()
        return Response(status: .ok, headers: [.contentType: "text/plain;charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Whether 429 comes as the HTTP status or only in the body is undocumented: the sandbox
    /// alternates, so the client is tested with both.
    func rateLimited(_ refusal: Int) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: ["responseMessage": "You have been rate-limited. Please try again later or contact help@expensify.com for assistance.", "responseCode": 429], options: [.sortedKeys])) ?? Data()
        return Response(status: refusal % 2 == 1 ? .tooManyRequests : .ok, headers: [.contentType: "text/plain;charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func html(_ status: Int, _ title: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "text/html;charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: "<html><head><title>\(title)</title></head><body><h1>\(title)</h1></body></html>")))
    }

    func dropConnection() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(contentLength: 4096) { _ in
            throw CancellationError()
        })
    }

    // MARK: - Reading requests

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: s
        case .number(let n)?: n
        default: ""
        }
    }

    /// `application/x-www-form-urlencoded`: `+` is a space, `%XX` a byte.
    static func form(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let b = bytes[index]
            if b == UInt8(ascii: "+") {
                out.append(0x20)
            } else if b == UInt8(ascii: "%"), index + 2 < bytes.endIndex, let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 2
            } else {
                out.append(b)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The partner credentials the sandbox accepts.
public struct ExpensifySandboxCredentials: Sendable {
    public var partnerUserID: String
    public var partnerUserSecret: String

    public init(partnerUserID: String, partnerUserSecret: String) {
        self.partnerUserID = partnerUserID
        self.partnerUserSecret = partnerUserSecret
    }

    func accepts(id: String, secret: String) -> Bool { id == partnerUserID && secret == partnerUserSecret && !secret.isEmpty }
}
