import Foundation
import MonitorCore
import RhythmAnalysis

/// The lines `beatmon replay` ends with: what a clinician asks first about a recording, from the
/// session's one summary (`RhythmSummary`: heart rate over readable RR intervals, AF burden over
/// analysable time, as the report gives them).
struct ReplaySummary {
    var record: String
    var result: MonitorSession.Result

    var text: String {
        let figures = result.summary
        let seconds = figures.durationSeconds
        let wallSeconds = result.wallSeconds
        var lines = ["\(record): \(RecordInfo.clock(seconds)) analysed in \(String(format: "%.2f", wallSeconds)) s "
                     + "(\(String(format: "%.0f", seconds / max(wallSeconds, 1e-9)))x real time)"]
        lines.append("  beats: \(figures.beats), mean heart rate: " + (figures.meanHeartRate.map { String(format: "%.0f bpm", $0) } ?? "-")
                     + " (readable RR intervals), analysable: \(RecordInfo.clock(figures.analysableSeconds))")
        lines.append("  AF episodes: \(figures.episodes.count), AF burden: " + String(format: "%.1f%%", figures.afBurdenPercent)
                     + " of analysable time" + (figures.longestEpisodeSeconds.map { ", longest \(RecordInfo.clock($0))" } ?? ""))
        let deciders = figures.events.compactMap { $0.evidence?.decidedBy }
        let byModel = deciders.filter { $0 == .beatNet }.count
        lines.append("  rhythm decided by: " + (result.modelWindows.map { "BEAT-Net (\($0) windows)" } ?? "RR intervals only")
                     + (deciders.isEmpty ? "" : "; AF alerts: \(byModel) by BEAT-Net, \(deciders.count - byModel) by RR intervals"))
        let unreadable = figures.events.filter { $0.kind == .signalUnreadable }.count
        if unreadable > 0 { lines.append("  signal-unreadable alerts: \(unreadable)") }
        if result.droppedTokens > 0 { lines.append("  tokens dropped (consumer behind): \(result.droppedTokens)") }
        return lines.joined(separator: "\n")
    }
}
