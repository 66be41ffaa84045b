/// One record's cells by field.
///
/// A fixed array rather than a dictionary: `ConversionField` has `String` raw values, so hashing or
/// comparing it through `RawRepresentable` builds its raw string, which cost more than the rest of a
/// row's work.
struct CSVFeedCells {
    private var storage = [String?](repeating: nil, count: CSVFeedCells.slotCount)

    /// The cell for `field`, nil when the record has none or it is empty.
    subscript(field: ConversionField) -> String? {
        get { storage[CSVFeedCells.slot(field)] }
        set { storage[CSVFeedCells.slot(field)] = newValue }
    }

    static let slotCount = 17

    /// A field's place in the array.
    static func slot(_ field: ConversionField) -> Int {
        switch field {
        case .id: 0
        case .time: 1
        case .endTime: 2
        case .campaign: 3
        case .campaignName: 4
        case .audience: 5
        case .audienceName: 6
        case .creative: 7
        case .creativeName: 8
        case .action: 9
        case .count: 10
        case .value: 11
        case .currency: 12
        case .status: 13
        case .originalID: 14
        case .spend: 15
        case .spendCurrency: 16
        }
    }
}
