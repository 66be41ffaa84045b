#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Checksums of input files as stored on disk, for `summary.json` `inputs[].sha256`.
enum FileDigest {
    /// SHA-256 of the file's bytes (its first `length` bytes when given: what a reader of that many
    /// read), read in 1 MiB chunks.
    static func sha256(path: String, display: String, length: Int? = nil) throws(UnitCostError) -> String {
        try SharedFileDigest(path: path, display: display, length: length ?? .max).finish()
    }
}

/// The SHA-256 of a file's first `length` bytes, taken a piece at a time by the threads that read the
/// file's rows (a plain CSV file read in two halves, `BillingReader+Parts`): whichever finds no other
/// hashing takes the next piece (`help`), and the first to finish its half hashes what is left (`finish`).
/// One thread checksumming any file calls `finish` alone (`FileDigest.sha256`).
///
/// A third thread used to checksum beside the two readers; three busy threads on two cores leave one
/// reader sharing its core with the checksum while the other has a core to itself (docs/PERFORMANCE.md,
/// tenth round). Taken in turns by the readers, the checksum is split between both cores.
final class SharedFileDigest: @unchecked Sendable {
    // @unchecked: `descriptor`, `buffer` and the hash are used only while `progress` is locked.
    private struct Progress {
        var hash = SHA256()
        /// Bytes hashed so far.
        var done = 0
        /// The file ended before `length` bytes (it was cut short meanwhile): nothing more to hash.
        var ended = false
        var failure: UnitCostError?
        var digest: String?
    }

    private let progress = Mutex(Progress())
    private let descriptor: Int32
    private let length: Int
    private let display: String
    private let buffer: UnsafeMutableRawBufferPointer

    init(path: String, display: String, length: Int) throws(UnitCostError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .input("\(display): cannot open the file to checksum it") }
        self.length = length
        self.display = display
        buffer = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// Hashes up to `bytes` more bytes, unless another thread is hashing: then it returns at once.
    func help(_ bytes: Int) {
        progress.withLockIfAvailable { step(&$0, bytes) }
    }

    /// Hashes whatever is left (after any piece another thread is hashing) and returns the digest in
    /// hex, the same on every call.
    func finish() throws(UnitCostError) -> String {
        try progress.withLock { (p: inout Progress) throws(UnitCostError) -> String in
            step(&p, .max)
            if let failure = p.failure { throw failure }
            if let digest = p.digest { return digest }
            let digest = SHA256.hexString(p.hash.finalize())
            p.digest = digest
            return digest
        }
    }

    /// Reads and hashes up to `bytes` bytes from where the hash stands, in 1 MiB reads.
    private func step(_ p: inout Progress, _ bytes: Int) {
        guard p.failure == nil, p.digest == nil, !p.ended else { return }
        var left = min(bytes, length - p.done)
        while left > 0 {
            let n = pread(descriptor, buffer.baseAddress, min(buffer.count, left), off_t(p.done))
            if n < 0 {
                p.failure = .input("\(display): read error while checksumming the file")
                return
            }
            if n == 0 {
                p.ended = true
                return
            }
            p.hash.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            p.done += n
            left -= n
        }
    }
}
