import Foundation
import Testing
import HDF5Kit
@testable import Corpora

@Suite("Dataset files and synthetic tasks")
struct DatasetFileTests {
    @Test(arguments: Task.allCases)
    func roundTrip(task: Task) throws {
        let d = SyntheticTasks.make(task, profile: .smoke)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("d.h5").path
        try DatasetFile.write(d, to: path)
        let back = try DatasetFile.read(from: path)
        #expect(back == d)
        // The attributes other tools read, by name.
        let f = try HDF5File(path: path)
        #expect(try f.root.stringAttribute("task") == task.rawValue)
        #expect(try f.root.numericAttribute("synthetic", as: Int64.self) == [1])
        #expect(try f.root.stringAttribute("source") == "synthetic")
        #expect(try f.root.openDataset("x_train").shape() == d.train.x.shape)
        #expect(try f.root.openDataset("y_test").elementType() == .integer(bits: 32, signed: true))
        #expect(f.root.contains("x_train_target") == (task == .encoderDecoder))
    }

    @Test func missingAttributeIsAnError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.h5").path
        try HDF5File.writeAtomically(to: path) { f in
            try f.root.createDataset("x_train", shape: [1, 2], values: [Int32(1), 2])
        }
        #expect(throws: (any Error).self) { try DatasetFile.read(from: path) }
    }

    @Test(arguments: Task.allCases)
    func syntheticTasksAreDeterministicAndShaped(task: Task) {
        let a = SyntheticTasks.make(task, profile: .smoke), b = SyntheticTasks.make(task, profile: .smoke)
        #expect(a == b)
        #expect(a.synthetic && a.source == "synthetic" && a.task == task)
        #expect(a.train.count == 600 && a.test.count == 200)
        #expect(a.train.x.values.allSatisfy { $0 >= 0 && Int($0) < a.vocabSize })
        #expect(a.train.y.values.allSatisfy { $0 >= 0 && Int($0) < a.numClasses })
        // Every class (or language) occurs, so every module has positives.
        let s = a.summary
        let expectedClasses = task == .encoderDecoder ? 3 : (a.paddingLabel == 0 ? a.numClasses - 1 : a.numClasses)
        #expect(s.classCounts.filter { $0.train > 0 }.count == expectedClasses)
    }

    @Test func syntheticClassesDifferInCues() {
        // Class alpha carries 3 cue tokens, epsilon 1: cue density differs by design.
        let d = SyntheticTasks.make(.manyToOne, profile: .quick)
        func cueShare(_ k: Int32) -> Double {
            let rows = (0..<d.train.count).filter { d.train.y.values[$0] == k }
            let cues = rows.reduce(0) { $0 + d.train.x.row($1).filter { $0 <= 20 }.count }
            return Double(cues) / Double(rows.count)
        }
        #expect(cueShare(0) > 2 * cueShare(4))
    }

    @Test func subsamplingKeepsOrderAndRecordsIt() {
        let d = SyntheticTasks.make(.manyToOne, profile: .paper)
        let s = d.subsampled(for: .smoke)
        #expect(s.train.count == 256 && s.test.count == 128)
        #expect(s.recipe["profile"] == .string("smoke"))
        #expect(s == d.subsampled(for: .smoke))
    }

    /// Chapter 3 samples every class, so a subsample that loses one cannot run (issue 13: smoke
    /// on the real Clinc split dropped class 3). A class left with one example survives.
    @Test func subsamplingNeverLosesAClass() throws {
        var d = SyntheticTasks.make(.manyToOne, profile: .paper)
        let rare = Int32(3), other = Int32(0)
        let rows = (0..<d.train.count).filter { d.train.y.values[$0] == rare }
        try #require(rows.count > 1)
        for r in rows.dropLast() { d.train.y.values[r] = other }
        let s = d.subsampled(for: .smoke)
        #expect(s.train.y.values.contains(rare))
        #expect(Set(s.train.y.values) == Set(d.train.y.values))
        // The kept example lies beyond the shuffled prefix of 256 (seed 20230514), so one is added.
        #expect(s.train.count == 257)
        #expect(s.recipe["subsample"]?["added_to_keep_every_class"] == .number(1))
        // A split that lost no class is the plain prefix, with no extra recipe entry.
        let plain = SyntheticTasks.make(.manyToOne, profile: .paper).subsampled(for: .smoke)
        #expect(plain.train.count == 256 && plain.recipe["subsample"]?["added_to_keep_every_class"] == nil)
    }
}
