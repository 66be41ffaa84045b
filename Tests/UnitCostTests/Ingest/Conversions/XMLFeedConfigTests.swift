import Testing
import UnitCost

/// A generic XML profile is checked when it is configured: the record path, every field's XPath (which
/// must stay inside its record), and the fields every record needs.
@Suite struct XMLFeedConfigTests {
    static func configure(_ expression: String, field: ConversionField = .campaign) -> UnitCostError? {
        do {
            _ = try XMLFeedReader(
                record: "/feed/conversion", fields: [.time: ["@time"], field: [expression]], countPerRecord: Money(1))
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("../other", "uses .."),
        ("..", "uses .."),
        ("value/../../x", "uses .."),
        ("/feed/x", "starts at the document root"),
        ("//x", "starts at the document root"),
        ("  /x", "starts at the document root"),
        ("concat(@id, /feed/@generated)", "starts at the document root"),
        ("x | /y", "starts at the document root"),
        ("count(//conversion)", "starts at the document root"),
        ("x[/feed]", "starts at the document root"),
        ("1 div /x", "starts at the document root"),
        ("parent::feed", "uses the parent axis"),
        ("ancestor::feed/@id", "uses the ancestor axis"),
        ("ancestor-or-self :: *", "uses the ancestor-or-self axis"),
        ("preceding-sibling::conversion[1]/@id", "uses the preceding-sibling axis"),
        ("preceding::x", "uses the preceding axis"),
        ("following::x", "uses the following axis"),
        ("value/following-sibling::x", "uses the following-sibling axis"),
    ])
    func leavingTheRecordIsRefused(expression: String, reason: String) {
        #expect(
            Self.configure(expression)
                == .input(
                    "conversions xml profile: field campaign \"\(expression)\" \(reason); fields are XPath relative "
                        + "to the record and cannot leave it"))
    }

    @Test(arguments: [
        "campaign", "@id", "value/@currency", ".//campaign", "./campaign", "a/b/c", "concat(a, '/', b)",
        "a[. = '..']", "x | y", "string(.)", "sum(a) div 2", "2 * 3", "*[1]", "a/*/b", "self::node()",
        "descendant::x", "child::x/@y", "normalize-space(a)", "a[@type='sale']/value", "following-x",
        "ancestors", "a//b", "substring-after(@ref, '/')", "\"..\"",
    ])
    func stayingInsideIsAccepted(expression: String) {
        #expect(Self.configure(expression) == nil)
    }

    @Test func syntaxErrorsNameTheField() {
        let error = Self.configure("value[", field: .value)
        #expect(error?.description.hasPrefix("conversions xml profile: field value \"value[\" is not a valid XPath expression") == true)
    }

    @Test(arguments: ["nosuch(a)", "ns:campaign", "$var"])
    func expressionsThatCannotBeEvaluatedNameTheField(expression: String) {
        let error = Self.configure(expression, field: .creative)
        #expect(error?.description.hasPrefix("conversions xml profile: field creative \"\(expression)\"") == true)
    }

    @Test(arguments: ["feed/conversion", "/", "/feed//conversion", "/feed/*", "/feed/conversion[1]", "/feed/@id", ""])
    func recordMustBeAnAbsoluteElementPath(record: String) {
        #expect(throws: UnitCostError.input(
            "conversions xml profile: record \"\(record)\" is not an absolute element path such as /feed/conversion"))
        {
            try XMLFeedReader(record: record, fields: [.time: ["@time"]], countPerRecord: Money(1))
        }
    }

    @Test func timeAndCountAreRequired() {
        #expect(throws: UnitCostError.input("conversions xml profile: fields map no time; every record needs one")) {
            try XMLFeedReader(record: "/feed/conversion", fields: [.id: ["@id"]], countPerRecord: Money(1))
        }
        #expect(
            throws: UnitCostError.input(
                "conversions xml profile: fields map no count; map one or give a count per record")
        ) {
            try XMLFeedReader(record: "/feed/conversion", fields: [.time: ["@time"]])
        }
        #expect(throws: UnitCostError.input("conversions xml profile: field id has an empty path")) {
            try XMLFeedReader(record: "/feed/conversion", fields: [.time: ["@time"], .id: [" "]], countPerRecord: Money(1))
        }
    }

    /// The built-in profiles would pass the same checks a config's mapping does.
    @Test func builtInProfilesAreValidConfigurations() throws {
        for profile in [XMLFeedReader.cjCommissions(currency: "USD"), .impactActions()] {
            let again = try XMLFeedReader(
                record: profile.record, fields: profile.fields, countPerRecord: profile.countPerRecord,
                correction: profile.correction, currency: profile.currency)
            #expect(again.fields == profile.fields)
        }
        #expect(XMLFeedReader.cjCommissions(currency: "EUR").currency == "EUR")
        #expect(XMLFeedReader.cjCommissions(currency: nil).correction == .init(statuses: ["corrected"], negativeValue: true))
    }
}
