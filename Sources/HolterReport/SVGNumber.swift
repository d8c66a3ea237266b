/// Numbers written into SVG coordinates: one decimal, no exponent, no locale, and quick, because
/// a strip has thousands of points.
enum SVGNumber {
    /// `value` rounded to one decimal ("12.3", "-0.5", "7").
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
