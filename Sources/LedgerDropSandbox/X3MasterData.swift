import Foundation

/// The sandbox's chart of accounts, dimensions and periods (`fixtures/x3-master.json`), and the
/// accounting rules of SPEC §13.4 it enforces: collective accounts with their control-account
/// codes, business partners, accounts subject to tax and the tax codes.
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
    /// Control-account code (SAC) → its collective account: a line there needs a BP, and in
    /// import records this code.
    public var controlAccounts: [String: String]? = nil
    /// Business partner → the control-account code its accounting code points to.
    public var businessPartners: [String: String]? = nil
    /// Accounts subject to tax: a line there needs one of `taxCodes`.
    public var taxAccounts: [String]? = nil
    public var taxCodes: [String]? = nil
    /// The sites entries may be posted to (several companies, issue 11); nil: any.
    public var sites: [String]? = nil

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
        /// The line's tax code, where the route carries one.
        public var tax: String? = nil
        /// The import records' SAC; nil on the routes where X3 derives it from the BP.
        public var controlAccount: String? = nil
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
    /// The entry status code as sent (GESGAS: 1 temporary, 2 final), where the route carries it.
    public var status: String? = nil
    /// The source document's date (BPRDATVCR), where the route carries it.
    public var sourceDate: String? = nil
}
