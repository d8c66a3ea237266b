import Foundation
import HolterReport
import TestSupport
import Testing

/// The report as a person sees it: headless Chromium renders the HTML of the bundled excerpt's
/// report to a PNG, which must show the page (text and traces, the red ECG grid), not a blank or
/// error page, and parses it into a document holding every section. CI installs Debian's chromium (.ci/run); elsewhere the test is skipped without it.
@Suite("Report in a real browser")
struct BrowserRenderTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let required = ProcessInfo.processInfo.environment["CI"] != nil

    @Test(.enabled(if: chromium != nil || required, "needs Debian's chromium (apt-get install chromium)"),
          .timeLimit(.minutes(5)))
    func headlessChromiumShowsTheReport() throws {
        let chromium = try #require(Self.chromium, "CI must install chromium (.ci/run)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html"), shot = folder.appendingPathComponent("shot.png")
        let fixture = try ReportFixture(path: ReportFixture.excerpt)
        try fixture.html.write(to: page, atomically: true, encoding: .utf8)

        try Self.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                "--user-data-dir=\(folder.path)/profile", "--window-size=1200,2400",
                                "--screenshot=\(shot.path)", page.absoluteString])
        #expect(FileManager.default.fileExists(atPath: shot.path))
        let script = SharedData.repositoryRoot.appendingPathComponent("Tests/HolterReportTests/Support/png_colours.py").path
        let counts = try Self.run("/usr/bin/env", ["python3", script, shot.path])
            .split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(counts.count == 4)
        let (pixels, nonWhite, dark, red) = (counts[0], counts[1], counts[2], counts[3])
        #expect(pixels == 1200 * 2400)
        // A blank page is all white; an error page has no red grid. The report has text, traces
        // and strips on a pink-red grid over much of its height.
        #expect(Double(nonWhite) / Double(pixels) > 0.05)
        #expect(dark > 5_000)
        #expect(red > 20_000)

        // The page as Chromium parsed it (`--dump-dom`): every section a cardiologist reads is in
        // the document, with its table, and the figures the JSON holds are the ones printed.
        let dom = try Self.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder.path)/profile",
                                          "--dump-dom", page.absoluteString])
        for section in ["ectopy", "pauses", "rate-episodes", "hrv", "hourly"] {
            let start = try #require(dom.range(of: "<section id=\"\(section)\">"), "section \(section) parsed")
            let rest = dom[start.upperBound...]
            let body = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
            #expect(body.contains("<h2>"), "\(section) has its heading")
            if section != "pauses" && section != "rate-episodes" { #expect(body.contains("<table"), "\(section) has its table") }
        }
        let report = fixture.report
        #expect(dom.contains("<th>Total</th><td>\(report.ectopy.ventricular.total)</td><td>\(report.ectopy.supraventricular.total)</td>"))
        #expect(dom.components(separatedBy: "<tr><td>0:").count - 1 >= report.hourly.count)
    }

    /// Runs a program and returns its standard output; throws when it fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RenderError(description: "\(executable) \(arguments.first ?? "") exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct RenderError: Error, CustomStringConvertible {
        var description: String
    }
}
