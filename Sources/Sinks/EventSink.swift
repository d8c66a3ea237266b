/// A consumer of daemon events that may be slow or fail (a remote collector). It is only ever
/// called from one thread, the one that drains its `QueuedEventSink`, so it needs no locking.
public protocol EventSink: AnyObject {
    /// A short name for logs and metrics labels (`syslog:udp:10.0.0.5:514`).
    var name: String { get }
    /// Delivers one event; throwing counts a failure and the event is lost for this sink only.
    func deliver(_ event: MonitorEvent) throws
    /// Releases the sink's resources; called once, after the last delivery.
    func close()
}
