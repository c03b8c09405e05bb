/// One of `ledgerdrop check`'s read-only questions to X3's GraphQL API:
/// `<package> { <node> { query(filter: $filter, first: 5) { edges { node { <selection> } } } } }`.
public struct MasterDataQuestion: Sendable, Equatable {
    public var package: String
    public var node: String
    /// The filter, passed as a variable (never spliced into the query text).
    public var filter: String
    public var selection: String

    public init(package: String = "x3FinanceData", node: String, filter: String, selection: String = "_id") {
        self.package = package
        self.node = node
        self.filter = filter
        self.selection = selection
    }

    /// The query's text.
    var query: String {
        "query Check($filter: String) { \(package) { \(node) { query(filter: $filter, first: 5) { edges { node { \(selection) } } } } } }"
    }
}
