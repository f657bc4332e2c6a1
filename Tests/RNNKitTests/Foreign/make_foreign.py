"""Writes the foreign-format fixtures of ForeignFormatTests.swift: small models saved by Keras 3
and by tf_keras 2 in every format the kit reads (or must refuse by name), with Keras's own
per-layer outputs on fixed inputs (<case>.reference.h5: /inputs/<name>, /outputs/<layer>,
/prediction, attribute producer).

Run from this folder:  python make_foreign.py   (Python only at generation time; the kit and
its tests never need it). Produced with keras 3.15.1, tf_keras 2.21.0, tensorflow-cpu 2.21.0,
h5py 3.14.0, numpy 2.4.6 (the versions are also written into every reference file)."""
import os, json, shutil
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, h5py
import tensorflow as tf
import keras                       # Keras 3
import tf_keras                    # tf.keras 2 (legacy formats)
from keras import layers as L3
from tf_keras import layers as L2

OUT = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20230514)
VOCAB, T, B = 30, 6, 8

def scramble(model, std=0.45):
    # Random weights and biases (Keras initialises biases to 0): every term must matter.
    for l in model.layers:
        ws = l.get_weights()
        if ws:
            l.set_weights([rng.normal(0, std, w.shape).astype(np.float32) for w in ws])

def tokens(b=B, t=T):
    return rng.integers(1, VOCAB, size=(b, t)).astype(np.int32)

def record(name, k, model, feeds):
    """Keras's outputs of every non-input layer (first output) and the prediction (first output)."""
    names = [l.name for l in model.layers if l.__class__.__name__ != "InputLayer"]
    outs = []
    for n in names:
        o = model.get_layer(n).output
        outs.append(o[0] if isinstance(o, (list, tuple)) else o)
    probe = k.Model(model.inputs, outs)
    x = list(feeds.values()) if len(feeds) > 1 else list(feeds.values())[0]
    got = probe.predict(x, verbose=0)
    if not isinstance(got, (list, tuple)): got = [got]
    pred = model.predict(x, verbose=0)
    if isinstance(pred, (list, tuple)): pred = pred[0]
    with h5py.File(os.path.join(OUT, name + ".reference.h5"), "w") as f:
        f.attrs["producer"] = f"{k.__name__} {k.__version__} / tensorflow {tf.__version__}"
        f.attrs["layer_order"] = json.dumps(names)
        g = f.create_group("inputs")
        for key, v in feeds.items(): g.create_dataset(key, data=v)
        o = f.create_group("outputs")
        for n, v in zip(names, got): o.create_dataset(n, data=np.asarray(v, dtype=np.float32))
        f.create_dataset("prediction", data=np.asarray(pred, dtype=np.float32))
    print("wrote", name, names)

def path(n): return os.path.join(OUT, n)

# ---------------------------------------------------------------- Keras 3
def k3_sequential():
    m = keras.Sequential([L3.Input((T,), dtype="int32", name="tokens"), L3.Embedding(VOCAB, 5), L3.GRU(7, return_sequences=True),
                          L3.TimeDistributed(L3.Dense(5, activation="tanh")), L3.Flatten(), L3.Dense(4, activation="softmax")], name="k3_sequential")
    scramble(m)
    m.save(path("k3_sequential.keras")); m.save(path("k3_sequential.h5"))
    m.save_weights(path("k3_sequential.weights.h5"))
    open(path("k3_sequential.json"), "w").write(m.to_json())
    record("k3_sequential", keras, m, {"tokens": tokens()})

def k3_functional():
    # Encoder-decoder: the encoder LSTM's return_state feeds the decoder's initial_state.
    enc_in = L3.Input((T,), dtype="int32", name="encoder_tokens"); dec_in = L3.Input((T,), dtype="int32", name="decoder_tokens")
    _, h, c = L3.LSTM(6, return_state=True, name="encoder")(L3.Embedding(VOCAB, 5, name="enc_embedding")(enc_in))
    seq = L3.LSTM(6, return_sequences=True, name="decoder")(L3.Embedding(VOCAB, 5, name="dec_embedding")(dec_in), initial_state=[h, c])
    out = L3.TimeDistributed(L3.Dense(VOCAB, activation="softmax"), name="next_token")(seq)
    m = keras.Model([enc_in, dec_in], out, name="k3_functional")
    scramble(m)
    m.save(path("k3_functional.h5")); m.save(path("k3_functional.keras"))
    record("k3_functional", keras, m, {"encoder_tokens": tokens(), "decoder_tokens": tokens()})

def k3_hard_sigmoid():
    # Keras 3's hard_sigmoid is relu6(x + 3)/6, not tf.keras 2's clip(0.2x + 0.5, 0, 1).
    m = keras.Sequential([L3.Input((T,), dtype="int32"), L3.Embedding(VOCAB, 5), L3.LSTM(7, recurrent_activation="hard_sigmoid", return_sequences=True),
                          L3.GRU(6, recurrent_activation="hard_sigmoid"), L3.Dense(4, activation="hard_sigmoid"), L3.Dense(3, activation="softmax")],
                         name="k3_hard_sigmoid")
    scramble(m, 0.8)
    m.save(path("k3_hard_sigmoid.keras"))
    record("k3_hard_sigmoid", keras, m, {"input": tokens()})

def k3_activations():
    m = keras.Sequential([L3.Input((T,), dtype="int32"), L3.Embedding(VOCAB, 5),
                          L3.SimpleRNN(6, activation=L3.LeakyReLU(negative_slope=0.3), return_sequences=True),
                          L3.LSTM(6, activation=L3.ELU(alpha=0.7)),
                          L3.Dense(8, activation=L3.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2)),
                          L3.Dense(8, activation=L3.LeakyReLU(negative_slope=0.2)), L3.ELU(alpha=0.5),
                          L3.Dense(5), L3.Softmax()], name="k3_activations")
    scramble(m)
    m.save(path("k3_activations.keras"))
    record("k3_activations", keras, m, {"input": tokens()})

def k3_prelu():
    m = keras.Sequential([L3.Input((T,), dtype="int32"), L3.Embedding(VOCAB, 5), L3.Flatten(), L3.Dense(4, activation=L3.PReLU())], name="k3_prelu")
    m(np.zeros((1, T), np.int32)); scramble(m)
    m.save(path("k3_prelu.keras"))

def k3_mixed():
    keras.mixed_precision.set_global_policy("mixed_float16")
    m = keras.Sequential([L3.Input((T,), dtype="int32"), L3.Embedding(VOCAB, 5), L3.LSTM(6), L3.Dense(3, activation="softmax")], name="k3_mixed")
    scramble(m)
    m.save(path("k3_mixed.keras"))
    keras.mixed_precision.set_global_policy("float32")

# ---------------------------------------------------------------- tf_keras 2
def tk_save_weights():
    m = tf_keras.Sequential([L2.Input((T,), dtype="int32", name="tokens"), L2.Embedding(VOCAB, 5), L2.LSTM(6, return_sequences=True),
                             L2.SimpleRNN(5), L2.Dense(4, activation="softmax")], name="tk_save_weights")
    scramble(m)
    m.save_weights(path("tk_save_weights.h5"))
    open(path("tk_save_weights.json"), "w").write(m.to_json())
    record("tk_save_weights", tf_keras, m, {"tokens": tokens()})
    # The same model as Keras <= 2.1 wrote it: the Sequential config a bare list of layers.
    m.save(path("tk_list_sequential.h5"))
    with h5py.File(path("tk_list_sequential.h5"), "r+") as f:
        c = json.loads(f.attrs["model_config"]); c["config"] = c["config"]["layers"]
        f.attrs["model_config"] = json.dumps(c)
    shutil.copy(path("tk_save_weights.reference.h5"), path("tk_list_sequential.reference.h5"))

def tk_activations():
    m = tf_keras.Sequential([L2.Input((T,), dtype="int32"), L2.Embedding(VOCAB, 5),
                             L2.LSTM(6, activation=L2.LeakyReLU(alpha=0.3), return_sequences=True),
                             L2.GRU(6, activation=L2.ReLU(max_value=2.0, negative_slope=0.05)),
                             L2.Dense(8, activation=L2.LeakyReLU(alpha=0.3)), L2.Dense(8, activation=L2.ELU(alpha=0.6)),
                             L2.Dense(8, activation=L2.ReLU(threshold=0.1)), L2.LeakyReLU(alpha=0.25),
                             L2.Dense(5), L2.Softmax(axis=-1)], name="tk_activations")
    scramble(m)
    m.save(path("tk_activations.h5"))
    record("tk_activations", tf_keras, m, {"input": tokens()})

def tk_prelu():
    m = tf_keras.Sequential([L2.Input((T,), dtype="int32"), L2.Embedding(VOCAB, 5), L2.Flatten(), L2.Dense(4, activation=L2.PReLU())], name="tk_prelu")
    scramble(m)
    m.save(path("tk_prelu.h5"))

def tk_mixed():
    tf_keras.mixed_precision.set_global_policy("mixed_float16")
    m = tf_keras.Sequential([L2.Input((T,), dtype="int32"), L2.Embedding(VOCAB, 5), L2.LSTM(6), L2.Dense(3, activation="softmax")], name="tk_mixed")
    scramble(m)
    m.save(path("tk_mixed.h5"))
    tf_keras.mixed_precision.set_global_policy("float32")

def tk_slice():
    # x[:, -1] on a Keras tensor becomes a TFOpLambda (SlicingOpLambda) layer.
    i = L2.Input((T,), dtype="int32", name="tokens")
    s = L2.SimpleRNN(5, return_sequences=True)(L2.Embedding(VOCAB, 4)(i))
    m = tf_keras.Model(i, L2.Dense(3, activation="softmax")(s[:, -1]), name="tk_slice")
    m.save(path("tk_slice.h5"))

for f in [k3_sequential, k3_functional, k3_hard_sigmoid, k3_activations, k3_prelu, k3_mixed,
          tk_save_weights, tk_activations, tk_prelu, tk_mixed, tk_slice]:
    try:
        f()
    except Exception as e:
        print("FAILED", f.__name__, type(e).__name__, str(e)[:300])
