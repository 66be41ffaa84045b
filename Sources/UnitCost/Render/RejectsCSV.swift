/// `rejects.csv` (SPEC §10, `--keep-going`): one line per rejected row of every input, in input order,
/// with where it is, what was wrong and, for billing rows only, the row's text.
///
/// Everything in it comes from input files, so every cell is a text cell of `CSVTable`: a cell that
/// begins like a formula is neutralized.
public enum RejectsCSV {
    /// The columns, in order.
    public static let header = ["stage", "file", "line", "column", "reason", "row"]

    /// The table of `rejects`.
    public static func table(_ rejects: [RowReject]) -> CSVTable {
        var table = CSVTable(header: header)
        for r in rejects {
            table.append([.text(r.stage), .text(r.file), .integer(r.line), .text(r.column), .text(RowReject.visible(r.reason)), .text(r.row)])
        }
        return table
    }
}
