/// The control total of a report (issue 11, `posting.totalCheck`): its expenses, each taken into
/// the report currency as the conversion takes it, against Expensify's own `total`.
///
/// Both sides are Expensify hundredths of the report currency, whatever its decimals. Expensify
/// does not document the sign of `total` (exports show both signs for a report of expenses), so
/// the magnitudes are compared. Each expense converted from another currency may differ by one
/// hundredth (its own rounding here and Expensify's there); an expense in the report currency
/// may not differ at all. Rounding to the currency's minor unit happens after, at posting, and is
/// not a mismatch.
struct TotalCheck {
    let report: Report

    /// The expenses' sum in hundredths of the report currency and the rounding it may carry; nil
    /// when an expense has no way into the report currency (then nothing is compared).
    var linesTotal: (hundredths: Int64, tolerance: Int64)? {
        var sum: Int64 = 0
        var tolerance: Int64 = 0
        for expense in report.transactions {
            guard let factor = expense.reportCurrencyFactor(reportCurrency: report.currency) else { return nil }
            let amount = Int128(expense.amountInExpenseCurrency)
            if factor == .one {
                sum += expense.amountInExpenseCurrency
            } else {
                sum += Int64(Int128.roundedQuotient(amount * factor.numerator, factor.denominator))
                tolerance += 1
            }
        }
        return (sum, tolerance)
    }

    /// `TOTAL_MISMATCH` with both figures, or nil when the report has no `total` or agrees.
    func mismatch(at path: String) -> Problem? {
        guard let total = report.total, let (sum, tolerance) = linesTotal else { return nil }
        let difference = Int128(sum.magnitude) - Int128(total.magnitude)
        guard difference.magnitude > UInt128(tolerance) else { return nil }
        func text(_ hundredths: Int64) -> String { "\(ExactDecimal(significand: Int128(hundredths.magnitude), scale: 2)) \(report.currency)" }
        return Problem(.totalMismatch, "report \(report.reportID): its \(report.transactions.count) expenses sum to \(text(sum)) but its Expensify total is \(text(total))"
                       + " (magnitudes compared, \(tolerance == 0 ? "no rounding" : "\(tolerance) hundredths of rounding") allowed)", path: "\(path).total")
    }
}
