import Mustache

/// Escaping for values placed into Markdown templates (`{{% CONTENT_TYPE: MARKDOWN}}`): characters
/// that would start Markdown or table syntax, or raw HTML, are backslash-escaped so a hostile name
/// renders as the text it is.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            // `"` too: a renderer with smart punctuation (cmark's CMARK_OPT_SMART) would curl it.
            case "|", "\\", "*", "_", "`", "[", "]", "<", ">", "#", "!", "~", "&", "\"": out.append("\\"); out.append(ch)
            case "\n", "\r": out.append(" ")
            default: out.append(ch)
            }
        }
        return out
    }

    /// Registers the content type under `MARKDOWN`; safe to call more than once.
    static func register() { MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN") }
}
