import ECGFormats
import Foundation
import Testing
import TestSupport

/// The built `beatmon` binary (`swift build` puts it in `.build/debug`), or nil.
private let beatmonBinary: String? = {
    let path = SharedData.repositoryRoot.appendingPathComponent(".build/debug/beatmon").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// What a finished `beatmon` run left.
private struct Run {
    var status: Int32
    var output: String
    var errors: String
}

/// Runs `beatmon arguments`, with standard output sent to `output` when given (else captured).
private func beatmon(_ arguments: [String], output: FileHandle? = nil, closeReader: Bool = false) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(beatmonBinary))
    process.arguments = arguments
    let outputPipe = Pipe(), errorPipe = Pipe()
    process.standardOutput = output ?? outputPipe
    process.standardError = errorPipe
    try process.run()
    // A reader that goes away at once: the next write gets EPIPE (or SIGPIPE).
    if closeReader { try outputPipe.fileHandleForReading.close() }
    let errors = errorPipe.fileHandleForReading.readDataToEndOfFile()
    let printed = closeReader || output != nil ? Data() : outputPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, output: String(decoding: printed, as: UTF8.self),
               errors: String(decoding: errors, as: UTF8.self))
}

@Suite("beatmon info and export output (through the built binary)",
       .enabled(if: beatmonBinary != nil, "build the beatmon binary first (swift build)"))
struct CommandLineOutputTests {
    private let excerpt = SharedData.fixture("mitdb-202-excerpt/202x")

    /// `export REC > /dev/full` used to die of SIGILL in FileHandle.write.
    @Test func exportToAFullDiskFailsWithAMessage() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let run = try beatmon(["export", excerpt], output: full)
        #expect(run.status == 1, "\(run)")
        #expect(run.errors.contains("cannot write to standard output: No space left on device"), "\(run.errors)")
    }

    /// A reader that closes the pipe: reported as a broken pipe, not a silent SIGPIPE death.
    @Test func exportToAClosedPipeFailsWithAMessage() throws {
        let run = try beatmon(["export", excerpt], closeReader: true)
        #expect(run.status == 1, "\(run)")
        #expect(run.errors.contains("cannot write to standard output: Broken pipe"), "\(run.errors)")
        #expect(run.errors.contains("output is incomplete"))
    }

    @Test func infoToAFullDiskFails() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let run = try beatmon(["info", excerpt], output: full)
        #expect(run.status == 1 && run.errors.contains("No space left on device"), "\(run)")
    }

    @Test func infoPrintsWarningsInTextAndJSON() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = try folder.write("more.edf", patching(try edfBytes(records: 4), at: 236, "2       "))
        let text = try beatmon(["info", path])
        #expect(text.status == 0, "\(text)")
        #expect(text.output.contains("Warnings:\n  \(path): header claims 2 data records, file holds 4"), "\(text.output)")
        let json = try beatmon(["info", "--json", path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let warnings = try #require(object["warnings"] as? [[String: String]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["kind"] == "unreadDataRecords" && warnings.first?["file"] == path)
        #expect(warnings.first?["message"]?.contains("file holds 4") == true)
        // A sound record has an empty list, and no "Warnings:" section.
        let sound = try beatmon(["info", "--json", excerpt])
        let soundObject = try #require(try JSONSerialization.jsonObject(with: Data(sound.output.utf8)) as? [String: Any])
        #expect((soundObject["warnings"] as? [Any])?.isEmpty == true)
    }

    @Test func infoEscapesLabelsAndHeaderText() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        // An EDF label, and WFDB header text (description and comment), carrying escape sequences.
        let edf = try folder.write("label.edf", patching(try edfBytes(records: 1), at: 256, "\u{1B}[2J\u{9B}0m"))
        try folder.write("w.hea", "w 1 360 2\nw.dat 16 200 16 0 0 0 0 lead \u{9B}31m red\n# \u{202E}txet desrever\n")
        try folder.write("w.dat", [0, 0, 0, 0])
        for record in [edf, folder.path("w")] {
            let run = try beatmon(["info", record])
            #expect(run.status == 0, "\(run)")
            #expect(!run.output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x202E },
                    "\(run.output.debugDescription)")
        }
        #expect(try beatmon(["info", edf]).output.contains("0: \\x1B[2J\\x9B0m"))
        #expect(try beatmon(["info", folder.path("w")]).output.contains("# \\u{202E}txet desrever"))
    }

    @Test func errorsAreOneEscapedLine() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let csv = try folder.write("esc.csv", "I,II\n1,2\n3,\u{1B}]0;pwned\u{07}\n")
        let run = try beatmon(["export", "--sampling-rate", "360", csv])
        #expect(run.status != 0)
        #expect(!run.errors.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(run.errors.debugDescription)")
        let missing = try beatmon(["info", folder.path("absent.csv")])
        #expect(missing.status != 0 && missing.errors.contains("No such file or directory"), "\(missing)")
        #expect(!missing.errors.contains("NSCocoaErrorDomain"))
        let slow = try beatmon(["info", "--sampling-rate", "5", csv])
        #expect(slow.errors.contains("the given sampling rate is 5 Hz, outside the supported range 50 to 10000 Hz"), "\(slow)")
    }

    @Test func classifyReportsABadRecordAndKeepsTheOthersNamedByTheirPaths() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let bad = try folder.write("bad.csv", "I\n1\nnot-a-number\n")
        let output = folder.path("labels.csv")
        let run = try beatmon(["classify", bad, excerpt, "--output", output])
        #expect(run.status != 0)
        #expect(run.errors.contains(bad), "\(run.errors)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        // The header and the good record, named as given (with its folder), after the bad one.
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix(excerpt + ",") == true, "\(lines)")
    }

    @Test func outputsNeverReplaceADeviceAFIFOOrALink() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let fifo = folder.path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let link = folder.path("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder.path("target.html"))
        for path in ["/dev/full", fifo, link] {
            for arguments in [["report", excerpt, "--output", path], ["classify", excerpt, "--output", path]] {
                let run = try beatmon(arguments)
                #expect(run.status != 0, "\(arguments)")
                #expect(run.errors.contains("refusing to replace"), "\(arguments): \(run.errors)")
            }
        }
        var status = stat()
        #expect(lstat("/dev/full", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
        #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
        #expect(!FileManager.default.fileExists(atPath: folder.path("target.html")))
    }
}
