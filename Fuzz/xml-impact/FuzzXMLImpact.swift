// Fuzz target `xml-impact`: the built-in `impact-xml` profile (impact.com Actions, and its error
// responses) on arbitrary bytes. The invariants are checkXMLFeed's (Fuzz/Support/XMLFeedCheck.swift).

import FuzzSupport
import UnitCost

let reader = XMLFeedReader.impactActions()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkXMLFeed(reader, FuzzInput(data, size))
    return 0
}
