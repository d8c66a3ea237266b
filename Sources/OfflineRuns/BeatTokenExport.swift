import BeatTokens
import ECGRecording
import Foundation
import MonitorCore
import Safetensors

/// Beat tokens of several recordings gathered into tensors, for training BEAT-Net on exactly the
/// tokens the monitor makes (`beatmon tokens`). Layout (safetensors, N tokens, L = most leads):
///
/// | tensor | dtype | shape | meaning |
/// |---|---|---|---|
/// | `record` | I32 | N | index into the `records` metadata list |
/// | `r_sample` | I64 | N | R peak, frames from the record's start |
/// | `rr` | F32 | N × 2 | previous and next RR interval, seconds (NaN when absent) |
/// | `heart_rate` | F32 | N | beats per minute (NaN when absent) |
/// | `quality` | U8 | N | `BeatQuality` bits |
/// | `lead_id` | U8 | N × L | `LeadIdentity` raw value per lead slot (255 for an empty slot) |
/// | `amplitude` | F32 | N × L | per-lead scale, mV (0 for a flat, missing or empty lead) |
/// | `morphology` | F32 | N × L × W | per-lead window, W = 96 samples at 100 Hz, R at index 32 |
/// | `beat_class` | U8 | N | the classical classifier's EC57 class: index into `beat_classes` (`NSVFQ`), 255 when none |
///
/// Metadata: `records` (JSON list of {name, frameRate, leads, frames}), `morphology_rate`,
/// `samples_before_r`, `beat_classes` = `NSVFQ`, `format` = `beatmon-tokens-1`.
public struct BeatTokenExport {
    private struct RecordEntry: Encodable {
        var name: String
        var frameRate: Double
        var leads: [String]
        var frames: Int
    }

    /// The order of `beat_class` values: N S V F Q.
    public static let beatClasses: [BeatClass] = BeatClass.allCases

    private var records: [RecordEntry] = []
    private var tokens: [(record: Int32, token: BeatToken)] = []
    private let configuration: BeatTokenConfiguration

    public init(configuration: BeatTokenConfiguration = BeatTokenConfiguration()) {
        self.configuration = configuration
    }

    /// Number of tokens gathered.
    public var tokenCount: Int { tokens.count }

    /// Runs the monitor's pipeline over `recording` (all leads) and keeps its tokens.
    public mutating func add(_ recording: some Recording) throws {
        let leads = recording.leads
        let index = Int32(records.count)
        let (gathered, frames) = try MonitorPipeline.tokensAndFrames(of: recording, configuration: configuration)
        records.append(RecordEntry(name: recording.name, frameRate: recording.frameRate, leads: leads.map(\.name),
                                   frames: frames))
        tokens.append(contentsOf: gathered.map { (index, $0) })
    }

    /// The safetensors file image.
    public func encoded() throws -> [UInt8] {
        let n = tokens.count
        let width = max(1, records.map(\.leads.count).max() ?? 1)
        let length = configuration.morphologyLength
        var record = [Int32](), rSample = [Int64](), rr = [Float](), heartRate = [Float](), quality = [UInt8]()
        var beatClass = [UInt8]()
        var leadID = [UInt8](repeating: 255, count: n * width)
        var amplitude = [Float](repeating: 0, count: n * width)
        var morphology = [Float](repeating: 0, count: n * width * length)
        for (row, item) in tokens.enumerated() {
            let token = item.token
            record.append(item.record)
            rSample.append(Int64(token.rSample))
            rr.append(Float(token.previousRRSeconds ?? .nan))
            rr.append(Float(token.nextRRSeconds ?? .nan))
            heartRate.append(Float(token.heartRate ?? .nan))
            quality.append(token.quality.rawValue)
            beatClass.append(token.beatClass.flatMap { Self.beatClasses.firstIndex(of: $0) }.map(UInt8.init) ?? 255)
            for lead in 0..<min(width, token.leadCount) {
                leadID[row * width + lead] = UInt8(LeadIdentity(name: token.leadNames[lead]).rawValue)
                amplitude[row * width + lead] = token.leadAmplitudes[lead]
                let window = token.morphology(ofLead: lead)
                let start = (row * width + lead) * length
                for (offset, value) in window.enumerated() where offset < length { morphology[start + offset] = value }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = [
            "format": "beatmon-tokens-1",
            "records": String(decoding: try encoder.encode(records), as: UTF8.self),
            "morphology_rate": String(configuration.morphologyRate),
            "samples_before_r": String(configuration.samplesBeforeR),
            "beat_classes": Self.beatClasses.map(\.mnemonic).joined(),
        ]
        return try Safetensors.encode([
            "record": .init(int32: record, shape: [n]),
            "r_sample": .init(int64: rSample, shape: [n]),
            "rr": .init(float32: rr, shape: [n, 2]),
            "heart_rate": .init(float32: heartRate, shape: [n]),
            "quality": .init(uint8: quality, shape: [n]),
            "beat_class": .init(uint8: beatClass, shape: [n]),
            "lead_id": .init(uint8: leadID, shape: [n, width]),
            "amplitude": .init(float32: amplitude, shape: [n, width]),
            "morphology": .init(float32: morphology, shape: [n, width, length]),
        ], metadata: metadata)
    }
}
