import Foundation
import Testing

/// docs/errors.md against the code (issue 8, part 5): every error message built in `Sources/` is listed
/// with what to do, and every listed message is still built somewhere.
@Suite struct ErrorListTests {
    static let docsPath = TestPaths.root + "/docs/errors.md"

    /// The messages docs/errors.md lists: each list item of the form ``- `MESSAGE` — what to do``, with
    /// its line.
    static func documented() -> [(line: Int, message: String)] {
        let text = TestPaths.read(docsPath) ?? ""
        var out: [(Int, String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.hasPrefix("- `") {
            let body = line.dropFirst(3)
            guard let end = body.range(of: "` — ") else { continue }
            out.append((index + 1, String(body[..<end.lowerBound])))
        }
        return out
    }

    static var messages: [ErrorMessageScanner.Message] {
        // Findings name their reasons with `reason:` too; they are report text, not errors.
        ErrorMessageScanner.messages(in: TestPaths.root + "/Sources", relativeTo: TestPaths.root).filter {
            $0.staticLength >= 8 && !$0.place.contains("Render/Findings")
        }
    }

    @Test func theScannerFindsTheMessagesItShould() {
        let templates = Set(Self.messages.map(\.template))
        #expect(templates.contains("FILE:LINE: a quoted field opened on this line is never closed"))
        #expect(templates.contains("billing FILE: the header is not CUR 2.0, legacy CUR or FOCUS (no line_item_usage_type, lineItem/UsageType or BilledCost column)"))
        #expect(templates.contains { $0.hasPrefix("is not a JSON object of strings: ") })
        #expect(Self.messages.count > 200, "\(Self.messages.count) messages found")
    }

    @Test func everyMessageInTheCodeIsInDocsErrors() {
        let documented = Self.documented()
        #expect(!documented.isEmpty, "docs/errors.md lists no messages")
        let missing = Self.messages.filter { m in !documented.contains { m.matches($0.message) } }
        let list = missing.map { "\($0.place): - `\($0.template)` — WHAT TO DO" }.joined(separator: "\n")
        #expect(missing.isEmpty, "\(missing.count) messages built in Sources/ are not in docs/errors.md; add them (with what to do) under their stage:\n\(list)")
    }

    @Test func everyMessageInDocsErrorsIsStillInTheCode() {
        let messages = ErrorMessageScanner.messages(in: TestPaths.root + "/Sources", relativeTo: TestPaths.root)
        // A message vouches for a documented one when it matches it and its static text is at least half
        // of the documented text's, so a wrapper such as `conversions FILE: TEXT` vouches for nothing.
        let stale = Self.documented().filter { d in !messages.contains { $0.matches(d.message) && $0.coverage(of: d.message) >= 0.5 } }
        let list = stale.map { "docs/errors.md:\($0.line): `\($0.message)`" }.joined(separator: "\n")
        #expect(stale.isEmpty, "\(stale.count) messages in docs/errors.md are built nowhere in Sources/ any more; remove or update them:\n\(list)")
    }
}
