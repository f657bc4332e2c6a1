"""Peer benchmark: times tf.keras (tf_keras) model.predict for a Keras .h5 model on the kit's inputs.
Optional tool for comparing against the Swift kit's inference speed; the kit itself never needs Python.
The inputs are the int32 dataset `x` of the HDF5 file given by --inputs, which kit-bench writes with the
token sequences it times itself (seeded), so both sides predict the same data.
Prints one JSON line: peer versions, model path, samples, best wall-clock seconds and samples per second."""

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", metavar="MODEL.h5")
    parser.add_argument("--inputs", required=True, metavar="INPUTS.h5", help="HDF5 file with an int32 dataset x [samples, length]")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    model = keras.models.load_model(args.model, compile=False)
    with h5py.File(args.inputs, "r") as f:
        x = np.asarray(f["x"][()], dtype=np.int32)

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
        "samples": int(x.shape[0]),
        "best_seconds": best,
        "samples_per_second": x.shape[0] / best,
    }))


if __name__ == "__main__":
    main()
