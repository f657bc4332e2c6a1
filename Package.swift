// swift-tools-version:6.0
// The manifest is the architecture: C shims at the bottom, libraries above them, then the
// tools people run (CLI, chapters, benchmark), then the tests.
import PackageDescription

/// Every experiment chapter may use every library.
let chapterDependencies: [Target.Dependency] = ["RNNKit", "HDF5Kit", "KitFiles", "Notebook", "ChapterRuntime", "Corpora", "Metrics", "Decomposition",
                                               "DecompositionInputs", "Zoo", "Experiments"]

let package = Package(
    name: "RNNDecomposition",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rnn-decompose", targets: ["rnn-decompose"]),
        .library(name: "RNNKit", targets: ["RNNKit"]),
        .library(name: "HDF5Kit", targets: ["HDF5Kit"]),
        // Read by the fuzz targets (Fuzz/Package.swift), with RNNKit.
        .library(name: "Corpora", targets: ["Corpora"]),
        .library(name: "Metrics", targets: ["Metrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // MARK: - C shims
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        // The kit's own GEMM, one order of arithmetic on every CPU: see Sources/CGEMM/include/kit_gemm.h.
        .target(name: "CGEMM", cSettings: [.unsafeFlags(["-O3"])]),
        // renameat2(RENAME_EXCHANGE), which Glibc does not export to Swift; the crash-guard page
        // a worker shares with the CLI process that started it (kit_guard.h).
        .target(name: "CFileOps"),

        // MARK: - Libraries
        .target(name: "KitRandom"),
        // Outputs that never destroy: temporaries, locks, atomic replacement, cleanup on signals.
        .target(name: "KitFiles", dependencies: ["CFileOps"]),
        .target(name: "HDF5Kit", dependencies: ["CHDF5", "CFileOps", "KitFiles"]),
        .target(name: "RNNKit", dependencies: ["HDF5Kit", "KitFiles", "CGEMM", "KitRandom", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(name: "Metrics"),
        .target(name: "Corpora", dependencies: ["HDF5Kit", "KitRandom", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(name: "Decomposition", dependencies: ["RNNKit", "HDF5Kit", "Metrics"]),
        .target(name: "Zoo", dependencies: ["RNNKit", "Corpora", "HDF5Kit", "KitFiles"]),
        // Data sets (Corpora) as the decomposition's inputs, and modules folders: what the CLI and the chapters share.
        .target(name: "DecompositionInputs", dependencies: ["Corpora", "Decomposition", "RNNKit"]),
        // The pure report library: Markdown, SVG, provenance as data. Never prints, never reads the environment.
        .target(name: "Notebook", dependencies: ["KitFiles"]),
        .target(name: "Experiments", dependencies: ["RNNKit", "Corpora", "Decomposition", "DecompositionInputs", "Metrics", "Zoo", "Notebook",
                                                    "HDF5Kit", "KitFiles"]),
        // The executables' half: arguments, environment, terminal output, exit status and work units.
        // The one library target allowed to print or exit; only executables import it (ArchitectureTests).
        .target(name: "ChapterRuntime", dependencies: ["Notebook", "Corpora", "KitFiles", "RNNKit", "Experiments"]),

        // MARK: - Tools
        .executableTarget(name: "rnn-decompose", dependencies: [
            "RNNKit", "HDF5Kit", "Notebook", "Corpora", "Metrics", "Decomposition", "DecompositionInputs", "Zoo", "KitFiles",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "kit-bench", dependencies: ["RNNKit", "HDF5Kit", "Corpora", "Decomposition", "DecompositionInputs", "Zoo", "Experiments"],
                          path: "Benchmarks/kit-bench"),

        // MARK: - Chapters
        .executableTarget(name: "ch01-keras-interop", dependencies: chapterDependencies,
                          path: "chapters/01-keras-interop"),
        .executableTarget(name: "ch02-model-zoo", dependencies: chapterDependencies, path: "chapters/02-model-zoo"),
        .executableTarget(name: "ch03-rq1-decomposition-cost", dependencies: chapterDependencies, path: "chapters/03-rq1-decomposition-cost"),
        .executableTarget(name: "ch04-rq2-reuse", dependencies: chapterDependencies, path: "chapters/04-rq2-reuse"),
        .executableTarget(name: "ch05-rq3-replacement", dependencies: chapterDependencies, path: "chapters/05-rq3-replacement"),
        .executableTarget(name: "ch06-motivating-examples", dependencies: chapterDependencies, path: "chapters/06-motivating-examples"),

        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["Corpora"], path: "Tests/TestSupport"),
        .testTarget(name: "HDF5KitTests", dependencies: ["TestSupport", "HDF5Kit"]),
        // Foreign/: fixtures written by Keras itself (make_foreign.py), found by path.
        .testTarget(name: "RNNKitTests", dependencies: ["TestSupport", "RNNKit", "HDF5Kit", "KitRandom", .product(name: "ZIPFoundation", package: "ZIPFoundation")], exclude: ["Foreign"]),
        .testTarget(name: "TrainingTests", dependencies: ["TestSupport", "RNNKit", "CGEMM", "HDF5Kit", "Zoo", "Corpora"]),
        .testTarget(name: "DecompositionTests", dependencies: ["TestSupport", "Decomposition", "RNNKit", "HDF5Kit", "Metrics", "Corpora", "Experiments", "DecompositionInputs", "Zoo"]),
        .testTarget(name: "MetricsTests", dependencies: ["TestSupport", "Metrics", "KitRandom"]),
        .testTarget(name: "NotebookTests", dependencies: ["TestSupport", "Notebook", "ChapterRuntime", "KitFiles", "Corpora"]),
        .testTarget(name: "CorporaTests", dependencies: ["TestSupport", "Corpora", "HDF5Kit"]),
        // CorruptHDF5/: fuzz findings that crashed libhdf5 1.10 (regression files, read by path).
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "HDF5Kit", "RNNKit", "KitFiles", "CHDF5", "Corpora"], exclude: ["CorruptHDF5"]),
    ],
    swiftLanguageModes: [.v5]
)
