// swift-tools-version: 6.1
import PackageDescription

// beatmon's benchmarks and fuzzers, apart from the product (as swift-nio keeps its benchmarks):
// `cd Benchmarks && swift build`. They use the root package's library products. The scripts that
// drive them, and the comparisons with wfdb-python and NeuroKit2, are in scripts/.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "beatmon-benchmarks",
    dependencies: [
        .package(name: "beatmon", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "beatnet-bench",
            dependencies: [.product(name: "BeatNet", package: "beatmon"), .product(name: "BeatTokens", package: "beatmon"),
                           .product(name: "Safetensors", package: "beatmon")],
            swiftSettings: strict),
        .executableTarget(
            name: "pipeline-bench",
            dependencies: [.product(name: "ECGFormats", package: "beatmon"), .product(name: "MonitorCore", package: "beatmon"),
                           .product(name: "QRSDetection", package: "beatmon")],
            swiftSettings: strict),
        .executableTarget(
            name: "classifier-bench",
            dependencies: [.product(name: "BeatClassification", package: "beatmon"), .product(name: "BeatTokens", package: "beatmon"),
                           .product(name: "ECGFormats", package: "beatmon"), .product(name: "MonitorCore", package: "beatmon")],
            swiftSettings: strict),
        .executableTarget(
            name: "qrs-bench",
            dependencies: [.product(name: "ECGFormats", package: "beatmon"), .product(name: "QRSDetection", package: "beatmon")],
            swiftSettings: strict),
        .executableTarget(
            name: "wfdb-decode-bench", dependencies: [.product(name: "ECGFormats", package: "beatmon")], swiftSettings: strict),
        // The libFuzzer driver hand-off and the replay loop, shared by the fuzz targets.
        .target(name: "FuzzSupport", swiftSettings: strict),
        // WFDB header and decoder fuzz targets (libFuzzer build flags in docs/fuzzing.md).
        .executableTarget(
            name: "ECGFormatsFuzz", dependencies: [.product(name: "ECGFormats", package: "beatmon"), "FuzzSupport"],
            swiftSettings: strict),
        // Annotation and EDF fuzz target (build flags in docs/fuzzing.md).
        .executableTarget(
            name: "AnnotationFuzz", dependencies: [.product(name: "ECGFormats", package: "beatmon"), "FuzzSupport"],
            swiftSettings: strict),
        // The signal path: arbitrary sample streams through the whole pipeline (docs/fuzzing.md).
        .executableTarget(
            name: "SignalPathFuzz",
            dependencies: [.product(name: "BeatNet", package: "beatmon"), .product(name: "ECGFormats", package: "beatmon"),
                           .product(name: "MonitorCore", package: "beatmon"),
                           .product(name: "RhythmAnalysis", package: "beatmon"), "FuzzSupport"],
            swiftSettings: strict),
    ]
)
