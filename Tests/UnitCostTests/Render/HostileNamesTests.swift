import Foundation
import Testing
import UnitCost

/// Hostile names in every input string a report shows (`Tests/Fixtures/hostile/`): script and image
/// markup, an attribute breakout, Markdown emphasis, links and table pipes. HTML shows them as inert
/// text; Markdown keeps them intact (escaped, so cmark renders the very same text) and its tables keep
/// their columns. The same fixture's figures are checked by hand in `FindingsTests`.
@Suite struct HostileNamesTests {
    static let script = "<script>alert(1)</script>"
    static let breakout = #""><img src=x onerror=alert(1)>"#
    static let markdown = "| *bold* | [link](javascript:alert(1)) | `code` _u_"
    static let creatives = ["<svg onload=alert(1)>", "**x**", "<b>bold</b>"]

    static func summary() throws -> Summary {
        let config = try Config.load(path: TestPaths.fixture("hostile/unitcost.yaml"))
        return try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: config.costBasis)
    }

    static func rendered() throws -> (markdown: String, html: String, quality: String) {
        let summary = try summary()
        let templates = try TemplateSet(directory: TestPaths.templates)
        let media = try MediaReport(summary: summary).render(with: templates)
        return (media.markdown, media.html, try DataQualityReport(summary: summary).render(with: templates))
    }

    @Test func theNamesReachTheSummaryUnchanged() throws {
        let s = try Self.summary()
        #expect(Set(s.campaigns.map(\.campaign)) == [Self.script, Self.breakout, Self.markdown])
        #expect(Set(s.creatives.map(\.id)) == Set(Self.creatives))
    }

    @Test func htmlShowsThemAsInertText() throws {
        let html = try Self.rendered().html
        // No element from an input: the page's only markup is the template's and the charts'.
        for raw in ["<script", "<img", "<svg onload", "<b>bold", "<i>shop", "href=\"javascript", "onerror=alert(1)>"] {
            #expect(!html.contains(raw), "raw \(raw) in the HTML")
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&lt;svg onload=alert(1)&gt;"))
        #expect(html.contains("| *bold* | [link](javascript:alert(1)) | `code` _u_"))
        // Inside the charts too: titles, descriptions and labels.
        let charts = html.components(separatedBy: "<svg class=\"chart").dropFirst()
        #expect(charts.count == 8, "four charts, each wide and narrow")
        #expect(charts.contains { $0.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;") })
        // The page forbids scripts and every request, should escaping ever fail.
        #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#))
    }

    @Test func markdownKeepsThemIntactAndItsTablesKeepTheirColumns() throws {
        let (markdown, _, quality) = try Self.rendered()
        for document in [markdown, quality] {
            // cmark (unsafe HTML off) renders the escaped names as the very text of the input.
            let html = MarkdownHTML.html(fromMarkdown: document)
            #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<svg") && !html.contains("<b>bold"))
            #expect(!html.contains("<em>bold</em>") && !html.contains("<strong>x</strong>") && !html.contains("<code>code</code>") && !html.contains("<a href"),
                "no emphasis, code or link made from a name")
            for table in Self.tables(document) {
                let cells = table.map(Self.unescapedPipes)
                #expect(Set(cells).count == 1, "a table's rows have \(cells) columns:\n\(table.joined(separator: "\n"))")
            }
        }
        let html = MarkdownHTML.html(fromMarkdown: markdown)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&lt;svg onload=alert(1)&gt;"))
        #expect(html.contains("**x**"))
        #expect(html.contains("| *bold* | [link](javascript:alert(1)) | `code` _u_"))
    }

    /// Runs of lines starting with `|`.
    static func tables(_ markdown: String) -> [[String]] {
        var tables: [[String]] = [], current: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") { current.append(line) } else if !current.isEmpty {
                tables.append(current)
                current = []
            }
        }
        return current.isEmpty ? tables : tables + [current]
    }

    /// Pipes that are cell borders: not escaped by a backslash.
    static func unescapedPipes(_ line: String) -> Int {
        var count = 0, escaped = false
        for c in line {
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "|" {
                count += 1
            }
        }
        return count
    }
}
