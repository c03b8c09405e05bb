import Foundation
import Testing
@testable import LedgerDrop

/// The shipped export template, rendered by the real FreeMarker engine (Debian's
/// libfreemarker-java on Java 17, installed by .ci/run) over a data model shaped like Expensify's:
/// `reports`, each with a `transactionList`, values of Java's own types.
@Suite("The export template under real FreeMarker")
struct ExportTemplateTests {
    static let templatePath = Fixtures.packageRoot + "/Sources/LedgerDrop/Resources/expensify-report-export.ftl"
    static let freemarker = "/usr/share/java/freemarker.jar"

    /// The data model, as JSON: the harness turns objects into maps, arrays into lists, integral
    /// numbers into Long (BigInteger past 64 bits), others into BigDecimal; null leaves a key out.
    static let model = #"""
    {"addHeader": false, "reports": [
      {"reportID": "R00I7J3xs5fn", "oldReportID": "R3513250790654885",
       "reportName": "Say \"hello\" to C:\\Temp\nnext line & more — Zürich 東京 Ωmega",
       "status": "Approved", "policyID": "F0D3B1A2C4E5F607", "policyName": "Acme \"EU\"", "currency": "EUR", "total": 45678,
       "created": "2026-10-30 08:00:00", "submitted": "2026-11-01 09:12:00", "approved": "2026-11-02 16:40:00",
       "accountEmail": "jane.doe@acme.example", "submitterPayrollID": "EMP-0042", "managerEmail": "boss@acme.example",
       "isACHReimbursed": false,
       "transactionList": [
         {"transactionID": 4056343049275634494, "created": "2026-10-30", "modifiedCreated": "", "merchant": "Fish & Chips \"Ltd\"",
          "modifiedMerchant": "", "amount": 31200, "modifiedAmount": 0, "currency": "USD", "convertedAmount": 0,
          "currencyConversionRate": 1.15, "category": "Airfare", "categoryGlCode": "625100", "tag": "PRJ-0042", "tagGlCode": "",
          "comment": "Tab\there, O'Brien's backslash \\ and quote \" in a comment", "reimbursable": true, "billable": false,
          "taxAmount": 0, "modifiedTaxAmount": 0, "taxCode": "", "taxName": "", "receiptObject": {"url": "https://www.expensify.com/receipts/w_1.jpg"}},
         {"transactionID": "77", "created": "2026-10-31", "modifiedCreated": "2026-11-01", "merchant": "Taxi", "modifiedMerchant": "Taxi G7",
          "amount": -1500, "modifiedAmount": -1250, "currency": "EUR", "convertedAmount": -1250, "category": "Taxi",
          "reimbursable": false, "billable": true, "taxAmount": 208, "modifiedTaxAmount": 0, "taxCode": "FR-VAT-20", "taxName": "VAT 20%",
          "receiptObject": null}
       ]},
      {"reportID": 1234567, "reportName": "Ünïcödé only, no expenses", "status": "Reimbursed", "currency": "JPY", "total": 0,
       "approved": "2026-11-03 10:00:00", "transactionList": []}
    ]}
    """#

    func render(template: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: Self.freemarker), FileManager.default.isExecutableFile(atPath: "/usr/bin/java") else {
            throw FreeMarkerMissing()
        }
        let folder = NSTemporaryDirectory() + "ledgerdrop-ftl-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try template.write(toFile: folder + "/export.ftl", atomically: true, encoding: .utf8)
        try Self.model.write(toFile: folder + "/model.json", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/java")
        process.arguments = ["-cp", Self.freemarker, Fixtures.packageRoot + "/Tests/FreeMarker/RenderTemplate.java", folder + "/export.ftl", folder + "/model.json"]
        let out = folder + "/out.json"
        let err = folder + "/err.txt"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        process.waitUntilExit()
        let errors = readText(err)
        #expect(process.terminationStatus == 0, "FreeMarker: \(errors)")
        return FileSystem.contents(ofFileAt: out) ?? []
    }

    struct FreeMarkerMissing: Error, CustomStringConvertible {
        var description: String { "FreeMarker is not installed: apt-get install libfreemarker-java default-jre-headless (.ci/run does)" }
    }

    @Test func theBinarySendsTheTemplateFile() throws {
        #expect(ExportTemplate.text == (try String(contentsOfFile: Self.templatePath, encoding: .utf8)))
    }

    @Test func rendersReportsTheInboxReadsWithTheSameValues() throws {
        let output = try render(template: ExportTemplate.text)
        // One JSON array, split the way the fetcher splits it.
        let split = try ExportSplitter.split(output)
        #expect(split.problems.isEmpty)
        #expect(split.reports.map(\.reportID) == ["R00I7J3xs5fn", "1234567"])

        let file = ReportFile.read(output)
        #expect(file.problems.isEmpty, "\(file.problems)")
        let paris = try #require(file.entries.first?.report)
        #expect(file.entries[0].problems.isEmpty, "\(file.entries[0].problems)")
        #expect(paris.reportName == "Say \"hello\" to C:\\Temp\nnext line & more — Zürich 東京 Ωmega")
        #expect(paris.policyName == "Acme \"EU\"")
        #expect(paris.currency == "EUR" && paris.total == 45678)
        #expect(paris.approved == "2026-11-02 16:40:00" && paris.submitted == "2026-11-01 09:12:00")
        #expect(paris.accountEmail == "jane.doe@acme.example" && paris.submitterPayrollID == "EMP-0042" && paris.managerEmail == "boss@acme.example")
        guard case .array(let reports) = try JSONParser.parse(output) else { Issue.record("not an array"); return }
        #expect(reports.first?["oldReportID"] == .string("R3513250790654885"))

        let flight = paris.transactions[0]
        // A 64-bit ID past 2^53 arrives as a string, digit for digit.
        #expect(flight.transactionID == "4056343049275634494")
        #expect(flight.merchant == "Fish & Chips \"Ltd\"")
        #expect(flight.amount == 31200 && flight.modifiedAmount == 0 && flight.convertedAmount == 0)
        #expect(flight.currency == "USD")
        #expect(flight.currencyConversionRate == ExactDecimal(Substring("1.15")))
        #expect(flight.comment == "Tab\there, O'Brien's backslash \\ and quote \" in a comment")
        #expect(flight.reimbursable == true && flight.billable == false)
        #expect(flight.category == "Airfare" && flight.categoryGlCode == "625100" && flight.tag == "PRJ-0042")
        #expect(flight.receiptURL == "https://www.expensify.com/receipts/w_1.jpg")

        let taxi = paris.transactions[1]
        #expect(taxi.transactionID == "77")
        #expect(taxi.date == "2026-11-01" && taxi.merchantName == "Taxi G7")
        #expect(taxi.amountInExpenseCurrency == -1250 && taxi.amount == -1500)
        #expect(taxi.reimbursable == false && taxi.billable == true)
        #expect(taxi.taxAmount == 208 && taxi.taxCode == "FR-VAT-20" && taxi.taxName == "VAT 20%")
        // The missing receipt renders as "" rather than failing the whole export.
        #expect(taxi.receiptURL == "")
        // A missing rate is null, which the reader takes as absent.
        #expect(taxi.currencyConversionRate == nil)

        let empty = try #require(file.entries.last?.report)
        #expect(empty.reportID == "1234567" && empty.reportName == "Ünïcödé only, no expenses" && empty.status == "Reimbursed")
        #expect(empty.transactions.isEmpty && empty.total == 0 && empty.currency == "JPY")
    }

    @Test func anExportWithoutReportsIsAnEmptyArrayNotAnEmptyFile() throws {
        let template = ExportTemplate.text
        let empty = try render(template: template.replacingOccurrences(of: "<#list reports as report>", with: "<#list [] as report>"))
        #expect(try ExportSplitter.split(empty).reports.isEmpty)
        #expect(try ExpensifyReply.file(status: 200, retryAfter: nil, body: empty) != nil)
    }
}
