import BeatTokens
import ECGFormats
import Foundation
import HolterReport
import MonitorCore
import Testing
import TestSupport

/// The report's ectopy, pause and HRV figures from the reference beats of real records, each
/// recomputed here by a plain batch method and compared with the builder's streaming one.
@Suite struct HolterFiguresTests {
    /// The reference beats of a mitdb record (sample, EC57 class), as tokens reach the builder.
    static func referenceBeats(_ name: String) throws -> (rate: Double, beats: [(Int64, BeatClass)], frames: Int)? {
        guard let path = SharedData.record("mitdb", name), FileManager.default.fileExists(atPath: path + ".atr") else { return nil }
        let header = try WFDBHeader(contentsOfFile: path + ".hea")
        let beats = try WFDBAnnotationFile.read(path: path + ".atr").compactMap { annotation -> (Int64, BeatClass)? in
            guard let beatClass = BeatClass(mitLabel: annotation.code.mnemonic) else { return nil }
            return (annotation.sample, beatClass)
        }
        return (header.samplingFrequency, beats, header.sampleCount ?? 0)
    }

    static func report(_ rate: Double, _ beats: [(Int64, BeatClass)], frames: Int) -> HolterReport {
        var builder = HolterReportBuilder(frameRate: rate)
        for (number, beat) in beats.enumerated() {
            let token = BeatToken(beatNumber: number, rSample: Int(beat.0), rSeconds: Double(beat.0) / rate,
                                  previousRRSeconds: nil, nextRRSeconds: nil, heartRate: nil, quality: [], leadNames: [],
                                  leadAmplitudes: [], morphology: [], beatClass: beat.1)
            builder.consume(.token(token))
        }
        return builder.finish(record: "ref", format: "wfdb", leads: [], startTime: nil, frames: frames).report
    }

    /// Runs of one class in a label sequence, by plain grouping.
    static func runLengths(_ classes: [BeatClass], of origin: BeatClass) -> [Int] {
        var runs: [Int] = [], current = 0
        for beatClass in classes {
            if beatClass == origin { current += 1 } else if current > 0 { runs.append(current); current = 0 }
        }
        if current > 0 { runs.append(current) }
        return runs
    }

    @Test(arguments: ["100", "106", "124", "200", "201", "209", "213", "214", "221", "223", "233"])
    func ectopyCountsAgreeWithTheReferenceLabels(_ name: String) throws {
        guard let record = try Self.referenceBeats(name) else {
            print("skipped: mitdb/\(name) is not in ../shared/data")
            return
        }
        let report = Self.report(record.rate, record.beats, frames: record.frames)
        let classes = record.beats.map(\.1)
        for (origin, figures) in [(BeatClass.ventricular, report.ectopy.ventricular),
                                  (.supraventricular, report.ectopy.supraventricular)] {
            let runs = Self.runLengths(classes, of: origin)
            #expect(figures.total == classes.filter { $0 == origin }.count, "\(name) \(origin) total")
            #expect(figures.isolated == runs.filter { $0 == 1 }.count, "\(name) \(origin) isolated")
            #expect(figures.couplets == runs.filter { $0 == 2 }.count, "\(name) \(origin) couplets")
            #expect(figures.runs == runs.filter { $0 >= 3 }.count, "\(name) \(origin) runs")
            #expect(figures.longestRun == (runs.filter { $0 >= 3 }.max() ?? 0), "\(name) \(origin) longest")
        }
        // Hourly VE and SVE add up to the totals.
        #expect(report.hourly.reduce(0) { $0 + $1.ventricular } == report.ectopy.ventricular.total)
        #expect(report.hourly.reduce(0) { $0 + $1.supraventricular } == report.ectopy.supraventricular.total)
    }

    @Test func bigeminyInRecord200IsFoundAndTrigeminyIsCountedApart() throws {
        guard let record = try Self.referenceBeats("200") else {
            print("skipped: mitdb/200 is not in ../shared/data")
            return
        }
        let report = Self.report(record.rate, record.beats, frames: record.frames)
        // 200's reference rhythm annotations mark ventricular bigeminy `(B` episodes.
        let path = try #require(SharedData.record("mitdb", "200"))
        let bigeminy = try WFDBAnnotationFile.read(path: path + ".atr").filter { $0.auxText == "(B" }.count
        #expect(bigeminy > 0)
        #expect(report.ectopy.ventricular.bigeminyEpisodes >= bigeminy / 2,
                "\(report.ectopy.ventricular.bigeminyEpisodes) episodes, reference marks \(bigeminy)")
    }

    @Test func syntheticSequencesGiveTheTextbookCounts() {
        // N V N V N V N N N: bigeminy (3 V each after one N); then N N V ×3: trigeminy; a couplet; a run of 4.
        let text = "NVNVNVNNN" + "NNVNNVNNV" + "NNNVVNNN" + "VVVVN"
        var counter = EctopyCounter(sampleRate: 1)
        for (index, letter) in text.enumerated() {
            counter.beat(at: Int64(index), role: letter == "V" ? .ectopic : .normal)
        }
        counter.finish()
        let figures = counter.figures
        #expect(figures.total == text.filter { $0 == "V" }.count)
        #expect(figures.isolated == 6 && figures.couplets == 1 && figures.runs == 1 && figures.longestRun == 4)
        #expect(figures.bigeminyEpisodes == 1)
        #expect(figures.trigeminyEpisodes == 1)
        #expect(figures.fastestRunBPM == 60)
    }

    @Test func pausesAreFoundExactlyWhereTheReferenceHasThem() throws {
        var checked = 0
        for name in ["100", "106", "200", "201", "213", "221"] {
            guard let record = try Self.referenceBeats(name) else { continue }
            checked += 1
            let report = Self.report(record.rate, record.beats, frames: record.frames)
            let intervals = zip(record.beats.dropFirst(), record.beats).map { Double($0.0.0 - $0.1.0) / record.rate }
            let expected = intervals.filter { $0 >= 2 }
            #expect(report.pauses.count == expected.count, "mitdb/\(name)")
            #expect(report.pauses.longestSeconds == expected.max(), "mitdb/\(name)")
            #expect(report.hourly.reduce(0) { $0 + $1.pauses } == report.pauses.count)
        }
        if checked == 0 { print("skipped: no mitdb record in ../shared/data") }
    }

    @Test func hrvEqualsTheBatchFormulasOnTheSameNNIntervals() throws {
        guard let record = try Self.referenceBeats("201") else {
            print("skipped: mitdb/201 is not in ../shared/data")
            return
        }
        let report = Self.report(record.rate, record.beats, frames: record.frames)
        let hrv = try #require(report.hrv)
        // N–N intervals and successive differences, batch.
        var nn: [(start: Int64, end: Int64, ms: Double)] = []
        for (previous, beat) in zip(record.beats, record.beats.dropFirst())
        where previous.1 == .normal && beat.1 == .normal && Double(beat.0 - previous.0) / record.rate <= 3 {
            nn.append((previous.0, beat.0, Double(beat.0 - previous.0) / record.rate * 1000))
        }
        let mean = nn.map(\.ms).reduce(0, +) / Double(nn.count)
        let sdnn = (nn.map { ($0.ms - mean) * ($0.ms - mean) }.reduce(0, +) / Double(nn.count - 1)).squareRoot()
        let differences = zip(nn, nn.dropFirst()).filter { $0.0.end == $0.1.start }.map { $0.1.ms - $0.0.ms }
        let rmssd = (differences.map { $0 * $0 }.reduce(0, +) / Double(differences.count)).squareRoot()
        let pnn50 = 100 * Double(differences.filter { abs($0) > 50 + 1e-6 }.count) / Double(differences.count)
        #expect(hrv.nnIntervals == nn.count)
        #expect(abs(hrv.meanNNMs - mean) < 1e-6)
        #expect(abs((hrv.sdnnMs ?? 0) - sdnn) < 1e-6)
        #expect(abs((hrv.rmssdMs ?? 0) - rmssd) < 1e-6)
        #expect(abs((hrv.pnn50 ?? 0) - pnn50) < 1e-9)
        // 30 minutes: six 5-minute segments.
        #expect(hrv.sdannMs != nil && hrv.sdnnIndexMs != nil)
    }

    @Test func theJSONNamesAreTheContract() throws {
        guard let record = try Self.referenceBeats("201") else {
            print("skipped: mitdb/201 is not in ../shared/data")
            return
        }
        let data = try JSONEncoder().encode(Self.report(record.rate, record.beats, frames: record.frames))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let ectopy = try #require(json["ectopy"] as? [String: Any])
        for origin in ["ventricular", "supraventricular"] {
            let figures = try #require(ectopy[origin] as? [String: Any], "\(origin)")
            for key in ["total", "isolated", "couplets", "runs", "longestRun", "bigeminyEpisodes", "trigeminyEpisodes"] {
                #expect(figures[key] is Int, "ectopy.\(origin).\(key)")
            }
        }
        let pauses = try #require(json["pauses"] as? [String: Any])
        #expect(pauses["count"] is Int && pauses["longestSeconds"] is Double)
        let heartRate = try #require(json["heartRate"] as? [String: Any])
        for key in ["min", "max", "mean"] { #expect(heartRate[key] is Double, "heartRate.\(key)") }
        let hrv = try #require(json["hrv"] as? [String: Any])
        for key in ["sdnnMs", "sdannMs", "sdnnIndexMs", "rmssdMs", "pnn50"] { #expect(hrv[key] is Double, "hrv.\(key)") }
        let hourly = try #require(json["hourly"] as? [[String: Any]])
        #expect(hourly.count == 1)
    }
}
