import SignalProcessing

/// An ECG strip as inline SVG at the paper standard: 25 mm/s, 10 mm/mV, on a 1 mm (minor) and
/// 5 mm (major) pink grid, with a 1 mV calibration pulse, each lead on its own band, detected
/// beats marked with their RR intervals (ms) and the beats that decided the alert highlighted.
///
/// Units are millimetres (the SVG's width and height are given in mm), so printed at 100 % the
/// strip measures like paper ECG.
public enum ECGStripSVG {
    /// Paper speed, mm per second.
    public static let millimetresPerSecond = 25.0
    /// Gain, mm per mV.
    public static let millimetresPerMillivolt = 10.0
    /// Height of one lead's band, mm (±1.5 mV about its baseline before clipping).
    public static let bandHeight = 30.0

    /// The SVG for `strip` at `frameRate`, labelled with `leadNames`; `id` keeps its clip paths
    /// unique within the page.
    public static func render(_ strip: HolterStrip, frameRate: Double, leadNames: [String], id: String) -> String {
        let f = SVGNumber.format
        // The trace starts 10 mm in, on a major line, after the calibration pulse.
        let calibration = 10.0, markerBand = 6.0, axisBand = 5.0
        let seconds = Double(strip.frameCount) / frameRate
        let traceWidth = seconds * millimetresPerSecond
        let width = calibration + traceWidth
        let leadCount = max(strip.samples.count, 1)
        let height = markerBand + Double(leadCount) * bandHeight + axisBand
        let gridBottom = markerBand + Double(leadCount) * bandHeight
        func x(_ sample: Int64) -> Double {
            calibration + Double(sample - Int64(strip.startFrame)) / frameRate * millimetresPerSecond
        }

        // 6 mm to the right of the grid leave room for the last second's label.
        var svg = "<svg class=\"strip\" width=\"\(f(width + 6))mm\" height=\"\(f(height))mm\" viewBox=\"0 0 \(f(width + 6)) \(f(height))\" "
            + "role=\"img\" aria-label=\"\(HTMLText.escape(strip.title))\">\n"
        svg += "<defs>"
        for lead in 0..<leadCount {
            let top = markerBand + Double(lead) * bandHeight
            svg += "<clipPath id=\"\(id)-\(lead)\"><rect x=\"0\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(bandHeight))\"/></clipPath>"
        }
        svg += "</defs>\n"
        svg += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(gridBottom))\" fill=\"#fff7f7\"/>\n"
        // Grid: minor every 1 mm, major every 5 mm, from the trace's origin so that seconds fall on
        // major lines (every fifth major line is one second).
        var minor = "", major = ""
        var step = 0
        while Double(step) <= width {
            let xx = Double(step)
            if step % 5 == 0 { major += "M\(f(xx)) 0V\(f(gridBottom))" } else { minor += "M\(f(xx)) 0V\(f(gridBottom))" }
            step += 1
        }
        step = 0
        while Double(step) <= gridBottom {
            let yy = Double(step)
            if step % 5 == 0 { major += "M0 \(f(yy))H\(f(width))" } else { minor += "M0 \(f(yy))H\(f(width))" }
            step += 1
        }
        svg += "<path d=\"\(minor)\" stroke=\"#f3c4c4\" stroke-width=\"0.1\"/>\n"
        svg += "<path d=\"\(major)\" stroke=\"#e07a7a\" stroke-width=\"0.25\"/>\n"

        // The deciding beats: a band behind the trace, ±60 ms about R.
        let deciding = Set(strip.decidingBeats)
        for beat in strip.decidingBeats where beat >= Int64(strip.startFrame) && beat < Int64(strip.startFrame + strip.frameCount) {
            let xx = x(beat)
            svg += "<rect class=\"deciding\" x=\"\(f(xx - 1.5))\" y=\"\(f(markerBand))\" width=\"3\" height=\"\(f(gridBottom - markerBand))\"/>"
        }
        svg += "\n"

        for lead in 0..<strip.samples.count {
            let values = strip.samples[lead]
            let centre = markerBand + (Double(lead) + 0.5) * bandHeight
            let baseline = median(values)
            // Calibration pulse: 1 mV for 200 ms, at the band's baseline.
            svg += "<path d=\"M0.5 \(f(centre))H2V\(f(centre - millimetresPerMillivolt))H7V\(f(centre))H\(f(calibration))\" "
                + "fill=\"none\" stroke=\"#000\" stroke-width=\"0.3\"/>"
            var path = "", pen = false
            for (index, value) in values.enumerated() {
                guard value.isFinite else { pen = false; continue }
                let xx = calibration + Double(index) / frameRate * millimetresPerSecond
                let yy = centre - Double(value - baseline) * millimetresPerMillivolt
                path += (pen ? "L" : "M") + f(xx) + " " + f(yy)
                pen = true
            }
            svg += "<path d=\"\(path)\" clip-path=\"url(#\(id)-\(lead))\" fill=\"none\" stroke=\"#111\" stroke-width=\"0.3\" stroke-linejoin=\"round\"/>\n"
            // Stretches without signal (NaN samples) are labelled, not left blank.
            var gapStart: Int?
            for index in 0...values.count {
                let missing = index < values.count && !values[index].isFinite
                if missing, gapStart == nil { gapStart = index }
                if !missing, let start = gapStart {
                    let x0 = calibration + Double(start) / frameRate * millimetresPerSecond
                    let x1 = calibration + Double(index) / frameRate * millimetresPerSecond
                    svg += "<rect class=\"nosignal\" x=\"\(f(x0))\" y=\"\(f(centre - bandHeight / 2))\" width=\"\(f(x1 - x0))\" height=\"\(f(bandHeight))\"/>"
                    svg += "<text x=\"\(f((x0 + x1) / 2))\" y=\"\(f(centre))\" font-size=\"3\" text-anchor=\"middle\">no signal</text>\n"
                    gapStart = nil
                }
            }
            let name = lead < leadNames.count ? leadNames[lead] : "lead \(lead + 1)"
            svg += "<text x=\"\(f(calibration + 1))\" y=\"\(f(centre - bandHeight / 2 + 4))\" font-size=\"3.2\" font-weight=\"bold\">\(HTMLText.escape(name))</text>\n"
        }

        // Beat marks along the top, with the RR interval before each beat in ms.
        let noisy = Set(strip.noisyBeats)
        var previous: Int64?
        for beat in strip.beats.sorted() {
            let xx = x(beat)
            let cls = deciding.contains(beat) ? "mark deciding-mark" : (noisy.contains(beat) ? "mark noisy" : "mark")
            svg += "<path class=\"\(cls)\" d=\"M\(f(xx - 1)) \(f(markerBand - 2.2))L\(f(xx + 1)) \(f(markerBand - 2.2))L\(f(xx)) \(f(markerBand - 0.4))Z\"/>"
            if let previous {
                let rr = Int((Double(beat - previous) / frameRate * 1000).rounded())
                svg += "<text x=\"\(f((x(previous) + xx) / 2))\" y=\"2.6\" font-size=\"2.2\" text-anchor=\"middle\" fill=\"#444\">\(rr)</text>"
            }
            previous = beat
        }
        svg += "\n"
        for second in 0...Int(seconds) {
            let xx = calibration + Double(second) * millimetresPerSecond
            let label = HolterClock.elapsed(Double(strip.startFrame) / frameRate + Double(second))
            svg += "<text x=\"\(f(xx))\" y=\"\(f(gridBottom + 3.6))\" font-size=\"2.6\" text-anchor=\"middle\" fill=\"#444\">\(label)</text>"
        }
        svg += "\n</svg>"
        return svg
    }

    /// The median of the finite values (0 if none): the strip's baseline, which a few large QRS
    /// complexes do not move.
    static func median(_ values: [Float]) -> Float {
        var finite = values.filter(\.isFinite)
        return finite.sortedMedian() ?? 0
    }
}
