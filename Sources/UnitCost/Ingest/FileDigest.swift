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
/// file's rows (a plain CSV file read in two halves, `BillingReader+Parts`): the first of them to end its
/// half hashes on while the other reads (`ended`), and what is left when both have ended is hashed on
/// another thread while the run sums up (`finish`). One thread checksumming any file calls `finish` alone
/// (`FileDigest.sha256`).
///
/// Each reader says how far into its half it has read (`reached`), and takes the checksum on, a piece at
/// a time, when it is free and behind the bytes both have read, or when this reader is the further on,
/// as a share of its half; it hashes on until it falls `turnSlack` bytes behind the other. So the
/// checksum runs on one core or the other nearly all the time, and its cost is shared so that both halves
/// end together. It is a large part of a run: SHA-256 with the CPU's instructions reads about 2 GB/s, a
/// reader of rows about 1.7 GB/s, so the checksum must run most of the time for it not to be what the run
/// waits for. Readers that hashed a fixed amount at fixed points fell behind, and the first to end hashed
/// the last sixth of the file alone (docs/PERFORMANCE.md, eleventh round).
///
/// A third thread used to checksum beside the two readers; three busy threads on two cores leave one
/// reader sharing its core with the checksum while the other has a core to itself (tenth round).
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
    /// Bytes read so far of each half, as its reader last said (`reached`).
    private let firstRead = Atomic<Int>(0)
    private let secondRead = Atomic<Int>(0)
    /// Bytes hashed so far, for a reader to look at without the lock.
    private let hashedSoFar = Atomic<Int>(0)
    /// Whether the reader of each half has read all of it (`ended`).
    private let firstEnded = Atomic<Bool>(false)
    private let secondEnded = Atomic<Bool>(false)
    /// Set once nothing is left to hash (or hashing failed): `reached` then returns at once.
    private let over = Atomic<Bool>(false)
    private let descriptor: Int32
    private let length: Int
    /// The lengths of the two halves: the cut, and the rest of `length`.
    private let halves: (first: Int, second: Int)
    private let display: String
    private let buffer: UnsafeMutableRawBufferPointer

    /// How far a reader hashing may fall behind the other, in bytes of its half, before it leaves the
    /// checksum to the other: 8 MiB, about 5 ms of the other's reading, against well under a millisecond
    /// until the other's next `reached`.
    static let turnSlack = 8 << 20

    /// The piece hashed between two looks at the other reader: 1 MiB, about half a millisecond.
    static let piece = 1 << 20

    /// This digest's piece and slack: `piece` and `turnSlack` but in tests, which take small ones to
    /// hand the checksum over many times in a small file.
    private let pieceSize: Int
    private let slack: Int

    /// - Parameter cut: Where the second half starts, when two readers take the checksum in turns.
    init(
        path: String, display: String, length: Int, cut: Int = 0, piece: Int = SharedFileDigest.piece, slack: Int = SharedFileDigest.turnSlack
    ) throws(UnitCostError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .input("\(display): cannot open the file to checksum it") }
        self.length = length
        let cut = min(max(cut, 0), length)
        halves = (cut, length - cut)
        self.display = display
        pieceSize = max(1, piece)
        self.slack = slack
        buffer = .allocate(byteCount: pieceSize, alignment: 16)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// The reader of the first (`part` 0) or the second half has read `bytes` of it. Unless the other is
    /// hashing, it takes the checksum on when `takesTurn` says so, and hashes on while `keepsTurn` does.
    func reached(_ bytes: Int, inPart part: Int) {
        note(bytes, inPart: part)
        guard !over.load(ordering: .relaxed) else { return }
        let (own, other) = part == 0 ? halves : (halves.second, halves.first)
        let otherRead = { part == 0 ? self.secondRead.load(ordering: .relaxed) : self.firstRead.load(ordering: .relaxed) }
        let hashed = hashedSoFar.load(ordering: .relaxed)
        guard Self.takesTurn(read: bytes, of: own, otherRead: otherRead(), of: other, hashed: hashed) else { return }
        progress.withLockIfAvailable { p in
            while hashPiece(&p), Self.keepsTurn(read: bytes, of: own, otherRead: otherRead(), of: other, slack: slack) {}
        }
    }

    /// The reader of the first (`part` 0) or the second half has read all of it: it hashes on while the
    /// other still reads (which then leaves the checksum to it), and returns once the other has ended
    /// too, or nothing is left to hash, or the read was given up (`abandon`). What is left then is hashed
    /// by `finish`, which the caller may leave to another thread while it sums up.
    func ended(part: Int) {
        note(part == 0 ? halves.first : halves.second, inPart: part)
        if part == 0 { firstEnded.store(true, ordering: .relaxed) } else { secondEnded.store(true, ordering: .relaxed) }
        let otherEnded = { part == 0 ? self.secondEnded.load(ordering: .relaxed) : self.firstEnded.load(ordering: .relaxed) }
        while !otherEnded() && !over.load(ordering: .relaxed) {
            _ = progress.withLock { hashPiece(&$0) }
        }
    }

    /// A part failed or was told to stop: the read in parts is given up (the file is read again on one
    /// thread, which takes its own checksum), so neither reader hashes any more.
    func abandon() {
        over.store(true, ordering: .relaxed)
    }

    /// Notes how far the reader of a half has read, without taking the checksum on (`reached` does both).
    func note(_ bytes: Int, inPart part: Int) {
        if part == 0 { firstRead.store(bytes, ordering: .relaxed) } else { secondRead.store(bytes, ordering: .relaxed) }
    }

    /// Whether a reader that has read `read` bytes of its `own`-byte half takes the checksum on, with
    /// `hashed` bytes of the file hashed: never once the other has read all of its `other` bytes (the
    /// other, about to end, hashes the rest); always while the checksum is behind the bytes both have
    /// read (it is then what the run waits for: whoever finds it free takes it); else when this reader
    /// is no further behind than the other, as a share of its half.
    static func takesTurn(read: Int, of own: Int, otherRead: Int, of other: Int, hashed: Int) -> Bool {
        guard otherRead < other else { return false }
        return hashed < read + otherRead || keepsTurn(read: read, of: own, otherRead: otherRead, of: other, slack: 0)
    }

    /// Whether a reader hashing hashes on: while the other has not read all of its half and this one is
    /// no more than `slack` bytes of its half behind the other's share of its own. So the further on
    /// takes the checksum, and the halves end together.
    static func keepsTurn(read: Int, of own: Int, otherRead: Int, of other: Int, slack: Int) -> Bool {
        guard otherRead < other else { return false }
        // In floating point: a share of one 5 GB half times the length of the other overflows 64 bits.
        let behind = Double(otherRead) / Double(other) * Double(own) - Double(read)
        return behind <= Double(slack)
    }

    /// Hashes whatever is left (after any piece another thread is hashing) and returns the digest in
    /// hex, the same on every call.
    func finish() throws(UnitCostError) -> String {
        try progress.withLock { (p: inout Progress) throws(UnitCostError) -> String in
            step(&p, .max)
            over.store(true, ordering: .relaxed)
            if let failure = p.failure { throw failure }
            if let digest = p.digest { return digest }
            let digest = SHA256.hexString(p.hash.finalize())
            p.digest = digest
            return digest
        }
    }

    /// Bytes hashed so far (for tests).
    var hashed: Int { progress.withLock { $0.done } }

    /// Hashes the next piece (a reader's turn); false when nothing is left to hash, hashing failed or
    /// the read was given up (`abandon`): then `over` is set.
    private func hashPiece(_ p: inout Progress) -> Bool {
        step(&p, pieceSize)
        hashedSoFar.store(p.done, ordering: .relaxed)
        if p.failure != nil || p.ended || p.digest != nil || p.done >= length { over.store(true, ordering: .relaxed) }
        return !over.load(ordering: .relaxed)
    }

    /// Reads and hashes up to `bytes` bytes from where the hash stands, a piece at a time.
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
