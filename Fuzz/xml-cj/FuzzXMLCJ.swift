// Fuzz target `xml-cj`: the built-in `cj-xml` profile (CJ commission details) on arbitrary bytes.
// The invariants are checkXMLFeed's (Fuzz/Support/XMLFeedCheck.swift).

import FuzzSupport
import UnitCost

let reader = XMLFeedReader.cjCommissions(currency: "USD")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkXMLFeed(reader, FuzzInput(data, size))
    return 0
}
