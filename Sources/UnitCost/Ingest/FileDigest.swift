#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checksums of input files as stored on disk, for `summary.json` `inputs[].sha256`.
enum FileDigest {
    /// SHA-256 of the file's bytes (its first `length` bytes when given: what a reader of that many
    /// read), read in 1 MiB chunks.
    static func sha256(path: String, display: String, length: Int? = nil) throws(UnitCostError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .input("\(display): cannot open the file to checksum it") }
        defer { close(fd) }
        var hash = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var left = length ?? .max
        while left > 0 {
            let n = read(fd, buffer.baseAddress, min(buffer.count, left))
            if n < 0 { throw .input("\(display): read error while checksumming the file") }
            if n == 0 { break }
            hash.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            left -= n
        }
        return SHA256.hexString(hash.finalize())
    }
}
