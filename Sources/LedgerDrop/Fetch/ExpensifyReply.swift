/// What an Integration Server reply means (SPEC §7.1). HTTP 200 is not success by itself: a JSON
/// object with `responseCode` ≠ 200 is an error, and so are HTML and empty bodies, except that an
/// empty download means "not rendered yet". The export's success body is a bare file name; the
/// download's is the file itself. Pure: tested on the bodies recorded from the live service.
package enum ExpensifyReply {
    /// How a reply failed.
    package enum Failure: Error, Equatable {
        /// 429, as HTTP status or as `responseCode`; `retryAfter` in seconds when sent.
        case rateLimited(retryAfter: Duration?)
        /// The partner credentials were refused.
        case authentication(String)
        /// A gateway or server error that may pass (HTTP 5xx without Expensify's envelope).
        case transient(String)
        /// Expensify refused the job (410 validation, 500 generic, …): retrying will not help.
        case refused(code: Int, message: String)
        /// A body that is none of the shapes Expensify sends.
        case malformed(String)
    }

    /// The checks every reply goes through, whatever the job.
    static func check(status: UInt, retryAfter: String?, body: [UInt8]) throws(Failure) {
        if status == 429 { throw .rateLimited(retryAfter: Backoff.retryAfter(retryAfter)) }
        if let envelope = envelope(body), envelope.code != 200 {
            if envelope.code == 429 { throw .rateLimited(retryAfter: Backoff.retryAfter(retryAfter)) }
            if envelope.code == 401 || envelope.code == 403 || isAboutCredentials(envelope.message) {
                throw .authentication("Expensify refused the partner credentials (responseCode \(envelope.code)): \(envelope.message)")
            }
            throw .refused(code: envelope.code, message: envelope.message)
        }
        if status == 401 || status == 403 {
            throw .authentication("Expensify refused the partner credentials (HTTP \(status)): \(excerpt(body))")
        }
        if status >= 500 { throw .transient("Expensify answered HTTP \(status): \(excerpt(body))") }
        if status != 200 { throw .malformed("Expensify answered HTTP \(status): \(excerpt(body))") }
        if isHTML(body) { throw .malformed("Expensify answered with an HTML page instead of a reply: \(excerpt(body))") }
    }

    /// The export's reply: the bare generated file name (`export0fd99e06-….json`).
    package static func fileName(status: UInt, retryAfter: String?, body: [UInt8]) throws(Failure) -> String {
        try check(status: status, retryAfter: retryAfter, body: body)
        let text = String(decoding: body, as: UTF8.self).trimmingSpaces
        if text.isEmpty { throw .malformed("Expensify answered the export with an empty body instead of a file name") }
        let plain = text.utf8.count <= 255 && text.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F
        }
        guard plain, text.first != "." else {
            throw .malformed("Expensify answered the export with something that is not a file name: \(excerpt(body))")
        }
        return text
    }

    /// The download's reply: the file, or nil while it is not rendered yet (an empty body).
    package static func file(status: UInt, retryAfter: String?, body: [UInt8]) throws(Failure) -> [UInt8]? {
        try check(status: status, retryAfter: retryAfter, body: body)
        if firstByte(body) == nil { return nil }
        // `{"responseMessage":"File not found"}` carries no responseCode and is still an error;
        // the template renders an array, so no object is ever the file itself. (An array is not
        // parsed here: a year's export would be held twice, once as a tree.)
        if firstByte(body) == UInt8(ascii: "{"), case .object(let fields)? = try? JSONParser.parse(body), fields["reportID"] == nil {
            if case .string(let message)? = fields["responseMessage"] {
                throw .refused(code: 0, message: message)
            }
        }
        return body
    }

    /// The policy list's reply: `(id, name)` of each policy the credentials can see.
    package static func policies(status: UInt, retryAfter: String?, body: [UInt8]) throws(Failure) -> [(id: String, name: String)] {
        try check(status: status, retryAfter: retryAfter, body: body)
        guard case .array(let list)? = (try? JSONParser.parse(body))?["policyList"] else {
            throw .malformed("Expensify's policy list has no \"policyList\": \(excerpt(body))")
        }
        return list.compactMap { policy in
            guard case .string(let id)? = policy["id"] else { return nil }
            if case .string(let name)? = policy["name"] { return (id, name) }
            return (id, "")
        }
    }

    /// `{"responseMessage": …, "responseCode": …}`, if the body is such an object.
    static func envelope(_ body: [UInt8]) -> (code: Int, message: String)? {
        guard firstByte(body) == UInt8(ascii: "{"),
              case .object(let fields)? = try? JSONParser.parse(body) else { return nil }
        let code: Int?
        switch fields["responseCode"] {
        case .number(let text)?: code = Int(text)
        case .string(let text)?: code = Int(text)
        default: code = nil
        }
        guard let code else { return nil }
        if case .string(let message)? = fields["responseMessage"] { return (code, message) }
        return (code, "")
    }

    static func isAboutCredentials(_ message: String) -> Bool {
        let text = message.lowercased()
        return text.contains("authenticat") || text.contains("authoriz") || text.contains("credential") || text.contains("partneruser")
    }

    static func isHTML(_ body: [UInt8]) -> Bool {
        firstByte(body) == UInt8(ascii: "<")
    }

    /// The first byte that is not whitespace; nil for a blank body.
    static func firstByte(_ body: [UInt8]) -> UInt8? { body.first { !JSONParser.isWhitespace($0) } }

    /// The start of a body for a message: one line, at most 200 characters.
    static func excerpt(_ body: [UInt8]) -> String {
        if body.isEmpty { return "(empty body)" }
        var text = String(decoding: body.prefix(400), as: UTF8.self)
        if isHTML(body), let title = text.range(of: "<title>"), let end = text.range(of: "</title>"), title.upperBound <= end.lowerBound {
            text = String(text[title.upperBound..<end.lowerBound])
        }
        text = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ").trimmingSpaces
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
