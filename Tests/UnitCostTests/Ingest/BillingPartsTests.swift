import Foundation
import Testing

@testable import UnitCost

/// A large plain CSV file is read in two parts on two threads (BillingReader+Parts.swift). Cut anywhere,
/// the result must be the one-thread read's: the same input (row accounting with its rejects and their
/// lines, coverage, invoice totals, checksum), the same ledger, the same error.
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

    /// A read in parts takes the file's checksum as it reads (the halves take it in turns); what is left
    /// when both have ended is pending on another thread when the caller defers it, and is the file's.
    @Test func aReadInPartsChecksumsTheFileAsItReads() throws {
        let fixture = "cur2/hand-computed.csv"
        let period = try Period(parsing: "2026-06")
        var ledger = Ledger(period: period, attributor: Attributor(tags: Self.tags), showSessionNames: false)
        var reader = BillingReader(path: TestPaths.fixture(fixture), displayPath: fixture, period: period, basis: .netUnblended, currency: "USD")
        reader.partsFrom = 0
        var input = try reader.read(into: &ledger, defersChecksum: true)
        #expect(input.readInParts)
        #expect(input.pendingSHA256 != nil)
        try input.resolveChecksum()
        #expect(input.sha256 == (try Self.read(fixture, cut: nil).0.sha256))
        #expect(input.sha256.count == 64)
        // Not deferred: resolved before `read` returns.
        var again = Ledger(period: period, attributor: Attributor(tags: Self.tags), showSessionNames: false)
        let resolved = try reader.read(into: &again, defersChecksum: false)
        #expect(resolved.pendingSHA256 == nil)
        #expect(resolved.sha256 == input.sha256)
    }

    /// The shared checksum taken by two readers at once, saying how far they have read in steps of any
    /// size, then finished: the digest of the file's first `length` bytes (all of them when the file is
    /// shorter), the same on each call.
    @Test func theSharedChecksumIsTheFilesWhateverTheSteps() throws {
        let path = TestPaths.fixture("cur2/hand-computed.csv")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let cases = [(bytes.count, bytes.count / 2, 1), (bytes.count, 100, 7), (bytes.count, bytes.count / 3, 1 << 20), (100, 40, 3), (0, 0, 5), (bytes.count + 50, 64, 64)]
        // Pieces of 5 bytes and a slack of 40: the checksum changes hands many times in a small file.
        for (length, cut, step) in cases {
            let digest = try SharedFileDigest(path: path, display: "cur.csv", length: length, cut: cut, piece: 5, slack: 40)
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let half = part == 0 ? cut : length - cut
                for read in stride(from: 0, through: half, by: step) { digest.reached(read, inPart: part) }
                digest.ended(part: part)
            }
            let expected = SHA256.hex(of: Array(bytes.prefix(length)))
            #expect(try digest.finish() == expected, "length \(length), cut \(cut), steps of \(step)")
            #expect(try digest.finish() == expected)
        }
        // Finished without readers: all of it at once.
        #expect(try SharedFileDigest(path: path, display: "cur.csv", length: bytes.count).finish() == SHA256.hex(of: bytes))
        #expect(throws: UnitCostError.input("cur.csv: cannot open the file to checksum it")) {
            try SharedFileDigest(path: path + ".missing", display: "cur.csv", length: 1)
        }
    }

    /// A reader takes the checksum on when it is behind the bytes both have read, and hashes on while the
    /// other stands still; one whose partner has read all of its half leaves the rest to that one, which
    /// hashes on while the other reads.
    @Test func aReaderTakesTheChecksumUnlessTheOtherHasEnded() throws {
        let path = TestPaths.fixture("cur2/hand-computed.csv")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let length = bytes.count
        let cut = length / 4  // halves of different lengths: shares, not bytes, are compared

        let behind = try SharedFileDigest(path: path, display: "cur.csv", length: length, cut: cut)
        behind.note(cut / 2, inPart: 0)  // half of the first half
        behind.reached((length - cut) / 4, inPart: 1)  // a quarter of the second: behind, but so is the checksum
        #expect(behind.hashed == length)

        let otherDone = try SharedFileDigest(path: path, display: "cur.csv", length: length, cut: cut)
        otherDone.note(length - cut, inPart: 1)
        otherDone.reached(cut, inPart: 0)
        #expect(otherDone.hashed == 0)
        #expect(try otherDone.finish() == SHA256.hex(of: bytes))

        // The first to end hashes on while the other reads: here, where the other stands still, to the end.
        let firstToEnd = try SharedFileDigest(path: path, display: "cur.csv", length: length, cut: cut)
        firstToEnd.note(1, inPart: 0)
        firstToEnd.ended(part: 1)
        #expect(firstToEnd.hashed == length)
        #expect(try firstToEnd.finish() == SHA256.hex(of: bytes))
    }

    /// When a reader takes the checksum on: never once the other has read all of its half; always while
    /// the checksum is behind the bytes both have read; else when no further behind than the other, as a
    /// share of its half. It hashes on while no more than the slack behind. Shares of two 5 GB halves
    /// compare without overflow.
    @Test func aReaderTakesTheChecksumWhenItIsBehindOrTheReaderIsFurtherOn() {
        let mib = 1 << 20
        func takes(_ read: Int, of own: Int, _ otherRead: Int, of other: Int, hashed: Int) -> Bool {
            SharedFileDigest.takesTurn(read: read * mib, of: own * mib, otherRead: otherRead * mib, of: other * mib, hashed: hashed * mib)
        }
        func keeps(_ read: Int, of own: Int, _ otherRead: Int, of other: Int, slack: Int) -> Bool {
            SharedFileDigest.keepsTurn(read: read * mib, of: own * mib, otherRead: otherRead * mib, of: other * mib, slack: slack * mib)
        }
        // The checksum behind the 100 MiB both have read: either takes it, however far behind.
        #expect(takes(50, of: 100, 50, of: 100, hashed: 99))
        #expect(takes(10, of: 100, 90, of: 100, hashed: 99))
        // Ahead of them: the one further on, as a share of its half.
        #expect(takes(50, of: 100, 50, of: 100, hashed: 100))
        #expect(!takes(49, of: 100, 50, of: 100, hashed: 120))
        #expect(takes(10, of: 40, 50, of: 200, hashed: 100))  // a quarter each
        #expect(!takes(10, of: 40, 60, of: 200, hashed: 100))
        // The other at its end: it hashes the rest, even with the checksum behind.
        #expect(!takes(10, of: 40, 200, of: 200, hashed: 0))
        // Hashing on: within the slack, whatever the checksum.
        #expect(keeps(49, of: 100, 50, of: 100, slack: 1))
        #expect(keeps(42, of: 100, 50, of: 100, slack: 8))
        #expect(!keeps(41, of: 100, 50, of: 100, slack: 8))
        #expect(!keeps(10, of: 40, 200, of: 200, slack: 8))
        let fiveGB = 5_000_000_000
        #expect(SharedFileDigest.keepsTurn(read: fiveGB / 2, of: fiveGB, otherRead: fiveGB / 2, of: fiveGB, slack: 0))
        #expect(!SharedFileDigest.keepsTurn(read: fiveGB / 2 - 9 * mib, of: fiveGB, otherRead: fiveGB / 2, of: fiveGB, slack: 8 * mib))
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

    /// A part that fails gives the read in parts up: the other reader, hashing or ended, stops hashing
    /// (the file is read again on one thread, which takes its own checksum).
    @Test func anAbandonedChecksumStopsItsReaders() throws {
        let path = TestPaths.fixture("cur2/hand-computed.csv")
        let length = try Data(contentsOf: URL(fileURLWithPath: path)).count
        let digest = try SharedFileDigest(path: path, display: "cur.csv", length: length, cut: length / 2, piece: 5, slack: 40)
        digest.abandon()
        digest.reached(length / 4, inPart: 0)
        digest.ended(part: 1)  // would wait for part 0, hashing, were it not given up
        #expect(digest.hashed == 0)
    }

    /// The halves read the bytes the file had when the read began; their checksum covers those bytes.
    @Test func theChecksumCoversTheBytesTheHalvesRead() throws {
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
}
