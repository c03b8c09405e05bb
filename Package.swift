// swift-tools-version: 6.2
import Foundation
import PackageDescription

let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

/// `LEDGERDROP_FUZZ=1` builds the library and `ledgerdrop-fuzz` with libFuzzer's coverage
/// instrumentation and links libFuzzer's driver (docs/fuzzing.md). Used with
/// `--sanitize=address --scratch-path .build-asan`, it recompiles only these two targets.
let fuzzing = ProcessInfo.processInfo.environment["LEDGERDROP_FUZZ"] != nil
let fuzzCoverage: [SwiftSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer"])] : []

let package = Package(
    name: "ledgerdrop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ledgerdrop", targets: ["ledgerdrop"]),
        .library(name: "LedgerDrop", targets: ["LedgerDrop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libxml2 from the system (Debian: libxml2-dev); the shim header works around the ICU clash.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Two Linux system calls that Swift's Glibc module does not expose (syncfs, renameat2).
        .target(name: "CFileSystem"),
        .target(
            name: "LedgerDrop",
            dependencies: [
                "CLibXML2", "CFileSystem",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The export template is sent to Expensify by the binary and rendered by real
            // FreeMarker in the tests; the reconciliation page's template is rendered by Mustache.
            // Embedded, they need no bundle beside an installed binary.
            resources: [.embedInCode("Resources/expensify-report-export.ftl"), .embedInCode("Resources/reconcile-page.mustache")],
            swiftSettings: strict + fuzzCoverage
        ),
        // What the binary carries from the checkout: the git commit (`--version`) and the demo's
        // fixtures, written into Swift sources at build time with the system's shell.
        .plugin(name: "Embed", capability: .buildTool(), path: "Plugins/Embed"),
        // Local stand-ins for Sage X3 (and later Expensify) on 127.0.0.1, for tests and the demo.
        .target(
            name: "LedgerDropSandbox",
            dependencies: [
                "LedgerDrop",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict,
            plugins: ["Embed"]
        ),
        .executableTarget(
            name: "ledgerdrop",
            dependencies: [
                "LedgerDrop",
                "LedgerDropSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict,
            plugins: ["Embed"]
        ),
        .executableTarget(
            name: "ledgerdrop-bench",
            dependencies: ["LedgerDrop", "LedgerDropSandbox", "CFileSystem", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/ledgerdrop-bench",
            swiftSettings: strict
        ),
        // libFuzzer targets for every parser fed from outside (docs/fuzzing.md); built normally,
        // it replays inputs once.
        .executableTarget(
            name: "ledgerdrop-fuzz",
            dependencies: ["LedgerDrop"],
            path: "Fuzz/ledgerdrop-fuzz",
            swiftSettings: strict + fuzzCoverage + (fuzzing ? [.define("FUZZING")] : []),
            linkerSettings: fuzzing ? [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])] : []
        ),
        .testTarget(
            name: "LedgerDropTests",
            dependencies: [
                "LedgerDrop",
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["LedgerDrop", "LedgerDropSandbox", "ledgerdrop"],
            swiftSettings: strict
        ),
    ]
)
