// swift-tools-version:6.0
// libFuzzer targets for the kit's readers (issue 11, item 10). A package of its own, depending
// on the kit by path, so the kit's `swift build` and `swift test` never need libFuzzer.
// Built by `make fuzz` (see the Makefile for the flags: -sanitize=fuzzer,address).
import PackageDescription

let package = Package(
    name: "KitFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "RNNDecomposition", path: "..")],
    targets: [
        // MARK: - Shared by the targets: temporary input files, seeds written at start-up
        .target(name: "FuzzSupport", dependencies: [
            .product(name: "RNNKit", package: "RNNDecomposition"),
            .product(name: "HDF5Kit", package: "RNNDecomposition"),
            .product(name: "Corpora", package: "RNNDecomposition"),
        ]),

        // MARK: - Fuzz targets (one libFuzzer executable each)
        .executableTarget(name: "fuzz-keras", dependencies: ["FuzzSupport", .product(name: "RNNKit", package: "RNNDecomposition")]),
        .executableTarget(name: "fuzz-config", dependencies: ["FuzzSupport", .product(name: "RNNKit", package: "RNNDecomposition"),
                                                              .product(name: "HDF5Kit", package: "RNNDecomposition")]),
        .executableTarget(name: "fuzz-dataset", dependencies: ["FuzzSupport", .product(name: "Corpora", package: "RNNDecomposition")]),
        .executableTarget(name: "fuzz-bleu", dependencies: ["FuzzSupport", .product(name: "Metrics", package: "RNNDecomposition")]),
    ],
    swiftLanguageModes: [.v5]
)
