/// Reads the map cells of a CUR 2.0 CSV export (`tags`, `resource_tags`, `product`): a JSON object of
/// string keys to string values, `{}` when empty, an empty cell for null.
///
/// Numbers, booleans and null values are kept as their JSON text (`discount` maps hold numbers).
/// Nested objects or arrays are refused: no CUR map holds them (the JSON map depth limit is 1). A map
/// of more than ``entryLimit`` entries is refused too, and so is a string that is not valid UTF-8.
public enum JSONMapCell {
    /// The JSON map entry limit: 10,000 keys. AWS allows 50 user tags per resource; the `product` map
    /// holds well under a hundred attributes. With the field size limit it bounds the memory a cell's
    /// map takes.
    public static let entryLimit = 10_000

    /// Why a cell is not a flat JSON object, as a phrase for the reject line.
    public struct Malformed: Error, Equatable {
        /// What was expected where parsing stopped.
        public var reason: String
    }

    /// Parses the cell; an empty cell is an empty map.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(Malformed) -> [String: String] {
        var parser = Parser(bytes: bytes)
        return try parser.object()
    }

    /// Parses the cell from a string.
    public static func parse(_ text: String) throws(Malformed) -> [String: String] {
        var copy = text
        let result = copy.withUTF8 { buffer in
            Result { () throws(Malformed) -> [String: String] in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        mutating func object() throws(Malformed) -> [String: String] {
            skipSpace()
            if i == bytes.count { return [:] }
            try expect(UInt8(ascii: "{"), "a JSON object starting with {")
            var map: [String: String] = [:]
            skipSpace()
            if peek == UInt8(ascii: "}") {
                i += 1
                return try finished(map)
            }
            while true {
                skipSpace()
                let key = try string()
                skipSpace()
                try expect(UInt8(ascii: ":"), "':' after key \"\(key)\"")
                skipSpace()
                map[key] = try value()
                if map.count > JSONMapCell.entryLimit {
                    throw Malformed(reason: "holds more than \(JSONMapCell.entryLimit) entries (the JSON map entry limit)")
                }
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}' after the value of \"\(key)\"")
                return try finished(map)
            }
        }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func finished(_ map: [String: String]) throws(Malformed) -> [String: String] {
            skipSpace()
            guard i == bytes.count else { throw Malformed(reason: "unexpected text after the JSON object") }
            return map
        }

        mutating func skipSpace() {
            while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(Malformed) {
            guard peek == byte else { throw Malformed(reason: "expected \(what)") }
            i += 1
        }

        mutating func value() throws(Malformed) -> String {
            guard let c = peek else { throw Malformed(reason: "expected a value") }
            if c == UInt8(ascii: "\"") { return try string() }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                throw Malformed(reason: "expected a string or number value, not a nested object or array (the JSON map depth limit is 1)")
            }
            let start = i
            while let d = peek, d != UInt8(ascii: ","), d != UInt8(ascii: "}"), d != 0x20 { i += 1 }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            guard !text.isEmpty else { throw Malformed(reason: "expected a value") }
            return text
        }

        mutating func string() throws(Malformed) -> String {
            try expect(UInt8(ascii: "\""), "a quoted string")
            var out: [UInt8] = []
            while true {
                guard let c = peek else { throw Malformed(reason: "a JSON string is never closed") }
                i += 1
                if c == UInt8(ascii: "\"") { break }
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    continue
                }
                guard let e = peek else { throw Malformed(reason: "a JSON string is never closed") }
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if JSONEscape.isHighSurrogate(scalar) {
                        guard peek == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") else {
                            throw Malformed(reason: "a \\u escape holds half a surrogate pair")
                        }
                        i += 2
                        guard let pair = JSONEscape.combine(high: scalar, low: try hex4()) else {
                            throw Malformed(reason: "a \\u escape holds half a surrogate pair")
                        }
                        scalar = pair
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Malformed(reason: "a \\u escape is not a character") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw Malformed(reason: "unknown escape \\\(Character(Unicode.Scalar(e)))")
                }
            }
            guard let text = String(validating: out, as: UTF8.self) else {
                throw Malformed(reason: "a string is not valid UTF-8 (is the file in another encoding?)")
            }
            return text
        }

        mutating func hex4() throws(Malformed) -> UInt32 {
            guard case .value(let v) = JSONEscape.quad(bytes, at: i) else { throw Malformed(reason: "a \\u escape needs four hex digits") }
            i += 4
            return v
        }
    }
}
