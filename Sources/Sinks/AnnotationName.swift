/// The record-name prefix of annotation files, checked before any file is made from it: it becomes
/// part of a path, so it must name a file in the archive's folder and nothing else.
public enum AnnotationName {
    /// Longest prefix accepted (the date and time suffix and the extension follow it).
    public static let maximumLength = 64

    /// Why `name` cannot be a record-name prefix, or nil when it can: empty, too long, `.` or
    /// `..`, or holding a `/`, a control character or white space (WFDB record names are one word).
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "an annotation name must not be empty" }
        if name.unicodeScalars.count > maximumLength { return "an annotation name must be at most \(maximumLength) characters" }
        if name == "." || name == ".." { return "an annotation name must not be '.' or '..'" }
        for scalar in name.unicodeScalars {
            if scalar == "/" { return "an annotation name must not contain '/'" }
            if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
                return "an annotation name must not contain white space or control characters"
            }
        }
        return nil
    }
}

extension AnnotationName {
    /// Throws `AnnotationNameError` unless `name` can be a record-name prefix.
    public static func validate(_ name: String) throws {
        if let problem = problem(with: name) { throw AnnotationNameError(name: name, problem: problem) }
    }
}

/// A record-name prefix that cannot name an annotation file.
public struct AnnotationNameError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The name given.
    public var name: String
    /// What is wrong with it.
    public var problem: String

    public var description: String { "\(problem): \(name.debugDescription)" }
}
