import Testing

@testable import UnitCost

/// The decoders on hand-made bytes, including hostile ones: every length is checked, nothing reads
/// or writes outside its buffer.
@Suite struct ParquetCodecTests {
    func snappy(_ bytes: [UInt8], expected: Int) throws(ParquetError) -> [UInt8] {
        try bytes.withBytes { (b) throws(ParquetError) in try Snappy.decompress(b, expected: expected) }
    }

    @Test func snappyLiteralsAndCopies() throws {
        // "abcd" literal, then a 1-byte-offset copy of 8 bytes at offset 4 (overlapping: a run),
        // then a 2-byte-offset copy of 3 bytes at offset 12.
        let block: [UInt8] = [15, 3 << 2, 97, 98, 99, 100, 0b000_100_01 | (0 << 5), 4, (3 - 1) << 2 | 2, 12, 0]
        #expect(try snappy(block, expected: 15) == Array("abcdabcdabcdabc".utf8))
        // A literal whose length is in one extra byte (tag 60 << 2).
        let long = [UInt8](repeating: 120, count: 70)
        #expect(try snappy([70, 60 << 2, 69] + long, expected: 70) == long)
    }

    /// Random blocks of every element kind — short and long literals, copies near and far, overlapping
    /// runs, elements ending right at the block's end — built together with the output a byte-by-byte
    /// reading of the format gives: the decoder's word-at-a-time paths must give the same bytes.
    @Test func snappyRandomBlocksDecodeByteForByte() throws {
        var random = SplitMix(seed: 20261129)
        for round in 0..<300 {
            var expected: [UInt8] = [], elements: [UInt8] = []
            let target = Int(random.next() % 3000) + 1
            while expected.count < target {
                let room = target - expected.count
                if expected.isEmpty || random.next() % 3 == 0 {
                    let length = min(room, Int(random.next() % (random.next() % 4 == 0 ? 200 : 20)) + 1)
                    if length <= 60 {
                        elements.append(UInt8(length - 1) << 2)
                    } else {
                        elements += [60 << 2, UInt8(length - 1)]
                    }
                    for _ in 0..<length {
                        let byte = UInt8(truncatingIfNeeded: random.next())
                        elements.append(byte)
                        expected.append(byte)
                    }
                } else {
                    let offset = Int(random.next() % UInt64(min(expected.count, random.next() % 2 == 0 ? 24 : 3000))) + 1
                    var length = min(room, Int(random.next() % 64) + 1)
                    if offset < 2048, length >= 4, random.next() % 2 == 0 {
                        length = min(length, 11)
                        elements += [UInt8(offset >> 8) << 5 | UInt8(length - 4) << 2 | 1, UInt8(offset & 0xFF)]
                    } else if random.next() % 2 == 0 {
                        elements += [UInt8(length - 1) << 2 | 2, UInt8(offset & 0xFF), UInt8(offset >> 8)]
                    } else {
                        elements += [UInt8(length - 1) << 2 | 3, UInt8(offset & 0xFF), UInt8(offset >> 8), 0, 0]
                    }
                    for _ in 0..<length { expected.append(expected[expected.count - offset]) }
                }
            }
            var block: [UInt8] = []
            var length = expected.count
            repeat {
                block.append(UInt8(length & 0x7F) | (length >= 0x80 ? 0x80 : 0))
                length >>= 7
            } while length > 0
            block += elements
            #expect(try snappy(block, expected: expected.count) == expected, "round \(round)")
        }
    }

    @Test(arguments: [
        ([5, 4 << 2, 1, 2], 5, "snappy: a literal of 5 bytes at byte 2 runs past the end of the block"),
        ([4, 0 << 2 | 1, 9], 4, "snappy: copy offset 9 at byte 3 reaches before the start of the output"),
        ([2, 1 << 2, 1, 2, 1, 1], 2, "snappy: a copy at byte 6 writes past the declared length 2"),
        ([3, 0, 65], 3, "snappy: the block holds 1 bytes but declares 3"),
        ([0x80, 0x80, 0x80, 0x80, 0x80, 1], 0, "snappy: the length preamble is longer than 5 bytes"),
        ([4, 12, 1, 2, 3, 4], 5, "snappy: the block declares 4 bytes but the page header says 5"),
    ] as [([UInt8], Int, String)])
    func snappyRefusesCorruptBlocks(_ block: [UInt8], _ expected: Int, _ message: String) {
        #expect(throws: ParquetError(message)) { try snappy(block, expected: expected) }
    }

    func rle<T: FixedWidthInteger & UnsignedInteger>(_ bytes: [UInt8], width: Int, count: Int, as _: T.Type = UInt32.self) throws(ParquetError) -> [T] {
        try bytes.withBytes { (b) throws(ParquetError) in
            var decoder = try RLEHybridDecoder(b, bitWidth: width)
            var out: [T] = []
            try decoder.decode(count, into: &out)
            return out
        }
    }

    @Test func rleAndBitPackedRuns() throws {
        // A run of 5 × 3 (header 5 << 1), then one bit-packed group of 8 values 0…7 at width 3
        // (header 1 << 1 | 1): 0b10_001_000, 0b1_100_011_0, 0b111_110_10.
        let bytes: [UInt8] = [10, 3, 3, 0b1000_1000, 0b1100_0110, 0b1111_1010]
        #expect(try rle(bytes, width: 3, count: 13) == [3, 3, 3, 3, 3, 0, 1, 2, 3, 4, 5, 6, 7])
        // A padded last group: only the values asked for are taken.
        #expect(try rle(bytes, width: 3, count: 7) == [3, 3, 3, 3, 3, 0, 1])
        #expect(try rle([], width: 0, count: 4) == [0, 0, 0, 0])
    }

    /// Levels are kept as bytes, so a column nested deeper than 255 levels is refused by name before a
    /// page is read; 255 itself is read.
    @Test func aColumnNestedDeeperThanBytesHoldIsRefused() {
        func decode(maxDefinition: Int) -> ParquetColumnReader.Failure? {
            let leaf = ParquetSchema.Leaf(path: ["deep"], element: ParquetMetadata.SchemaElement(), maxDefinition: maxDefinition, maxRepetition: 0)
            var chunk = ParquetMetadata.ColumnChunk()
            chunk.type = .int32
            let reader = ParquetColumnReader(leaf: leaf, chunk: chunk)
            do throws(ParquetColumnReader.Failure) {
                _ = try reader.decode(UnsafeRawBufferPointer(start: nil, count: 0))
                return nil
            } catch {
                return error
            }
        }
        let refused = decode(maxDefinition: 256)
        #expect(refused?.page == nil && refused?.error == ParquetError("a column nested 256 levels deep is not supported (at most 255)"))
        #expect(decode(maxDefinition: 255) == nil)
    }

    /// Levels are decoded as bytes: the same runs give the same values, and a stream wider than a byte
    /// is refused rather than cut.
    @Test func levelsDecodeAsBytes() throws {
        func bytes(_ stream: [UInt8], width: Int, count: Int) throws(ParquetError) -> [UInt8] { try rle(stream, width: width, count: count, as: UInt8.self) }
        let stream: [UInt8] = [10, 3, 3, 0b1000_1000, 0b1100_0110, 0b1111_1010]
        #expect(try bytes(stream, width: 3, count: 13) == [3, 3, 3, 3, 3, 0, 1, 2, 3, 4, 5, 6, 7])
        #expect(try bytes(stream, width: 3, count: 13).map(UInt32.init) == rle(stream, width: 3, count: 13, as: UInt32.self))
        #expect(throws: ParquetError("rle: values of 9 bits where at most 8 are read")) { try bytes([2, 1, 1], width: 9, count: 1) }
    }

    /// Random hybrid streams at every width — bit-packed runs of one to many groups, repeated runs,
    /// a count ending inside a run — against the values they were built from, bit by bit.
    @Test func rleRandomStreamsDecodeToTheirValues() throws {
        var random = SplitMix(seed: 9)
        for width in 0...32 {
            for round in 0..<20 {
                var values: [UInt32] = [], bytes: [UInt8] = []
                let limit: UInt64 = width == 32 ? UInt64(UInt32.max) + 1 : 1 << UInt64(width)
                for _ in 0..<Int(random.next() % 12) + 1 {
                    if width > 0, random.next() % 2 == 0 {
                        let groups = Int(random.next() % 40) + 1
                        bytes.append(contentsOf: varint(groups << 1 | 1))
                        var packed = [UInt8](repeating: 0, count: groups * width)
                        for v in 0..<groups * 8 {
                            let value = UInt32(truncatingIfNeeded: random.next() % limit)
                            values.append(value)
                            for b in 0..<width where value >> UInt32(b) & 1 == 1 { packed[(v * width + b) / 8] |= 1 << UInt8((v * width + b) % 8) }
                        }
                        bytes += packed
                    } else {
                        let run = Int(random.next() % 300) + 1
                        let value = UInt32(truncatingIfNeeded: random.next() % limit)
                        bytes.append(contentsOf: varint(run << 1))
                        for b in 0..<(width + 7) / 8 { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(8 * b))) }
                        values += repeatElement(value, count: run)
                    }
                }
                let count = values.count - Int(random.next() % UInt64(min(values.count, 7)))
                #expect(try rle(bytes, width: width, count: count) == Array(values.prefix(count)), "width \(width), round \(round)")
                if width <= 8 {
                    // Levels: the same stream into bytes (one-bit groups take their own path there).
                    #expect(try rle(bytes, width: width, count: count, as: UInt8.self) == values.prefix(count).map { UInt8($0) }, "width \(width), round \(round), bytes")
                }
            }
        }
    }

    func varint(_ value: Int) -> [UInt8] {
        var out: [UInt8] = [], v = value
        repeat {
            out.append(UInt8(v & 0x7F) | (v >= 0x80 ? 0x80 : 0))
            v >>= 7
        } while v > 0
        return out
    }

    @Test func rleRefusesShortRuns() {
        #expect(throws: ParquetError("rle: a bit-packed run of 8 values is cut short")) { try rle([3, 0xff], width: 3, count: 8) }
        #expect(throws: ParquetError("rle: a run header is cut short")) { try rle([4, 1], width: 1, count: 5) }
        #expect(throws: ParquetError("rle: a repeated value 7 is wider than 2 bits")) { try rle([4, 7], width: 2, count: 2) }
    }

    @Test func deltaBinaryPackedFromTheSpecification() throws {
        // parquet-format Encodings.md example: 7, 5, 3, 1, 2, 3, 4, 5 — block 128, 4 miniblocks of 32,
        // min delta -2, deltas after subtracting it 0 0 0 3 3 3 3 in 2 bits.
        var bytes: [UInt8] = [0x80, 0x01, 4, 8, 14, 3]
        bytes += [2, 0, 0, 0]
        var packed = [UInt8](repeating: 0, count: 8)
        for (i, v) in [0, 0, 0, 3, 3, 3, 3].enumerated() { packed[i * 2 / 8] |= UInt8(v) << UInt8(i * 2 % 8) }
        bytes += packed
        let (values, used) = try bytes.withBytes { (b) throws(ParquetError) in try ParquetValueDecoder.deltaBinaryPacked(b) }
        #expect(values == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(used == bytes.count)
    }

    @Test func thriftSkipsUnknownFieldsAndBoundsNesting() throws {
        // struct { 1: i32 = 21 (zigzag 42), 2: unknown struct { 1: binary "ab" }, 3: list<i32> [1, -1] }
        let bytes: [UInt8] = [0x15, 42, 0x1c, 0x18, 2, 97, 98, 0, 0x19, 0x25, 2, 1, 0]
        var first: Int32 = 0
        var list: [Int32] = []
        try bytes.withBytes { (b) throws(ParquetError) in
            var r = ThriftCompactReader(b)
            try r.fields { r, id, _ throws(ParquetError) in
                switch id {
                case 1: first = try r.i32()
                case 3: list = try r.list { r, _ throws(ParquetError) in try r.i32() }
                default: return false
                }
                return true
            }
        }
        #expect(first == 21)
        #expect(list == [1, -1])
        let deep = [UInt8](repeating: 0x1c, count: 100)
        #expect(throws: ParquetError("thrift: structures nest deeper than 64 levels")) {
            try deep.withBytes { (b) throws(ParquetError) in
                var r = ThriftCompactReader(b)
                try r.fields { _, _, _ throws(ParquetError) in false }
            }
        }
        #expect(throws: ParquetError("thrift: a 200-byte string at byte 3 runs past the end of the structure")) {
            try [UInt8]([0x18, 200, 1]).withBytes { (b) throws(ParquetError) in
                var r = ThriftCompactReader(b)
                try r.fields { _, _, _ throws(ParquetError) in false }
            }
        }
    }

    /// PLAIN fixed-width values, page after page into one column: each page's values are appended
    /// after the previous ones, little-endian, and a page too short for its count is refused.
    @Test func plainFixedWidthValuesAppendPageAfterPage() throws {
        func little<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        func decode(_ pages: [[UInt8]], counts: [Int], _ type: ParquetMetadata.PhysicalType) throws(ParquetError) -> ParquetValues {
            var values = ParquetValues.empty(type)
            for (page, count) in zip(pages, counts) {
                let used = try page.withBytes { (b) throws(ParquetError) in try ParquetValueDecoder.plain(b, count: count, type: type, typeLength: -1, into: &values) }
                #expect(used == page.count)
            }
            return values
        }
        guard case .int32(let ints) = try decode([little(Int32(-7)) + little(Int32(1 << 30)), little(Int32(42))], counts: [2, 1], .int32) else { Issue.record("not int32"); return }
        #expect(ints == [-7, 1 << 30, 42])
        guard case .int64(let longs) = try decode([little(Int64.min), little(Int64(5)) + little(Int64(-1))], counts: [1, 2], .int64) else { Issue.record("not int64"); return }
        #expect(longs == [.min, 5, -1])
        let doubles: [Double] = [0.0116, -2.5e-10, 1e300, 3]
        let doublePages = doubles.map { little($0.bitPattern) }
        guard case .double(let d) = try decode([doublePages[0] + doublePages[1], [], doublePages[2] + doublePages[3]], counts: [2, 0, 2], .double) else { Issue.record("not double"); return }
        #expect(d.map(\.bitPattern) == doubles.map(\.bitPattern))
        guard case .float(let f) = try decode([little(Float(1.5).bitPattern), little(Float(-0.25).bitPattern)], counts: [1, 1], .float) else { Issue.record("not float"); return }
        #expect(f == [1.5, -0.25])
        let stamp = little(UInt64(3_600_000_000_000)) + little(UInt32(2_461_207))
        guard case .int96(let t) = try decode([stamp, stamp + stamp], counts: [1, 2], .int96) else { Issue.record("not int96"); return }
        #expect(t == Array(repeating: ParquetInt96(nanosOfDay: 3_600_000_000_000, julianDay: 2_461_207), count: 3))
        #expect(t[0].unixSeconds == (2_461_207 - 2_440_588) * 86_400 + 3600)
        #expect(throws: ParquetError("plain: 2 values need 16 bytes, the page holds 12")) { try decode([stamp], counts: [2], .double) }
    }
}
