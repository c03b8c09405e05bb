import Foundation
import LedgerDrop

/// Every parser that reads bytes from outside, as one fuzz target each. Built with
/// `-sanitize=fuzzer,address -DFUZZING`, libFuzzer drives `LLVMFuzzerTestOneInput` with the target
/// named by `LEDGERDROP_FUZZ_TARGET`; built normally, the same executable runs files through a
/// target once (`ledgerdrop-fuzz report FILE…`), to replay a finding. See docs/fuzzing.md.
enum FuzzTarget: String, CaseIterable {
    case report
    case yaml
    case soapReply = "soap-reply"
    case graphqlReply = "graphql-reply"
    case expensifyReply = "expensify-reply"
    case exportSplitter = "export-splitter"

    static let probe = try! PayloadFile.probe()
    static let redact = Redactor(secrets: ["fuzz-secret"])

    func run(_ bytes: [UInt8]) {
        switch self {
        case .report:
            let file = ReportFile.read(bytes)
            let configuration = Self.configuration
            let conversion = FileConversion.convert(name: "fuzz.json", bytes: bytes, converter: Converter(configuration: configuration), renderer: PayloadRenderer(configuration: configuration))
            if case .converted = conversion.outcome { precondition(conversion.entries.allSatisfy(\.isBalanced), "an entry that does not balance was written") }
            _ = file.entries.count
        case .yaml:
            _ = try? ConfigurationLoader(file: "fuzz.yml").parse(String(decoding: bytes, as: UTF8.self))
        case .soapReply:
            _ = SOAPEnvelope.result(bytes)
            _ = SOAPEnvelope.fault(bytes)
            for status: UInt in [200, 500] {
                let reply = HTTPExchange.Reply(status: status, body: bytes)
                _ = SOAPTransport.classify(reply, entryType: "ODT", redact: Self.redact)
                _ = try? SOAPTransport.lookupEntries(reply, payload: Self.probe, redact: Self.redact)
            }
        case .graphqlReply:
            for status: UInt in [200, 500] {
                let reply = HTTPExchange.Reply(status: status, body: bytes)
                _ = GraphQLTransport.classify(reply, redact: Self.redact)
                _ = try? GraphQLTransport.lookupEntries(reply, currency: "EUR", redact: Self.redact)
            }
        case .expensifyReply:
            _ = try? ExpensifyReply.fileName(status: 200, retryAfter: nil, body: bytes)
            _ = try? ExpensifyReply.file(status: 200, retryAfter: nil, body: bytes)
            _ = try? ExpensifyReply.policies(status: 200, retryAfter: nil, body: bytes)
        case .exportSplitter:
            _ = try? ExportSplitter.split(bytes)
        }
    }

    /// The configuration `ledgerdrop init` writes, so that the fuzzer needs no files.
    static let configuration = try! ConfigurationLoader(file: "ledgerdrop.yml").parse(ExampleConfiguration.text)

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["LEDGERDROP_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set LEDGERDROP_FUZZ_TARGET to one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}
#else
@main
struct ReplayFindings {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: ledgerdrop-fuzz TARGET FILE|FOLDER…  (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))")
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            let files = isFolder.boolValue ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(Array(data))
                count += 1
            }
        }
        print("\(name): \(count) input(s) ran without a crash")
    }
}
#endif
