import CHDF5
import Corpora
import Foundation
import Testing
import HDF5Kit
import RNNKit

/// The malformed-input corpus of issue 11: every case builds its hostile files here, from a
/// valid model, inputs file, dataset file and modules folder, and runs the CLI on them. Each
/// must end in exit 1 with one line on stderr, no trap (exit 132/133/134), no hang (60 s), no
/// file left behind or changed, under a 4 GiB address-space limit.
struct MalformedInputCorpus {
    struct Case { var name: String; var build: (Scratch) throws -> [String] }

    // MARK: - Base files

    /// Edits the model_config JSON of the model at `path`.
    static func editConfig(_ path: String, _ edit: (inout [String: Any]) throws -> Void) throws {
        let f = try HDF5File(path: path, mode: .readWrite)
        var top = try JSONSerialization.jsonObject(with: Data(try f.root.stringAttribute("model_config").utf8)) as! [String: Any]
        try edit(&top)
        try f.root.setAttribute("model_config", string: String(decoding: try JSONSerialization.data(withJSONObject: top, options: [.fragmentsAllowed]), as: UTF8.self))
        try f.close()
    }

    /// Sets `config[key]` of the layer named `layer` (nested `layer` of TimeDistributed too).
    static func setField(_ path: String, layer: String, _ key: String, _ value: Any) throws {
        try editConfig(path) { top in
            var cfg = top["config"] as! [String: Any]
            var layers = cfg["layers"] as! [[String: Any]]
            let i = layers.firstIndex { ($0["config"] as? [String: Any])?["name"] as? String == layer }!
            var lc = layers[i]["config"] as! [String: Any]
            lc[key] = value
            layers[i]["config"] = lc
            cfg["layers"] = layers
            top["config"] = cfg
        }
    }

    static func setRaw(_ path: String, config: String) throws {
        let f = try HDF5File(path: path, mode: .readWrite)
        try f.root.setAttribute("model_config", string: config)
        try f.close()
    }

    /// Runs `body` with the file open read-write through the C API (for what HDF5Kit
    /// deliberately cannot write: unallocated, external and forged datasets).
    static func raw(_ path: String, _ body: (hid_t) throws -> Void) throws {
        let fid = H5Fopen(path, shim_H5F_ACC_RDWR(), shim_H5P_DEFAULT())
        guard fid >= 0 else { throw CLIFailure(message: "H5Fopen \(path)") }
        defer { H5Fclose(fid) }
        try body(fid)
    }

    /// A chunked float32 or int32 dataset declaring `dims` with no chunk written: a few
    /// bytes on disk, any size declared.
    static func declareHuge(_ fid: hid_t, _ name: String, _ dims: [UInt64], int: Bool = false) {
        let space = H5Screate_simple(Int32(dims.count), dims.map { hsize_t($0) }, nil)
        let dcpl = H5Pcreate(shim_H5P_DATASET_CREATE())
        let chunk = dims.map { hsize_t(min($0, 16)) }
        H5Pset_chunk(dcpl, Int32(dims.count), chunk)
        let lcpl = H5Pcreate(shim_H5P_LINK_CREATE())
        H5Pset_create_intermediate_group(lcpl, 1)
        let d = H5Dcreate2(fid, name, int ? shim_H5T_STD_I32LE() : shim_H5T_IEEE_F32LE(), space, lcpl, dcpl, shim_H5P_DEFAULT())
        H5Dclose(d); H5Pclose(dcpl); H5Pclose(lcpl); H5Sclose(space)
    }

    static func delete(_ fid: hid_t, _ name: String) { H5Ldelete(fid, name, shim_H5P_DEFAULT()) }

    /// Replaces dataset `name` with `values` of `shape` (float32).
    static func replace(_ path: String, _ name: String, shape: [Int], values: [Float]) throws {
        try raw(path) { delete($0, name) }
        let f = try HDF5File(path: path, mode: .readWrite)
        try f.root.createDataset(name, shape: shape, values: values)
        try f.close()
    }

    static func replaceInt(_ path: String, _ name: String, shape: [Int], values: [Int32]) throws {
        try raw(path) { delete($0, name) }
        let f = try HDF5File(path: path, mode: .readWrite)
        try f.root.createDataset(name, shape: shape, values: values)
        try f.close()
    }

    static func setAttr(_ path: String, _ name: String, int v: Int64) throws {
        let f = try HDF5File(path: path, mode: .readWrite)
        try f.root.setAttribute(name, values: [v], shape: [])
        try f.close()
    }

    static func setAttr(_ path: String, _ name: String, string v: String) throws {
        let f = try HDF5File(path: path, mode: .readWrite)
        try f.root.setAttribute(name, string: v)
        try f.close()
    }

    static func removeAttr(_ path: String, _ name: String) throws {
        try raw(path) { fid in H5Adelete(fid, name) }
    }

    static let tokens: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0]

    /// predict on the small model with an inputs file.
    static func predict(_ s: Scratch, model: String) throws -> [String] {
        ["predict", model, "--inputs", try s.inputs(tokens), "--output", s.path("out.h5")]
    }

    // MARK: - The cases

    static var cases: [Case] {
        var all: [Case] = []
        func add(_ name: String, _ build: @escaping (Scratch) throws -> [String]) { all.append(Case(name: name, build: build)) }

        // Sizes in model_config: every field, every kind of wrong value.
        let badSizes: [(String, Any)] = [("-1", -1), ("0", 0), ("7.9", 7.9), ("1e9", 1e9), ("1e30", 1e30), ("-1e30", -1e30),
                                         ("string", "abc"), ("2^32", 4294967296.0), ("2^63", 9.3e18), ("null", NSNull()), ("list", [4])]
        for (layer, key) in [("lstm", "units"), ("dense", "units"), ("embedding", "input_dim"), ("embedding", "output_dim")] {
            for (label, v) in badSizes {
                add("\(layer).\(key) = \(label)") { s in
                    let m = try s.model(); try setField(m, layer: layer, key, v); return try predict(s, model: m)
                }
            }
        }
        for (label, v) in badSizes where label != "null" {
            add("batch_input_shape[1] = \(label)") { s in
                let m = try s.model()
                try editConfig(m) { top in
                    var cfg = top["config"] as! [String: Any]; var layers = cfg["layers"] as! [[String: Any]]
                    var lc = layers[0]["config"] as! [String: Any]; lc["batch_input_shape"] = [NSNull(), v]
                    layers[0]["config"] = lc; cfg["layers"] = layers; top["config"] = cfg
                }
                return try predict(s, model: m)
            }
        }
        add("batch_input_shape rank 100") { s in
            let m = try s.model()
            try editConfig(m) { top in
                var cfg = top["config"] as! [String: Any]; var layers = cfg["layers"] as! [[String: Any]]
                var lc = layers[0]["config"] as! [String: Any]; lc["batch_input_shape"] = [NSNull()] + Array(repeating: 2, count: 99)
                layers[0]["config"] = lc; cfg["layers"] = layers; top["config"] = cfg
            }
            return ["inspect", m]
        }
        // RepeatVector n and a Functional graph: built by hand.
        for (label, v) in badSizes {
            add("RepeatVector.n = \(label)") { s in
                let m = try s.model()
                try editConfig(m) { top in
                    var cfg = top["config"] as! [String: Any]; var layers = cfg["layers"] as! [[String: Any]]
                    layers.insert(["class_name": "RepeatVector", "config": ["name": "rep", "n": v]], at: 3)
                    cfg["layers"] = layers; top["config"] = cfg
                }
                return try predict(s, model: m)
            }
        }

        // model_config structure.
        let configs: [(String, String)] = [
            ("not JSON", "not json {"), ("a JSON number", "42"), ("a JSON list", "[1, 2]"), ("empty object", "{}"),
            ("no config", #"{"class_name": "Sequential"}"#), ("unknown model class", #"{"class_name": "Graph", "config": {"layers": []}}"#),
            ("layers not a list", #"{"class_name": "Sequential", "config": {"layers": 3}}"#),
            ("no layers", #"{"class_name": "Sequential", "config": {"layers": []}}"#),
            ("layer entry a number", #"{"class_name": "Sequential", "config": {"layers": [7]}}"#),
            ("layer without class_name", #"{"class_name": "Sequential", "config": {"layers": [{"config": {}}]}}"#),
            ("functional without inbound_nodes", #"{"class_name": "Functional", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "a", "batch_input_shape": [null, 4]}}, {"class_name": "Dense", "config": {"name": "d", "units": 2}}], "input_layers": [["a", 0, 0]], "output_layers": [["d", 0, 0]]}}"#),
            ("functional cycle", #"{"class_name": "Functional", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "a", "batch_input_shape": [null, 4]}}, {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2}, "inbound_nodes": [[["e", 0, 0, {}]]]}, {"class_name": "Dense", "name": "e", "config": {"name": "e", "units": 2}, "inbound_nodes": [[["d", 0, 0, {}]]]}], "input_layers": [["a", 0, 0]], "output_layers": [["e", 0, 0]]}}"#),
            ("functional tensor index 1e30", #"{"class_name": "Functional", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "a", "batch_input_shape": [null, 4]}}, {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2}, "inbound_nodes": [[["a", 0, 1e30, {}]]]}], "input_layers": [["a", 0, 0]], "output_layers": [["d", 0, 0]]}}"#),
            ("functional tensor index 5", #"{"class_name": "Functional", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "a", "batch_input_shape": [null, 4]}}, {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2}, "inbound_nodes": [[["a", 0, 5, {}]]]}], "input_layers": [["a", 0, 0]], "output_layers": [["d", 0, 0]]}}"#),
            ("functional output of nothing", #"{"class_name": "Functional", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "a", "batch_input_shape": [null, 4]}}], "input_layers": [["a", 0, 0]], "output_layers": [["zz", 0, 0]]}}"#),
            ("JSON nested 100000 deep", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
            ("JSON of 20000 layers", #"{"class_name": "Sequential", "config": {"layers": ["# + Array(repeating: #"{"class_name": "Dropout", "config": {"rate": 0}}"#, count: 20_000).joined(separator: ",") + "]}}"),
        ]
        for (label, json) in configs {
            add("model_config: \(label)") { s in let m = try s.model(); try setRaw(m, config: json); return ["inspect", m] }
        }
        add("duplicate layer names") { s in
            let m = try s.model()
            try editConfig(m) { top in
                var cfg = top["config"] as! [String: Any]; var layers = cfg["layers"] as! [[String: Any]]
                layers.insert(["class_name": "Dropout", "config": ["name": "lstm", "rate": 0]], at: 3)
                cfg["layers"] = layers; top["config"] = cfg
            }
            return try predict(s, model: m)
        }
        add("unknown layer kind") { s in let m = try s.model(); try editConfig(m) { top in
            var cfg = top["config"] as! [String: Any]; var layers = cfg["layers"] as! [[String: Any]]
            layers[2]["class_name"] = "ConvLSTM1D"; cfg["layers"] = layers; top["config"] = cfg }; return try predict(s, model: m) }
        add("unknown activation") { s in let m = try s.model(); try setField(m, layer: "dense", "activation", "swish2"); return try predict(s, model: m) }
        add("stateful") { s in let m = try s.model(); try setField(m, layer: "lstm", "stateful", true); return try predict(s, model: m) }
        add("no model_config") { s in let m = try s.model(); try removeAttr(m, "model_config"); return ["inspect", m] }
        add("model_config an integer attribute") { s in let m = try s.model(); try removeAttr(m, "model_config"); try setAttr(m, "model_config", int: 5); return ["inspect", m] }

        // Weights.
        add("weight deleted") { s in let m = try s.model(); try raw(m) { delete($0, "model_weights/lstm/lstm/lstm_cell/kernel:0") }; return try predict(s, model: m) }
        add("layer group deleted") { s in let m = try s.model(); try raw(m) { delete($0, "model_weights/dense") }; return try predict(s, model: m) }
        add("model_weights deleted") { s in let m = try s.model(); try raw(m) { delete($0, "model_weights") }; return try predict(s, model: m) }
        add("weight_names missing") { s in let m = try s.model(); try raw(m) { fid in H5Adelete_by_name(fid, "model_weights/lstm", "weight_names", shim_H5P_DEFAULT()) }; return try predict(s, model: m) }
        for (label, shape) in [("transposed", [16, 3]), ("rank 1", [48]), ("one row short", [2, 16]), ("empty", [0, 16])] {
            add("kernel \(label)") { s in
                let m = try s.model()
                try replace(m, "model_weights/lstm/lstm/lstm_cell/kernel:0", shape: shape, values: [Float](repeating: 0.1, count: shape.reduce(1, *)))
                return try predict(s, model: m)
            }
        }
        for (label, v) in [("NaN", Float.nan), ("+Inf", Float.infinity), ("-Inf", -Float.infinity)] {
            for w in ["lstm/lstm/lstm_cell/kernel:0", "dense/dense/bias:0", "embedding/embedding/embeddings:0"] {
                add("\(label) in \(w)") { s in
                    let m = try s.model()
                    let f = try HDF5File(path: m)
                    let d = try f.root.openDataset("model_weights/" + w)
                    let shape = try d.shape(); var values = try d.read(Float.self); try f.close()
                    values[values.count / 2] = v
                    try replace(m, "model_weights/" + w, shape: shape, values: values)
                    return try predict(s, model: m)
                }
            }
        }
        add("kernel stored as int32") { s in let m = try s.model(); try replaceInt(m, "model_weights/lstm/lstm/lstm_cell/kernel:0", shape: [3, 16], values: [Int32](repeating: 1, count: 48)); return try predict(s, model: m) }
        add("kernel declared 1e9 x 16, unallocated") { s in let m = try s.model(); try raw(m) { delete($0, "model_weights/lstm/lstm/lstm_cell/kernel:0"); declareHuge($0, "model_weights/lstm/lstm/lstm_cell/kernel:0", [1_000_000_000, 16]) }; try setField(m, layer: "embedding", "output_dim", 1_000_000_000); return try predict(s, model: m) }
        add("kernel declared 2^32 x 2^32") { s in let m = try s.model(); try raw(m) { delete($0, "model_weights/lstm/lstm/lstm_cell/kernel:0"); declareHuge($0, "model_weights/lstm/lstm/lstm_cell/kernel:0", [1 << 32, 1 << 32]) }; return try predict(s, model: m) }
        add("units 5000 over small weights") { s in let m = try s.model(); try setField(m, layer: "lstm", "units", 5000); return try predict(s, model: m) }
        add("input_dim x output_dim overflow") { s in let m = try s.model(); try setField(m, layer: "embedding", "input_dim", 1 << 24); try setField(m, layer: "embedding", "output_dim", 1 << 20); return try predict(s, model: m) }
        add("weight behind an external link") { s in
            let m = try s.model()
            let other = s.path("elsewhere.h5")
            try HDF5File.writeAtomically(to: other) { f in try f.root.createDataset("k", shape: [3, 16], values: [Float](repeating: 0, count: 48)) }
            try raw(m) { fid in delete(fid, "model_weights/lstm/lstm/lstm_cell/kernel:0"); H5Lcreate_external(other, "/k", fid, "model_weights/lstm/lstm/lstm_cell/kernel:0", shim_H5P_DEFAULT(), shim_H5P_DEFAULT()) }
            return try predict(s, model: m)
        }
        add("model_weights an external link") { s in
            let m = try s.model()
            let copy = s.path("copy.h5"); try FileManager.default.copyItem(atPath: m, toPath: copy)
            try raw(m) { fid in delete(fid, "model_weights"); H5Lcreate_external(copy, "/model_weights", fid, "model_weights", shim_H5P_DEFAULT(), shim_H5P_DEFAULT()) }
            return try predict(s, model: m)
        }
        add("weight with external raw storage") { s in
            let m = try s.model()
            try raw(m) { fid in
                delete(fid, "model_weights/lstm/lstm/lstm_cell/kernel:0")
                let dims: [hsize_t] = [3, 16]
                let space = H5Screate_simple(2, dims, nil)
                let dcpl = H5Pcreate(shim_H5P_DATASET_CREATE())
                H5Pset_external(dcpl, "/etc/hostname", 0, 192)
                let d = H5Dcreate2(fid, "model_weights/lstm/lstm/lstm_cell/kernel:0", shim_H5T_IEEE_F32LE(), space, shim_H5P_DEFAULT(), dcpl, shim_H5P_DEFAULT())
                H5Dclose(d); H5Pclose(dcpl); H5Sclose(space)
            }
            return try predict(s, model: m)
        }

        // The file itself.
        add("empty file") { s in FileManager.default.createFile(atPath: s.path("m.h5"), contents: Data()); return ["inspect", s.path("m.h5")] }
        add("text file") { s in FileManager.default.createFile(atPath: s.path("m.h5"), contents: Data("hello\n".utf8)); return ["inspect", s.path("m.h5")] }
        add("random bytes") { s in
            var g = SystemRandomNumberGenerator(); let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }
            FileManager.default.createFile(atPath: s.path("m.h5"), contents: Data(bytes)); return ["inspect", s.path("m.h5")]
        }
        add("missing file") { s in ["inspect", s.path("absent.h5")] }
        add("a folder") { s in try FileManager.default.createDirectory(atPath: s.path("d.h5"), withIntermediateDirectories: false); return ["inspect", s.path("d.h5")] }
        add("symlink loop") { s in try FileManager.default.createSymbolicLink(atPath: s.path("l.h5"), withDestinationPath: s.path("l.h5")); return ["inspect", s.path("l.h5")] }
        for fraction in [0.02, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.99] {
            add("truncated at \(Int(fraction * 100))%") { s in
                let m = try s.model(); let d = try Data(contentsOf: URL(fileURLWithPath: m))
                try d.prefix(Int(Double(d.count) * fraction)).write(to: URL(fileURLWithPath: s.path("cut.h5")))
                return try predict(s, model: s.path("cut.h5"))
            }
        }
        // (Offsets 600 and 1200 of this file are padding: zeroing them changes nothing.)
        for offset in [0, 8, 100, 2100, 4000] {
            add("16 bytes zeroed at \(offset)") { s in
                let m = try s.model(); var d = try Data(contentsOf: URL(fileURLWithPath: m))
                for i in offset..<min(offset + 16, d.count) { d[i] = 0 }
                try d.write(to: URL(fileURLWithPath: s.path("z.h5")))
                return ["inspect", s.path("z.h5")]
            }
        }

        // Inputs of predict.
        func inputsCase(_ name: String, _ write: @escaping (HDF5File) throws -> Void) {
            add("inputs: \(name)") { s in
                let p = s.path("in.h5"); try HDF5File.writeAtomically(to: p) { try write($0) }
                return ["predict", try s.model(), "--inputs", p, "--output", s.path("out.h5")]
            }
        }
        inputsCase("no /inputs") { try $0.root.createDataset("x", shape: [3, 4], values: tokens) }
        inputsCase("rank 1") { try $0.root.createDataset("inputs/tokens", shape: [12], values: tokens) }
        inputsCase("rank 3") { try $0.root.createDataset("inputs/tokens", shape: [3, 2, 2], values: tokens) }
        inputsCase("wrong length") { try $0.root.createDataset("inputs/tokens", shape: [2, 6], values: tokens) }
        inputsCase("token 12") { f in var t = tokens; t[3] = 12; try f.root.createDataset("inputs/tokens", shape: [3, 4], values: t) }
        inputsCase("token -1") { f in var t = tokens; t[3] = -1; try f.root.createDataset("inputs/tokens", shape: [3, 4], values: t) }
        inputsCase("token NaN") { f in var t = tokens.map(Float.init); t[3] = .nan; try f.root.createDataset("inputs/tokens", shape: [3, 4], values: t) }
        // (A token 2.5 is not in the corpus: tf.keras's Embedding casts float ids to int32, and so does the kit.)
        inputsCase("token 1e30") { f in var t = tokens.map(Float.init); t[3] = 1e30; try f.root.createDataset("inputs/tokens", shape: [3, 4], values: t) }
        inputsCase("strings") { try $0.root.createStringDataset("inputs/tokens", strings: ["a", "b"]) }
        inputsCase("/inputs a dataset") { try $0.root.createDataset("inputs", shape: [3, 4], values: tokens) }
        inputsCase("two unnamed inputs") { f in try f.root.createDataset("inputs/a", shape: [3, 4], values: tokens); try f.root.createDataset("inputs/b", shape: [3, 4], values: tokens) }
        for (label, dims) in [("1e9 rows", [UInt64(1_000_000_000), 4]), ("(1, 2.5e8)", [1, 250_000_000]), ("2^32 x 2^32", [1 << 32, 1 << 32]), ("2^62 rows", [1 << 62, 4])] {
            add("inputs: declared \(label)") { s in
                let p = s.path("in.h5"); try HDF5File.writeAtomically(to: p) { f in try f.root.createGroup("inputs") }
                try raw(p) { declareHuge($0, "inputs/tokens", dims, int: true) }
                return ["predict", try s.model(), "--inputs", p, "--output", s.path("out.h5")]
            }
        }

        // Dataset files of decompose (and evaluate).
        func datasetCase(_ name: String, _ mutate: @escaping (String) throws -> Void) {
            add("dataset: \(name)") { s in
                let (model, data) = try s.syntheticClassifier()
                try mutate(data)
                return ["decompose", model, "--data", data, "--samples", "10", "--out", s.path("mods")]
            }
        }
        // The required attributes (label_names, recipe, source, synthetic are optional: docs/FORMATS.md "Dataset").
        for attr in ["task", "num_classes", "vocab_size", "padding_label"] {
            datasetCase("no \(attr)") { try removeAttr($0, attr) }
        }
        for (label, v) in [("0", Int64(0)), ("-1", -1), ("1e9", 1_000_000_000), ("2^62", 1 << 62), ("1 (labels beyond)", 1)] {
            datasetCase("num_classes \(label)") { try setAttr($0, "num_classes", int: v) }
        }
        datasetCase("padding_label 99") { try setAttr($0, "padding_label", int: 99) }
        datasetCase("padding_label -7") { try setAttr($0, "padding_label", int: -7) }
        datasetCase("vocab_size -5") { try setAttr($0, "vocab_size", int: -5) }
        datasetCase("task unknown") { try setAttr($0, "task", string: "regression") }
        datasetCase("label_names not JSON") { try setAttr($0, "label_names", string: "[oops") }
        datasetCase("label_names an object") { try setAttr($0, "label_names", string: "{\"a\": 1}") }
        datasetCase("num_classes a string") { try removeAttr($0, "num_classes"); try setAttr($0, "num_classes", string: "five") }
        datasetCase("num_classes empty array") { p in
            try removeAttr(p, "num_classes"); let f = try HDF5File(path: p, mode: .readWrite); try f.root.setAttribute("num_classes", values: [Int64](), shape: [0]); try f.close()
        }
        datasetCase("y_train (N, 0)") { try replaceInt($0, "y_train", shape: [600, 0], values: []) }
        datasetCase("x_train (N, 0)") { try replaceInt($0, "x_train", shape: [600, 0], values: []) }
        datasetCase("x_train rank 1") { try replaceInt($0, "x_train", shape: [600], values: [Int32](repeating: 1, count: 600)) }
        datasetCase("x_train rank 3") { try replaceInt($0, "x_train", shape: [600, 1, 1], values: [Int32](repeating: 1, count: 600)) }
        datasetCase("y_train one row short") { p in
            let f = try HDF5File(path: p); let y = try f.root.openDataset("y_train").read(Int32.self); try f.close()
            try replaceInt(p, "y_train", shape: [y.count - 1], values: Array(y.dropLast()))
        }
        datasetCase("label 99") { p in
            let f = try HDF5File(path: p); var y = try f.root.openDataset("y_train").read(Int32.self); try f.close()
            y[5] = 99; try replaceInt(p, "y_train", shape: [y.count], values: y)
        }
        datasetCase("label -3") { p in
            let f = try HDF5File(path: p); var y = try f.root.openDataset("y_train").read(Int32.self); try f.close()
            y[5] = -3; try replaceInt(p, "y_train", shape: [y.count], values: y)
        }
        datasetCase("token 10^6") { p in
            let f = try HDF5File(path: p); let d = try f.root.openDataset("x_train"); let shape = try d.shape(); var x = try d.read(Int32.self); try f.close()
            x[7] = 1_000_000; try replaceInt(p, "x_train", shape: shape, values: x)
        }
        datasetCase("x_train float") { p in
            let f = try HDF5File(path: p); let d = try f.root.openDataset("x_train"); let shape = try d.shape(); let x = try d.read(Int32.self); try f.close()
            try replace(p, "x_train", shape: shape, values: x.map(Float.init))
        }
        datasetCase("x_train missing") { p in try raw(p) { delete($0, "x_train") } }
        datasetCase("y_train missing") { p in try raw(p) { delete($0, "y_train") } }
        datasetCase("x_train declared 1e9 rows") { p in try raw(p) { delete($0, "x_train"); declareHuge($0, "x_train", [1_000_000_000, 12], int: true) } }
        datasetCase("x_train declared 2^32 x 2^32") { p in try raw(p) { delete($0, "x_train"); declareHuge($0, "x_train", [1 << 32, 1 << 32], int: true) } }
        datasetCase("y_train declared 1e9") { p in try raw(p) { delete($0, "y_train"); declareHuge($0, "y_train", [1_000_000_000], int: true) } }
        datasetCase("x_train an external link") { p in
            let other = p + ".x.h5"
            try FileManager.default.copyItem(atPath: p, toPath: other)
            try raw(p) { fid in delete(fid, "x_train"); H5Lcreate_external(other, "/x_train", fid, "x_train", shim_H5P_DEFAULT(), shim_H5P_DEFAULT()) }
        }
        datasetCase("not HDF5") { p in try Data("x_train".utf8).write(to: URL(fileURLWithPath: p)) }

        // Modules folders of evaluate.
        func modulesCase(_ name: String, _ mutate: @escaping (String, Scratch) throws -> Void) {
            add("modules: \(name)") { s in
                let (model, data) = try s.syntheticClassifier()
                let dir = s.path("mods")
                let r = try CLIRunner.run(["decompose", model, "--data", data, "--samples", "10", "--out", dir])
                guard r.status == 0 else { throw CLIFailure(message: r.stderr) }
                try mutate(dir, s)
                return ["evaluate", model, "--modules", dir, "--data", data]
            }
        }
        let fm = FileManager.default
        modulesCase("manifest deleted") { d, _ in try fm.removeItem(atPath: d + "/manifest.json") }
        modulesCase("manifest not JSON") { d, _ in try Data("{".utf8).write(to: URL(fileURLWithPath: d + "/manifest.json")) }
        modulesCase("manifest of version 9") { d, _ in
            let t = try String(contentsOfFile: d + "/manifest.json", encoding: .utf8).replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 9")
            try t.write(toFile: d + "/manifest.json", atomically: false, encoding: .utf8)
        }
        modulesCase("manifest names ../model.h5") { d, _ in
            let t = try String(contentsOfFile: d + "/manifest.json", encoding: .utf8).replacingOccurrences(of: "\"module_1.h5\"", with: "\"../model.h5\"")
            try t.write(toFile: d + "/manifest.json", atomically: false, encoding: .utf8)
        }
        modulesCase("module deleted") { d, _ in try fm.removeItem(atPath: d + "/module_2.h5") }
        modulesCase("module duplicated") { d, _ in try fm.copyItem(atPath: d + "/module_2.h5", toPath: d + "/module_7.h5") }
        modulesCase("module truncated") { d, _ in
            let data = try Data(contentsOf: URL(fileURLWithPath: d + "/module_1.h5")); try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: d + "/module_1.h5"))
        }
        modulesCase("module swapped") { d, _ in
            try fm.moveItem(atPath: d + "/module_1.h5", toPath: d + "/x"); try fm.moveItem(atPath: d + "/module_2.h5", toPath: d + "/module_1.h5"); try fm.moveItem(atPath: d + "/x", toPath: d + "/module_2.h5")
        }
        modulesCase("module from another decomposition") { d, s in
            let (model, data) = (s.path("model.h5"), s.path("syn.h5"))
            let r = try CLIRunner.run(["decompose", model, "--data", data, "--samples", "25", "--out", s.path("mods2")])
            guard r.status == 0 else { throw CLIFailure(message: r.stderr) }
            try fm.removeItem(atPath: d + "/module_1.h5"); try fm.copyItem(atPath: s.path("mods2/module_1.h5"), toPath: d + "/module_1.h5")
            try fm.removeItem(atPath: s.path("mods2"))
        }
        modulesCase("summary.json deleted") { d, _ in try fm.removeItem(atPath: d + "/summary.json") }
        modulesCase("folder emptied") { d, _ in for f in try fm.contentsOfDirectory(atPath: d) { try fm.removeItem(atPath: d + "/" + f) } }
        modulesCase("not a folder") { d, _ in try fm.removeItem(atPath: d); try Data("x".utf8).write(to: URL(fileURLWithPath: d)) }
        // Module attributes forged, manifest re-signed so only the module check can object.
        for (label, forge) in [("empty class_ids", { (p: String) in let f = try HDF5File(path: p, mode: .readWrite); try f.root.setAttribute("class_ids", values: [Int64]()); try f.close() }),
                               ("empty dominant_class", { (p: String) in let f = try HDF5File(path: p, mode: .readWrite); try f.root.setAttribute("dominant_class", values: [Int64](), shape: [0]); try f.close() }),
                               ("dominant_class 50", { (p: String) in let f = try HDF5File(path: p, mode: .readWrite); try f.root.setAttribute("dominant_class", values: [Int64(50)], shape: []); try f.close() }),
                               ("class_ids [0, 50]", { (p: String) in let f = try HDF5File(path: p, mode: .readWrite); try f.root.setAttribute("class_ids", values: [Int64(0), 50]); try f.close() }),
                               ("config not JSON", { (p: String) in let f = try HDF5File(path: p, mode: .readWrite); try f.root.setAttribute("config", string: "{"); try f.close() })] {
            modulesCase("module with \(label), manifest re-signed") { d, _ in
                let p = d + "/module_1.h5"
                try forge(p)
                let data = try Data(contentsOf: URL(fileURLWithPath: p))
                var m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/manifest.json"))) as! [String: Any]
                var mods = m["modules"] as! [[String: Any]]
                let i = mods.firstIndex { (($0["file"] as! [String: Any])["file"] as! String) == "module_1.h5" }!
                var file = mods[i]["file"] as! [String: Any]
                file["bytes"] = data.count; file["sha256"] = SHA256.hex(data)
                mods[i]["file"] = file; m["modules"] = mods
                try JSONSerialization.data(withJSONObject: m).write(to: URL(fileURLWithPath: d + "/manifest.json"))
            }
        }

        // bleu.
        func bleuCase(_ name: String, refs: [UInt8]?, hyps: [UInt8]?, mentions: String? = nil) {
            add("bleu: \(name)") { s in
                let r = s.path("r.txt"), h = s.path("h.txt")
                if let refs { try Data(refs).write(to: URL(fileURLWithPath: r)) }
                if let hyps { try Data(hyps).write(to: URL(fileURLWithPath: h)) }
                return ["bleu", "--references", r, "--hypotheses", h]
            }
        }
        let ok = Array("a b c d\n".utf8)
        bleuCase("invalid UTF-8", refs: Array("a b\n".utf8) + [0xFF, 0xFE, 0x0A], hyps: Array("a b\nc d\n".utf8))
        bleuCase("truncated UTF-8 sequence", refs: ok, hyps: Array("a b c d".utf8) + [0xE2, 0x82])
        bleuCase("missing references", refs: nil, hyps: ok)
        bleuCase("line counts differ", refs: Array("a\nb\n".utf8), hyps: ok)
        bleuCase("empty files", refs: [], hyps: [])
        add("bleu: a folder") { s in try FileManager.default.createDirectory(atPath: s.path("r"), withIntermediateDirectories: false)
            try Data(ok).write(to: URL(fileURLWithPath: s.path("h.txt"))); return ["bleu", "--references", s.path("r"), "--hypotheses", s.path("h.txt")] }

        // Outputs.
        add("output: --output is the model") { s in let m = try s.model(); return ["predict", m, "--inputs", try s.inputs(tokens), "--output", m] }
        add("output: --output is the inputs") { s in let i = try s.inputs(tokens); return ["predict", try s.model(), "--inputs", i, "--output", i, "--force"] }
        add("output: --output in a missing folder") { s in ["predict", try s.model(), "--inputs", try s.inputs(tokens), "--output", s.path("nope/out.h5")] }
        add("output: --output a user's file") { s in
            try Data("mine".utf8).write(to: URL(fileURLWithPath: s.path("out.h5")))
            return ["predict", try s.model(), "--inputs", try s.inputs(tokens), "--output", s.path("out.h5")]
        }
        add("output: --out holds the data") { s in
            let (model, _) = try s.syntheticClassifier()
            try FileManager.default.createDirectory(atPath: s.path("mods"), withIntermediateDirectories: false)
            try FileManager.default.moveItem(atPath: s.path("syn.h5"), toPath: s.path("mods/syn.h5"))
            return ["decompose", model, "--data", s.path("mods/syn.h5"), "--out", s.path("mods"), "--force"]
        }
        return all
    }

    // MARK: - Running

    struct Outcome { var status: Int32; var stderr: String; var seconds: Double; var peakKB: Int? }

    /// Runs the CLI under `timeout 60` and a 4 GiB address-space limit, measuring peak RSS.
    static func run(_ args: [String], in dir: String) throws -> Outcome {
        let exe = CLIRunner.executable.path
        let rss = dir + "/.rss-measure"
        var argv = ["/usr/bin/timeout", "60"]
        let hasTime = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
        if hasTime { argv += ["/usr/bin/time", "-f", "%M", "-o", rss] }
        // AddressSanitizer reserves terabytes of shadow address space at start-up, which the
        // 4 GiB limit forbids: under `make sanitize` (KIT_SANITIZER set) memory is bounded by RSS only.
        if ProcessInfo.processInfo.environment["KIT_SANITIZER"] == nil { argv += ["/usr/bin/prlimit", "--as=4294967296", "--"] }
        argv += [exe] + args
        let t0 = Date()
        let r = try CLIRunner.run(Array(argv.dropFirst()), in: dir, executable: argv[0])
        var peak: Int?
        if hasTime, let text = try? String(contentsOfFile: rss, encoding: .utf8) {
            peak = text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last
            try? FileManager.default.removeItem(atPath: rss)
        }
        // /usr/bin/time appends "Command exited with non-zero status N" to its -o file only.
        return Outcome(status: r.status, stderr: r.stderr, seconds: Date().timeIntervalSince(t0), peakKB: peak)
    }

    static func listing(_ dir: String) -> [String: Data] {
        var out: [String: Data] = [:]
        for p in (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []) {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir)
            out[p] = isDir.boolValue ? Data() : (FileManager.default.contents(atPath: dir + "/" + p) ?? Data("<unreadable>".utf8))
        }
        return out
    }

    /// With CORPUS_EXPORT=<folder>, each case's input files are copied there before the CLI
    /// runs, as seeds for `make fuzz`: `<case>--<file>`, the case name in lowercase with
    /// anything but letters and digits as '-' (so a dataset case's files start with `dataset-`).
    static func export(_ name: String, files: [String: Data], to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let slug = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        for (path, data) in files where !data.isEmpty {
            try data.write(to: URL(fileURLWithPath: folder + "/" + slug + "--" + path.replacingOccurrences(of: "/", with: "_")))
        }
    }

    @Test func corpusHasAtLeast150Cases() { #expect(Self.cases.count >= 150, "\(Self.cases.count) cases") }

    @Test func everyCaseFailsCleanly() throws {
        let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/timeout") && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")
        try #require(available, "needs timeout(1) and prlimit(1) (util-linux, coreutils)")
        var clean = 0, crashes: [String] = [], hangs: [String] = [], wrong: [String] = [], peak = (0, ""), huge = 0, logLines: [String] = []
        for c in Self.cases {
            let s = try Scratch()
            defer { try? FileManager.default.removeItem(atPath: s.dir) }
            let args: [String]
            do { args = try c.build(s) } catch { wrong.append("\(c.name): could not build the case: \(error)"); continue }
            let before = Self.listing(s.dir)
            if let folder = ProcessInfo.processInfo.environment["CORPUS_EXPORT"] { try Self.export(c.name, files: before, to: folder) }
            let o = try Self.run(args, in: s.dir)
            let after = Self.listing(s.dir)
            if let kb = o.peakKB, kb > peak.0 { peak = (kb, c.name) }
            if let kb = o.peakKB, ["declared", "1e9", "1e30", "2^32", "2^63", "5000", "overflow"].contains(where: { c.name.contains($0) }) { huge = max(huge, kb) }
            if let log = ProcessInfo.processInfo.environment["CORPUS_LOG"] { _ = log; logLines.append("\(c.name)\t\(o.status)\t\(o.peakKB ?? 0) KB\t\(o.stderr.trimmingCharacters(in: .newlines))") }
            let lines = o.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if o.status == 124 { hangs.append(c.name); continue }
            if o.status > 128 || (o.status >= 132 && o.status <= 134) { crashes.append("\(c.name): exit \(o.status) \(o.stderr.suffix(200))"); continue }
            var problems: [String] = []
            if o.status != 1 { problems.append("exit \(o.status)") }
            if lines.count != 1 || !o.stderr.hasPrefix("error: ") { problems.append("stderr not one 'error:' line: \(o.stderr.prefix(300))") }
            if before != after {
                let changed = Set(before.keys).symmetricDifference(after.keys).union(before.keys.filter { before[$0] != after[$0] })
                problems.append("files changed or left behind: \(changed.sorted())")
            }
            if problems.isEmpty { clean += 1 } else { wrong.append("\(c.name): \(problems.joined(separator: "; "))") }
        }
        if let log = ProcessInfo.processInfo.environment["CORPUS_LOG"] { try logLines.joined(separator: "\n").write(toFile: log, atomically: true, encoding: .utf8) }
        print("malformed-input corpus: \(Self.cases.count) cases, \(clean) clean errors, \(crashes.count) crashes, \(hangs.count) hangs, \(wrong.count) other; peak RSS \(peak.0) KB (\(peak.1)), at most \(huge) KB on the declared-huge inputs")
        #expect(crashes.isEmpty, "\(crashes.joined(separator: "\n"))")
        #expect(hangs.isEmpty, "\(hangs)")
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        #expect(clean == Self.cases.count)
    }
}
