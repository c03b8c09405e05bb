import Foundation
import LedgerDrop
import LedgerDropSandbox
import Testing

extension EndToEnd {
    /// Issue 12's page, rendered by a real browser (Debian's `chromium`, headless; `.ci/run`
    /// installs it): not blank, the week's rows in its DOM, a merchant named `<script>…` shown as
    /// text, and nothing fetched — every network request goes to a proxy that does not exist.
    @Suite("The reconciliation page in headless Chromium", .serialized)
    struct ReconcilePageTests {
        static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

        /// Runs Chromium headless on `page` with the network cut; returns its stdout.
        static func chromium(_ arguments: [String], page: String) async throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(chromium))
            process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--hide-scrollbars",
                                 "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--user-data-dir=\(NSTemporaryDirectory())ledgerdrop-chromium-\(UUID().uuidString)"]
                + arguments + ["file://" + page]
            let out = NSTemporaryDirectory() + "ledgerdrop-chromium-\(UUID().uuidString).out"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            defer { try? FileManager.default.removeItem(atPath: out) }
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            process.standardError = FileHandle.nullDevice
            try process.run()
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread { process.waitUntilExit(); done.resume() }.start()
            }
            return Binary.text(of: out)
        }

        /// How many pixels of a PNG differ from its first pixel (Python's zlib unfilters it).
        static func coloredPixels(_ png: String) async throws -> Int {
            let script = """
                import sys, zlib, struct
                data = open(sys.argv[1], 'rb').read()
                assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
                pos, idat, width, height, ctype = 8, b'', 0, 0, 0
                while pos < len(data):
                    length, kind = struct.unpack('>I4s', data[pos:pos + 8])
                    chunk = data[pos + 8:pos + 8 + length]
                    if kind == b'IHDR': width, height, depth, ctype = struct.unpack('>IIBB', chunk[:10])
                    if kind == b'IDAT': idat += chunk
                    pos += 12 + length
                bpp = {2: 3, 6: 4}[ctype]
                raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
                for y in range(height):
                    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
                    for i in range(stride):
                        a = line[i - bpp] if i >= bpp else 0
                        b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                        if f == 1: line[i] = (line[i] + a) & 255
                        elif f == 2: line[i] = (line[i] + b) & 255
                        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
                        elif f == 4:
                            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                    rows.append(line); prev = line
                first = bytes(rows[0][:3])
                print(sum(1 for row in rows for x in range(width) if bytes(row[x * bpp:x * bpp + 3]) != first))
                """
            let path = NSTemporaryDirectory() + "ledgerdrop-png-\(UUID().uuidString).py"
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", path, png]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = await withCheckedContinuation { (done: CheckedContinuation<String, Never>) in
                Thread { let data = pipe.fileHandleForReading.readDataToEndOfFile(); process.waitUntilExit(); done.resume(returning: String(decoding: data, as: UTF8.self)) }.start()
            }
            return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }

        @Test(.enabled(if: chromium != nil, "Debian's chromium package (.ci/run installs it)"))
        func thePageRendersWithItsRowsAndShowsMarkupAsText() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            await harness.expensify.state.add([ReconcileTests.report("RWSCRIPT1", merchant: "<script>alert('x')</script> & Co")])
            #expect(try await harness.run(["fetch", "--since", "2026-11-02", "--until", "2026-11-08"]).status == 0)
            #expect(try await harness.run(["convert"]).status == 0)
            #expect(try await harness.run(["post"]).status == 0)
            try harness.spool.write("broken.json", "{ not json")
            #expect(try await harness.run(["convert"]).status == 1)
            let page = harness.spool.root + "/week.html"
            let report = try await harness.run(["report", "--html", page] + ReconcileTests.week)
            #expect(report.status == 0, "\(report.stdout) \(report.stderr)")
            let html = try String(contentsOfFile: page, encoding: .utf8)
            #expect(!html.contains("<script"), "no script element, and the merchant's markup escaped")
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;"), "the merchant, as the line description holds it (30 characters)")
            for reference in ["src=", "href=", "url(", "@import"] { #expect(!html.contains(reference), "nothing to fetch: \(reference)") }

            let dom = try await Self.chromium(["--dump-dom"], page: page)
            let rows = dom.components(separatedBy: "<tr class=\"report\" data-report=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(rows.count == 20 && rows.contains("R00I7J3xs5fn") && rows.contains("RWSCRIPT1"), "\(rows)")
            #expect(!dom.contains("<script"), "the browser made no script element of it")
            #expect(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp;"), "shown as text")
            #expect(dom.contains("class=\"failed\" data-file=\"failed/broken.json\""), "failed/ grouped by code")
            #expect(dom.contains("<rect"), "the chart is drawn")

            let shot = harness.spool.root + "/week.png"
            _ = try await Self.chromium(["--screenshot=\(shot)", "--window-size=1280,1600"], page: page)
            #expect(FileManager.default.fileExists(atPath: shot))
            let colored = try await Self.coloredPixels(shot)
            #expect(colored > 50_000, "the screenshot is not blank: \(colored) pixels differ from the corner's")
            if let keep = ProcessInfo.processInfo.environment["LEDGERDROP_KEEP_SCREENSHOT"] {
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(atPath: shot, toPath: keep)
            }
        }
    }
}
