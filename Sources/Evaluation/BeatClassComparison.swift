import BeatTokens
import ECGRecording

/// The EC57 beat-class confusion matrix of one comparison, as `bxb -S` tabulates it: rows are the
/// reference class (N S V F Q, or O for a test beat with no reference beat), columns the test class
/// (n s v f q, or o for a reference beat the test missed). Shutdown (`X`) is not modelled: beatmon
/// never writes shutdown marks.
public struct BeatClassCounts: Sendable, Equatable, Codable {
    /// `matrix[row][column]`; rows `N S V F Q O`, columns `n s v f q o` (`O`/`o` = no beat).
    public var matrix: [[Int]]

    /// Row and column order of `matrix`: the five classes, then no beat.
    public static let order: [BeatClass?] = [.normal, .supraventricular, .ventricular, .fusion, .unclassifiable, nil]

    /// An empty matrix.
    public init() { matrix = Array(repeating: Array(repeating: 0, count: 6), count: 6) }

    static func index(_ beatClass: BeatClass?) -> Int {
        switch beatClass {
        case .normal: 0
        case .supraventricular: 1
        case .ventricular: 2
        case .fusion: 3
        case .unclassifiable: 4
        case nil: 5
        }
    }

    /// The count of reference `reference` labelled `test` (nil: no beat on that side).
    public subscript(reference: BeatClass?, test: BeatClass?) -> Int {
        get { matrix[Self.index(reference)][Self.index(test)] }
        set { matrix[Self.index(reference)][Self.index(test)] = newValue }
    }

    /// Counts one pairing.
    public mutating func add(reference: BeatClass?, test: BeatClass?) {
        guard reference != nil || test != nil else { return }
        self[reference, test] += 1
    }

    /// Sum over records (gross statistics).
    public static func + (lhs: BeatClassCounts, rhs: BeatClassCounts) -> BeatClassCounts {
        var sum = lhs
        for row in 0..<6 { for column in 0..<6 { sum.matrix[row][column] += rhs.matrix[row][column] } }
        return sum
    }

    private func total(_ rows: [BeatClass?], _ columns: [BeatClass?]) -> Int {
        rows.reduce(0) { sum, row in columns.reduce(sum) { $0 + self[row, $1] } }
    }

    /// Ventricular ectopic beats: Vv, V labelled anything else or missed, and N, S or extra beats
    /// labelled v (bxb: fusion and unclassifiable beats labelled v are not false positives).
    public var ventricular: EctopicBeatStatistics {
        statistics(of: .ventricular, falsePositiveRows: [.normal, .supraventricular, nil],
                   neutralRows: [.fusion, .unclassifiable])
    }

    /// Supraventricular ectopic beats: Ss, S labelled anything else or missed, and N, V, F or extra
    /// beats labelled s (bxb: unclassifiable beats labelled s are not false positives).
    public var supraventricular: EctopicBeatStatistics {
        statistics(of: .supraventricular, falsePositiveRows: [.normal, .ventricular, .fusion, nil],
                   neutralRows: [.unclassifiable])
    }

    private func statistics(of target: BeatClass, falsePositiveRows: [BeatClass?], neutralRows: [BeatClass?])
        -> EctopicBeatStatistics {
        let others = Self.order.filter { $0 != target }
        let truePositives = self[target, target]
        let falseNegatives = total([target], others)
        let falsePositives = total(falsePositiveRows, [target])
        // True negatives: non-target reference (or no beat) labelled non-target (a test beat).
        let trueNegatives = total(falsePositiveRows + neutralRows, others.filter { $0 != nil })
        return EctopicBeatStatistics(truePositives: truePositives, falseNegatives: falseNegatives,
                                     falsePositives: falsePositives, trueNegatives: trueNegatives)
    }

    /// Reference beats of `beatClass` (matched or missed).
    public func referenceCount(_ beatClass: BeatClass) -> Int { total([beatClass], Self.order) }

    /// Test beats labelled `beatClass` (matched or extra).
    public func testCount(_ beatClass: BeatClass) -> Int { total(Self.order, [beatClass]) }
}

/// One ectopic class's EC57 statistics: sensitivity, positive predictivity, false positive rate.
public struct EctopicBeatStatistics: Sendable, Equatable, Codable {
    /// Reference beats of the class labelled so.
    public var truePositives: Int
    /// Reference beats of the class labelled otherwise or missed.
    public var falseNegatives: Int
    /// Test beats labelled the class where the reference says otherwise (or has no beat).
    public var falsePositives: Int
    /// Test beats rightly not labelled the class.
    public var trueNegatives: Int

    /// The counts.
    public init(truePositives: Int, falseNegatives: Int, falsePositives: Int, trueNegatives: Int) {
        self.truePositives = truePositives
        self.falseNegatives = falseNegatives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
    }

    /// Se = TP / (TP + FN), nil without reference beats of the class.
    public var sensitivity: Double? { Self.ratio(truePositives, truePositives + falseNegatives) }
    /// +P = TP / (TP + FP), nil without test beats of the class.
    public var positivePredictivity: Double? { Self.ratio(truePositives, truePositives + falsePositives) }
    /// FPR = FP / (TN + FP), nil without non-class beats.
    public var falsePositiveRate: Double? { Self.ratio(falsePositives, trueNegatives + falsePositives) }

    private static func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
}

/// Beat-by-beat comparison of classified beats, as `bxb -S` does it: the beats are paired exactly
/// as `BeatComparison` pairs them (150 ms, EC57's learning period skipped), then each pair is
/// counted by the reference and test classes.
public enum BeatClassComparison {
    /// The EC57 class of a beat annotation: MIT-BIH labels as `BeatClass(mitLabel:)` maps them (the
    /// AAMI grouping: `e` and `j` are N), anything else that is a beat (`?`, `!`, `r`, `n`) as Q,
    /// except R-on-T (`r`, V) and supraventricular escape (`n`, S), as bxb groups them.
    public static func beatClass(of code: AnnotationCode) -> BeatClass? {
        guard code.isBeat else { return nil }
        if code == .rOnT { return .ventricular }
        if let beatClass = BeatClass(mitLabel: code.mnemonic) { return beatClass }
        return code.mnemonic == "n" ? .supraventricular : .unclassifiable
    }

    /// The confusion matrix of test against reference beat annotations (non-beat annotations are
    /// ignored on both sides).
    public static func compare(reference: [Annotation], test: [Annotation], frameRate: Double, recordSeconds: Double,
                               options: BeatMatchingOptions = BeatMatchingOptions()) -> BeatClassCounts {
        let referenceBeats = reference.compactMap { annotation in beatClass(of: annotation.code).map { (annotation.sample, $0) } }
        let testBeats = test.compactMap { annotation in beatClass(of: annotation.code).map { (annotation.sample, $0) } }
        var counts = BeatClassCounts()
        BeatComparison.match(reference: referenceBeats.map { Int($0.0) }, test: testBeats.map { Int($0.0) },
                             frameRate: frameRate, recordSeconds: recordSeconds, options: options) { r, t in
            counts.add(reference: r.map { referenceBeats[$0].1 }, test: t.map { testBeats[$0].1 })
        }
        return counts
    }
}
