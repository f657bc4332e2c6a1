import ArgumentParser
import Corpora
import Foundation
import Notebook

/// `data list` and `data export`: the data sets behind the paper's experiments.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "List, verify and export the data sets.",
        subcommands: [List.self, Export.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every manifest, whether its files were found and verified (sha256), and its counts.")
        @Flag(help: "Only check files and checksums; do not load the data sets.") var noLoad = false

        func run() throws {
            let locator = standardLocator()
            let catalog = try Corpora.catalog(locator: locator)
            // Where the files were looked for, first: a user outside the repository sees why they are missing.
            print("data files are looked for under (in order): " + locator.roots.map(\.path).joined(separator: ", ")
                  + (catalog.contains { !$0.isPresent } ? " — set DATA_DIR (a folder of data files) or SHARED_DIR (a folder holding data/) to look elsewhere" : ""))
            for entry in catalog {
                let manifest = try Corpora.manifest(named: entry.name, locator: locator)
                var status: String
                if !entry.isPresent {
                    status = "missing \(entry.missingFiles.count) file(s): \(entry.missingFiles.joined(separator: ", ")) (not under any of the folders above)"
                } else {
                    do { try locator.verify(manifest); status = "verified (\(entry.bytes) bytes, sha256)" } catch { status = "FAILED: \(error)" }
                }
                print("\(entry.name) — \(entry.title) [\(entry.task.rawValue)], \(entry.license): \(status)")
                guard entry.isPresent, !noLoad, status.hasPrefix("verified") else { continue }
                let s = try Corpora.load(name: entry.name, profile: .paper, locator: locator).summary
                print("  train \(Format.grouped(s.trainCount)), test \(Format.grouped(s.testCount))"
                      + (s.validationCount > 0 ? ", validation \(Format.grouped(s.validationCount))" : "")
                      + "; \(s.numClasses) classes; vocabulary \(Format.grouped(s.vocabSize)); x \(s.inputShape), y \(s.outputShape)")
                print("  " + s.classCounts.map { "\($0.name) \($0.train)/\($0.test)" }.joined(separator: ", "))
            }
            print("synthetic (embedded): " + SyntheticTasks.names.joined(separator: ", "))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a data set, preprocessed by the paper's recipe, as a dataset file (docs/FORMATS.md).")
        @Argument(help: "A data set name (see `data list`), e.g. clinc_oos or synthetic_many_to_one.") var name: String
        @Option(help: "smoke, quick or paper (the paper's full recipe).") var profile: Profile = .paper
        @Option(help: "Dataset file to write (an existing file is replaced only when it is a dataset file, or with --force).") var out: String
        @Flag(help: "Replace whatever file is at --out.") var force = false

        func run() throws {
            let target = try prepareOutput(out, .file, inputs: [], force: force, replaceable: OwnOutput.isDatasetFile)
            let d = try Corpora.load(name: name, profile: profile, locator: standardLocator())
            try DatasetFile.write(d, to: target.temporary)
            try target.commit()
            let s = d.summary
            print("wrote \(out): \(d.name) [\(d.task.rawValue)\(d.synthetic ? ", synthetic" : "")], train \(s.trainCount), test \(s.testCount), "
                  + "\(s.numClasses) classes, vocabulary \(s.vocabSize)"
                  + (d.translation.map { ", source vocabulary \($0.sourceVocabSize), target vocabulary \($0.targetVocabSize)" } ?? ""))
        }
    }
}

extension Profile: ExpressibleByArgument {}
