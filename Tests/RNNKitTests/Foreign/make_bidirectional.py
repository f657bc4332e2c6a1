"""Writes the Bidirectional and go_backwards fixtures of BidirectionalTests.swift: small tf_keras 2
models (.h5, tk_*) and Keras 3 models (.keras and .h5, k3_*) with their Keras's own per-layer outputs on fixed inputs (<case>.reference.h5, same
layout as make_foreign.py's: /inputs/<name>, /outputs/<layer>, /prediction, attribute producer).
Inputs end in padding (token 0) of varying length, so masked models exercise Keras's masking.

Run from this folder:  python make_bidirectional.py   (Python only at generation time);
python make_bidirectional.py --keras3 writes the k3_* fixtures only (their own seed, so the tk_*
files stay as committed).
Produced with tf_keras 2.21.0, keras 3.15.1, tensorflow-cpu 2.21.0, h5py 3.14.0 (Keras 3 ran on
its TensorFlow backend, on CPU)."""
import os, json
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, h5py
import tensorflow as tf
import tf_keras
from tf_keras import layers as L
import keras
from keras import layers as L3

OUT = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20230515)
VOCAB, T, B = 20, 5, 6

def scramble(model, std=0.45):
    for l in model.layers:
        ws = l.get_weights()
        if ws: l.set_weights([rng.normal(0, std, w.shape).astype(np.float32) for w in ws])

def tokens():
    x = rng.integers(1, VOCAB, size=(B, T)).astype(np.int32)
    for b in range(B): x[b, T - (b % 3):] = 0          # 0, 1 or 2 padding steps at the end
    return x

def record(name, model, x, k=tf_keras):
    names = [l.name for l in model.layers if l.__class__.__name__ != "InputLayer"]
    outs = []
    for n in names:
        o = model.get_layer(n).output
        outs.append(o[0] if isinstance(o, (list, tuple)) else o)
    got = k.Model(model.inputs, outs).predict(x, verbose=0)
    if not isinstance(got, (list, tuple)): got = [got]
    pred = model.predict(x, verbose=0)
    if isinstance(pred, (list, tuple)): pred = pred[0]
    with h5py.File(os.path.join(OUT, name + ".reference.h5"), "w") as f:
        f.attrs["producer"] = f"{k.__name__} {k.__version__} / tensorflow {tf.__version__}"
        f.attrs["layer_order"] = json.dumps(names)
        f.create_group("inputs").create_dataset("tokens", data=x)
        o = f.create_group("outputs")
        for n, v in zip(names, got): o.create_dataset(n, data=np.asarray(v, dtype=np.float32))
        f.create_dataset("prediction", data=np.asarray(pred, dtype=np.float32))
    print("wrote", name, names)

def save(name, layers, mask=True):
    m = tf_keras.Sequential([L.Input((T,), dtype="int32", name="tokens"), L.Embedding(VOCAB, 4, mask_zero=mask)] + layers, name=name)
    scramble(m)
    m.save(os.path.join(OUT, name + ".h5"))
    record(name, m, tokens())

def head(): return [L.Dense(3, activation="softmax")]

cases = {
    # go_backwards for each cell: last output, and a reversed sequence (masked).
    "tk_back_simple": lambda: save("tk_back_simple", [L.SimpleRNN(5, go_backwards=True, return_sequences=True), L.Flatten()] + head(), mask=False),
    "tk_back_lstm": lambda: save("tk_back_lstm", [L.LSTM(5, go_backwards=True, return_sequences=True), L.LSTM(4, go_backwards=True)] + head()),
    "tk_back_gru": lambda: save("tk_back_gru", [L.GRU(5, go_backwards=True, reset_after=False, return_sequences=True),
                                                L.GRU(4, go_backwards=True)] + head()),
    # Bidirectional: every merge mode; masked; stacked (sequences into a second Bidirectional).
    "tk_bi_concat": lambda: save("tk_bi_concat", [L.Bidirectional(L.LSTM(5, return_sequences=True)), L.Bidirectional(L.GRU(4))] + head()),
    "tk_bi_sum": lambda: save("tk_bi_sum", [L.Bidirectional(L.GRU(5), merge_mode="sum")] + head()),
    "tk_bi_ave": lambda: save("tk_bi_ave", [L.Bidirectional(L.SimpleRNN(5, return_sequences=True), merge_mode="ave"), L.Flatten()] + head(), mask=False),
    "tk_bi_mul": lambda: save("tk_bi_mul", [L.Bidirectional(L.LSTM(5, return_sequences=True), merge_mode="mul"),
                                            L.Bidirectional(L.SimpleRNN(3), merge_mode="concat")] + head()),
    # A wrapped layer that itself goes backwards: its "backward" copy then runs forwards.
    "tk_bi_inner_back": lambda: save("tk_bi_inner_back", [L.Bidirectional(L.GRU(4, go_backwards=True, return_sequences=True)), L.Flatten()] + head(), mask=False),
}

def tk_bi_none():
    # merge_mode=None: two outputs, each fed to its own head (Functional, two model outputs).
    i = L.Input((T,), dtype="int32", name="tokens")
    f, b = L.Bidirectional(L.LSTM(4), merge_mode=None, name="bi")(L.Embedding(VOCAB, 4, mask_zero=True)(i))
    m = tf_keras.Model(i, [L.Dense(3, activation="softmax", name="head_f")(f), L.Dense(3, activation="softmax", name="head_b")(b)], name="tk_bi_none")
    scramble(m)
    m.save(os.path.join(OUT, "tk_bi_none.h5"))
    record("tk_bi_none", m, tokens())

# ---------------------------------------------------------------- Keras 3
def save3(name, layers, mask=True, ext=".keras"):
    m = keras.Sequential([L3.Input((T,), dtype="int32", name="tokens"), L3.Embedding(VOCAB, 4, mask_zero=mask)] + layers, name=name)
    scramble(m)
    m.save(os.path.join(OUT, name + ext))
    record(name, m, tokens(), keras)

def head3(): return [L3.Dense(3, activation="softmax")]

cases3 = {
    # Keras 3 writes both directions' configs (layer: forward_<name>, backward_layer) and
    # their weights under forward_layer/ and backward_layer/.
    "k3_bi_lstm": lambda: save3("k3_bi_lstm", [L3.Bidirectional(L3.LSTM(5, return_sequences=True)), L3.Bidirectional(L3.LSTM(3), merge_mode="concat")] + head3()),
    "k3_bi_gru": lambda: save3("k3_bi_gru", [L3.Bidirectional(L3.GRU(5, return_sequences=True), merge_mode="ave"),
                                             L3.Bidirectional(L3.GRU(4), merge_mode="sum")] + head3()),
    # go_backwards for each cell, masked: a reversed sequence, then a last output.
    "k3_back": lambda: save3("k3_back", [L3.SimpleRNN(5, go_backwards=True, return_sequences=True),
                                         L3.LSTM(4, go_backwards=True, return_sequences=True), L3.GRU(4, go_backwards=True)] + head3()),
}

def k3_bi_functional():
    # A Keras 3 .h5 Functional: weights named <model>/<bi>/forward_<name>/<cell>/kernel, no ":0".
    i = L3.Input((T,), dtype="int32", name="tokens")
    # No mask: Keras 3 writes a Functional's mask_zero as a NotEqual op layer, which the kit refuses by name.
    e = L3.Embedding(VOCAB, 4, name="embedding")(i)
    s = L3.Bidirectional(L3.GRU(4, return_sequences=True), name="bi")(e)
    # (Keras 3.15 cannot wrap a go_backwards layer: it builds both directions backwards and refuses.)
    y = L3.Bidirectional(L3.SimpleRNN(3), merge_mode="mul", name="bi_last")(s)
    m = keras.Model(i, L3.Dense(3, activation="softmax", name="head")(y), name="k3_bi_functional")
    scramble(m)
    m.save(os.path.join(OUT, "k3_bi_functional.h5"))
    record("k3_bi_functional", m, tokens(), keras)

def check(folder):
    """Loads the kit's exports (KIT_EXPORT_DIR=folder swift test --filter exportRoundTrips) in
    tf_keras and compares their prediction with the reference."""
    import sys
    for n in list(cases) + ["tk_bi_none"]:
        m = tf_keras.models.load_model(os.path.join(folder, n + ".h5"), compile=False)
        with h5py.File(os.path.join(OUT, n + ".reference.h5"), "r") as f:
            x, ref = f["inputs/tokens"][()], f["prediction"][()]
        p = m.predict(x, verbose=0)
        p = p[0] if isinstance(p, list) else p
        print("tf_keras loads kit export", n, "max |d| vs reference", float(np.abs(p - ref).max()))

if __name__ == "__main__":
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2]); sys.exit(0)
    keras3_only = sys.argv[1:] == ["--keras3"]
    for n, f in ([] if keras3_only else cases.items()):
        try: f()
        except Exception as e: print("FAILED", n, type(e).__name__, str(e)[:300])
    if not keras3_only:
        try: tk_bi_none()
        except Exception as e: print("FAILED tk_bi_none", type(e).__name__, str(e)[:300])
    rng = np.random.default_rng(20230517)
    for n, f in list(cases3.items()) + [("k3_bi_functional", k3_bi_functional)]:
        try: f()
        except Exception as e: print("FAILED", n, type(e).__name__, str(e)[:300])
