"""Writes the PyTorch fixtures of PyTorchImportTests.swift: state dicts in the layout of
tools/pytorch/export_state_dict.py (written by that script's `export`), with reference outputs.

torch could not be installed where these were generated (its wheel index was unreachable), so
the references come from a NumPy float64 implementation of the equations PyTorch documents for
torch.nn.Embedding, RNN, LSTM, GRU and Linear (gate orders LSTM i, f, g, o and GRU r, z, n, two
bias vectors b_ih and b_hh, GRU's n = tanh(W_in x + b_in + r * (W_hn h + b_hn))). Weights have
PyTorch's names and shapes; values are random float32.

Run from this folder:  python make_pytorch.py   (numpy 2.4.6, h5py 3.14.0)."""
import os, sys, json
import numpy as np, h5py

OUT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(OUT, "../../../tools/pytorch"))
from export_state_dict import export

rng = np.random.default_rng(20230515)
B, T = 8, 6

def w(*shape, std=0.5):
    return rng.normal(0, std, shape).astype(np.float32)

def sigmoid(x): return 1 / (1 + np.exp(-x))

def cell_params(kind, inp, H, layers):
    G = {"RNN": 1, "LSTM": 4, "GRU": 3}[kind]
    p = {}
    for l in range(layers):
        d = inp if l == 0 else H
        p[f"weight_ih_l{l}"] = w(G * H, d); p[f"weight_hh_l{l}"] = w(G * H, H)
        p[f"bias_ih_l{l}"] = w(G * H); p[f"bias_hh_l{l}"] = w(G * H)
    return p

def run_recurrent(kind, p, x, H, layers, nonlinearity="tanh"):
    """torch.nn.{RNN,LSTM,GRU}(batch_first=True) as documented, float64; each layer's output sequence."""
    outs = []
    for l in range(layers):
        Wi, Wh = p[f"weight_ih_l{l}"].astype(np.float64), p[f"weight_hh_l{l}"].astype(np.float64)
        bi, bh = p[f"bias_ih_l{l}"].astype(np.float64), p[f"bias_hh_l{l}"].astype(np.float64)
        h = np.zeros((x.shape[0], H)); c = np.zeros((x.shape[0], H)); seq = []
        for t in range(x.shape[1]):
            gi, gh = x[:, t] @ Wi.T + bi, h @ Wh.T + bh
            if kind == "RNN":
                s = gi + gh
                h = np.tanh(s) if nonlinearity == "tanh" else np.maximum(s, 0)
            elif kind == "LSTM":
                s = gi + gh
                i, f, g, o = (s[:, k * H:(k + 1) * H] for k in range(4))
                c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
                h = sigmoid(o) * np.tanh(c)
            else:
                r = sigmoid(gi[:, :H] + gh[:, :H]); z = sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
                n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
                h = (1 - z) * n + z * h
            seq.append(h)
        x = np.stack(seq, 1)
        outs.append(x)
    return outs

def linear(p, x, activation):
    y = x @ p["weight"].astype(np.float64).T + p["bias"].astype(np.float64)
    if activation == "softmax":
        e = np.exp(y - y.max(-1, keepdims=True)); y = e / e.sum(-1, keepdims=True)
    elif activation == "sigmoid":
        y = sigmoid(y)
    return y

def case(name, kind, layers=1, vocab=20, embed=5, features=None, H=7, classes=4, output="last", activation="softmax", nonlinearity="tanh"):
    state, outputs = {}, {}
    if features is None:
        E = w(vocab, embed)
        state["emb.weight"] = E
        inputs = rng.integers(0, vocab, size=(B, T)).astype(np.int64)
        x = E.astype(np.float64)[inputs]
        outputs["emb"] = x
        d = embed
    else:
        inputs = rng.normal(0, 1, (B, T, features)).astype(np.float32)
        x = inputs.astype(np.float64)
        d = features
    p = cell_params(kind, d, H, layers)
    state.update({"rnn." + k: v for k, v in p.items()})
    seqs = run_recurrent(kind, p, x, H, layers, nonlinearity)
    for l, s in enumerate(seqs):
        last = l == layers - 1
        outputs["rnn" if layers == 1 else f"rnn_l{l}"] = s[:, -1] if last and output == "last" else s
    x = seqs[-1][:, -1] if output == "last" else seqs[-1]
    fc = {"weight": w(classes, H), "bias": w(classes)}
    state.update({"fc." + k: v for k, v in fc.items()})
    outputs["fc"] = linear(fc, x, activation)
    spec = [{"module": "rnn", "type": kind, "output": output}, {"module": "fc", "type": "Linear", "activation": activation}]
    if kind == "RNN": spec[0]["nonlinearity"] = nonlinearity
    if features is None: spec.insert(0, {"module": "emb", "type": "Embedding"})
    export(os.path.join(OUT, name + ".h5"), state, spec, steps=T, features=features)
    with h5py.File(os.path.join(OUT, name + ".reference.h5"), "w") as f:
        f.create_dataset("inputs/input", data=inputs)
        for k, v in outputs.items():
            f.create_dataset("outputs/" + k, data=v.astype(np.float32))
        f.create_dataset("prediction", data=outputs["fc"].astype(np.float32))
        f.attrs["producer"] = "make_pytorch.py: NumPy float64 implementation of PyTorch's documented equations (torch not installed)"
        f.attrs["note"] = json.dumps(spec)

case("pt_lstm", "LSTM", layers=2)                                        # stacked LSTM, last step, softmax
case("pt_gru", "GRU", H=6, classes=3, output="sequence", activation="linear")  # GRU per step, logits
case("pt_rnn", "RNN", features=3, H=5, classes=2, activation="sigmoid", nonlinearity="relu")  # features input, ReLU RNN
print("wrote pt_lstm, pt_gru, pt_rnn")
