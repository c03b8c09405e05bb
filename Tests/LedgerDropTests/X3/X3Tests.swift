import Foundation
import Testing
@testable import LedgerDrop

@Suite("X3 client pieces")
struct X3Tests {
    @Test(arguments: [
        (["Account 999999: Record does not exist"], ErrorCode.glAccountNotFound),
        (["Dimension CCT NOPE: Record does not exist"], .costCenterNotFound),
        (["Accounting date 2025-01-01: period closed"], .periodClosed),
        (["No period for 2031-01-01: period does not exist"], .periodClosed),
        (["Entry unbalanced: debit 10 credit 9"], .entryUnbalanced),
        (["Site FR099 is not valid"], .x3Rejected),
        ([], .x3Rejected),
    ])
    func recognisesX3Messages(messages: [String], code: ErrorCode) {
        #expect(X3MessageClassifier.code(for: messages) == code)
    }

    @Test func connectedAppTokenIsASignedJWTDatedInThePast() throws {
        let token = ConnectedAppToken.sign(issuer: "client", subject: "ADMIN", issuedAt: 1_000, expiresAt: 1_300, secret: "secret")
        let parts = token.split(separator: ".")
        #expect(parts.count == 3)
        func decode(_ part: Substring) -> String {
            var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while text.count % 4 != 0 { text += "=" }
            return String(decoding: Data(base64Encoded: text) ?? Data(), as: UTF8.self)
        }
        #expect(decode(parts[0]) == #"{"alg":"HS256","typ":"JWT"}"#)
        #expect(decode(parts[1]) == #"{"iss":"client","sub":"ADMIN","aud":"","iat":1000,"exp":1300}"#)
        // Known answer: HMAC-SHA256 of the signing input with "secret".
        #expect(ConnectedAppToken.sign(issuer: "client", subject: "ADMIN", issuedAt: 1_000, expiresAt: 1_300, secret: "other") != token)
    }

    @Test func tokensAreReusedUntilThirtySecondsBeforeExpiry() async throws {
        final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 10_000) }
        let clock = Clock()
        let source = ConnectedAppToken(credentials: X3Credentials(clientID: "c", clientSecret: "s", user: "u"), lifetime: .seconds(300), now: { clock.now })
        let first = try await source.token()
        clock.now = clock.now.addingTimeInterval(200)
        #expect(try await source.token() == first)
        clock.now = clock.now.addingTimeInterval(60)
        #expect(try await source.token() != first)
    }

    @Test func redactorRemovesSecrets() {
        let redact = Redactor(secrets: ["hunter22", "abc"])
        #expect(redact("password=hunter22; x=abc") == "password=[redacted]; x=abc")
    }

    @Test func redactorRemovesTokensAServerEchoes() {
        let redact = Redactor(secrets: [])
        let jwt = ConnectedAppToken.sign(issuer: "c", subject: "u", issuedAt: 1, expiresAt: 2, secret: "s")
        #expect(redact("bad token \(jwt) here") == "bad token [redacted token] here")
        #expect(redact("Authorization: Bearer 0a9F3kz8Qw12") == "Authorization: Bearer [redacted]")
        #expect(redact("header Basic QURNSU46dGVzdA== was refused") == "header Basic [redacted] was refused")
        #expect(redact("Basic information missing") == "Basic information missing", "a word in a sentence is not a credential")
        #expect("\(redact)".contains("Redactor") && !"\(Redactor(secrets: ["hunter22"]))".contains("hunter22"))
    }

    @Test func credentialsAndTheEnvironmentNeverPrintTheirValues() {
        let credentials = X3Credentials(clientID: "id", clientSecret: "client-secret-1", user: "ADMIN", password: "password-2")
        let expensify = ExpensifyCredentials(partnerUserID: "partner", partnerUserSecret: "expensify-secret-3")
        let environment = ProcessEnvironment(["X3_PASSWORD": "password-2", "LEDGERDROP_MASTER_KEY": "master-key-4"])
        var dumped = ""
        dump(credentials, to: &dumped)
        dump(expensify, to: &dumped)
        dump(environment, to: &dumped)
        let printed = "\(credentials) \(expensify) \(environment) \(String(reflecting: environment)) " + dumped
        for secret in ["client-secret-1", "password-2", "expensify-secret-3", "master-key-4", "X3_PASSWORD"] {
            #expect(!printed.contains(secret), "\(secret)")
        }
    }

    @Test func soapRepliesAreReadThroughMultiRef() throws {
        let reply = SOAPEnvelope.reply(operation: "save", status: 0, messages: [(3, "Account 1: Record does not exist"), (1, "info")], resultXml: "<RESULT/>")
        let result = try #require(SOAPEnvelope.result(reply))
        #expect(result.status == "0")
        #expect(result.messages.map(\.type) == ["3", "1"])
        #expect(result.messages.first?.message == "Account 1: Record does not exist")
        #expect(result.resultXml == "<RESULT/>")
    }
}
