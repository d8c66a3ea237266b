import ArgumentParser

/// The `beatmon` command line: each subcommand is a thin shell over the library modules.
@main
struct Beatmon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beatmon",
        abstract: "ECG monitor: QRS detection, beat tokens and AF alerts (BEAT-Net).",
        discussion: """
            A RECORD is a WFDB record path without extension (e.g. ../shared/data/mitdb/100), \
            an .edf/.bdf file, or a .csv/.tsv file.
            """,
        subcommands: [
            InfoCommand.self, ExportCommand.self, DetectCommand.self, ReplayCommand.self, ReportCommand.self,
            ClassifyCommand.self, TokensCommand.self, RhythmCommand.self, EvaluateCommand.self, RunCommand.self,
            ServeCommand.self,
        ])
}
