// The one library type the scanner-only probe needs beyond the files it compiles: the checksum's chain
// (FileDigest.swift, which a plain file's scanner may feed) reports its errors as `UnitCostError.input`.
enum UnitCostError: Error {
    case input(String)
}
