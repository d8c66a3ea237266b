import ArgumentParser
import Daemon
import Foundation
import MonitorWeb
import Sinks

/// `beatmon serve`: the review station. Recordings in the browser at 25 mm/s with their beat
/// labels and rhythm bands, relabelled and saved as a new WFDB annotator (docs/web-ui.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a review station for a WFDB record or a folder of them: overview, ECG at 25 mm/s, edits saved as a new annotator.",
        discussion: """
            Open http://HOST:PORT/ in a browser. Edits are saved as RECORD.NAME under a new annotator \
            name, in --output (default: beside the record); the annotation files present at start are \
            references and are never overwritten. Runs until SIGINT or SIGTERM.
            """)

    @Argument(help: "A WFDB record (dir/NAME) or a folder of records.")
    var path: String

    @Option(help: "Listen on HOST:PORT (loopback unless a token file is given).")
    var http = "127.0.0.1:8080"

    @Option(name: .customLong("http-token-file"), help: "File holding the access token (needed off loopback).")
    var httpTokenFile: String?

    @Option(help: "Folder for saved annotation files (default: the record's folder).")
    var output: String?

    func run() throws {
        let library: ReviewLibrary
        let server: WebServer
        do {
            library = try ReviewLibrary(path: path, outputDirectory: output)
            let token = try httpTokenFile.map(WebServer.Configuration.token(fromFile:))
            server = try WebServer(WebServer.Configuration(address: http, accessToken: token), review: library)
        } catch let error as ReviewError {
            throw ValidationError(error.description)
        } catch let error as SocketError {
            throw ValidationError(error.description)
        }
        let host = http.split(separator: ":").dropLast().joined(separator: ":")
        FileHandle.standardError.write(Data("review station for \(library.records.count) record(s) on http://\(host):\(server.port)/\n".utf8))
        let stopped = DispatchSemaphore(value: 0)
        let watcher = SignalWatcher(stop: { _ in stopped.signal() }, reopen: {})
        defer { watcher.cancel() }
        stopped.wait()
        server.stop()
    }
}
