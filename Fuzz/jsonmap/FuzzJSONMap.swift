// Fuzz target `jsonmap`: JSONMapCell on arbitrary bytes (a CUR 2.0 `tags` / `resource_tags` / `product` cell).
//
// Invariants: parsing returns a map or throws Malformed with a reason (never traps); the bytes and the
// String entry points agree; JSON that Foundation's JSONSerialization reads as an object of strings is
// read as the same map; and an accepted map written back as JSON (every value a string) parses to the
// same map.

import Foundation
import FuzzSupport
import UnitCost

/// A JSON string literal for `text`, escaping quotes, backslashes and control characters.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// The input as JSONSerialization reads it, when that is an object whose values are all strings, with no
/// `\u` escape of a surrogate, no key written twice and no NUL byte; else nil. JSONSerialization reads
/// `{<NUL>}<NUL>` as an empty object, but JSON has no NUL outside a string, so JSONMapCell's refusal is
/// right there and Foundation is no reference for such input (docs/fuzzing.md).
func foundationMap(_ bytes: [UInt8]) -> [String: String]? {
    if bytes.contains(0) { return nil }
    let text = String(decoding: bytes, as: UTF8.self)
    if text.range(of: #"\\u[dD][89a-fA-F]"#, options: .regularExpression) != nil { return nil }
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
    var map: [String: String] = [:]
    for (key, value) in object {
        guard let string = value as? String else { return nil }
        map[key] = string
    }
    // A key written twice leaves fewer entries than the object has members.
    guard topLevelMembers(bytes) == map.count else { return nil }
    return map
}

/// The number of members of a top-level JSON object (commas outside strings and nested values, plus one).
func topLevelMembers(_ bytes: [UInt8]) -> Int {
    var depth = 0
    var inString = false
    var escaped = false
    var members = 0
    var sawValue = false
    for byte in bytes {
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            if depth == 1 { sawValue = true }
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
        case UInt8(ascii: ","): if depth == 1 { members += 1 }
        default: break
        }
    }
    return sawValue ? members + 1 : 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let fromBytes = input.bytes.withUnsafeBytes { bytes in
        Result { () throws(JSONMapCell.Malformed) -> [String: String] in try JSONMapCell.parse(bytes) }
    }
    if case .failure(let malformed) = fromBytes {
        fuzzCheck(!malformed.reason.isEmpty, "a refusal without a reason")
    }
    if let text = String(validating: input.bytes, as: UTF8.self) {
        let fromText = Result { () throws(JSONMapCell.Malformed) -> [String: String] in try JSONMapCell.parse(text) }
        fuzzCheck(fromText == fromBytes, "bytes and String disagree: \(fromBytes) vs \(fromText)")
    }
    // Valid JSON that Foundation reads as an object of strings must be read alike. Lone surrogate escapes
    // and repeated keys are left out: JSON leaves both to the reader.
    if let expected = foundationMap(input.bytes) {
        fuzzCheck(fromBytes == .success(expected), "Foundation reads \(expected), JSONMapCell \(fromBytes)")
    }
    guard case .success(let map) = fromBytes else { return 0 }
    let written = "{" + map.sorted { $0.key < $1.key }.map { literal($0.key) + ":" + literal($0.value) }.joined(separator: ",") + "}"
    let reread = Result { () throws(JSONMapCell.Malformed) -> [String: String] in try JSONMapCell.parse(written) }
    fuzzCheck(reread == .success(map), "\(written) reads back as \(reread), not \(map)")
    return 0
}
