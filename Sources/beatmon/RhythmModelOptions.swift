import ArgumentParser
import BeatNet
import MonitorCore

/// `--rhythm-model`: which model decides rhythm windows and relabels beats, for replay, report and detect.
struct RhythmModelOptions: ParsableArguments {
    @Option(name: .customLong("rhythm-model"),
            help: "BEAT-Net weights deciding the rhythm: bundled (default), a .safetensors path, or none (RR detector alone).")
    var text: String = "bundled"

    /// The choice named.
    var choice: RhythmModelChoice { RhythmModelChoice(text) }

    /// The model, or nil with a warning on stderr when it cannot be loaded (the RR detector decides).
    func load() -> BeatNetModel? {
        let loaded = choice.load()
        if let warning = loaded.warning { warn(warning) }
        return loaded.model
    }
}
