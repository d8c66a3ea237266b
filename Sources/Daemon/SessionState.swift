/// What the daemon's processing thread remembers of the session for status lines and the
/// termination event.
struct SessionState {
    /// Latest heart rate from the beat tokens.
    var heartRate: Double?
    /// True between an AF onset and offset alert.
    var inAF = false
    /// Signal time of the open episode's first beat.
    var episodeStartSeconds: Double?
    /// Events raised.
    var events = 0
    /// The last STATUS sent to systemd.
    var lastStatus = ""

    /// `rhythm AF, HR 92 bpm`, as `systemctl status` shows it.
    var statusText: String {
        let rhythm = inAF ? "rhythm AF" : "rhythm no AF"
        guard let heartRate else { return "\(rhythm), HR -- (waiting for beats)" }
        return "\(rhythm), HR \(Int(heartRate.rounded())) bpm"
    }
}
