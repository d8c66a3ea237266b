import QRSDetection
import RhythmAnalysis
import SignalProcessing

/// The front end's account of the signal at the end of a block: how far the stream has come and
/// what is wrong with each lead, for the technical alarms. Taken after every block, on whichever
/// thread runs the front end, and handed to the rhythm stage with that block's beats.
public struct SignalStatus: Sendable, Equatable {
    /// Frames processed through the end of the block.
    public var frameCount: Int64
    /// Each lead's technical condition now (nil: usable), in lead order.
    public var conditions: [TechnicalCondition?]

    /// Creates the record.
    public init(frameCount: Int64, conditions: [TechnicalCondition?]) {
        self.frameCount = frameCount
        self.conditions = conditions
    }
}

extension TechnicalCondition {
    /// The condition a lead's signal quality amounts to, by `TechnicalCondition`'s precedence;
    /// nil when the lead is usable (settling after a gap is not a fault).
    public init?(_ quality: SignalQuality) {
        if quality.contains(.missing) {
            self = .signalLost
        } else if quality.contains(.flatLine) {
            self = .leadOff
        } else if quality.contains(.saturated) || quality.contains(.outOfRange) {
            self = .saturated
        } else if quality.contains(.noisy) {
            self = .unreadable
        } else {
            return nil
        }
    }
}
