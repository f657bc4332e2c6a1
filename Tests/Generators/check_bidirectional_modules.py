"""Checks that a modules folder written by `rnn-decompose decompose --out DIR` loads in tf_keras
and predicts what the kit predicts (docs/METHOD.md "Directions": rolled modules of a
Bidirectional model are ordinary Keras files). Python only for this check; the kit never needs it.

    rnn-decompose predict DIR/module_<c>.h5 --inputs DATA.h5 --split test --output KIT/module_<c>.h5   (each module)
    python check_bidirectional_modules.py DIR DATA.h5 KIT

Prints, per module and over all, the largest |tf_keras − kit| of the module's output and the
number of samples whose argmax differs, then (one-output modules) the accuracy of the modules
composed from tf_keras's outputs alone: each votes its class's probability (a 2-slot softmax
is σ(z_c − z_ns)), the highest wins, the first on ties — compare with `rnn-decompose evaluate`.
Used with tf_keras 2.21.0, tensorflow-cpu 2.21.0, h5py 3.14.0."""
import os, sys, glob
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, h5py
import tf_keras

def main(modules, data, kit):
    with h5py.File(data, "r") as f:
        x, y = f["x_test"][()], f["y_test"][()]
    worst, disagreements, total, n = 0.0, 0, 0, 0
    votes, classes = [], []
    for path in sorted(glob.glob(os.path.join(modules, "module_*.h5"))):
        m = tf_keras.models.load_model(path, compile=False)
        wrappers = [l for l in m.layers if l.__class__.__name__ == "Bidirectional"]
        ours = m.predict(x, verbose=0, batch_size=256)
        with h5py.File(os.path.join(kit, os.path.basename(path)), "r") as f:
            theirs = f["prediction"][()]
        d = float(np.abs(ours - theirs).max())
        a = int((ours.argmax(-1) != theirs.argmax(-1)).sum())
        worst, disagreements, total, n = max(worst, d), disagreements + a, total + ours.shape[0], n + 1
        with h5py.File(path, "r") as f:
            classes.append(int(f.attrs["dominant_class"]))
        votes.append(ours[:, -1])
        print(f"{os.path.basename(path)}: Bidirectional {[(w.name, w.merge_mode) for w in wrappers]}, "
              f"max |tf_keras - kit| {d:.3g}, argmax disagreements {a} of {ours.shape[0]}")
    print(f"{n} modules: max |tf_keras - kit| {worst:.3g}, argmax disagreements {disagreements} of {total}")
    if y.ndim == 1 and all(v.ndim == 1 for v in votes):
        composed = np.asarray(classes)[np.argmax(np.stack(votes), axis=0)]
        print(f"composed from tf_keras outputs: accuracy {float((composed == y).mean()):.6f} on {len(y)} test samples")

if __name__ == "__main__":
    if len(sys.argv) != 4: sys.exit(__doc__)
    main(*sys.argv[1:])
