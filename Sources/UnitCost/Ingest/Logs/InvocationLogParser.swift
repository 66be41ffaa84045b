// A JSON parser for one invocation-log record that keeps a dozen fields and looks at nothing else.
//
// A record is mostly prompt and completion: `input.inputBodyJson` and `output.outputBodyJson` can run to
// 100 KB each, and they are exactly what must never be stored. So the parser walks the record byte by
// byte, decodes only the keys it is positioned on (into a reused scratch buffer, never a String), and
// skips every other value — bodies, content types, request ids, unmapped metadata — by checking its
// JSON grammar without copying a byte of it. Skipping is iterative, so a deeply nested body cannot
// exhaust the stack. Malformed and truncated records come back as a reason that names a position, never
// the text found there.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fields of one invocation-log record that unitcost reads; everything else in the record is skipped.
struct InvocationLogRecord {
    var timestamp: Timestamp?
    /// The raw `timestamp` text when it is not a timestamp, for the reject reason.
    var badTimestamp: String?
    var accountID: String?
    var region: String?
    var modelID: String?
    var operation: String?
    var identityARN: String?
    /// Values of mapped `requestMetadata` keys, by the key's index in the reader's key list.
    var metadata: [(key: Int, value: String)] = []
    var inputTokens: Int64?
    var cacheReadTokens: Int64?
    var cacheWriteTokens: Int64?
    var outputTokens: Int64?
}

/// Parses invocation-log records, one line at a time, reusing its buffers from line to line.
struct InvocationLogParser {
    /// Why a line is not a usable record; `field` names the key path when one value is at fault.
    struct Malformed: Error, Equatable {
        var field: String?
        var reason: String
    }

    /// The mapped `requestMetadata` keys, as UTF-8 bytes, in the reader's order.
    let metadataKeys: [[UInt8]]

    private var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
    private var i = 0
    /// Decoded key or kept string value.
    private var scratch: [UInt8] = []
    /// Open brackets while skipping a value.
    private var stack: [UInt8] = []
    /// The first wrong-type problem; reported only once the whole line has proved to be valid JSON, so
    /// a truncated line is always reported as truncated.
    private var problem: Malformed?

    init(metadataKeys: [[UInt8]]) {
        self.metadataKeys = metadataKeys
        scratch.reserveCapacity(256)
    }

    /// Parses one line holding one JSON object.
    mutating func parse(_ line: UnsafeRawBufferPointer) throws(Malformed) -> InvocationLogRecord {
        bytes = line
        i = 0
        problem = nil
        defer { bytes = UnsafeRawBufferPointer(start: nil, count: 0) }
        var record = InvocationLogRecord()
        skipSpace()
        guard peek == Byte.openBrace else {
            throw Malformed(field: nil, reason: "the record is not a JSON object (it does not start with {)")
        }
        try topLevel(&record)
        skipSpace()
        guard i == bytes.count else {
            throw Malformed(field: nil, reason: "the record has text after its JSON object at byte \(i + 1)")
        }
        if let problem { throw problem }
        return record
    }

    // MARK: - The fields that are kept

    private mutating func topLevel(_ record: inout InvocationLogRecord) throws(Malformed) {
        try members { (parser: inout InvocationLogParser) throws(Malformed) in
            switch parser.key {
            case .timestamp:
                if let text = try parser.keptString(field: "timestamp") {
                    parser.scratch.withUnsafeBytes { record.timestamp = Timestamp(bytes: $0) }
                    if record.timestamp == nil { record.badTimestamp = String(text.prefix(64)) }
                }
            case .accountId: record.accountID = try parser.keptString(field: "accountId")
            case .region: record.region = try parser.keptString(field: "region")
            case .modelId: record.modelID = try parser.keptString(field: "modelId")
            case .operation: record.operation = try parser.keptString(field: "operation")
            case .identity:
                try parser.nested(field: "identity") { (parser: inout InvocationLogParser) throws(Malformed) in
                    if parser.key == .arn {
                        record.identityARN = try parser.keptString(field: "identity.arn")
                    } else {
                        try parser.skipValue()
                    }
                }
            case .requestMetadata:
                try parser.nested(field: "requestMetadata") { (parser: inout InvocationLogParser) throws(Malformed) in
                    try parser.metadataValue(&record)
                }
            case .input:
                try parser.nested(field: "input") { (parser: inout InvocationLogParser) throws(Malformed) in
                    switch parser.key {
                    case .inputTokenCount: record.inputTokens = try parser.tokenCount(field: "input.inputTokenCount")
                    case .cacheReadInputTokenCount:
                        record.cacheReadTokens = try parser.tokenCount(field: "input.cacheReadInputTokenCount")
                    case .cacheWriteInputTokenCount:
                        record.cacheWriteTokens = try parser.tokenCount(field: "input.cacheWriteInputTokenCount")
                    default: try parser.skipValue()
                    }
                }
            case .output:
                try parser.nested(field: "output") { (parser: inout InvocationLogParser) throws(Malformed) in
                    if parser.key == .outputTokenCount {
                        record.outputTokens = try parser.tokenCount(field: "output.outputTokenCount")
                    } else {
                        try parser.skipValue()
                    }
                }
            default:
                try parser.skipValue()
            }
        }
    }

    /// One `requestMetadata` entry: kept when its key is mapped and its value a string, else skipped.
    private mutating func metadataValue(_ record: inout InvocationLogRecord) throws(Malformed) {
        var mapped: Int?
        for (index, key) in metadataKeys.enumerated() where key == scratch {
            mapped = index
            break
        }
        guard let mapped else { return try skipValue() }
        if peek == Byte.quote {
            try string(keep: true)
            record.metadata.append((key: mapped, value: String(decoding: scratch, as: UTF8.self)))
        } else {
            // Bedrock refuses non-string metadata values; a log that has one is read as not setting it.
            try skipValue()
        }
    }

    /// The keys the parser acts on; every other key is `.other` and its value is skipped.
    private enum Key {
        case timestamp, accountId, region, modelId, operation, identity, arn, requestMetadata
        case input, output, inputTokenCount, cacheReadInputTokenCount, cacheWriteInputTokenCount, outputTokenCount
        case other
    }

    private static let keyNames: [(name: [UInt8], key: Key)] = {
        let names: [(String, Key)] = [
            ("timestamp", .timestamp), ("accountId", .accountId), ("region", .region), ("modelId", .modelId),
            ("operation", .operation), ("identity", .identity), ("arn", .arn), ("requestMetadata", .requestMetadata),
            ("input", .input), ("output", .output), ("inputTokenCount", .inputTokenCount),
            ("cacheReadInputTokenCount", .cacheReadInputTokenCount),
            ("cacheWriteInputTokenCount", .cacheWriteInputTokenCount), ("outputTokenCount", .outputTokenCount),
        ]
        return names.map { (name: Array($0.0.utf8), key: $0.1) }
    }()

    /// The key just read (in `scratch`).
    private var key: Key {
        for entry in InvocationLogParser.keyNames where entry.name == scratch { return entry.key }
        return .other
    }

    /// A string value kept as a String; nil for `null`; any other type is a problem and is skipped.
    private mutating func keptString(field: String) throws(Malformed) -> String? {
        switch peek {
        case Byte.quote:
            try string(keep: true)
            return String(decoding: scratch, as: UTF8.self)
        case Byte.n:
            try literal("null")
            return nil
        default:
            note(field, "is not a string")
            try skipValue()
            return nil
        }
    }

    /// A token count: a whole, non-negative JSON number. `25.0` is 25; nil for `null`.
    private mutating func tokenCount(field: String) throws(Malformed) -> Int64? {
        guard let c = peek else { throw truncated() }
        if c == Byte.n {
            try literal("null")
            return nil
        }
        guard c == Byte.minus || Byte.isDigit(c) else {
            note(field, "is not a number")
            try skipValue()
            return nil
        }
        let start = i
        let shape = try number()
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
        let shown = "\"" + String(decoding: text.prefix(32), as: UTF8.self) + (text.count > 32 ? "…" : "") + "\""
        guard !shape.negative else {
            note(field, "\(shown) is negative")
            return nil
        }
        guard shape.wholeFraction && !shape.exponent else {
            note(field, "\(shown) is not a whole number of tokens")
            return nil
        }
        var value: Int64 = 0
        for byte in text {
            guard Byte.isDigit(byte) else { break }  // stops at the '.' of 25.0
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(byte - Byte.zero))
            guard !o1 && !o2 else {
                note(field, "\(shown) is too large")
                return nil
            }
            value = plus
        }
        return value
    }

    private mutating func note(_ field: String, _ reason: String) {
        if problem == nil { problem = Malformed(field: field, reason: reason) }
    }

    // MARK: - Objects

    /// An object's members: for each, the key is decoded into `scratch`, the parser is left on its value,
    /// and `body` must consume that value.
    private mutating func members(
        _ body: (inout InvocationLogParser) throws(Malformed) -> Void
    ) throws(Malformed) {
        try expect(Byte.openBrace, "{")
        skipSpace()
        if peek == Byte.closeBrace {
            i += 1
            return
        }
        while true {
            skipSpace()
            guard peek == Byte.quote else { throw expected("a key in quotes") }
            try string(keep: true)
            skipSpace()
            try expect(Byte.colon, "':' after a key")
            skipSpace()
            try body(&self)
            skipSpace()
            if peek == Byte.comma {
                i += 1
                continue
            }
            try expect(Byte.closeBrace, "',' or '}' after a value")
            return
        }
    }

    /// A known key's object value; `null` is no object, anything else is a problem and is skipped.
    private mutating func nested(
        field: String, _ body: (inout InvocationLogParser) throws(Malformed) -> Void
    ) throws(Malformed) {
        switch peek {
        case Byte.openBrace:
            try members(body)
        case Byte.n:
            try literal("null")
        default:
            note(field, "is not a JSON object")
            try skipValue()
        }
    }

    // MARK: - Skipping

    /// Checks and steps over one value of any type without keeping anything of it.
    private mutating func skipValue() throws(Malformed) {
        stack.removeAll(keepingCapacity: true)
        while true {
            // A value starts here.
            skipSpace()
            guard let c = peek else { throw truncated() }
            var opened = false
            switch c {
            case Byte.openBrace, Byte.openBracket:
                i += 1
                skipSpace()
                let close = c == Byte.openBrace ? Byte.closeBrace : Byte.closeBracket
                if peek == close {
                    i += 1
                } else {
                    stack.append(c)
                    if c == Byte.openBrace { try skipKey() }
                    opened = true
                }
            case Byte.quote: try string(keep: false)
            case Byte.t: try literal("true")
            case Byte.f: try literal("false")
            case Byte.n: try literal("null")
            default: _ = try number()
            }
            if opened { continue }
            // After a value: close what is finished, or move to the next element.
            while let top = stack.last {
                skipSpace()
                guard let c = peek else { throw truncated() }
                if c == Byte.comma {
                    i += 1
                    if top == Byte.openBrace { try skipKey() }
                    break
                }
                if (top == Byte.openBrace && c == Byte.closeBrace) || (top == Byte.openBracket && c == Byte.closeBracket) {
                    i += 1
                    stack.removeLast()
                    continue
                }
                throw expected(top == Byte.openBrace ? "',' or '}' after a value" : "',' or ']' in an array")
            }
            if stack.isEmpty { return }
        }
    }

    /// `"key" :` inside a skipped object.
    private mutating func skipKey() throws(Malformed) {
        skipSpace()
        guard peek == Byte.quote else { throw expected("a key in quotes") }
        try string(keep: false)
        skipSpace()
        try expect(Byte.colon, "':' after a key")
    }

    // MARK: - Tokens

    /// A string at `i` (on its opening quote), decoded into `scratch` when `keep`, else only checked.
    ///
    /// Runs between escapes are found with `memchr`, so skipping a long body costs little more than
    /// finding its closing quote.
    private mutating func string(keep: Bool) throws(Malformed) {
        i += 1
        if keep { scratch.removeAll(keepingCapacity: true) }
        guard let base = bytes.baseAddress else { throw truncated() }
        while true {
            guard i < bytes.count else { throw truncated() }
            // The plain run up to the next quote or backslash, whichever comes first.
            let rest = bytes.count - i
            let quote = memchr(base + i, Int32(Byte.quote), rest).map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
            let slash = memchr(base + i, Int32(Byte.backslash), quote - i).map { base.distance(to: UnsafeRawPointer($0)) }
            let end = slash ?? quote
            if keep && end > i { scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<end])) }
            i = end
            guard i < bytes.count else { throw truncated() }
            i += 1
            if slash == nil { return }  // the closing quote
            guard i < bytes.count else { throw truncated() }
            let e = bytes[i]
            i += 1
            let simple: UInt8?
            switch e {
            case Byte.quote, Byte.backslash, Byte.slash: simple = e
            case Byte.b: simple = 0x08
            case Byte.f: simple = 0x0C
            case Byte.n: simple = 0x0A
            case Byte.r: simple = 0x0D
            case Byte.t: simple = 0x09
            case Byte.u: simple = nil
            default: throw Malformed(field: nil, reason: "the record is not valid JSON: unknown escape at byte \(i - 1)")
            }
            if let simple {
                if keep { scratch.append(simple) }
                continue
            }
            var scalar = try hex4()
            if JSONEscape.isHighSurrogate(scalar), i + 1 < bytes.count, bytes[i] == Byte.backslash, bytes[i + 1] == Byte.u {
                i += 2
                let low = try hex4()
                scalar = JSONEscape.combine(high: scalar, low: low) ?? 0xFFFD
            }
            if keep {
                for unit in String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8 { scratch.append(unit) }
            }
        }
    }

    private mutating func hex4() throws(Malformed) -> UInt32 {
        switch JSONEscape.quad(bytes, at: i) {
        case .value(let v):
            i += 4
            return v
        case .truncated: throw truncated()
        case .badDigit(let at): throw Malformed(field: nil, reason: "the record is not valid JSON: bad \\u escape at byte \(at + 1)")
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, and what kind of number it was.
    private mutating func number() throws(Malformed) -> (negative: Bool, wholeFraction: Bool, exponent: Bool) {
        var shape = (negative: false, wholeFraction: true, exponent: false)
        if peek == Byte.minus {
            shape.negative = true
            i += 1
        }
        guard let first = peek, Byte.isDigit(first) else {
            throw i >= bytes.count ? truncated() : expected("a value")
        }
        if first == Byte.zero {
            i += 1
        } else {
            while let c = peek, Byte.isDigit(c) { i += 1 }
        }
        if peek == Byte.dot {
            i += 1
            guard let c = peek, Byte.isDigit(c) else { throw i >= bytes.count ? truncated() : expected("a digit after '.'") }
            while let c = peek, Byte.isDigit(c) {
                if c != Byte.zero { shape.wholeFraction = false }
                i += 1
            }
        }
        if let c = peek, c | 0x20 == Byte.e {
            shape.exponent = true
            i += 1
            if peek == Byte.plus || peek == Byte.minus { i += 1 }
            guard let d = peek, Byte.isDigit(d) else {
                throw i >= bytes.count ? truncated() : expected("a digit in the exponent")
            }
            while let d = peek, Byte.isDigit(d) { i += 1 }
        }
        return shape
    }

    private mutating func literal(_ word: StaticString) throws(Malformed) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        for offset in 0..<count {
            guard i < bytes.count else { throw truncated() }
            guard bytes[i] == start[offset] else { throw expected("a value") }
            i += 1
        }
    }

    // MARK: - Basics

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while i < bytes.count {
            let c = bytes[i]
            guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return }
            i += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Malformed) {
        guard peek == byte else { throw i >= bytes.count ? truncated() : expected(what) }
        i += 1
    }

    private func truncated() -> Malformed {
        Malformed(field: nil, reason: "the record ends before its JSON object is complete (a truncated line)")
    }

    private func expected(_ what: String) -> Malformed {
        i >= bytes.count ? truncated() : Malformed(field: nil, reason: "the record is not valid JSON: expected \(what) at byte \(i + 1)")
    }
}

/// The bytes the parser compares against.
private enum Byte {
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let b = UInt8(ascii: "b")
    static let e = UInt8(ascii: "e")
    static let f = UInt8(ascii: "f")
    static let n = UInt8(ascii: "n")
    static let r = UInt8(ascii: "r")
    static let t = UInt8(ascii: "t")
    static let u = UInt8(ascii: "u")

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- zero < 10 }
}
