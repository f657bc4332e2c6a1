"""Checks that the `.keras` archives and `.h5` files the kit writes for Keras 3 models load in
Keras 3 (`keras.saving.load_model`) and predict what Keras predicted for the model they came from. Python only for this check;
the kit never needs it.

    KIT_EXPORT_DIR=DIR swift test --filter KerasArchiveExportTests   (keeps DIR/<fixture>.keras)
    python check_keras3_archives.py DIR

For each DIR/<stem>.keras and DIR/<stem>.h5, the reference is Tests/RNNKitTests/Foreign/<stem>.reference.h5
(Keras's own outputs on fixed inputs). Prints the largest |Keras(kit archive) − reference| of
the prediction and exits 1 if any exceeds 1e-5 + 1e-5·|reference| (the kit's parity bound).

    rnn-decompose predict MODULES/module_<c>.h5 --inputs DATA.h5 --split test --output KIT/module_<c>.h5
    python check_keras3_archives.py MODULES DATA.h5 KIT

checks a modules folder of a Keras 3 model instead: each module_<c>.keras and .h5 in Keras against the
kit's prediction of module_<c>.h5 on DATA.h5's x_test (exit 1 above 1e-5). Used with keras 3.15.1, tensorflow-cpu 2.21.0, h5py 3.14.0."""
import os, sys, glob
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, h5py
import keras

FOREIGN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "RNNKitTests", "Foreign")

def first(p):
    return p[0] if isinstance(p, (list, tuple)) else p

def check_fixtures(folder):
    bad = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.keras")) + glob.glob(os.path.join(folder, "*.h5"))):
        stem = os.path.basename(path).split(".")[0]
        ref_path = os.path.join(FOREIGN, stem + ".reference.h5")
        if not os.path.exists(ref_path):
            continue
        m = keras.saving.load_model(path, compile=False)
        with h5py.File(ref_path, "r") as f:
            inputs = {k: f["inputs"][k][()] for k in f["inputs"]}
            ref = f["prediction"][()]
        x = [inputs[i.name] for i in m.inputs] if len(m.inputs) > 1 else inputs[m.inputs[0].name] if m.inputs[0].name in inputs else next(iter(inputs.values()))
        p = first(m.predict(x, verbose=0))
        d = np.abs(p - ref)
        ok = bool((d <= 1e-5 + 1e-5 * np.abs(ref)).all())
        bad += not ok
        print(f"keras {keras.__version__} loads kit file {os.path.basename(path)}: max |d| vs reference {float(d.max()):.3g} {'ok' if ok else 'FAILS'}")
    return bad

def check_modules(modules, data, kit):
    with h5py.File(data, "r") as f:
        x = f["x_test"][()]
    bad = 0
    for path in sorted(glob.glob(os.path.join(modules, "module_*.keras")) + glob.glob(os.path.join(modules, "module_*.h5"))):
        m = keras.saving.load_model(path, compile=False)
        name = os.path.basename(path).split(".")[0]
        with h5py.File(os.path.join(kit, name + ".h5"), "r") as f:
            theirs = f["prediction"][()]
        ours = first(m.predict(x, verbose=0, batch_size=256))
        d = float(np.abs(ours - theirs).max())
        bad += d > 1e-5
        print(f"keras loads {os.path.basename(path)}: max |keras - kit| {d:.3g}, argmax differs on {int((ours.argmax(-1) != theirs.argmax(-1)).sum())}")
    return bad

if __name__ == "__main__":
    if len(sys.argv) not in (2, 4):
        sys.exit(__doc__)
    bad = check_fixtures(sys.argv[1]) if len(sys.argv) == 2 else check_modules(*sys.argv[1:])
    sys.exit(1 if bad else 0)
