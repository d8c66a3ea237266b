import Acquisition
import ECGFormats
import MonitorCore

/// Opens the source a `SourceSpecification` names. The standard opener knows every kind this
/// build has; tests substitute their own.
public struct SourceOpener: Sendable {
    /// Opens a source.
    public var open: @Sendable (SourceSpecification) throws -> OpenedSource

    /// An opener from a closure.
    public init(open: @escaping @Sendable (SourceSpecification) throws -> OpenedSource) {
        self.open = open
    }

    /// Files (any format `RecordingOpener` reads, paced at `speed`), standard input, serial
    /// boards and ALSA devices (the Acquisition sources).
    public static let standard = SourceOpener { specification in
        let parameters = specification.parameters
        switch specification.kind {
        case .file(let record):
            let recording = try RecordingOpener.open(path: record)
            return OpenedSource(source: frameSource(for: recording, speed: parameters.speed), closesFromAnyThread: false)
        case .standardInput:
            let source = try FileDescriptorFrameSource.standardInput(configuration: lineProtocol(parameters, for: specification))
            return OpenedSource(source: source, statistics: { counters(source.statistics) }, closesFromAnyThread: true)
        case .serial(let path):
            let line = try lineProtocol(parameters, for: specification)
            let configuration = SerialSourceConfiguration(
                path: path, baudRate: parameters.baudRate ?? 115_200, leads: line.leads, frameRate: line.frameRate,
                countsPerMillivolt: line.countsPerMillivolt, binary: line.binary)
            let source = try SerialFrameSource(configuration: configuration)
            return OpenedSource(source: source, statistics: { counters(source.statistics) }, closesFromAnyThread: true)
        case .alsa(let device):
            let names = parameters.leadNames ?? ["I", "II"]
            let configuration = ALSASourceConfiguration(
                device: device, channels: names.count,
                countsPerMillivolt: Array(repeating: parameters.countsPerMillivolt ?? 1000, count: names.count),
                leadNames: names, analysisRate: parameters.frameRate ?? 250)
            let source = try ALSAFrameSource(configuration: configuration)
            return OpenedSource(source: source, statistics: { counters(source.statistics) }, closesFromAnyThread: true)
        }
    }

    /// The text/binary protocol of a byte-stream source: `leads` and `rate` are required (the
    /// stream carries neither), `scale` defaults to 200 counts per mV (the WFDB default gain).
    static func lineProtocol(_ parameters: SourceParameters, for specification: SourceSpecification) throws
        -> LineProtocolConfiguration {
        guard let names = parameters.leadNames, let rate = parameters.frameRate else {
            throw DaemonError("source \(specification) needs leads and rate (e.g. ?leads=I,II&rate=250&scale=200)")
        }
        return LineProtocolConfiguration(leadNames: names, frameRate: rate,
                                         countsPerMillivolt: Array(repeating: parameters.countsPerMillivolt ?? 200, count: names.count),
                                         binary: parameters.binary ?? false)
    }

    private static func counters(_ statistics: AcquisitionStatistics) -> SourceCounters {
        SourceCounters(malformedLines: statistics.malformedLines, overruns: statistics.overruns,
                       reconnects: statistics.reconnects)
    }
}
