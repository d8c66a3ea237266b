import ArgumentParser

/// `beatmon evaluate`: scores beatmon's output against reference annotations.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score test annotations against reference annotations (ANSI/AAMI EC57).",
        subcommands: [EvaluateBeatsCommand.self, EvaluateNoiseCommand.self, EvaluateAFCommand.self])
}
