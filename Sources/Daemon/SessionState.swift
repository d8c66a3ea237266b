import MonitorCore
import RhythmAnalysis

/// What systemd is told of the session (`systemctl status`: rhythm and heart rate), kept as a
/// sink of the session, and the daemon's state moved on as the source opens and closes.
final class SessionState: MonitorSink {
    /// Latest heart rate from the beat tokens.
    private(set) var heartRate: Double?
    /// True between an AF onset and offset alert.
    private(set) var inAF = false
    private var lastStatus = ""
    private let ready: (String) -> Void
    private let send: (String) -> Void
    private let moved: (SessionEvent.Kind) -> Void

    /// `ready` says READY with the first status once the source is open; `send` delivers a STATUS
    /// line; `moved` hears of the session's events (the source opening and closing).
    init(ready: @escaping (String) -> Void, send: @escaping (String) -> Void, moved: @escaping (SessionEvent.Kind) -> Void) {
        self.ready = ready
        self.send = send
        self.moved = moved
    }

    var name: String { "status" }

    func consume(_ output: PipelineOutput) {
        switch output {
        case .token(let token):
            if let rate = token.heartRate, rate.isFinite { heartRate = rate }
        case .event(let event) where event.kind == .atrialFibrillationOnset || event.kind == .atrialFibrillationOffset:
            inAF = event.kind == .atrialFibrillationOnset
            // A rhythm change is news for `systemctl status` at once.
            sendStatus()
        case .event, .beat:
            break
        }
    }

    func record(_ event: SessionEvent) {
        if event.kind == .monitoringStoppedDuringAF { inAF = false }
        moved(event.kind)
        if event.kind == .sourceConnected {
            lastStatus = statusText
            ready(lastStatus)
        }
    }

    /// Sends the status line if it changed.
    func sendStatus() {
        let text = statusText
        guard text != lastStatus else { return }
        lastStatus = text
        send(text)
    }

    /// `rhythm AF, HR 92 bpm`, as `systemctl status` shows it.
    var statusText: String {
        let rhythm = inAF ? "rhythm AF" : "rhythm no AF"
        guard let heartRate else { return "\(rhythm), HR -- (waiting for beats)" }
        return "\(rhythm), HR \(Int(heartRate.rounded())) bpm"
    }
}
