import Foundation
import Hummingbird
import NIOCore

/// The page assets (HTML, JS, CSS) bundled as the module's resources (`Sources/MonitorWeb/Assets`),
/// read once when the server starts and served from memory. Plain files: no build step, no npm.
struct WebAssets: Sendable {
    struct Asset: Sendable {
        var contentType: String
        var bytes: ByteBuffer

        var response: Response {
            Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-cache"],
                     body: ResponseBody(byteBuffer: bytes))
        }
    }

    private var assets: [String: Asset] = [:]
    private static let types = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8",
                                "css": "text/css; charset=utf-8"]

    /// Reads every asset; throws when the bundle is missing (a broken install).
    static func load() throws -> WebAssets {
        guard let folder = Bundle.module.url(forResource: "Assets", withExtension: nil) else {
            throw WebAssetError(description: "the web UI's assets are missing from the installation (beatmon_MonitorWeb.resources)")
        }
        var loaded = WebAssets()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            guard let type = types[(name as NSString).pathExtension] else { continue }
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            loaded.assets[name] = Asset(contentType: type, bytes: ByteBuffer(bytes: data))
        }
        return loaded
    }

    /// The asset called `name` (`live.js`), if there is one.
    func asset(_ name: String) -> Asset? { assets[name] }

    /// The asset called `name`, or a 500 naming it.
    func page(_ name: String) throws -> Response {
        guard let asset = assets[name] else { throw HTTPError(.internalServerError, message: "asset \(name) missing") }
        return asset.response
    }
}

struct WebAssetError: Error, CustomStringConvertible {
    var description: String
}
