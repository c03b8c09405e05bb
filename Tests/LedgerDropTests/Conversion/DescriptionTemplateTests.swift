import Testing
@testable import LedgerDrop

@Suite("Description templates")
struct DescriptionTemplateTests {
    @Test(arguments: [
        ("{reportName}", "Name"), ("{reportID}: {merchant}", "R1: Shop"), ("{nope} {employee}", "{nope} Jane"),
        ("{", "{"), ("a}b{c", "a}b{c"), ("", ""), ("{{category}}", "{Meals}"),
    ])
    func fills(template: String, expected: String) {
        let values: [DescriptionTemplate.Placeholder: String] = [.reportName: "Name", .reportID: "R1", .merchant: "Shop", .employee: "Jane", .category: "Meals"]
        #expect(DescriptionTemplate(template).fill { values[$0] ?? "" } == expected)
    }

    @Test(arguments: [("R1", "R1"), ("R1_2026-10-30_EUR", "R1_2026-10-30_EUR"), ("../../x", "______x"), ("a.b c/é", "a_b_c__")])
    func entryKeysAreSafeFileNames(key: String, stem: String) {
        #expect(EntryKey(key).fileStem == stem)
    }
}
