"""tf.keras's own accuracy of the authors' many-to-one models on Clinc OOS (test split).

The golden values "4,241 of 4,500" (vanilla_rnn_models/many_to_one/model1.h5; DataCLITests,
ChapterTests) and "MMA 0.948889" = 4,270 / 4,500 (lstm_models/many_to_one/model1.h5;
AuthorsPresetTests) are printed by this script. It does not use the kit: it rebuilds the
data with the recipe of ../shared/design/DATA.md in Python (TFDS md5 order, the authors'
`text_processing`, NLTK 3.8.1's word tokenizer, tf_keras's `Tokenizer` and `pad_sequences`)
and runs `tf_keras.models.load_model(...).predict` on it.

Run from the package root in a throw-away venv (Python 3.11; pip install tf_keras==2.21.0
tensorflow==2.21.0 nltk==3.8.1 h5py numpy):
    /path/to/venv/bin/python Tests/Generators/gen_authors_clinc_keras.py [SHARED_DIR]
(SHARED_DIR defaults to $SHARED_DIR, else ../shared.) Last run: tf_keras 2.21.0, tensorflow
2.21.0, nltk 3.8.1, numpy 2.4.6, Python 3.11.7, on ../shared as of Dec 2026. It printed:

    // word index: 5530 words; test: 4500 utterances; first test row [0, 0, 0, 0, 0, 12, 6, 25, 11, 1, 13, 46, 2, 122, 402]
    gru_models/many_to_one/model1.h5: 4255 / 4500 = 0.945556
    lstm_models/many_to_one/model1.h5: 4270 / 4500 = 0.948889
    relu_models/many_to_one/model1.h5: 4234 / 4500 = 0.940889
    relu_models/many_to_one/model2.h5: 4243 / 4500 = 0.942889
    relu_models/many_to_one/model3.h5: 4186 / 4500 = 0.930222
    vanilla_rnn_models/many_to_one/model1.h5: 4241 / 4500 = 0.942444
    vanilla_rnn_models/many_to_one/model2.h5: 4248 / 4500 = 0.944000
    vanilla_rnn_models/many_to_one/model3.h5: 4118 / 4500 = 0.915111
"""
import csv
import glob
import hashlib
import io
import json
import os
import re
import sys
import zipfile

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import nltk  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402
from nltk.tokenize import NLTKWordTokenizer  # noqa: E402

assert nltk.__version__ == "3.8.1", "DATA.md: later NLTK versions tokenize Clinc differently"

shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SHARED_DIR") or "../shared"
archive = zipfile.ZipFile(os.path.join(shared, "data/clinc_oos/clinc_oos.zip"))
domains = list(json.load(open(os.path.join(shared, "data/clinc_oos/domains.json"))).keys())

DROP = "!\"#$%&()*+-/:;<=>?@[\\]^_`{|}~"
tokenizer = NLTKWordTokenizer()


def tokens(text):
    """The authors' text_processing, then word_tokenize."""
    text = re.sub(r"http\S+", "", text)
    text = "".join(c for c in text if c not in DROP).lower()
    text = " ".join(re.sub(r"\d", " ", text).split())
    # word_tokenize = sent_tokenize (punkt) + NLTKWordTokenizer per sentence. Punkt only splits at
    # . ? ! and none survives the cleaning here, so the whole text is one sentence (checked).
    assert not re.search(r"[.?!]", text), text
    return tokenizer.tokenize(text)


def split(name):
    rows = list(csv.DictReader(io.TextIOWrapper(archive.open(f"{name}.csv"), encoding="utf-8")))
    order = sorted(range(len(rows)), key=lambda i: int(hashlib.md5(f"{name}{i}".encode()).hexdigest(), 16))
    return [tokens(rows[i]["text"]) for i in order], np.array([int(rows[i]["domain"]) for i in order])


train_tokens, _ = split("train")
test_tokens, y_test = split("test")
tok = keras.preprocessing.text.Tokenizer()
tok.fit_on_texts(train_tokens)
tok.fit_on_texts(test_tokens)
x_test = keras.preprocessing.sequence.pad_sequences(tok.texts_to_sequences(test_tokens), maxlen=15, padding="pre", truncating="post")
print(f"// tf_keras {keras.__version__}, tensorflow {tf.__version__}, nltk {nltk.__version__}, numpy {np.__version__}")
print(f"// word index: {len(tok.word_index)} words; test: {len(y_test)} utterances; first test row {x_test[0].tolist()}")
for path in sorted(glob.glob(os.path.join(shared, "models/authors/*/many_to_one/*.h5"))):
    model = keras.models.load_model(path, compile=False)
    correct = int((model.predict(x_test, batch_size=256, verbose=0).argmax(1) == y_test).sum())
    print(f"{os.path.relpath(path, os.path.join(shared, 'models/authors'))}: {correct} / {len(y_test)} = {correct / len(y_test):.6f}")
