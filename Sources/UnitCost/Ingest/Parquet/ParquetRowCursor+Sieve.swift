// Nine CUR rows in ten are not Bedrock, and all the reader does with one is count it: its payer and
// billing period's coverage (rows, rows with an invoice id, the latest usage end) and its invoice's
// billed total (SPEC §6.3). For CUR 2.0 Parquet, the loading thread does that for a whole row group
// at once, column by column, before the group is handed to the reader — which then visits only the
// rows that may be Bedrock. The test is the reader's own (`BillingReader.classify`) on the same cell
// text, decided once per dictionary entry; a row it is not sure of (a Bedrock or AgentCore product
// code, an `AWS Marketplace` billing entity, a billing period that is not a date) is left to the
// reader, so every row is still counted, rejected or read exactly as before.

extension ParquetRowCursor {
    /// Where the cells the sieve reads are, by top-level column; nil for a column the file lacks.
    struct BulkPlan: Sendable {
        var productCode: Int
        var billingEntity: Int?
        var payer: Int?
        var billingPeriod: Int
        var invoice: Int?
        var lineItemType: Int
        var usageEnd: Int
        /// The billed cost (CUR's unblended cost).
        var cost: Int?
        /// Columns the sieve reads, which the cursor must decode.
        var columns: Set<Int> { Set([productCode, billingPeriod, lineItemType, usageEnd] + [billingEntity, payer, invoice, cost].compactMap { $0 }) }
    }

    /// What the sieve counted for one payer × billing period × billing entity × invoice of a row group.
    struct BulkTotal: Sendable, Equatable {
        var payer: String
        var billingPeriod: Day
        var billingEntity: String
        /// Nil for rows without an invoice id.
        var invoiceID: String?
        var rows = 0
        /// Rows whose billed cost could not be read.
        var unreadable = 0
        var allServices = Money.zero
        /// The latest end of a `Usage` line.
        var lastUsageEnd: Timestamp?
    }

    /// Splits rows `rows` of a row group into those the reader must visit (returned in order) and the
    /// plainly not-Bedrock rest, counted per payer × period × entity × invoice.
    static func sieve(_ columns: [Column?], _ plan: BulkPlan, rows: Range<Int>) -> (kept: [Int32], totals: [BulkTotal]) {
        var scratch: [UInt8] = []
        guard let code = columns[plan.productCode], let period = columns[plan.billingPeriod], let type = columns[plan.lineItemType],
            let end = columns[plan.usageEnd]
        else { return (rows.map { Int32($0) }, []) }
        let entity = plan.billingEntity.flatMap { columns[$0] }
        let payer = plan.payer.flatMap { columns[$0] }
        let invoice = plan.invoice.flatMap { columns[$0] }
        let cost = plan.cost.flatMap { columns[$0] }

        /// A per-entry memo: -1 until decided.
        func memo(_ column: Column?) -> [Int8] { Array(repeating: -1, count: column?.entries ?? 0) }
        var codeIsOther = memo(code), entityIsMarketplace = memo(entity), typeIsUsage = memo(type)
        var periodDays: [Day?] = Array(repeating: nil, count: period.entries)
        var periodKnown = memo(period)
        var ends: [Timestamp?] = Array(repeating: nil, count: end.entries)
        var endKnown = memo(end)

        // Totals by the entries of (payer, period, entity, invoice); -1 stands for null.
        struct Slot: Hashable {
            var payer: Int32, period: Int32, entity: Int32, invoice: Int32
        }
        var slots: [Slot: Int] = [:]
        var totals: [BulkTotal] = []
        var last = Slot(payer: -2, period: -2, entity: -2, invoice: -2)
        var lastIndex = -1
        var kept: [Int32] = []
        kept.reserveCapacity(rows.count / 4)

        for row in rows {
            let codeEntry = Int(code.indices[row])
            if codeEntry >= 0 {
                if codeIsOther[codeEntry] < 0 { codeIsOther[codeEntry] = isOtherService(code.cell(codeEntry, &scratch)) ? 1 : 0 }
                guard codeIsOther[codeEntry] == 1 else {
                    kept.append(Int32(row))
                    continue
                }
            }
            let entityEntry = entity.map { Int($0.indices[row]) } ?? -1
            if entityEntry >= 0, let entity {
                if entityIsMarketplace[entityEntry] < 0 {
                    entityIsMarketplace[entityEntry] = BillingReader.equals(entity.cell(entityEntry, &scratch), "AWS Marketplace") ? 1 : 0
                }
                guard entityIsMarketplace[entityEntry] == 0 else {
                    kept.append(Int32(row))
                    continue
                }
            }
            let periodEntry = Int(period.indices[row])
            if periodEntry >= 0, periodKnown[periodEntry] < 0 {
                periodDays[periodEntry] = Day(bytes: period.cell(periodEntry, &scratch))
                periodKnown[periodEntry] = 1
            }
            guard periodEntry >= 0, let day = periodDays[periodEntry] else {
                kept.append(Int32(row))
                continue
            }
            let slot = Slot(
                payer: payer?.indices[row] ?? -1, period: Int32(periodEntry), entity: Int32(entityEntry), invoice: invoice?.indices[row] ?? -1)
            let index: Int
            if slot == last {
                index = lastIndex
            } else if let known = slots[slot] {
                index = known
            } else {
                index = totals.count
                let invoiceText = invoice.map { String(decoding: $0.cell(row: row, &scratch), as: UTF8.self) } ?? ""
                totals.append(
                    BulkTotal(
                        payer: payer.map { String(decoding: $0.cell(row: row, &scratch), as: UTF8.self) } ?? "", billingPeriod: day,
                        billingEntity: entity.map { String(decoding: $0.cell(row: row, &scratch), as: UTF8.self) } ?? "",
                        invoiceID: invoiceText.isEmpty ? nil : invoiceText))
                slots[slot] = index
            }
            last = slot
            lastIndex = index
            totals[index].rows += 1
            let typeEntry = Int(type.indices[row])
            if typeEntry >= 0 {
                if typeIsUsage[typeEntry] < 0 { typeIsUsage[typeEntry] = BillingReader.equals(type.cell(typeEntry, &scratch), "Usage") ? 1 : 0 }
                if typeIsUsage[typeEntry] == 1 {
                    let endEntry = Int(end.indices[row])
                    if endEntry >= 0 {
                        if endKnown[endEntry] < 0 {
                            ends[endEntry] = Timestamp(bytes: end.cell(endEntry, &scratch))
                            endKnown[endEntry] = 1
                        }
                        if let e = ends[endEntry], e > (totals[index].lastUsageEnd ?? Timestamp(seconds: .min)) { totals[index].lastUsageEnd = e }
                    }
                }
            }
            if let parsed = cost.flatMap({ money($0, row: row, &scratch) }) {
                totals[index].allServices += parsed.value
            } else {
                totals[index].unreadable += 1
            }
        }
        return (kept, totals)
    }

    /// Whether a product code names a service that is neither Bedrock nor AgentCore.
    private static func isOtherService(_ code: UnsafeRawBufferPointer) -> Bool {
        !BillingReader.bedrockProductCodeBytes.contains { BillingReader.equals(code, $0) } && !BillingReader.equals(code, BillingReader.agentCoreProductCode)
    }

    /// Row `row`'s money, as `money(_:)` reads it.
    private static func money(_ column: Column, row: Int, _ scratch: inout [UInt8]) -> Money.Parsed? {
        let k = Int(column.indices[row])
        guard k >= 0 else { return nil }
        if let doubles = column.doubles { return ParquetDoubleCell.money(doubles[k]) }
        return Money.parse(column.cell(k, &scratch))
    }
}
