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
}
