import ECGRecording

/// Assembles frames from one or more WFDB signal files: applies skew, averages oversampled
/// signals, calibrates to physical units and keeps running checksums.
///
/// Each signal file has a window of decoded raw samples covering the frames being returned plus
/// the largest skew in that file, so a skewed signal reads ahead without re-reading the file.
/// Windows are fixed-size: memory use does not grow with record length.
final class WFDBFrameReader {
    /// Per-file decoding state.
    private struct SignalFile {
        let decoder: WFDBSignalDecoder
        let samplesPerFileFrame: Int
        let maxSkew: Int
        /// Whole frames stored in the file.
        let storedFrames: Int
        let window: UnsafeMutablePointer<Int32>
        let windowCapacityFrames: Int
        /// Stored frame index of `window[0]` and number of frames held.
        var windowStart = 0
        var windowCount = 0
        /// Header signal indices stored in this file, in slot order.
        let signals: Range<Int>
        /// True while the checksum sums cover stored frames 0..<checksumNextFrame without a gap.
        var checksumTracking = true  // a fresh decoder starts at frame 0
        var checksumNextFrame = 0
        var checksumDone = false
    }

    /// Per-lead constants for the hot loops.
    private struct Lead {
        let file: Int
        let slot: Int
        let samplesPerFrame: Int
        let skew: Int
        // Double, so that each value is the correctly rounded Float of (adc - baseline) / gain,
        // as wfdb-python's float64 result rounded to Float.
        let baseline: Double
        let scale: Double
        let invalid: Int32
        let hasInvalid: Bool
        let rawOffset: Int
    }

    let header: WFDBHeader
    let headerFileName: String
    let directory: String
    /// Frames in the record (header count, else what the files hold).
    let frameCount: Int
    /// Frames actually stored in every file (less than `frameCount` for a truncated file).
    let storedFrameCount: Int
    let rawSamplesPerFrame: Int
    private(set) var position = 0
    private var files: [SignalFile] = []
    private var leads: [Lead] = []
    private let chunkFrames: Int
    /// Raw checksum sums per header signal.
    private var checksumSums: [Int]
    /// An error to report on the next read (truncation, checksum mismatch), after the frames
    /// before it were delivered.
    private var pendingError: FormatError?
    /// True when every file has a single-sample, unskewed signal set in header order, so a file
    /// window is already in output order.
    private let isSimpleLayout: Bool
    /// Set when the fused byte-to-Float path applies (see `readFused`).
    private let fusedFormat: WFDBSignalFormat?
    /// Format 212 fused path: 4096 calibrated values per signal, indexed by the unsigned code.
    private let fusedTables: [Float]
    private let fusedBaselines: [Double]
    private let fusedScales: [Double]
    private var fusedSums: [Int]

    /// Largest window (in Int32 samples) one file may need; bounds memory against hostile skews.
    static let maximumWindowSamples = 1 << 24
    /// Most signal files one record may name (real records name one or a few).
    static let maximumFileCount = 256
    /// Most signals for which the format 212 fast path builds its lookup tables (4 MiB).
    static let maximumFused212Signals = 256

    init(header: WFDBHeader, headerFileName: String, directory: String) throws {
        self.header = header
        self.headerFileName = headerFileName
        self.directory = directory
        checksumSums = Array(repeating: 0, count: header.signals.count)
        rawSamplesPerFrame = header.signals.reduce(0) { $0 + $1.samplesPerFrame }
        var maxFileFrame = 1
        var index = 0
        var rawOffset = 0
        var stored = Int.max
        var simple = true
        // Windows hold about 64k samples, so a chunk stays in cache between decode and convert.
        let targetSamples = 1 << 16
        var opened: [SignalFile] = []
        var builtLeads: [Lead] = []
        do {
            while index < header.signals.count {
                let fileName = header.signals[index].fileName
                var end = index
                while end < header.signals.count, header.signals[end].fileName == fileName { end += 1 }
                maxFileFrame = max(maxFileFrame, header.signals[index..<end].reduce(0) { $0 + $1.samplesPerFrame })
                index = end
            }
            chunkFrames = max(1, targetSamples / maxFileFrame)
            let fileCount = Set(header.signals.map(\.fileName)).count
            guard fileCount <= WFDBFrameReader.maximumFileCount else {
                throw FormatError(file: headerFileName, "the record names \(fileCount) signal files; at most \(WFDBFrameReader.maximumFileCount) are supported")
            }
            // Keep total read-buffer memory near 4 MiB however many files a record names.
            let readBufferSize = max(1 << 14, min(WFDBSignalDecoder.bufferSize, (4 << 20) / fileCount))
            var windowBudget = WFDBFrameReader.maximumWindowSamples
            index = 0
            while index < header.signals.count {
                let first = header.signals[index]
                var end = index
                while end < header.signals.count, header.signals[end].fileName == first.fileName { end += 1 }
                let group = header.signals[index..<end]
                let path = try WFDBFrameReader.signalPath(directory: directory, fileName: first.fileName, line: first.headerLine,
                                                           headerFileName: headerFileName)
                let perFrame = group.reduce(0) { $0 + $1.samplesPerFrame }
                let maxSkew = group.map(\.skew).max() ?? 0
                let capacity = chunkFrames + maxSkew
                windowBudget -= capacity * perFrame
                guard windowBudget >= 0 else {
                    throw FormatError(file: headerFileName, line: first.headerLine,
                                      "skews and samples per frame of this record need more buffering than supported (\(WFDBFrameReader.maximumWindowSamples) samples)")
                }
                let decoder = try WFDBSignalDecoder(path: path, signals: group, bufferSize: readBufferSize)
                let fileStored = decoder.storedSampleCount / perFrame
                // A window never holds frames the file lacks: size it by the data, not the header.
                let windowFrames = max(1, min(capacity, fileStored))
                let window = UnsafeMutablePointer<Int32>.allocate(capacity: windowFrames * perFrame)
                stored = min(stored, fileStored)
                var slot = 0
                for signalIndex in index..<end {
                    let signal = header.signals[signalIndex]
                    if signal.samplesPerFrame != 1 || signal.skew != 0 { simple = false }
                    builtLeads.append(Lead(file: opened.count, slot: slot, samplesPerFrame: signal.samplesPerFrame,
                                           skew: signal.skew, baseline: Double(signal.baseline), scale: 1 / signal.gain,
                                           invalid: signal.format.invalidSampleValue ?? 0,
                                           hasInvalid: signal.format.invalidSampleValue != nil, rawOffset: rawOffset))
                    slot += signal.samplesPerFrame
                    rawOffset += signal.samplesPerFrame
                }
                opened.append(SignalFile(decoder: decoder, samplesPerFileFrame: perFrame, maxSkew: maxSkew,
                                         storedFrames: fileStored, window: window, windowCapacityFrames: windowFrames,
                                         signals: index..<end))
                index = end
            }
        } catch {
            for file in opened { file.window.deallocate() }
            throw error
        }
        files = opened
        leads = builtLeads
        isSimpleLayout = simple && opened.count == 1
        let width = header.signals.count
        var fused: WFDBSignalFormat?
        if isSimpleLayout, let format = header.signals.first?.format {
            // Format 212's tables take 16 kB per signal; past a few hundred signals the general
            // path is used, so a header's signal count does not size a large allocation.
            let tablesFit = width <= WFDBFrameReader.maximumFused212Signals
            if format == .twosComplement16 || (format == .packed212 && width % 2 == 0 && tablesFit) { fused = format }
        }
        fusedFormat = fused
        fusedBaselines = header.signals.map { Double($0.baseline) }
        fusedScales = header.signals.map { 1 / $0.gain }
        fusedSums = Array(repeating: 0, count: width)
        var tables: [Float] = []
        if fused == .packed212 {
            tables.reserveCapacity(width * 4096)
            for signal in header.signals {
                for code in 0..<4096 {
                    let value = (code << 52) >> 52  // sign-extend the 12-bit code
                    tables.append(value == -2048 ? .nan
                                  : Float((Double(value) - Double(signal.baseline)) * (1 / signal.gain)))
                }
            }
        }
        fusedTables = tables
        storedFrameCount = header.signals.isEmpty ? (header.sampleCount ?? 0) : stored
        frameCount = header.sampleCount ?? storedFrameCount
    }

    deinit {
        for file in files { file.window.deallocate() }
    }

    /// Samples held in windows and lookup tables (for tests that allocations follow the data).
    var bufferedSampleCount: Int {
        files.reduce(0) { $0 + $1.windowCapacityFrames * $1.samplesPerFileFrame } + fusedTables.count
    }

    /// Resolves a signal file name against the header's folder, refusing absolute paths and `..`
    /// so a header cannot point the reader elsewhere on the disk.
    static func signalPath(directory: String, fileName: String, line: Int, headerFileName: String) throws -> String {
        let components = fileName.split(separator: "/", omittingEmptySubsequences: false)
        guard !fileName.isEmpty, !fileName.hasPrefix("/"), !components.contains("..") else {
            throw FormatError(file: headerFileName, line: line,
                              "signal file name '\(fileName)' must be a path relative to the header's folder")
        }
        return directory.isEmpty ? fileName : directory + "/" + fileName
    }

    /// Positions the next read at `frame`; the windows are refilled lazily.
    func seek(toFrame frame: Int) throws {
        guard frame >= 0, frame <= frameCount else {
            throw FormatError(file: headerFileName, "cannot seek to frame \(frame): the record has \(frameCount) frames")
        }
        position = frame
        pendingError = nil
    }

    /// Reads physical values (see `Recording.readFrames`).
    func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        let width = leads.count
        guard width > 0 else { return 0 }
        let wanted = min(maxFrames, buffer.count / width)
        guard wanted > 0, let output = buffer.baseAddress else { return 0 }
        if fusedFormat != nil { return try readFused(into: output, maxFrames: wanted) }
        return try read(maxFrames: wanted) { frames, done in
            convert(frames: frames, into: output + done * width)
        }
    }

    /// The fast path for the common layouts (one file, one sample per frame, no skew; format 212
    /// with an even signal count, or format 16): bytes go straight from the read buffer to the
    /// caller's Float buffer.
    private func readFused(into output: UnsafeMutablePointer<Float>, maxFrames: Int) throws -> Int {
        var file = files[0]
        defer { files[0] = file }
        let width = leads.count
        let end = min(storedFrameCount, frameCount)
        guard position < end else {
            if position < frameCount, pendingError == nil { pendingError = truncationError() }
            if let pendingError {
                self.pendingError = nil
                throw pendingError
            }
            return 0
        }
        let wanted = min(maxFrames, end - position)
        if file.decoder.nextSample != position * width {
            try file.decoder.seek(toSample: position * width)
            file.checksumTracking = position == 0
            file.checksumNextFrame = 0
            if position == 0 { for signal in 0..<width { checksumSums[signal] = 0 } }
        }
        let got: Int = try fusedSums.withUnsafeMutableBufferPointer { sums in
            let sumsBase = sums.baseAddress.unsafelyUnwrapped
            for index in 0..<width { sumsBase[index] = 0 }
            if fusedFormat == .packed212 {
                return try fusedTables.withUnsafeBufferPointer { tables in
                    try file.decoder.decodeCalibrated212(into: output, frames: wanted, signalCount: width,
                                                         tables: tables.baseAddress.unsafelyUnwrapped, sums: sumsBase)
                }
            }
            return try fusedBaselines.withUnsafeBufferPointer { baselines in
                try fusedScales.withUnsafeBufferPointer { scales in
                    try file.decoder.decodeCalibrated16(into: output, frames: wanted, signalCount: width,
                                                        baselines: baselines.baseAddress.unsafelyUnwrapped,
                                                        scales: scales.baseAddress.unsafelyUnwrapped, sums: sumsBase)
                }
            }
        }
        guard got == wanted else {
            throw FormatError(file: file.decoder.fileName, byteOffset: file.decoder.fileSize,
                              "signal file changed while being read: frame \(position + got) is missing")
        }
        // Keep the windowed path consistent: an empty window ending where the decoder stands.
        file.windowStart = position + got
        file.windowCount = 0
        if file.checksumTracking, file.checksumNextFrame == position, let total = header.sampleCount {
            for signal in 0..<width { checksumSums[signal] &+= fusedSums[signal] }
            file.checksumNextFrame = position + got
            if !file.checksumDone, file.checksumNextFrame >= total {
                file.checksumDone = true
                if pendingError == nil { pendingError = checksumError(signals: file.signals) }
            }
        }
        position += got
        return got
    }

    /// Reads raw ADC values, `rawSamplesPerFrame` per frame, `WFDBRecord.invalidSample` for invalid.
    func readRawFrames(into buffer: UnsafeMutableBufferPointer<Int32>, maxFrames: Int) throws -> Int {
        let width = rawSamplesPerFrame
        guard width > 0 else { return 0 }
        let wanted = min(maxFrames, buffer.count / width)
        guard wanted > 0, let output = buffer.baseAddress else { return 0 }
        return try read(maxFrames: wanted) { frames, done in
            copyRaw(frames: frames, into: output + done * width)
        }
    }

    private func read(maxFrames: Int, emit: (Int, Int) -> Void) throws -> Int {
        var done = 0
        while done < maxFrames {
            let end = min(storedFrameCount, frameCount)
            if position >= end {
                if position < frameCount, pendingError == nil { pendingError = truncationError() }
                break
            }
            let count = min(maxFrames - done, chunkFrames, end - position)
            for index in files.indices { try fill(file: index, from: position, frames: count) }
            emit(count, done)
            done += count
            position += count
        }
        if done == 0, let pendingError {
            self.pendingError = nil
            throw pendingError
        }
        return done
    }

    /// The signal file holding the fewest whole frames (name as in the header), and how many.
    var shortestFile: (name: String, frames: Int)? {
        files.min { $0.storedFrames < $1.storedFrames }.map { ($0.decoder.fileName, $0.storedFrames) }
    }

    private func truncationError() -> FormatError {
        guard let shortest = files.min(by: { $0.storedFrames < $1.storedFrames }) else {
            return FormatError(file: headerFileName, "the record has no signal files")
        }
        return FormatError(file: shortest.decoder.fileName, byteOffset: shortest.decoder.fileSize,
                           "signal file ends after frame \(shortest.storedFrames) of the \(frameCount) the header declares (truncated file)")
    }

    /// Makes file `index`'s window hold stored frames `frame ..< frame + frames + maxSkew`
    /// (as far as the file goes), with `windowStart == frame`.
    private func fill(file index: Int, from frame: Int, frames: Int) throws {
        var file = files[index]
        defer { files[index] = file }
        let perFrame = file.samplesPerFileFrame
        // Stored frames past the header's length (a packed group's padding) are not data, even
        // for a skewed signal reading ahead.
        let wantedEnd = min(frame + frames + file.maxSkew, file.storedFrames, frameCount)
        let windowEnd = file.windowStart + file.windowCount
        if frame < file.windowStart || frame > windowEnd || file.decoder.nextSample != windowEnd * perFrame {
            try file.decoder.seek(toSample: frame * perFrame)
            file.windowStart = frame
            file.windowCount = 0
            file.checksumTracking = frame == 0
            file.checksumNextFrame = 0
            if frame == 0 { for signal in file.signals { checksumSums[signal] = 0 } }
        } else if frame > file.windowStart {
            let drop = frame - file.windowStart
            let keep = file.windowCount - drop
            if keep > 0 { file.window.update(from: file.window + drop * perFrame, count: keep * perFrame) }
            file.windowStart = frame
            file.windowCount = keep
        }
        let have = file.windowStart + file.windowCount
        guard wantedEnd > have else { return }
        let newFrames = wantedEnd - have
        let destination = file.window + file.windowCount * perFrame
        let got = try file.decoder.decode(into: destination, count: newFrames * perFrame)
        guard got == newFrames * perFrame else {
            throw FormatError(file: file.decoder.fileName, byteOffset: file.decoder.fileSize,
                              "signal file changed while being read: frame \(have + got / perFrame) is missing")
        }
        file.windowCount += newFrames
        if file.checksumTracking, file.checksumNextFrame == have, let total = header.sampleCount {
            let summed = max(0, min(newFrames, total - have))
            accumulateChecksums(file: file, from: destination, frames: summed)
            file.checksumNextFrame = have + newFrames
            if !file.checksumDone, file.checksumNextFrame >= total {
                file.checksumDone = true
                if pendingError == nil { pendingError = checksumError(signals: file.signals) }
            }
        }
    }

    private func accumulateChecksums(file: SignalFile, from samples: UnsafeMutablePointer<Int32>, frames: Int) {
        let perFrame = file.samplesPerFileFrame
        for signal in file.signals {
            let lead = leads[signal]
            var sum = 0
            for frame in 0..<frames {
                let base = frame * perFrame + lead.slot
                for k in 0..<lead.samplesPerFrame { sum &+= Int(samples[base + k]) }
            }
            checksumSums[signal] &+= sum
        }
    }

    /// Compares the 16-bit sums with the header's checksums; nil when all match.
    private func checksumError(signals: Range<Int>) -> FormatError? {
        var failures: [String] = []
        for signal in signals {
            // Converters that do not compute checksums write 0 (all of CinC 2017 does), so 0 is
            // read as "not recorded"; a true zero sum goes unchecked, a 1 in 65536 chance.
            guard let expected = header.signals[signal].checksum, expected != 0 else { continue }
            let actual = Int16(truncatingIfNeeded: checksumSums[signal])
            if actual != Int16(truncatingIfNeeded: expected) {
                failures.append("signal \(signal) (\(header.signals[signal].description)): computed \(actual), header says \(expected)")
            }
        }
        guard !failures.isEmpty, let first = signals.first else { return nil }
        return FormatError(file: header.signals[first].fileName,
                           "checksum mismatch, the signal file is damaged: " + failures.joined(separator: "; "))
    }

    /// Checksum sums so far are complete for every file; used by `verifyChecksums`.
    var checksumsComplete: Bool { files.allSatisfy(\.checksumDone) }

    /// Writes `frames` frames of calibrated values, starting at the windows' first frame.
    private func convert(frames: Int, into output: UnsafeMutablePointer<Float>) {
        let width = leads.count
        if isSimpleLayout {
            let window = files[0].window
            leads.withUnsafeBufferPointer { leads in
                for frame in 0..<frames {
                    let row = frame * width
                    for signal in 0..<width {
                        let lead = leads[signal]
                        let value = window[row + signal]
                        output[row + signal] = lead.hasInvalid && value == lead.invalid
                            ? .nan : Float((Double(value) - lead.baseline) * lead.scale)
                    }
                }
            }
            return
        }
        for (signal, lead) in leads.enumerated() {
            let file = files[lead.file]
            let perFrame = file.samplesPerFileFrame
            let available = file.windowCount
            for frame in 0..<frames {
                let storedFrame = frame + lead.skew
                var value = Float.nan
                if storedFrame < available {
                    let base = storedFrame * perFrame + lead.slot
                    if lead.samplesPerFrame == 1 {
                        let raw = file.window[base]
                        if !(lead.hasInvalid && raw == lead.invalid) { value = Float((Double(raw) - lead.baseline) * lead.scale) }
                    } else {
                        // Average the oversampled values as WFDB's getvec does; any invalid one
                        // makes the frame's value invalid.
                        var sum = 0.0
                        var valid = true
                        for k in 0..<lead.samplesPerFrame {
                            let raw = file.window[base + k]
                            if lead.hasInvalid && raw == lead.invalid { valid = false; break }
                            sum += Double(raw)
                        }
                        if valid {
                            value = Float((sum / Double(lead.samplesPerFrame) - lead.baseline) * lead.scale)
                        }
                    }
                }
                output[frame * width + signal] = value
            }
        }
    }

    /// Writes `frames` frames of raw values (all samples of every signal).
    private func copyRaw(frames: Int, into output: UnsafeMutablePointer<Int32>) {
        let width = rawSamplesPerFrame
        for lead in leads {
            let file = files[lead.file]
            let perFrame = file.samplesPerFileFrame
            for frame in 0..<frames {
                let storedFrame = frame + lead.skew
                let target = output + frame * width + lead.rawOffset
                guard storedFrame < file.windowCount else {
                    target.update(repeating: WFDBRecord.invalidSample, count: lead.samplesPerFrame)
                    continue
                }
                let base = storedFrame * perFrame + lead.slot
                for k in 0..<lead.samplesPerFrame {
                    let raw = file.window[base + k]
                    target[k] = lead.hasInvalid && raw == lead.invalid ? WFDBRecord.invalidSample : raw
                }
            }
        }
    }
}
