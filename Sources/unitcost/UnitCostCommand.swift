import ArgumentParser
import UnitCost

@main
struct UnitCostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unitcost",
        abstract: "Turns Amazon Bedrock spend into cost per campaign, creative and conversion.",
        version: UnitCost.version
    )
}
