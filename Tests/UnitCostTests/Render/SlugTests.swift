import PropertyBased
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

/// Any name gives a slug that is safe on its own, and any set of names gives distinct slugs.
@Suite struct SlugPropertyTests {
    static let names = Gen.character(in: "\u{0}"..."\u{2FF}").string(of: 0...24)

    @Test func everySlugIsSafe() async {
        await propertyCheck(count: 500, input: Self.names) { name in
            let slug = Slug.base(name)
            #expect(!slug.isEmpty && slug.count <= 60)
            #expect(slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }, "\(slug)")
            #expect(!slug.hasPrefix("-") && !slug.hasSuffix("-") && !slug.contains("--"))
            #expect(!["con", "prn", "aux", "nul", "com1", "lpt1"].contains(slug))
            #expect(Slug.base(name) == slug, "a slug depends on the name only")
        }
    }

    @Test func slugsOfDistinctNamesAreDistinct() async {
        await propertyCheck(count: 200, input: Self.names.array(of: 1...8)) { names in
            let slugs = Slug.assign(names)
            #expect(Set(slugs.values).count == Set(names).count, "\(names) → \(slugs)")
        }
        // Names that differ only in what a slug drops collide at first and end up apart.
        let same = ["Acme", "ACME", "acme", "a.c.m.e", "Acmé", "  acme  "]
        #expect(Set(Slug.assign(same).values).count == same.count)
    }
}
