import Foundation
import Hummingbird
import LedgerDrop

/// The customer-built GraphQL operation of SPEC §13.6: an X3 Builder operation on an import
/// template of type "Json (API)", with the customer's names (the shape of a public client of
/// one: `createJournalEntry(input: {site, accountingDate, sourceCurrency, reference, lines:
/// [{account, debit | credit, dimensions: {…}}]})`), and `__type` introspection of the input
/// types of both operations the sandbox knows.
extension X3Endpoints {
    /// Input types and their properties (property → the named type under it, for nested ones).
    static let inputTypes: [String: [(String, String?)]] = [
        "JournalEntry_Input": [("journalEntryType", "String"), ("site", "String"), ("journal", "String"), ("accountingDate", "Date"),
                               ("transactionCurrency", "String"), ("description", "String"), ("reference", "String"), ("lines", "JournalEntryLine_Input")],
        "JournalEntryLine_Input": [("lineNumber", "Int"), ("account", "String"), ("sign", "Int"), ("transactionAmount", "Decimal"), ("lineDescription", "String"),
                                   ("businessPartner", "String"), ("tax", "String"), ("dimensions", "Dimension_Input")],
        "Dimension_Input": [("dimensionType", "String"), ("dimension", "String")],
        "YJournalEntry_Input": [("site", "String"), ("journalEntryType", "String"), ("documentType", "String"), ("accountingDate", "Date"),
                                ("descriptionByDefault", "String"), ("sourceCurrency", "String"), ("reference", "String"), ("lines", "YJournalEntryLine_Input")],
        "YJournalEntryLine_Input": [("account", "String"), ("debit", "Decimal"), ("credit", "Decimal"), ("lineDescription", "String"),
                                    ("businessPartner", "String"), ("taxCode", "String"), ("dimensions", "YDimensions_Input")],
        "YDimensions_Input": [("CCT", "String"), ("PRJ", "String")],
    ]

    func introspect(_ name: String) -> Response {
        guard let fields = Self.inputTypes[name] else { return json(["data": ["__type": NSNull()]]) }
        let list = fields.map { field, type -> [String: Any] in
            // Nested input types come as [Type!] lists, as X3's schema writes collections.
            let named: [String: Any] = ["name": type ?? NSNull(), "kind": Self.inputTypes[type ?? ""] == nil ? "SCALAR" : "INPUT_OBJECT"]
            let wrapped: [String: Any] = Self.inputTypes[type ?? ""] != nil && field == "lines"
                ? ["name": NSNull(), "kind": "LIST", "ofType": ["name": NSNull(), "kind": "NON_NULL", "ofType": named]] : named
            return ["name": field, "type": wrapped]
        }
        return json(["data": ["__type": ["name": name, "inputFields": list]]])
    }

    func createCustomer(_ input: JSONValue) async throws -> Response {
        func text(_ value: JSONValue?) -> String { if case .string(let s)? = value { s } else { "" } }
        guard case .array(let lines)? = input["lines"] else {
            return json(["errors": [["message": "Variable \"$input\" got invalid value: lines is required"]]], status: .badRequest)
        }
        var entryLines: [X3LedgerEntry.Line] = []
        for line in lines {
            let amounts: [(Int, String)] = [(1, "debit"), (-1, "credit")].compactMap { sign, key in
                if case .number(let n)? = line[key] { (sign, n) } else { nil }
            }
            guard amounts.count == 1, ExactDecimal(Substring(amounts[0].1)) != nil else {
                return json(["errors": [["message": "Variable \"$input\" got invalid value: exactly one of debit and credit is required"]]], status: .badRequest)
            }
            let sign = amounts[0].0
            var dimensions: [String: String] = [:]
            if case .object(let members)? = line["dimensions"] {
                for member in members { if case .string(let code) = member.value, !code.isEmpty { dimensions[member.key] = code } }
            }
            entryLines.append(.init(account: text(line["account"]), sign: sign, amount: amounts[0].1, description: text(line["lineDescription"]),
                                    businessPartner: text(line["businessPartner"]), dimensions: dimensions, tax: text(line["taxCode"])))
        }
        let entry = X3LedgerEntry(entryNumber: "", entryType: text(input["journalEntryType"]), site: text(input["site"]),
                                  accountingDate: text(input["accountingDate"]), currency: text(input["sourceCurrency"]),
                                  reference: text(input["reference"]), description: text(input["descriptionByDefault"]), api: "graphql", lines: entryLines)
        return try await store(entry, answerPath: ["xtremX3Finance", "yJournalEntry", "createJournalEntry"])
    }
}
