import Foundation
import PropertyBased
import Testing
import UnitCost

/// The CSV writer every CSV output uses: formula injection neutralized on text cells, numbers untouched,
/// RFC 4180 quoting, `\n` line ends.
@Suite struct CSVTableTests {
    static func one(_ cell: CSVTable.Cell) -> String {
        var table = CSVTable(header: ["v"])
        table.append([cell])
        return String(table.serialized().dropFirst("v\n".count).dropLast())
    }

    @Test(arguments: [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "\"'\rcmd\""),
        ("\r\n=x", "\"'\r\n=x\""),
        ("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""),
    ])
    func textBeginningWithAFormulaCharacterIsPrefixed(input: String, written: String) {
        #expect(Self.one(.text(input)) == written)
    }

    @Test(arguments: ["spring-sale-26", "a=b", "x-1", "", "Ünïcode", "'already"])
    func otherTextIsKept(input: String) {
        #expect(Self.one(.text(input)) == input)
    }

    @Test func numbersAreNeverAltered() {
        #expect(Self.one(.money(Money("-12.5")!)) == "-12.5")
        #expect(Self.one(.money(Money("-0.0000000001")!)) == "-0.0000000001")
        #expect(Self.one(.integer(Int64(-18_400))) == "-18400")
        #expect(Self.one(.money(Money("-1234.565")!, fractionDigits: 2)) == "-1234.56")
        #expect(Self.one(.money(Money("1234567.891")!, fractionDigits: 2)) == "1234567.89")
    }

    @Test func quotingFollowsRFC4180() {
        var table = CSVTable(header: ["name", "note", "n"])
        table.append([.text("a,b"), .text("say \"hi\"\nnext"), .integer(3)])
        table.append([.empty, .text(nil), .money(Money(7))])
        #expect(table.serialized() == "name,note,n\n\"a,b\",\"say \"\"hi\"\"\nnext\",3\n,,7\n")
    }

    @Test func headerCellsAreNeutralizedToo() {
        #expect(CSVTable(header: ["=x", "ok"]).serialized() == "'=x,ok\n")
    }
}

/// For any text, the written cell reads back (RFC 4180) to the text, with `'` before it exactly when it
/// begins with a formula character; any amount is written as its exact decimal.
@Suite struct CSVTablePropertyTests {
    static func unquote(_ field: String) -> String {
        guard field.hasPrefix("\"") else { return field }
        return String(field.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    @Test func textReadsBackNeutralized() async {
        let texts = Gen.character(in: "\u{9}"..."\u{7E}").string(of: 0...12)
        await propertyCheck(count: 500, input: texts) { text in
            var table = CSVTable(header: ["v"])
            table.append([.text(text)])
            let field = String(table.serialized().dropFirst(2).dropLast())
            let read = Self.unquote(field)
            let dangerous = text.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
            #expect(read == (dangerous ? "'" + text : text))
        }
    }

    @Test func amountsAreWrittenExactly() async {
        await propertyCheck(count: 300, input: Gen.int64()) { units in
            let value = Money(units: Int128(units))
            var table = CSVTable(header: ["v"])
            table.append([.money(value)])
            #expect(table.serialized() == "v\n\(value.description)\n")
        }
    }
}
