import Foundation

/// Folder names made from names an input or a config chose (client packs: `clients/<slug>/`), safe on
/// every file system (SPEC §8: output paths built from names stay inside the output folder).
///
/// A slug is lower-case ASCII letters, digits and single `-`, at most 60 characters, never empty, never
/// `.` or `..` (dots become `-`), never a Windows reserved device name (`con`, `nul`, `com1`, …), and
/// accents are dropped (`Café Ünï` → `cafe-uni`). Two names whose slugs would collide are made distinct
/// by a short hash of the name, so a slug does not depend on which other clients exist:
/// `Acme` and `ACME` give `acme` and `acme-…` where only a name that already is its own slug keeps the
/// plain form.
public enum Slug {
    /// Device names Windows refuses as a file or folder name, with or without an extension.
    static let reserved: Set<String> = Set(["con", "prn", "aux", "nul"] + (0...9).map { "com\($0)" } + (0...9).map { "lpt\($0)" })

    /// The longest slug, leaving room for a hash suffix under the 255-byte name limits.
    static let maximumLength = 60

    /// The slug of one name, without regard to other names.
    ///
    /// `../../x` → `x`; `CON` → `con-client`; `Acme, Inc.` → `acme-inc`; `名前` → `client-` + 8 hex digits.
    public static func base(_ name: String) -> String {
        var out = ""
        var dash = false
        // Decomposed (NFD), accented letters leave their base letter behind; other non-ASCII separates.
        for scalar in name.decomposedStringWithCanonicalMapping.unicodeScalars {
            let v = scalar.value
            let lower: UInt32? =
                (0x61...0x7A).contains(v) || (0x30...0x39).contains(v) ? v : (0x41...0x5A).contains(v) ? v + 0x20 : nil
            if let lower {
                if dash && !out.isEmpty { out += "-" }
                dash = false
                out.unicodeScalars.append(Unicode.Scalar(lower)!)
            } else if !(0x300...0x36F).contains(v) {  // combining marks vanish; anything else separates
                dash = true
            }
            if out.count >= maximumLength { break }
        }
        out = String(out.prefix(maximumLength))
        while out.hasSuffix("-") { out.removeLast() }
        if out.isEmpty { return "client-" + hash(name) }
        if reserved.contains(out) { return out + "-client" }
        return out
    }

    /// Distinct slugs for a set of names: each name's ``base(_:)``, and where two names share a base,
    /// every name that is not itself that base gets `-` and 8 hex digits of its SHA-256.
    public static func assign(_ names: [String]) -> [String: String] {
        var byBase: [String: [String]] = [:]
        for name in Set(names) { byBase[base(name), default: []].append(name) }
        var out: [String: String] = [:]
        var used: Set<String> = []
        for (slug, group) in byBase.sorted(by: { $0.key < $1.key }) {
            for name in group.sorted() {
                out[name] = group.count == 1 || name == slug ? slug : slug + "-" + hash(name)
            }
        }
        // A hashed slug could equal another name's plain slug; settle it with a counter, in name order.
        for name in Set(names).sorted() {
            var slug = out[name]!
            var n = 2
            while used.contains(slug) {
                slug = out[name]! + "-\(n)"
                n += 1
            }
            used.insert(slug)
            out[name] = slug
        }
        return out
    }

    static func hash(_ name: String) -> String { String(SHA256.hex(of: Array(name.utf8)).prefix(8)) }
}
