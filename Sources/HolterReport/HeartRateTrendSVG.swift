/// The heart-rate trend of a report as inline SVG: per-minute median heart rate over the whole
/// recording, AF episodes shaded red, unreadable stretches shaded grey.
public enum HeartRateTrendSVG {
    /// The SVG element (about 1100 × 260 user units, scaled to the page width).
    public static func render(_ report: HolterReport) -> String {
        let width = 1100.0, height = 260.0
        let left = 48.0, right = 30.0, top = 12.0, bottom = 34.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let duration = max(report.durationSeconds, 1)
        let rates = report.minuteHeartRates.compactMap { $0 }
        let low = 30.0
        let high = max(160, ((rates.max() ?? 0) / 20).rounded(.up) * 20)
        func x(_ seconds: Double) -> Double { left + plotWidth * min(max(seconds / duration, 0), 1) }
        func y(_ rate: Double) -> Double { top + plotHeight * (1 - (min(max(rate, low), high) - low) / (high - low)) }
        let f = SVGNumber.format

        var svg = "<svg class=\"trend\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" "
            + "aria-label=\"Heart rate trend\">\n"
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"#fff\" stroke=\"#999\" stroke-width=\"0.8\"/>\n"
        for stretch in report.unreadable {
            let x0 = x(stretch.startSeconds), x1 = x(stretch.endSeconds)
            svg += "<rect class=\"unreadable\" x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(max(x1 - x0, 1)))\" height=\"\(f(plotHeight))\"/>\n"
        }
        for episode in report.episodes {
            let x0 = x(episode.startSeconds), x1 = x(episode.endSeconds)
            svg += "<rect class=\"af\" x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(max(x1 - x0, 1)))\" height=\"\(f(plotHeight))\"/>\n"
        }
        var rate = low
        while rate <= high {
            let yy = y(rate)
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" stroke=\"#ddd\" stroke-width=\"0.6\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(yy + 4))\" text-anchor=\"end\" font-size=\"11\">\(Int(rate))</text>\n"
            rate += rate == low ? 10 : 20
        }
        let step = tickStep(duration)
        var tick = 0.0
        while tick <= duration + 0.5 {
            let xx = x(tick)
            svg += "<line x1=\"\(f(xx))\" x2=\"\(f(xx))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight + 5))\" stroke=\"#666\"/>"
            svg += "<text x=\"\(f(xx))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\" font-size=\"11\">\(HolterClock.elapsed(tick))</text>\n"
            tick += step
        }
        svg += "<text x=\"14\" y=\"\(f(top + plotHeight / 2))\" font-size=\"11\" transform=\"rotate(-90 14 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\">bpm (1-min median)</text>\n"
        // One path, broken where a minute has no readable rate, so a gap is never bridged.
        var path = "", pen = false
        for (minute, value) in report.minuteHeartRates.enumerated() {
            guard let value else { pen = false; continue }
            let xx = x(min((Double(minute) + 0.5) * 60, duration)), yy = y(value)
            path += (pen ? "L" : "M") + "\(f(xx)),\(f(yy))"
            pen = true
        }
        svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"#1f3f8f\" stroke-width=\"1.4\" stroke-linejoin=\"round\"/>\n"
        if report.minuteHeartRates.count <= 120 {
            for (minute, value) in report.minuteHeartRates.enumerated() {
                guard let value else { continue }
                svg += "<circle cx=\"\(f(x(min((Double(minute) + 0.5) * 60, duration))))\" cy=\"\(f(y(value)))\" r=\"2.2\" fill=\"#1f3f8f\"/>"
            }
            svg += "\n"
        }
        svg += "</svg>"
        return svg
    }

    /// A tick spacing giving at most about 12 ticks: whole minutes or hours.
    static func tickStep(_ duration: Double) -> Double {
        let steps: [Double] = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 14_400, 21_600]
        return steps.first { duration / $0 <= 12 } ?? 43_200
    }
}
