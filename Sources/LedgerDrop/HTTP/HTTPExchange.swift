import AsyncHTTPClient
import Foundation
import NIOCore

/// One request and its whole answer, as both clients (X3 and Expensify) send them: the timeout
/// bounds the whole exchange — a server that drips one byte a second is cut off — and redirects
/// are never followed to another host (SPEC §9: the credentials go where the configuration says,
/// nowhere else). A same-host redirect is followed only when the configuration allows it.
package struct HTTPExchange: Sendable {
    let client: HTTPClient
    let timeout: Duration
    let followSameHostRedirects: Bool
    /// The most bytes of an answer that are read; more is an unreadable answer.
    let limit: Int

    package struct Reply: Sendable {
        package var status: UInt
        package var headers: [(String, String)]
        package var body: [UInt8]

        package init(status: UInt, headers: [(String, String)] = [], body: [UInt8]) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }

        /// The start of the body as text, for error files (at most 4 KB).
        var excerpt: String { String(decoding: body.prefix(4096), as: UTF8.self) }
    }

    /// The client settings both clients share: the pool's own connection retries are off (the
    /// configured retries are the only policy) and redirects are answered, not followed, so
    /// that `send` decides on them.
    static func clientConfiguration(timeout: Duration) -> HTTPClient.Configuration {
        var settings = HTTPClient.Configuration()
        settings.connectionPool = .init(idleTimeout: .seconds(60))
        settings.connectionPool.retryConnectionEstablishment = false
        settings.redirectConfiguration = .disallow
        let milliseconds = max(1, Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        settings.timeout = .init(connect: .milliseconds(min(10_000, milliseconds)), read: .milliseconds(milliseconds))
        return settings
    }

    func send(_ request: HTTPClientRequest) async throws(ExchangeFailure) -> Reply {
        var request = request
        for _ in 0..<4 {
            let reply = try await sendOnce(request)
            guard (300...399).contains(reply.status), reply.status != 304 else { return reply }
            guard let location = reply.header("Location"), let target = Self.resolve(location, against: request.url) else {
                throw ExchangeFailure(kind: .redirected, message: "\(Self.origin(request.url)) answered HTTP \(reply.status) (a redirect) without a usable Location")
            }
            guard Self.origin(target) == Self.origin(request.url) else {
                throw ExchangeFailure(kind: .redirected, message: "\(request.url) redirects to another host (\(Self.origin(target))); redirects to another host are never followed — set the URL to the server's own address")
            }
            guard followSameHostRedirects else {
                throw ExchangeFailure(kind: .redirected, message: "\(request.url) redirects to \(target); set the URL to that address, or allow same-host redirects (redirects: same-host)")
            }
            request.url = target
        }
        throw ExchangeFailure(kind: .redirected, message: "\(request.url) redirects more than 3 times")
    }

    private func sendOnce(_ request: HTTPClientRequest) async throws(ExchangeFailure) -> Reply {
        let client = client
        let limit = limit
        do {
            return try await withDeadline(timeout) {
                let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
                // Read straight into the array the caller keeps (no second buffer to copy from):
                // a year's Expensify export is held once, not twice.
                var body: [UInt8] = []
                if let length = response.headers.first(name: "content-length").flatMap(Int.init), length <= limit { body.reserveCapacity(length) }
                for try await chunk in response.body {
                    guard body.count + chunk.readableBytes <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
                    body += chunk.readableBytesView
                }
                return Reply(status: response.status.code, headers: response.headers.map { ($0.name, $0.value) }, body: body)
            }
        } catch {
            throw ExchangeFailure(error)
        }
    }

    /// Runs `work`, cancelling it when `timeout` has passed: the whole exchange, not each read.
    private func withDeadline<T: Sendable>(_ timeout: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ExchangeFailure(kind: .outcomeUnknown, message: "no full answer within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// `scheme://host:port` of a URL, lowercased, with the scheme's default port made explicit.
    static func origin(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), let host = components.host?.lowercased() else { return url }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }

    static func resolve(_ location: String, against base: String) -> String? {
        guard let baseURL = URL(string: base), let target = URL(string: location, relativeTo: baseURL)?.absoluteURL else { return nil }
        return target.absoluteString
    }
}
