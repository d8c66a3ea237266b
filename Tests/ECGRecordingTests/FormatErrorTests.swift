import Testing
@testable import ECGRecording

@Test func formatErrorNamesFileAndLine() {
    let error = FormatError(file: "100.hea", line: 2, "bad gain")
    #expect(error.description == "100.hea:2: bad gain")
}
