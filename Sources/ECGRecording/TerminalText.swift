extension String {
    /// The string with every character that a terminal could act on written as a visible escape:
    /// C0 controls (newline and tab included), DEL and C1 controls as `\x1B`, `\x9B`, ...;
    /// Unicode bidirectional overrides and isolates, which reorder what is shown, as `\u{202E}`.
    ///
    /// Use it wherever file content (CSV cells, EDF labels and patient fields, WFDB header text,
    /// annotation text) is quoted in a message or printed for a person: a hostile file must not be
    /// able to move the cursor, retitle the window or hide text. Backslashes are kept, so the result
    /// is for display, not a reversible encoding.
    public var sanitizedForTerminal: String {
        guard unicodeScalars.contains(where: Self.needsEscape) else { return self }
        var result = ""
        result.reserveCapacity(utf8.count + 8)
        for scalar in unicodeScalars {
            if !Self.needsEscape(scalar) {
                result.unicodeScalars.append(scalar)
            } else if scalar.value < 0x100 {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM, ALM.
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }
}
