/// The file format a recording was read from.
public enum RecordingFormat: String, Sendable, Equatable {
    case wfdb = "WFDB"
    case edf = "EDF"
    case edfPlus = "EDF+"
    case bdf = "BDF"
    case csv = "CSV"
}

/// A calendar start time as recorded (WFDB base time/date, EDF start date/time). No time zone is
/// implied: ECG formats record local clock time.
public struct RecordingStartTime: Sendable, Equatable, CustomStringConvertible {
    public var year: Int?
    public var month: Int?
    public var day: Int?
    public var hour: Int
    public var minute: Int
    /// Seconds including fraction.
    public var second: Double

    public init(year: Int? = nil, month: Int? = nil, day: Int? = nil, hour: Int, minute: Int, second: Double) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
    }

    public var description: String {
        let whole = Int(second)
        let fraction = second - Double(whole)
        var time = "\(pad(hour)):\(pad(minute)):\(pad(whole))"
        if fraction > 0 {
            let millis = Int((fraction * 1000).rounded())
            time += "." + String(String(millis + 1000).dropFirst())
        }
        if let year, let month, let day { return "\(year)-\(pad(month))-\(pad(day)) \(time)" }
        return time
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// A recording that streams frames of physical values, whatever its file format.
///
/// A *frame* holds one value per lead, at `frameRate`. Values are in each lead's physical units
/// (`LeadDescription.units`, normally mV) and are `Float.nan` where the recording marks a sample
/// invalid or absent. Readers stream: a 24-hour Holter file is never loaded whole.
public protocol Recording {
    /// Record name (WFDB record name, or file name without extension).
    var name: String { get }
    /// The file format it came from.
    var format: RecordingFormat { get }
    /// The leads, in frame order.
    var leads: [LeadDescription] { get }
    /// Frames per second.
    var frameRate: Double { get }
    /// Number of frames, when the format says (nil for an open-ended stream).
    var frameCount: Int? { get }
    /// Start time, when the format records one.
    var startTime: RecordingStartTime? { get }
    /// Index of the next frame `readFrames` will return.
    var position: Int { get }
    /// What opening found amiss but did not refuse (a header that disagrees with its data), so
    /// a short read is never silent; empty for a sound recording.
    var warnings: [RecordingWarning] { get }

    /// Reads up to `maxFrames` frames into `buffer`, lead-interleaved (`leads.count` values per
    /// frame), and returns how many frames were read; 0 means the end of the recording.
    /// `buffer` must hold at least `maxFrames * leads.count` values.
    mutating func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int

    /// Positions the stream so that the next frame read is `frame` (0-based).
    mutating func seek(toFrame frame: Int) throws
}

extension Recording {
    /// No findings, for recordings whose format cannot disagree with itself.
    public var warnings: [RecordingWarning] { [] }

    /// Duration in seconds, when the frame count is known.
    public var durationSeconds: Double? { frameCount.map { Double($0) / frameRate } }

    /// Reads up to `maxFrames` frames into a new array (convenience for tests and small records).
    public mutating func readFrames(maxFrames: Int) throws -> [Float] {
        let width = max(leads.count, 1)
        var values = [Float](repeating: .nan, count: maxFrames * width)
        let count = try values.withUnsafeMutableBufferPointer { try readFrames(into: $0, maxFrames: maxFrames) }
        values.removeLast((maxFrames - count) * width)
        return values
    }
}
