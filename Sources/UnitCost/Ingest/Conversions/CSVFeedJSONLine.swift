// One line of a newline-delimited JSON export, read for the few key paths a mapped profile names.
// Nested objects are addressed with dotted paths (`event.id`); numbers keep their exact text, so an
// 18-digit id or `19.990` arrives as written and no value ever passes through a Double (research §1
// E9, E15). Values at other paths are skipped byte by byte without becoming Strings.

/// Reads the values a mapped profile wants from one JSON object.
enum CSVFeedJSONLine {
    /// Why a line is not a JSON object, as a phrase for the reject line.
    struct Malformed: Error, Equatable {
        var reason: String
    }

    /// Deeper nesting than this is refused rather than followed.
    static let depthLimit = 64

    /// The values at `wanted` key paths: strings unescaped, numbers as written, `true` and `false` as
    /// those words; `null`, arrays and paths that end at an object give nothing.
    ///
    /// `{"event":{"id":"e1"},"value":19.990}` with `["event.id", "value"]` gives
    /// `["event.id": "e1", "value": "19.990"]`.
    static func values(_ bytes: UnsafeRawBufferPointer, wanted: Set<String>) throws(Malformed) -> [String: String] {
        var parser = Parser(bytes: bytes, wanted: wanted)
        parser.skipSpace()
        guard parser.peek == UInt8(ascii: "{") else { throw Malformed(reason: "is not a JSON object (it does not start with {)") }
        try parser.object(prefix: "", depth: 0)
        parser.skipSpace()
        guard parser.i == bytes.count else { throw Malformed(reason: "has text after its JSON object") }
        return parser.found
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        let wanted: Set<String>
        var i = 0
        var found: [String: String] = [:]

        init(bytes: UnsafeRawBufferPointer, wanted: Set<String>) {
            self.bytes = bytes
            self.wanted = wanted
        }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 }
        }

        func ended(_ expected: String) -> Malformed {
            i >= bytes.count
                ? Malformed(reason: "ends before its JSON object is complete (expected \(expected))")
                : Malformed(reason: "is not valid JSON: expected \(expected) at character \(i + 1)")
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(Malformed) {
            guard peek == byte else { throw ended(what) }
            i += 1
        }

        /// An object whose keys' paths start with `prefix`; nil inside arrays, where nothing is kept.
        mutating func object(prefix: String?, depth: Int) throws(Malformed) {
            guard depth < CSVFeedJSONLine.depthLimit else {
                throw Malformed(reason: "nests objects deeper than \(CSVFeedJSONLine.depthLimit) levels (the JSON depth limit)")
            }
            try expect(UInt8(ascii: "{"), "{")
            skipSpace()
            if peek == UInt8(ascii: "}") {
                i += 1
                return
            }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\"") else { throw ended("a key in quotes") }
                let key = try string(keep: true) ?? ""
                skipSpace()
                try expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
                skipSpace()
                try value(path: prefix.map { $0 + key }, depth: depth)
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}' after the value of \"\(key)\"")
                return
            }
        }

        mutating func array(depth: Int) throws(Malformed) {
            guard depth < CSVFeedJSONLine.depthLimit else {
                throw Malformed(reason: "nests arrays deeper than \(CSVFeedJSONLine.depthLimit) levels (the JSON depth limit)")
            }
            try expect(UInt8(ascii: "["), "[")
            skipSpace()
            if peek == UInt8(ascii: "]") {
                i += 1
                return
            }
            while true {
                skipSpace()
                // Array elements have no key path; they are checked and skipped.
                try value(path: nil, depth: depth)
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']' in an array")
                return
            }
        }

        mutating func value(path: String?, depth: Int) throws(Malformed) {
            guard let c = peek else { throw ended("a value") }
            let keep = path.map { wanted.contains($0) } ?? false
            switch c {
            case UInt8(ascii: "\""):
                let text = try string(keep: keep)
                if keep, let path, let text { found[path] = text }
            case UInt8(ascii: "{"):
                try object(prefix: path.map { $0 + "." }, depth: depth + 1)
            case UInt8(ascii: "["):
                try array(depth: depth + 1)
            case UInt8(ascii: "t"):
                try literal("true", keep ? path : nil)
            case UInt8(ascii: "f"):
                try literal("false", keep ? path : nil)
            case UInt8(ascii: "n"):
                try literal("null", nil)
            default:
                let start = i
                try number()
                if keep, let path { found[path] = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self) }
            }
        }

        mutating func literal(_ word: StaticString, _ path: String?) throws(Malformed) {
            let text = word.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
            for expected in text.utf8 {
                guard peek == expected else { throw ended("\(text)") }
                i += 1
            }
            if let path { found[path] = text }
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() throws(Malformed) {
            func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 48 && $0 <= 57 } ?? false }
            if peek == UInt8(ascii: "-") { i += 1 }
            guard isDigit(peek) else { throw ended("a value") }
            if peek == UInt8(ascii: "0") {
                i += 1
            } else {
                while isDigit(peek) { i += 1 }
            }
            if peek == UInt8(ascii: ".") {
                i += 1
                guard isDigit(peek) else { throw ended("a digit after '.'") }
                while isDigit(peek) { i += 1 }
            }
            if let c = peek, c | 0x20 == UInt8(ascii: "e") {
                i += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
                guard isDigit(peek) else { throw ended("a digit in the exponent") }
                while isDigit(peek) { i += 1 }
            }
        }

        /// A string at `i` (on its opening quote); its text when `keep`, else nil after skipping it.
        mutating func string(keep: Bool) throws(Malformed) -> String? {
            try expect(UInt8(ascii: "\""), "\"")
            var out: [UInt8] = []
            while true {
                guard let c = peek else { throw ended("a closing quote") }
                i += 1
                switch c {
                case UInt8(ascii: "\""):
                    return keep ? String(decoding: out, as: UTF8.self) : nil
                case UInt8(ascii: "\\"):
                    guard let e = peek else { throw ended("an escape") }
                    i += 1
                    let simple: [UInt8: UInt8] = [
                        UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F,
                        UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
                        UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
                    ]
                    if let byte = simple[e] {
                        if keep { out.append(byte) }
                    } else if e == UInt8(ascii: "u") {
                        var scalar = try hex4()
                        if JSONEscape.isHighSurrogate(scalar), peek == UInt8(ascii: "\\"), i + 1 < bytes.count,
                            bytes[i + 1] == UInt8(ascii: "u")
                        {
                            i += 2
                            let low = try hex4()
                            scalar = JSONEscape.combine(high: scalar, low: low) ?? 0xFFFD
                        }
                        if keep { JSONEscape.appendUTF8(scalar, to: &out) }
                    } else {
                        throw Malformed(reason: "is not valid JSON: unknown escape at character \(i)")
                    }
                default:
                    if keep { out.append(c) }
                }
            }
        }

        mutating func hex4() throws(Malformed) -> UInt32 {
            switch JSONEscape.quad(bytes, at: i) {
            case .value(let v):
                i += 4
                return v
            case .truncated: throw ended("four hex digits")
            case .badDigit(let at): throw Malformed(reason: "is not valid JSON: bad \\u escape at character \(at + 1)")
            }
        }
    }
}
