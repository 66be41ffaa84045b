/// Small reference CSV files (aliases, FX rates, principal and account maps): a header row, then rows
/// read by column name.
enum ReferenceCSV {
    struct Row {
        let display: String
        let line: Int
        let values: [String: String]
        subscript(_ name: String) -> String? { values[name] }

        func error(_ column: String, _ message: String) -> UnitCostError { .input("\(display):\(line): \(column) \(message)") }

        func day(_ column: String) throws(UnitCostError) -> Day? {
            guard let text = values[column], !text.isEmpty else { return nil }
            guard text.count == 10, let d = Day(parsing: text) else { throw error(column, "\"\(text)\" is not a date (YYYY-MM-DD)") }
            return d
        }
    }

    static func read(
        path: String, display: String, required: [String], optional: [String], _ body: (Row) throws(UnitCostError) -> Void
    ) throws(UnitCostError) {
        do {
            let scanner = try CSVScanner(path: path)
            guard try scanner.nextRecord() else { throw UnitCostError.input("\(display): the file is empty (it needs the header \(required.joined(separator: ",")))") }
            let header = (0..<scanner.fieldCount).map { scanner.string($0).trimmingSpaces }
            scanner.columnNames = header
            let missing = required.filter { !header.contains($0) }
            guard missing.isEmpty else { throw UnitCostError.input("\(display): the header lacks \(missing.joined(separator: ", "))") }
            let wanted = Set(required + optional)
            while try scanner.nextRecord() {
                guard scanner.fieldCount == header.count else {
                    throw UnitCostError.input("\(display):\(scanner.line): has \(scanner.fieldCount) fields where the header has \(header.count)")
                }
                var values: [String: String] = [:]
                for (i, name) in header.enumerated() where wanted.contains(name) { values[name] = scanner.string(i).trimmingSpaces }
                try body(Row(display: display, line: scanner.line, values: values))
            }
        } catch let error as UnitCostError {
            throw error
        } catch {
            let text = "\(error)"
            throw .input(text.hasPrefix(path) ? display + text.dropFirst(path.count) : "\(display): \(text)")
        }
    }
}
