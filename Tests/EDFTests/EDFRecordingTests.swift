import ECGRecording
import Foundation
import Testing
@testable import EDF

// An EDF+C and a BDF+C file written by pyedflib 0.1.42 (EDFlib, an independent implementation):
// 3 one-second records, MLII at 8 Hz and V5 at 4 Hz (the first values of mitdb/100 as
// (adc - 1024) / 200 mV), annotations 0.5 "Recording starts", 1.25+0.5 "PVC", 2 "(AFIB".
private let pyedflibEDFPlus = [
        "MCAgICAgICBQMTAwIFggWCBUZXN0X1BhdGllbnQgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgIFN0YXJ0ZGF0ZSAwNS1NQVItMjAyNCBYIFggWCAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgMDUuMDMuMjQxNC4zMC4xNTEwMjQgICAgRURGK0MgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAzICAgICAgIDEgICAgICAgMyAgIE1MSUkgICAgICAgICAgICBWNSAgICAgICAgICAgICAgRURGIEFubm90YXRp",
        "b25zIEFnQWdDbCAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgQWdBZ0NsICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgIG1WICAgICAgbVYgICAgICAgICAgICAgIC01LjEyICAgLTUuMTIgICAtMSAgICAgIDUuMTE1ICAg",
        "NS4xMTUgICAxICAgICAgIC0zMjc2OCAgLTMyNzY4ICAtMzI3NjggIDMyNzY3ICAgMzI3NjcgICAzMjc2NyAgIEhQOjAuMUh6IExQ",
        "OjEwMEh6ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgSFA6MC4x",
        "SHogTFA6MTAwSHogICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgIDggICAgICAgNCAgICAgICA1NyAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIHD8cPxw/HD8cPxw/HD8cPxw/nD+cP4Q/isw",
        "FBQAKzAuNTAwMBRSZWNvcmRpbmcgc3RhcnRzFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABD9sPxw/FD8EPww/BD8r/vw/TD+UP6w/isxFBQAKzEuMjUwMBUw",
        "LjUwMDAUUFZDFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAI/7b/vP+zD8r/uP+0/7j/vQ/hD/sP4Q/isyFBQAKzIUKEFGSUIUAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAA==",
].joined()

private let pyedflibBDFPlus = [
        "/0JJT1NFTUlQMTAwIFggWCBUZXN0X1BhdGllbnQgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgIFN0YXJ0ZGF0ZSAwNS1NQVItMjAyNCBYIFggWCAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgMDUuMDMuMjQxNC4zMC4xNTEwMjQgICAgQkRGK0MgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAzICAgICAgIDEgICAgICAgMyAgIE1MSUkgICAgICAgICAgICBWNSAgICAgICAgICAgICAgQkRGIEFubm90YXRp",
        "b25zIEFnQWdDbCAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgQWdBZ0NsICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgIG1WICAgICAgbVYgICAgICAgICAgICAgIC01LjEyICAgLTUuMTIgICAtMSAgICAgIDUuMTE1ICAg",
        "NS4xMTUgICAxICAgICAgIC04Mzg4NjA4LTgzODg2MDgtODM4ODYwODgzODg2MDcgODM4ODYwNyA4Mzg4NjA3IEhQOjAuMUh6IExQ",
        "OjEwMEh6ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgSFA6MC4x",
        "SHogTFA6MTAwSHogICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgIDggICAgICAgNCAgICAgICAzOCAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgII5v/I5v/I5v/I5v/I5v/I5v/I5v/I5v/M5v",
        "/s5v/s5v/sIP/iswFBQAKzAuNTAwMBRSZWNvcmRpbmcgc3RhcnRzFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAKIP/Zav/I5v/IpP/IIP/IYv/IIP/Hav+77v",
        "/cYv/spP/tav/isxFBQAKzEuMjUwMBUwLjUwMDAUUFZDFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAHKP+25v+3rP+4Yv/Hav+3KP+2pP+3KP+9rP",
        "/uIP/9av/sIP/isyFBQAKzIUKEFGSUIUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
].joined()

// pyedflib readSignal(0) / readSignal(1) / readSignal(0, digital=True) of the files above.
private let edfMLII: [Double] = [
    -0.14485450522621487, -0.14485450522621487, -0.14485450522621487, -0.14485450522621487,
    -0.14485450522621487, -0.14485450522621487, -0.14485450522621487, -0.14485450522621487,
    -0.1198663309681848, -0.13485923552300283, -0.14485450522621487, -0.14985214007782088,
    -0.1598474097810329, -0.1548497749294269, -0.1598474097810329, -0.17499649042496362,
    -0.17999412527656963, -0.18499176012817564, -0.16999885557335762, -0.1548497749294269,
    -0.17499649042496362, -0.17999412527656963, -0.18998939497978165, -0.17999412527656963,
]
private let edfV5: [Double] = [
    -0.06489234760051867, -0.06489234760051867, -0.06489234760051867, -0.0798852521553367,
    -0.08488288700694271, -0.0748876173037307, -0.06988998245212469, -0.05489707789730665,
    -0.04989944304570063, -0.03990417334248861, -0.05489707789730665, -0.0798852521553367,
]
private let edfMLIIDigital: [Int32] = [
    -912, -912, -912, -912, -912, -912, -912, -912, -752, -848, -912, -944, -1008, -976, -1008, -1105,
    -1137, -1169, -1073, -976, -1105, -1137, -1201, -1137,
]
private let bdfMLII: [Double] = [
    -0.14499966949222434, -0.14499966949222434, -0.14499966949222434, -0.14499966949222434,
    -0.14499966949222434, -0.14499966949222434, -0.14499966949222434, -0.14499966949222434,
    -0.11999967396257297, -0.13499967128036378, -0.14499966949222434, -0.1499996685981546,
    -0.15999966681001515, -0.15499966770408488, -0.15999966681001515, -0.174999664127806,
    -0.17999966323373626, -0.18499966233966653, -0.16999966502187572, -0.15499966770408488,
    -0.174999664127806, -0.17999966323373626, -0.18999966144559682, -0.17999966323373626,
]
private let bdfMLIIDigital: [Int32] = [
    -233586, -233586, -233586, -233586, -233586, -233586, -233586, -233586, -192606, -217194, -233586,
    -241782, -258174, -249978, -258174, -282762, -290958, -299154, -274566, -249978, -282762, -290958,
    -307350, -290958,
]

// mitdb/100, first second (360 frames), ADC units, from wfdb.rdrecord(physical=False).
private let mitdb100MLII: [Int32] = [
        995, 995, 995, 995, 995, 995, 995, 995, 1000, 997, 995, 994, 992, 993, 992, 989, 988, 987, 990, 993,
        989, 988, 986, 988, 993, 997, 993, 986, 983, 977, 979, 975, 974, 972, 969, 969, 969, 971, 973, 971,
        969, 966, 966, 966, 966, 967, 965, 963, 967, 969, 969, 968, 967, 963, 966, 964, 968, 966, 964, 961,
        960, 957, 952, 947, 947, 943, 933, 927, 927, 939, 958, 980, 1010, 1048, 1099, 1148, 1180, 1192, 1177,
        1128, 1058, 991, 951, 937, 939, 950, 958, 959, 957, 955, 958, 959, 961, 962, 960, 957, 956, 959, 955,
        957, 958, 957, 958, 959, 958, 958, 955, 953, 957, 959, 963, 960, 960, 958, 956, 957, 956, 955, 953,
        953, 956, 958, 958, 958, 956, 954, 959, 959, 958, 958, 957, 957, 956, 958, 956, 954, 953, 954, 955,
        958, 960, 957, 958, 955, 958, 957, 957, 955, 955, 953, 956, 956, 957, 958, 954, 954, 955, 957, 957,
        957, 954, 953, 953, 955, 955, 957, 954, 952, 952, 952, 951, 952, 950, 947, 950, 952, 953, 952, 949,
        949, 951, 951, 952, 952, 951, 950, 953, 958, 959, 959, 957, 956, 961, 964, 964, 966, 965, 966, 967,
        969, 973, 974, 974, 971, 973, 975, 978, 975, 975, 973, 973, 976, 974, 973, 975, 973, 974, 974, 971,
        972, 972, 971, 970, 971, 972, 969, 968, 966, 969, 970, 972, 968, 968, 967, 969, 969, 971, 970, 967,
        966, 968, 969, 967, 968, 964, 964, 963, 965, 964, 962, 962, 963, 965, 967, 967, 966, 965, 962, 966,
        965, 964, 963, 962, 959, 962, 964, 966, 962, 959, 958, 961, 964, 963, 962, 960, 958, 959, 961, 962,
        963, 963, 962, 964, 963, 966, 964, 964, 963, 963, 966, 968, 965, 963, 961, 963, 965, 966, 968, 970,
        969, 969, 970, 974, 974, 973, 979, 980, 983, 984, 983, 981, 978, 980, 979, 979, 979, 978, 977, 976,
        977, 980, 982, 983, 975, 967, 967, 964, 962, 958, 958, 959, 961, 960, 961, 959, 956, 955, 956, 956,
        954, 955, 953, 958, 957, 958, 960, 955, 953, 956, 958, 959, 958, 954, 951, 952, 948, 939, 935, 929,
        922
]
private let mitdb100V5: [Int32] = [
        1011, 1011, 1011, 1011, 1011, 1011, 1011, 1011, 1008, 1008, 1007, 1007, 1009, 1010, 1010, 1011, 1013,
        1014, 1014, 1016, 1016, 1013, 1009, 1008, 1007, 1010, 1008, 1008, 1006, 1005, 1006, 1005, 1002, 1000,
        995, 997, 1003, 1005, 1003, 1000, 997, 999, 999, 1001, 1001, 999, 996, 996, 998, 999, 996, 995, 994,
        994, 998, 1001, 999, 997, 992, 985, 984, 983, 979, 973, 964, 966, 977, 998, 1017, 1034, 1048, 1064,
        1086, 1111, 1131, 1140, 1119, 1066, 1007, 978, 974, 981, 988, 987, 992, 994, 994, 988, 988, 992, 991,
        990, 991, 987, 987, 987, 990, 992, 993, 989, 985, 987, 987, 989, 989, 985, 986, 988, 991, 990, 990,
        990, 986, 987, 988, 990, 989, 986, 984, 985, 987, 990, 990, 987, 985, 989, 984, 987, 988, 987, 983,
        986, 988, 987, 984, 981, 983, 982, 984, 987, 983, 984, 982, 983, 987, 987, 984, 981, 979, 980, 984,
        984, 981, 979, 977, 975, 976, 976, 976, 975, 972, 972, 971, 971, 968, 967, 965, 965, 964, 966, 964,
        961, 961, 961, 961, 962, 962, 959, 958, 959, 961, 963, 963, 966, 966, 969, 970, 975, 976, 974, 974,
        977, 980, 985, 986, 986, 986, 988, 992, 995, 994, 992, 992, 993, 995, 996, 992, 994, 989, 990, 992,
        992, 994, 993, 992, 990, 993, 993, 994, 991, 989, 991, 991, 992, 992, 988, 989, 987, 991, 994, 994,
        990, 987, 985, 986, 986, 987, 986, 982, 985, 986, 988, 983, 981, 979, 982, 983, 985, 984, 985, 982,
        981, 983, 987, 985, 985, 980, 980, 982, 981, 980, 980, 979, 982, 984, 982, 979, 978, 979, 980, 978,
        982, 981, 981, 978, 981, 980, 983, 983, 982, 981, 979, 981, 981, 981, 979, 979, 979, 983, 985, 982,
        982, 981, 977, 978, 980, 980, 978, 979, 978, 981, 985, 985, 986, 984, 985, 988, 990, 988, 989, 985,
        985, 990, 989, 989, 988, 987, 987, 989, 989, 989, 986, 983, 984, 983, 983, 981, 981, 979, 981, 982,
        984, 981, 979, 975, 975, 974, 979, 978, 977, 976, 977, 977, 980, 978, 976, 976, 975, 979, 979, 977,
        974, 970, 968, 966, 964, 958, 952, 953, 963
]

/// A scratch file path, removed by the caller.
private func temporaryPath(_ suffix: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("edf-\(UUID())\(suffix)").path
}

private func writeTemporary(_ base64: String, suffix: String) throws -> String {
    let path = temporaryPath(suffix)
    let data = try #require(Data(base64Encoded: base64))
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

/// A 16-bit EDF header for mitdb/100 ADC values: digital 0...2047 spans (0 - 1024)/200 to
/// (2047 - 1024)/200 mV, so digital values are the ADC values themselves.
private func mitdbHeader(reserved: String = "", recordDuration: Double = 0.25, samples: Int = 90,
                         annotations: Bool = false) -> EDFHeader {
    var signals = ["MLII", "V5"].map {
        EDFSignalHeader(label: $0, transducer: "AgAgCl electrode", physicalDimension: "mV", physicalMinimum: -5.12,
                        physicalMaximum: 5.115, digitalMinimum: 0, digitalMaximum: 2047,
                        prefiltering: "HP:0.1Hz LP:100Hz", samplesPerRecord: samples)
    }
    if annotations { signals.append(.annotationChannel(bytesPerRecord: 120)) }
    return EDFHeader(patient: "MCH-0234567 F 02-MAY-1951 Haagse_Harry",
                     recordingIdentification: "Startdate 02-MAR-2002 PSG-1234/2002 NN Telemetry03",
                     startTime: RecordingStartTime(year: 2002, month: 3, day: 2, hour: 16, minute: 15, second: 0),
                     reserved: reserved, dataRecordDuration: recordDuration, signals: signals)
}

@Suite("EDF, EDF+ and BDF")
struct EDFRecordingTests {
    @Test func readsPyedflibEDFPlus() throws {
        let path = try writeTemporary(pyedflibEDFPlus, suffix: ".edf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 8 Hz is below SamplingRate.supportedRange: refused by default, read on request.
        #expect(throws: FormatError.self) { try EDFRecording(path: path) }
        var recording = try EDFRecording(path: path, acceptedRates: 1...1000)
        #expect(recording.format == .edfPlus)
        #expect(recording.header.patient == "P100 X X Test_Patient")
        #expect(recording.header.recordingIdentification == "Startdate 05-MAR-2024 X X X")
        #expect(recording.startTime == RecordingStartTime(year: 2024, month: 3, day: 5, hour: 14, minute: 30, second: 15))
        #expect(recording.header.signals.map(\.label) == ["MLII", "V5", "EDF Annotations"])
        #expect(recording.header.signals[0].transducer == "AgAgCl")
        #expect(recording.header.signals[0].prefiltering == "HP:0.1Hz LP:100Hz")
        #expect(recording.leads.map(\.name) == ["MLII", "V5"])
        #expect(recording.leads.map(\.samplingFrequency) == [8, 4])
        #expect(recording.frameRate == 8)
        #expect(recording.frameCount == 24)
        #expect(recording.dataRecordCount == 3)
        #expect(recording.dataRecordStarts == [0, 1, 2])
        #expect(recording.gaps.isEmpty)
        #expect(recording.annotations == [
            EDFAnnotation(onset: 0.5, text: "Recording starts"),
            EDFAnnotation(onset: 1.25, duration: 0.5, text: "PVC"),
            EDFAnnotation(onset: 2, text: "(AFIB"),
        ])
        let frames = try recording.readFrames(maxFrames: 100)
        #expect(frames.count == 48)
        for frame in 0..<24 {
            #expect(abs(Double(frames[2 * frame]) - edfMLII[frame]) < 1e-6)
            // V5 at half the rate is held: frame j shows V5 sample j / 2.
            #expect(abs(Double(frames[2 * frame + 1]) - edfV5[frame / 2]) < 1e-6)
        }
        #expect(try recording.readDigital(signal: 0, records: 0..<3) == edfMLIIDigital)
        let v5 = try recording.readPhysical(signal: 1, records: 0..<3)
        #expect(zip(v5, edfV5).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func readsPyedflibBDFPlus() throws {
        let path = try writeTemporary(pyedflibBDFPlus, suffix: ".bdf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var recording = try EDFRecording(path: path, acceptedRates: 1...1000)
        #expect(recording.format == .bdf)
        #expect(recording.header.sampleFormat == .bdf)
        #expect(recording.header.version == "BIOSEMI")
        #expect(recording.header.signals[2].isAnnotationChannel)
        #expect(recording.annotations.map(\.text) == ["Recording starts", "PVC", "(AFIB"])
        #expect(try recording.readDigital(signal: 0, records: 0..<3) == bdfMLIIDigital)
        try recording.seek(toFrame: 9)
        let frames = try recording.readFrames(maxFrames: 15)
        #expect(frames.count == 30)
        for index in 0..<15 {
            #expect(abs(Double(frames[2 * index]) - bdfMLII[9 + index]) < 1e-6)
        }
    }

    @Test func writerRoundTripsMitdbSamples() throws {
        let path = temporaryPath(".edf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try EDFWriter(path: path, header: mitdbHeader())
        for record in 0..<4 {
            let range = (record * 90)..<((record + 1) * 90)
            try writer.appendRecord(digital: [Array(mitdb100MLII[range]), Array(mitdb100V5[range])])
        }
        try writer.finish()

        var recording = try EDFRecording(path: path)
        #expect(recording.format == .edf)
        #expect(recording.header.dataRecordCount == 4)
        #expect(recording.frameRate == 360)
        #expect(recording.frameCount == 360)
        #expect(recording.header.patient == "MCH-0234567 F 02-MAY-1951 Haagse_Harry")
        #expect(recording.startTime?.description == "2002-03-02 16:15:00")
        let lead = recording.leads[0]
        #expect(abs(lead.gain - 200) < 1e-9)
        #expect(abs(lead.baseline - 1024) < 1e-6)
        #expect(lead.adcRange == 0...2047)
        var frames = [Float](repeating: 0, count: 720)
        var read = 0
        while read < 360 {  // odd chunk sizes cross record boundaries
            let count = try frames.withUnsafeMutableBufferPointer {
                try recording.readFrames(into: UnsafeMutableBufferPointer(rebasing: $0[(2 * read)...]), maxFrames: 37)
            }
            #expect(count > 0)
            read += count
        }
        #expect(try recording.readFrames(maxFrames: 10).isEmpty)
        for frame in 0..<360 {
            #expect(abs(Double(frames[2 * frame]) - Double(mitdb100MLII[frame] - 1024) / 200) < 1e-6)
            #expect(abs(Double(frames[2 * frame + 1]) - Double(mitdb100V5[frame] - 1024) / 200) < 1e-6)
        }
        // Known values: mitdb/100 sample 77 is the first R peak, 1192 ADC = 0.84 mV.
        try recording.seek(toFrame: 77)
        let peak = try recording.readFrames(maxFrames: 1)
        #expect(abs(peak[0] - 0.84) < 1e-6)
        #expect(throws: FormatError.self) { try recording.seek(toFrame: 361) }
    }

    @Test func writerEDFPlusAnnotationsAndGaps() throws {
        let path = temporaryPath(".edf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = mitdbHeader(reserved: "EDF+D", recordDuration: 0.25, samples: 90, annotations: true)
        let writer = try EDFWriter(path: path, header: header)
        let starts = [0.0, 0.25, 10.0, 10.25]
        for record in 0..<4 {
            let range = (record * 90)..<((record + 1) * 90)
            let events = record == 2 ? [EDFAnnotation(onset: 10.1, duration: 0.2, text: "Electrode reattached")] : []
            try writer.appendRecord(physical: [range.map { Double(mitdb100MLII[$0] - 1024) / 200 },
                                               range.map { Double(mitdb100V5[$0] - 1024) / 200 }],
                                    annotations: events, recordStart: starts[record])
        }
        try writer.finish()

        var recording = try EDFRecording(path: path)
        #expect(recording.format == .edfPlus)
        #expect(recording.header.isDiscontinuous)
        #expect(recording.leads.count == 2)
        #expect(recording.dataRecordStarts == starts)
        #expect(recording.gaps == [EDFGap(frame: 180, startSeconds: 0.5, durationSeconds: 9.5)])
        #expect(recording.annotations == [EDFAnnotation(onset: 10.1, duration: 0.2, text: "Electrode reattached")])
        #expect(abs(recording.secondsFromStart(ofFrame: 180) - 10) < 1e-12)
        #expect(abs(recording.secondsFromStart(ofFrame: 271) - (10.25 + 1.0 / 360)) < 1e-12)
        try recording.seek(toFrame: 200)
        let frames = try recording.readFrames(maxFrames: 3)
        let expected = (200..<203).map { Float(Double(mitdb100MLII[$0] - 1024) / 200) }
        #expect([frames[0], frames[2], frames[4]] == expected)
    }

    @Test func headerNumbersFitTheirFields() {
        #expect(EDFHeader.fieldText(-5.12, width: 8) == "-5.12")
        #expect(EDFHeader.fieldText(1.0 / 3, width: 8) == "0.333333")
        #expect(EDFHeader.fieldText(-32768, width: 8) == "-32768")
        #expect(EDFHeader.fieldText(123456789, width: 8) == nil)
        #expect(EDFHeader.fieldText(-1234.56789, width: 8) == "-1234.57")
    }
}

@Suite("EDF: damaged headers and data")
struct EDFHostileTests {
    /// A valid two-signal EDF file's bytes (header 768 bytes, 4 records of 360 bytes).
    private func validFile() throws -> [UInt8] {
        let path = temporaryPath(".edf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try EDFWriter(path: path, header: mitdbHeader())
        for record in 0..<4 {
            let range = (record * 90)..<((record + 1) * 90)
            try writer.appendRecord(digital: [Array(mitdb100MLII[range]), Array(mitdb100V5[range])])
        }
        try writer.finish()
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func openError(_ bytes: [UInt8]) throws -> FormatError? {
        let path = temporaryPath(".edf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try EDFRecording(path: path)
            return nil
        } catch let error as FormatError {
            return error
        }
    }

    private func patched(_ bytes: [UInt8], at offset: Int, _ text: String) -> [UInt8] {
        var copy = bytes
        let field = Array(text.utf8)
        copy.replaceSubrange(offset..<(offset + field.count), with: field)
        return copy
    }

    @Test func validFileOpens() throws {
        let bytes = try validFile()
        #expect(bytes.count == 768 + 4 * 360)
        #expect(try openError(bytes) == nil)
    }

    @Test func nonNumericAndNegativeFields() throws {
        let bytes = try validFile()
        #expect(try openError(patched(bytes, at: 252, "x2  "))?.byteOffset == 252)         // signal count
        #expect(try openError(patched(bytes, at: 236, "-5      "))?.byteOffset == 236)     // record count
        #expect(try openError(patched(bytes, at: 244, "abc     "))?.byteOffset == 244)     // record duration
        #expect(try openError(patched(bytes, at: 184, "1024    "))?.byteOffset == 184)     // header size
        #expect(try openError(patched(bytes, at: 168, "32.13.02"))?.byteOffset == 168)     // start date
        #expect(try openError(patched(bytes, at: 256 + 104 * 2, "nan     "))?.byteOffset == 256 + 104 * 2)
        #expect(try openError(patched(bytes, at: 256 + 216 * 2, "-90     "))?.byteOffset == 256 + 216 * 2)
        #expect(try openError(patched(bytes, at: 256 + 128 * 2 + 8, "0       "))?.byteOffset == 256 + 128 * 2 + 8)
        #expect(try openError(patched(bytes, at: 0, "1       "))?.byteOffset == 0)          // version
    }

    @Test func truncatedFiles() throws {
        let bytes = try validFile()
        let shortData = try openError(Array(bytes.prefix(768 + 3 * 360 + 100)))
        #expect(shortData?.byteOffset == 768 + 3 * 360 + 100)
        #expect(shortData?.message.contains("3 complete data records") == true)
        #expect(try openError(Array(bytes.prefix(600)))?.byteOffset == 600)
        #expect(try openError(Array(bytes.prefix(100)))?.byteOffset == 100)
        #expect(try openError([]) != nil)
    }

    @Test func randomHeadersNeverCrash() throws {
        let bytes = try validFile()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var copy = bytes
            for _ in 0..<4 {
                copy[Int.random(in: 0..<768, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? openError(copy)
        }
    }
}
