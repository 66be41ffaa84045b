#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Parquet file opened for reading column chunks one at a time.
///
/// Only the footer is read when the file is opened; each `column(_:in:)` call reads one column chunk's
/// bytes with `pread` and decodes them, so memory follows the size of a row group's chunks, never the
/// file's. Every failure names the file, and where it applies the row group, the column and the page.
///
/// Sendable: every property is a constant, and `column(_:in:)` reads with `pread` at an explicit
/// offset, so `ParquetRowCursor` decodes the next row group on another thread while rows are read.
final class ParquetFile: @unchecked Sendable {
    /// The path read, and the name messages use.
    let path: String
    let display: String
    let metadata: ParquetMetadata
    let schema: ParquetSchema
    /// The file's size in bytes.
    let size: Int64
    private let descriptor: Int32

    /// The first row of each row group, 0-based through the file, and the row count last.
    var rowGroupStarts: [Int] {
        var starts = [0]
        for g in metadata.rowGroups { starts.append(starts.last! + max(0, Int(g.rowCount))) }
        return starts
    }

    /// The largest footer accepted; AWS's footers are tens of kilobytes.
    static let maxFooterBytes = 64 << 20
    /// The largest column chunk read at once.
    static let maxChunkBytes: Int64 = 1 << 31

    init(path: String, display: String) throws(UnitCostError) {
        self.path = path
        self.display = display
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .input("billing \(display): cannot open the file") }
        descriptor = fd
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw .input("billing \(display): cannot read the file's size")
        }
        size = Int64(info.st_size)
        do throws(ParquetError) {
            guard size >= 12 else { throw ParquetError("the file is \(size) bytes, too short for Parquet (at least 12)") }
            let head = try Self.read(fd, at: 0, count: 4)
            let tail = try Self.read(fd, at: size - 8, count: 8)
            if tail[4..<8] == [0x50, 0x41, 0x52, 0x45] { throw ParquetError("the footer is encrypted (PARE); encrypted Parquet is not supported") }
            guard head == [0x50, 0x41, 0x52, 0x31], tail[4..<8] == [0x50, 0x41, 0x52, 0x31] else {
                throw ParquetError("the file does not start and end with PAR1; it is not Parquet or it is cut short")
            }
            let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
            guard length <= Self.maxFooterBytes, Int64(length) <= size - 12 else {
                throw ParquetError("the footer claims \(length) bytes, more than the file can hold")
            }
            let footer = try Self.read(fd, at: size - 8 - Int64(length), count: length)
            let metadata = try footer.withBytes { (b) throws(ParquetError) in try ParquetMetadata(decoding: b) }
            guard !metadata.encrypted else { throw ParquetError("the file's columns are encrypted; encrypted Parquet is not supported") }
            self.metadata = metadata
            schema = try ParquetSchema(metadata.schema)
            for (g, group) in metadata.rowGroups.enumerated() {
                guard group.columns.count == schema.leaves.count else {
                    throw ParquetError("row group \(g) has \(group.columns.count) column chunks for \(schema.leaves.count) schema leaves")
                }
            }
        } catch {
            close(fd)
            throw .input("billing \(display): \(error.message)")
        }
    }

    deinit { close(descriptor) }

    /// Whether the file at `path` starts with Parquet's magic bytes `PAR1`.
    static func hasMagic(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        let n = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 4, 0) }
        return n == 4 && magic == [0x50, 0x41, 0x52, 0x31]
    }

    /// The leaf index of a column path (`line_item_usage_type`, `tags.key_value.key`), if present.
    func leafIndex(_ dotted: String) -> Int? { schema.leaves.firstIndex { $0.dotted == dotted } }

    /// Decodes one column chunk of a row group.
    func column(_ leafIndex: Int, in rowGroup: Int) throws(UnitCostError) -> ParquetColumnData {
        let leaf = schema.leaves[leafIndex]
        let chunk = metadata.rowGroups[rowGroup].columns[leafIndex]
        let place = "billing \(display): row group \(rowGroup), column \(leaf.dotted)"
        guard chunk.filePath == nil else { throw .input("\(place): the column chunk is in another file (\(chunk.filePath!)); external column chunks are not supported") }
        guard !chunk.encrypted else { throw .input("\(place): the column chunk is encrypted; encrypted Parquet is not supported") }
        guard chunk.typeRaw == (leaf.element.type?.rawValue ?? -1) else { throw .input("\(place): the chunk's type does not match the schema") }
        let start = chunk.start
        guard start >= 4, chunk.compressedSize >= 0, chunk.compressedSize <= Self.maxChunkBytes, start + chunk.compressedSize <= size - 8 else {
            throw .input("\(place): the chunk's offset \(start) and size \(chunk.compressedSize) are outside the file")
        }
        let bytes: [UInt8]
        do throws(ParquetError) {
            bytes = try Self.read(descriptor, at: start, count: Int(chunk.compressedSize))
        } catch {
            throw .input("\(place): \(error.message)")
        }
        do throws(ParquetColumnReader.Failure) {
            return try bytes.withBytes { (b) throws(ParquetColumnReader.Failure) in
                try ParquetColumnReader(leaf: leaf, chunk: chunk).decode(b)
            }
        } catch {
            throw .input("\(place)\(error.page.map { ", page \($0)" } ?? ""): \(error.error.message)")
        }
    }

    private static func read(_ fd: Int32, at offset: Int64, count: Int) throws(ParquetError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            guard n > 0 else { throw ParquetError("the file ends or cannot be read at byte \(offset + Int64(done))") }
            done += n
        }
        return out
    }
}
