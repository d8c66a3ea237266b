import Testing
@testable import QRSDetection
