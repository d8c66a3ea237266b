import Daemon
import Foundation
import Sinks
import Testing

/// Configuration and source settings a hostile or careless user writes: each is a message naming
/// the file and line or the setting, never an abort.
@Suite struct HostileConfigurationTests {
    /// Inputs that made the TOML parser under TOMLKit assert (abort) or that are otherwise broken.
    static let brokenTOML: [(String, String)] = [
        ("[\n", "line 1"),
        ("[source\nuri = \"stdin\"\n", "line 1"),
        ("[[\n", "line 1"),
        ("[]\n", "line 1"),
        ("[a.]\n", "line 1"),
        ("[source]\n= 3\n", "line 2"),
        ("[source]\nuri\n", "line 2"),
        ("[source]\nuri = \"stdin\n", "line 2"),
        ("[source]\nleads = [\"I\",\n", "not closed"),
        ("[source]\nuri = \"stdin\"]\n", "line 2"),
        ("[source]\nrate = 250\u{1B}[31m\n", "line 2"),
        ("x = \"\"\"\nopen\n", "not closed"),
    ]

    @Test(arguments: brokenTOML)
    func brokenTOMLIsAnErrorNamingTheLine(_ input: (String, String)) {
        let error = #expect(throws: DaemonError.self) { try DaemonConfiguration(toml: input.0, file: "t.toml") }
        #expect(error?.description.contains("t.toml") == true)
        #expect(error?.description.contains(input.1) == true, "\(String(describing: error))")
    }

    @Test func validTOMLStillReadsWithCommentsQuotedKeysAndMultiLineValues() throws {
        let configuration = try DaemonConfiguration(toml: """
            # a comment
            [source]   # trailing comment
            "uri" = "stdin?leads=I,II&rate=250"   # [not a header]
            [monitor]
            leads = [
              "I",   # first
              "II",
            ]
            [syslog]
            app_name = \"\"\"beatmon\"\"\"
            """, file: "ok.toml")
        #expect(configuration.leads == ["I", "II"])
        #expect(configuration.source?.parameters.frameRate == 250)
    }

    @Test(arguments: ["", "../../x", "a/b", "..", ".", "bed\n7", "bed 7", "\u{1B}[2J", String(repeating: "x", count: 65)])
    func annotationNamesThatWouldEscapeOrMangleAPathAreRefused(_ name: String) {
        #expect(AnnotationName.problem(with: name) != nil)
        #expect(throws: DaemonError.self) {
            try DaemonConfiguration(toml: "[annotations]\ndirectory = \"/tmp\"\nname = \(name.debugDescription)", file: "t.toml")
        }
        #expect(throws: AnnotationNameError.self) { try AnnotationArchive(directory: NSTemporaryDirectory(), name: name) }
    }

    @Test func ordinaryAnnotationNamesAreAccepted() {
        for name in ["beatmon", "bed7", "ICU-3_bed.12"] { #expect(AnnotationName.problem(with: name) == nil) }
    }

    @Test(arguments: ["5", "11", "49.9", "10001", "100000000", "1e300"])
    func sourceRatesOutsideTheSupportedRangeAreRefused(_ rate: String) {
        let error = #expect(throws: DaemonError.self) { try SourceSpecification(parsing: "stdin?leads=I&rate=\(rate)") }
        #expect(error?.description.contains("50") == true, "\(String(describing: error))")
    }
}
