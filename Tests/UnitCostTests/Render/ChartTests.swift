import Foundation
import Testing
@testable import UnitCost

/// The SVG charts: exact tick values and labels, escaping, titles and text alternatives.
@Suite struct ChartTests {
    @Test(arguments: [
        ("82.91", ["0", "50", "100"]), ("0.97", ["0", "0.5", "1"]), ("4", ["0", "1", "2", "3", "4"]),
        ("149.27", ["0", "50", "100", "150"]), ("0.0042", ["0", "0.002", "0.004", "0.006"]),
    ])
    func ticksAreRoundAndReachTheMaximum(maximum: String, expected: [String]) throws {
        let ticks = Chart.ticks(try #require(Money(maximum)))
        #expect(ticks.map { $0.formatted(fractionDigits: Chart.digits($0)) } == expected)
    }

    @Test func everyChartHasATitleADescriptionAndEscapedText() {
        let hostile = "<script>alert(1)</script>"
        let bars = [Chart.Bar(label: hostile, value: Money(3), text: "3.00"), Chart.Bar(label: "b", value: nil, text: "n/a")]
        let charts = [
            Chart.columns(id: "w", title: "T \(hostile)", description: "D \(hostile)", bars: bars, unit: "USD"),
            Chart.stacks(id: "m", title: "T", description: "D", keys: ["input", "output"], stacks: [Chart.Stack(label: hostile, parts: [Money(1), Money(2)], text: "3.00 USD")]),
            Chart.pareto(id: "p", title: "T", description: "D", bars: bars, shares: [(Money("0.75")!, "75.0 %"), (Money(1), "100.0 %")], width: Chart.narrow),
            Chart.scatter(id: "s", title: "T", description: "D", points: [Chart.Point(label: hostile, x: Money(2), y: Money(5), text: "x")], xLabel: "cost", yLabel: "conversions"),
        ]
        for svg in charts {
            #expect(svg.hasPrefix("<svg class=\"chart "))
            #expect(svg.contains("role=\"img\""))
            #expect(svg.contains("<title id=") && svg.contains("<desc id=") && svg.contains("aria-describedby="))
            #expect(!svg.contains("<script"), "\(svg)")
        }
        #expect(charts[0].contains("<title id=\"w-title\">T &lt;script&gt;alert(1)&lt;/script&gt;</title>"))
        // A value that is n/a draws no column, only its text.
        #expect(charts[0].components(separatedBy: "<rect").count == 2)
        #expect(charts[0].contains(">n/a</text>"))
        #expect(charts[2].contains("class=\"chart narrow\""))
        // The cumulative line: 75 % and 100 % of the bars' span (360 − 150 = 210 units wide).
        #expect(charts[2].contains("points=\"157.5,49 210,87\""))
    }

    @Test func longLabelsAreShortenedWithTheFullTextInTheTooltip() {
        let name = String(repeating: "campaign-", count: 15)
        let svg = Chart.stacks(id: "m", title: "T", description: "D", keys: ["input"], stacks: [Chart.Stack(label: name, parts: [Money(1)], text: "1")])
        #expect(svg.contains("<title>\(name): 1</title>"))
        // 640 units hold 91 characters; on a phone (360 units) 51.
        #expect(svg.contains(">" + String(name.prefix(90)) + "…</text>"))
        let narrow = Chart.stacks(id: "n", title: "T", description: "D", keys: ["input"], stacks: [Chart.Stack(label: name, parts: [Money(1)], text: "1")], width: Chart.narrow)
        #expect(narrow.contains(">" + String(name.prefix(50)) + "…</text>"))
    }
}
