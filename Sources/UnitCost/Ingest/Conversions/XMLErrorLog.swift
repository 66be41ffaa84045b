// libxml2 prints its errors to stderr unless each source of errors is given a handler. Every reader,
// XPath context and reading thread gets one that lands here: the first error is kept (with its line and
// column) and turned into one clear `UnitCostError`; nothing is printed.
import CLibXML2

/// The first error libxml2 reported to one reader or XPath context, kept instead of printed.
final class XMLErrorLog {
    /// One error as libxml2 reported it.
    struct Entry {
        /// libxml2's message on one line, starting lower-case.
        var message: String
        var line: Int
        var column: Int
        /// libxml2's `xmlParserErrors` code.
        var code: Int32
        /// For a parser error, the innermost element still open and how many were open.
        var openElement: String?
        var openDepth: Int
        /// For a parser error, whether the root element had been closed.
        var afterRoot: Bool
    }

    /// The first error at level error or fatal.
    private(set) var first: Entry?

    /// This log as the user data of a libxml2 error callback (`recordLibXMLError`). The log must outlive
    /// whatever it is registered with.
    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Keeps `error` when it is the first real error (warnings are ignored).
    func record(_ error: xmlError) {
        guard first == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        var message = error.message.map { String(cString: $0) }?.trimmingSpaces ?? "unknown error"
        // Some messages carry a second line ("Bytes: 0xE9 0x3C…"); keep one sentence.
        message = message.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces }.joined(separator: " ")
        if let head = message.first, head.isUppercase, message.dropFirst().first?.isLowercase ?? true {
            message = head.lowercased() + message.dropFirst()
        }
        var entry = Entry(
            message: message, line: Int(error.line), column: Int(error.int2), code: Int32(error.code), openElement: nil,
            openDepth: 0, afterRoot: false)
        if error.domain == Int32(XML_FROM_PARSER.rawValue), let raw = error.ctxt {
            let parser = raw.assumingMemoryBound(to: xmlParserCtxt.self).pointee
            entry.openDepth = Int(parser.nameNr)
            entry.openElement = parser.name.map { String(cString: $0) }
            entry.afterRoot = parser.instate == XML_PARSER_EPILOG || parser.instate == XML_PARSER_EOF
        }
        first = entry
    }

    /// `:LINE:COLUMN` (or `:LINE`) of the first error, or `fallbackLine` when it has none.
    func location(fallbackLine: Int) -> String {
        let line = first.map(\.line).flatMap { $0 > 0 ? $0 : nil } ?? fallbackLine
        var text = line > 0 ? ":\(line)" : ""
        if let column = first?.column, column > 0, line > 0 { text += ":\(column)" }
        return text
    }
}

/// The structured error callback for readers, XPath contexts and the thread's default handler; its user
/// data is an `XMLErrorLog`.
func recordLibXMLError(_ data: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<xmlError>?) {
    guard let data, let error else { return }
    Unmanaged<XMLErrorLog>.fromOpaque(data).takeUnretainedValue().record(error.pointee)
}
