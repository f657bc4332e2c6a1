import Foundation

/// Small hand-written SVG charts for reports: a bar chart of signed values (e.g. δ per model)
/// and a scatter plot (e.g. ours against the paper's). Text is escaped; numbers are printed
/// with fixed decimals, so the same data always gives the same bytes.
public enum SVGChart {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// Optional second value drawn as a marker on the bar (e.g. the paper's).
        public var reference: Double?
        public init(label: String, value: Double, reference: Double? = nil) { self.label = label; self.value = value; self.reference = reference }
    }

    /// Horizontal bars around zero, one row per item; `reference` values as black ticks.
    public static func bars(_ bars: [Bar], title: String, unit: String, valueLabel: String = "ours", referenceLabel: String = "paper") -> String {
        let rowHeight = 16.0, left = 230.0, width = 420.0, top = 40.0
        let height = top + Double(bars.count) * rowHeight + 40
        let values = bars.flatMap { [$0.value] + ($0.reference.map { [$0] } ?? []) }.filter(\.isFinite)
        let lo = min(0, values.min() ?? 0), hi = max(0, values.max() ?? 0)
        let span = hi - lo == 0 ? 1 : hi - lo
        func x(_ v: Double) -> Double { left + (v - lo) / span * width }
        var s = header(width: left + width + 30, height: height, title: title)
        s += line(x(0), top - 6, x(0), height - 30, stroke: "#444")
        for (i, b) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            s += text(left - 6, y + 11, b.label, anchor: "end", size: 10)
            if b.value.isFinite {
                let (a, c) = (x(min(0, b.value)), x(max(0, b.value)))
                s += "<rect x=\"\(f(a))\" y=\"\(f(y + 2))\" width=\"\(f(max(c - a, 0.5)))\" height=\"\(f(rowHeight - 5))\" fill=\"\(b.value < 0 ? "#c0504d" : "#4f81bd")\"/>\n"
            }
            if let r = b.reference, r.isFinite { s += line(x(r), y + 1, x(r), y + rowHeight - 2, stroke: "#000", width: 2) }
        }
        s += text(x(lo), height - 14, "\(f(lo)) \(unit)", anchor: "start", size: 10)
        s += text(x(hi), height - 14, "\(f(hi)) \(unit)", anchor: "end", size: 10)
        s += text(left, 30, "bars: \(valueLabel); black ticks: \(referenceLabel)", anchor: "start", size: 10)
        return s + "</svg>\n"
    }

    public struct Point: Sendable {
        public var x: Double, y: Double, label: String
        public init(x: Double, y: Double, label: String) { self.x = x; self.y = y; self.label = label }
    }

    /// A scatter plot with the diagonal y = x (for ours against the paper's).
    public static func scatter(_ points: [Point], title: String, xLabel: String, yLabel: String) -> String {
        let size = 360.0, pad = 50.0
        let all = points.flatMap { [$0.x, $0.y] }.filter(\.isFinite)
        let lo = all.min() ?? 0, hi = all.max() ?? 1
        let span = hi - lo == 0 ? 1 : hi - lo
        func p(_ v: Double) -> Double { (v - lo) / span * size }
        var s = header(width: size + 2 * pad, height: size + 2 * pad, title: title)
        s += "<rect x=\"\(f(pad))\" y=\"\(f(pad))\" width=\"\(f(size))\" height=\"\(f(size))\" fill=\"none\" stroke=\"#888\"/>\n"
        s += line(pad, pad + size, pad + size, pad, stroke: "#bbb")
        for pt in points where pt.x.isFinite && pt.y.isFinite {
            s += "<circle cx=\"\(f(pad + p(pt.x)))\" cy=\"\(f(pad + size - p(pt.y)))\" r=\"3\" fill=\"#4f81bd\"><title>\(escape(pt.label))</title></circle>\n"
        }
        s += text(pad + size / 2, pad + size + 32, xLabel, anchor: "middle", size: 11)
        s += text(14, pad + size / 2, yLabel, anchor: "middle", size: 11, rotate: true)
        s += text(pad, pad + size + 14, f(lo), anchor: "start", size: 10) + text(pad + size, pad + size + 14, f(hi), anchor: "end", size: 10)
        return s + "</svg>\n"
    }

    public struct Series: Sendable {
        public var label: String
        public var points: [(x: Double, y: Double)]
        public init(label: String, points: [(x: Double, y: Double)]) { self.label = label; self.points = points }
    }

    /// Lines through (x, y) points, one colour per series, with a legend (e.g. JI against the
    /// removal cap).
    public static func lines(_ series: [Series], title: String, xLabel: String, yLabel: String) -> String {
        let (w, h, pad) = (420.0, 260.0, 55.0)
        let xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite), ys = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        let (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1), (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
        func px(_ v: Double) -> Double { pad + (v - x0) / (x1 - x0 == 0 ? 1 : x1 - x0) * w }
        func py(_ v: Double) -> Double { pad + h - (v - y0) / (y1 - y0 == 0 ? 1 : y1 - y0) * h }
        let colours = ["#4f81bd", "#c0504d", "#9bbb59", "#8064a2", "#f79646"]
        var s = header(width: w + 2 * pad + 140, height: h + 2 * pad, title: title)
        s += "<rect x=\"\(f(pad))\" y=\"\(f(pad))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"none\" stroke=\"#888\"/>\n"
        for (i, se) in series.enumerated() {
            let c = colours[i % colours.count]
            let pts = se.points.filter { $0.x.isFinite && $0.y.isFinite }
            s += "<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\" points=\"" + pts.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ") + "\"/>\n"
            for p in pts { s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\" fill=\"\(c)\"/>\n" }
            s += line(pad + w + 12, pad + 10 + Double(i) * 16, pad + w + 30, pad + 10 + Double(i) * 16, stroke: c, width: 2)
            s += text(pad + w + 34, pad + 14 + Double(i) * 16, se.label, anchor: "start", size: 10)
        }
        s += text(pad + w / 2, pad + h + 36, xLabel, anchor: "middle", size: 11)
        s += text(16, pad + h / 2, yLabel, anchor: "middle", size: 11, rotate: true)
        s += text(pad, pad + h + 14, f(x0), anchor: "start", size: 10) + text(pad + w, pad + h + 14, f(x1), anchor: "end", size: 10)
        s += text(pad - 4, pad + h, f(y0), anchor: "end", size: 10) + text(pad - 4, pad + 8, f(y1), anchor: "end", size: 10)
        return s + "</svg>\n"
    }

    // MARK: pieces

    static func header(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + text(10, 18, title, anchor: "start", size: 13)
    }
    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(f(width))\"/>\n"
    }
    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String, size: Int, rotate: Bool = false) -> String {
        let r = rotate ? " transform=\"rotate(-90 \(f(x)) \(f(y)))\"" : ""
        return "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\"\(r)>\(escape(s))</text>\n"
    }
    static func f(_ v: Double) -> String { String(format: "%.2f", v) }
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
