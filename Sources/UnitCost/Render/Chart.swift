/// Inline SVG charts for the HTML reports, drawn by our own code (SPEC §8: self-contained, accessible).
///
/// Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` that states its figures in
/// words, so a screen reader gets the same facts as the eye; the tables beside each chart hold every
/// value. Text drawn in a chart (values, tick labels) is formatted from exact `Money`; only the
/// coordinates are computed in `Double`, for drawing. Every string from an input is escaped, and long
/// labels are shortened on screen with the full text in a `<title>` tooltip. Colours and fonts come
/// from classes the report's CSS styles, so print and dark backgrounds follow the page.
public enum Chart {
    /// Drawing widths in SVG units: each chart is drawn twice, wide for screens and paper and narrow
    /// for phones (CSS shows one), so its text keeps a readable size at both.
    public static let wide = 640.0
    public static let narrow = 360.0

    /// One bar or column: its label, value, the value as shown, and whether it is the report's own.
    public struct Bar: Sendable {
        public var label: String
        public var value: Money?
        public var text: String
        public var note: String = ""
        public var highlight = false

        /// A bar; `value` nil draws no bar and shows `text` (e.g. "n/a").
        public init(label: String, value: Money?, text: String, note: String = "", highlight: Bool = false) {
            self.label = label
            self.value = value
            self.text = text
            self.note = note
            self.highlight = highlight
        }
    }

    /// A horizontal bar split into parts (cost of one model by token kind).
    public struct Stack: Sendable {
        public var label: String
        public var parts: [Money]
        public var text: String

        /// A stacked bar; `parts` follow the chart's keys.
        public init(label: String, parts: [Money], text: String) {
            self.label = label
            self.parts = parts
            self.text = text
        }
    }

    /// One point of a scatter chart.
    public struct Point: Sendable {
        public var label: String
        public var x: Money
        public var y: Money
        public var text: String

        /// A point at (`x`, `y`), described by `text` in its tooltip.
        public init(label: String, x: Money, y: Money, text: String) {
            self.label = label
            self.x = x
            self.y = y
            self.text = text
        }
    }

    // MARK: Charts

    /// Columns over time (cost per conversion per week), the highlighted one in the accent colour.
    public static func columns(id: String, title: String, description: String, bars: [Bar], unit: String, width: Double = wide) -> String {
        let height = 240.0, top = 28.0, bottom = 44.0, left = 8.0
        let plot = height - top - bottom
        let maximum = bars.compactMap(\.value).max() ?? .zero
        let slot = (width - left * 2) / Double(max(bars.count, 1))
        let barWidth = min(72, slot * 0.62)
        var svg = open(id: id, title: title, description: description, width: width, height: height)
        svg += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top + plot))\" x2=\"\(f(width - left))\" y2=\"\(f(top + plot))\"/>"
        for (i, bar) in bars.enumerated() {
            let center = left + slot * (Double(i) + 0.5)
            let h = bar.value.map { plot * fraction($0, of: maximum) } ?? 0
            let y = top + plot - h
            let cls = bar.highlight ? "bar accent" : "bar"
            svg += "<g><title>\(escape(bar.label)): \(escape(bar.text)) \(escape(unit))\(bar.note.isEmpty ? "" : " (" + escape(bar.note) + ")")</title>"
            if bar.value != nil {
                svg += "<rect class=\"\(cls)\(bar.note.isEmpty ? "" : " faint")\" x=\"\(f(center - barWidth / 2))\" y=\"\(f(y))\" width=\"\(f(barWidth))\" height=\"\(f(max(h, 1)))\"/>"
            }
            svg += "<text class=\"value\" x=\"\(f(center))\" y=\"\(f(y - 6))\" text-anchor=\"middle\">\(escape(bar.text))</text>"
            svg += "<text class=\"label\" x=\"\(f(center))\" y=\"\(f(top + plot + 16))\" text-anchor=\"middle\">\(escape(short(bar.label, 12)))</text>"
            if !bar.note.isEmpty {
                svg += "<text class=\"note\" x=\"\(f(center))\" y=\"\(f(top + plot + 31))\" text-anchor=\"middle\">\(escape(short(bar.note, 14)))</text>"
            }
            svg += "</g>"
        }
        return svg + "</svg>"
    }

    /// Horizontal stacked bars with a legend (cost by model and token kind); labels sit above the bars
    /// so long model ids fit a phone.
    public static func stacks(id: String, title: String, description: String, keys: [String], stacks: [Stack], width: Double = wide) -> String {
        let row = 40.0, valueWidth = 96.0
        // Legend entries flow into as many lines as the width needs.
        var legendItems: [(x: Double, y: Double, key: String, index: Int)] = []
        var lx = 0.0, ly = 4.0
        for (k, key) in keys.enumerated() {
            let w = 28 + Double(key.count) * 7
            if lx > 0, lx + w > width {
                lx = 0
                ly += 20
            }
            legendItems.append((lx, ly, key, k))
            lx += w
        }
        let legend = ly + 26
        let height = legend + row * Double(stacks.count) + 8
        let span = width - valueWidth - 8
        let maximum = stacks.map { $0.parts.reduce(Money.zero) { $0 + max($1, .zero) } }.max() ?? .zero
        var svg = open(id: id, title: title, description: description, width: width, height: height)
        for item in legendItems {
            svg += "<rect class=\"s\(item.index % 6)\" x=\"\(f(item.x))\" y=\"\(f(item.y))\" width=\"12\" height=\"12\"/>"
            svg += "<text class=\"label\" x=\"\(f(item.x + 16))\" y=\"\(f(item.y + 10))\">\(escape(item.key))</text>"
        }
        for (i, stack) in stacks.enumerated() {
            let y = legend + row * Double(i)
            svg += "<g><title>\(escape(stack.label)): \(escape(stack.text))</title>"
            svg += "<text class=\"label\" x=\"0\" y=\"\(f(y + 12))\">\(escape(short(stack.label, characters(fitting: width))))</text>"
            var offset = 0.0
            for (k, part) in stack.parts.enumerated() where part > .zero {
                let w = span * fraction(part, of: maximum)
                svg += "<rect class=\"s\(k % 6)\" x=\"\(f(offset))\" y=\"\(f(y + 17))\" width=\"\(f(max(w, 0.5)))\" height=\"16\"/>"
                offset += w
            }
            svg += "<text class=\"value\" x=\"\(f(offset + 6))\" y=\"\(f(y + 30))\">\(escape(stack.text))</text></g>"
        }
        return svg + "</svg>"
    }

    /// Bars sorted by size with the cumulative share as a line on a 0–100 % scale and the 80 % line
    /// (a Pareto chart of campaigns by cost); `shares` are the cumulative shares, 0–1.
    public static func pareto(id: String, title: String, description: String, bars: [Bar], shares: [(share: Money, text: String)], width: Double = wide) -> String {
        let top = 26.0, row = 38.0, valueWidth = 150.0
        let height = top + row * Double(bars.count) + 18
        let span = width - valueWidth
        let maximum = bars.compactMap(\.value).max() ?? .zero
        var svg = open(id: id, title: title, description: description, width: width, height: height)
        // The percent scale of the cumulative line, across the bars' width.
        for tick in [0, 50, 100] {
            let x = span * Double(tick) / 100
            svg += "<text class=\"note\" x=\"\(f(x))\" y=\"12\" text-anchor=\"\(tick == 0 ? "start" : tick == 100 ? "end" : "middle")\">\(tick) %</text>"
        }
        svg += "<line class=\"threshold\" x1=\"\(f(span * 0.8))\" y1=\"16\" x2=\"\(f(span * 0.8))\" y2=\"\(f(height - 2))\"/>"
        svg += "<text class=\"note\" x=\"\(f(span * 0.8 - 4))\" y=\"\(f(height - 4))\" text-anchor=\"end\">80 % of attributed cost</text>"
        var points: [(x: String, y: String)] = []
        for (i, bar) in bars.enumerated() {
            let y = top + row * Double(i)
            let w = bar.value.map { span * fraction($0, of: maximum) } ?? 0
            let cumulative = i < shares.count ? shares[i] : (share: Money.zero, text: "")
            svg += "<g><title>\(escape(bar.label)): \(escape(bar.text)); cumulative \(escape(cumulative.text))</title>"
            svg += "<text class=\"label\" x=\"0\" y=\"\(f(y + 10))\">\(escape(short(bar.label, characters(fitting: width))))</text>"
            svg += "<rect class=\"bar\(bar.highlight ? " accent" : "")\" x=\"0\" y=\"\(f(y + 15))\" width=\"\(f(max(w, 0.5)))\" height=\"16\"/>"
            svg += "<text class=\"value\" x=\"\(f(span + 8))\" y=\"\(f(y + 28))\">\(escape(bar.text)) · \(escape(cumulative.text))</text></g>"
            points.append((f(span * fraction(cumulative.share, of: Money(1))), f(y + 23)))
        }
        if !points.isEmpty {
            svg += "<polyline class=\"cumulative\" points=\"\(points.map { "\($0.x),\($0.y)" }.joined(separator: " "))\"/>"
            for p in points { svg += "<circle class=\"cumulative-dot\" cx=\"\(p.x)\" cy=\"\(p.y)\" r=\"3\"/>" }
        }
        return svg + "</svg>"
    }

    /// Points on two value axes (cost against conversions per creative), each labelled.
    public static func scatter(
        id: String, title: String, description: String, points: [Point], xLabel: String, yLabel: String, width: Double = wide
    ) -> String {
        let height = 300.0, left = 48.0, right = 16.0, top = 16.0, bottom = 44.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xTicks = ticks(points.map(\.x).max() ?? .zero), yTicks = ticks(points.map(\.y).max() ?? .zero)
        let xMax = xTicks.last ?? Money(1), yMax = yTicks.last ?? Money(1)
        var svg = open(id: id, title: title, description: description, width: width, height: height)
        for t in yTicks {
            let y = top + plotH * (1 - fraction(t, of: yMax))
            svg += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\"/>"
            svg += "<text class=\"note\" x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(escape(t.formatted(fractionDigits: digits(t))))</text>"
        }
        for t in xTicks {
            let x = left + plotW * fraction(t, of: xMax)
            svg += "<text class=\"note\" x=\"\(f(x))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(escape(t.formatted(fractionDigits: max(digits(t), 0))))</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(width - right))\" y2=\"\(f(top + plotH))\"/>"
        svg += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\"/>"
        svg += "<text class=\"label\" x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        svg += "<text class=\"label\" x=\"12\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(top + plotH / 2)))\">\(escape(yLabel))</text>"
        // Labels that would overlap one already drawn are left out; the tooltip and the description keep them.
        var taken: [(x0: Double, x1: Double, y: Double)] = []
        for p in points {
            let x = left + plotW * fraction(p.x, of: xMax), y = top + plotH * (1 - fraction(p.y, of: yMax))
            let label = short(p.label, 18)
            let textWidth = Double(label.count) * 6.6
            let anchor = x > width - 120 ? "end" : "start"
            let x0 = anchor == "end" ? x - 8 - textWidth : x + 8
            svg += "<g><title>\(escape(p.label)): \(escape(p.text))</title><circle class=\"dot\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"5\"/>"
            if !taken.contains(where: { $0.x0 < x0 + textWidth && x0 < $0.x1 && abs($0.y - y) < 14 }) {
                taken.append((x0, x0 + textWidth, y))
                svg += "<text class=\"note\" x=\"\(f(anchor == "end" ? x - 8 : x + 8))\" y=\"\(f(y - 6))\" text-anchor=\"\(anchor)\">\(escape(label))</text>"
            }
            svg += "</g>"
        }
        return svg + "</svg>"
    }

    // MARK: Pieces

    static func open(id: String, title: String, description: String, width: Double, height: Double) -> String {
        "<svg class=\"chart \(width < wide ? "narrow" : "wide")\" id=\"\(escape(id))\" role=\"img\" aria-labelledby=\"\(escape(id))-title\" aria-describedby=\"\(escape(id))-desc\" viewBox=\"0 0 \(f(width)) \(f(height))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"\(escape(id))-title\">\(escape(title))</title><desc id=\"\(escape(id))-desc\">\(escape(description))</desc>"
    }

    /// Text escaped for SVG/HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters have no place in XML 1.0 text; show them as a replacement mark.
                if c.value < 0x20 && c != "\n" && c != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// How many characters of 12-unit text fit a width (a generous average glyph width of 7 units).
    static func characters(fitting width: Double) -> Int { max(8, Int(width / 7)) }

    /// A label shortened to `limit` characters with an ellipsis.
    static func short(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// `value ÷ maximum` as a drawing fraction in 0…1 (coordinates only, never a figure shown).
    static func fraction(_ value: Money, of maximum: Money) -> Double {
        guard maximum > .zero, value > .zero else { return 0 }
        return min(1, Double(value.units) / Double(maximum.units))
    }

    /// A coordinate with at most one decimal.
    static func f(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let whole = Int(tenths) / 10, rest = abs(Int(tenths) % 10)
        return rest == 0 ? String(whole) : (tenths < 0 && whole == 0 ? "-0" : String(whole)) + "." + String(rest)
    }

    /// Round tick values from zero to at least `maximum`: steps of 1, 2 or 5 × 10ⁿ, in exact units.
    static func ticks(_ maximum: Money) -> [Money] {
        guard maximum > .zero else { return [.zero, Money(1)] }
        let rough = max(maximum.units / 4, 1)
        var power: Int128 = 1
        while power * 10 <= rough { power *= 10 }
        let step = [1, 2, 5, 10].map { Int128($0) * power }.first { $0 * 4 >= maximum.units } ?? power * 10
        var values: [Money] = []
        var v: Int128 = 0
        while v < maximum.units + step {
            values.append(Money(units: v))
            if v >= maximum.units { break }
            v += step
        }
        return values
    }

    /// The fractional digits a tick value needs (none for whole numbers).
    static func digits(_ value: Money) -> Int {
        var units = value.units, zeros = 0
        if units == 0 { return 0 }
        while units % 10 == 0, zeros < Money.scale {
            units /= 10
            zeros += 1
        }
        return Money.scale - zeros
    }
}
