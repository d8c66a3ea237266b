import Testing
@testable import SignalProcessing
