import Foundation
import RhythmAnalysis

/// The lines `beatmon replay` ends with: what a clinician asks first about a recording.
struct ReplaySummary {
    var record: String
    var frames: Int
    var frameRate: Double
    var beats: Int
    var meanRR: Double?
    var events: [RhythmEvent]
    var wallSeconds: Double
    var droppedTokens: Int
    /// Windows BEAT-Net classified; nil when no model ran.
    var modelWindows: Int?

    var text: String {
        let seconds = Double(frames) / frameRate
        let episodes = AFEpisode.episodes(from: events)
        let afSeconds = episodes.reduce(0.0) { $0 + Double($1.durationSamples(ongoingUntil: Int64(frames))) / frameRate }
        let longest = episodes.map { Double($0.durationSamples(ongoingUntil: Int64(frames))) / frameRate }.max()
        var lines = ["\(record): \(RecordInfo.clock(seconds)) analysed in \(String(format: "%.2f", wallSeconds)) s "
                     + "(\(String(format: "%.0f", seconds / max(wallSeconds, 1e-9)))x real time)"]
        lines.append("  beats: \(beats), mean heart rate: " + (meanRR.map { String(format: "%.0f bpm", 60 / $0) } ?? "-"))
        lines.append("  AF episodes: \(episodes.count), AF burden: " + String(format: "%.1f%%", seconds > 0 ? 100 * afSeconds / seconds : 0)
                     + (longest.map { ", longest \(RecordInfo.clock($0))" } ?? ""))
        let deciders = events.compactMap { $0.evidence?.decidedBy }
        let byModel = deciders.filter { $0 == .beatNet }.count
        lines.append("  rhythm decided by: " + (modelWindows.map { "BEAT-Net (\($0) windows)" } ?? "RR intervals only")
                     + (deciders.isEmpty ? "" : "; AF alerts: \(byModel) by BEAT-Net, \(deciders.count - byModel) by RR intervals"))
        let unreadable = events.filter { $0.kind == .signalUnreadable }.count
        if unreadable > 0 { lines.append("  signal-unreadable alerts: \(unreadable)") }
        if droppedTokens > 0 { lines.append("  tokens dropped (consumer behind): \(droppedTokens)") }
        return lines.joined(separator: "\n")
    }
}
