/// The fields of a JSON object, in the order of the document, each key once (a repeated key
/// keeps its last value, as JSONSerialization does). Looked up by a scan over a short hash of
/// each key: the objects ledgerdrop reads have a few dozen fields, where comparing two integers
/// costs far less than hashing into a dictionary, and most of a report's fields are read once.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    struct Entry: Sendable {
        var hash: UInt64
        var key: String
        var value: JSONValue
    }

    private var entries: [Entry]

    public init(_ fields: [(key: String, value: JSONValue)]) {
        self.init(entries: fields.map { Entry(hash: Self.hash($0.key), key: $0.key, value: $0.value) })
    }

    init(entries: [Entry]) {
        // A repeated key is rare: a bitmap of hash bits says which keys may repeat, and only those
        // are compared with the keys before them.
        var seen: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var repeated = false
        for (index, entry) in entries.enumerated() {
            let bit = UInt64(1) << (entry.hash & 63)
            let word = Int((entry.hash >> 6) & 3)
            let present: Bool
            switch word {
            case 0: present = seen.0 & bit != 0; seen.0 |= bit
            case 1: present = seen.1 & bit != 0; seen.1 |= bit
            case 2: present = seen.2 & bit != 0; seen.2 |= bit
            default: present = seen.3 & bit != 0; seen.3 |= bit
            }
            if present, entries[..<index].contains(where: { $0.hash == entry.hash && $0.key == entry.key }) {
                repeated = true
                break
            }
        }
        guard repeated else {
            self.entries = entries
            return
        }
        var last: [String: Int] = [:]
        for (index, entry) in entries.enumerated() { last[entry.key] = index }
        self.entries = entries.enumerated().filter { last[$0.element.key] == $0.offset }.map(\.element)
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }

    public subscript(key: String) -> JSONValue? {
        let hash = Self.hash(key)
        for entry in entries where entry.hash == hash && entry.key == key { return entry.value }
        return nil
    }

    /// The value of `key`, trying the entry at `cursor` first: fields read in the order the
    /// document writes them (an export of ledgerdrop's own template) are found at the first try.
    /// `cursor` moves past the entry found.
    func value(_ key: String, cursor: inout Int) -> JSONValue? {
        if cursor < entries.count, entries[cursor].key == key {
            cursor += 1
            return entries[cursor - 1].value
        }
        let hash = Self.hash(key)
        for index in entries.indices where entries[index].hash == hash && entries[index].key == key {
            cursor = index + 1
            return entries[index].value
        }
        return nil
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }
    public var fields: [(key: String, value: JSONValue)] { entries.map { (key: $0.key, value: $0.value) } }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { fields.makeIterator() }

    /// Equal when they hold the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { entry in rhs[entry.key] == entry.value }
    }

    /// FNV-1a over the key's UTF-8: a few instructions per byte.
    static func hash(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { hash($0) }
    }

    static func hash(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
