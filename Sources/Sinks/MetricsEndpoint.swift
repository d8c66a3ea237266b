import Foundation
import Hummingbird
import Logging
import NIOCore

/// The Prometheus endpoint: `GET /metrics` (text format 0.0.4) served by Hummingbird on swift-nio,
/// so that any number of scrapers, or a client that trickles its request a byte a second, are
/// served side by side and none can hold the endpoint for the others. An idle connection is
/// closed after `idleTimeout`.
///
/// The daemon's processing runs on threads of its own; the server runs on swift-nio's event loops
/// and in a task on a thread of its own (`ThreadTaskExecutor`), started by `init` (which returns
/// once the port is bound, or throws) and ended by `stop()`.
public final class MetricsEndpoint: @unchecked Sendable {
    // @unchecked: `task` is set once in init before the endpoint is shared, then only read.
    private var task: Task<Void, Never>?
    private let finished = DispatchSemaphore(value: 0)
    /// The TCP port listened on (useful when 0 was asked for).
    public let port: Int
    /// How long a connection may stay idle before it is closed.
    public static let idleTimeout: TimeAmount = .seconds(10)

    /// Listens on `address` (`HOST:PORT`, normally `127.0.0.1:9464`) and serves `render()`.
    public init(address: String, render: @escaping @Sendable () -> String) throws {
        let (host, requestedPort) = try SocketAddress.splitHostPort(address)
        let router = Router()
        router.get("metrics") { _, _ in Self.metricsResponse(render()) }
        router.head("metrics") { _, _ in Response(status: .ok, headers: [.contentType: Self.contentType]) }
        var logger = Logger(label: "beatmon.metrics")
        logger.logLevel = .critical
        let started = StartReport()
        let app = Application(
            router: router, server: .http1(configuration: .init(idleTimeout: Self.idleTimeout)),
            configuration: .init(address: .hostname(host, port: requestedPort), serverName: nil),
            onServerRunning: { channel in started.report(port: channel.localAddress?.port, error: nil) },
            logger: logger)
        let finished = self.finished
        let executor = ThreadTaskExecutor(name: "beatmon-metrics")
        task = Task(executorPreference: executor) {
            do {
                try await app.run()
            } catch {
                started.report(port: nil, error: error)
            }
            started.report(port: nil, error: SocketError("metrics endpoint on \(address) stopped"))
            executor.shutdown()
            finished.signal()
        }
        let (port, error) = started.wait()
        guard let port else {
            task?.cancel()
            finished.wait()
            throw SocketError("listen on \(address): \(error.map { "\($0)" } ?? "failed")")
        }
        self.port = port
    }

    /// Stops listening and waits for the server to end.
    public func stop() {
        guard let task else { return }
        self.task = nil
        task.cancel()
        finished.wait()
    }

    private static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private static func metricsResponse(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The first of "bound on this port" or "failed", handed from the server task to `init`.
    private final class StartReport: @unchecked Sendable {
        // @unchecked: every stored property is guarded by `lock`.
        private let lock = NSLock()
        private let ready = DispatchSemaphore(value: 0)
        private var reported = false
        private var port: Int?
        private var error: Error?

        func report(port: Int?, error: Error?) {
            lock.lock()
            defer { lock.unlock() }
            guard !reported else { return }
            reported = true
            self.port = port
            self.error = error
            ready.signal()
        }

        func wait() -> (Int?, Error?) {
            ready.wait()
            lock.lock()
            defer { lock.unlock() }
            return (port, error)
        }
    }
}
