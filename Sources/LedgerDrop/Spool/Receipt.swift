import Crypto
import Foundation

/// `done/<entry-key>.receipt.json` (SPEC §6.4): where an entry went in X3.
public struct Receipt: Codable, Sendable, Equatable {
    public var entryKey: String
    public var reportID: String
    public var x3EntryType: String
    public var x3EntryNumber: String
    public var api: String
    public var serverURL: String
    public var endpoint: String
    public var postedAt: String
    public var attempts: Int
    public var payloadSHA256: String
    public var lineCount: Int
    public var total: String
    public var currency: String
    /// The entry was found in X3 by the lookup of SPEC §6.5, not created by this attempt.
    public var recovered: Bool
    public var diagnoses: [String]
    /// The `file` route: handed to `x3.handoff.folder`; `x3EntryNumber` stays empty until a
    /// later post finds the entry in X3 (SPEC §13.2). Absent on the other routes.
    public var handedOff: Bool?
    /// `posting.closedPeriod: next-open` dated the entry later than its expenses (SPEC §13.4):
    /// `{"from": "2025-06-01", "to": "2026-01-01"}`, the expenses' date and the accounting date.
    /// Absent otherwise, and where the layout carries no `{sourceDate}`.
    public var movedToOpenPeriod: MovedDate?
    /// With `companies:` (issue 11): the company the entry was posted for, and its site.
    /// Absent without companies.
    public var company: String?
    public var site: String?

    public struct MovedDate: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
    }

    public static let suffix = ".receipt.json"

    /// Where the entry was posted: the route and the server, as the receipt records them.
    public struct Destination: Sendable, Equatable {
        public var api: String
        public var serverURL: String
        public var endpoint: String
        /// A folder X3 loads from (the `file` route), not X3 itself: no number at first.
        public var handsOff: Bool

        public init(api: String, serverURL: String, endpoint: String, handsOff: Bool = false) {
            self.api = api
            self.serverURL = serverURL
            self.endpoint = endpoint
            self.handsOff = handsOff
        }
    }

    /// What was posted (the payload's values) and what X3 answered (its entry type and number).
    public struct Posted: Sendable, Equatable {
        public var entryKey: String
        public var reportID: String
        public var entryType: String
        public var entryNumber: String
        public var payloadBytes: [UInt8]
        public var lineCount: Int
        public var total: String
        public var currency: String
        /// When a closed period moved the entry.
        public var moved: MovedDate? = nil
        /// The company of `companies:` and its site; empty without companies.
        public var company = ""
        public var site = ""
    }

    init(_ posted: Posted, destination: Destination, postedAt: String, attempts: Int, recovered: Bool, diagnoses: [String]) {
        entryKey = posted.entryKey
        reportID = posted.reportID
        x3EntryType = posted.entryType
        x3EntryNumber = posted.entryNumber
        api = destination.api
        serverURL = destination.serverURL
        endpoint = destination.endpoint
        self.postedAt = postedAt
        self.attempts = attempts
        payloadSHA256 = SHA256.hash(data: posted.payloadBytes).map { String(format: "%02x", $0) }.joined()
        lineCount = posted.lineCount
        total = posted.total
        currency = posted.currency
        self.recovered = recovered
        self.diagnoses = diagnoses
        self.handedOff = destination.handsOff ? true : nil
        self.movedToOpenPeriod = posted.moved
        self.company = posted.company.isEmpty ? nil : posted.company
        self.site = posted.company.isEmpty ? nil : posted.site
    }

    public var bytes: [UInt8] { JSONFile.encode(self) }

    /// The receipt within `limit` bytes (the space reserved before posting): X3's information
    /// messages are the only part of unbounded length, so they are cut first, then dropped.
    func bytes(fitting limit: Int) -> [UInt8] {
        var receipt = self
        var encoded = receipt.bytes
        if encoded.count > limit { receipt.diagnoses = receipt.diagnoses.map { TerminalText.clean($0, limit: 200) } }
        while encoded.count > limit, !receipt.diagnoses.isEmpty {
            receipt.diagnoses.removeLast()
            encoded = receipt.bytes
        }
        return encoded
    }

    public static func read(_ bytes: [UInt8]) -> Receipt? {
        try? JSONDecoder().decode(Receipt.self, from: Data(bytes))
    }

    /// The X3 entry number of a posted entry key, read from its receipt.
    static func entryNumber(in spool: Spool, key: EntryKey) -> String? {
        entryNumber(in: spool, stem: key.fileStem)
    }

    static func entryNumber(in spool: Spool, stem: String) -> String? {
        guard let bytes = try? FileSystem.read(spool.path(.done, stem + suffix), limit: 1 << 20),
              let document = try? JSONParser.parse(bytes),
              case .string(let number)? = document["x3EntryNumber"] else { return nil }
        return number
    }
}
