"""Writes a PyTorch model's state dict in the HDF5 layout rnn-decompose reads
(docs/FORMATS.md "PyTorch state dicts"). Run it on your side, where torch is installed; the kit
itself never needs Python or torch.

    import torch
    from export_state_dict import export
    model = MyNet()                    # nn.Embedding -> nn.LSTM/GRU/RNN (batch_first) -> nn.Linear
    model.load_state_dict(torch.load("weights.pt"))
    export("mynet.h5", model.state_dict(), steps=40, layers=[
        {"module": "emb", "type": "Embedding"},
        {"module": "rnn", "type": "LSTM", "output": "last"},       # output[:, -1] (= h_n[-1])
        {"module": "fc", "type": "Linear", "activation": "softmax"},  # or "linear" (logits), "sigmoid"
    ])

`layers` lists the modules in the order forward() applies them, by their attribute name in the
state dict. Recurrent modules must be unidirectional, without proj_size; "output" is "last"
(the last step's output) or "sequence" (every step's, for a per-step Linear). "nonlinearity"
("tanh" or "relu") is needed for nn.RNN only. The state dict may hold torch tensors or NumPy
arrays; every value is written as float32. Needs h5py and numpy."""
import json
import numpy as np
import h5py

FORMAT = "pytorch-state-dict"
VERSION = 1
TYPES = {"Embedding", "RNN", "LSTM", "GRU", "Linear"}


def _array(v):
    if hasattr(v, "detach"):
        v = v.detach().cpu().numpy()
    return np.asarray(v, dtype=np.float32)


def export(path, state_dict, layers, steps, features=None):
    """steps: time steps per example (None: any); features: per-step features when the first
    layer is not an Embedding (the input is then [N, steps, features] floats, else [N, steps] ids)."""
    state = {k: _array(v) for k, v in state_dict.items()}
    for spec in layers:
        if spec.get("type") not in TYPES:
            raise ValueError(f"layer {spec}: type must be one of {sorted(TYPES)}")
        prefix = spec["module"] + "."
        if not any(k.startswith(prefix) for k in state):
            raise ValueError(f"no weights named {prefix}* in the state dict")
        if any(k.startswith(prefix) and ("_reverse" in k or "weight_hr" in k) for k in state):
            raise ValueError(f"{spec['module']}: bidirectional and proj_size modules are not supported by the kit")
    used = [k for k in state if any(k.startswith(s["module"] + ".") for s in layers)]
    extra = sorted(set(state) - set(used))
    if extra:
        raise ValueError(f"state dict entries no listed layer uses: {extra} (list every module forward() applies)")
    arch = {"input": {"steps": steps, "features": features}, "layers": layers}
    with h5py.File(path, "w") as f:
        f.attrs["kit_format"] = FORMAT
        f.attrs["format_version"] = np.int64(VERSION)
        f.attrs["architecture"] = json.dumps(arch)
        g = f.create_group("state_dict")
        for k in used:
            g.create_dataset(k, data=state[k])
