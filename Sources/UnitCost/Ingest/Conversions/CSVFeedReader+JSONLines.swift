// Newline-delimited JSON for the mapped profile: one object per line, read line by line from the
// decoded text so the file is never held whole. A line that is not a complete JSON object (a pull cut
// off mid-write leaves a truncated last line) is a rejected row, never the end of the file.

extension CSVFeedReader {
    /// The line size limit of JSON lines, as for CSV: a longer line means the file is not JSON lines.
    static let jsonLineLimit = CSVScanner.defaultRecordLimit

    func readJSONLines(
        _ source: TextDecodingSource, path: String, display: String, emit: (ConversionRow) -> Void
    ) throws(UnitCostError) -> ConversionFile {
        var file = ConversionFile()
        let builder = CSVFeedRowBuilder(profile: profile, file: display, headerCurrency: nil)
        let wanted = Set(profile.columns.flatMap(\.names))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }

        var pending: [UInt8] = []
        var lineNumber = 1
        var ended = false
        while !ended {
            let count: Int
            do {
                count = try source.read(into: chunk)
            } catch {
                throw failure(error, path: path, display: display)
            }
            if count == 0 {
                ended = true
                if !pending.isEmpty { pending.append(0x0A) }
            } else {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            }
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                readJSONLine(pending[start..<newline], line: lineNumber, wanted: wanted, builder: builder, &file, emit)
                lineNumber += 1
                start = newline + 1
            }
            pending.removeFirst(start)
            if pending.count > CSVFeedReader.jsonLineLimit {
                throw .input("conversions \(display):\(lineNumber): the line is longer than \(CSVError.size(CSVFeedReader.jsonLineLimit)) (the line size limit); JSON lines holds one record per line")
            }
        }
        return file
    }

    private func readJSONLine(
        _ bytes: ArraySlice<UInt8>, line: Int, wanted: Set<String>, builder: CSVFeedRowBuilder, _ file: inout ConversionFile,
        _ emit: (ConversionRow) -> Void
    ) {
        guard bytes.contains(where: { !CSVFeedReader.isBlank($0) }) else { return }
        let parsed = bytes.withUnsafeBytes { raw in
            Result { () throws(CSVFeedJSONLine.Malformed) -> [String: String] in try CSVFeedJSONLine.values(raw, wanted: wanted) }
        }
        let values: [String: String]
        switch parsed {
        case .success(let found):
            values = found
        case .failure(let malformed):
            file.accounting.reject(RowReject(file: display(builder), line: line, column: nil, reason: malformed.reason))
            return
        }
        var cells = CSVFeedCells()
        var keys = [String](repeating: "", count: CSVFeedCells.slotCount)
        for (field, names) in profile.columns {
            keys[CSVFeedCells.slot(field)] = names[0]
            for name in names {
                if let raw = values[name], let text = builder.clean(raw) {
                    cells[field] = text
                    keys[CSVFeedCells.slot(field)] = name
                    break
                }
            }
        }
        var notes: [String] = []
        do {
            let row = try builder.row(line: line, cells: cells, column: { keys[CSVFeedCells.slot($0)] }, notes: &notes)
            file.accounting.used += 1
            for note in notes { file.accounting.note(note) }
            emit(row)
        } catch {
            file.accounting.reject(RowReject(file: display(builder), line: line, column: error.column, reason: error.reason))
        }
    }

    private func display(_ builder: CSVFeedRowBuilder) -> String { builder.file }
}
