import Foundation
import Testing

@testable import UnitCost

/// A large plain CSV file is read from its start on one thread while another hashes its chunks, and its
/// end, from a cut, may be read by that other thread (BillingReader+Parts.swift). Cut anywhere, or not
/// at all, the result must be the one-thread read's: the same input (row accounting with its rejects and
/// their lines, coverage, invoice totals, checksum), the same ledger, the same error.
@Suite struct BillingPartsTests {
    static let files = [
        "cur2/hand-computed.csv", "focus/bedrock.csv", "legacy/bedrock.csv", "hostile/cur.csv", "broken/keep-going/cur.csv",
        "broken/legacy-bad-cost/cur.csv", "broken/cur2-mixed-currency/cur.csv", "broken/cur2-unclosed-quote/cur.csv",
        "fuzz/billing/cur2.csv", "fuzz/billing/focus.csv", "fuzz/billing/legacy.csv", "fuzz/billing/hostile-cur.csv",
    ]

    /// What a read gave, in a form tests compare.
    struct Outcome: Equatable {
        var sha256 = ""
        var family: BillingFamily?
        var accounting = RowAccounting()
        var coverage: [BillingCoverage] = []
        var invoiceTotals: [InvoiceTotal] = []
        var entries: [Ledger.Key: Ledger.Amount] = [:]
        var firstDay: Day?
        var inputCost: [String: Money] = [:]
        var billingPeriodCost: [Day: [String: Money]] = [:]
        /// By dimension, named (Foundation has a `Dimension` too).
        var displayNames: [String: [String: String]] = [:]
        var conflicts: [Attributor.Conflict: Money] = [:]
        var error: String?
    }

    static let tags = [
        TagRule(key: "iamPrincipal/campaign", dimension: .campaign), TagRule(key: "resourceTags/user:campaign", dimension: .campaign),
        TagRule(key: "iamPrincipal/cost-center", dimension: .costCenter),
    ].compactMap { $0 }

    /// Reads `fixture` (on one thread when `cut` is nil), returning the outcome and whether parts were read.
    static func read(_ fixture: String, cut: Int?, period: String = "2026-06", basis: CostBasis = .netUnblended) throws -> (Outcome, Bool) {
        try read(fixture, period: period, basis: basis) { reader in
            if let cut {
                reader.partsFrom = 0
                reader.cutNear = cut
            } else {
                reader.partsFrom = .max
            }
        }
    }

    /// Reads `fixture` with the reader `configure` leaves, returning the outcome and whether parts were read.
    static func read(
        _ fixture: String, period: String = "2026-06", basis: CostBasis = .netUnblended, configure: (inout BillingReader) -> Void
    ) throws -> (Outcome, Bool) {
        let period = try Period(parsing: period)
        var ledger = Ledger(period: period, attributor: Attributor(tags: tags), showSessionNames: false)
        var reader = BillingReader(path: TestPaths.fixture(fixture), displayPath: fixture, period: period, basis: basis, currency: "USD")
        configure(&reader)
        var outcome = Outcome()
        do {
            let input = try reader.read(into: &ledger)
            try ledger.finish()
            outcome.sha256 = input.sha256
            outcome.family = input.family
            outcome.accounting = input.accounting
            outcome.coverage = input.coverage
            outcome.invoiceTotals = input.invoiceTotals
            outcome.entries = Dictionary(uniqueKeysWithValues: ledger.entries.map { ($0.key, $0.value) })
            outcome.firstDay = ledger.firstDay
            outcome.inputCost = ledger.inputCost
            outcome.billingPeriodCost = ledger.billingPeriodCost
            outcome.displayNames = Dictionary(uniqueKeysWithValues: ledger.displayNames.map { ("\($0.key)", $0.value) })
            outcome.conflicts = ledger.conflicts
            return (outcome, input.readInParts)
        } catch {
            outcome.error = "\(error)"
            return (outcome, false)
        }
    }

    /// Byte offsets just before each line feed: a cut there falls right after it, at every line start.
    static func lineFeeds(_ fixture: String) throws -> [Int] {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture(fixture))))
        return bytes.indices.filter { bytes[$0] == 0x0A }
    }

    @Test(arguments: files) func everyCutGivesTheOneThreadRead(_ fixture: String) throws {
        let whole = try Self.read(fixture, cut: nil).0
        var inParts = 0
        for offset in try Self.lineFeeds(fixture) {
            let (parts, usedParts) = try Self.read(fixture, cut: offset)
            #expect(parts == whole, "\(fixture) cut after byte \(offset)")
            if usedParts { inParts += 1 }
        }
        // A file that reads without error is read in parts at most cuts (else this proves nothing).
        if whole.error == nil { #expect(inParts > 0, "\(fixture): no cut was read in parts") }
    }

    /// The scanner's sieve (records plainly not Bedrock have only the fields a row reader reads of them
    /// listed) changes no row: every fixture reads the same with it and without, on one thread and in
    /// parts, errors included (CSVBlockScanTests checks what it leaves out).
    @Test(arguments: files) func theRowSieveGivesTheUnsievedRead(_ fixture: String) throws {
        let unsieved = try Self.read(fixture) { reader in
            reader.sievesCSV = false
            reader.partsFrom = .max
        }.0
        #expect(try Self.read(fixture) { $0.partsFrom = .max }.0 == unsieved, "\(fixture)")
        let cut = try Self.lineFeeds(fixture).dropFirst().first ?? 0
        #expect(
            try Self.read(fixture) { reader in
                reader.partsFrom = 0
                reader.cutNear = cut
            }.0 == unsieved, "\(fixture) in parts")
    }

    /// The reader sieves the rows not Bedrock, on one thread and in parts, and not when told not to
    /// (fixtures' data rows repeated twenty times, so that both parts hold rows the block scan takes).
    @Test func theReaderSievesRowsNotBedrock() throws {
        let period = try Period(parsing: "2026-06")
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for fixture in ["cur2/hand-computed.csv", "legacy/bedrock.csv"] {
            let lines = try String(contentsOfFile: TestPaths.fixture(fixture), encoding: .utf8).split(separator: "\n")
            let text = ([lines[0]] + Array(repeating: lines.dropFirst(), count: 20).flatMap { $0 }).joined(separator: "\n") + "\n"
            let path = try TestPaths.write(text, to: folder + "/" + fixture.replacingOccurrences(of: "/", with: "-"))
            for (partsFrom, sieves) in [(Int.max, true), (0, true), (Int.max, false), (0, false)] {
                var ledger = Ledger(period: period, attributor: Attributor(tags: Self.tags), showSessionNames: false)
                var reader = BillingReader(path: path, displayPath: fixture, period: period, basis: .netUnblended, currency: "USD")
                reader.partsFrom = partsFrom
                reader.sievesCSV = sieves
                reader.cutNear = partsFrom == 0 ? text.utf8.count / 2 : nil
                let input = try reader.read(into: &ledger)
                #expect(input.readInParts == (partsFrom == 0), "\(fixture)")
                // Each file holds rows of other services; the header is read unsieved.
                #expect(sieves ? input.sievedRecords > 0 : input.sievedRecords == 0, "\(fixture), parts from \(partsFrom)")
            }
        }
    }

    /// The reader sieves on the product code and keeps every column it reads of a row not Bedrock, for
    /// each family with a product code; none without one, or when told not to.
    @Test func theReaderSievesOnTheProductCode() throws {
        let period = try Period(parsing: "2026-06")
        for fixture in ["cur2/hand-computed.csv", "legacy/bedrock.csv", "focus/bedrock.csv"] {
            let path = TestPaths.fixture(fixture)
            var reader = BillingReader(path: path, displayPath: fixture, period: period, basis: .netUnblended, currency: "USD")
            let header = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")[0].split(separator: ",").map(String.init)
            let family = try #require(BillingFamily.detect(header: header), "\(fixture)")
            let schema = try BillingSchema(family: family, header: header, file: fixture)
            guard let code = schema[BillingSchema.Field.productCode] else {
                #expect(reader.rowSieve(schema) == nil, "\(fixture)")
                continue
            }
            let sieve = try #require(reader.rowSieve(schema), "\(fixture)")
            #expect(sieve.column == code)
            #expect(sieve.prefix == Array(BillingReader.bedrockProductCodePrefix.utf8))
            let read: [BillingSchema.Field] = [.lineItemType, .billingPeriod, .payer, .invoice, .billingEntity, .usageEnd, .productCode]
            #expect(read.compactMap { schema[$0] }.allSatisfy { $0 < sieve.keep }, "\(fixture)")
            #expect(BillingReader.bedrockProductCodes.allSatisfy { $0.hasPrefix(BillingReader.bedrockProductCodePrefix) })
            #expect("\(BillingReader.agentCoreProductCode)".hasPrefix(BillingReader.bedrockProductCodePrefix))
            reader.sievesCSV = false
            #expect(reader.rowSieve(schema) == nil)
        }
    }

    /// A large file's read takes its checksum as it reads, in parts (cut in the middle, or where tests
    /// choose) or with the other thread only hashing: the checksum is the file's when the read returns,
    /// deferred or not (nothing is left pending).
    @Test func aLargeReadChecksumsTheFileAsItReads() throws {
        let fixture = "cur2/hand-computed.csv"
        let period = try Period(parsing: "2026-06")
        let whole = try Self.read(fixture, cut: nil).0.sha256
        #expect(whole.count == 64)
        let size = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture(fixture))).count
        for splits in [true, false] {
            for (cut, defers) in [(nil, true), (nil, false), (1, true), (1, false)] as [(Int?, Bool)] {
                var ledger = Ledger(period: period, attributor: Attributor(tags: Self.tags), showSessionNames: false)
                var reader = BillingReader(path: TestPaths.fixture(fixture), displayPath: fixture, period: period, basis: .netUnblended, currency: "USD")
                reader.partsFrom = 0
                reader.cutNear = cut
                reader.splitsLargePlain = splits
                let input = try reader.read(into: &ledger, defersChecksum: defers)
                #expect(input.readInParts == splits)
                #expect(input.pendingSHA256 == nil)
                // Hashed from the chunk the rows were read from (the file is one chunk), not read again.
                #expect(input.checksumFromChunks == size)
                #expect(input.sha256 == whole, "split \(splits), cut \(String(describing: cut)), deferred \(defers)")
            }
        }
    }

    /// The checksum's chain, fed the file's first bytes in chunks of any size and hashed by a thread
    /// serving it, by a thread helping between its rows, by the feeder when it needs a chunk back, or
    /// not at all until `finish`, which reads the rest: the digest of the file's first `length` bytes
    /// (all of them when the file is shorter), the same on each call.
    @Test func theChainIsTheFilesDigestWhoeverHashesIt() throws {
        let path = TestPaths.fixture("cur2/hand-computed.csv")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        defer { storage.deallocate() }
        storage.copyBytes(from: bytes)
        enum Hasher: CaseIterable { case serving, helping, feeder, finish }
        let cases = [(bytes.count, bytes.count, 1), (bytes.count, bytes.count / 3, 7), (bytes.count, 100, 1 << 20), (100, 40, 3), (0, 0, 5), (bytes.count + 50, bytes.count, 64)]
        for (length, fed, step) in cases {
            for hasher in Hasher.allCases {
                let chain = try ChainDigest(path: path, display: "cur.csv", length: length)
                let serving = hasher == .serving ? BackgroundResult(.even) { chain.serve() } : nil
                var tickets: [Int] = []
                for start in stride(from: 0, to: fed, by: step) {
                    tickets.append(try #require(chain.enqueue(storage.baseAddress! + start, count: min(step, fed - start))))
                    if hasher == .helping {
                        chain.help()
                        #expect(chain.hashed == start + min(step, fed - start))
                    }
                    if hasher == .feeder, tickets.count > 2 {
                        chain.ensureHashed(tickets[tickets.count - 3])
                        #expect(chain.isHashed(tickets[tickets.count - 3]))
                    }
                }
                if hasher == .serving, let last = tickets.last {
                    // The serving thread hashes every chunk, without anyone asking for the digest.
                    let deadline = Date().addingTimeInterval(10)
                    while !chain.isHashed(last) && Date() < deadline { usleep(1000) }
                    #expect(chain.isHashed(last) && chain.hashed == fed && chain.hashedFromChunks == fed)
                }
                let expected = SHA256.hex(of: Array(bytes.prefix(length)))
                #expect(try chain.finish() == expected, "length \(length), fed \(fed) in steps of \(step), hashed by \(hasher)")
                #expect(try chain.finish() == expected)
                // Finished, it takes no more chunks: they need not be waited for.
                #expect(chain.enqueue(storage.baseAddress!, count: 1) == nil)
                try serving?.value()
            }
        }
        #expect(throws: UnitCostError.input("cur.csv: cannot open the file to checksum it")) {
            try ChainDigest(path: path + ".missing", display: "cur.csv", length: 1)
        }
    }

    /// A chain stopped (the read was given up) hashes nothing more: a wait for a chunk returns, serving
    /// ends, and there is no digest.
    @Test func aStoppedChainHashesNothingMore() throws {
        let path = TestPaths.fixture("cur2/hand-computed.csv")
        let chain = try ChainDigest(path: path, display: "cur.csv", length: 100)
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 10, alignment: 16)
        defer { bytes.deallocate() }
        bytes.initializeMemory(as: UInt8.self, repeating: 0x41)
        let ticket = try #require(chain.enqueue(bytes.baseAddress!, count: 10))
        chain.stop()
        chain.ensureHashed(ticket)
        chain.serve()
        chain.help()
        #expect(chain.hashed == 0)
        #expect(chain.isHashed(ticket))
        #expect(chain.enqueue(bytes.baseAddress!, count: 10) == nil)
        #expect(throws: UnitCostError.self) { try chain.finish() }
    }

    /// The other thread reads the second half's rows when rows cost clearly more (by the margin) than
    /// hashing a byte read again.
    @Test func theSplitPaysWhenRowsCostMoreThanRehashing() {
        #expect(!BillingReader.splitPays(rows: 0.49, hash: 0.5, read: 0.09))
        #expect(!BillingReader.splitPays(rows: 0.6, hash: 0.5, read: 0.09))
        #expect(!BillingReader.splitPays(rows: 0.73, hash: 0.5, read: 0.09))
        #expect(BillingReader.splitPays(rows: 0.74, hash: 0.5, read: 0.09))
        #expect(BillingReader.splitPays(rows: 1.1, hash: 0.5, read: 0.09))
        #expect(!BillingReader.splitPays(rows: .infinity, hash: 0.5, read: 0.09))
        #expect(!BillingReader.splitPays(rows: 1, hash: .infinity, read: 0.09))
    }

    /// Read with the other thread only hashing (as when rows cost no more than hashing them), every
    /// fixture reads as on one thread, errors included.
    @Test(arguments: files) func aLargeReadWithTheOtherThreadHashingGivesTheOneThreadRead(_ fixture: String) throws {
        let whole = try Self.read(fixture, cut: nil).0
        let (hashedAside, inParts) = try Self.read(fixture) { reader in
            reader.partsFrom = 0
            reader.splitsLargePlain = false
        }
        #expect(hashedAside == whole, "\(fixture)")
        #expect(!inParts)
    }

    /// A file large enough to be sampled: the other thread reads the second half's rows from the start,
    /// and this thread times its rows and the checksum over its first megabytes, which say whether the
    /// other goes on or stops and only hashes; either way, the read is the one-thread read's (rows only
    /// Bedrock, which cost more than hashing them; the verdict also fixed both ways).
    @Test func aSampledLargeReadGivesTheOneThreadRead() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lines = try String(contentsOfFile: TestPaths.fixture("cur2/hand-computed.csv"), encoding: .utf8).split(separator: "\n")
        let rows = lines.dropFirst().filter { $0.contains("AmazonBedrock") }
        let needed = (BillingReader.warmUpBytes + BillingReader.sampleBytes) / rows.map { $0.utf8.count + 1 }.reduce(0, +) + 2
        let text = ([lines[0]] + Array(repeating: rows, count: needed).flatMap { $0 }).joined(separator: "\n") + "\n"
        let path = try TestPaths.write(text, to: folder + "/cur.csv")
        let period = try Period(parsing: "2026-06")
        func read(partsFrom: Int, verdict: Bool? = nil) throws -> (BillingInput, [Ledger.Key: Ledger.Amount]) {
            var ledger = Ledger(period: period, attributor: Attributor(tags: Self.tags), showSessionNames: false)
            var reader = BillingReader(path: path, displayPath: "cur.csv", period: period, basis: .netUnblended, currency: "USD")
            reader.partsFrom = partsFrom
            reader.sampleSays = verdict
            // A fixed verdict, with the cut after the sample's end (the middle falls before it here).
            if verdict != nil { reader.cutNear = text.utf8.count - (256 << 10) }
            let input = try reader.read(into: &ledger)
            try ledger.finish()
            return (input, Dictionary(uniqueKeysWithValues: ledger.entries.map { ($0.key, $0.value) }))
        }
        let (whole, wholeEntries) = try read(partsFrom: .max)
        let (sampled, sampledEntries) = try read(partsFrom: 0)
        #expect(whole.accounting.total == rows.count * needed)
        #expect(sampled.accounting == whole.accounting && sampled.coverage == whole.coverage && sampled.invoiceTotals == whole.invoiceTotals)
        #expect(sampled.sha256 == whole.sha256 && sampledEntries == wholeEntries)
        for verdict in [true, false] {
            let (fixed, fixedEntries) = try read(partsFrom: 0, verdict: verdict)
            #expect(fixed.readInParts == verdict)
            #expect(fixed.accounting == whole.accounting && fixed.coverage == whole.coverage && fixed.invoiceTotals == whole.invoiceTotals)
            #expect(fixed.sha256 == whole.sha256 && fixedEntries == wholeEntries, "sample says \(verdict)")
        }
    }

    /// A file as large as a read in parts wants has its header read without a read-ahead thread; one it
    /// cannot read in parts (gzip; a broken gzip stream) is opened again and read on one thread, giving
    /// what a small file's read gives, error included.
    @Test(arguments: ["fuzz/billing/legacy.csv.gz", "broken/cur2-truncated-gzip/cur.csv.gz"])
    func aLargeFileReadOnOneThreadGivesTheSmallFilesRead(_ fixture: String) throws {
        let small = try Self.read(fixture, cut: nil).0
        let (large, inParts) = try Self.read(fixture) { $0.partsFrom = 0 }
        #expect(large == small)
        #expect(!inParts)
        #expect(small.accounting.used > 0 || !small.accounting.outOfScope.isEmpty || small.error != nil)
    }

    /// A large file is read as it was when the read began; its checksum covers those bytes.
    @Test func aFilesChecksumCoversItsFirstBytes() throws {
        let path = TestPaths.fixture("cur2/hand-computed.csv")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try FileDigest.sha256(path: path, display: "cur.csv", length: 100) == SHA256.hex(of: Array(bytes.prefix(100))))
        #expect(try FileDigest.sha256(path: path, display: "cur.csv", length: bytes.count) == SHA256.hex(of: bytes))
        #expect(try FileDigest.sha256(path: path, display: "cur.csv") == SHA256.hex(of: bytes))
    }

    @Test func theLaterPartNumbersItsLinesFromTheFileStart() throws {
        // keep-going/cur.csv rejects rows near its end; cut after its header line, they all fall in the second part.
        let fixture = "broken/keep-going/cur.csv"
        let whole = try Self.read(fixture, cut: nil).0
        let (parts, usedParts) = try Self.read(fixture, cut: try Self.lineFeeds(fixture)[1])
        #expect(usedParts)
        #expect(!whole.accounting.rejects.isEmpty)
        #expect(parts.accounting.rejects.map(\.line) == whole.accounting.rejects.map(\.line))
        #expect(whole.accounting.rejects.allSatisfy { $0.line > 2 })
    }

    @Test func aCutInsideAQuotedFieldIsReadOnOneThread() throws {
        // hand-computed.csv with a line feed inside the first row's tag map cell; a cut right after it.
        let lines = try String(contentsOfFile: TestPaths.fixture("cur2/hand-computed.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        let first = lines[1].replacingOccurrences(of: "spring-sale-26", with: "spring-\nsale-26")
        let text = ([lines[0], first] + lines[2...]).joined(separator: "\n") + "\n"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unitcost-parts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cur.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let bytes = Array(text.utf8)
        let inside = try #require(bytes.indices.first { bytes[$0] == 0x0A && bytes[$0 - 1] == UInt8(ascii: "-") })
        let secondRow = lines[0].utf8.count + 1 + first.utf8.count + 1

        let period = try Period(parsing: "2026-06")
        func read(cut: Int?) throws -> (BillingInput, [Ledger.Key: Ledger.Amount]) {
            var ledger = Ledger(period: period, attributor: Attributor(tags: Self.tags), showSessionNames: false)
            var reader = BillingReader(path: path, displayPath: "cur.csv", period: period, basis: .netUnblended, currency: "USD")
            reader.partsFrom = cut == nil ? .max : 0
            reader.cutNear = cut
            let input = try reader.read(into: &ledger)
            return (input, Dictionary(uniqueKeysWithValues: ledger.entries.map { ($0.key, $0.value) }))
        }
        let (whole, wholeEntries) = try read(cut: nil)
        #expect(whole.accounting.total == lines.count - 1)
        let (cutInside, cutEntries) = try read(cut: inside)
        #expect(!cutInside.readInParts)
        #expect(cutInside.accounting == whole.accounting && cutEntries == wholeEntries)
        // Cut at the start of the second row, the parts join; its lines are one on, past the cell's line feed.
        let (atRow, atRowEntries) = try read(cut: secondRow - 1)
        #expect(atRow.readInParts)
        #expect(atRow.accounting == whole.accounting && atRowEntries == wholeEntries)
    }

    /// A sink that makes no siblings: a large file is read on one thread, the other only hashing, with
    /// the one-thread read's lines.
    @Test func aSinkWithoutSiblingsIsReadOnOneThread() throws {
        struct Lines: BillingSink {
            var lines: [String] = []
            mutating func accept(_ line: CostLine) throws(UnitCostError) {
                var line = line
                line.shape = nil  // numbered per reader
                lines.append("\(line)")
            }
            mutating func noteDailyUsage(account: String, day: Day, cost: Money) {}
        }
        let fixture = "cur2/hand-computed.csv"
        let period = try Period(parsing: "2026-06")
        func read(large: Bool) throws -> (BillingInput, [String]) {
            var reader = BillingReader(path: TestPaths.fixture(fixture), displayPath: fixture, period: period, basis: .netUnblended, currency: "USD")
            reader.partsFrom = large ? 0 : .max
            reader.cutNear = large ? 1 : nil
            var sink = Lines()
            let input = try reader.read(into: &sink)
            return (input, sink.lines)
        }
        let (small, smallLines) = try read(large: false)
        let (large, largeLines) = try read(large: true)
        #expect(!large.readInParts)
        #expect(large.checksumFromChunks > 0)
        #expect(large.accounting == small.accounting && large.sha256 == small.sha256)
        #expect(largeLines == smallLines && !smallLines.isEmpty)
    }

    /// A scanner whose chunks a chain may be hashing leaves their bytes as read: doubled quotes are
    /// collapsed in a copy. Nothing hashes the chunks until the end here, so a collapse in place would
    /// change the digest.
    @Test func aScannerFeedingAChainLeavesItsChunksAsRead() throws {
        let path = TestPaths.fixture("cur2/hand-computed.csv")
        let size = try Data(contentsOf: URL(fileURLWithPath: path)).count
        func fields(_ scanner: CSVScanner) throws -> [[String]] {
            var records: [[String]] = []
            while try scanner.nextRecord() { records.append((0..<scanner.fieldCount).map { scanner.string($0) }) }
            return records
        }
        let chain = try ChainDigest(path: path, display: "cur.csv", length: size)
        let scanner = try CSVScanner(path: path, range: 0..<size, chain: chain)
        let read = try fields(scanner)
        #expect(read == (try fields(CSVScanner(path: path))))
        #expect(read.joined().contains { $0.contains("\"") }, "the fixture has doubled quotes to collapse")
        #expect(try chain.finish() == (try FileDigest.sha256(path: path, display: "cur.csv")))
        #expect(chain.hashedFromChunks == size)
    }

    /// A source's chunks hashed by another thread while the reader takes them faster than it hashes
    /// (the reader here only reads): a chunk is filled again only once hashed, so the digest is the file's
    /// every time, with the reader waiting on a full pool of chunks most of the time.
    @Test func chunksAreRefilledOnlyOnceHashed() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var bytes = [UInt8](repeating: 0, count: 24 << 20)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        let path = folder + "/cur.csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let expected = SHA256.hex(of: bytes)
        for round in 0..<6 {
            let chain = try ChainDigest(path: path, display: "cur.csv", length: bytes.count)
            let serving = BackgroundResult(.even) { chain.serve() }
            let source = try ByteSource(path: path, range: 0..<bytes.count, chunkSize: 1 << 20, headroom: 0, chain: chain)
            var held: ByteSource.Chunk?
            while let chunk = try source.nextChunk() {
                if let held { source.recycle(held) }
                held = chunk
            }
            if let held { source.recycle(held) }
            #expect(try chain.finish() == expected, "round \(round)")
            #expect(chain.hashedFromChunks == bytes.count)
            try serving.value()
        }
    }
}
