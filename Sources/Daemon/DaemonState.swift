/// Where the daemon is in its one life, as swift-service-lifecycle's `ServiceGroup` keeps its
/// state: each step is checked, so a stop that races the start, or a second `run()`, is a
/// decision, not an accident.
///
/// ```
/// idle ──run()──▶ starting ──source open──▶ running ──stop / end of source──▶ draining ──▶ stopped
///                    └──────────── source cannot be opened, bad leads ───────────────────▶ stopped
/// ```
public enum DaemonState: String, Sendable, Equatable {
    /// Made, not yet run.
    case idle
    /// Sinks opening, the source opening.
    case starting
    /// Frames flowing through the pipeline into the sinks.
    case running
    /// The source is closed or ended: the pipeline is flushed, an open AF episode closed, the
    /// sinks drained.
    case draining
    /// Done; `run()` has returned or is returning.
    case stopped

    /// True when the daemon may go from this state to `next`.
    public func canMove(to next: DaemonState) -> Bool {
        switch (self, next) {
        case (.idle, .starting), (.starting, .running), (.starting, .stopped), (.running, .draining),
             (.draining, .stopped):
            true
        default:
            false
        }
    }
}

/// How `beatmon run` ends, for systemd and scripts (docs/daemon.md, "Exit status"). The most
/// serious applies when several do.
public enum DaemonExitStatus: Int32, Sendable, Equatable {
    /// Stopped on request or at the end of a file, every sink fine.
    case clean = 0
    /// The source failed or could not be opened (systemd's Restart=on-failure restarts it).
    case sourceFailed = 1
    /// A write to the JSON event log failed: an alarm may be missing from the local record.
    case eventLogFailed = 3
    /// A sink received nothing: every delivery to a syslog target failed or was dropped, or every
    /// write of a local sink failed.
    case sinkLost = 4
}
