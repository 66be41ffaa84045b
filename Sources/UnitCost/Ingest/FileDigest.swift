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
        try ChainDigest(path: path, display: display, length: length ?? .max).finish()
    }
}

/// The SHA-256 of a file's first `length` bytes: one serial chain of blocks, fed first with the chunks a
/// reader of the file's start hands in as it reads them (`enqueue`), then, once it asks for the digest
/// (`finish`: no more chunks come), with the rest of the file, read here. A chunk handed in is hashed by
/// whichever thread gets to it first: another thread waiting for chunks (`serve`), or between its rows (`help`),
/// or the reader itself when it needs the chunk back (`ensureHashed`). So the bytes a reader has copied
/// out of the page cache for its rows are hashed from its own buffers, without being read a second time
/// (docs/PERFORMANCE.md, thirteenth round: SHA-256 is a serial chain, and on this host it is what a run
/// waits for; hashing what was read saves the chain a copy).
///
/// One thread hashes at a time (it holds `working`); the hash state is touched only by it.
final class ChainDigest: @unchecked Sendable {
    // @unchecked: every stored var but `hash` is used only under `mutex`; `hash` only by the thread
    // holding `working`, which it takes and gives back under `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var hash = SHA256()
    /// Chunks handed in and not hashed yet, oldest first from `head`.
    private var pending: [(bytes: UnsafeRawPointer, count: Int)] = []
    private var head = 0
    /// How many chunks were handed in, and how many of them are hashed. (Not `hashedChunks` plus those
    /// pending: a chunk being hashed is neither.)
    private var handedIn = 0
    private var hashedChunks = 0
    /// Bytes hashed so far, and of them, bytes of chunks handed in.
    private var done = 0
    private var doneFromChunks = 0
    /// Whether a thread is hashing.
    private var working = false
    /// No more chunks will be handed in.
    private var closed = false
    /// The read was given up: nothing more is hashed, and every wait returns.
    private var stopped = false
    private var failure: UnitCostError?
    private var digest: String?
    /// CPU seconds spent hashing chunks (by any thread, and by the feeder in `ensureHashed`) while
    /// `timesHashing` is set.
    private var hashSeconds = 0.0
    private var feederSeconds = 0.0
    private var timesHashing = false

    private let descriptor: Int32
    private let length: Int
    private let display: String

    /// The piece of the file read and hashed at a time by `finish`.
    static let piece = 1 << 20

    init(path: String, display: String, length: Int) throws(UnitCostError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .input("\(display): cannot open the file to checksum it") }
        self.length = max(0, length)
        self.display = display
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        pending.reserveCapacity(16)
    }

    deinit {
        close(descriptor)
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Hands in the next `count` bytes of the file (from the start, in order), which must stay as they
    /// are until the returned ticket is hashed (`isHashed`, `ensureHashed`); nil when the chain is
    /// closed or stopped: the bytes are not hashed and may change at once.
    func enqueue(_ bytes: UnsafeRawPointer, count: Int) -> Int? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !closed, !stopped else { return nil }
        pending.append((bytes, count))
        handedIn += 1
        pthread_cond_broadcast(changed)
        return handedIn - 1
    }

    /// Whether the chunk with this ticket is hashed (or will not be: the chain was stopped).
    func isHashed(_ ticket: Int) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return hashedChunks > ticket || stopped
    }

    /// Returns once the chunk with this ticket is hashed, hashing the chunks before it here when no
    /// other thread is hashing.
    func ensureHashed(_ ticket: Int) {
        pthread_mutex_lock(mutex)
        while hashedChunks <= ticket && !stopped {
            if !working && head < pending.count { hashNextChunk(byFeeder: true) } else { pthread_cond_wait(changed, mutex) }
        }
        pthread_mutex_unlock(mutex)
    }

    /// Hashes chunks as they are handed in, waiting for them, until the chain is closed and every chunk
    /// handed in is hashed, or it is stopped.
    func serve() {
        pthread_mutex_lock(mutex)
        while !stopped && !(closed && head == pending.count) {
            if !working && head < pending.count { hashNextChunk() } else { pthread_cond_wait(changed, mutex) }
        }
        pthread_mutex_unlock(mutex)
    }

    /// Hashes the chunks handed in so far (not those handed in meanwhile) unless another thread is
    /// hashing; never waits for one.
    func help() {
        pthread_mutex_lock(mutex)
        let handedInSoFar = handedIn
        while !working && head < pending.count && hashedChunks < handedInSoFar && !stopped { hashNextChunk() }
        pthread_mutex_unlock(mutex)
    }

    /// The read was given up: nothing more is hashed, and `serve`, `ensureHashed` and `finish` return.
    /// Returns once no thread is hashing: the chunks handed in may be freed after.
    func stop() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_broadcast(changed)
        while working { pthread_cond_wait(changed, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// Closes the chain, hashes the chunks handed in and then the rest of the file's `length` bytes,
    /// read here, and returns the digest in hex, the same on every call.
    func finish() throws(UnitCostError) -> String {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        closed = true
        pthread_cond_broadcast(changed)
        while digest == nil && failure == nil && !stopped {
            if working {
                pthread_cond_wait(changed, mutex)
            } else if head < pending.count {
                hashNextChunk()
            } else {
                working = true
                pthread_mutex_unlock(mutex)
                let (read, ended, failed) = hashRest()
                pthread_mutex_lock(mutex)
                done += read
                working = false
                if let failed { failure = failed } else if ended { digest = SHA256.hexString(hash.finalize()) }
                pthread_cond_broadcast(changed)
            }
        }
        if let failure { throw failure }
        guard let digest else { throw .input("\(display): the checksum was given up") }
        return digest
    }

    /// Bytes hashed so far (for tests).
    var hashed: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return done
    }

    /// Bytes hashed from chunks handed in, not read again (for tests).
    var hashedFromChunks: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return doneFromChunks
    }

    /// Whether hashing chunks is timed (`hashTime`), while a reader measures what its rows cost.
    func timesHashing(_ on: Bool) {
        pthread_mutex_lock(mutex)
        timesHashing = on
        pthread_mutex_unlock(mutex)
    }

    /// CPU seconds spent hashing chunks while timed (by any thread, and by the feeder), and the bytes of
    /// chunks hashed so far: over a span when chunks were hashed only while timed.
    typealias HashTime = (seconds: Double, byFeeder: Double, bytes: Int)
    var hashTime: HashTime {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return (hashSeconds, feederSeconds, doneFromChunks)
    }

    /// Takes `working`, hashes the oldest chunk handed in without the lock, and gives it back. Called
    /// with the mutex held, `working` free and a chunk pending; returns with the mutex held.
    private func hashNextChunk(byFeeder: Bool = false) {
        working = true
        let next = pending[head]
        head += 1
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        }
        let timed = timesHashing
        pthread_mutex_unlock(mutex)
        let start = timed ? threadSeconds() : 0
        hash.update(UnsafeRawBufferPointer(start: next.bytes, count: next.count))
        let seconds = timed ? threadSeconds() - start : 0
        pthread_mutex_lock(mutex)
        if timed {
            hashSeconds += seconds
            if byFeeder { feederSeconds += seconds }
        }
        done += next.count
        doneFromChunks += next.count
        hashedChunks += 1
        working = false
        pthread_cond_broadcast(changed)
    }

    /// Reads and hashes the file from `done` up to `length` bytes, a piece at a time, holding `working`
    /// without the lock: the bytes read, whether the file ended (at `length` or before: cut short
    /// meanwhile), and a read error.
    private func hashRest() -> (read: Int, ended: Bool, failure: UnitCostError?) {
        var offset = done
        guard offset < length else { return (0, true, nil) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(Self.piece, length - offset), alignment: 16)
        defer { buffer.deallocate() }
        while offset < length {
            let n = pread(descriptor, buffer.baseAddress, min(buffer.count, length - offset), off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                return (offset - done, false, .input("\(display): read error while checksumming the file"))
            }
            if n == 0 { break }
            hash.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += n
        }
        return (offset - done, true, nil)
    }
}

/// The calling thread's CPU time in seconds.
func threadSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
