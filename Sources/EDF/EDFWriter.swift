import ECGRecording
import SystemPackage

/// Writes EDF, EDF+ (continuous or discontinuous) and BDF files one data record at a time.
///
/// Give the header (its `dataRecordCount` is filled in by `finish()`), then append records.
/// Samples are given for the ordinary signals only; annotation channels (`EDF Annotations`) are
/// filled by the writer with the record's time-keeping annotation and any events passed along.
///
/// ```swift
/// let writer = try EDFWriter(path: "100.edf", header: header)
/// try writer.appendRecord(physical: [leadI, leadII])
/// try writer.finish()
/// ```
public final class EDFWriter {
    /// The header as written (record count updated by `finish()`).
    public private(set) var header: EDFHeader
    /// Data records written so far.
    public private(set) var recordCount = 0

    private let path: String
    private let file: FileDescriptor
    private var recordBytes: [UInt8]
    private var finished = false

    /// Creates (or truncates) `path` and writes the header.
    /// - Throws: `FormatError` when the header cannot be encoded or the file cannot be written.
    public init(path: String, header: EDFHeader) throws {
        guard !header.signals.isEmpty else { throw FormatError(file: path, "an EDF file needs at least one signal") }
        for signal in header.signals {
            guard signal.samplesPerRecord > 0, signal.digitalMinimum < signal.digitalMaximum,
                  header.sampleFormat.digitalRange.contains(signal.digitalMinimum),
                  header.sampleFormat.digitalRange.contains(signal.digitalMaximum),
                  signal.physicalMinimum != signal.physicalMaximum else {
                throw FormatError(file: path, "signal '\(signal.label)' has an invalid range or sample count")
            }
        }
        self.path = path
        var header = header
        header.dataRecordCount = -1  // until finish(): readers then size the file themselves
        // EDF+ and BDF+ name annotation channels differently and expect the full digital range.
        for index in header.signals.indices where header.signals[index].isAnnotationChannel {
            header.signals[index].label = header.sampleFormat == .bdf ? "BDF Annotations" : EDFSignalHeader.annotationLabel
            header.signals[index].digitalMinimum = header.sampleFormat.digitalRange.lowerBound
            header.signals[index].digitalMaximum = header.sampleFormat.digitalRange.upperBound
        }
        self.header = header
        recordBytes = [UInt8](repeating: 0, count: header.dataRecordByteCount)
        let encoded = try header.encoded()
        do {
            file = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .truncate],
                                           permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw FormatError(file: path, "cannot create: \(error)")
        }
        do {
            _ = try file.writeAll(encoded)
        } catch {
            try? file.close()
            throw FormatError(file: path, "write failed: \(error)")
        }
    }

    deinit {
        if !finished { try? file.close() }
    }

    /// Appends one data record of digital samples: one array per ordinary signal, in header
    /// order, each holding exactly that signal's samples per record.
    /// - Parameters:
    ///   - annotations: EDF+ events to store in this record's annotation channel.
    ///   - recordStart: the record's start in seconds from the header start time; defaults to
    ///     contiguous records (index × duration). Set it to leave gaps in EDF+D files.
    public func appendRecord(digital: [[Int32]], annotations: [EDFAnnotation] = [], recordStart: Double? = nil) throws {
        guard !finished else { throw FormatError(file: path, "appendRecord after finish()") }
        let bytesPerSample = header.sampleFormat.bytesPerSample
        var position = 0
        var lead = 0
        var annotationsWritten = false
        let start = recordStart ?? Double(recordCount) * header.dataRecordDuration
        for signal in header.signals {
            let byteCount = signal.samplesPerRecord * bytesPerSample
            if signal.isAnnotationChannel {
                // Time keeping goes in every annotation channel; events only in the first.
                let events = annotationsWritten ? [] : annotations
                annotationsWritten = true
                guard let bytes = EDFAnnotation.encodeRecord(recordStart: start, annotations: events, byteCount: byteCount)
                else {
                    throw FormatError(file: path, "record \(recordCount): annotations do not fit \(byteCount) bytes")
                }
                recordBytes.replaceSubrange(position..<(position + byteCount), with: bytes)
            } else {
                guard lead < digital.count, digital[lead].count == signal.samplesPerRecord else {
                    throw FormatError(file: path,
                                      "record \(recordCount): signal '\(signal.label)' needs \(signal.samplesPerRecord) samples")
                }
                for (index, value) in digital[lead].enumerated() {
                    let clamped = min(max(value, signal.digitalMinimum), signal.digitalMaximum)
                    let bits = UInt32(bitPattern: clamped)
                    let at = position + index * bytesPerSample
                    recordBytes[at] = UInt8(truncatingIfNeeded: bits)
                    recordBytes[at + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                    if bytesPerSample == 3 { recordBytes[at + 2] = UInt8(truncatingIfNeeded: bits >> 16) }
                }
                lead += 1
            }
            position += byteCount
        }
        guard lead == digital.count else {
            throw FormatError(file: path, "record \(recordCount): \(digital.count) signals given, the header has \(lead)")
        }
        if !annotations.isEmpty && !annotationsWritten {
            throw FormatError(file: path, "annotations given but the header has no EDF Annotations signal")
        }
        do {
            _ = try file.writeAll(recordBytes)
        } catch {
            throw FormatError(file: path, "write failed: \(error)")
        }
        recordCount += 1
    }

    /// Appends one data record of physical values (one array per ordinary signal), rounded to
    /// the nearest digital value and clipped to the digital range; NaN is stored as the digital
    /// minimum (EDF has no missing-value code).
    public func appendRecord(physical: [[Double]], annotations: [EDFAnnotation] = [], recordStart: Double? = nil) throws {
        let ordinary = header.signals.filter { !$0.isAnnotationChannel }
        guard physical.count == ordinary.count else {
            throw FormatError(file: path, "record \(recordCount): \(physical.count) signals given, the header has \(ordinary.count)")
        }
        let digital = zip(physical, ordinary).map { values, signal in
            let scale = signal.scale, offset = signal.offset
            return values.map { value -> Int32 in
                guard value.isFinite else { return value.isNaN ? signal.digitalMinimum
                                                               : (value > 0 ? signal.digitalMaximum : signal.digitalMinimum) }
                let digital = ((value - offset) / scale).rounded()
                return Int32(min(max(digital, Double(signal.digitalMinimum)), Double(signal.digitalMaximum)))
            }
        }
        try appendRecord(digital: digital, annotations: annotations, recordStart: recordStart)
    }

    /// Writes the final record count into the header and closes the file.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        defer { try? file.close() }
        header.dataRecordCount = recordCount
        let count = Array(String(recordCount).utf8)
        let field = count + [UInt8](repeating: 0x20, count: max(0, 8 - count.count))
        do {
            _ = try file.seek(offset: 236, from: .start)  // the "number of data records" field
            _ = try file.writeAll(field.prefix(8))
        } catch {
            throw FormatError(file: path, byteOffset: 236, "cannot update the record count: \(error)")
        }
    }
}
