import BeatTokens
import ECGRecording
import Foundation
import MonitorCore
import RhythmAnalysis
import WFDB

/// A session's WFDB annotations, the one annotation writer of beatmon: each beat as its EC57 class
/// (`N S V F Q`, the WFDB codes `bxb` and `wfdb.rdann` read), `+` rhythm changes with aux `(AFIB`
/// and `(N` (as epicmp reads them), `(ASYS` and `(VT` for asystole and ventricular runs, `~` for
/// technical alarms, and `"` comments for bradycardia and tachycardia and when monitoring stopped
/// during AF. The daemon writes files `NAME-YYYYMMDD-HHMMSS.beatmon` (UTC start
/// time of the file) that rotate by size or by day; `beatmon replay` and `rhythm` write one file,
/// `RECORD.beatmon` (`init(directory:record:)`).
///
/// Every file is a complete, valid annotation file at all times: the current one is rewritten whole
/// (to a temporary name, then renamed over) at each checkpoint, so a crash, a reader or a
/// rotation never sees a half-written file and nothing needs reopening on SIGHUP. Sample numbers
/// count frames since the session's source opened (the same numbers as the event log's
/// `alertSample`); a file that starts inside an AF episode opens with `(AFIB` so that each file
/// reads correctly on its own.
public final class AnnotationArchive: MonitorSink {
    /// Folder of the files.
    public let directory: String
    /// Record-name prefix of the files (the record's name for a single file).
    public let prefix: String
    /// When to start a new file.
    public let rotation: AnnotationRotation
    private let clock: () -> Date
    /// The one file's record name, when the archive does not rotate.
    private let record: String?
    private var current: [Annotation] = []
    /// The current file's bytes as last written, without the final zero word, and where each of
    /// its first `offsets.count` annotations starts in them: a checkpoint encodes only the
    /// annotations after those (an insertion cuts both back to where it goes), so a day's file is
    /// not re-encoded whole at every rhythm change (a 24-hour replay checkpoints ~240 times).
    private var encoded: [UInt8] = []
    private var offsets: [UInt32] = []
    private var currentPath: String?
    private var currentStart: Date?
    private var estimatedBytes = 2
    private var lastSample: Int64 = 0
    private var inAF = false
    private var dirty = false
    /// Every file written this session, oldest first.
    public private(set) var files: [String] = []

    /// An archive in `directory` (created if needed). `clock` gives wall time (tests inject one).
    public init(directory: String, name: String = "beatmon", rotation: AnnotationRotation = AnnotationRotation(),
                clock: @escaping () -> Date = Date.init) throws {
        try AnnotationName.validate(name)
        self.directory = directory
        prefix = name
        self.rotation = rotation
        self.clock = clock
        record = nil
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// One file, `directory/record.beatmon`, never rotated: a recording's annotations.
    public init(directory: String, record: String) throws {
        self.directory = directory
        prefix = record
        rotation = AnnotationRotation(maximumBytes: nil, daily: false)
        clock = Date.init
        self.record = record
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public var name: String { "annotations:\(directory)" }

    /// Beats, the AF onsets and offsets, asystole, and the technical alarms. A beat is written
    /// when its token comes (the class is known then, a few seconds after the detector reported
    /// it); anything dated earlier is inserted in sample order.
    public func consume(_ output: PipelineOutput) throws {
        switch output {
        case .token(let token):
            try beat(at: Int64(token.rSample), class: token.beatClass ?? .normal)
        case .event(let event) where event.kind == .atrialFibrillationOnset || event.kind == .atrialFibrillationOffset:
            try rhythmChange(at: event.boundarySample, atrialFibrillation: event.kind == .atrialFibrillationOnset)
        case .event(let event) where event.kind == .asystoleOnset || event.kind == .asystoleOffset:
            try episodeChange(at: event.boundarySample, onsetLabel: event.kind == .asystoleOnset ? "(ASYS" : nil)
        case .event(let event) where event.kind == .ventricularRunOnset || event.kind == .ventricularRunOffset:
            // MIT-BIH marks runs of three or more ventricular beats `(VT`.
            try episodeChange(at: event.boundarySample, onsetLabel: event.kind == .ventricularRunOnset ? "(VT" : nil)
        case .event(let event) where [.bradycardiaOnset, .bradycardiaOffset, .tachycardiaOnset, .tachycardiaOffset]
            .contains(event.kind):
            // No rhythm label says "rate beyond a limit" whatever the rhythm: a comment at its start.
            let rate = event.arrhythmia?.heartRate.map { " \(Int($0.rounded())) bpm" } ?? ""
            try comment(at: event.boundarySample, "\(event.kind.rawValue)\(rate)")
            try checkpoint()
        case .event(let event) where event.kind == .technicalAlarmRaised || event.kind == .technicalAlarmCleared:
            guard let alarm = event.technical else { return }
            try append(Self.signalQuality(alarm, raised: event.kind == .technicalAlarmRaised, at: event.boundarySample))
            try checkpoint()
        case .event, .beat:
            break
        }
    }

    /// An episode inside the rhythm (asystole, a ventricular run) as MIT-BIH marks it: its rhythm
    /// label at the onset (`onsetLabel`), and at the offset (nil) back to the rhythm around it.
    private func episodeChange(at sample: Int64, onsetLabel: String?) throws {
        try append(Annotation(sample: sample, code: .rhythmChange, auxText: onsetLabel ?? (inAF ? "(AFIB" : "(N")))
        try checkpoint()
    }

    /// A technical alarm as WFDB writes a change of signal quality (`~`, ecgcodes.h NOISE): the
    /// subtype has bit i set while signal i is unreadable, -1 for every signal, 0 when clean
    /// again; the aux text names the condition for a reader.
    static func signalQuality(_ alarm: TechnicalAlarm, raised: Bool, at sample: Int64) -> Annotation {
        let subtype = raised ? alarm.lead.map { $0 < 7 ? 1 << $0 : -1 } ?? -1 : 0
        let lead = alarm.lead.map { " lead \($0)" } ?? ""
        return Annotation(sample: sample, code: .signalQualityChange, subtype: subtype, channel: alarm.lead ?? 0,
                          auxText: "\(alarm.condition.rawValue)\(raised ? "" : " cleared")\(lead)")
    }

    /// Notes that monitoring stopped during AF, where it stopped.
    public func record(_ event: SessionEvent) throws {
        guard event.kind == .monitoringStoppedDuringAF, let sample = event.sample else { return }
        try comment(at: sample, "monitoring stopped during AF")
    }

    /// Writes the current file out.
    public func finish(_ ending: SessionEnding) throws { try close() }

    /// Records a beat at `sample`, labelled with its class's WFDB code (`N` when unclassified).
    public func beat(at sample: Int64, class beatClass: BeatClass = .normal) throws {
        try append(Annotation(sample: sample, code: Self.code(of: beatClass)))
    }

    /// The WFDB annotation code of an EC57 class: NORMAL, SVPB, PVC, FUSION, UNKNOWN (`N S V F Q`).
    public static func code(of beatClass: BeatClass) -> AnnotationCode {
        AnnotationCode(mnemonic: beatClass.mnemonic) ?? .normal
    }

    /// Records an AF onset (`(AFIB`) or offset (`(N`) at `sample`, and writes the file out at once:
    /// a rhythm change is what a reader of the archive is waiting for.
    public func rhythmChange(at sample: Int64, atrialFibrillation: Bool) throws {
        // The state changes after the append, so that a rotation it triggers carries the old rhythm.
        try append(Annotation(sample: sample, code: .rhythmChange, auxText: atrialFibrillation ? "(AFIB" : "(N"))
        inAF = atrialFibrillation
        try checkpoint()
    }

    /// Records a comment (`"` annotation with the text in aux), e.g. why monitoring stopped.
    public func comment(at sample: Int64, _ text: String) throws {
        try append(Annotation(sample: sample, code: .comment, auxText: text))
    }

    /// Writes the current file out if it changed.
    public func checkpoint() throws {
        guard dirty, let currentPath else { return }
        var encoder = WFDBAnnotationFile.Encoder(after: offsets.isEmpty ? nil : current[offsets.count - 1])
        for index in offsets.count..<current.count {
            let start = encoded.count
            try encoder.append(current[index], index: index, file: currentPath, to: &encoded)
            offsets.append(UInt32(truncatingIfNeeded: start))
        }
        // Written to a temporary file and renamed over (OutputFile), so a reader never sees half.
        WFDBAnnotationFile.Encoder.terminate(&encoded)
        defer { encoded.removeLast(2) }
        try OutputFile.write(encoded, to: currentPath)
        dirty = false
    }

    /// Writes the current file out; the archive can still be appended to afterwards.
    public func close() throws { try checkpoint() }

    private func append(_ annotation: Annotation) throws {
        let now = clock()
        let size = Self.encodedSize(annotation, after: lastSample)
        if let start = currentStart {
            let dayChanged = rotation.daily && Self.day(of: start) != Self.day(of: now)
            let tooBig = rotation.maximumBytes.map { estimatedBytes + size > $0 } ?? false
            if (dayChanged || tooBig) && !current.isEmpty { try rotate(at: now, sample: annotation.sample) }
        } else {
            try rotate(at: now, sample: annotation.sample)
        }
        // A rhythm change is dated back to its first beat, behind beats already written: insert
        // it in order (beats first at equal samples, as replay does), since epicmp and friends
        // read annotations as a time-ordered list. A boundary older than the file goes first.
        if let last = current.last, annotation.sample < last.sample {
            let index = current.firstIndex { $0.sample > annotation.sample } ?? current.endIndex
            current.insert(annotation, at: index)
            if index < offsets.count {
                encoded.removeSubrange(Int(offsets[index])...)
                offsets.removeSubrange(index...)
            }
            estimatedBytes += Self.encodedSize(annotation, after: 0)
        } else {
            current.append(annotation)
            estimatedBytes += size
            lastSample = annotation.sample
        }
        dirty = true
    }

    private func rotate(at now: Date, sample: Int64) throws {
        try checkpoint()
        var path: String
        if let record {
            path = "\(directory)/\(record).beatmon"
        } else {
            var stamp = Self.stamp(now)
            // Two rotations within a second (tiny size limits) must not overwrite each other.
            path = "\(directory)/\(prefix)-\(stamp).beatmon"
            var suffix = 1
            while files.contains(path) || FileManager.default.fileExists(atPath: path) {
                stamp = Self.stamp(now) + "-\(suffix)"
                suffix += 1
                path = "\(directory)/\(prefix)-\(stamp).beatmon"
            }
        }
        currentPath = path
        currentStart = now
        files.append(path)
        current.removeAll(keepingCapacity: true)
        encoded.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        estimatedBytes = 2
        lastSample = 0
        dirty = true
        if inAF {
            let carried = Annotation(sample: sample, code: .rhythmChange, auxText: "(AFIB")
            current.append(carried)
            estimatedBytes += Self.encodedSize(carried, after: 0)
            lastSample = sample
        }
    }

    /// Bytes an annotation adds in MIT format: one word, a SKIP (3 words) for long or backward
    /// intervals, and the AUX pseudo-annotation (a word plus the text padded to a word).
    static func encodedSize(_ annotation: Annotation, after previous: Int64) -> Int {
        let interval = annotation.sample - previous
        var size = 2
        if interval < 0 || interval > 1023 { size += 6 }
        if !annotation.aux.isEmpty { size += 2 + (annotation.aux.count + 1) / 2 * 2 }
        return size
    }

    private static func day(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 86400).rounded(.down)) }

    /// `YYYYMMDD-HHMMSS` in UTC.
    static func stamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d%02d%02d-%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
