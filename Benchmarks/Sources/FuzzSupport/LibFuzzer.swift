// The part of a libFuzzer target that is the same for every target: handing SwiftPM's entry point
// to libFuzzer's driver (fuzzing builds, -DFUZZING), and replaying saved inputs (ordinary builds).

import Foundation

/// libFuzzer's per-input callback: the bytes of one input.
public typealias FuzzerCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzerCallback) -> CInt

/// Runs libFuzzer's driver with the process arguments and `callback` for each input. SwiftPM
/// links an executable's entry point as `<module>_main`; a target's `@_cdecl("<module>_main")`
/// function calls this.
public func runLibFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                         _ callback: FuzzerCallback) -> CInt {
    var count = argc
    var values = argv
    return runFuzzerDriver(&count, &values, callback)
}
#endif

/// Runs each file's bytes through `body` without libFuzzer, so that a saved input (a crash file)
/// can be debugged without the sanitizers. An unreadable file is reported as `unreadable(path)`
/// and skipped; after each file `done(path)` is printed.
public func replayFuzzInputs(_ paths: some Sequence<String>, unreadable: (String) -> String, done: (String) -> String,
                             _ body: ([UInt8]) -> Void) {
    for path in paths {
        guard let contents = FileManager.default.contents(atPath: path) else {
            print(unreadable(path))
            continue
        }
        body([UInt8](contents))
        print(done(path))
    }
}
