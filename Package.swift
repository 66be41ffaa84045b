// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Settings shared by every Swift target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "unitcost",
    products: [
        .executable(name: "unitcost", targets: ["unitcost"]),
        .library(name: "UnitCost", targets: ["UnitCost"]),
    ],
    dependencies: [
        // MARK: Command line
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // MARK: Config and reports
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        // MARK: Tests
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        // MARK: C libraries from Debian packages (scripts/bootstrap installs them)
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // SHA-256 of every input byte, with the CPU's SHA instructions (docs/PERFORMANCE.md).
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // SSE2 and AVX-512 byte matching for the CSV scanner: a header of our own, no library to install.
        .systemLibrary(name: "CScan"),
        // glibc's mallopt for the Parquet reader's buffers (<malloc.h> is not in Swift's Glibc module).
        .systemLibrary(name: "CAlloc"),

        // MARK: The library holds every stage of the pipeline…
        .target(
            name: "UnitCost",
            dependencies: [
                "CLibXML2", "CCmark", "CZlib", "CCrypto", "CScan", "CAlloc",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Release builds skip the run-time exclusivity checks on class properties: the billing
            // readers' per-cell accesses paid about a tenth of their time for them (docs/PERFORMANCE.md).
            // Debug builds, which the tests use, keep every check.
            swiftSettings: swiftSettings + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // …and the executable only parses arguments and calls it.
        .executableTarget(
            name: "unitcost",
            dependencies: [
                "UnitCost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(
            name: "UnitCostTests",
            dependencies: [
                "UnitCost",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// MARK: Fuzz targets (docs/fuzzing.md)
// libFuzzer executables, declared only when UNITCOST_FUZZ=1 so a normal build and `swift test` never see
// them; `scripts/fuzz` sets it and builds them with `-sanitize=fuzzer,address` in `.build-fuzz`.
// Each is a single file exporting `LLVMFuzzerTestOneInput`; libFuzzer supplies `main`.
if ProcessInfo.processInfo.environment["UNITCOST_FUZZ"] == "1" {
    package.targets.append(
        .target(name: "FuzzSupport", dependencies: ["UnitCost", "CZlib", "CLibXML2"], path: "Fuzz/Support", swiftSettings: swiftSettings))
    for name in ["csv", "money", "billing", "jsonmap", "logs", "xml-cj", "xml-impact", "xml-mapped"] {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(name)", dependencies: ["UnitCost", "FuzzSupport"], path: "Fuzz/\(name)",
                swiftSettings: swiftSettings))
    }
}
