import ECGRecording
import SystemPackage

/// A WFDB record (`NAME.hea` plus its signal files) read as a stream of frames.
///
/// Open it with the record path without extension, e.g. `../shared/data/mitdb/100`. Samples are
/// decoded chunk by chunk through fixed-size buffers, so a 24-hour Holter file is never loaded
/// whole. Physical values are `(adc - baseline) / gain` as `Float`, `Float.nan` where the file
/// stores the format's invalid-sample value; signals with several samples per frame are averaged
/// per frame (as WFDB's `getvec` does), and `readRawFrames` gives every stored sample instead.
///
/// Records whose signal files are absent (the annotation-only afdb and nsrdb sets here) open for
/// their header; asking them for samples throws a `FormatError` saying the signal file is absent.
/// Seeking is by byte arithmetic for every format except first-difference format 8, which must
/// replay the differences from the start of the file (or from the current position when seeking
/// forwards).
///
/// `WFDBRecord` is a value: a copy reads independently of the original (it reopens the files the
/// first time it is read).
public struct WFDBRecord: Recording {
    /// Raw value returned by `readRawFrames` for a sample the file marks invalid, or for a skewed
    /// sample beyond the end of its file. It is outside every format's valid range.
    public static let invalidSample: Int32 = Int32.min

    /// The parsed header.
    public let header: WFDBHeader
    /// The record path without extension, as given.
    public let path: String
    private let directory: String
    private let headerFileName: String
    private var reader: WFDBFrameReader?
    /// Why samples cannot be read (absent signal file, multi-segment record), if so.
    private let samplesUnavailable: FormatError?
    /// A signal file shorter than the header's sample count, found on open.
    public let warnings: [RecordingWarning]

    /// The leads in header order. `samplingFrequency` is the frame rate, because `readFrames`
    /// averages a signal's samples within each frame; `header.signals` has the native rates.
    public let leads: [LeadDescription]

    /// Opens the record at `path` (without extension; a trailing `.hea` is accepted too).
    ///
    /// - Throws: `FormatError` for an unreadable or invalid header, or for a signal file that
    ///   exists but cannot be opened. An absent signal file is reported only when samples are read.
    public init(path: String) throws {
        let recordPath = path.hasSuffix(".hea") ? String(path.dropLast(4)) : path
        let headerPath = recordPath + ".hea"
        let header = try WFDBHeader(contentsOfFile: headerPath)
        var directory = ""
        if let slash = recordPath.lastIndex(of: "/") {
            directory = String(recordPath[..<slash])
            if directory.isEmpty { directory = "/" }
        }
        try self.init(header: header, directory: directory, headerFileName: WFDBHeader.lastComponent(of: headerPath),
                      path: recordPath)
    }

    /// Opens the signal files of an already parsed header, resolving file names against
    /// `directory`.
    public init(header: WFDBHeader, directory: String) throws {
        try self.init(header: header, directory: directory, headerFileName: header.recordName + ".hea",
                      path: directory.isEmpty ? header.recordName : directory + "/" + header.recordName)
    }

    private init(header: WFDBHeader, directory: String, headerFileName: String, path: String) throws {
        self.header = header
        self.path = path
        self.directory = directory
        self.headerFileName = headerFileName
        leads = header.signals.map { signal in
            LeadDescription(name: signal.description, units: signal.units, samplingFrequency: header.samplingFrequency,
                            gain: signal.gain, baseline: Double(signal.baseline), adcRange: signal.adcRange)
        }
        if header.isMultiSegment {
            samplesUnavailable = FormatError(file: headerFileName,
                                             "multi-segment records are not supported: \(header.recordName) has \(header.segments.count) segments; open each segment record instead")
            reader = nil
            warnings = []
            return
        }
        if let absent = WFDBRecord.firstAbsentFile(header: header, directory: directory) {
            samplesUnavailable = FormatError(file: absent,
                                             "signal file \(absent) is absent; this record has annotations only")
            reader = nil
            warnings = []
            return
        }
        samplesUnavailable = nil
        let reader = header.signals.isEmpty ? nil
            : try WFDBFrameReader(header: header, headerFileName: headerFileName, directory: directory)
        self.reader = reader
        if let reader, let declared = header.sampleCount, let shortest = reader.shortestFile, shortest.frames < declared {
            warnings = [.truncatedSignalFile(file: shortest.name, heldFrames: shortest.frames, declaredFrames: declared)]
        } else {
            warnings = []
        }
    }

    private static func firstAbsentFile(header: WFDBHeader, directory: String) -> String? {
        for signal in header.signals {
            guard let path = try? WFDBFrameReader.signalPath(directory: directory, fileName: signal.fileName,
                                                                line: signal.headerLine, headerFileName: "") else { continue }
            do {
                let descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
                try? descriptor.close()
            } catch Errno.noSuchFileOrDirectory {
                return signal.fileName
            } catch {
                continue  // reported with its real cause when the reader opens it
            }
        }
        return nil
    }

    /// Record name from the header.
    public var name: String { header.recordName }
    /// Always `.wfdb`.
    public var format: RecordingFormat { .wfdb }
    /// Frames per second (the header's sampling frequency).
    public var frameRate: Double { header.samplingFrequency }
    /// The header's sample count, else the frames the signal files hold; nil when neither is known.
    public var frameCount: Int? { reader?.frameCount ?? header.sampleCount }
    /// Base time and date from the header.
    public var startTime: RecordingStartTime? { header.startTime }
    /// Index of the next frame `readFrames` returns.
    public var position: Int { reader?.position ?? 0 }
    /// True when the signal files are present and samples can be read.
    public var hasSamples: Bool { samplesUnavailable == nil }
    /// Samples the reader's buffers hold (for tests that allocations follow the data).
    var bufferedSampleCount: Int { reader?.bufferedSampleCount ?? 0 }
    /// Raw samples per frame over all signals (each signal's `samplesPerFrame`, in header order).
    public var rawSamplesPerFrame: Int { header.signals.reduce(0) { $0 + $1.samplesPerFrame } }

    /// Reads up to `maxFrames` frames of physical values (see `Recording`).
    ///
    /// After the last frame, a truncated signal file or (when the whole record was read from
    /// frame 0) a checksum mismatch is thrown as a `FormatError` by the next call; a clean end
    /// returns 0.
    public mutating func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        guard let reader = try uniqueReader() else { return 0 }
        return try reader.readFrames(into: buffer, maxFrames: maxFrames)
    }

    /// Reads up to `maxFrames` frames of raw ADC values, `rawSamplesPerFrame` values per frame
    /// (every sample of oversampled signals, skew applied), `WFDBRecord.invalidSample` where
    /// invalid. Shares the stream position with `readFrames`.
    public mutating func readRawFrames(into buffer: UnsafeMutableBufferPointer<Int32>, maxFrames: Int) throws -> Int {
        guard let reader = try uniqueReader() else { return 0 }
        return try reader.readRawFrames(into: buffer, maxFrames: maxFrames)
    }

    /// Reads up to `maxFrames` raw frames into a new array (convenience for tests and tools).
    public mutating func readRawFrames(maxFrames: Int) throws -> [Int32] {
        let width = max(rawSamplesPerFrame, 1)
        var values = [Int32](repeating: WFDBRecord.invalidSample, count: maxFrames * width)
        let count = try values.withUnsafeMutableBufferPointer { try readRawFrames(into: $0, maxFrames: maxFrames) }
        values.removeLast((maxFrames - count) * width)
        return values
    }

    /// Positions the stream so that the next frame read is `frame`.
    public mutating func seek(toFrame frame: Int) throws {
        guard let reader = try uniqueReader() else {
            guard frame == 0 else {
                throw FormatError(file: headerFileName, "cannot seek to frame \(frame): the record has no signals")
            }
            return
        }
        try reader.seek(toFrame: frame)
    }

    /// Reads every stored sample and compares each signal's 16-bit sum with the header's
    /// checksum; signals without a checksum, or with checksum 0 (what converters that skip the
    /// checksum write, e.g. all of CinC 2017), are skipped. Does not move this record's position.
    ///
    /// - Throws: `FormatError` naming each mismatching signal, or any read error.
    public func verifyChecksums() throws {
        if let samplesUnavailable { throw samplesUnavailable }
        guard !header.signals.isEmpty else { return }
        let fresh = try WFDBFrameReader(header: header, headerFileName: headerFileName, directory: directory)
        let frames = 4096
        let scratch = UnsafeMutableBufferPointer<Int32>.allocate(capacity: frames * fresh.rawSamplesPerFrame)
        defer { scratch.deallocate() }
        while try fresh.readRawFrames(into: scratch, maxFrames: frames) > 0 {}
    }

    /// The reader, reopened first when this value shares it with a copy.
    private mutating func uniqueReader() throws -> WFDBFrameReader? {
        if let samplesUnavailable { throw samplesUnavailable }
        guard var current = reader else { return nil }
        reader = nil  // so that the uniqueness check sees only `current`
        if !isKnownUniquelyReferenced(&current) {
            let copy = try WFDBFrameReader(header: header, headerFileName: headerFileName, directory: directory)
            try copy.seek(toFrame: current.position)
            current = copy
        }
        reader = current
        return current
    }
}
