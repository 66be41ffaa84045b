// A small CSV writer for the finance files until the shared `Render/CSVTable.swift` lands (issue 6 part
// 2): the same rule, SPEC §8: a cell whose value comes from an input string and begins with `=`, `+`,
// `-`, `@`, tab or CR is prefixed with `'`; numbers unitcost writes are never altered.

/// Rows of a finance CSV file, written with CRLF-free `\n` line ends and RFC 4180 quoting.
struct FinanceCSV {
    /// One cell: text from an input or the config (neutralized), or a figure unitcost wrote (kept).
    enum Cell {
        case text(String)
        case number(String)
        case money(Money)
    }

    private(set) var text: String

    /// A file with its header.
    init(header: [String]) {
        text = header.map { Self.quote($0) }.joined(separator: ",") + "\n"
    }

    mutating func append(_ cells: [Cell]) {
        text += cells.map { cell in
            switch cell {
            case .text(let s): return Self.quote(Self.neutralized(s))
            case .number(let s): return Self.quote(s)
            case .money(let m): return m.description
            }
        }.joined(separator: ",") + "\n"
    }

    /// The text with a leading `'` when a spreadsheet would read it as a formula.
    static func neutralized(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return s }
        return "'" + s
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var out = "\""
        for c in s {
            if c == "\"" { out += "\"" }
            out.append(c)
        }
        return out + "\""
    }
}
