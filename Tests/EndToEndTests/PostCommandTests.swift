import Foundation
import LedgerDropSandbox
import Testing

extension EndToEnd {
    @Suite("ledgerdrop post against the X3 sandbox", .serialized)
    struct PostCommandTests {
        @Test(arguments: [("graphql", "connected-app"), ("graphql", "oauth2"), ("soap", "basic"), ("import", "basic")])
        func everyFixturePayloadIsPostedOnce(api: String, auth: String) async throws {
            let harness = try await SandboxHarness.start(auth: auth, api: api)
            let suffix = ["soap": ".xml", "import": ".import.txt"][api] ?? ".graphql.json"
            defer { Task { await harness.stop() } }
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            let payloads = harness.spool.names("outbox")
            #expect(payloads.count == 20)
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            #expect(harness.spool.names("outbox").isEmpty && harness.spool.names("failed").isEmpty)
            let ledger = try harness.ledger()
            #expect(ledger.count == 20)
            #expect(Set(ledger.map(\.entryNumber)).count == 20)
            // Each receipt names the sandbox's number for its own reference and date.
            for payload in payloads {
                let key = String(payload.dropLast(suffix.count))
                let receipt = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/done/" + key + ".receipt.json"))) as? [String: Any])
                let number = try #require(receipt["x3EntryNumber"] as? String)
                let entry = try #require(ledger.first { $0.entryNumber == number })
                #expect(entry.reference == receipt["reportID"] as? String)
                // The entry X3 holds is the payload: same number of lines, same debit total.
                #expect(entry.lines.count == receipt["lineCount"] as? Int)
                let debits = entry.lines.filter { $0.sign == 1 }.compactMap { Decimal(string: $0.amount) }.reduce(Decimal(0), +)
                #expect(debits == Decimal(string: receipt["total"] as? String ?? ""), "\(key)")
                #expect(receipt["recovered"] as? Bool == false)
                #expect(receipt["api"] as? String == api)
                #expect(number.hasPrefix("ODT-FR011-2026-"))
            }
            let paris = try #require(ledger.first { $0.reference == "R00I7J3xs5fn" })
            #expect(paris.lines.map(\.amount) == ["312.00", "312.00"])
            #expect(paris.lines.first?.dimensions == ["CCT": "CONSULT", "PRJ": "PRJ-0042"])
            #expect(Set(ledger.map(\.api)) == [api])
            // A second run posts nothing again.
            let again = try await harness.run(["post"])
            #expect(again.status == 0)
            #expect(try harness.ledger().count == 20)
        }

        /// SPEC §13.2: the file route hands each entry to x3.handoff.folder atomically, with a
        /// `handedOff` receipt; once finance has loaded the folder with GESAIM, the next post
        /// finds every entry in X3 by the stock lookup and writes its number into the receipt.
        @Test func theFileRouteHandsOffThenFindsEveryNumberOnceLoaded() async throws {
            let harness = try await SandboxHarness.start(api: "file")
            defer { Task { await harness.stop() } }
            let folder = harness.spool.root + "/x3-import"
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            let payloads = harness.spool.names("outbox")
            #expect(payloads.count == 20 && payloads.allSatisfy { $0.hasSuffix(".import.txt") })
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            #expect(try harness.ledger().isEmpty, "nothing reaches X3 before finance loads the folder")
            #expect(harness.spool.names("x3-import") == payloads, "each payload handed off under its own name, no temp file left")
            for name in payloads {
                #expect(FileManager.default.contents(atPath: folder + "/" + name) == FileManager.default.contents(atPath: harness.spool.root + "/done/" + name), "\(name) byte for byte")
                let key = String(name.dropLast(".import.txt".count))
                let receipt = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/done/\(key).receipt.json"))) as? [String: Any])
                #expect(receipt["handedOff"] as? Bool == true && receipt["x3EntryNumber"] as? String == "" && receipt["api"] as? String == "file")
            }
            // A post before the load finds nothing new and hands nothing off twice.
            let early = try await harness.run(["post"])
            #expect(early.status == 0 && !early.stdout.contains("found after hand-off"))
            #expect(await harness.sandbox.loadImportFolder(folder) == 20)
            let later = try await harness.run(["post"])
            #expect(later.status == 0, "\(later.stderr)")
            #expect(later.stdout.contains("X3 numbers found after hand-off 20"), "\(later.stdout)")
            let ledger = try harness.ledger()
            #expect(ledger.count == 20 && Set(ledger.map(\.api)) == ["file"])
            for name in payloads {
                let key = String(name.dropLast(".import.txt".count))
                let receipt = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/done/\(key).receipt.json"))) as? [String: Any])
                let number = try #require(receipt["x3EntryNumber"] as? String)
                let entry = try #require(ledger.first { $0.entryNumber == number }, "\(key) has the number of an entry in X3")
                #expect(entry.reference == receipt["reportID"] as? String)
            }
            #expect(Set(ledger.map(\.entryNumber)).count == 20)
            let audit = try String(contentsOfFile: harness.spool.root + "/audit.log", encoding: .utf8)
            #expect(audit.split(separator: "\n").filter { $0.contains(#""event":"numbered""#) }.count == 20)
            #expect(harness.spool.privateFiles().filter { $0.hasPrefix("number-pending/") }.isEmpty)
        }

        @Test func businessErrorsFailAtOnceWithX3sMessage() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            let tx = #""transactionID": "1", "created": "2026-10-30", "amount": 1000"#
            try harness.spool.write("account.json", #"{"reportID": "RACC", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{\#(tx), "category": "Unknown", "categoryGlCode": "999999"}]}"#)
            try harness.spool.write("dimension.json", #"{"reportID": "RDIM", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{\#(tx), "category": "Meals", "comment": "for PRJ-9999"}]}"#)
            try harness.spool.write("period.json", #"{"reportID": "RPER", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2025-06-01", "amount": 1000, "category": "Meals"}]}"#)
            #expect(try await harness.run(["convert"]).status == 0)
            let post = try await harness.run(["post"])
            #expect(post.status == 1)
            #expect(try harness.ledger().isEmpty)
            for (key, code, words) in [("RACC", "GL_ACCOUNT_NOT_FOUND", "Account 999999: Record does not exist"),
                                       ("RDIM", "COST_CENTER_NOT_FOUND", "Dimension PRJ PRJ-9999: Record does not exist"),
                                       ("RPER", "PERIOD_CLOSED", "period 2025-01-01 to 2025-12-31 closed")] {
                let error = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/failed/\(key).graphql.json.error.json"))) as? [String: Any])
                #expect(error["code"] as? String == code)
                #expect((error["message"] as? String)?.contains(words) == true, "\(error)")
                #expect(error["attempts"] as? Int == 1, "no retry of a business error")
                #expect(error["retryable"] as? Bool == false)
                #expect((error["x3Reply"] as? String)?.contains(words) == true)
            }
            let audit = try String(contentsOfFile: harness.spool.root + "/audit.log", encoding: .utf8)
            #expect(audit.split(separator: "\n").filter { $0.contains(#""event":"rejected""#) }.count == 3)

            // The X3 administrator creates the account; replay sends the payload round again.
            await harness.sandbox.state.addAccount("999999")
            let replay = try await harness.run(["replay", "RACC"])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(harness.spool.names("outbox") == ["RACC.graphql.json"])
            let again = try await harness.run(["post"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try harness.ledger().map(\.reference) == ["RACC"])
            #expect(harness.spool.names("done").contains("RACC.receipt.json"))
            #expect(!harness.spool.names("failed").contains("RACC.graphql.json"))
            let replayedAudit = try String(contentsOfFile: harness.spool.root + "/audit.log", encoding: .utf8)
            #expect(replayedAudit.contains(#""event":"replayed""#))
        }

        @Test func dryRunSendsNothingAndRedactsTheAuthorization() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            let before = harness.spool.names("outbox")
            let dryRun = try await harness.run(["post", "--dry-run"])
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            #expect(dryRun.stdout.contains("Authorization: Bearer [redacted]"))
            #expect(dryRun.stdout.contains(#""reference": "R00I7J3xs5fn""#))
            #expect(dryRun.stdout.contains("would post 20, would fail 0"))
            #expect(!dryRun.stdout.contains("eyJ"), "no token is even made")
            #expect(harness.spool.names("outbox") == before && harness.spool.names("done").isEmpty)
            #expect(await harness.sandbox.state.requests == 0)
        }

        @Test func checkListsWhatTheMappingNamesButX3Lacks() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            let good = try await harness.run(["check"])
            #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
            #expect(good.stdout.contains("ok   account 625100 exists") && good.stdout.contains("ok   CCT CONSULT exists") && good.stdout.contains("ok   PRJ PRJ-0042 exists"))
            let config = harness.spool.root + "/ledgerdrop.yml"
            try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "    Meals:            { account: \"625700\" }", with: "    Meals:            { account: \"625700\" }\n    Gifts:            { account: \"999999\", costCenter: \"NOPE\" }")
                .write(toFile: config, atomically: true, encoding: .utf8)
            let missing = try await harness.run(["check"])
            #expect(missing.status == 2)
            #expect(missing.stdout.contains("MISSING account 999999 is not in X3") && missing.stdout.contains("MISSING CCT NOPE is not in X3"))
            let wrong = try await harness.run(["check"], environment: ["X3_CLIENT_SECRET": "nope-nope-nope"])
            #expect(wrong.status == 3 && wrong.stderr.contains("AUTH_FAILED"))
        }

        /// SPEC §13.4: each mapped employee is a BP in X3, the employee payable is a control
        /// account with the configured code, the card account is not one; each mistake named.
        @Test(arguments: ["graphql", "import"])
        func checkAsksForTheBusinessPartnersAndControlAccounts(api: String) async throws {
            let harness = try await SandboxHarness.start(api: api)
            defer { Task { await harness.stop() } }
            let good = try await harness.run(["check"])
            #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
            for line in ["ok   business partner EMP0042 exists", "ok   business partner EMP0099 exists",
                         "ok   421000 (posting.offset.reimbursable) is a control account (EMP)",
                         "ok   467100 (posting.offset.nonReimbursable) is not a control account, and its lines carry no business partner"] {
                #expect(good.stdout.contains(line), "\(line)\n\(good.stdout)")
            }
            let config = harness.spool.root + "/ledgerdrop.yml"
            try String(contentsOfFile: config, encoding: .utf8)
                .replacingOccurrences(of: "{ businessPartner: \"EMP0099\" }", with: "{ businessPartner: \"EMP-0099\" }")
                .replacingOccurrences(of: "controlAccount: EMP }", with: "controlAccount: EMU }")
                .replacingOccurrences(of: "nonReimbursable: { account: \"467100\" }", with: "nonReimbursable: { account: \"421100\" }")
                .write(toFile: config, atomically: true, encoding: .utf8)
            let wrong = try await harness.run(["check"])
            #expect(wrong.status == 2, "\(wrong.stdout) \(wrong.stderr)")
            let missing = wrong.stdout.split(separator: "\n").filter { $0.hasPrefix("MISSING") }
            #expect(missing == [
                "MISSING business partner EMP-0099 (mapping.employees.john.smith@acme.example) is not in X3: create the employee as a BP, or correct the mapping",
                "MISSING 421000 (posting.offset.reimbursable) is the control account of EMP in X3, not of EMU: set posting.offset.reimbursable.controlAccount to one of them",
                "MISSING 421100 (posting.offset.nonReimbursable) is a control account in X3 (EMU): its lines need a business partner and its control-account code; set posting.offset.nonReimbursable.businessPartner and .controlAccount, or use another account",
            ], "\(wrong.stdout)")
        }

        /// SPEC §13.3 on the import route: the AOWSIMPORT publication answers, and the mapping's
        /// accounts and dimensions are read with the same user through the stock GraphQL API.
        @Test func checkOnTheImportRouteAsksThePublicationAndTheMasterData() async throws {
            let harness = try await SandboxHarness.start(api: "import")
            defer { Task { await harness.stop() } }
            let good = try await harness.run(["check"])
            #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
            #expect(good.stdout.contains("ok   the publication AOWSIMPORT answers (template YLDGAS)"), "\(good.stdout)")
            #expect(good.stdout.contains("ok   account 625100 exists"))
            let config = harness.spool.root + "/ledgerdrop.yml"
            try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "  journal: \"\"\n", with: "  journal: \"\"\n  import: { publicName: YLDIMPORT }\n")
                .write(toFile: config, atomically: true, encoding: .utf8)
            let unpublished = try await harness.run(["check"])
            #expect(unpublished.status == 2)
            #expect(unpublished.stdout.contains("MISSING the publication YLDIMPORT is not available: Web service YLDIMPORT is not published"), "\(unpublished.stdout)")
            let wrong = try await harness.run(["check"], environment: ["X3_PASSWORD": "nope-nope-nope"])
            #expect(wrong.status == 3 && wrong.stderr.contains("AUTH_FAILED"))
        }

        /// SPEC §13.3 on the object route: getDescription of the publication against
        /// x3.soap.layout — each missing field and dimension column named on its own line, exit 2.
        @Test func checkOnTheSOAPRouteNamesEachPartThePublicationLacks() async throws {
            let harness = try await SandboxHarness.start(api: "soap")
            defer { Task { await harness.stop() } }
            let good = try await harness.run(["check"])
            #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
            #expect(good.stdout.contains("ok   the publication YGAS has every part of x3.soap.layout (5 groups with 12 fields, table HAE2_1 with 7 fields and 2 dimension columns)"), "\(good.stdout)")
            let config = harness.spool.root + "/ledgerdrop.yml"
            let layout = """
                  journal: ""
                  soap:
                    layout:
                      groups:
                        HAE0_1: { FCY: "{site}", TYP: "{entryType}", NUM: "", ACCDAT: "{accountingDate}", VATDAT: "{accountingDate}" }
                        HAE0_2: { JOU: "{journal}", CAT: "1", STA: "{status}" }
                        HAE1_1: { DESVCR: "{description}" }
                        HAE1_3: { BPRVCR: "{sourceDocument}", BPRDATVCR: "{sourceDate}" }
                        HAE1_5: { RATDAT: "{accountingDate}", CUR: "{currency}" }
                      dimensions: { CCE1: CCT, CCE2: PRJ, CCE5: BRN }

                """
            try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "  journal: \"\"\n", with: layout)
                .write(toFile: config, atomically: true, encoding: .utf8)
            let lacking = try await harness.run(["check"])
            #expect(lacking.status == 2, "\(lacking.stdout) \(lacking.stderr)")
            let missing = lacking.stdout.split(separator: "\n").filter { $0.hasPrefix("MISSING") }
            #expect(missing == [
                "MISSING field VATDAT of group HAE0_1 is not in the publication YGAS",
                "MISSING dimension column CCE5 (BRN) of table HAE2_1 is not in the publication YGAS",
            ], "\(lacking.stdout)")
        }

        /// The customer's X3 Builder operation of SPEC §13.2/§13.6: its own mutation and variables
        /// (debit/credit, dimensions keyed by type), posted end to end.
        @Test func theCustomerOperationPostsEveryFixtureEntryOnce() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            try Self.useCustomerOperation(harness)
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            let payloads = harness.spool.names("outbox")
            #expect(payloads.count == 20 && payloads.allSatisfy { $0.hasSuffix(".graphql.json") })
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            let ledger = try harness.ledger()
            #expect(ledger.count == 20)
            #expect(Set(ledger.map { "\($0.reference) \($0.accountingDate)" }).count == 20)
            let paris = try #require(ledger.first { $0.reference == "R00I7J3xs5fn" })
            #expect(paris.lines.map(\.sign) == [1, -1] && paris.currency == "EUR")
            #expect(paris.lines[0].dimensions == ["CCT": "CONSULT", "PRJ": "PRJ-0042"])
        }

        /// `check` introspects the operation's input types (`__type`) and names a property the
        /// server lacks on its own line, exit 2.
        @Test func checkIntrospectsTheOperationsInputTypes() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            let defaults = try await harness.run(["check", "--skip-expensify"])
            #expect(defaults.status == 0, "\(defaults.stdout)\(defaults.stderr)")
            #expect(defaults.stdout.contains("ok   the GraphQL input types of the mutation have every property ledgerdrop sends (18 checked by __type introspection)"), "\(defaults.stdout)")
            try Self.useCustomerOperation(harness)
            let good = try await harness.run(["check", "--skip-expensify"])
            #expect(good.status == 0 && good.stdout.contains("(16 checked by __type introspection)"), "\(good.stdout)\(good.stderr)")
            try Self.useCustomerOperation(harness, extra: "        costCenterHint: \"{description}\"\n")
            let lacking = try await harness.run(["check", "--skip-expensify"])
            #expect(lacking.status == 2, "\(lacking.stdout)\(lacking.stderr)")
            let missing = lacking.stdout.split(separator: "\n").filter { $0.hasPrefix("MISSING") }
            #expect(missing == ["MISSING GraphQL input property YJournalEntry_Input.costCenterHint (x3.graphql.variables input.costCenterHint) is not on the server"], "\(lacking.stdout)")
        }

        static func useCustomerOperation(_ harness: SandboxHarness, extra: String = "") throws {
            let config = harness.spool.root + "/ledgerdrop.yml"
            var text = try String(contentsOfFile: config, encoding: .utf8)
            if let start = text.range(of: "  graphql:\n") { text = String(text[..<start.lowerBound]) + String(text[text.range(of: "# end graphql\n")!.upperBound...]) }
            let operation = """
                  graphql:
                    mutation: "mutation YPostEntry($input: YJournalEntry_Input!) { xtremX3Finance { yJournalEntry { createJournalEntry(input: $input) { journalEntryNumber } } } }"
                    variables:
                      input:
                        site: "{site}"
                        journalEntryType: "{entryType}"
                        accountingDate: "{accountingDate}"
                        descriptionByDefault: "{description}"
                        sourceCurrency: "{currency}"
                        reference: "{reference}"
                \(extra)        lines:
                          - account: "{line.account}"
                            debit: "{line.debit}"
                            credit: "{line.credit}"
                            lineDescription: "{line.description}"
                            businessPartner: "{line.businessPartner}"
                            taxCode: "{line.tax}"
                            dimensions: { CCT: "{line.dimension.CCT}", PRJ: "{line.dimension.PRJ}" }
                  # end graphql

                """
            text = text.replacingOccurrences(of: "  journal: \"\"\n", with: "  journal: \"\"\n" + operation)
            try text.write(toFile: config, atomically: true, encoding: .utf8)
        }

        @Test func tlsIsVerifiedAndCaFileTrustsAPrivateCA() async throws {
            let certificates = try TestCertificates.make()
            defer { try? FileManager.default.removeItem(atPath: certificates.folder) }
            let harness = try await SandboxHarness.start(retries: 1, tls: certificates.files)
            defer { Task { await harness.stop() } }
            #expect(harness.sandbox.url.hasPrefix("https://"))
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            let untrusted = try await harness.run(["post"])
            #expect(untrusted.status == 3, "\(untrusted.stderr)")
            #expect(untrusted.stderr.contains("X3_UNREACHABLE"))
            #expect(harness.spool.names("outbox").count == 20 && harness.spool.names("failed").isEmpty)
            let config = harness.spool.root + "/ledgerdrop.yml"
            try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "  retries: 1\n", with: "  retries: 1\n  caFile: \(certificates.ca)\n")
                .write(toFile: config, atomically: true, encoding: .utf8)
            let trusted = try await harness.run(["post"])
            #expect(trusted.status == 0, "\(trusted.stderr)")
            #expect(try harness.ledger().count == 20)
        }

        @Test func credentialsFromTheEncryptedStoreArePosted() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            let config = harness.spool.root + "/xdg"
            let store = ["XDG_CONFIG_HOME": config, "HOME": harness.spool.root]
            let input = "\(SandboxHarness.clientID)\n\(SandboxHarness.clientSecret)\n\(SandboxHarness.user)\n\n"
            let set = try await Binary.run(["credentials", "set", "x3"], in: harness.spool.root, environment: store, input: input)
            #expect(set.status == 0, "\(set.stderr)")
            #expect(!set.stdout.contains(SandboxHarness.clientSecret) && !set.stderr.contains(SandboxHarness.clientSecret))
            let list = try await Binary.run(["credentials", "list"], in: harness.spool.root, environment: store)
            #expect(list.stdout.contains("x3: clientID, clientSecret, user") && !list.stdout.contains(SandboxHarness.clientSecret))
            let sealed = try Data(contentsOf: URL(fileURLWithPath: config + "/ledgerdrop/credentials.enc"))
            #expect(sealed.range(of: Data(SandboxHarness.clientSecret.utf8)) == nil)
            try harness.copyFixtureReports()
            #expect(try await Binary.run(["convert"], in: harness.spool.root, environment: store).status == 0)
            // No X3_* variable: the store alone carries the credentials.
            let post = try await Binary.run(["post"], in: harness.spool.root, environment: store)
            #expect(post.status == 0, "\(post.stderr)")
            #expect(try harness.ledger().count == 20)
            let removed = try await Binary.run(["credentials", "remove", "x3"], in: harness.spool.root, environment: store)
            #expect(removed.status == 0)
            let without = try await Binary.run(["post"], in: harness.spool.root, environment: store)
            #expect(without.status == 2 && without.stderr.contains("X3_CLIENT_SECRET"))
        }

        @Test func auditListsEveryEntryWithItsX3Number() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            #expect(try await harness.run(["post"]).status == 0)
            let csv = try await harness.run(["audit", "--format", "csv"])
            #expect(csv.status == 0)
            let rows = csv.stdout.split(separator: "\r\n").dropFirst()
            #expect(rows.count == 20)
            for row in rows {
                let fields = row.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                let receipt = try String(contentsOfFile: harness.spool.root + "/done/\(fields[1]).receipt.json", encoding: .utf8)
                #expect(fields[3] == "posted" && receipt.contains("\"\(fields[2])\""), "\(row)")
            }
            let one = try await harness.run(["audit", "--report", "R00MultiDate1"])
            #expect(one.stdout.split(separator: "\n").count == 3, "two entries of one report")
        }

        @Test func soapRefusalsCarryX3sMessages() async throws {
            let harness = try await SandboxHarness.start(api: "soap")
            defer { Task { await harness.stop() } }
            try harness.spool.write("account.json", #"{"reportID": "RACC", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Unknown", "categoryGlCode": "999999"}]}"#)
            #expect(try await harness.run(["convert"]).status == 0)
            #expect(try await harness.run(["post"]).status == 1)
            let error = try String(contentsOfFile: harness.spool.root + "/failed/RACC.xml.error.json", encoding: .utf8)
            #expect(error.contains("GL_ACCOUNT_NOT_FOUND") && error.contains("Account 999999: Record does not exist"))
            try harness.spool.write("good.json", #"{"reportID": "RGOOD", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#)
            #expect(try await harness.run(["convert"]).status == 0)
            let wrong = try await harness.run(["post"], environment: ["X3_PASSWORD": "wrong-password"])
            #expect(wrong.status == 3 && wrong.stderr.contains("AUTH_FAILED"), "\(wrong.stderr)")
            #expect(harness.spool.names("outbox") == ["RGOOD.xml"], "the outbox is untouched")
            #expect(!wrong.stderr.contains("wrong-password") && !wrong.stderr.contains(SandboxHarness.password))
            #expect(try await harness.run(["post"]).status == 0)
            #expect(try harness.ledger().map(\.reference) == ["RGOOD"])
        }

        @Test(arguments: ["graphql", "soap", "import"])
        func faultsStillPostEveryEntryExactlyOnce(api: String) async throws {
            let harness = try await SandboxHarness.start(retries: 8, api: api)
            defer { Task { await harness.stop() } }
            await harness.sandbox.state.setFaults(SandboxFaults(failPercent: 30, kinds: [.dropAfter, .unavailable, .tooManyRequests]))
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            let ledger = try harness.ledger()
            #expect(ledger.count == 20, "every entry in the ledger once")
            #expect(Set(ledger.map { "\($0.reference) \($0.accountingDate)" }).count == 20)
            #expect(harness.spool.names("done").count == 40 && harness.spool.names("outbox").isEmpty)
            #expect(Set(ledger.map(\.api)) == [api])
            #expect(await harness.sandbox.state.requests > 20, "faults were injected")
            let audit = try String(contentsOfFile: harness.spool.root + "/audit.log", encoding: .utf8).split(separator: "\n")
            let retried = audit.filter { $0.contains(#""event":"retried""#) }.count
            let recovered = audit.filter { $0.contains(#""event":"recovered""#) }.count
            #expect(retried > 0)
            if api == "import" {
                // AOWSIMPORT never says the number: every receipt has the one the stock query found.
                let numbers = Dictionary(uniqueKeysWithValues: ledger.map { ("\($0.reference) \($0.accountingDate)", $0.entryNumber) })
                for name in harness.spool.names("done") where name.hasSuffix(".receipt.json") {
                    let receipt = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/done/" + name))) as? [String: Any])
                    let number = try #require(receipt["x3EntryNumber"] as? String)
                    #expect(!number.isEmpty && numbers.values.contains(number), "\(name)")
                }
            }
            print("faults (\(api)): \(await harness.sandbox.state.requests) requests, \(retried) retries, \(recovered) entries found by lookup after a dropped answer")
        }

        @Test func retriesExhaustedEndInFailedAsRetryable() async throws {
            let harness = try await SandboxHarness.start(retries: 2)
            defer { Task { await harness.stop() } }
            await harness.sandbox.state.setFaults(SandboxFaults(failPercent: 100, kinds: [.unavailable]))
            try harness.spool.write("one.json", #"{"reportID": "RONE", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#)
            #expect(try await harness.run(["convert"]).status == 0)
            let post = try await harness.run(["post"])
            #expect(post.status == 1)
            let error = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/failed/RONE.graphql.json.error.json"))) as? [String: Any])
            #expect(error["code"] as? String == "RETRIES_EXHAUSTED")
            #expect(error["retryable"] as? Bool == true)
            #expect(error["attempts"] as? Int == 3)
        }

        @Test func wrongCredentialsOrADownServerStopWithExitThree() async throws {
            let harness = try await SandboxHarness.start(retries: 1)
            defer { Task { await harness.stop() } }
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            let before = harness.spool.names("outbox")
            let wrong = try await harness.run(["post"], environment: ["X3_CLIENT_SECRET": "not-the-secret"])
            #expect(wrong.status == 3)
            #expect(wrong.stderr.contains("AUTH_FAILED"))
            #expect(harness.spool.names("outbox") == before && harness.spool.names("failed").isEmpty && harness.spool.privateFiles().isEmpty)
            await harness.sandbox.stop()
            let down = try await harness.run(["post"])
            #expect(down.status == 3, "\(down.stderr)")
            #expect(down.stderr.contains("X3_UNREACHABLE"))
            #expect(harness.spool.names("outbox") == before && harness.spool.names("failed").isEmpty)
            #expect(try harness.ledger().isEmpty)
        }

        @Test func noSecretIsWrittenAnywhere() async throws {
            let harness = try await SandboxHarness.start(retries: 1)
            defer { Task { await harness.stop() } }
            await harness.sandbox.state.setFaults(SandboxFaults(failPercent: 50, kinds: [.unavailable, .dropAfter]))
            try harness.copyFixtureReports()
            try harness.spool.write("bad.json", #"{"reportID": "RBAD", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Unknown", "categoryGlCode": "999999"}]}"#)
            _ = try await harness.run(["convert", "--log-level", "trace"])
            let post = try await harness.run(["post", "--log-level", "trace"])
            let wrong = try await harness.run(["post", "--log-level", "trace"], environment: ["X3_CLIENT_SECRET": "wrong-secret-value-xyz"])
            var written = post.stdout + post.stderr + wrong.stdout + wrong.stderr
            let walker = FileManager.default.enumerator(atPath: harness.spool.root)
            while let path = walker?.nextObject() as? String {
                written += Binary.text(of: harness.spool.root + "/" + path)
            }
            #expect(written.contains("RBAD"), "the search did read the spool")
            for secret in [SandboxHarness.clientSecret, SandboxHarness.password, "wrong-secret-value-xyz", "Bearer ", "eyJhbGciOiJIUzI1NiIs"] {
                #expect(!written.contains(secret), "\(secret) must not be written")
            }
        }
    }
}
