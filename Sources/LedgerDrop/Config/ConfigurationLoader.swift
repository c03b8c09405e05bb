import Foundation
import Yams

/// Reads `ledgerdrop.yml` into a `Configuration`. Every unknown key, wrong type and missing
/// required value is reported with the file, line and column, all of them at once.
public struct ConfigurationLoader {
    public var file: String

    public init(file: String) { self.file = file }

    /// Where the configuration is looked up: `--config`, then `$LEDGERDROP_CONFIG`, then
    /// `./ledgerdrop.yml`. nil when none of them names an existing file and none was asked for.
    public static func locate(explicit: String?, environment: [String: String]) -> String? {
        if let explicit { return explicit }
        if let fromEnvironment = environment["LEDGERDROP_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        return FileManager.default.fileExists(atPath: "ledgerdrop.yml") ? "ledgerdrop.yml" : nil
    }

    public func load() throws(LedgerDropError) -> Configuration {
        guard let data = FileSystem.contents(ofFileAt: file).map({ Data($0) }) else {
            throw LedgerDropError(.configInvalid, "\(file): cannot read the configuration file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LedgerDropError(.configInvalid, "\(file): the configuration is not UTF-8 text")
        }
        return try parse(text)
    }

    public func parse(_ text: String) throws(LedgerDropError) -> Configuration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw LedgerDropError(.configInvalid, Self.describe(error, file: file, text: text))
        } catch {
            throw LedgerDropError(.configInvalid, "\(file): not valid YAML")
        }
        guard let root else {
            // An empty file, or comments only: like `---` alone, nothing is configured.
            throw LedgerDropError(.configInvalid, "\(file): the configuration is empty; it needs at least x3.site, x3.entryType and the offset accounts (ledgerdrop init writes an example)")
        }
        var reader = YAMLReader(file: file)
        let configuration = reader.configuration(root)
        if !reader.problems.isEmpty {
            throw LedgerDropError(problems: reader.problems)
        }
        return configuration
    }

    /// Yams's errors in plain words, at `file:line:column`.
    static func describe(_ error: YamlError, file: String, text: String) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = mark.line >= 1 && mark.line <= lines.count ? lines[mark.line - 1] : ""
            if line.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") || line.dropFirst(max(0, mark.column - 1)).first == "\t" {
                return "\(file):\(mark.line):\(mark.column): a tab character; YAML indents with spaces, never tabs"
            }
            return "\(file):\(mark.line):\(mark.column): \(problem) (not valid YAML)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(file):\(context.mark.line):\(context.mark.column): \(keys) appear\(duplicates.count == 1 ? "s" : "") twice in the same section; each key may be given once"
        case .reader:
            return "\(file): the configuration is not UTF-8 text"
        default:
            return "\(file): not valid YAML"
        }
    }
}

extension Node.Scalar {
    /// `~`, `null`, `Null`, `NULL` or nothing, unquoted: YAML's null, which counts as absent.
    var isNull: Bool {
        style != .singleQuoted && style != .doubleQuoted && ["", "~", "null", "Null", "NULL"].contains(string)
    }
}

/// Walks the YAML node tree with the schema of SPEC §4, collecting problems.
struct YAMLReader {
    let file: String
    var problems: [Problem] = []

    init(file: String) { self.file = file }

    private func location(_ node: Node) -> String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    mutating func fail(_ node: Node, _ message: String) {
        problems.append(Problem(.configInvalid, "\(location(node)): \(message)", path: location(node)))
    }

    /// A failure at a character of a one-line scalar (a placeholder in a layout): its own column.
    mutating func fail(_ node: Node, atCharacter offset: Int, _ message: String) {
        guard case .scalar(let scalar) = node, let mark = node.mark, !scalar.string.contains("\n") else { return fail(node, message) }
        let quote = scalar.style == .singleQuoted || scalar.style == .doubleQuoted ? 1 : 0
        let at = "\(file):\(mark.line):\(mark.column + quote + offset)"
        problems.append(Problem(.configInvalid, "\(at): \(message)", path: at))
    }

    /// The fields of a mapping node, with unknown keys reported against `known`.
    mutating func fields(_ node: Node, _ name: String, known: [String]) -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            fail(node, "\(name) must be a mapping of keys to values")
            return [:]
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else { fail(key, "\(name) has a key that is not text"); continue }
            if !known.isEmpty, !known.contains(scalar.string) {
                fail(key, "unknown key \"\(scalar.string)\" in \(name) (known: \(known.joined(separator: ", ")))")
                continue
            }
            if result[scalar.string] != nil { fail(key, "\"\(scalar.string)\" appears twice in \(name)") }
            result[scalar.string] = value
        }
        return result
    }

    /// Entries of a free-form mapping (category names, tags, emails) in document order.
    mutating func entries(_ node: Node, _ name: String) -> [(String, Node, Node)] {
        if case .scalar(let s) = node, s.isNull { return [] }
        guard case .mapping(let mapping) = node else {
            fail(node, "\(name) must be a mapping")
            return []
        }
        var result: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key, !scalar.string.isEmpty else { fail(key, "\(name) has an empty or non-text key"); continue }
            result.append((scalar.string, key, value))
        }
        return result
    }

    mutating func string(_ node: Node?, _ name: String, into value: inout String) {
        guard let node else { return }
        switch node {
        case .scalar(let scalar) where scalar.isNull: value = ""
        case .scalar(let scalar): value = scalar.string
        default: fail(node, "\(name) must be text")
        }
    }

    mutating func required(_ node: Node?, _ name: String, in parent: Node, into value: inout String) {
        guard let node else {
            fail(parent, "missing required value \(name)")
            return
        }
        if case .scalar(let scalar) = node, scalar.isNull, !scalar.string.isEmpty {
            fail(node, "missing required value \(name) (\"\(scalar.string)\" is YAML's null, no value)")
            return
        }
        string(node, name, into: &value)
        if value.isEmpty { fail(node, "\(name) must not be empty") }
    }

    mutating func bool(_ node: Node?, _ name: String, into value: inout Bool) {
        guard let node else { return }
        guard case .scalar(let scalar) = node, let b = Bool.construct(from: scalar) else {
            fail(node, "\(name) must be true or false")
            return
        }
        value = b
    }

    mutating func int(_ node: Node?, _ name: String, range: ClosedRange<Int>, into value: inout Int) {
        guard let node else { return }
        guard case .scalar(let scalar) = node, let i = Int(scalar.string), range.contains(i) else {
            fail(node, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return
        }
        value = i
    }

    mutating func duration(_ node: Node?, _ name: String, into value: inout Duration) {
        guard let node else { return }
        guard case .scalar(let scalar) = node, let d = DurationText.parse(scalar.string) else {
            fail(node, "\(name) must be a duration such as 500ms, 2s, 5m, 1h or 3d")
            return
        }
        value = d
    }

    mutating func strings(_ node: Node?, _ name: String, into value: inout [String]) {
        guard let node else { return }
        if case .scalar(let s) = node, s.isNull { value = []; return }
        guard case .sequence(let sequence) = node else {
            fail(node, "\(name) must be a list")
            return
        }
        var result: [String] = []
        for item in sequence {
            if case .scalar(let scalar) = item { result.append(scalar.string) } else { fail(item, "\(name) must be a list of text values") }
        }
        value = result
    }

    mutating func choice<T: RawRepresentable>(_ node: Node?, _ name: String, synonyms: [String: T] = [:], into value: inout T) where T.RawValue == String {
        guard let node else { return }
        var text = ""
        string(node, name, into: &text)
        if let chosen = T(rawValue: text) ?? synonyms[text] {
            value = chosen
        } else if case .scalar = node {
            fail(node, "\(name) must be one of the documented values, not \"\(text)\"")
        }
    }

    mutating func dimensions(_ node: Node?, _ name: String, into value: inout [String: String]) {
        guard let node else { return }
        for (type, _, item) in entries(node, name) {
            var dimension = ""
            string(item, "\(name).\(type)", into: &dimension)
            value[type] = dimension
        }
    }
}
