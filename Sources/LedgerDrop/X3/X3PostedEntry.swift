/// A journal entry as X3 holds it now, read back with its lines (issue 12's reconciliation):
/// what finance's ledger says, to compare with the payload that was posted.
public struct X3PostedEntry: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var account: String
        public var side: Side
        public var amount: ExactDecimal
        public var businessPartner: String
        /// Dimension type → dimension, from the line's analytical lines.
        public var dimensions: [String: String]
        /// X3's ledger type number (1: the general ledger); empty when the answer has none.
        public var ledgerType: String
    }

    public var entryType: String
    public var entryNumber: String
    public var site: String
    public var accountingDate: String
    public var currency: String
    /// The lines of the first ledger type (X3 may store each line once per ledger type).
    public var lines: [Line]
}
