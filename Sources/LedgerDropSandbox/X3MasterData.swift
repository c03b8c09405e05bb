import Foundation

/// The sandbox's chart of accounts, dimensions and periods (`fixtures/x3-master.json`).
public struct X3MasterData: Codable, Sendable {
    public struct Period: Codable, Sendable {
        public var from: String
        public var to: String
        public var open: Bool
    }

    public var site: String
    public var accounts: [String]
    public var dimensions: [String: [String]]
    public var periods: [Period]

    public static func load(_ path: String) throws -> X3MasterData {
        try JSONDecoder().decode(X3MasterData.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// One entry in the sandbox's ledger, as tests read it back.
public struct X3LedgerEntry: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var account: String
        public var sign: Int
        public var amount: String
        public var description: String
        public var businessPartner: String
        public var dimensions: [String: String]
    }

    public var entryNumber: String
    public var entryType: String
    public var site: String
    public var accountingDate: String
    public var currency: String
    public var reference: String
    public var description: String
    public var api: String
    public var lines: [Line]
}
