import Foundation
import TestSupport

/// Where the tests find the repository, the fixture and the built `beatmon`.
enum TestPaths {
    static let repositoryRoot = SharedData.repositoryRoot
    /// The bundled MIT-BIH 202 excerpt (AF from about 3:03 to 5:31).
    static let fixture = SharedData.fixture("mitdb-202-excerpt/202x")

    /// The `beatmon` executable built beside the test bundle, if any.
    static let beatmon: URL? = {
        var candidates: [URL] = []
        if let arg = CommandLine.arguments.first { candidates.append(URL(fileURLWithPath: arg).deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for folder in candidates {
            let url = folder.appendingPathComponent("beatmon")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()
}
