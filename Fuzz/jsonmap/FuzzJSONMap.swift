// Fuzz target `jsonmap`: JSONMapCell on arbitrary bytes (a CUR 2.0 `tags` / `resource_tags` / `product` cell).
//
// Invariants: parsing returns a map or throws Malformed with a reason (never traps); the bytes and the
// String entry points agree; and an accepted map written back as JSON (every value a string) parses to
// the same map.

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
    guard case .success(let map) = fromBytes else { return 0 }
    let written = "{" + map.sorted { $0.key < $1.key }.map { literal($0.key) + ":" + literal($0.value) }.joined(separator: ",") + "}"
    let reread = Result { () throws(JSONMapCell.Malformed) -> [String: String] in try JSONMapCell.parse(written) }
    fuzzCheck(reread == .success(map), "\(written) reads back as \(reread), not \(map)")
    return 0
}
