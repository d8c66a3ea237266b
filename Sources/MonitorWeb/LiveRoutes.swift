import Foundation
import Hummingbird
import NIOCore

/// The bedside page's routes: `/` (the page), `/api/status` (JSON), `/api/stream` (server-sent
/// events: `status`, `event` and `traces` messages) and `POST /api/acknowledge?alarm=KEY`.
struct LiveRoutes {
    let board: LiveBoard
    let assets: WebAssets

    func add(to router: Router<WebContext>) {
        let board = self.board, assets = self.assets
        router.get("/") { _, _ in try assets.page("live.html") }
        router.get("api/status") { _, _ in try JSONBody.response(board.status()) }
        router.get("api/stream") { _, context in
            guard let (id, stream) = board.subscribe(channel: context.channel) else {
                throw HTTPError(.serviceUnavailable, message: "too many live clients")
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                            body: ResponseBody { writer in
                                defer { board.unsubscribe(id) }
                                for await chunk in stream { try await writer.write(chunk) }
                                try await writer.finish(nil)
                            })
        }
        router.post("api/acknowledge") { request, context in
            guard let key = request.uri.queryParameters["alarm"].map(String.init), !key.isEmpty else {
                throw HTTPError(.badRequest, message: "give ?alarm=KEY")
            }
            let who = context.channel.remoteAddress.map { "web UI (\($0.ipAddress ?? "unknown"))" } ?? "web UI"
            do {
                guard let alarm = try board.acknowledge(key: key, by: who) else {
                    throw HTTPError(.notFound, message: "no alarm \(key)")
                }
                return try JSONBody.response(alarm)
            } catch let error as HTTPError {
                throw error
            } catch {
                // The acknowledgement could not be logged: say so, the alarm stays acknowledged.
                throw HTTPError(.internalServerError, message: "acknowledged, but not written to the event log: \(error)")
            }
        }
    }
}

/// JSON responses.
enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
