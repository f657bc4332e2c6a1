import Foundation
import TestSupport
import Testing
import HDF5Kit

/// `data list`, `data export`, and `predict` on an exported dataset file.
struct DataCLITests {
    let s: Scratch
    init() throws { s = try Scratch() }

    @Test("a synthetic data set exports without any real data, and a kit model predicts on it")
    func syntheticExport() throws {
        let out = s.path("syn.h5")
        let r = try CLIRunner.run(["data", "export", "synthetic_many_to_one", "--profile", "smoke", "--out", out],
                                  in: s.dir, environment: ["DATA_DIR": s.path("nothing")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("synthetic"))
        let f = try HDF5File(path: out)
        #expect(try f.root.stringAttribute("task") == "many_to_one")
        #expect(try f.root.openDataset("x_train").shape().count == 2)
    }

    @Test("data list names what is missing when no data is found")
    func listWithoutData() throws {
        // Both roots pointed at nothing: the runner's own SHARED_DIR (set when ../shared is elsewhere) must not leak in.
        let r = try CLIRunner.run(["data", "list", "--no-load"], in: s.dir,
                                  environment: ["DATA_DIR": s.path("nothing"), "SHARED_DIR": s.path("nothing")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("clinc_oos") && r.stdout.contains("missing"))
    }

    @Test("unknown data set: clear error, non-zero exit, no file")
    func unknownName() throws {
        let out = s.path("x.h5")
        let r = try CLIRunner.run(["data", "export", "no_such_set", "--out", out])
        #expect(r.status != 0 && r.stderr.contains("no_such_set"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// 4,241: what tf.keras 2.21 `predict` gives this model on Clinc rebuilt in Python by the recipe
    /// (Tests/Generators/gen_authors_clinc_keras.py; also ../shared/design/DATA.md). 5,531: that
    /// script's word index (5,530 words) + padding, the model's Embedding input_dim.
    @Test("every real data set is verified, and the authors' Vanilla M:1 model gets exactly 4,241 of 4,500 Clinc test utterances",
          .requiresShared(Shared.data, Shared.authorsModels))
    func clincAccuracy() throws {
        // The CLI finds ../shared by its own rule (SHARED_DIR, else relative to its directory): told the tests' one.
        let env = ["SHARED_DIR": Shared.root.path]
        let list = try CLIRunner.run(["data", "list", "--no-load"], environment: env)
        #expect(list.status == 0)
        #expect(list.stdout.components(separatedBy: "verified (").count - 1 == 7, "\(list.stdout)")
        let data = s.path("clinc.h5")
        let e = try CLIRunner.run(["data", "export", "clinc_oos", "--out", data], environment: env)
        #expect(e.status == 0, "\(e.stderr)")
        #expect(try HDF5File(path: data).root.numericAttribute("vocab_size", as: Int64.self) == [5531], "5,530 words + padding")
        let p = try CLIRunner.run(["predict", Shared.path("\(Shared.authorsModels)/vanilla_rnn_models/many_to_one/model1.h5"),
                                   "--inputs", data, "--output", s.path("pred.h5")], environment: env)
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("correct 4241 of 4500"), "\(p.stdout)")
    }
}
