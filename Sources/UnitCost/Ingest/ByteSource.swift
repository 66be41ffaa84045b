// Reads a file as a stream of bytes, inflating gzip on the fly, so the CSV scanner never holds more
// than a few chunks plus the record it is working on. Gzip is recognised by its magic bytes (1f 8b), not
// by the file name, and a file made by concatenating gzip members reads as their concatenation, as
// `gzip -dc` does. zlib is called directly: it inflated at 0.57–0.72 GB/s here (research §4).
//
// The raw bytes are hashed (SHA-256) as they are read, so the file's checksum costs no second read.
// With `readAhead`, a thread of its own reads, hashes and inflates into a small pool of chunks while the
// caller parses the previous one: inflating (or hashing) and parsing then run on separate cores. The pool
// is bounded (three chunks), so memory stays flat however far the reader falls behind, and the thread
// stops and is joined when the source is released, even in the middle of the file.

import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A streaming reader of a file's bytes that inflates gzip files transparently and checksums the file.
///
/// Each ``read(into:)`` fills part of a caller's buffer, so the file is never loaded whole:
///
/// ```swift
/// let source = try ByteSource(path: "cur/part-1.csv.gz")
/// let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
/// defer { chunk.deallocate() }
/// var total = 0
/// while true {
///     let count = try source.read(into: chunk)
///     if count == 0 { break }
///     total += count
/// }
/// print(source.sha256!)  // the file as stored, compressed or not
/// ```
public final class ByteSource {
    /// The path the source was opened with, used in error messages.
    public let path: String

    /// Whether the file starts with the gzip magic bytes and is being inflated.
    public let isGzip: Bool

    /// Whether a thread of its own reads, hashes and inflates ahead of the caller.
    public let readsAhead: Bool

    /// The default for `chunkSize`: how many bytes each chunk holds.
    public static let defaultChunkSize = 1 << 20

    /// How many chunks a read-ahead source keeps: one being parsed, one being filled, one ready.
    static let readAheadChunks = 3

    private let chunkSize: Int
    private let headroom: Int
    /// Synchronous sources only: the file (or a provider). A read-ahead source's file belongs to its thread.
    private let decoder: (any ChunkFiller)?
    private let readAhead: ReadAhead?
    /// Synchronous sources only: emptied chunks to fill again (oldest first with a `chain`).
    private var spare: [Chunk] = []
    /// A range source only: the checksum chain its chunks are handed to as they are filled, hashed
    /// on another thread while the caller parses them.
    private let chain: ChainDigest?
    /// How many chunks a source feeding a chain keeps at most: the reader holds one or two, another
    /// thread hashes one, and the rest let the two run at their own pace for a few milliseconds.
    static let chainChunks = 8
    /// A range source only: CPU seconds spent reading the file while `timesReads` is set.
    private(set) var readSeconds = 0.0
    var timesReads = false
    /// Every chunk buffer this source allocated, freed in `deinit`.
    private var allocated: [UnsafeMutableRawPointer] = []
    /// ``read(into:)`` only: the chunk being copied out and how much of it was handed out.
    private var readChunk: Chunk?
    private var readOffset = 0
    /// Synchronous sources only: the bytes of every chunk handed out so far.
    private(set) var delivered = 0

    /// Opens the file at `path` and looks at its first bytes to decide between plain and gzip.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - chunkSize: How many bytes each chunk (and each raw read from the file) holds.
    ///   - headroom: Free bytes kept in front of each chunk, where a reader can put the unfinished end
    ///     of the previous chunk without moving the new one.
    ///   - readAhead: Read, hash and inflate on a thread of its own, up to two chunks ahead.
    /// - Throws: ``CSVError/cannotOpen(path:reason:)`` if the file cannot be opened or read,
    ///   ``CSVError/gzip(path:message:)`` if zlib cannot start.
    public init(path: String, chunkSize: Int = ByteSource.defaultChunkSize, headroom: Int = 0, readAhead: Bool = false)
        throws(CSVError)
    {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        self.headroom = max(0, headroom)
        self.chain = nil
        let decoder = try Decoder(path: path, inputChunkSize: min(self.chunkSize, 256 << 10))
        self.isGzip = decoder.isGzip
        self.readsAhead = readAhead
        if readAhead {
            var chunks: [Chunk] = []
            for _ in 0..<ByteSource.readAheadChunks {
                let storage = UnsafeMutableRawPointer.allocate(byteCount: self.headroom + self.chunkSize, alignment: 64)
                allocated.append(storage)
                chunks.append(Chunk(storage: storage, start: self.headroom, count: 0))
            }
            let shared = ReadAhead(decoder: decoder, chunks: chunks, chunkSize: self.chunkSize)
            guard shared.start() else {
                for storage in allocated { storage.deallocate() }
                allocated = []
                throw .readFailed(path: path, reason: "could not start the read-ahead thread")
            }
            self.decoder = nil
            self.readAhead = shared
        } else {
            self.decoder = decoder
            self.readAhead = nil
        }
    }

    /// Reads chunks from a provider of already-decoded bytes (``CSVChunkProvider``) instead of a file,
    /// synchronously; no checksum is taken (`sha256` stays nil).
    public init(path: String, provider: any CSVChunkProvider, chunkSize: Int = ByteSource.defaultChunkSize, headroom: Int = 0) {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        self.headroom = max(0, headroom)
        self.isGzip = false
        self.readsAhead = false
        self.decoder = ProviderFiller(provider: provider)
        self.readAhead = nil
        self.chain = nil
    }

    /// Reads the bytes `range` of a plain (not gzip) file synchronously, as they are stored; no checksum
    /// is taken (`sha256` stays nil). Two scanners over two ranges read one file in parallel
    /// (`BillingReader.readLargePlain`).
    public convenience init(path: String, range: Range<Int>, chunkSize: Int = ByteSource.defaultChunkSize, headroom: Int = 0)
        throws(CSVError)
    {
        try self.init(path: path, range: range, chunkSize: chunkSize, headroom: headroom, chain: nil)
    }

    /// The same, and with a `chain` (a range from the file's start) every chunk is handed to it as it
    /// is filled, and filled again only once hashed: its bytes must not change meanwhile.
    init(path: String, range: Range<Int>, chunkSize: Int, headroom: Int, chain: ChainDigest?) throws(CSVError) {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        self.headroom = max(0, headroom)
        self.isGzip = false
        self.readsAhead = false
        self.decoder = try FileRangeFiller(path: path, range: range)
        self.readAhead = nil
        self.chain = chain
    }

    deinit {
        // The chain may still hash a chunk handed in: it must let go of them before they are freed.
        chain?.stop()
        readAhead?.stop()
        for storage in allocated { storage.deallocate() }
    }

    /// The lower-case hex SHA-256 of the file's bytes as stored (compressed, for gzip), or nil until
    /// the whole file has been read.
    public var sha256: String? {
        if let readAhead { return readAhead.digest }
        return decoder?.digest
    }

    /// Fills the start of `buffer` with the file's next bytes, inflated if the file is gzip.
    ///
    /// - Returns: The number of bytes written, at least one unless the file has ended; 0 at the end.
    /// - Throws: ``CSVError/gzip(path:message:)`` for a truncated or corrupt gzip stream,
    ///   ``CSVError/readFailed(path:reason:)`` if the system read fails.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        guard buffer.count > 0, let base = buffer.baseAddress else { return 0 }
        if let chunk = readChunk, readOffset == chunk.count {
            recycle(chunk)
            readChunk = nil
        }
        if readChunk == nil {
            guard let next = try nextChunk() else { return 0 }
            readChunk = next
            readOffset = 0
        }
        let chunk = readChunk!
        let count = min(buffer.count, chunk.count - readOffset)
        base.copyMemory(from: chunk.bytes + readOffset, byteCount: count)
        readOffset += count
        return count
    }

    // MARK: - Chunks

    /// A buffer of the file's bytes: `count` bytes at `storage + start`, with `start` bytes free in front.
    struct Chunk {
        let storage: UnsafeMutableRawPointer
        let start: Int
        var count: Int
        /// With a `chain`: the ticket of the bytes in it, which must be hashed before it is filled
        /// again; -1 when there is nothing to wait for.
        var ticket = -1

        var bytes: UnsafeMutableRawPointer { storage + start }
    }

    /// The next chunk of the file, never empty, or nil at the end; hand it back with ``recycle(_:)``.
    ///
    /// A synchronous source fills the chunk now; a read-ahead source waits for its thread.
    func nextChunk() throws(CSVError) -> Chunk? {
        if let readAhead { return try readAhead.take() }
        guard let decoder else { return nil }
        var reused: Chunk?
        if let chain {
            // The oldest chunk given back, once hashed; a new one while it is not and few are out.
            if let oldest = spare.first, allocated.count >= Self.chainChunks || chain.isHashed(oldest.ticket) {
                chain.ensureHashed(oldest.ticket)
                reused = spare.removeFirst()
            }
        } else {
            reused = spare.popLast()
        }
        var chunk: Chunk
        if let reused {
            chunk = reused
        } else {
            let storage = UnsafeMutableRawPointer.allocate(byteCount: headroom + chunkSize, alignment: 64)
            allocated.append(storage)
            chunk = Chunk(storage: storage, start: headroom, count: 0)
        }
        let started = timesReads ? threadSeconds() : 0
        chunk.count = try decoder.fill(chunk.bytes, count: chunkSize)
        if timesReads { readSeconds += threadSeconds() - started }
        chunk.ticket = -1
        if chunk.count == 0 {
            spare.append(chunk)
            return nil
        }
        if let chain { chunk.ticket = chain.enqueue(chunk.bytes, count: chunk.count) ?? -1 }
        delivered += chunk.count
        return chunk
    }

    /// Gives a chunk from ``nextChunk()`` back to be filled again; its bytes are no longer valid.
    func recycle(_ chunk: Chunk) {
        if let readAhead {
            readAhead.give(chunk)
        } else {
            spare.append(chunk)
        }
    }

    /// The read-ahead thread's Linux thread id while it runs, for tests that check it stops.
    var readAheadThreadID: Int32? { readAhead?.threadID }
}

// MARK: - Decoder

/// Reads the raw file, hashes it and inflates it; used by one thread at a time.
private final class Decoder {
    let path: String
    let isGzip: Bool
    private(set) var digest: String?

    private let descriptor: Int32
    /// Raw file bytes: compressed input for gzip, or the bytes read while sniffing a plain file.
    private let input: UnsafeMutableRawBufferPointer
    /// Plain files only: sniffed bytes in `input` not yet handed out.
    private var pending: Range<Int> = 0..<0
    /// Gzip only; heap-allocated because zlib keeps a pointer back to it.
    private let stream: UnsafeMutablePointer<z_stream>?
    private var inputExhausted = false
    /// Gzip only: the last member ended and no new one has started.
    private var memberFinished = false
    private var hash = SHA256()
    /// An error met after part of a chunk was filled, thrown by the next ``fill(_:count:)``.
    private var deferred: CSVError?

    init(path: String, inputChunkSize: Int) throws(CSVError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, reason: systemReason(errno))
        }
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: max(16, inputChunkSize), alignment: 16)

        // Sniff: read until two bytes are in hand or the file ends (a pipe may deliver one at a time).
        var sniffed = 0
        while sniffed < 2 {
            let count = systemRead(descriptor, input.baseAddress! + sniffed, input.count - sniffed)
            if count < 0 {
                if errno == EINTR { continue }
                let reason = systemReason(errno)
                close(descriptor)
                input.deallocate()
                throw .cannotOpen(path: path, reason: reason)
            }
            if count == 0 { break }
            sniffed += count
        }
        hash.update(UnsafeRawBufferPointer(start: input.baseAddress, count: sniffed))
        let gzip = sniffed >= 2 && input[0] == 0x1F && input[1] == 0x8B

        if gzip {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // 15 + 32: a 32 KiB window, and let zlib recognise the gzip (or zlib) header itself.
            let status = czlib_inflate_init2(stream, 15 + 32)
            guard status == Z_OK else {
                let message = zlibMessage(stream, status)
                stream.deallocate()
                close(descriptor)
                input.deallocate()
                throw .gzip(path: path, message: "zlib could not start: \(message)")
            }
            stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(sniffed)
            self.stream = stream
        } else {
            self.stream = nil
            pending = 0..<sniffed
        }
        self.descriptor = descriptor
        self.input = input
        self.isGzip = gzip
        if sniffed < 2 { endOfFile() }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
        input.deallocate()
        close(descriptor)
    }

    /// Fills `base[0..<count]` as far as the file allows: fewer bytes only at the end, 0 when it has ended.
    ///
    /// An error after some bytes were filled is kept for the next call, so the bytes before it are
    /// handed out first, as a byte-at-a-time reader would see them.
    func fill(_ base: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        if let deferred {
            throw deferred
        }
        var filled = 0
        while filled < count {
            let produced: Int
            do {
                produced = try read(into: base + filled, count: count - filled)
            } catch {
                guard filled > 0 else { throw error }
                deferred = error
                break
            }
            if produced == 0 { break }
            filled += produced
        }
        return filled
    }

    /// Writes at least one byte unless the file has ended; 0 at the end.
    private func read(into base: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        if let stream {
            return try inflate(stream, into: base, count: count)
        }
        if !pending.isEmpty {
            let count = min(pending.count, count)
            base.copyMemory(from: input.baseAddress! + pending.lowerBound, byteCount: count)
            pending = (pending.lowerBound + count)..<pending.upperBound
            return count
        }
        if inputExhausted { return 0 }
        return try readRaw(into: base, count: count)
    }

    private func inflate(_ stream: UnsafeMutablePointer<z_stream>, into base: UnsafeMutableRawPointer, count: Int)
        throws(CSVError) -> Int
    {
        let capacity = min(count, Int(UInt32.max))
        stream.pointee.next_out = base.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(capacity)
        var produced = 0
        while produced == 0 {
            if stream.pointee.avail_in == 0 && !inputExhausted {
                let count = try readRaw(into: input.baseAddress!, count: input.count)
                if count > 0 {
                    stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_in = uInt(count)
                }
            }
            if stream.pointee.avail_in == 0 && inputExhausted {
                if memberFinished { return 0 }
                throw .gzip(path: path, message: "the gzip stream is truncated: the file ends inside compressed data")
            }
            if memberFinished {
                // More input after a member's end: another member follows (`cat a.gz b.gz`).
                inflateReset(stream)
                memberFinished = false
            }
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            produced = capacity - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                memberFinished = true
            case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                continue  // needs more input; the loop reads it
            default:
                throw .gzip(path: path, message: "the gzip stream is corrupt: \(zlibMessage(stream, status))")
            }
        }
        return produced
    }

    /// Reads raw bytes from the file and hashes them; at the end, finishes the digest.
    private func readRaw(into base: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        while true {
            let result = systemRead(descriptor, base, count)
            if result > 0 {
                hash.update(UnsafeRawBufferPointer(start: base, count: result))
                return result
            }
            if result == 0 {
                endOfFile()
                return 0
            }
            if errno == EINTR { continue }
            throw .readFailed(path: path, reason: systemReason(errno))
        }
    }

    private func endOfFile() {
        inputExhausted = true
        if digest == nil { digest = SHA256.hexString(hash.finalize()) }
    }
}

// MARK: - Read-ahead

/// The state a read-ahead source shares with its thread, behind one mutex.
///
/// The thread takes an empty chunk from `empty`, fills it without the lock, and appends it to `ready`;
/// the reader takes from `ready` and gives chunks back to `empty`. The thread waits when no chunk is
/// empty, the reader when none is ready. An error or the end of the file is recorded after the chunks
/// that came before it, so the reader sees every good byte first.
private final class ReadAhead: @unchecked Sendable {
    private let decoder: Decoder
    private let chunkSize: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let chunkReady = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let chunkEmptied = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var empty: [Chunk]
    private var ready: [Chunk] = []
    private var readyHead = 0
    private var finished = false
    private var failure: CSVError?
    private var stopping = false
    private var finalDigest: String?
    private var tid: Int32?
    private var thread: pthread_t?

    typealias Chunk = ByteSource.Chunk

    init(decoder: Decoder, chunks: [Chunk], chunkSize: Int) {
        self.decoder = decoder
        self.empty = chunks
        self.chunkSize = chunkSize
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(chunkReady, nil)
        pthread_cond_init(chunkEmptied, nil)
        ready.reserveCapacity(chunks.count)
    }

    deinit {
        pthread_cond_destroy(chunkEmptied)
        pthread_cond_destroy(chunkReady)
        pthread_mutex_destroy(mutex)
        chunkEmptied.deallocate()
        chunkReady.deallocate()
        mutex.deallocate()
    }

    /// Starts the thread; false if the system refused one.
    func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Glibc)
            var handle = pthread_t()
        #else
            var handle: pthread_t?
        #endif
        let status = pthread_create(
            &handle, nil,
            { context in
                let shared = Unmanaged<ReadAhead>.fromOpaque(context!).takeRetainedValue()
                shared.run()
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<ReadAhead>.fromOpaque(context).release()
            return false
        }
        thread = handle
        return true
    }

    /// Asks the thread to stop after the chunk it is filling, and waits until it has.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(chunkEmptied)
        pthread_mutex_unlock(mutex)
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    /// The next filled chunk in file order, nil at the end; waits for the thread when none is ready.
    func take() throws(CSVError) -> Chunk? {
        pthread_mutex_lock(mutex)
        while readyHead == ready.count && !finished {
            pthread_cond_wait(chunkReady, mutex)
        }
        if readyHead < ready.count {
            let chunk = ready[readyHead]
            readyHead += 1
            if readyHead == ready.count {
                ready.removeAll(keepingCapacity: true)
                readyHead = 0
            }
            pthread_mutex_unlock(mutex)
            return chunk
        }
        let failure = self.failure
        pthread_mutex_unlock(mutex)
        if let failure { throw failure }
        return nil
    }

    /// Gives a chunk back for the thread to fill.
    func give(_ chunk: Chunk) {
        pthread_mutex_lock(mutex)
        empty.append(chunk)
        pthread_cond_signal(chunkEmptied)
        pthread_mutex_unlock(mutex)
    }

    var digest: String? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return finalDigest
    }

    var threadID: Int32? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return tid
    }

    /// The thread: fill empty chunks until the file ends, an error occurs or the source is released.
    private func run() {
        pthread_mutex_lock(mutex)
        tid = currentThreadID()
        pthread_mutex_unlock(mutex)
        while true {
            pthread_mutex_lock(mutex)
            while empty.isEmpty && !stopping {
                pthread_cond_wait(chunkEmptied, mutex)
            }
            if stopping {
                tid = nil
                pthread_mutex_unlock(mutex)
                return
            }
            var chunk = empty.removeLast()
            pthread_mutex_unlock(mutex)

            var failure: CSVError?
            do {
                chunk.count = try decoder.fill(chunk.bytes, count: chunkSize)
            } catch {
                failure = error
                chunk.count = 0
            }

            pthread_mutex_lock(mutex)
            let done = chunk.count == 0
            if done {
                empty.append(chunk)
                self.failure = failure
                finalDigest = decoder.digest
                finished = true
                tid = nil
            } else {
                ready.append(chunk)
            }
            pthread_cond_signal(chunkReady)
            pthread_mutex_unlock(mutex)
            if done { return }
        }
    }
}

// MARK: - System

/// The calling thread's Linux thread id, read from `/proc/thread-self` (`PID/task/TID`); nil elsewhere.
private func currentThreadID() -> Int32? {
    var link = [CChar](repeating: 0, count: 64)
    let count = readlink("/proc/thread-self", &link, link.count - 1)
    guard count > 0 else { return nil }
    let text = String(decoding: link[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return text.split(separator: "/").last.flatMap { Int32($0) }
}

/// `read(2)`, named apart from ``ByteSource/read(into:)``.
private func systemRead(_ descriptor: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, base, count)
    #else
        Darwin.read(descriptor, base, count)
    #endif
}

/// The system's description of `code`, starting with a lower-case letter to sit inside a sentence.
func systemReason(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    return text.prefix(1).lowercased() + text.dropFirst()
}

private func zlibMessage(_ stream: UnsafeMutablePointer<z_stream>, _ status: Int32) -> String {
    if let message = stream.pointee.msg {
        return String(cString: message)
    }
    return "zlib status \(status)"
}

/// What fills a synchronous source's chunks: the file's decoder, or a provider of decoded bytes.
protocol ChunkFiller: AnyObject {
    /// Fills `base[0..<count]` as far as the input allows; 0 at the end.
    func fill(_ base: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int
    /// The checksum of the input as stored, once it has been read to its end; nil for providers.
    var digest: String? { get }
}

extension Decoder: ChunkFiller {}

/// Fills chunks from a ``CSVChunkProvider``.
final class ProviderFiller: ChunkFiller {
    let provider: any CSVChunkProvider
    init(provider: any CSVChunkProvider) { self.provider = provider }
    var digest: String? { nil }

    func fill(_ base: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        var filled = 0
        while filled < count {
            let n = try provider.read(into: UnsafeMutableRawBufferPointer(start: base + filled, count: count - filled))
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}

/// Fills chunks with the bytes of one range of a file, read with `pread`.
final class FileRangeFiller: ChunkFiller {
    private let path: String
    private let descriptor: Int32
    private var offset: Int
    private let end: Int
    var digest: String? { nil }

    init(path: String, range: Range<Int>) throws(CSVError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: systemReason(errno)) }
        self.path = path
        self.descriptor = descriptor
        offset = range.lowerBound
        end = range.upperBound
    }

    deinit { close(descriptor) }

    func fill(_ base: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        var filled = 0
        while filled < count && offset < end {
            let n = pread(descriptor, base + filled, min(count - filled, end - offset), off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: systemReason(errno))
            }
            if n == 0 { break }  // the file shrank while being read: its end is where it now ends
            filled += n
            offset += n
        }
        return filled
    }
}
