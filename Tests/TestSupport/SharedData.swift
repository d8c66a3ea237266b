import Foundation

/// Locations of the project's real test data, resolved from the repository root so that tests run
/// the same from any working directory.
public enum SharedData {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/TestSupport/SharedData.swift
        return url
    }()

    /// `../shared/data` beside the repository, or nil (with tests skipped) where it is absent.
    public static let dataDirectory: URL? = {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    /// True when `../shared/data` is present; use with `.enabled(if:)` so a skip says why.
    public static var isAvailable: Bool { dataDirectory != nil }

    /// Path of a record (without extension) in a shared data set, e.g. `record("mitdb", "100")`.
    public static func record(_ set: String, _ name: String) -> String? {
        dataDirectory?.appendingPathComponent(set).appendingPathComponent(name).path
    }

    /// Record names in a data set: the header files' base names, sorted.
    public static func records(in set: String) -> [String] {
        guard let directory = dataDirectory?.appendingPathComponent(set),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".hea") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Path of a file under `Fixtures/`.
    public static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }
}

