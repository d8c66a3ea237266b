import Foundation
import Hummingbird
import Logging
import NIOCore
import Sinks

/// beatmon's one HTTP server: `GET /metrics` (Prometheus text format 0.0.4), the live bedside page
/// (`/`, `/api/status`, `/api/stream`, `/api/acknowledge`) when a `LiveBoard` is given, and the
/// review station (`/review`, `/api/records…`) when a `ReviewLibrary` is given. Hummingbird on
/// swift-nio, so any number of clients (scrapers, browsers, a client that trickles its request a
/// byte a second) are served side by side and none can hold the server for the others; an idle
/// connection is closed after `idleTimeout`.
///
/// The monitor's processing runs on threads of its own; the server runs on swift-nio's event loops
/// and in a task on a thread of its own (`ThreadTaskExecutor`), started by `init` (which returns
/// once the port is bound, or throws) and ended by `stop()`. Nothing the server does makes the
/// monitor wait: the live page's clients are fed through bounded buffers (`LiveBoard`).
public final class WebServer: @unchecked Sendable {
    // @unchecked: `task` is set once in init before the server is shared, then only read.
    private var task: Task<Void, Never>?
    private let finished = DispatchSemaphore(value: 0)
    /// The TCP port listened on (useful when 0 was asked for).
    public let port: Int
    /// How long a connection may stay idle between requests before it is closed.
    public static let idleTimeout: TimeAmount = .seconds(10)

    /// Where the server listens and who may use it (`[http]` in the daemon's TOML, `--http`).
    public struct Configuration: Sendable, Equatable {
        /// `HOST:PORT`; loopback by default.
        public var address: String
        /// The access token every request must carry (`Authorization: Bearer TOKEN` or
        /// `?token=TOKEN`), nil for none. Required for any address that is not loopback.
        public var accessToken: String?
        /// Shortest token accepted: 128 bits of hex, so it cannot be guessed over the network.
        public static let minimumTokenLength = 32

        /// A server on `address` (default `127.0.0.1:8080`).
        public init(address: String = "127.0.0.1:8080", accessToken: String? = nil) {
            self.address = address
            self.accessToken = accessToken
        }

        /// Checks the address, and that anything reachable beyond this host needs a token
        /// (docs/web-ui.md, "Threat model").
        public func validate() throws {
            let (host, _) = try SocketAddress.splitHostPort(address)
            if let accessToken {
                guard accessToken.count >= Self.minimumTokenLength, accessToken.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                    throw SocketError("the http access token must be at least \(Self.minimumTokenLength) printable ASCII characters")
                }
            } else if !Self.isLoopback(host) {
                throw SocketError("http on \(address) is reachable from other hosts: it needs an access token (--http-token-file, or token_file in [http])")
            }
        }

        /// True for addresses only this host can reach.
        public static func isLoopback(_ host: String) -> Bool {
            host == "localhost" || host == "::1" || host.hasPrefix("127.")
        }

        /// Reads a token from `path` (its first line, trimmed); the file should be readable by
        /// the daemon's user alone.
        public static func token(fromFile path: String) throws -> String {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SocketError("cannot read the http token file \(path)")
            }
            let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard !token.isEmpty else { throw SocketError("the http token file \(path) is empty") }
            return token
        }
    }

    /// Listens as `configuration` says and serves the metrics `render()` returns (when given), the
    /// live page of `live` (when given) and the review station over `review` (when given).
    public init(_ configuration: Configuration, metrics render: (@Sendable () -> String)? = nil, live: LiveBoard? = nil,
                review: ReviewLibrary? = nil) throws {
        try configuration.validate()
        let address = configuration.address
        let (host, requestedPort) = try SocketAddress.splitHostPort(address)
        let router = Router(context: WebContext.self)
        if let token = configuration.accessToken { router.add(middleware: AccessTokenMiddleware(token: token)) }
        if let render {
            router.get("metrics") { _, _ in Self.metricsResponse(render()) }
            router.head("metrics") { _, _ in Response(status: .ok, headers: [.contentType: Self.metricsType]) }
        }
        let assets = try WebAssets.load()
        if let live { LiveRoutes(board: live, assets: assets).add(to: router) }
        if let review { ReviewRoutes(library: review, assets: assets).add(to: router, isHome: live == nil) }
        router.get("assets/:file") { _, context in
            guard let name = context.parameters.get("file"), let asset = assets.asset(name) else { throw HTTPError(.notFound) }
            return asset.response
        }
        var logger = Logger(label: "beatmon.http")
        logger.logLevel = .critical
        let started = StartReport()
        let app = Application(
            router: router, server: .http1(configuration: .init(idleTimeout: Self.idleTimeout)),
            configuration: .init(address: .hostname(host, port: requestedPort), serverName: nil),
            onServerRunning: { channel in started.report(port: channel.localAddress?.port, error: nil) },
            logger: logger)
        let finished = self.finished
        let executor = ThreadTaskExecutor(name: "beatmon-http")
        task = Task(executorPreference: executor) {
            do {
                try await app.run()
            } catch {
                started.report(port: nil, error: error)
            }
            started.report(port: nil, error: SocketError("http server on \(address) stopped"))
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

    /// Stops listening, closes the live streams and waits for the server to end.
    public func stop() {
        guard let task else { return }
        self.task = nil
        task.cancel()
        finished.wait()
    }

    private static let metricsType = "text/plain; version=0.0.4; charset=utf-8"

    private static func metricsResponse(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: metricsType], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
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

/// The request context: Hummingbird's, plus the connection's channel, so that a live client that
/// falls behind can be disconnected from the monitor's side.
struct WebContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Refuses every request without the access token, given as `Authorization: Bearer TOKEN` (for
/// Prometheus and scripts) or `?token=TOKEN` (for a browser: the page passes it on to its own
/// requests and its event stream, which cannot carry headers). Compared in constant time.
struct AccessTokenMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let token: String

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var offered: String?
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") { offered = String(header.dropFirst(7)) }
        if offered == nil, let query = request.uri.queryParameters["token"] { offered = String(query) }
        guard let offered, Self.same(offered, token) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"beatmon\""], message: "access token required")
        }
        return try await next(request, context)
    }

    /// Equal strings, in a time that depends on their lengths only.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
