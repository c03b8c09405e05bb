#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
import Logging

/// The encrypted credential store of SPEC §9: `$XDG_CONFIG_HOME/ledgerdrop/credentials.enc`
/// (default `~/.config/ledgerdrop/`), mode 0600, sealed with AES-GCM. The key comes from
/// `LEDGERDROP_MASTER_KEY` (base64, 32 bytes) or from a 0600 key file made on first use.
public struct CredentialStore: Sendable {
    public let folder: String
    let environment: ProcessEnvironment

    public static let services = ["expensify", "x3"]
    /// The values asked for, in order, per service.
    public static let fields: [String: [String]] = [
        "expensify": ["partnerUserID", "partnerUserSecret"],
        "x3": ["clientID", "clientSecret", "user", "password"],
    ]

    static let magic = Array("LDC1".utf8)

    /// What a service's values lack, in words; nil when they are enough. Expensify needs both;
    /// X3 needs one whole set: client ID + secret + user (connected app), client ID + secret
    /// (OAuth2), or user + password (Basic). An empty value is one the chosen auth does not use.
    public static func missing(in values: [String: String], service: String) -> String? {
        func has(_ field: String) -> Bool { !(values[field] ?? "").isEmpty }
        switch service {
        case "expensify":
            let absent = ["partnerUserID", "partnerUserSecret"].filter { !has($0) }
            return absent.isEmpty ? nil : "expensify needs \(absent.joined(separator: " and "))"
        default:
            if has("clientID") && has("clientSecret") || has("user") && has("password") { return nil }
            return "x3 needs a client ID and secret (connected-app, oauth2) or a user and password (basic)"
        }
    }

    public init(environment: [String: String]) {
        self.environment = ProcessEnvironment(environment)
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            folder = xdg + "/ledgerdrop"
        } else {
            folder = (environment["HOME"] ?? NSHomeDirectory()) + "/.config/ledgerdrop"
        }
    }

    var file: String { folder + "/credentials.enc" }
    var keyFile: String { folder + "/credentials.key" }

    /// Every stored value, by service and field. An absent store is empty.
    public func load() throws(LedgerDropError) -> [String: [String: String]] {
        guard FileManager.default.fileExists(atPath: file) else { return [:] }
        try checkPrivate()
        guard let data = FileSystem.contents(ofFileAt: file).map({ Data($0) }) else {
            throw LedgerDropError(.configInvalid, "cannot read the credential store \(file)")
        }
        let bytes = Array(data)
        guard bytes.starts(with: Self.magic) else {
            throw LedgerDropError(.configInvalid, "\(file) is not a ledgerdrop credential store")
        }
        let key = try key(create: false)
        do {
            let box = try AES.GCM.SealedBox(combined: bytes.dropFirst(Self.magic.count))
            let plain = try AES.GCM.open(box, using: key, authenticating: Self.magic)
            return try JSONDecoder().decode([String: [String: String]].self, from: plain)
        } catch {
            throw LedgerDropError(.configInvalid, "the credential store \(file) cannot be opened: the key is wrong or the file was changed")
        }
    }

    /// Seals and writes the store (temp file, fsync, rename), mode 0600.
    public func save(_ values: [String: [String: String]]) throws(LedgerDropError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw LedgerDropError(.configInvalid, "cannot create \(folder): \(error.localizedDescription)")
        }
        try checkPrivate()
        let key = try key(create: true)
        let plain: Data
        do { plain = try JSONEncoder().encode(values) } catch { throw LedgerDropError(.configInvalid, "cannot encode the credentials") }
        let sealed: [UInt8]
        do {
            guard let combined = try AES.GCM.seal(plain, using: key, authenticating: Self.magic).combined else {
                throw LedgerDropError(.configInvalid, "cannot seal the credentials")
            }
            sealed = Self.magic + Array(combined)
        } catch {
            throw LedgerDropError(.configInvalid, "cannot seal the credentials")
        }
        try Self.writePrivate(file, sealed)
    }

    /// The rule for the store's folder, file and key file: owned by this user, and readable by
    /// nobody else. Group or other access is taken away at once, with a warning (whoever could
    /// read both files could read the secrets, which should then be changed); files owned by
    /// another user are refused.
    func checkPrivate() throws(LedgerDropError) {
        for (path, mode) in [(folder, mode_t(0o700)), (file, mode_t(0o600)), (keyFile, mode_t(0o600))] {
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if st.st_mode & S_IFMT == S_IFLNK {
                throw LedgerDropError(.configInvalid, "\(path) is a symbolic link; the credential store is never read through one")
            }
            if st.st_uid != geteuid() {
                throw LedgerDropError(.configInvalid, "\(path) belongs to another user (uid \(st.st_uid)); the credential store must be your own")
            }
            if st.st_mode & 0o077 != 0 {
                let was = String(st.st_mode & 0o777, radix: 8)
                guard chmod(path, mode) == 0 else {
                    throw LedgerDropError(.configInvalid, "\(path) can be read by others (mode \(was)) and cannot be made private: \(String(cString: strerror(errno)))")
                }
                Logger(label: "ledgerdrop").warning("\(path) could be read by group or others (mode \(was)); made private (\(String(mode, radix: 8))). If anyone else could read it, change the secrets it holds.")
            }
        }
    }

    /// `LEDGERDROP_MASTER_KEY`, else the key file (made with mode 0600 when `create`).
    func key(create: Bool) throws(LedgerDropError) -> SymmetricKey {
        if let text = environment["LEDGERDROP_MASTER_KEY"], !text.isEmpty {
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw LedgerDropError(.configInvalid, "LEDGERDROP_MASTER_KEY must be 32 bytes in base64")
            }
            return SymmetricKey(data: data)
        }
        if let data = FileSystem.contents(ofFileAt: keyFile).map({ Data($0) }) {
            guard data.count == 32 else { throw LedgerDropError(.configInvalid, "the key file \(keyFile) is not a 32-byte key") }
            return SymmetricKey(data: data)
        }
        guard create else {
            throw LedgerDropError(.configInvalid, "no key for the credential store: set LEDGERDROP_MASTER_KEY or restore \(keyFile)")
        }
        let key = SymmetricKey(size: .bits256)
        try Self.writePrivate(keyFile, key.withUnsafeBytes { Array($0) })
        return key
    }

    /// Writes a file readable by its owner only, atomically.
    static func writePrivate(_ path: String, _ bytes: [UInt8]) throws(LedgerDropError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LedgerDropError(.configInvalid, "cannot write \(path): \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fchmod(fd, 0o600)
        fsync(fd)
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw LedgerDropError(.configInvalid, "cannot write \(path)")
        }
    }
}

extension X3Credentials {
    /// Environment variables first (containers, CI), then the encrypted store (SPEC §9).
    public static func resolve(environment: [String: String]) throws(LedgerDropError) -> X3Credentials {
        let fromEnvironment = fromEnvironment(environment)
        let needsStore = [fromEnvironment.clientID, fromEnvironment.clientSecret, fromEnvironment.user, fromEnvironment.password].contains("")
        let stored = needsStore ? (try CredentialStore(environment: environment).load()["x3"] ?? [:]) : [:]
        func pick(_ value: String, _ field: String) -> String { value.isEmpty ? stored[field] ?? "" : value }
        return X3Credentials(clientID: pick(fromEnvironment.clientID, "clientID"), clientSecret: pick(fromEnvironment.clientSecret, "clientSecret"),
                             user: pick(fromEnvironment.user, "user"), password: pick(fromEnvironment.password, "password"))
    }
}
