import ECGRecording
import SystemPackage

/// A recording read from an EDF, EDF+ or BDF file, streamed data record by data record.
///
/// **Leads and frames.** Every signal except EDF+ annotation channels is a lead. Frames run at
/// the highest lead rate (`frameRate = max samples per record / record duration`); a lead
/// sampled more slowly is *held*: each frame carries that lead's most recent sample at or before
/// the frame's time (sample `floor(j * n / N)` of a record for frame `j`, with `n` and `N` the
/// lead's and the fastest lead's samples per record). Original per-signal samples at their own
/// rates are available through `readPhysical(signal:records:)` and `readDigital(signal:records:)`.
///
/// **Values** are physical, in the units the file gives (`LeadDescription.units`, often `uV` in
/// EDF), scaled linearly from the digital to the physical range of each signal.
///
/// **EDF+.** Annotation channels are parsed when the file is opened (one pass over those bytes):
/// `annotations` holds the events and `dataRecordStarts` each record's start time. In EDF+D files
/// the frames are the stored samples back to back and `gaps` lists where time jumps.
///
/// The class is a reader with a file position: use one instance per thread.
public final class EDFRecording: Recording {
    /// The parsed header.
    public let header: EDFHeader
    /// File name without extension.
    public let name: String
    /// `.edf`, `.edfPlus` or `.bdf`.
    public let format: RecordingFormat
    /// The ordinary signals, in file order.
    public let leads: [LeadDescription]
    /// For each lead, the index of its signal in `header.signals`.
    public let leadSignalIndices: [Int]
    /// Frames per second (the fastest lead's rate); 0 when the file has no ordinary signals.
    public let frameRate: Double
    /// Total frames: data records × frames per record.
    public let frameCount: Int?
    /// Frames in one data record.
    public let framesPerRecord: Int
    /// Number of complete data records (from the header, or from the file size when the header
    /// says -1).
    public let dataRecordCount: Int
    /// EDF+ events from all annotation channels, in file order (empty for plain EDF/BDF).
    public private(set) var annotations: [EDFAnnotation] = []
    /// Start of each data record in seconds from `startTime` (from EDF+ time-keeping annotations;
    /// record index × duration for plain EDF).
    public private(set) var dataRecordStarts: [Double] = []
    /// Breaks in an EDF+D recording (empty for continuous files).
    public private(set) var gaps: [EDFGap] = []
    /// Index of the next frame `readFrames` returns.
    public private(set) var position = 0
    /// Data records beyond the header's count, or a trailing partial record, found on open.
    public let warnings: [RecordingWarning]

    /// Header start date and time; EDF+ files may refine it with a sub-second offset, see
    /// `dataRecordStarts`.
    public var startTime: RecordingStartTime? { header.startTime }

    private let path: String
    private let file: FileDescriptor
    private let recordByteCount: Int
    private let signalByteOffsets: [Int]  // within a data record, per header signal
    private let recordsPerChunk: Int
    private let chunk: UnsafeMutableRawBufferPointer
    private var chunkFirstRecord = -1
    private var chunkRecordCount = 0
    private let decoded: UnsafeMutableBufferPointer<Float>  // one record of frames, lead-interleaved
    private var decodedRecord = -1
    private let leadPlans: [LeadPlan]
    private let isBDF: Bool

    /// What the decoder needs for one lead, resolved once.
    private struct LeadPlan {
        var byteOffset: Int
        var samplesPerRecord: Int
        var scale: Double
        var offset: Double
    }

    // Guards against absurd allocations from a hostile header.
    private static let largestRecordByteCount = 256 << 20
    private static let chunkTargetBytes = 1 << 16

    /// Opens an EDF/EDF+/BDF file and reads its header (and EDF+ annotations).
    /// - Parameter acceptedRates: frame rates accepted; `SamplingRate.supportedRange` unless a
    ///   format tool (or a test of toy files) must read files beatmon cannot process.
    /// - Throws: `FormatError` with the byte offset of the first bad field, when the frame rate is
    ///   outside `acceptedRates`, or when the data records are truncated.
    public init(path: String, acceptedRates: ClosedRange<Double> = SamplingRate.supportedRange) throws {
        self.path = path
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        name = fileName.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
            .nonEmpty ?? fileName
        let (descriptor, fileSize) = try InputFile.open(path, errorFile: path, what: "EDF file")
        var ownsDescriptor = true
        defer { if ownsDescriptor { try? descriptor.close() } }

        let fixed = try Self.readBytes(descriptor, at: 0, count: 256, path: path)
        let signalCount = try EDFHeader.signalCount(inFixedPart: fixed, file: path)
        let headerBytes = try Self.readBytes(descriptor, at: 0, count: 256 * (signalCount + 1), path: path)
        let header = try EDFHeader(parsing: headerBytes, file: path)
        self.header = header
        format = header.sampleFormat == .bdf ? .bdf : (header.isPlus ? .edfPlus : .edf)
        isBDF = header.sampleFormat == .bdf

        let bytesPerSample = header.sampleFormat.bytesPerSample
        var offsets: [Int] = []
        var running = 0
        for signal in header.signals {
            offsets.append(running)
            running += signal.samplesPerRecord * bytesPerSample
        }
        recordByteCount = running
        signalByteOffsets = offsets
        guard recordByteCount <= Self.largestRecordByteCount else {
            throw FormatError(file: path, byteOffset: 256 + 216 * signalCount,
                              "data records of \(recordByteCount) bytes are implausibly large")
        }

        let dataBytes = fileSize - header.headerByteCount
        let available = dataBytes / recordByteCount
        var warnings: [RecordingWarning] = []
        if header.dataRecordCount != -1, available > header.dataRecordCount {
            warnings.append(.unreadDataRecords(file: path, declared: header.dataRecordCount, held: available))
        }
        if dataBytes > 0, dataBytes % recordByteCount != 0 {
            warnings.append(.partialDataRecord(file: path, byteCount: dataBytes % recordByteCount))
        }
        self.warnings = warnings
        if header.dataRecordCount == -1 {
            dataRecordCount = max(available, 0)
        } else {
            let (needed, overflow) = header.dataRecordCount.multipliedReportingOverflow(by: recordByteCount)
            guard !overflow, header.headerByteCount + needed <= fileSize else {
                throw FormatError(file: path, byteOffset: fileSize,
                                  "file ends after \(max(available, 0)) complete data records; the header declares \(header.dataRecordCount)")
            }
            dataRecordCount = header.dataRecordCount
        }

        var leads: [LeadDescription] = []
        var indices: [Int] = []
        var plans: [LeadPlan] = []
        for (index, signal) in header.signals.enumerated() where !signal.isAnnotationChannel {
            let scale = signal.scale
            leads.append(LeadDescription(
                name: signal.label, units: signal.physicalDimension,
                samplingFrequency: Double(signal.samplesPerRecord) / header.dataRecordDuration,
                gain: 1 / scale, baseline: -signal.offset / scale,
                adcRange: signal.digitalMinimum...signal.digitalMaximum))
            indices.append(index)
            plans.append(LeadPlan(byteOffset: offsets[index], samplesPerRecord: signal.samplesPerRecord,
                                  scale: scale, offset: signal.offset))
        }
        self.leads = leads
        leadSignalIndices = indices
        leadPlans = plans
        framesPerRecord = plans.map(\.samplesPerRecord).max() ?? 0
        // Held slow leads are expanded to the fastest rate, so bound the decoded record too.
        guard framesPerRecord * leads.count <= Self.largestRecordByteCount / 4 else {
            throw FormatError(file: path, byteOffset: 256 + 216 * signalCount,
                              "\(leads.count) leads of \(framesPerRecord) frames per data record are implausibly many")
        }
        frameRate = framesPerRecord == 0 ? 0 : Double(framesPerRecord) / header.dataRecordDuration
        if framesPerRecord > 0, let problem = SamplingRate.problem(
            with: frameRate, in: acceptedRates,
            what: "sampling rate (\(framesPerRecord) samples per \(header.dataRecordDuration) s data record)") {
            throw FormatError(file: path, byteOffset: 244, problem)  // the record duration field
        }
        frameCount = framesPerRecord * dataRecordCount

        recordsPerChunk = max(1, min(Self.chunkTargetBytes / max(recordByteCount, 1), dataRecordCount))
        // Buffers are sized by records the file holds (checked above), never by the header alone:
        // a file of no records gets none.
        let hasData = dataRecordCount > 0
        chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: hasData ? recordsPerChunk * recordByteCount : 1,
                                                       alignment: 8)
        decoded = UnsafeMutableBufferPointer<Float>.allocate(capacity: hasData ? max(framesPerRecord * leads.count, 1) : 1)
        file = descriptor
        ownsDescriptor = false

        // EDF+ annotation channels: read once, now, so that times and gaps are known up front.
        var events: [EDFAnnotation] = []
        var starts = (0..<dataRecordCount).map { Double($0) * header.dataRecordDuration }
        let annotationSignals = header.signals.indices.filter { header.signals[$0].isAnnotationChannel }
        if header.isPlus, !annotationSignals.isEmpty {
            var missingStart: Int?
            for record in 0..<dataRecordCount {
                let base = try loadChunk(containing: record)
                for (order, signal) in annotationSignals.enumerated() {
                    let start = base + signalByteOffsets[signal]
                    let count = header.signals[signal].samplesPerRecord * bytesPerSample
                    let bytes = ArraySlice(UnsafeRawBufferPointer(rebasing: chunk[start..<(start + count)]))
                    let fileOffset = header.headerByteCount + record * recordByteCount + signalByteOffsets[signal]
                    let parsed = try EDFAnnotation.parseRecord(bytes, file: path, byteOffset: fileOffset)
                    events += parsed.annotations
                    if order == 0 {
                        if let recordStart = parsed.recordStart {
                            starts[record] = recordStart
                        } else if missingStart == nil {
                            missingStart = fileOffset
                        }
                    }
                }
            }
            if header.isDiscontinuous, let missingStart {
                throw FormatError(file: path, byteOffset: missingStart,
                                  "EDF+D data record has no time-keeping annotation")
            }
        }
        annotations = events
        dataRecordStarts = starts

        var gaps: [EDFGap] = []
        if header.isDiscontinuous {
            // Tolerate rounding in the written onsets: half the fastest sample interval.
            let tolerance = framesPerRecord > 0 ? 0.5 / frameRate : 1e-6
            for record in 1..<max(dataRecordCount, 1) {
                let expected = starts[record - 1] + header.dataRecordDuration
                let jump = starts[record] - expected
                if jump > tolerance {
                    gaps.append(EDFGap(frame: record * framesPerRecord, startSeconds: expected, durationSeconds: jump))
                } else if jump < -tolerance {
                    throw FormatError(file: path,
                                      byteOffset: header.headerByteCount + record * recordByteCount
                                          + signalByteOffsets[annotationSignals.first ?? 0],
                                      "EDF+D data record \(record) starts at \(starts[record]) s, before the previous record ends")
                }
            }
        }
        self.gaps = gaps
    }

    deinit {
        try? file.close()
        chunk.deallocate()
        decoded.deallocate()
    }

    /// Bytes of read and decode buffers held (for tests that allocations follow the data).
    var bufferByteCount: Int { chunk.count + decoded.count * MemoryLayout<Float>.size }

    /// Reads up to `maxFrames` frames of physical values, lead-interleaved.
    public func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        let width = leads.count
        guard width > 0, let total = frameCount else { return 0 }
        let wanted = min(maxFrames, buffer.count / width, total - position)
        var produced = 0
        while produced < wanted {
            let record = position / framesPerRecord
            let within = position - record * framesPerRecord
            try decode(record: record)
            let take = min(framesPerRecord - within, wanted - produced)
            guard let target = buffer.baseAddress, let source = decoded.baseAddress else { return produced }
            (target + produced * width).update(from: source + within * width, count: take * width)
            produced += take
            position += take
        }
        return produced
    }

    /// Moves to frame `frame` (0 ... frameCount).
    public func seek(toFrame frame: Int) throws {
        guard frame >= 0, frame <= (frameCount ?? 0) else {
            throw FormatError(file: path, "cannot seek to frame \(frame): the recording has \(frameCount ?? 0) frames")
        }
        position = frame
    }

    /// Seconds from `startTime` of a frame, honouring EDF+ record start times and gaps.
    public func secondsFromStart(ofFrame frame: Int) -> Double {
        guard framesPerRecord > 0, dataRecordCount > 0 else { return 0 }
        let record = min(max(frame / framesPerRecord, 0), dataRecordCount - 1)
        return dataRecordStarts[record] + Double(frame - record * framesPerRecord) / frameRate
    }

    /// The digital samples of one header signal (any signal, at its own rate) for a range of
    /// data records.
    public func readDigital(signal: Int, records: Range<Int>) throws -> [Int32] {
        guard header.signals.indices.contains(signal), records.lowerBound >= 0, records.upperBound <= dataRecordCount else {
            throw FormatError(file: path, "signal \(signal) or records \(records) out of range")
        }
        let count = header.signals[signal].samplesPerRecord
        var values = [Int32](repeating: 0, count: count * records.count)
        for record in records {
            let base = try loadChunk(containing: record) + signalByteOffsets[signal]
            let firstValue = (record - records.lowerBound) * count
            for index in 0..<count { values[firstValue + index] = sample(at: base, index: index) }
        }
        return values
    }

    /// The physical values of one header signal (at its own rate) for a range of data records.
    public func readPhysical(signal: Int, records: Range<Int>) throws -> [Double] {
        let digital = try readDigital(signal: signal, records: records)
        let description = header.signals[signal]
        let scale = description.scale, offset = description.offset
        return digital.map { Double($0) * scale + offset }
    }

    // MARK: Decoding

    /// Makes `record` available in `chunk` and returns its byte offset there.
    private func loadChunk(containing record: Int) throws -> Int {
        if record < chunkFirstRecord || record >= chunkFirstRecord + chunkRecordCount {
            let count = min(recordsPerChunk, dataRecordCount - record)
            let start = header.headerByteCount + record * recordByteCount
            let bytes = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<(count * recordByteCount)])
            try Self.fill(bytes, from: file, at: start, path: path)
            chunkFirstRecord = record
            chunkRecordCount = count
        }
        return (record - chunkFirstRecord) * recordByteCount
    }

    /// Decodes one data record into `decoded`, holding slower leads.
    private func decode(record: Int) throws {
        guard record != decodedRecord else { return }
        let base = try loadChunk(containing: record)
        let width = leads.count
        let frames = framesPerRecord
        for (lead, plan) in leadPlans.enumerated() {
            let start = base + plan.byteOffset
            let samples = plan.samplesPerRecord
            for frame in 0..<frames {
                let index = samples == frames ? frame : frame * samples / frames
                decoded[frame * width + lead] = Float(Double(sample(at: start, index: index)) * plan.scale + plan.offset)
            }
        }
        decodedRecord = record
    }

    /// The `index`-th sample of a signal whose bytes start at `start` in `chunk`.
    @inline(__always)
    private func sample(at start: Int, index: Int) -> Int32 {
        if !isBDF {
            let position = start + 2 * index
            return Int32(Int16(bitPattern: UInt16(chunk[position]) | UInt16(chunk[position + 1]) << 8))
        }
        let position = start + 3 * index
        let unsigned = UInt32(chunk[position]) | UInt32(chunk[position + 1]) << 8 | UInt32(chunk[position + 2]) << 16
        return Int32(bitPattern: unsigned << 8) >> 8  // sign-extend 24 bits
    }

    // MARK: File access

    private static func readBytes(_ file: FileDescriptor, at offset: Int, count: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let read = try bytes.withUnsafeMutableBytes { buffer in
            try readAvailable(buffer, from: file, at: offset, path: path)
        }
        guard read == count else {
            throw FormatError(file: path, byteOffset: offset + read, "file ends inside the EDF header")
        }
        return bytes
    }

    private static func fill(_ buffer: UnsafeMutableRawBufferPointer, from file: FileDescriptor, at offset: Int,
                             path: String) throws {
        let read = try readAvailable(buffer, from: file, at: offset, path: path)
        guard read == buffer.count else {
            throw FormatError(file: path, byteOffset: offset + read, "file ends inside a data record")
        }
    }

    /// Reads until `buffer` is full or the file ends; returns the bytes read.
    private static func readAvailable(_ buffer: UnsafeMutableRawBufferPointer, from file: FileDescriptor, at offset: Int,
                                      path: String) throws -> Int {
        var done = 0
        while done < buffer.count {
            let count: Int
            do {
                count = try file.read(fromAbsoluteOffset: Int64(offset + done),
                                      into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            } catch {
                throw FormatError(file: path, byteOffset: offset + done, "read failed: \(error)")
            }
            if count == 0 { break }
            done += count
        }
        return done
    }
}

extension String {
    /// nil for an empty string, so `??` can supply a fallback.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
