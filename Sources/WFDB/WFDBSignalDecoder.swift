import ECGRecording
import SystemPackage

/// Streams the raw sample sequence of one WFDB signal file (all signals stored in it, interleaved
/// as written) through a fixed-size read buffer.
///
/// Samples come out as the format's stored integers (invalid markers included), so callers can
/// both checksum and calibrate them. The file is never loaded whole: each `decode` call reads at
/// most one buffer's worth of new bytes per refill.
final class WFDBSignalDecoder {
    let format: WFDBSignalFormat
    /// File name as given in the header, for error messages.
    let fileName: String
    /// Byte at which sample 0 is stored.
    let byteOffset: Int
    /// Size of the file when opened.
    let fileSize: Int
    /// Samples per frame summed over the file's signals.
    let samplesPerFileFrame: Int

    private let descriptor: FileDescriptor
    private let buffer: UnsafeMutableRawBufferPointer
    /// Unconsumed bytes are `buffer[bufferStart..<bufferEnd]`.
    private var bufferStart = 0
    private var bufferEnd = 0
    /// Absolute file offset of `buffer[bufferEnd]`.
    private var readOffset: Int
    private var atEndOfFile = false
    /// Index (in the file's sample sequence) of the next sample `decode` returns.
    private(set) var nextSample = 0
    /// Samples of a partly consumed group (212 pairs, 310/311 triples).
    private var pending: (Int32, Int32, Int32) = (0, 0, 0)
    private var pendingStart = 0
    private var pendingEnd = 0
    /// Format 8 only: each slot's signal (within this file) and each signal's running value.
    private let slotSignal: [Int]
    private let initialValues: [Int32]
    private var runningValues: [Int32]

    /// Bytes read from disk at a time (by default).
    static let bufferSize = 1 << 18

    /// Opens `path` for the signals `signals` (the consecutive header lines naming this file).
    init(path: String, signals: ArraySlice<WFDBSignalSpecification>, bufferSize: Int = WFDBSignalDecoder.bufferSize) throws {
        guard let first = signals.first else { preconditionFailure("a signal file has at least one signal") }
        format = first.format
        fileName = first.fileName
        byteOffset = first.byteOffset
        samplesPerFileFrame = signals.reduce(0) { $0 + $1.samplesPerFrame }
        var slots: [Int] = []
        if format == .firstDifference8 {  // only format 8 needs each slot's signal
            for (index, signal) in signals.enumerated() {
                slots.append(contentsOf: repeatElement(index, count: signal.samplesPerFrame))
            }
        }
        slotSignal = slots
        initialValues = signals.map { Int32(truncatingIfNeeded: $0.initialValue) }
        runningValues = initialValues
        (descriptor, fileSize) = try InputFile.open(path, errorFile: first.fileName, what: "signal file")
        readOffset = byteOffset
        buffer = .allocate(byteCount: max(bufferSize, 16), alignment: 16)
    }

    deinit {
        buffer.deallocate()
        try? descriptor.close()
    }

    /// Samples fully stored in the file (whole groups, plus whole samples of a final partial group).
    var storedSampleCount: Int {
        let bytes = max(0, fileSize - byteOffset)
        let groups = bytes / format.bytesPerGroup
        return groups * format.samplesPerGroup + WFDBSignalDecoder.samplesInPartialGroup(format, bytes: bytes % format.bytesPerGroup)
    }

    /// Decodes up to `count` samples into `output`; fewer only at the end of the file.
    func decode(into output: UnsafeMutablePointer<Int32>, count: Int) throws -> Int {
        // `nextSample` advances as samples are produced: format 8 derives each sample's signal
        // from it, possibly several times within one call.
        var produced = 0
        while pendingStart < pendingEnd, produced < count {
            output[produced] = pendingValue(pendingStart)
            pendingStart += 1
            produced += 1
            nextSample += 1
        }
        let groupBytes = format.bytesPerGroup, groupSamples = format.samplesPerGroup
        while produced < count {
            if bufferEnd - bufferStart < groupBytes {
                try refill()
                if bufferEnd - bufferStart < groupBytes {
                    let tail = decodePartialTail(into: output + produced, count: count - produced)
                    produced += tail
                    nextSample += tail
                    break
                }
            }
            let groups = min((bufferEnd - bufferStart) / groupBytes, (count - produced) / groupSamples)
            if groups == 0 {
                // Fewer samples wanted than a group holds: decode one group, keep the rest.
                decodeGroupIntoPending()
                while pendingStart < pendingEnd, produced < count {
                    output[produced] = pendingValue(pendingStart)
                    pendingStart += 1
                    produced += 1
                    nextSample += 1
                }
                continue
            }
            let source = UnsafeRawPointer(buffer.baseAddress.unsafelyUnwrapped) + bufferStart
            decodeGroups(source, groups: groups, into: output + produced)
            bufferStart += groups * groupBytes
            produced += groups * groupSamples
            nextSample += groups * groupSamples
        }
        return produced
    }

    /// Positions the stream at sample `sample` of the file's sample sequence. Packed formats
    /// start at the enclosing group; first-difference format 8 must replay the differences from
    /// the start of the file (or from the current position when seeking forwards).
    func seek(toSample sample: Int) throws {
        if format == .firstDifference8 {
            if sample < nextSample { restart(atByte: byteOffset, sample: 0) }
            try skip(sample - nextSample)
            return
        }
        let group = sample / format.samplesPerGroup
        let (bytes, overflow) = group.multipliedReportingOverflow(by: format.bytesPerGroup)
        guard !overflow, bytes <= Int.max - byteOffset else {
            throw FormatError(file: fileName, "sample \(sample) lies beyond any possible file position")
        }
        restart(atByte: byteOffset + bytes, sample: group * format.samplesPerGroup)
        try skip(sample - nextSample)
    }

    private func restart(atByte offset: Int, sample: Int) {
        readOffset = offset
        bufferStart = 0
        bufferEnd = 0
        atEndOfFile = false
        pendingStart = 0
        pendingEnd = 0
        nextSample = sample
        if sample == 0 { runningValues = initialValues }
    }

    private func skip(_ count: Int) throws {
        guard count > 0 else { return }
        var scratch = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
        var remaining = count
        try withUnsafeMutableBytes(of: &scratch) { raw in
            let pointer = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: Int32.self)
            while remaining > 0 {
                let got = try decode(into: pointer, count: min(remaining, 8))
                if got == 0 { break }
                remaining -= got
            }
        }
    }

    /// Moves unconsumed bytes to the front and reads more, keeping reads at fixed buffer size.
    private func refill() throws {
        guard !atEndOfFile else { return }
        let leftover = bufferEnd - bufferStart
        let base = buffer.baseAddress.unsafelyUnwrapped
        if leftover > 0, bufferStart > 0 { base.copyMemory(from: base + bufferStart, byteCount: leftover) }
        bufferStart = 0
        bufferEnd = leftover
        while bufferEnd < buffer.count {
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[bufferEnd...])
            let got: Int
            do {
                got = try descriptor.read(fromAbsoluteOffset: Int64(readOffset), into: target)
            } catch {
                throw FormatError(file: fileName, byteOffset: readOffset, "cannot read signal file: \(error)")
            }
            if got == 0 { atEndOfFile = true; break }
            bufferEnd += got
            readOffset += got
        }
    }

    private func pendingValue(_ index: Int) -> Int32 {
        switch index {
        case 0: return pending.0
        case 1: return pending.1
        default: return pending.2
        }
    }

    private func decodeGroupIntoPending() {
        var values = (Int32(0), Int32(0), Int32(0))
        withUnsafeMutableBytes(of: &values) { raw in
            let source = UnsafeRawPointer(buffer.baseAddress.unsafelyUnwrapped) + bufferStart
            decodeGroups(source, groups: 1, into: raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: Int32.self))
        }
        bufferStart += format.bytesPerGroup
        pending = values
        pendingStart = 0
        pendingEnd = format.samplesPerGroup
    }

    /// Whole samples recoverable from the first `bytes` bytes of a group (a file may end inside
    /// a 212 pair or a 310/311 triple).
    static func samplesInPartialGroup(_ format: WFDBSignalFormat, bytes: Int) -> Int {
        switch format {
        case .packed212: return bytes >= 2 ? 1 : 0
        case .packed310: return bytes >= 2 ? 1 : 0
        case .packed311: return bytes >= 3 ? 2 : (bytes >= 2 ? 1 : 0)
        default: return 0
        }
    }

    /// Decodes the samples held by the trailing bytes of a file that ends inside a group.
    private func decodePartialTail(into output: UnsafeMutablePointer<Int32>, count: Int) -> Int {
        let available = bufferEnd - bufferStart
        let whole = WFDBSignalDecoder.samplesInPartialGroup(format, bytes: available)
        guard whole > 0 else { return 0 }
        var group = (UInt32(0), UInt32(0))  // zero padding for the missing bytes
        var values = (Int32(0), Int32(0), Int32(0))
        withUnsafeMutableBytes(of: &group) { padded in
            padded.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[bufferStart..<bufferEnd]))
            withUnsafeMutableBytes(of: &values) { raw in
                decodeGroups(UnsafeRawPointer(padded.baseAddress.unsafelyUnwrapped), groups: 1,
                             into: raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: Int32.self))
            }
        }
        bufferStart = bufferEnd
        pending = values
        pendingStart = 0
        pendingEnd = whole
        var produced = 0
        while pendingStart < pendingEnd, produced < count {
            output[produced] = pendingValue(pendingStart)
            pendingStart += 1
            produced += 1
        }
        return produced
    }

    /// Decodes `groups` whole groups; the hot loop of every read.
    private func decodeGroups(_ source: UnsafeRawPointer, groups: Int, into output: UnsafeMutablePointer<Int32>) {
        let bytes = source.assumingMemoryBound(to: UInt8.self)
        switch format {
        case .packed212:
            WFDBSignalDecoder.decode212(bytes, groups: groups, into: output)
        case .twosComplement16:
            for index in 0..<groups {
                output[index] = Int32(Int16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * index, as: Int16.self)))
            }
        case .bigEndian16:
            for index in 0..<groups {
                output[index] = Int32(Int16(bigEndian: source.loadUnaligned(fromByteOffset: 2 * index, as: Int16.self)))
            }
        case .offsetBinary16:
            for index in 0..<groups {
                output[index] = Int32(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))) - 32768
            }
        case .offsetBinary8:
            for index in 0..<groups { output[index] = Int32(bytes[index]) - 128 }
        case .twosComplement24:
            for index in 0..<groups {
                let b = bytes + 3 * index
                let value = UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16
                output[index] = Int32(bitPattern: value << 8) >> 8
            }
        case .twosComplement32:
            for index in 0..<groups {
                output[index] = Int32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self))
            }
        case .packed310:
            for index in 0..<groups {
                let first = UInt32(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 4 * index, as: UInt16.self)))
                let second = UInt32(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 4 * index + 2, as: UInt16.self)))
                output[3 * index] = signExtend10((first >> 1) & 0x3FF)
                output[3 * index + 1] = signExtend10((second >> 1) & 0x3FF)
                output[3 * index + 2] = signExtend10(((first >> 11) & 0x1F) | (((second >> 11) & 0x1F) << 5))
            }
        case .packed311:
            for index in 0..<groups {
                let word = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
                output[3 * index] = signExtend10(word & 0x3FF)
                output[3 * index + 1] = signExtend10((word >> 10) & 0x3FF)
                output[3 * index + 2] = signExtend10((word >> 20) & 0x3FF)
            }
        case .firstDifference8:
            var slot = nextSample % samplesPerFileFrame
            runningValues.withUnsafeMutableBufferPointer { running in
                slotSignal.withUnsafeBufferPointer { slots in
                    for index in 0..<groups {
                        let signal = slots[slot]
                        running[signal] &+= Int32(Int8(bitPattern: bytes[index]))
                        output[index] = running[signal]
                        slot += 1
                        if slot == slots.count { slot = 0 }
                    }
                }
            }
        }
    }

    // MARK: Fused fast paths (bytes straight to calibrated Float)

    /// Whole frames of `bytesPerFrame` bytes ready in the buffer, refilling when none are.
    private func framesReady(bytesPerFrame: Int) throws -> Int {
        if bufferEnd - bufferStart < bytesPerFrame { try refill() }
        return (bufferEnd - bufferStart) / bytesPerFrame
    }

    /// Format 212 with an even number of signals per frame (each frame is whole groups):
    /// decodes `frames` frames into `output` through per-signal lookup tables of 4096 calibrated
    /// values (NaN at the invalid code), adding each signal's raw values to `sums`.
    /// Returns the frames decoded (fewer only at the end of the file).
    func decodeCalibrated212(into output: UnsafeMutablePointer<Float>, frames: Int, signalCount: Int,
                             tables: UnsafePointer<Float>, sums: UnsafeMutablePointer<Int>) throws -> Int {
        let bytesPerFrame = signalCount / 2 * 3
        var done = 0
        while done < frames {
            let ready = min(try framesReady(bytesPerFrame: bytesPerFrame), frames - done)
            if ready == 0 { break }
            let bytes = UnsafePointer(buffer.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)) + bufferStart
            let out = output + done * signalCount
            if signalCount == 2 {
                let first = tables, second = tables + 4096
                var sumFirst = 0, sumSecond = 0
                for frame in 0..<ready {
                    let b = bytes + 3 * frame
                    let middle = Int(b[1])
                    let low = Int(b[0]) | (middle & 0x0F) << 8
                    let high = Int(b[2]) | (middle & 0xF0) << 4
                    out[2 * frame] = first[low]
                    out[2 * frame + 1] = second[high]
                    sumFirst &+= (low << 52) >> 52
                    sumSecond &+= (high << 52) >> 52
                }
                sums[0] &+= sumFirst
                sums[1] &+= sumSecond
            } else {
                for frame in 0..<ready {
                    let b = bytes + bytesPerFrame * frame
                    let row = out + frame * signalCount
                    for pair in 0..<(signalCount / 2) {
                        let middle = Int(b[3 * pair + 1])
                        let low = Int(b[3 * pair]) | (middle & 0x0F) << 8
                        let high = Int(b[3 * pair + 2]) | (middle & 0xF0) << 4
                        row[2 * pair] = tables[(2 * pair) * 4096 + low]
                        row[2 * pair + 1] = tables[(2 * pair + 1) * 4096 + high]
                        sums[2 * pair] &+= (low << 52) >> 52
                        sums[2 * pair + 1] &+= (high << 52) >> 52
                    }
                }
            }
            bufferStart += ready * bytesPerFrame
            done += ready
        }
        nextSample += done * signalCount
        return done
    }

    /// Format 16: decodes `frames` frames of `signalCount` samples into calibrated `output`
    /// (`(adc - baselines[s]) * scales[s]`, NaN for -32768), adding raw values to `sums`.
    func decodeCalibrated16(into output: UnsafeMutablePointer<Float>, frames: Int, signalCount: Int,
                            baselines: UnsafePointer<Double>, scales: UnsafePointer<Double>,
                            sums: UnsafeMutablePointer<Int>) throws -> Int {
        let bytesPerFrame = 2 * signalCount
        var done = 0
        while done < frames {
            let ready = min(try framesReady(bytesPerFrame: bytesPerFrame), frames - done)
            if ready == 0 { break }
            let source = UnsafeRawPointer(buffer.baseAddress.unsafelyUnwrapped) + bufferStart
            let out = output + done * signalCount
            for signal in 0..<signalCount {
                let baseline = baselines[signal], scale = scales[signal]
                var sum = 0
                for frame in 0..<ready {
                    let index = frame * signalCount + signal
                    let value = Int16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * index, as: Int16.self))
                    sum &+= Int(value)
                    let physical = Float((Double(value) - baseline) * scale)
                    out[index] = value == Int16.min ? .nan : physical
                }
                sums[signal] &+= sum
            }
            bufferStart += ready * bytesPerFrame
            done += ready
        }
        nextSample += done * signalCount
        return done
    }

    @inline(__always)
    private func signExtend10(_ value: UInt32) -> Int32 {
        Int32(bitPattern: value << 22) >> 22
    }

    /// Two 12-bit samples per three bytes: the first is byte 0 plus the low nibble of byte 1 as
    /// its top bits, the second is byte 2 plus the high nibble of byte 1.
    @inline(__always)
    static func decode212(_ bytes: UnsafePointer<UInt8>, groups: Int, into output: UnsafeMutablePointer<Int32>) {
        for index in 0..<groups {
            let b = bytes + 3 * index
            let middle = UInt32(b[1])
            let first = UInt32(b[0]) | (middle & 0x0F) << 8
            let second = UInt32(b[2]) | (middle & 0xF0) << 4
            output[2 * index] = Int32(bitPattern: first << 20) >> 20
            output[2 * index + 1] = Int32(bitPattern: second << 20) >> 20
        }
    }
}
