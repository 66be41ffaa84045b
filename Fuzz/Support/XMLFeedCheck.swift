import CLibXML2
import UnitCost

/// How many elements sit at `record` (an absolute path of local names, prefixes ignored) in `bytes`,
/// counted on libxml2's tree with the same safe options as the reader; nil when libxml2 cannot build a
/// tree, so there is nothing to compare.
func recordCount(_ bytes: [UInt8], record: String) -> Int? {
    let names = record.split(separator: "/").map { name in String(name.split(separator: ":").last ?? name) }
    let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_BIG_LINES.rawValue)
    let document = bytes.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(1, buffer.count)) {
            xmlReadMemory($0, Int32(buffer.count), "fuzz.xml", nil, options)
        }
    }
    guard let document else { return nil }
    defer { xmlFreeDoc(document) }
    guard let root = xmlDocGetRootElement(document), localName(root) == names.first else { return 0 }
    var level: [xmlNodePtr] = [root]
    for name in names.dropFirst() {
        var next: [xmlNodePtr] = []
        for parent in level {
            var child = parent.pointee.children
            while let node = child {
                if node.pointee.type == XML_ELEMENT_NODE, localName(node) == name { next.append(node) }
                child = node.pointee.next
            }
        }
        level = next
    }
    return level.count
}

/// An element's name without its prefix.
func localName(_ node: xmlNodePtr) -> String? {
    node.pointee.name.map { String(cString: $0) }
}

/// Reads `input` as an XML conversion feed with `reader` and checks what every XML profile promises.
///
/// Invariants: the reader returns or throws UnitCostError (never traps, hangs or reads another file);
/// every record element in the document (counted on libxml2's tree) is counted once, used or rejected;
/// the rows emitted equal the rows used; nothing is out of scope; and every row and reject names this
/// file and a line inside it.
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
        // No record lost: every record element the document holds is counted, used or rejected.
        if !input.bytes.isEmpty, let records = recordCount(input.bytes, record: reader.record) {
            fuzzCheck(
                accounting.used + accounting.rejectedCount == records,
                "\(accounting.used) used + \(accounting.rejectedCount) rejected for \(records) records at \(reader.record)")
        }
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
