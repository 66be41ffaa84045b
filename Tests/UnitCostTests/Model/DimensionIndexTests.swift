import Testing

@testable import UnitCost

/// `Dimension.index` is a switch: it must stay each dimension's place in `allCases`, which
/// `Dimensions.values` and the attribution mix's grid are laid out by.
@Suite struct DimensionIndexTests {
    @Test func theIndexIsThePlaceInAllCases() {
        #expect(Dimension.allCases.map(\.index) == Array(Dimension.allCases.indices))
    }
}
