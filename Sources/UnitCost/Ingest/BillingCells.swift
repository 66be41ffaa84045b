/// The current row of a billing file, whichever format holds it: the CSV scanner's record, or a
/// Parquet row rendered as the cells a CSV export of it would hold (`ParquetRowCursor`). The CUR 2.0,
/// legacy CUR and FOCUS row logic reads only through this, so both formats give the same figures.
protocol BillingCells: AnyObject {
    /// Where the row is, for messages: a CSV line number or a Parquet row number.
    var line: Int { get }
    /// The number of cells in the row.
    var fieldCount: Int { get }
    /// Cell `index`'s bytes, valid until the next row.
    func field(_ index: Int) -> UnsafeRawBufferPointer
    /// Cell `index` as a String.
    func string(_ index: Int) -> String
    /// Cell `index` as money, as `Money.parse` reads its bytes; nil for an empty cell or one that is not
    /// a decimal. Parquet reads a DOUBLE from its bits (`ParquetDoubleCell.money(_:)`), giving the same value.
    func money(_ index: Int) -> Money.Parsed?
    /// Whether cell `index` is empty or, with `orNULL`, FOCUS's literal `NULL`. Parquet answers for a
    /// null or a number without rendering its text.
    func isNull(_ index: Int, orNULL: Bool) -> Bool
    /// The number of cell `index`'s value among its column's distinct values, the same for equal bytes
    /// until `cellGeneration` changes; -1 when the cells are not numbered (CSV) or the cell is null.
    /// Parquet numbers them by dictionary entry within a row group, so a reader can look a value up
    /// once per distinct cell per row group rather than digest its bytes on every row (`CellCache`).
    func cellEntry(_ index: Int) -> Int
    /// Changes, to a number no other cells have used, whenever the cells' numbering changes.
    var cellGeneration: Int { get }
}

extension BillingCells {
    func money(_ index: Int) -> Money.Parsed? { Money.parse(field(index)) }

    func isNull(_ index: Int, orNULL: Bool) -> Bool {
        let f = field(index)
        return f.isEmpty || (orNULL && BillingReader.equals(f, "NULL"))
    }

    func cellEntry(_ index: Int) -> Int { -1 }
    var cellGeneration: Int { 0 }
}

extension CSVScanner: BillingCells {}
extension ParquetRowCursor: BillingCells {}
