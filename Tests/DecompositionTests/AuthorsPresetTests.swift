import Corpora
import Decomposition
import DecompositionInputs
import Experiments
import Foundation
import TestSupport
import RNNKit
import Testing

/// The authors' published Clinc rows, reproduced from their own model files. MMA, CMA and JI are
/// the authors' CSV rows (../shared/reference/authors_results/{lstm_rq1_lstm,gru_rq1_gru}_no_gate.csv,
/// Clinc OOS LSTM-1 / GRU-1, rolled), rounded to 6 decimals.
@Suite("Authors' preset", .requiresShared(Shared.clinc, Shared.authorsModels))
struct AuthorsPresetTests {
    func run(_ family: String, preset: DecompositionConfig.Preset, samples: Int = 500, maxRemove: Double? = nil) throws -> DecompositionEvaluation {
        let d = try Corpora.load(name: "clinc_oos", profile: .paper, locator: Shared.dataLocator)
        let model = try Model.loadKeras(path: Shared.path("\(Shared.authorsModels)/\(family)/many_to_one/model1.h5"))
        var config = DecompositionConfig.preset(preset)
        config.samplesPerClass = samples
        if let maxRemove { config.maxRemoveFraction = maxRemove }
        let result = try Decomposer(model: model, config: config).decompose(train: try LabeledData(d, split: "train"))
        return try DecompositionEvaluation.evaluate(model: model, modules: result.modules, test: try LabeledData(d, split: "test"), preset: preset)
    }

    @Test("LSTM-1: MMA 0.931333, CMA 0.930000, JI 0.8334 (their lstm_rq1_lstm_no_gate.csv row)")
    func lstm() throws {
        let e = try run("lstm_models", preset: .authors)
        print("authors preset LSTM-1: MMA \(e.mma) CMA \(e.cma) JI \(e.jaccardMean)")
        #expect(abs(e.mma - 0.931333) < Tolerance.sixDecimals)
        #expect(abs(e.cma - 0.930000) < Tolerance.sixDecimals)
        #expect(abs(e.jaccardMean - 0.833373) < Tolerance.authorsJaccard)
    }

    @Test("GRU-1: MMA 0.943556, CMA 0.941556, JI 0.812230")
    func gru() throws {
        let e = try run("gru_models", preset: .authors)
        print("authors preset GRU-1: MMA \(e.mma) CMA \(e.cma) JI \(e.jaccardMean)")
        #expect(abs(e.mma - 0.943556) < Tolerance.sixDecimals)
        #expect(abs(e.cma - 0.941556) < Tolerance.sixDecimals)
        #expect(abs(e.jaccardMean - 0.812230) < Tolerance.authorsJaccard)
    }

    /// tf.keras 2.21 classifies 4,270 of the 4,500 test utterances correctly with this model:
    /// Tests/Generators/gen_authors_clinc_keras.py (its own Python Clinc recipe, `predict`).
    @Test("the paper preset runs the model as tf.keras does: MMA 0.948889")
    func paperPreset() throws {
        let e = try run("lstm_models", preset: .paper, samples: 50)   // MMA does not depend on the samples
        print("paper preset LSTM-1: MMA \(e.mma) CMA \(e.cma) JI \(e.jaccardMean)")
        #expect(abs(e.mma - 0.948889) < Tolerance.sixDecimals)
        #expect(e.jaccardMean < 1)
    }

    /// The paper's JI for this model (0.8334, Table II) is a readout of the authors' 5 % cap:
    /// the paper's method (paper preset) at cap 0.05 gives it; at the paper's stated 0.2, far less.
    @Test("paper preset at the authors' cap 0.05: JI 0.8334 ± 0.0001; at 0.2 clearly lower")
    func capReadout() throws {
        let at005 = try run("lstm_models", preset: .paper, maxRemove: 0.05)
        let at02 = try run("lstm_models", preset: .paper, maxRemove: 0.2)
        print("paper preset LSTM-1: JI \(at005.jaccardMean) at cap 0.05, \(at02.jaccardMean) at cap 0.2")
        #expect(abs(at005.jaccardMean - 0.8334) <= Tolerance.authorsJaccard)
        #expect(at02.jaccardMean < at005.jaccardMean - 0.1)
    }
}
