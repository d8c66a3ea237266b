// The umbrella: `import ECGFormats` brings every format module and the recording model, so code
// that opens any recording (`RecordingOpener`) needs one import. Modules that need only part
// import that part (ECGRecording, WFDB, EDF, CSV) directly.
@_exported import CSV
@_exported import ECGRecording
@_exported import EDF
@_exported import WFDB
