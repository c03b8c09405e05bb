import AsyncHTTPClient
import Foundation
import NIOSSL

/// One connection pool to X3 and the transport the configuration asks for (SPEC §6.1, §6.6).
public final class X3Connection: Sendable {
    public let client: HTTPClient
    public let transport: any X3Transport
    public let redact: Redactor
    /// X3's GraphQL API for reading (the open periods): the route's own on `graphql`, the stock
    /// read with the web services' user elsewhere; nil where ledgerdrop does not read X3.
    public let reader: GraphQLTransport?

    /// `observer`: told how long each post and lookup took (`watch --metrics-file`).
    public init(configuration: Configuration, credentials: X3Credentials, observer: (any X3Observer)? = nil) throws(LedgerDropError) {
        let x3 = configuration.x3
        // The file route reads X3 only to find entries again, and only where it can.
        let readsX3 = x3.readsX3
        guard !readsX3 || x3.url.hasPrefix("http://") || x3.url.hasPrefix("https://") else {
            throw LedgerDropError(.configInvalid, "x3.url must be an http:// or https:// URL, not \"\(x3.url)\"")
        }
        if readsX3 { try credentials.check(for: x3.auth) }
        if x3.api == .file, !FileSystem.isFolder(followingLinks: x3.handoffFolder) {
            throw LedgerDropError(.configInvalid, "x3.handoff.folder \(x3.handoffFolder) is not a folder")
        }
        // ledgerdrop retries by x3.retries and x3.backoff (no hidden connection retries), and
        // never follows a redirect to another host.
        var settings = HTTPExchange.clientConfiguration(timeout: x3.timeout)
        settings.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, x3.concurrency)
        // Certificates are always verified (SPEC §9); x3.caFile adds a private CA to the system's.
        if !x3.caFile.isEmpty {
            guard FileManager.default.isReadableFile(atPath: x3.caFile) else {
                throw LedgerDropError(.configInvalid, "x3.caFile \(x3.caFile) cannot be read")
            }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(x3.caFile)]
            settings.tlsConfiguration = tls
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        let tokens: any TokenSource = x3.auth == .oauth2
            ? OAuth2Token(exchange: HTTPExchange(client: client, timeout: x3.timeout, followSameHostRedirects: x3.redirects == .sameHost, limit: 1 << 20),
                          tokenURL: x3.tokenURL.isEmpty ? x3.url + "/oauth/token" : x3.tokenURL, credentials: credentials)
            : ConnectedAppToken(credentials: credentials, lifetime: x3.tokenLifetime)
        let redact = Redactor(secrets: credentials.secrets)
        self.client = client
        self.redact = redact
        let soap = SOAPTransport(client: client, x3: x3, credentials: credentials, redact: redact)
        var transport: any X3Transport
        let own = GraphQLTransport(client: client, x3: x3, tokens: tokens, redact: redact)
        switch x3.api {
        case .graphql: transport = own
        case .soap: transport = soap
        case .import: transport = ImportTransport(soap: soap, x3: x3)
        case .file: transport = soap
        }
        // The stock GraphQL read (SPEC §13.5), with the route's own credentials: the web
        // services' pool user on the SOAP routes.
        let graphql = x3.api == .graphql ? own : GraphQLTransport(client: client, x3: x3, tokens: BasicCredentials(credentials: credentials), redact: soap.redact)
        self.reader = readsX3 ? graphql : nil
        if x3.lookupKind == .fingerprint, readsX3 {
            transport = FingerprintLookup(base: transport, graphql: graphql, query: x3.graphql.fingerprintLookup)
        }
        if x3.api == .file {
            // The folder is the route; X3, where it can be read, only answers lookups.
            transport = FolderHandOff(folder: x3.handoffFolder, stock: readsX3 ? transport : nil)
        }
        if let observer { transport = TimedTransport(base: transport, observer: observer) }
        self.transport = RequestLimiter(x3: x3.rateLimit).map { RateLimitedTransport(base: transport, limiter: $0) } ?? transport
    }

    /// What a request for this payload looks like, the credentials redacted (`post --dry-run`).
    public static func describe(_ payload: PayloadFile, x3: Configuration.X3) -> String {
        let base = x3.url.hasSuffix("/") ? String(x3.url.dropLast()) : x3.url
        let body: [UInt8]
        var lines: [String]
        if x3.api == .file {
            // No request: the file, as it would be handed off.
            return "WRITE \(x3.handoffFolder)/\(payload.fileName) (\(payload.bytes.count) bytes)\n\n" + payload.records.joined(separator: "\n")
        }
        if x3.api != .graphql {
            body = x3.api == .import ? SOAPEnvelope.run(records: payload.records, x3: x3)
                : SOAPEnvelope.save(objectXml: payload.bytes, soap: x3.soap)
            lines = ["POST \(base)/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC",
                     "Content-Type: text/xml; charset=utf-8", "SOAPAction: \"\"", "Authorization: Basic [redacted]"]
        } else {
            body = payload.bytes
            lines = ["POST \(base)/xtrem/api", "Content-Type: application/json", "x-xtrem-endpoint: \(x3.endpoint)", "Authorization: Bearer [redacted]"]
        }
        lines.append("Content-Length: \(body.count)")
        lines.append("")
        lines.append(String(decoding: body, as: UTF8.self))
        return lines.joined(separator: "\n")
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
