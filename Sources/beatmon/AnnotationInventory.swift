import ECGFormats
import Foundation

/// The annotation files beside a WFDB record (`NAME.atr`, `NAME.qrs`, ...) and what they hold.
enum AnnotationInventory {
    /// One annotation file's counts.
    struct Entry: Encodable {
        struct Count: Encodable {
            var code: String
            var count: Int
        }

        /// Annotator name: the file extension (`atr`, `qrs`).
        var annotator: String
        var total: Int
        /// Counts by annotation code mnemonic, most frequent first.
        var counts: [Count]
        /// Counts of rhythm labels (aux text of `+` annotations, e.g. `(AFIB`).
        var rhythms: [Count]
    }

    /// Known signal and header extensions that are not annotation files.
    static let nonAnnotationExtensions: Set<String> = ["hea", "dat", "mat", "edf", "bdf", "csv", "tsv", "txt",
                                                       "json", "xyz", "md"]

    /// Scans the folder of `record` for annotation files of record `recordName`.
    static func scan(record: String, recordName: String) throws -> [Entry] {
        let url = URL(fileURLWithPath: record)
        let directory = url.deletingLastPathComponent().path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        let prefix = recordName + "."
        var entries: [Entry] = []
        for name in names.sorted() where name.hasPrefix(prefix) {
            let annotator = String(name.dropFirst(prefix.count))
            guard !annotator.contains("."), !nonAnnotationExtensions.contains(annotator.lowercased()) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            entries.append(summarize(try WFDBAnnotationFile.read(path: path), annotator: annotator))
        }
        return entries
    }

    static func summarize(_ annotations: [Annotation], annotator: String) -> Entry {
        var byCode: [String: Int] = [:]
        var byRhythm: [String: Int] = [:]
        for annotation in annotations {
            byCode[annotation.code.mnemonic, default: 0] += 1
            if annotation.code == AnnotationCode(mnemonic: "+"), let aux = annotation.auxText, !aux.isEmpty {
                byRhythm[aux, default: 0] += 1
            }
        }
        func sorted(_ counts: [String: Int]) -> [Entry.Count] {
            counts.map { Entry.Count(code: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.code < $1.code }
        }
        return Entry(annotator: annotator, total: annotations.count, counts: sorted(byCode), rhythms: sorted(byRhythm))
    }
}
