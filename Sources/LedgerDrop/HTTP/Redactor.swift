/// Removes secrets and bearer tokens from text that goes into error files, logs or the audit.
public struct Redactor: Sendable, CustomStringConvertible, CustomReflectable {
    var secrets: [String]

    public init(secrets: [String]) { self.secrets = secrets.filter { $0.count >= 4 } }

    public func callAsFunction(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.split(separator: secret, omittingEmptySubsequences: false).joined(separator: "[redacted]")
        }
        // Tokens a server echoes back (a proxy's debug page, an error quoting the request) are
        // not ours to know in advance: their shapes are.
        return Self.redactingTokens(result)
    }

    /// `Bearer …` and `Basic …` credentials and JSON Web Tokens, found by their shape. (Read by
    /// hand: Swift's Regex leaks part of every pattern it compiles, which LeakSanitizer reports.)
    static func redactingTokens(_ text: String) -> String {
        guard text.contains("eyJ") || text.contains("Bearer") || text.contains("Basic") else { return text }
        let characters = Array(text)
        var out = ""
        var index = 0
        func isTokenCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || "._~+/=-".contains(c)) }
        func isBase64URL(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-") }
        func matches(_ word: String, at position: Int) -> Bool {
            let letters = Array(word)
            guard position + letters.count <= characters.count else { return false }
            return Array(characters[position..<position + letters.count]) == letters
        }
        while index < characters.count {
            // A JWT: eyJ… . … . … (three base64url parts, the first two of four or more).
            if matches("eyJ", at: index) {
                var end = index
                var parts = [0]
                while end < characters.count, isBase64URL(characters[end]) || (characters[end] == "." && parts.count < 3) {
                    if characters[end] == "." { parts.append(0) } else { parts[parts.count - 1] += 1 }
                    end += 1
                }
                if parts.count == 3, parts[0] >= 4, parts[1] >= 4 {
                    out += "[redacted token]"
                    index = end
                    continue
                }
            }
            // An Authorization value: the scheme, spaces, then a token that is not a plain word.
            let atWordStart = index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber)
            if atWordStart, let scheme = ["Bearer", "Basic"].first(where: { matches($0, at: index) }) {
                var start = index + scheme.count
                guard start < characters.count, characters[start].isWhitespace else { out.append(characters[index]); index += 1; continue }
                while start < characters.count, characters[start].isWhitespace { start += 1 }
                var end = start
                while end < characters.count, isTokenCharacter(characters[end]) { end += 1 }
                let token = characters[start..<end]
                // A word in a sentence ("Basic information") is not a credential.
                if token.count >= 8, token.contains(where: { !("a"..."z").contains($0) }) {
                    out += scheme + " [redacted]"
                    index = end
                    continue
                }
            }
            out.append(characters[index])
            index += 1
        }
        return out
    }

    public var description: String { "Redactor (\(secrets.count) secrets)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    func adding(_ secret: String) -> Redactor { Redactor(secrets: secrets + [secret]) }
}
