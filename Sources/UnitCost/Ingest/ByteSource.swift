// Reads a file as a stream of bytes, inflating gzip on the fly, so the CSV scanner never holds more
// than one chunk plus the record it is working on. Gzip is recognised by its magic bytes (1f 8b), not
// by the file name, and a file made by concatenating gzip members reads as their concatenation, as
// `gzip -dc` does. zlib is called directly: it inflated at 0.57–0.72 GB/s here (research §4).

import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A streaming reader of a file's bytes that inflates gzip files transparently.
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
/// ```
public final class ByteSource {
    /// The path the source was opened with, used in error messages.
    public let path: String

    /// Whether the file starts with the gzip magic bytes and is being inflated.
    public let isGzip: Bool

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

    /// Opens the file at `path` and looks at its first bytes to decide between plain and gzip.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - inputChunkSize: How many raw bytes to read from the file at a time.
    /// - Throws: ``CSVError/cannotOpen(path:reason:)`` if the file cannot be opened or read,
    ///   ``CSVError/gzip(path:message:)`` if zlib cannot start.
    public init(path: String, inputChunkSize: Int = 256 << 10) throws(CSVError) {
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
        self.inputExhausted = sniffed < 2
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
        input.deallocate()
        close(descriptor)
    }

    /// Fills the start of `buffer` with the file's next bytes, inflated if the file is gzip.
    ///
    /// - Returns: The number of bytes written, at least one unless the file has ended; 0 at the end.
    /// - Throws: ``CSVError/gzip(path:message:)`` for a truncated or corrupt gzip stream,
    ///   ``CSVError/readFailed(path:reason:)`` if the system read fails.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        guard buffer.count > 0, let base = buffer.baseAddress else { return 0 }
        if let stream {
            return try inflate(stream, into: base, count: buffer.count)
        }
        if !pending.isEmpty {
            let count = min(pending.count, buffer.count)
            base.copyMemory(from: input.baseAddress! + pending.lowerBound, byteCount: count)
            pending = (pending.lowerBound + count)..<pending.upperBound
            return count
        }
        if inputExhausted { return 0 }
        let count = try readRaw(into: base, count: buffer.count)
        if count == 0 { inputExhausted = true }
        return count
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
                if count == 0 {
                    inputExhausted = true
                } else {
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

    private func readRaw(into base: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        while true {
            let result = systemRead(descriptor, base, count)
            if result >= 0 { return result }
            if errno == EINTR { continue }
            throw .readFailed(path: path, reason: systemReason(errno))
        }
    }
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
