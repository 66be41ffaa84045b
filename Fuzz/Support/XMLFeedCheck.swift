import UnitCost

/// Reads `input` as an XML conversion feed with `reader` and checks what every XML profile promises.
///
/// Invariants: the reader returns or throws UnitCostError (never traps, hangs or reads another file);
/// every record it reports is counted once, used or rejected, so the rows emitted equal the rows used;
/// nothing is out of scope; and every row and reject names this file and a line inside it.
public func checkXMLFeed(_ reader: XMLFeedReader, _ input: FuzzInput) {
    input.withFile(suffix: ".xml") { path in
        var rows: [ConversionRow] = []
        let file: ConversionFile
        do {
            file = try reader.read(path: path, display: "fuzz.xml") { rows.append($0) }
        } catch {
            fuzzCheck(error is UnitCostError && !"\(error)".isEmpty, "an error other than a UnitCostError, or one without a message")
            return
        }
        let accounting = file.accounting
        fuzzCheck(rows.count == accounting.used, "\(rows.count) rows emitted for \(accounting.used) used")
        fuzzCheck(accounting.outOfScopeCount == 0, "an XML record counted out of scope")
        fuzzCheck(accounting.rejects.count == min(accounting.rejectedCount, RowAccounting.keptRejects), "rejects not kept")
        let lineCount = input.bytes.count { $0 == 0x0A || $0 == 0x0D } + 1
        for row in rows {
            fuzzCheck(row.file == "fuzz.xml", "a row names \(row.file)")
            fuzzCheck(row.line >= 1 && row.line <= lineCount, "a row on line \(row.line) of \(lineCount)")
        }
        for reject in accounting.rejects {
            fuzzCheck(reject.file == "fuzz.xml", "a reject names \(reject.file)")
            fuzzCheck(reject.line >= 1 && reject.line <= lineCount, "a reject on line \(reject.line) of \(lineCount)")
        }
    }
}
