import Testing
import UnitCost

/// Client folder names: inside the output folder, portable, never empty, distinct.
@Suite struct SlugTests {
    @Test(arguments: [
        ("acme", "acme"),
        ("Acme, Inc.", "acme-inc"),
        ("../../x", "x"),
        ("..", nil),
        ("", nil),
        ("CON", "con-client"),
        ("nul", "nul-client"),
        ("Com1", "com1-client"),
        ("LPT9", "lpt9-client"),
        ("con.txt", "con-txt"),
        ("Café Ünï", "cafe-uni"),
        ("a/b\\c:d*e?f\"g<h>i|j", "a-b-c-d-e-f-g-h-i-j"),
        ("  spaced  out  ", "spaced-out"),
        ("名前", nil),
    ] as [(String, String?)])
    func baseSlugs(name: String, slug: String?) {
        let made = Slug.base(name)
        if let slug {
            #expect(made == slug)
        } else {
            // Nothing usable in the name: a hash of it, never empty and never a path.
            #expect(made.hasPrefix("client-") && made.count == "client-".count + 8, "\(made)")
        }
        #expect(made.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }, "\(made)")
        #expect(!made.isEmpty && !made.hasPrefix("-") && !made.hasSuffix("-") && !made.contains(".."))
    }

    @Test func longNamesAreCut() {
        let made = Slug.base(String(repeating: "ab ", count: 100))
        #expect(made.count <= 60 && !made.hasSuffix("-"))
    }

    @Test func collidingNamesGetDistinctStableSlugs() {
        let two = Slug.assign(["acme", "ACME", "Acme!"])
        #expect(two["acme"] == "acme")
        #expect(Set(two.values).count == 3)
        #expect(two["ACME"]!.hasPrefix("acme-") && two["Acme!"]!.hasPrefix("acme-"))
        // A name's slug does not depend on the other clients beyond the collision itself.
        let again = Slug.assign(["ACME", "Acme!", "globex", "acme"])
        #expect(again["ACME"] == two["ACME"] && again["Acme!"] == two["Acme!"])
        #expect(again["globex"] == "globex")
        // Two names without usable letters still differ.
        let blank = Slug.assign(["..", "../.."])
        #expect(blank[".."] != blank["../.."])
    }
}
