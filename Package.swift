// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

// Modules, lowest first; a module uses only those above it (docs/architecture.md). Benchmarks and
// fuzzers are the nested package in Benchmarks/, built apart from the product.
let package = Package(
    name: "beatmon",
    products: [
        .executable(name: "beatmon", targets: ["beatmon"]),
        .library(name: "ECGRecording", targets: ["ECGRecording"]),
        .library(name: "WFDB", targets: ["WFDB"]),
        .library(name: "EDF", targets: ["EDF"]),
        .library(name: "CSV", targets: ["CSV"]),
        .library(name: "ECGFormats", targets: ["ECGFormats"]),
        .library(name: "Safetensors", targets: ["Safetensors"]),
        .library(name: "SignalProcessing", targets: ["SignalProcessing"]),
        .library(name: "QRSDetection", targets: ["QRSDetection"]),
        .library(name: "BeatTokens", targets: ["BeatTokens"]),
        .library(name: "BeatClassification", targets: ["BeatClassification"]),
        .library(name: "BeatNet", targets: ["BeatNet"]),
        .library(name: "RhythmAnalysis", targets: ["RhythmAnalysis"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "MonitorCore", targets: ["MonitorCore"]),
        .library(name: "Acquisition", targets: ["Acquisition"]),
        .library(name: "Sinks", targets: ["Sinks"]),
        .library(name: "HolterReport", targets: ["HolterReport"]),
        .library(name: "OfflineRuns", targets: ["OfflineRuns"]),
        .library(name: "MonitorWeb", targets: ["MonitorWeb"]),
        .library(name: "Daemon", targets: ["Daemon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
    ],
    targets: [
        // Cores: no I/O beyond reading recordings and weights.
        // What every format shares: `Recording`, leads, `FormatError`, the annotation model, input
        // and output files.
        .target(
            name: "ECGRecording",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strict),
        // The formats, each over ECGRecording alone.
        .target(
            name: "WFDB",
            dependencies: ["ECGRecording", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strict),
        .target(
            name: "EDF",
            dependencies: ["ECGRecording", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strict),
        .target(
            name: "CSV",
            dependencies: ["ECGRecording", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strict),
        // The umbrella: `RecordingOpener`, and the four above re-exported.
        .target(name: "ECGFormats", dependencies: ["ECGRecording", "WFDB", "EDF", "CSV"], swiftSettings: strict),
        // The tensor container shared by the token export and the model.
        .target(name: "Safetensors", dependencies: ["ECGRecording"], swiftSettings: strict),
        .target(name: "SignalProcessing", swiftSettings: strict),
        .target(name: "QRSDetection", dependencies: ["SignalProcessing"], swiftSettings: strict),
        
        .target(
            name: "BeatTokens",
            dependencies: ["QRSDetection", "SignalProcessing", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strict),
        // The classical beat classifier (templates, QRS width, prematurity → EC57 class).
        .target(name: "BeatClassification", dependencies: ["BeatTokens"], swiftSettings: strict),
        .target(name: "RhythmAnalysis", dependencies: ["BeatTokens", "SignalProcessing"], swiftSettings: strict),
        // EC57 scoring; beat classes are BeatTokens' `BeatClass`.
        .target(name: "Evaluation", dependencies: ["ECGRecording", "BeatTokens"], swiftSettings: strict),
        // BEAT-Net inference (docs/model.md, docs/model-inference.md); the weights are a resource.
        .target(name: "BeatNet", dependencies: ["Safetensors", "BeatTokens"], resources: [.copy("Resources")],
                swiftSettings: strict),

        // The one pipeline: source → front end → rhythm stage → outputs, and its run loop.
        .target(
            name: "MonitorCore",
            dependencies: ["ECGRecording", "SignalProcessing", "QRSDetection", "BeatTokens", "BeatClassification", "BeatNet",
                           "RhythmAnalysis", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strict),
        // alsa-lib for the live ALSA source (docs/acquisition.md).
        .systemLibrary(name: "CALSA", path: "Sources/CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        // Live sources: ALSA, serial, stdin and other descriptors.
        .target(name: "Acquisition", dependencies: ["MonitorCore", "ECGRecording", "SignalProcessing", "CALSA"],
                swiftSettings: strict),
        // Event model, JSON log, syslog, annotation archive, metrics.
        .target(
            name: "Sinks",
            dependencies: ["MonitorCore", "ECGRecording", "WFDB", "BeatTokens", "BeatNet", "RhythmAnalysis",
                           .product(name: "CoreMetrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "Logging", package: "swift-log"),
                           // Syslog over TCP and TLS (RFC 5425): swift-nio with swift-nio-ssl.
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOTLS", package: "swift-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl")],
            swiftSettings: strict),
        // The HTTP server (Hummingbird): /metrics, the live page, the review station (docs/web-ui.md);
        // the page's HTML, JS and CSS are resources.
        .target(
            name: "MonitorWeb",
            dependencies: ["MonitorCore", "Sinks", "ECGRecording", "WFDB", "ECGFormats", "RhythmAnalysis", "BeatTokens",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio")],
            resources: [.copy("Assets")],
            swiftSettings: strict),
        // The Holter report: builder, HTML/SVG.
        .target(name: "HolterReport", dependencies: ["MonitorCore", "ECGRecording", "BeatNet", "BeatTokens", "RhythmAnalysis", "SignalProcessing"],
                swiftSettings: strict),
        // Whole-recording runs: detection, classification, token export, noise stress.
        .target(
            name: "OfflineRuns",
            dependencies: ["MonitorCore", "ECGRecording", "QRSDetection", "BeatTokens", "BeatNet", "RhythmAnalysis", "Evaluation",
                           "Safetensors"],
            swiftSettings: strict),
        // `beatmon run`: configuration, lifecycle, systemd.
        .target(
            name: "Daemon",
            dependencies: ["MonitorCore", "Acquisition", "Sinks", "MonitorWeb", "ECGFormats", "RhythmAnalysis",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict),
        .executableTarget(
            name: "beatmon",
            dependencies: [
                "ECGFormats", "Evaluation", "BeatTokens", "RhythmAnalysis", "BeatNet", "MonitorCore", "Sinks",
                "HolterReport", "OfflineRuns", "Daemon", "MonitorWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "ECGRecordingTests", dependencies: ["ECGRecording"], swiftSettings: strict),
        .testTarget(name: "WFDBTests", dependencies: ["WFDB", "ECGRecording", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "EDFTests", dependencies: ["EDF", "ECGRecording"], swiftSettings: strict),
        .testTarget(name: "CSVTests", dependencies: ["CSV", "ECGRecording"], swiftSettings: strict),
        // The umbrella: RecordingOpener, input hostile to every format, the binary's output.
        .testTarget(name: "ECGFormatsTests", dependencies: ["ECGFormats", "EDF", "WFDB", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "ECGFormats"], swiftSettings: strict),
        .testTarget(name: "SignalProcessingTests", dependencies: ["SignalProcessing"], swiftSettings: strict),
        .testTarget(
            name: "QRSDetectionTests", dependencies: ["QRSDetection", "ECGFormats", "Evaluation", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "BeatTokensTests", dependencies: ["BeatTokens", "QRSDetection", "ECGFormats", "MonitorCore", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "BeatClassificationTests",
            dependencies: ["BeatClassification", "BeatTokens", "MonitorCore", "ECGFormats", "Evaluation", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "BeatNetTests", dependencies: ["BeatNet", "BeatTokens", "ECGFormats", "Safetensors", "TestSupport"],
                    exclude: ["Reference"], swiftSettings: strict),
        .testTarget(name: "RhythmAnalysisTests", dependencies: ["RhythmAnalysis", "BeatTokens", "ECGFormats", "Evaluation", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "ECGFormats", "BeatTokens", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "MonitorCoreTests",
            dependencies: ["MonitorCore", "ECGFormats", "BeatNet", "BeatTokens", "RhythmAnalysis", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "AcquisitionTests", dependencies: ["Acquisition", "MonitorCore", "ECGFormats", "RhythmAnalysis", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "SinksTests", dependencies: ["Sinks", "MonitorCore", "BeatTokens", "QRSDetection", "ECGFormats", "RhythmAnalysis",
                                                    "TestSupport",
                                                    .product(name: "NIOCore", package: "swift-nio"),
                                                    .product(name: "NIOPosix", package: "swift-nio"),
                                                    .product(name: "NIOSSL", package: "swift-nio-ssl")],
                    swiftSettings: strict),
        .testTarget(name: "HolterReportTests", dependencies: ["HolterReport", "MonitorCore", "ECGFormats", "RhythmAnalysis", "BeatNet", "TestSupport"],
                    exclude: ["Support"], swiftSettings: strict),
        .testTarget(
            name: "OfflineRunsTests",
            dependencies: ["OfflineRuns", "MonitorCore", "ECGFormats", "Evaluation", "BeatNet", "BeatTokens", "RhythmAnalysis", "Safetensors", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "MonitorCore", "RhythmAnalysis", "Sinks", "MonitorWeb", "ECGFormats",
                                                "ECGRecording", "WFDB", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "MonitorWebTests",
                    dependencies: ["MonitorWeb", "Daemon", "MonitorCore", "Sinks", "ECGFormats", "RhythmAnalysis", "TestSupport"],
                    exclude: ["Support"], swiftSettings: strict),
    ]
)
