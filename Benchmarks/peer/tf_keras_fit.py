"""Peer benchmark: times tf.keras (tf_keras) model.fit on the kit's training data for a paper-shaped model.
Optional tool for comparing against the Swift kit's training speed; the kit itself never needs Python.
Reads the training set from the HDF5 file given by --data (int32 `x` [samples, length] and `y` [samples],
written by kit-bench with the very examples it trains on), builds Embedding(vocab, embed) -> `layers`
recurrent layers of `units` -> Dense(classes, softmax) (the paper's M:1 recipe), compiles it with Adam
(Keras defaults) and categorical cross-entropy, runs one warm-up epoch, then times `repeats` epochs.
Prints one JSON line: peer versions, the configuration, the best epoch's wall-clock seconds and
samples per second."""

import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402


def build(cell, layers, units, embed, vocab, length, classes):
    recurrent = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[cell]
    stack = [keras.layers.Input(shape=(length,), dtype="int32"), keras.layers.Embedding(vocab, embed)]
    stack += [recurrent(units, return_sequences=i < layers - 1) for i in range(layers)]
    stack += [keras.layers.Dense(classes, activation="softmax")]
    model = keras.Sequential(stack)
    model.compile(optimizer=keras.optimizers.Adam(), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, metavar="DATA.h5", help="HDF5 file with int32 x [samples, length] and y [samples]")
    parser.add_argument("--cell", default="lstm", choices=["rnn", "lstm", "gru"])
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--embed", type=int, default=50)
    parser.add_argument("--vocab", type=int, default=5531)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    tf.random.set_seed(args.seed)  # the initial weights; the data is the kit's
    with h5py.File(args.data, "r") as f:
        x = np.asarray(f["x"][()], dtype=np.int32)
        y = keras.utils.to_categorical(np.asarray(f["y"][()], dtype=np.int64), args.classes)
    model = build(args.cell, args.layers, args.units, args.embed, args.vocab, x.shape[1], args.classes)

    model.fit(x, y, batch_size=args.batch_size, epochs=1, verbose=0)  # warm-up (graph tracing)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        model.fit(x, y, batch_size=args.batch_size, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    best = min(times)

    print(json.dumps({
        "peer": f"tf_keras {keras.__version__} / tensorflow {tf.__version__}",
        "cell": args.cell, "layers": args.layers, "units": args.units, "batch_size": args.batch_size,
        "samples": int(x.shape[0]),
        "best_seconds": best,
        "samples_per_second": x.shape[0] / best,
    }))


if __name__ == "__main__":
    main()
