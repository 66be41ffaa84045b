// Ad platforms export "CSV" in more than one encoding: Google Ads' "Excel" download is UTF-16 LE with a
// byte order mark and tabs between fields (research §1 E1, §2.1), everything else is UTF-8 with or
// without a BOM (E2). The CSV scanner reads UTF-8 only, so this layer sits between the file and the
// scanner: it sniffs the encoding from the first bytes and hands out UTF-8, transcoding UTF-16 chunk by
// chunk. A code unit split across two reads (an odd byte, or a surrogate pair's halves) is carried over,
// so memory stays at one raw chunk and its decoded form, whatever the file's size.
//
// `peek` decodes the first lines ahead of time so a reader can find the header and sniff the delimiter
// before it builds a scanner; what it decoded is replayed by `read(into:)`, so nothing is read twice.

/// A file's text as UTF-8, whatever its encoding: UTF-8 (with or without a byte order mark) or UTF-16
/// (little or big endian, told by its byte order mark or, without one, by where the NUL bytes fall).
///
/// Gzip files are inflated first (``ByteSource``). The byte order mark is not part of the output.
///
/// ```swift
/// let text = try TextDecodingSource(path: "google-ads-excel.csv")   // FF FE, tab-separated
/// text.encoding                                                       // .utf16LittleEndian
/// let scanner = try CSVScanner(path: "google-ads-excel.csv", provider: text, delimiter: UInt8(ascii: "\t"))
/// ```
///
/// Unpaired surrogates and a trailing odd byte become U+FFFD. Invalid UTF-8 passes through unchanged;
/// readers decide per field what to do with it.
public final class TextDecodingSource: CSVChunkProvider {
    /// The encodings the source recognises.
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf16LittleEndian = "UTF-16LE"
        case utf16BigEndian = "UTF-16BE"
    }

    /// The path the source was opened with, used in error messages.
    public let path: String
    /// The encoding sniffed from the first bytes.
    public let encoding: Encoding
    /// Whether the file started with a byte order mark.
    public let hadByteOrderMark: Bool

    private let raw: ByteSource
    private let rawChunk: UnsafeMutableRawBufferPointer
    /// Raw bytes read while sniffing and not yet decoded.
    private var sniffed: [UInt8]
    private var rawEnded = false
    /// UTF-16 only: the first byte of a code unit whose second byte is in the next chunk.
    private var oddByte: UInt8?
    /// UTF-16 only: a high surrogate whose low half is in the next chunk.
    private var highSurrogate: UInt16?
    /// Decoded bytes not yet handed out: `decoded[decodedStart...]`.
    private var decoded: [UInt8] = []
    private var decodedStart = 0

    /// Opens `path` and sniffs its encoding.
    ///
    /// - Parameters:
    ///   - path: The file to read, plain or gzip.
    ///   - chunkSize: How many raw bytes to read at a time; tests use tiny chunks to split code units.
    /// - Throws: ``CSVError/cannotOpen(path:reason:)`` and the read and gzip errors of ``ByteSource``.
    public init(path: String, chunkSize: Int = 1 << 16) throws(CSVError) {
        self.path = path
        raw = try ByteSource(path: path, chunkSize: max(16, min(chunkSize, 256 << 10)))
        rawChunk = .allocate(byteCount: max(1, chunkSize), alignment: 16)
        // Sniff on up to 512 bytes: enough NUL statistics for a BOM-less UTF-16 file.
        var head: [UInt8] = []
        var ended = false
        do {
            while head.count < 512 {
                let count = try raw.read(into: rawChunk)
                if count == 0 {
                    ended = true
                    break
                }
                head.append(contentsOf: UnsafeRawBufferPointer(rebasing: rawChunk[0..<count]))
            }
        } catch {
            rawChunk.deallocate()
            throw error
        }
        let (encoding, bomLength) = TextDecodingSource.sniff(head)
        self.encoding = encoding
        hadByteOrderMark = bomLength > 0
        sniffed = Array(head.dropFirst(bomLength))
        rawEnded = ended
    }

    deinit {
        rawChunk.deallocate()
    }

    /// Tells the encoding from a file's first bytes and how long its byte order mark is.
    static func sniff(_ head: [UInt8]) -> (Encoding, Int) {
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if head.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if head.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        // Without a BOM, text that is mostly ASCII has a NUL in every other byte in UTF-16, and none
        // in UTF-8.
        let pairs = head.count / 2
        guard pairs >= 2 else { return (.utf8, 0) }
        var evenNul = 0
        var oddNul = 0
        for k in 0..<pairs {
            if head[2 * k] == 0 { evenNul += 1 }
            if head[2 * k + 1] == 0 { oddNul += 1 }
        }
        if oddNul * 4 >= pairs * 3 && evenNul * 4 < pairs { return (.utf16LittleEndian, 0) }
        if evenNul * 4 >= pairs * 3 && oddNul * 4 < pairs { return (.utf16BigEndian, 0) }
        return (.utf8, 0)
    }

    /// Fills the start of `buffer` with the next UTF-8 bytes.
    ///
    /// - Returns: The number of bytes written, at least one unless the text has ended; 0 at the end.
    /// - Throws: The read and gzip errors of ``ByteSource``.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        guard buffer.count > 0, let base = buffer.baseAddress else { return 0 }
        while decodedStart == decoded.count {
            // Plain UTF-8 with nothing queued goes straight from the file to the caller.
            if encoding == .utf8 && sniffed.isEmpty {
                if rawEnded { return 0 }
                let count = try raw.read(into: buffer)
                if count == 0 { rawEnded = true }
                return count
            }
            guard try decodeMore() else { return 0 }
        }
        let count = min(buffer.count, decoded.count - decodedStart)
        decoded.withUnsafeBytes { bytes in
            base.copyMemory(from: bytes.baseAddress! + decodedStart, byteCount: count)
        }
        decodedStart += count
        if decodedStart == decoded.count {
            decoded.removeAll(keepingCapacity: true)
            decodedStart = 0
        }
        return count
    }

    /// Decodes ahead until `lines` line breaks or `byteLimit` bytes are queued, or the text ends, and
    /// returns the queued UTF-8; ``read(into:)`` hands the same bytes out again.
    ///
    /// - Parameters:
    ///   - lines: How many line feeds (or lone carriage returns) to look for.
    ///   - byteLimit: Stop once this many bytes are queued, whatever the line count.
    /// - Throws: The read and gzip errors of ``ByteSource``.
    public func peek(lines: Int, byteLimit: Int) throws(CSVError) -> [UInt8] {
        while decoded.count - decodedStart < byteLimit && lineBreaks(in: decoded[decodedStart...]) < lines {
            guard try decodeMore() else { break }
        }
        return Array(decoded[decodedStart...])
    }

    private func lineBreaks(in bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        var previous: UInt8 = 0
        for c in bytes {
            if c == 0x0A && previous != 0x0D { count += 1 }
            if c == 0x0D { count += 1 }
            previous = c
        }
        return count
    }

    /// Reads one raw chunk and appends its decoded form to the queue.
    ///
    /// - Returns: `false` when the raw input has ended and nothing more was queued.
    private func decodeMore() throws(CSVError) -> Bool {
        let before = decoded.count
        if !sniffed.isEmpty {
            let head = sniffed
            sniffed = []
            head.withUnsafeBytes { append($0) }
        } else if !rawEnded {
            let count = try raw.read(into: rawChunk)
            if count == 0 {
                rawEnded = true
            } else {
                append(UnsafeRawBufferPointer(rebasing: rawChunk[0..<count]))
            }
        }
        if rawEnded && sniffed.isEmpty {
            // A lone byte or half a surrogate pair at the very end is not text.
            if oddByte != nil || highSurrogate != nil {
                decoded.append(contentsOf: TextDecodingSource.replacement)
                oddByte = nil
                highSurrogate = nil
            }
        }
        return decoded.count > before || !(rawEnded && sniffed.isEmpty)
    }

    /// U+FFFD in UTF-8.
    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Appends raw bytes to the queue, transcoding UTF-16.
    private func append(_ bytes: UnsafeRawBufferPointer) {
        guard encoding != .utf8 else {
            decoded.append(contentsOf: bytes)
            return
        }
        // Work on locals: every access to a class property pays an exclusivity check.
        var out: [UInt8] = []
        swap(&out, &decoded)
        defer { swap(&out, &decoded) }
        var odd = oddByte
        var high = highSurrogate
        defer {
            oddByte = odd
            highSurrogate = high
        }
        let littleEndian = encoding == .utf16LittleEndian
        out.reserveCapacity(out.count + bytes.count * 3 / 2 + 4)
        var i = 0
        let n = bytes.count
        while i < n {
            let first: UInt8
            if let pending = odd {
                first = pending
                odd = nil
            } else {
                first = bytes[i]
                i += 1
                guard i < n else {
                    odd = first
                    break
                }
            }
            let second = bytes[i]
            i += 1
            let unit = littleEndian ? UInt16(first) | UInt16(second) << 8 : UInt16(first) << 8 | UInt16(second)
            if unit < 0x80 && high == nil {
                out.append(UInt8(unit))
                continue
            }
            if let pendingHigh = high {
                high = nil
                if (0xDC00...0xDFFF).contains(unit) {
                    TextDecodingSource.appendScalar(0x10000 + (UInt32(pendingHigh - 0xD800) << 10) + UInt32(unit - 0xDC00), to: &out)
                    continue
                }
                out.append(contentsOf: TextDecodingSource.replacement)
            }
            switch unit {
            case 0xD800...0xDBFF: high = unit
            case 0xDC00...0xDFFF: out.append(contentsOf: TextDecodingSource.replacement)
            default: TextDecodingSource.appendScalar(UInt32(unit), to: &out)
            }
        }
    }

    private static func appendScalar(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
