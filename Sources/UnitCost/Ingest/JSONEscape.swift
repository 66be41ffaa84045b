/// The parts of JSON string escapes every byte-level JSON reader here shares (map cells, JSON-lines
/// conversion feeds, invocation logs): four hex digits of a `\u` escape and surrogate pairs.
enum JSONEscape {
    /// What four bytes at an offset hold.
    enum Quad {
        case value(UInt32)
        /// The input ends before four bytes.
        case truncated
        /// The byte at this offset is not a hex digit.
        case badDigit(Int)
    }

    /// Reads the four hex digits at `offset`.
    static func quad(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Quad {
        var value: UInt32 = 0
        for i in offset..<(offset + 4) {
            guard i < bytes.count else { return .truncated }
            let c = bytes[i]
            let digit: UInt32
            switch c {
            case 48...57: digit = UInt32(c - 48)
            case 65...70: digit = UInt32(c - 55)
            case 97...102: digit = UInt32(c - 87)
            default: return .badDigit(i)
            }
            value = value << 4 | digit
        }
        return .value(value)
    }

    /// Whether a code unit opens a surrogate pair.
    static func isHighSurrogate(_ unit: UInt32) -> Bool { (0xD800...0xDBFF).contains(unit) }

    /// The scalar of a surrogate pair, or nil when `low` does not close one.
    static func combine(high: UInt32, low: UInt32) -> UInt32? {
        (0xDC00...0xDFFF).contains(low) ? 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00) : nil
    }

    /// Appends a scalar's UTF-8 bytes (U+FFFD for a value that is not a scalar).
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        out.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
    }
}
