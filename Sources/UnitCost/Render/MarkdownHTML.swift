import CCmark

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prose in Markdown (methodology, notes) turned into HTML by libcmark.
///
/// Raw HTML inside the Markdown is dropped by cmark's safe default (`<!-- raw HTML omitted -->`), so a
/// user's commentary file cannot inject markup into a report.
public enum MarkdownHTML {
    /// The HTML for a CommonMark document.
    public static func html(fromMarkdown markdown: String) -> String {
        var text = markdown
        return text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let html = cmark_markdown_to_html(chars.baseAddress, chars.count, CMARK_OPT_DEFAULT | CMARK_OPT_SMART) else {
                    return ""
                }
                defer { free(html) }
                return String(cString: html)
            }
        }
    }
}
