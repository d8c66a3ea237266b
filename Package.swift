// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "beatmon",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "beatmon", targets: ["beatmon"]),
        .library(name: "ECGFormats", targets: ["ECGFormats"]),
        .library(name: "SignalProcessing", targets: ["SignalProcessing"]),
        .library(name: "QRSDetection", targets: ["QRSDetection"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Monitor", targets: ["Monitor"]),
        .library(name: "RhythmAnalysis", targets: ["RhythmAnalysis"]),
        .library(name: "BeatNet", targets: ["BeatNet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "ECGFormats",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strict),
        .target(name: "SignalProcessing", swiftSettings: strict),
        .target(name: "QRSDetection", dependencies: ["SignalProcessing"], swiftSettings: strict),
        .target(name: "Evaluation", dependencies: ["ECGFormats"], swiftSettings: strict),
        .target(
            name: "BeatTokens",
            dependencies: ["QRSDetection", "SignalProcessing", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strict),
        .target(name: "RhythmAnalysis", swiftSettings: strict),
        // BEAT-Net inference (docs/model.md, docs/model-inference.md); the weights are a resource.
        .target(name: "BeatNet", dependencies: ["ECGFormats", "BeatTokens"], resources: [.copy("Resources")],
                swiftSettings: strict),
        .executableTarget(name: "beatnet-bench", dependencies: ["BeatNet", "BeatTokens"], swiftSettings: strict),
        // alsa-lib for the live ALSA source (docs/acquisition.md).
        .systemLibrary(name: "CALSA", path: "Sources/CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .target(
            name: "Monitor",
            dependencies: ["ECGFormats", "SignalProcessing", "QRSDetection", "BeatTokens", "BeatNet", "Evaluation", "RhythmAnalysis",
                           "CALSA", .product(name: "Logging", package: "swift-log"),
                           .product(name: "DequeModule", package: "swift-collections"),
                           .product(name: "TOMLKit", package: "TOMLKit"),
                           .product(name: "CoreMetrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: strict),
        .executableTarget(
            name: "beatmon",
            dependencies: [
                "ECGFormats", "SignalProcessing", "QRSDetection", "Evaluation", "Monitor", "RhythmAnalysis", "BeatNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // WFDB fuzz targets (libFuzzer build flags in docs/fuzzing.md) and decode benchmark.
        .executableTarget(name: "ECGFormatsFuzz", dependencies: ["ECGFormats"], swiftSettings: strict),
        // Annotation and EDF fuzz target (build flags in docs/fuzzing.md).
        .executableTarget(name: "AnnotationFuzz", dependencies: ["ECGFormats"], swiftSettings: strict),
        .executableTarget(name: "wfdb-decode-bench", dependencies: ["ECGFormats"], swiftSettings: strict),
        .executableTarget(
            name: "pipeline-bench", dependencies: ["ECGFormats", "Monitor", "QRSDetection"], swiftSettings: strict),
        .executableTarget(name: "qrs-bench", dependencies: ["ECGFormats", "QRSDetection"], swiftSettings: strict),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "ECGFormatsTests", dependencies: ["ECGFormats", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SignalProcessingTests", dependencies: ["SignalProcessing", "ECGFormats", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "QRSDetectionTests", dependencies: ["QRSDetection", "ECGFormats", "Evaluation", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "BeatTokensTests", dependencies: ["BeatTokens", "QRSDetection", "ECGFormats", "Monitor", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "ECGFormats", "Evaluation", "BeatNet", "BeatTokens", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "RhythmAnalysisTests", dependencies: ["RhythmAnalysis", "ECGFormats", "Evaluation", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "AcquisitionTests", dependencies: ["Monitor", "ECGFormats", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DaemonTests", dependencies: ["Monitor", "ECGFormats", "RhythmAnalysis", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "ReportTests", dependencies: ["Monitor", "ECGFormats", "RhythmAnalysis", "BeatNet", "TestSupport"],
                    exclude: ["Support"], swiftSettings: strict),
        .testTarget(name: "BeatNetTests", dependencies: ["BeatNet", "BeatTokens", "ECGFormats", "TestSupport"],
                    exclude: ["Reference"], swiftSettings: strict),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "ECGFormats", "TestSupport"], swiftSettings: strict),
    ]
)
