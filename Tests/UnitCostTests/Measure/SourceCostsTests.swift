import Testing

@testable import UnitCost

/// A shape's source cells are kept as the bits of one word (`SourceCosts.cells`): adding a cost through
/// the word reaches the same cells as adding it dimension by dimension, for every dimension and source.
@Suite struct SourceCostsTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func aWordOfCellsAddsWhatEachPairAdds(seed: UInt64) {
        var random = SplitMix(seed: seed)
        var byWord = Ledger.SourceCosts(), byPair = Ledger.SourceCosts()
        for round in 0..<50 {
            var setBy: [Dimension: Attributor.Source] = [:]
            for dimension in Dimension.allCases where random.next() % 2 == 0 {
                setBy[dimension] = Attributor.Source.allCases[Int(random.next() % UInt64(Attributor.Source.allCases.count))]
            }
            let cost = Money(units: Int128(round + 1) * 1_000_000_007)
            byWord.add(cells: Ledger.SourceCosts.cells(setBy), cost)
            for (dimension, source) in setBy { byPair.add(dimension, source, cost) }
        }
        #expect(byWord.dictionary == byPair.dictionary)
        // Every cell of the grid has its own bit.
        let all = Dictionary(uniqueKeysWithValues: Dimension.allCases.map { ($0, Attributor.Source.requestMetadata) })
        #expect(Ledger.SourceCosts.cells(all).nonzeroBitCount == Dimension.allCases.count)
        #expect(Dimension.allCases.count * Attributor.Source.allCases.count <= 64)
    }
}
