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

    /// The configuration `ledgerdrop init` writes, so that the fuzzer needs no files — without
    /// its comment pattern: Swift's _StringProcessing leaks the parse tree of a Regex compiled
    /// from text (772 bytes, once per pattern, found by LeakSanitizer here), which would end
    /// every fuzzing run with a leak report that is not ledgerdrop's.
    static let configuration = try! ConfigurationLoader(file: "ledgerdrop.yml").parse(
        ExampleConfiguration.text.replacingOccurrences(of: #"- { pattern: "PRJ-[0-9]{4}", dimension: PRJ }"#, with: "[]"))

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["LEDGERDROP_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set LEDGERDROP_FUZZ_TARGET to one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()
}

#if FUZZING
/// libFuzzer's driver, called from our own `main` (SwiftPM names the entry point itself).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// One input through the selected target; libFuzzer also looks this symbol up by name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTarget.selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#endif

@main
struct LedgerDropFuzz {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        _ = FuzzTarget.selected
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
        #else
        replay()
        #endif
    }

    /// `ledgerdrop-fuzz TARGET FILE|FOLDER…`: each input through the target once.
    static func replay() {
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
                guard let data = FileSystem.contents(ofFileAt: file) else { continue }
                target.run(data)
                count += 1
            }
        }
        print("\(name): \(count) input(s) ran without a crash")
    }
}
