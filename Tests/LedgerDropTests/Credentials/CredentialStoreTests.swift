import Foundation
import Testing
@testable import LedgerDrop

@Suite("Credential store (SPEC §9)")
struct CredentialStoreTests {
    let folder = makeTemporaryFolder()
    let masterKey = Data((0..<32).map { UInt8($0) }).base64EncodedString()

    func store(key: String? = nil) -> CredentialStore {
        var environment = ["XDG_CONFIG_HOME": folder]
        if let key { environment["LEDGERDROP_MASTER_KEY"] = key }
        return CredentialStore(environment: environment)
    }

    @Test func roundTripsEncryptedWithMode0600() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let secret = "super-secret-value-41"
        try store(key: masterKey).save(["x3": ["clientID": "c", "clientSecret": secret, "user": "U", "password": ""]])
        #expect(try store(key: masterKey).load()["x3"]?["clientSecret"] == secret)
        let file = folder + "/ledgerdrop/credentials.enc"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "the secret is not readable in the file")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func refusesATamperedFileOrAWrongKey() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try store(key: masterKey).save(["x3": ["clientSecret": "s3cret-value"]])
        let wrongKey = Data(repeating: 7, count: 32).base64EncodedString()
        #expect { try store(key: wrongKey).load() } throws: { ($0 as? LedgerDropError)?.message.contains("key is wrong or the file was changed") == true }
        let file = folder + "/ledgerdrop/credentials.enc"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count - 5] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: file))
        #expect { try store(key: masterKey).load() } throws: { ($0 as? LedgerDropError)?.code == .configInvalid }
    }

    @Test func makesAKeyFileWithMode0600WhenNoKeyIsGiven() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try store().save(["expensify": ["partnerUserID": "id", "partnerUserSecret": "pw-123456"]])
        let keyFile = folder + "/ledgerdrop/credentials.key"
        #expect(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int == 0o600)
        #expect(try store().load()["expensify"]?["partnerUserSecret"] == "pw-123456")
    }

    @Test func environmentOverridesTheStore() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try store(key: masterKey).save(["x3": ["clientID": "stored", "clientSecret": "stored-secret", "user": "STORED", "password": ""]])
        let resolved = try X3Credentials.resolve(environment: ["XDG_CONFIG_HOME": folder, "LEDGERDROP_MASTER_KEY": masterKey, "X3_USER": "FROMENV"])
        #expect(resolved.clientID == "stored" && resolved.clientSecret == "stored-secret" && resolved.user == "FROMENV")
    }
}
