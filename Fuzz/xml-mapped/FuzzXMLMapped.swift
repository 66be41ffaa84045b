// Fuzz target `xml-mapped`: a generic XML feed read through a config mapping (SPEC §3.3's example: record
// /feed/conversion, id and time attributes, currency an attribute of value, a count element) on arbitrary
// bytes. The invariants are checkXMLFeed's (Fuzz/Support/XMLFeedCheck.swift).

import FuzzSupport
import UnitCost

let reader = try! XMLFeedReader(
    record: "/feed/conversion",
    fields: [
        .id: ["@id"], .time: ["@time"], .campaign: ["campaign", "@campaign"], .creative: ["creative"],
        .value: ["value"], .currency: ["value/@currency"], .status: ["status"], .count: ["count"],
    ],
    countPerRecord: Money(1), correction: XMLFeedReader.Correction(statuses: ["reversed"], negativeValue: true))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkXMLFeed(reader, FuzzInput(data, size))
    return 0
}
