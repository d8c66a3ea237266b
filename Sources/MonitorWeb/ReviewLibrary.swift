import BeatTokens
import ECGFormats
import Foundation

/// The recordings a review station serves (`beatmon serve RECORD|FOLDER`): WFDB records, their
/// annotation files, an overview of each (HR trend, rhythm bands, ectopy), signal windows, and the
/// saving of a reviewed annotation set as a new annotator.
///
/// The annotation files present when the library opens are references and are never written:
/// a save goes to `RECORD.NAME` under a new annotator name, in `outputDirectory` (the record's
/// folder by default), whole or not at all (`WFDBAnnotationFile.write`, `OutputFile`).
public final class ReviewLibrary: Sendable {
    /// One record.
    public struct Record: Sendable, Codable, Equatable {
        /// The record name (`100`, `data_8_4`).
        public var name: String
        /// Frames per second, leads, length.
        public var frameRate: Double
        public var leads: [String]
        public var seconds: Double?
        /// Annotators present when the library opened (never overwritten).
        public var references: [String]
        /// True when the signal file can be read (afdb and nsrdb carry annotations only).
        public var hasSignal: Bool
    }

    /// The records, by name.
    public let records: [Record]
    private let paths: [String: String]
    /// Where saved annotation files go (nil: beside each record).
    public let outputDirectory: String?
    /// Longest signal window one request may ask for, seconds.
    public static let maximumWindowSeconds = 120.0
    private static let notAnnotations: Set<String> = ["hea", "dat", "mat", "csv", "tsv", "txt", "edf", "bdf", "json", "html",
                                                      "png", "svg", "md", "xyz", "py", "sh"]

    /// Opens `path`: a WFDB record (`dir/NAME`, `dir/NAME.hea`) or a folder of them.
    public init(path: String, outputDirectory: String? = nil) throws {
        var isFolder: ObjCBool = false
        var found: [(String, String)] = []
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".hea") }.sorted()
            found = names.map { (String($0.dropLast(4)), (path as NSString).appendingPathComponent(String($0.dropLast(4)))) }
        } else {
            let base = path.hasSuffix(".hea") || path.hasSuffix(".dat") ? String(path.dropLast(4)) : path
            found = [((base as NSString).lastPathComponent, base)]
        }
        var records: [Record] = []
        var paths: [String: String] = [:]
        for (name, base) in found {
            guard let header = try? WFDBHeader(contentsOfFile: base + ".hea") else { continue }
            let recording = try? RecordingOpener.open(path: base)
            let leads = recording?.leads.map(\.name) ?? header.signals.map(\.description)
            records.append(Record(name: name, frameRate: header.samplingFrequency, leads: leads,
                                  seconds: recording?.durationSeconds, references: Self.annotators(of: base),
                                  hasSignal: recording != nil))
            paths[name] = base
        }
        guard !records.isEmpty else { throw ReviewError("no readable WFDB record at \(path)") }
        self.records = records
        self.paths = paths
        self.outputDirectory = outputDirectory
    }

    /// The annotation files of the record at `base`, by annotator name (file extension).
    static func annotators(of base: String) -> [String] {
        let folder = (base as NSString).deletingLastPathComponent, name = (base as NSString).lastPathComponent
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        return files.compactMap { file -> String? in
            guard file.hasPrefix(name + "."), !file.hasSuffix("~") else { return nil }
            let annotator = String(file.dropFirst(name.count + 1))
            guard !annotator.contains("."), !notAnnotations.contains(annotator.lowercased()) else { return nil }
            return annotator
        }.sorted()
    }

    /// The record called `name`.
    public func record(_ name: String) throws -> Record {
        guard let record = records.first(where: { $0.name == name }) else { throw ReviewError("no record \(name)", notFound: true) }
        return record
    }

    /// Annotators of `name` now: the references and any saved since.
    public func annotators(_ name: String) throws -> [String] {
        _ = try record(name)
        var names = Set(try record(name).references)
        if let base = paths[name] { names.formUnion(Self.annotators(of: base)) }
        if let outputDirectory, let base = paths[name] {
            names.formUnion(Self.annotators(of: (outputDirectory as NSString).appendingPathComponent((base as NSString).lastPathComponent)))
        }
        return names.sorted()
    }

    /// The annotations of `name` by `annotator` (a saved one is read from the output folder).
    public func annotations(_ name: String, annotator: String) throws -> [Annotation] {
        try Self.checkAnnotatorName(annotator)
        let record = try record(name)
        guard let base = paths[name] else { throw ReviewError("no record \(name)", notFound: true) }
        var path = base + "." + annotator
        if let outputDirectory, !record.references.contains(annotator) {
            path = (outputDirectory as NSString).appendingPathComponent(record.name + "." + annotator)
        }
        guard FileManager.default.fileExists(atPath: path) else { throw ReviewError("\(name) has no annotator \(annotator)", notFound: true) }
        return try WFDBAnnotationFile.read(path: path)
    }

    /// `seconds` of signal of `name` from `start` (seconds), in µV per lead (nil: no sample).
    public func signal(_ name: String, from start: Double, seconds: Double) throws -> SignalWindow {
        let record = try record(name)
        guard let base = paths[name], record.hasSignal else { throw ReviewError("\(name) has no signal file", notFound: true) }
        guard start.isFinite, seconds.isFinite, start >= 0, seconds > 0 else { throw ReviewError("bad window \(start) + \(seconds) s") }
        var recording = try RecordingOpener.open(path: base)
        let first = Int(start * recording.frameRate)
        let count = Int(min(seconds, Self.maximumWindowSeconds) * recording.frameRate)
        let width = recording.leads.count
        if let total = recording.frameCount, first >= total {
            return SignalWindow(frameRate: recording.frameRate, leads: record.leads, first: first, values: Array(repeating: [], count: width))
        }
        try recording.seek(toFrame: first)
        let frames = try recording.readFrames(maxFrames: count)
        var values = Array(repeating: [Int?](), count: width)
        for lead in 0..<width { values[lead].reserveCapacity(frames.count / max(1, width)) }
        for (index, value) in frames.enumerated() {
            values[index % width].append(value.isFinite ? Int((value * 1000).rounded()) : nil)
        }
        return SignalWindow(frameRate: recording.frameRate, leads: record.leads, first: first, values: values)
    }

    /// The overview of `name` by `annotator`: HR trend, rhythm bands, ectopic beats.
    public func overview(_ name: String, annotator: String) throws -> RecordOverview {
        let record = try record(name)
        return RecordOverview(annotations: try annotations(name, annotator: annotator), frameRate: record.frameRate,
                              seconds: record.seconds)
    }

    /// Saves `annotations` for `name` as `annotator`, refusing any reference annotator; returns the
    /// path written.
    @discardableResult
    public func save(_ annotations: [Annotation], for name: String, as annotator: String) throws -> String {
        try Self.checkAnnotatorName(annotator)
        let record = try record(name)
        guard !record.references.contains(annotator) else {
            throw ReviewError("\(annotator) is a reference annotation of \(name): save under a new annotator name")
        }
        guard let base = paths[name] else { throw ReviewError("no record \(name)", notFound: true) }
        let folder = outputDirectory ?? (base as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent(record.name + "." + annotator)
        let sorted = annotations.enumerated().sorted { ($0.element.sample, $0.offset) < ($1.element.sample, $1.offset) }.map(\.element)
        try WFDBAnnotationFile.write(sorted, to: path)
        return path
    }

    /// An annotator name is a short word: letters, digits, underscore (it becomes a file name).
    static func checkAnnotatorName(_ name: String) throws {
        guard (1...16).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
              !notAnnotations.contains(name.lowercased()) else {
            throw ReviewError("annotator name '\(name.sanitizedForTerminal)' must be 1 to 16 letters, digits or _, and not a data file's extension")
        }
    }
}

/// A window of signal for the review page.
public struct SignalWindow: Codable, Sendable {
    public var frameRate: Double
    public var leads: [String]
    /// Frame index of the first value.
    public var first: Int
    /// Per lead, µV (null: no sample).
    public var values: [[Int?]]
}

/// What the recordings list shows of one record by one annotator.
public struct RecordOverview: Codable, Sendable, Equatable {
    /// Seconds per point of `heartRate`.
    public var binSeconds: Double
    /// Mean heart rate of each bin, beats per minute (nil: no readable RR interval).
    public var heartRate: [Double?]
    /// Rhythm bands from the rhythm-change annotations: start, end (seconds), rhythm (`AFIB`, `N`…).
    public var rhythms: [RhythmBand]
    /// Beats by EC57 class (N S V F Q).
    public var beatClasses: [String: Int]
    /// Seconds of each supraventricular and ventricular ectopic beat (at most 2000 each).
    public var supraventricular: [Double]
    public var ventricular: [Double]
    /// Seconds of AF.
    public var afSeconds: Double

    /// One rhythm band.
    public struct RhythmBand: Codable, Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var rhythm: String
    }

    /// Counts of shortest RR kept in the HR trend (250 ms, 240 bpm) to longest (3 s, 20 bpm).
    static let readableRR = 0.25...3.0

    init(annotations: [Annotation], frameRate: Double, seconds: Double?) {
        let beats = annotations.filter(\.isBeat)
        let end = seconds ?? (beats.last.map { Double($0.sample) / frameRate } ?? 0)
        binSeconds = max(10, (end / 600).rounded(.up))
        let bins = max(1, Int((end / binSeconds).rounded(.up)))
        var sums = Array(repeating: 0.0, count: bins), counts = Array(repeating: 0, count: bins)
        for (previous, beat) in zip(beats, beats.dropFirst()) {
            let rr = Double(beat.sample - previous.sample) / frameRate
            guard Self.readableRR.contains(rr) else { continue }
            let bin = min(bins - 1, Int(Double(beat.sample) / frameRate / binSeconds))
            sums[bin] += 60 / rr
            counts[bin] += 1
        }
        heartRate = zip(sums, counts).map { $1 > 0 ? ($0 / Double($1) * 10).rounded() / 10 : nil }
        var classes: [String: Int] = [:]
        var supraventricular: [Double] = [], ventricular: [Double] = []
        for beat in beats {
            guard let beatClass = BeatClass(mitLabel: beat.code.mnemonic) else { continue }
            classes[beatClass.mnemonic, default: 0] += 1
            let time = Double(beat.sample) / frameRate
            if beatClass == .supraventricular, supraventricular.count < 2000 { supraventricular.append(time) }
            if beatClass == .ventricular, ventricular.count < 2000 { ventricular.append(time) }
        }
        beatClasses = classes
        self.supraventricular = supraventricular
        self.ventricular = ventricular
        var bands: [RhythmBand] = []
        for change in annotations where change.code == .rhythmChange {
            guard let aux = change.auxText, aux.hasPrefix("(") else { continue }
            let time = Double(change.sample) / frameRate
            if !bands.isEmpty { bands[bands.count - 1].end = time }
            bands.append(RhythmBand(start: time, end: end, rhythm: String(aux.dropFirst()).trimmingCharacters(in: .controlCharacters)))
        }
        rhythms = bands
        afSeconds = bands.filter { $0.rhythm == "AFIB" }.reduce(0) { $0 + max(0, $1.end - $1.start) }
    }
}

/// A review request that cannot be served; `notFound` for a missing record or annotator.
public struct ReviewError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public var notFound: Bool

    public init(_ description: String, notFound: Bool = false) {
        self.description = description
        self.notFound = notFound
    }
}
