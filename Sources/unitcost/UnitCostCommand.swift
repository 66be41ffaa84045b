import ArgumentParser
import UnitCost

import Foundation

@main
struct UnitCostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unitcost",
        abstract: "Turns Amazon Bedrock spend into AI cost per campaign, creative and conversion.",
        discussion: """
            Start with the demo, then point a config at your own CUR 2.0 export.

            Example:
              unitcost demo
              unitcost report --config unitcost.yaml --period 2026-W25
            """,
        version: UnitCost.version,
        subcommands: [Demo.self, Report.self, Check.self, Inspect.self, SQL.self]
    )
}

/// Runs library work and turns its errors into one line on standard error and SPEC §9's exit code.
func runReporting(_ body: () throws(UnitCostError) -> ReportResult) throws {
    do {
        let result = try body()
        print("unitcost: wrote \(result.files.count) files to \(result.destination)/")
        for file in result.files { print("  \(file)") }
        let s = result.summary
        print("unitcost: Bedrock cost \(s.bedrockCost) \(s.currency) = attributed \(s.attributedCost) + unattributed \(s.unattributedCost) (reconciled)")
        if let f = s.finance {
            let a = f.allocation
            let state = s.rejectedBillingRowCount > 0 ? "NOT RECONCILED with the bill: \(s.rejectedBillingRowCount) billing rows rejected" : "reconciled"
            print(
                "unitcost: finance \(f.period.label) \(f.isFinal ? "final" : "PROVISIONAL"): Bedrock cost \(f.inputTotal) \(f.currency) = direct \(a.direct) "
                    + "+ allocated \(a.allocated) + unallocated \(a.unallocated) (\(state))")
        }
        if s.keptGoing {
            print("unitcost: --keep-going: \(s.rejectedRowCount) rows rejected and left out of every figure (\(result.destination)/rejects.csv)")
        }
    } catch {
        StandardError.write(error.description)
        throw ExitCode(error.exitCode)
    }
}

enum StandardError {
    static func write(_ message: String) {
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            FileHandle.standardError.write(Data("unitcost: error: \(line)\n".utf8))
        }
    }
}
