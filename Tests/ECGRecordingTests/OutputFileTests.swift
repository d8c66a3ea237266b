import ECGRecording
import Foundation
import Testing

/// Outputs are written whole or not at all, and never replace a device, FIFO, folder or link.
struct OutputFileTests {
    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "beatmon-output-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aNewFileAndAReplacedFileHoldExactlyWhatWasWritten() throws {
        let dir = try folder()
        let path = dir + "/report.html"
        try OutputFile.write("first\n", to: path)
        try OutputFile.write("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report.html"])
    }

    @Test func aDeviceAFIFOAFolderAndASymlinkAreNotReplaced() throws {
        let dir = try folder()
        let fifo = dir + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let link = dir + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        for (path, what) in [("/dev/null", "a device"), (fifo, "a FIFO"), (dir, "a folder"), (link, "a symbolic link")] {
            let error = #expect(throws: OutputFileError.self) { try OutputFile.write("x", to: path) }
            #expect(error?.description.contains(what) == true, "\(path): \(String(describing: error))")
        }
        // The link still points where it did, and /dev/null is still a device.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/dev/null")
        var status = stat()
        #expect(lstat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func aMissingFolderIsAClearError() {
        let error = #expect(throws: OutputFileError.self) { try OutputFile.write("x", to: "/nonexistent-beatmon/out.csv") }
        #expect(error?.description.contains("/nonexistent-beatmon/out.csv") == true)
        #expect(error?.description.contains("No such file or directory") == true)
    }
}
