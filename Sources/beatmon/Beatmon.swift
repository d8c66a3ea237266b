import ArgumentParser

@main
struct Beatmon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beatmon",
        abstract: "ECG monitor: QRS detection, beat tokens and AF alerts (BEAT-Net).",
        subcommands: [])
}
