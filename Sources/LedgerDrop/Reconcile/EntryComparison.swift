/// Whether X3 still holds what was posted (issue 12): the payload's lines against the entry X3
/// holds now — the same account, side, amount, business partner and dimensions per line, the
/// same site, date, currency and totals. Pure; each difference is said in finance's words.
public enum EntryComparison {
    /// The differences, empty when X3 holds the entry as it was posted. X3 may add dimensions of
    /// its own (an account's default analytics): only the dimension types the payload sets count.
    public static func differences(payload: PayloadFile, x3 entry: X3PostedEntry) -> [String] {
        var found: [String] = []
        for (what, posted, held) in [("site", payload.site, entry.site), ("accounting date", payload.accountingDate.description, entry.accountingDate),
                                     ("currency", payload.currency, entry.currency)] where !posted.isEmpty && !held.isEmpty && posted != held {
            found.append("\(what): posted \(posted), X3 has \(held)")
        }
        // Lines that are the same on both sides are set aside, whatever their order.
        let left = unmatched(payload.lines.map(Line.init), against: entry.lines.map(Line.init))
        var held = left.held
        // What is left, paired by account and side where it can be: a changed amount, partner
        // or dimension reads as such, not as a line missing and another extra.
        for line in left.posted {
            if let other = held.firstIndex(where: { $0.account == line.account && $0.side == line.side }) {
                found += line.differences(from: held[other], currency: payload.currency)
                held.remove(at: other)
            } else {
                found.append("the line \(line.text(payload.currency)) is not in X3")
            }
        }
        for line in held { found.append("X3 has a line \(line.text(payload.currency)) that was not posted") }
        let postedTotal = total(payload.lines.filter { $0.side == .debit }.map(\.amount))
        let heldTotal = total(entry.lines.filter { $0.side == .debit }.map(\.amount))
        if !postedTotal.isEqual(to: heldTotal) {
            found.append("debit total: posted \(postedTotal.written(for: payload.currency)), X3 has \(heldTotal.written(for: payload.currency))")
        }
        return found
    }

    /// The lines of each side that the other side does not hold, as multisets.
    static func unmatched(_ posted: [Line], against held: [Line]) -> (posted: [Line], held: [Line]) {
        var left = held
        var missing: [Line] = []
        for line in posted {
            if let match = left.firstIndex(where: { $0.matches(line) }) { left.remove(at: match) } else { missing.append(line) }
        }
        return (missing, left)
    }

    static func total(_ amounts: [ExactDecimal]) -> ExactDecimal {
        amounts.reduce(ExactDecimal(significand: 0, scale: 0)) { $0.adding($1) }
    }

    /// One line, on either side.
    struct Line: Equatable {
        var account: String
        var side: Side
        var amount: ExactDecimal
        var businessPartner: String
        var dimensions: [String: String]

        init(_ line: PayloadFile.Line) {
            self.init(account: line.account, side: line.side, amount: line.amount, businessPartner: line.businessPartner, dimensions: line.dimensions)
        }

        init(_ line: X3PostedEntry.Line) {
            self.init(account: line.account, side: line.side, amount: line.amount, businessPartner: line.businessPartner, dimensions: line.dimensions)
        }

        init(account: String, side: Side, amount: ExactDecimal, businessPartner: String, dimensions: [String: String]) {
            self.account = account
            self.side = side
            self.amount = amount
            self.businessPartner = businessPartner
            self.dimensions = dimensions
        }

        static func == (a: Line, b: Line) -> Bool {
            a.account == b.account && a.side == b.side && a.amount.isEqual(to: b.amount) && a.businessPartner == b.businessPartner && a.dimensions == b.dimensions
        }

        /// `posted` is this side's payload line: X3's line (`self`) matches it when everything
        /// the payload says is there, X3's own extra dimension types aside.
        func matches(_ posted: Line) -> Bool {
            account == posted.account && side == posted.side && amount.isEqual(to: posted.amount) && businessPartner == posted.businessPartner
                && posted.dimensions.allSatisfy { dimensions[$0.key] == $0.value }
        }

        func text(_ currency: String) -> String {
            var text = "\(account) \(side == .debit ? "debit" : "credit") \(amount.written(for: currency))"
            if !businessPartner.isEmpty { text += " (\(businessPartner))" }
            if !dimensions.isEmpty { text += " [" + dimensions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "]" }
            return text
        }

        /// How X3's line of the same account and side differs from this posted one.
        func differences(from held: Line, currency: String) -> [String] {
            let name = "\(account) \(side == .debit ? "debit" : "credit")"
            var found: [String] = []
            if !amount.isEqual(to: held.amount) { found.append("\(name): posted \(amount.written(for: currency)), X3 has \(held.amount.written(for: currency))") }
            if businessPartner != held.businessPartner {
                found.append("\(name): business partner posted \(businessPartner.isEmpty ? "none" : businessPartner), X3 has \(held.businessPartner.isEmpty ? "none" : held.businessPartner)")
            }
            for (type, value) in dimensions.sorted(by: { $0.key < $1.key }) where held.dimensions[type] != value {
                found.append("\(name): \(type) posted \(value), X3 has \(held.dimensions[type] ?? "none")")
            }
            return found
        }
    }
}
