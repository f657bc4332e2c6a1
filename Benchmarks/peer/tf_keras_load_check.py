"""Peer check: kit-written Keras HDF5 models load in tf.keras and predict what the kit predicts.
Optional tool (the kit itself never needs Python). For each MODEL.h5: `tf_keras.models.load_model`,
random token inputs (with padding zeros) written to an inputs file, the kit's
`rnn-decompose predict` run on it, and the two predictions compared.
Prints one JSON line per model and a final summary line with the worst difference."""

import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402


def embeddings(model):
    """The Embedding layer fed by each model input, by input name."""
    found = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.Embedding):
            for node in layer._inbound_nodes:
                for t in node.keras_inputs:
                    found[t.name.split(":")[0]] = layer
    return found


def inputs_for(model, rng, samples):
    """Token ids below each input's vocabulary, with pre- or post-padding zeros."""
    by_input = embeddings(model)
    feeds = {}
    for i, t in enumerate(model.inputs):
        name = model.input_names[i]
        vocab = by_input.get(t.name.split(":")[0], next(iter(by_input.values()))).input_dim
        steps = t.shape[1]
        x = rng.integers(1, vocab, size=(samples, steps)).astype(np.int32)
        for r in range(samples):
            k = rng.integers(0, steps // 2 + 1)
            if len(model.inputs) > 1:
                x[r, steps - k:] = 0  # post-padding, as TextVectorization writes
            elif k and r % 2:
                x[r, :k] = 0  # pre-padding, as pad_sequences writes
        feeds[name] = x
    return feeds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", metavar="MODEL.h5")
    parser.add_argument("--kit", required=True, help="path to the rnn-decompose executable")
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    worst = 0.0
    for path in args.models:
        model = keras.models.load_model(path, compile=False)
        feeds = inputs_for(model, rng, args.samples)
        with tempfile.TemporaryDirectory() as tmp:
            inp, out = os.path.join(tmp, "in.h5"), os.path.join(tmp, "out.h5")
            with h5py.File(inp, "w") as f:
                for k, v in feeds.items():
                    f.create_dataset(f"inputs/{k}", data=v)
            subprocess.run([args.kit, "predict", path, "--inputs", inp, "--output", out], check=True)
            with h5py.File(out, "r") as f:
                kit = f["prediction"][()]
        ours = model.predict([feeds[n] for n in model.input_names] if len(feeds) > 1 else next(iter(feeds.values())), verbose=0)
        diff = float(np.max(np.abs(ours - kit)))
        worst = max(worst, diff)
        print(json.dumps({"model": path, "class": model.__class__.__name__, "layers": [l.__class__.__name__ for l in model.layers],
                          "shape": list(kit.shape), "max_abs_diff": diff}))
    print(json.dumps({"models": len(args.models), "worst_max_abs_diff": worst, "peer": f"tf_keras {keras.__version__}"}))


if __name__ == "__main__":
    main()
