/// What went wrong inside a Parquet file, before the reader adds which file, row group, column and page.
///
/// The decoders below know only their bytes; `ParquetFile` wraps each failure with where it happened, so
/// the user reads one line such as `billing cur.parquet: row group 0, column line_item_unblended_cost,
/// page 3: snappy: copy offset 70000 reaches before the start of the output`.
struct ParquetError: Error, Equatable, CustomStringConvertible {
    /// The problem, as a lower-case phrase.
    var message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws `ParquetError` (the standard one only rethrows `any Error`).
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var result: Result<R, E>?
        withUnsafeBytes { bytes in result = Result { () throws(E) -> R in try body(bytes) } }
        return try result!.get()
    }
}
