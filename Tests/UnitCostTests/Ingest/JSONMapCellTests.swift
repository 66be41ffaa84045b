import Testing
import UnitCost

@Suite struct JSONMapCellTests {
    @Test func readsFlatObjects() throws {
        #expect(try JSONMapCell.parse("") == [:])
        #expect(try JSONMapCell.parse("{}") == [:])
        #expect(try JSONMapCell.parse(#"{"iamPrincipal/team":"ds"}"#) == ["iamPrincipal/team": "ds"])
        #expect(try JSONMapCell.parse(#" { "a" : "x, \"y\"" , "b":"\u00e9\n" } "#) == ["a": "x, \"y\"", "b": "é\n"])
        #expect(try JSONMapCell.parse(#"{"EdpDiscount":-1.25,"x":null,"y":true}"#) == ["EdpDiscount": "-1.25", "x": "null", "y": "true"])
        #expect(try JSONMapCell.parse(#"{"e":"\ud83d\ude00"}"#) == ["e": "😀"])
    }

    @Test(arguments: [#"{"a":"b""#, #"{"a":{"b":"c"}}"#, #"{"a":["b"]}"#, #"{"a" "b"}"#, "not json", #"{"a":"b"} x"#, #"{"a":"\q"}"#])
    func refusesAnythingElse(cell: String) {
        #expect(throws: JSONMapCell.Malformed.self) { try JSONMapCell.parse(cell) }
    }
}
