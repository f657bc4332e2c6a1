"""Peer benchmark: times tf.keras (tf_keras) model.predict on random token inputs for a Keras .h5 model.
Optional tool for comparing against the Swift kit's inference speed; the kit itself never needs Python.
Prints one JSON line: peer versions, model path, samples, best wall-clock seconds and samples per second."""

import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402


def first_embedding(model):
    """Return the first Embedding layer, searching nested models depth-first."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.Embedding):
            return layer
        if hasattr(layer, "layers"):
            found = first_embedding(layer)
            if found is not None:
                return found
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", metavar="MODEL.h5")
    parser.add_argument("--samples", type=int, required=True)
    parser.add_argument("--length", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    model = keras.models.load_model(args.model, compile=False)
    embedding = first_embedding(model)
    if embedding is None:
        parser.error("model has no Embedding layer")

    rng = np.random.default_rng(args.seed)
    x = rng.integers(1, embedding.input_dim, size=(args.samples, args.length), dtype=np.int32)

    b = args.batch_size
    model.predict(x[:b], batch_size=b, verbose=0)  # warm-up

    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        model.predict(x, batch_size=b, verbose=0)
        times.append(time.perf_counter() - start)
    best = min(times)

    print(json.dumps({
        "peer": f"tf_keras {keras.__version__} / tensorflow {tf.__version__}",
        "model": args.model,
        "samples": args.samples,
        "best_seconds": best,
        "samples_per_second": args.samples / best,
    }))


if __name__ == "__main__":
    main()
