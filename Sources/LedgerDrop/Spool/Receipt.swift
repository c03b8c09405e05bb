/// `done/<entry-key>.receipt.json` (SPEC §6.4). The poster writes receipts; the converter only
/// reads their X3 entry number to say where an earlier posting went.
public enum Receipt {
    public static let suffix = ".receipt.json"

    static func entryNumber(in spool: Spool, key: EntryKey) -> String? {
        guard let bytes = try? FileSystem.read(spool.path(.done, key.fileStem + suffix), limit: 1 << 20),
              let document = try? JSONParser.parse(bytes),
              case .string(let number)? = document["x3EntryNumber"] else { return nil }
        return number
    }
}
