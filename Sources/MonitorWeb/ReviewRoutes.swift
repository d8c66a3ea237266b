import ECGFormats
import Foundation
import Hummingbird

/// The review station's routes: `/review` (the page; also `/` when there is no live monitor),
/// `GET /api/records`, `GET /api/records/NAME?annotator=A` (the record and its overview),
/// `GET /api/records/NAME/signal?from=S&seconds=N`, `GET /api/records/NAME/annotations?annotator=A`
/// and `POST /api/records/NAME/annotations?annotator=NEW` (JSON list: a new annotation file).
struct ReviewRoutes {
    let library: ReviewLibrary
    let assets: WebAssets
    /// The largest annotation list a save accepts (JSON bytes): a day of Holter beats fits.
    static let maximumUpload = 64 << 20

    /// One annotation as the page reads and sends it.
    struct AnnotationJSON: Codable {
        var sample: Int64
        var code: String
        var aux: String?
        var channel: Int?
        var subtype: Int?
        var number: Int?

        init(_ annotation: Annotation) {
            sample = annotation.sample
            code = annotation.code.mnemonic
            aux = annotation.auxText
            channel = annotation.channel
            subtype = annotation.subtype
            number = annotation.number
        }

        func annotation() throws -> Annotation {
            guard let code = AnnotationCode(mnemonic: code) else { throw ReviewError("unknown annotation code '\(code)'") }
            return Annotation(sample: sample, code: code, subtype: subtype ?? 0, channel: channel ?? 0, number: number ?? 0,
                              aux: aux.map { Array($0.utf8) } ?? [])
        }
    }

    struct RecordJSON: Codable {
        var record: ReviewLibrary.Record
        var annotators: [String]
        var annotator: String?
        var overview: RecordOverview?
    }

    struct Saved: Codable {
        var path: String
        var annotator: String
        var count: Int
    }

    func add(to router: Router<WebContext>, isHome: Bool) {
        let library = self.library, assets = self.assets
        router.get("review") { _, _ in try assets.page("review.html") }
        if isHome { router.get("/") { _, _ in try assets.page("review.html") } }
        router.get("api/records") { _, _ in try JSONBody.response(library.records) }
        router.get("api/records/:name") { request, context in
            try Self.answer {
                let name = try Self.name(context)
                let annotators = try library.annotators(name)
                let record = try library.record(name)
                let asked = request.uri.queryParameters["annotator"].map(String.init)
                let annotator = asked ?? (annotators.contains("atr") ? "atr" : annotators.first)
                let overview = try annotator.map { try library.overview(name, annotator: $0) }
                return try JSONBody.response(RecordJSON(record: record, annotators: annotators, annotator: annotator, overview: overview))
            }
        }
        router.get("api/records/:name/signal") { request, context in
            try Self.answer {
                let from = request.uri.queryParameters["from"].flatMap { Double(String($0)) } ?? 0
                let seconds = request.uri.queryParameters["seconds"].flatMap { Double(String($0)) } ?? 10
                return try JSONBody.response(library.signal(try Self.name(context), from: from, seconds: seconds))
            }
        }
        router.get("api/records/:name/annotations") { request, context in
            try Self.answer {
                let annotator = request.uri.queryParameters["annotator"].map(String.init) ?? "atr"
                let list = try library.annotations(try Self.name(context), annotator: annotator)
                return try JSONBody.response(list.map(AnnotationJSON.init))
            }
        }
        router.post("api/records/:name/annotations") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: Self.maximumUpload)
            return try Self.answer {
                guard let annotator = request.uri.queryParameters["annotator"].map(String.init) else {
                    throw ReviewError("give ?annotator=NAME (a new name: references are never overwritten)")
                }
                let list = try JSONDecoder().decode([AnnotationJSON].self, from: Data(buffer: body)).map { try $0.annotation() }
                let path = try library.save(list, for: try Self.name(context), as: annotator)
                return try JSONBody.response(Saved(path: path, annotator: annotator, count: list.count))
            }
        }
    }

    private static func name(_ context: WebContext) throws -> String {
        guard let name = context.parameters.get("name") else { throw ReviewError("no record named", notFound: true) }
        return name
    }

    /// Runs `body`, turning review and format errors into 404 or 400 with their text.
    private static func answer(_ body: () throws -> Response) throws -> Response {
        do {
            return try body()
        } catch let error as ReviewError {
            throw HTTPError(error.notFound ? .notFound : .badRequest, message: error.description)
        } catch let error as HTTPError {
            throw error
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: "the annotation list is not valid JSON: \(error)")
        } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
    }
}
