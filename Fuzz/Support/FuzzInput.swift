// What every fuzz target shares: the input as a temporary file for readers that want a path, a chunk
// provider for readers that take bytes, and a failure that libFuzzer records as a finding.

import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import UnitCost

/// One libFuzzer input, with the ways the readers under test want it.
public struct FuzzInput {
    /// The input's bytes.
    public let bytes: [UInt8]

    /// Copies libFuzzer's buffer.
    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The input as UTF-8 text, invalid sequences replaced.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Runs `body` with the input written to a fresh temporary file named `…/input<suffix>`, removed afterwards.
    ///
    /// The file lives in a directory of its own so a reader that globs or opens siblings sees only it.
    public func withFile<T>(suffix: String = "", _ body: (String) throws -> T) rethrows -> T {
        try FuzzInput.withFile(bytes, suffix: suffix, body)
    }

    /// Runs `body` with `bytes` written to a fresh temporary file; see ``withFile(suffix:_:)``.
    public static func withFile<T>(_ bytes: [UInt8], suffix: String = "", _ body: (String) throws -> T) rethrows -> T {
        var template = Array("/tmp/unitcost-fuzz-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fuzzFailure("mkdtemp failed: \(errno)") }
        let directory = String(cString: made)
        let path = directory + "/input" + suffix
        guard let file = fopen(path, "wb") else { fuzzFailure("cannot create \(path)") }
        if !bytes.isEmpty { _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, file) } }
        fclose(file)
        defer {
            unlink(path)
            rmdir(directory)
        }
        return try body(path)
    }
}

/// Hands a byte array to `CSVScanner` in pieces of a chosen size, so records straddle chunk borders.
public final class BytesProvider: CSVChunkProvider {
    private let bytes: [UInt8]
    private let piece: Int
    private var offset = 0

    /// Serves `bytes`, at most `piece` bytes per read.
    public init(_ bytes: [UInt8], piece: Int) {
        self.bytes = bytes
        self.piece = max(1, piece)
    }

    /// Copies the next piece into `buffer`; 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        let count = min(piece, buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

/// Reports a broken invariant: prints it and aborts, which libFuzzer records as a crash with the input.
public func fuzzFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    let text = Array("fuzz invariant broken (\(file):\(line)): \(message)\n".utf8)
    _ = write(2, text, text.count)
    abort()
}

/// Checks an invariant; see ``fuzzFailure(_:file:line:)``.
public func fuzzCheck(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fuzzFailure(message(), file: file, line: line) }
}

/// `bytes` compressed as one gzip member (what `gzip` writes), for checking that a reader gives the same
/// result on a file and on its `.gz`.
public func gzipped(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    let windowBitsForGzip: Int32 = 15 + 16
    guard deflateInit2_(&stream, 6, Z_DEFLATED, windowBitsForGzip, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
        Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { fuzzFailure("deflateInit2 failed") }
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
    let status = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            stream.next_out = target.baseAddress
            stream.avail_out = UInt32(target.count)
            return deflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END else { fuzzFailure("deflate did not finish: \(status)") }
    return Array(output.prefix(Int(stream.total_out)))
}
