import CALSA
import ECGRecording
import Foundation
import MonitorCore
import SignalProcessing

/// Frames from an ALSA capture device (a sound card's line input behind an ECG front end, or an
/// ADC with an ALSA driver), decimated to the analysis rate.
///
/// The device is opened non-blocking for capture, interleaved read/write access, the configured
/// format and channels, and the rate nearest `sampleRate` it offers. Capture runs a period at a
/// time: counts are scaled to mV, leads picked by `channelMap`, and a `FractionalResampler`
/// low-passes and resamples to `analysisRate`, which is the delivered `frameRate` exactly (the
/// granted device rate is used for the ratio, `deviceRate`).
///
/// Faults: an overrun (`-EPIPE`, the reader fell more than a buffer behind) re-prepares the device
/// and continues, counted in `overruns`; the lost samples are not replaced, the resampler joins the
/// two sides. A suspend (`-ESTRPIPE`) is resumed (or re-prepared), counted in `suspends`. Any
/// other capture error (the USB card unplugged: `-ENODEV`) is final and thrown.
///
/// `close()` from another thread is honoured within about 100 ms (the read loop waits on the
/// device in 100 ms steps). Threading: `readFrames` belongs to one acquisition thread; `close()`
/// and `statistics` may be used from any thread.
public final class ALSAFrameSource: FrameSource, @unchecked Sendable {
    /// The configuration it was created with.
    public let configuration: ALSASourceConfiguration
    public let leads: [LeadDescription]
    /// The analysis rate: frames per second delivered by `readFrames`.
    public let frameRate: Double
    /// The capture rate the device granted (may differ slightly from `configuration.sampleRate`).
    public let deviceRate: Int
    /// The period the device granted, in device frames: the most one capture read returns.
    public let periodFrames: Int

    private var pcm: OpaquePointer?
    private var localConfiguration: OpaquePointer?
    private let channelMap: [Int]
    private var resampler: FractionalResampler
    private var capture: UnsafeMutableRawBufferPointer
    private var scaled: [Float]
    private var queue: FrameQueue
    private let counters = AcquisitionCounters()
    private let stateLock = NSLock()
    private var closeRequested = false

    /// Opens and configures the device. Throws an `AcquisitionError` naming the device and the
    /// alsa-lib reason (e.g. "No such file or directory" for an unknown card) when it cannot.
    public init(configuration: ALSASourceConfiguration) throws {
        let name = configuration.device
        self.configuration = configuration
        guard configuration.channels > 0, configuration.countsPerMillivolt.count == configuration.channels,
              configuration.countsPerMillivolt.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw AcquisitionError(device: name, "need one positive counts-per-mV value per channel (\(configuration.channels))")
        }
        let map = configuration.channelMap ?? Array(configuration.leadNames.indices)
        guard !map.isEmpty, map.count == configuration.leadNames.count,
              map.allSatisfy({ (0..<configuration.channels).contains($0) }) else {
            throw AcquisitionError(device: name, "leads \(configuration.leadNames) and channel map \(map) do not fit \(configuration.channels) channels")
        }
        guard configuration.sampleRate > 0, configuration.analysisRate.isFinite, configuration.analysisRate > 0,
              configuration.analysisRate <= Double(configuration.sampleRate) else {
            throw AcquisitionError(device: name, "the analysis rate must be positive and at most the device rate")
        }
        channelMap = map
        frameRate = configuration.analysisRate
        leads = zip(configuration.leadNames, map).map { lead, channel in
            LeadDescription(name: lead, units: "mV", samplingFrequency: configuration.analysisRate,
                            gain: configuration.countsPerMillivolt[channel])
        }

        var handle: OpaquePointer?
        var local: OpaquePointer?
        if let text = configuration.configurationText {
            local = try Self.loadConfiguration(text, device: name)
            let status = snd_pcm_open_lconf(&handle, name, SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK, local)
            if status < 0 {
                snd_config_delete(local)
                throw Self.error(name, "cannot open for capture", status)
            }
        } else {
            let status = snd_pcm_open(&handle, name, SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK)
            if status < 0 { throw Self.error(name, "cannot open for capture", status) }
        }
        guard let handle else { throw AcquisitionError(device: name, "alsa-lib returned no PCM handle") }
        do {
            let granted = try Self.configure(handle, configuration)
            deviceRate = granted.rate
            periodFrames = granted.period
        } catch {
            snd_pcm_close(handle)
            if let local { snd_config_delete(local) }
            throw error
        }
        pcm = handle
        localConfiguration = local
        guard let resampler = FractionalResampler(inputRate: Double(deviceRate), outputRate: frameRate,
                                                  channels: map.count) else {
            throw AcquisitionError(device: name, "cannot resample \(deviceRate) Hz to \(frameRate) Hz")
        }
        self.resampler = resampler
        capture = UnsafeMutableRawBufferPointer.allocate(
            byteCount: periodFrames * configuration.channels * configuration.format.bytesPerSample, alignment: 8)
        scaled = []
        scaled.reserveCapacity(periodFrames * map.count)
        queue = FrameQueue(width: map.count)
    }

    deinit {
        if let pcm { snd_pcm_close(pcm) }
        if let localConfiguration { snd_config_delete(localConfiguration) }
        capture.deallocate()
    }

    /// The counters so far.
    public var statistics: AcquisitionStatistics { counters.snapshot }
    /// Capture overruns recovered.
    public var overruns: Int { statistics.overruns }
    /// Frames delivered (at the analysis rate).
    public var frames: Int { statistics.frames }

    public func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        while queue.count == 0 {
            let count = try captureBlock()
            if count == 0 { return 0 }
            scaleCapturedFrames(count)
            scaled.withUnsafeBufferPointer { resampler.process($0, appendingTo: &queue.values) }
        }
        if isCloseRequested { return 0 }
        let count = queue.take(into: buffer, maxFrames: maxFrames)
        counters.update { $0.frames += count }
        return count
    }

    /// Reads raw device frames, before scaling and decimation: `channels` interleaved counts per
    /// frame, at most `periodFrames` at once. Returns 0 after `close()`. For diagnostics and tests
    /// of the capture path; do not mix with `readFrames` on one source.
    public func readDeviceFrames(into buffer: UnsafeMutableBufferPointer<Int32>, maxFrames: Int) throws -> Int {
        let channels = configuration.channels
        var delivered = 0
        let wanted = min(maxFrames, buffer.count / channels)
        while delivered < wanted {
            let count = try captureBlock(maximum: wanted - delivered)
            if count == 0 { break }
            for index in 0..<(count * channels) { buffer[delivered * channels + index] = sample(at: index) }
            delivered += count
        }
        return delivered
    }

    public func close() {
        stateLock.lock()
        closeRequested = true
        stateLock.unlock()
    }

    private var isCloseRequested: Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        return closeRequested
    }

    /// Captures up to a period into `capture`, recovering from overruns and suspends; 0 once closed.
    private func captureBlock(maximum: Int? = nil) throws -> Int {
        guard let pcm else { return 0 }
        let frames = snd_pcm_uframes_t(max(1, min(maximum ?? periodFrames, periodFrames)))
        while true {
            if isCloseRequested { return 0 }
            let result = snd_pcm_readi(pcm, capture.baseAddress, frames)
            if result > 0 {
                counters.update { $0.deviceFrames += result }
                return result
            }
            if result == 0 || result == -Int(EAGAIN) {
                // Waiting in short steps keeps close() prompt; a negative result is reported by the next read.
                _ = snd_pcm_wait(pcm, 100)
                continue
            }
            if result == -Int(EPIPE) {
                counters.update { $0.overruns += 1 }
                let status = snd_pcm_prepare(pcm)
                if status < 0 { throw Self.error(configuration.device, "cannot recover from an overrun", status) }
                continue
            }
            if result == -Int(ESTRPIPE) {
                counters.update { $0.suspends += 1 }
                var status = snd_pcm_resume(pcm)
                while status == -EAGAIN, !isCloseRequested {
                    Thread.sleep(forTimeInterval: 0.1)
                    status = snd_pcm_resume(pcm)
                }
                // A device that cannot resume in place is restarted from a fresh prepare.
                if status < 0 { status = snd_pcm_prepare(pcm) }
                if status < 0 { throw Self.error(configuration.device, "cannot resume after a suspend", status) }
                continue
            }
            throw Self.error(configuration.device, "capture failed", Int32(truncatingIfNeeded: result))
        }
    }

    /// The captured sample at `index` (interleaved), widened to 32 bits.
    private func sample(at index: Int) -> Int32 {
        switch configuration.format {
        case .s16LE: Int32(Int16(littleEndian: capture.loadUnaligned(fromByteOffset: 2 * index, as: Int16.self)))
        case .s32LE: Int32(littleEndian: capture.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self))
        }
    }

    private func scaleCapturedFrames(_ count: Int) {
        let channels = configuration.channels
        scaled.removeAll(keepingCapacity: true)
        for frame in 0..<count {
            for channel in channelMap {
                let value = Double(sample(at: frame * channels + channel)) / configuration.countsPerMillivolt[channel]
                scaled.append(Float(value))
            }
        }
    }

    /// Parses `text` (asoundrc syntax) into a configuration tree for `snd_pcm_open_lconf`.
    private static func loadConfiguration(_ text: String, device: String) throws -> OpaquePointer? {
        var tree: OpaquePointer?
        var status = snd_config_top(&tree)
        if status < 0 { throw error(device, "cannot create a configuration", status) }
        var input: OpaquePointer?
        let bytes = Array(text.utf8)
        status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { snd_input_buffer_open(&input, $0.baseAddress, buffer.count) }
        }
        if status < 0 {
            snd_config_delete(tree)
            throw error(device, "cannot read the configuration text", status)
        }
        status = snd_config_load(tree, input)
        snd_input_close(input)
        if status < 0 {
            snd_config_delete(tree)
            throw error(device, "the configuration text does not parse", status)
        }
        return tree
    }

    /// Sets the hardware parameters; returns the granted rate and period.
    private static func configure(_ pcm: OpaquePointer, _ configuration: ALSASourceConfiguration) throws -> (rate: Int, period: Int) {
        let name = configuration.device
        var params: OpaquePointer?
        var status = snd_pcm_hw_params_malloc(&params)
        guard status >= 0, let params else { throw error(name, "out of memory for hardware parameters", status) }
        defer { snd_pcm_hw_params_free(params) }
        func check(_ status: Int32, _ what: String) throws {
            if status < 0 { throw error(name, what, status) }
        }
        try check(snd_pcm_hw_params_any(pcm, params), "no hardware configuration")
        try check(snd_pcm_hw_params_set_access(pcm, params, SND_PCM_ACCESS_RW_INTERLEAVED), "interleaved read access refused")
        let format = configuration.format == .s16LE ? SND_PCM_FORMAT_S16_LE : SND_PCM_FORMAT_S32_LE
        try check(snd_pcm_hw_params_set_format(pcm, params, format), "format \(configuration.format.rawValue) refused")
        try check(snd_pcm_hw_params_set_channels(pcm, params, UInt32(configuration.channels)),
                  "\(configuration.channels) channels refused")
        var rate = UInt32(clamping: configuration.sampleRate)
        var direction: Int32 = 0
        try check(snd_pcm_hw_params_set_rate_near(pcm, params, &rate, &direction), "no rate near \(configuration.sampleRate) Hz")
        var period = snd_pcm_uframes_t(max(16, configuration.periodFrames))
        try check(snd_pcm_hw_params_set_period_size_near(pcm, params, &period, &direction), "period size refused")
        var bufferSize = snd_pcm_uframes_t(max(Int(period) * 2, configuration.bufferFrames))
        try check(snd_pcm_hw_params_set_buffer_size_near(pcm, params, &bufferSize), "buffer size refused")
        status = snd_pcm_hw_params(pcm, params)
        try check(status, "hardware parameters refused")
        var grantedRate: UInt32 = 0
        var grantedPeriod: snd_pcm_uframes_t = 0
        try check(snd_pcm_hw_params_get_rate(params, &grantedRate, &direction), "cannot read the granted rate")
        try check(snd_pcm_hw_params_get_period_size(params, &grantedPeriod, &direction), "cannot read the granted period")
        try check(snd_pcm_prepare(pcm), "cannot prepare for capture")
        return (Int(grantedRate), max(1, Int(grantedPeriod)))
    }

    private static func error(_ device: String, _ what: String, _ status: Int32) -> AcquisitionError {
        AcquisitionError(device: device, "\(what): \(String(cString: snd_strerror(status)))", code: status)
    }
}
