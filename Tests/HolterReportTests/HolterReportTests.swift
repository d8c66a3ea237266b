import ECGFormats
import Foundation
import HolterReport
import RhythmAnalysis
import TestSupport
import Testing

@Suite("Holter report on the mitdb 202 excerpt")
struct HolterReportTests {
    let fixture: ReportFixture
    let rate = 360.0

    init() throws { fixture = try ReportFixture(path: ReportFixture.excerpt) }

    @Test func eventsAndEpisodesAreThePipelines() throws {
        let report = fixture.report
        #expect(report.events.map(\.kind) == fixture.events.map(\.kind.rawValue))
        #expect(report.events.map(\.alertSeconds) == fixture.events.map(\.alertSeconds))
        let episodes = AFEpisode.episodes(from: fixture.events)
        #expect(!episodes.isEmpty, "the excerpt holds an AF onset")
        #expect(report.episodes.count == episodes.count)
        for (shown, raised) in zip(report.episodes, episodes) {
            #expect(shown.startSample == raised.start)
            #expect(shown.endSample == raised.end ?? Int64(report.durationSeconds * rate))
            #expect(shown.isOpen == (raised.end == nil))
        }
        let onsets = fixture.events.filter { $0.kind == .atrialFibrillationOnset }
        #expect(report.episodes.map(\.onsetScore) == onsets.map { $0.evidence?.score })
        #expect(report.episodes.map(\.decidedBy) == onsets.map { $0.evidence?.decidedBy.rawValue })
        #expect(report.episodes.map(\.onsetAFProbability) == onsets.map { $0.evidence?.model?.afProbability })
    }

    @Test func afEpisodeMatchesTheReferenceAnnotations() throws {
        // The cardiologists' (AFIB rhythm change in 202x.atr: the report's episode must cover it.
        let reference = try WFDBAnnotationFile.read(path: ReportFixture.excerpt + ".atr")
        let afib = try #require(reference.first { String(decoding: $0.aux, as: UTF8.self).hasPrefix("(AFIB") })
        let episode = try #require(fixture.report.episodes.first)
        #expect(abs(episode.startSeconds - Double(afib.sample) / rate) < 30)
    }

    @Test func burdenIsEpisodeTimeOverAnalysableTime() {
        let report = fixture.report
        #expect(report.durationSeconds == 360)
        #expect(report.unreadable.isEmpty, "the excerpt is clean throughout")
        #expect(report.analysableSeconds == report.durationSeconds)
        let episodeSeconds = report.episodes.reduce(0.0) { $0 + $1.durationSeconds }
        #expect(abs(report.afSeconds - episodeSeconds) < 1e-9)
        #expect(abs(report.afBurdenPercent - 100 * episodeSeconds / report.analysableSeconds) < 1e-9)
        #expect(report.longestEpisode == 0)
    }

    @Test func heartRateIsConsistentWithTheBeats() throws {
        let report = fixture.report
        #expect(report.beats == fixture.beats.count)
        let intervals = fixture.readableIntervals(frameRate: rate)
        let mean = 60 * Double(intervals.count) / intervals.reduce(0) { $0 + $1.seconds }
        let heartRate = try #require(report.heartRate)
        #expect(abs(heartRate.mean - mean) < 0.05)
        // Per-minute medians recomputed from the beats.
        for (minute, shown) in report.minuteHeartRates.enumerated() {
            var rates = intervals.filter { Int(Double($0.end) / rate) / 60 == minute }.map { 60 / $0.seconds }.sorted()
            guard rates.count >= 10 else { #expect(shown == nil); continue }
            let middle = rates.count / 2
            let median = rates.count % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2
            #expect(abs((shown ?? 0) - median) < 1e-6, "minute \(minute)")
            rates.removeAll()
        }
        let medians = report.minuteHeartRates.compactMap { $0 }
        #expect(heartRate.minimum == medians.min())
        #expect(heartRate.maximum == medians.max())
        #expect(heartRate.minimum <= heartRate.mean && heartRate.mean <= heartRate.maximum)
        // AF in 202 is fast: the episode's rate is above the sinus minutes before it.
        let episodeRate = try #require(report.episodes.first?.meanHeartRate)
        #expect(episodeRate > medians[0])
    }

    @Test func htmlIsSelfContainedAndHoldsAStripPerOnset() {
        let html = fixture.html
        func count(_ needle: String) -> Int { html.components(separatedBy: needle).count - 1 }
        for tag in ["svg", "table", "section", "figure", "html", "body"] {
            #expect(count("<\(tag)") == count("</\(tag)>"), "<\(tag)> balanced")
        }
        let onsets = fixture.events.filter { $0.kind == .atrialFibrillationOnset }.count
        let strips = fixture.result.strips
        let onsetStrips = strips.filter { $0.episode >= 0 }
        #expect(Set(onsetStrips.map(\.episode)) == Set(0..<onsets), "every onset has its strips")
        #expect(onsetStrips.count >= onsets && onsetStrips.count <= 2 * onsets)
        #expect(count("<svg class=\"strip\"") == strips.count)
        for index in 1...strips.count { #expect(html.contains("id=\"strip-\(index)\"")) }
        for external in ["http:", "https:", "<script", " src=", "@import", "//"] {
            #expect(!html.contains(external), "no \(external)")
        }
        #expect(!html.contains("url(") || !html.replacingOccurrences(of: "url(#", with: "").contains("url("))
    }

    @Test func stripShowsTheDecidingBeatsAndItsSamples() throws {
        let strip = try #require(fixture.result.strips.last { $0.episode == 0 }, "the deciding-beats strip comes last")
        #expect(strip.samples.count == 2)
        #expect(strip.samples.allSatisfy { $0.count == strip.frameCount && $0.allSatisfy(\.isFinite) })
        #expect(Double(strip.frameCount) / rate == 10)
        let onset = try #require(fixture.events.first { $0.kind == .atrialFibrillationOnset })
        // The beats that drove the alert: BEAT-Net's most attended ones when it decided, in time order.
        let evidence = try #require(onset.evidence)
        #expect(strip.decidingBeats == evidence.drivingBeats.sorted())
        if evidence.decidedBy == .beatNet { #expect(strip.decidingBeats.count == 5) }
        let range = Int64(strip.startFrame)..<Int64(strip.startFrame + strip.frameCount)
        // The strip ends 2 s after the latest of them.
        let latest = try #require(strip.decidingBeats.last)
        #expect(range.contains(latest) && Int64(strip.startFrame + strip.frameCount) - latest == Int64(2 * rate))
        // Every detected beat in the strip's span is marked, and only those.
        #expect(strip.beats == fixture.beats.map(\.sample).filter { range.contains($0) })
        // The samples are the recording's own at that place.
        var recording = try WFDBRecord(path: ReportFixture.excerpt)
        try recording.seek(toFrame: strip.startFrame)
        let frames = try recording.readFrames(maxFrames: 4)
        #expect(strip.samples[0][0...3] == [frames[0], frames[2], frames[4], frames[6]][...])
    }
}
