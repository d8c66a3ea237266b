import Foundation
import MonitorCore
import RhythmAnalysis

/// A progress bar on stderr for long replays: share done, elapsed time, speed in x real time; a
/// session sink, so that each alarm is named as it is raised.
final class ReplayProgress: MonitorSink {
    let totalFrames: Int?
    let frameRate: Double
    let enabled: Bool
    private var lastDraw = -1.0
    private var drawn = false

    init(totalFrames: Int?, frameRate: Double, enabled: Bool) {
        self.totalFrames = totalFrames
        self.frameRate = frameRate
        // Only on a terminal: logs and pipes get the summary alone.
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    var name: String { "progress" }

    func consume(_ output: PipelineOutput) {
        if case .event(let event) = output { note(event) }
    }

    func update(frames: Int, elapsed: Double) {
        guard enabled, elapsed - lastDraw >= 0.2 else { return }
        lastDraw = elapsed
        let recorded = Double(frames) / frameRate
        var line = "\r"
        if let totalFrames, totalFrames > 0 {
            let share = min(1, Double(frames) / Double(totalFrames))
            let filled = Int(share * 30)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled) + "] "
            line += String(format: "%3.0f%% ", share * 100)
        }
        line += "\(RecordInfo.clock(recorded)) in \(String(format: "%.1f", elapsed)) s, "
        line += String(format: "%.0fx real time ", recorded / max(elapsed, 1e-9))
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func note(_ event: RhythmEvent) {
        guard enabled else { return }
        let text = (drawn ? "\n" : "") + "\(event.kind.rawValue) at \(RecordInfo.clock(event.boundarySeconds))\n"
        FileHandle.standardError.write(Data(text.utf8))
        drawn = false
    }

    func finish() {
        if enabled && drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
