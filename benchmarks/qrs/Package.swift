// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "qrsbench",
    targets: [
        .target(name: "SignalProcessing", swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "QRSDetection", dependencies: ["SignalProcessing"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(name: "bench", dependencies: ["QRSDetection", "SignalProcessing"], swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
