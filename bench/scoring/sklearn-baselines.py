#!/usr/bin/python3
"""Reference baselines for bench/scoring-quality.bench.ts (dev-only; Debian python3-sklearn + fasttext).

usage: /usr/bin/python3 sklearn-baselines.py <work_dir> [--split-only]

For every <work_dir>/<slug>.input.json written by the TypeScript bench, computes the fixed split of
../shared/reference/ml-baselines.md (train_test_split(test_size=0.2, stratify=label, random_state=42)
over the filtered rows; the permutation depends only on n and the stratify labels, so splitting row
indices gives the very same rows), runs the requested baselines on it and writes
<slug>.result.json = {"train": [...], "test": [...], "baselines": {name: metrics}}.
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.model_selection import train_test_split


def ece(p, y, bins=10):
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += abs(y[m].sum() - p[m].sum()) / len(p)
    return total


def binary_metrics(p, y):
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
    p = np.clip(np.asarray(p, dtype=float), 1e-15, 1 - 1e-15)
    return {
        "auc": float(roc_auc_score(y, p)),
        "logLoss": float(log_loss(y, p, labels=[0, 1])),
        "brier": float(brier_score_loss(y, p)),
        "ece": float(ece(p, y)),
        "accuracy": float(np.mean((p >= 0.5).astype(int) == y)),
        # per test row, in split order: the bench's paired bootstrap compares them with ours
        "testScores": [float(v) for v in p],
    }


def multiclass_metrics(proba, classes, y):
    from sklearn.metrics import accuracy_score, f1_score
    pred = np.asarray(classes)[np.argmax(proba, axis=1)]
    return {
        "accuracy": float(accuracy_score(y, pred)),
        "macroF1": float(f1_score(y, pred, average="macro")),
        # per test row, in split order: the bench's paired bootstrap compares them with ours
        "testCorrect": [int(a == b) for a, b in zip(pred, y)],
    }


FT_PUNCT = re.compile(r"([.!?,'/()])")


def ft_clean(text):
    return re.sub(r"\s+", " ", FT_PUNCT.sub(r" \1 ", text.lower())).strip()


def run_fasttext(texts, labels, train, test, binary):
    tmp = tempfile.mkdtemp(prefix="fieldcast-ft-")
    lines = [f"__label__{str(labels[i]).replace(' ', '_')} {ft_clean(texts[i])}" for i in train]
    random.Random(42).shuffle(lines)
    with open(os.path.join(tmp, "train.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(tmp, "test.txt"), "w") as f:
        f.write("\n".join(ft_clean(texts[i]) for i in test) + "\n")
    t0 = time.time()
    subprocess.run(["fasttext", "supervised", "-input", f"{tmp}/train.txt", "-output", f"{tmp}/m", "-epoch", "25",
                    "-wordNgrams", "2", "-dim", "50", "-thread", "2", "-seed", "42"], check=True, capture_output=True)
    train_s = time.time() - t0
    out = subprocess.run(["fasttext", "predict-prob", f"{tmp}/m.bin", f"{tmp}/test.txt", "-1"], check=True,
                         capture_output=True, text=True).stdout.strip().split("\n")
    preds = []
    for line in out:
        parts = line.split()
        preds.append({parts[j][9:]: float(parts[j + 1]) for j in range(0, len(parts), 2)})
    res = {"trainSeconds": train_s}
    y = [labels[i] for i in test]
    if binary:
        p = [d.get("1", 0.0) for d in preds]
        res.update(binary_metrics(p, np.asarray(y, dtype=int)))
    else:
        classes = sorted({str(l).replace(" ", "_") for l in labels})
        proba = np.array([[d.get(c, 0.0) for c in classes] for d in preds])
        res.update(multiclass_metrics(proba, [c.replace("_", " ") for c in classes], [str(v) for v in y]))
    subprocess.run(["rm", "-rf", tmp])
    return res


WORD = re.compile(r"\w+")


def words_and_char_wb(text):
    """Word 1-2-grams plus char_wb 2-4-grams in ONE vocabulary (one l2 norm over all of them), the
    way our encoder builds them with charNgrams [2, 4]; sklearn's analyzer='char_wb' alone has no words."""
    tokens = WORD.findall(text.lower())
    grams = tokens + [a + " " + b for a, b in zip(tokens, tokens[1:])]
    for token in tokens:
        padded = " " + token + " "
        for n in range(2, 5):
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


def run_tfidf_lr(texts, labels, train, test, binary, C, char_wb=False):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    t0 = time.time()
    vec = TfidfVectorizer(analyzer=words_and_char_wb, sublinear_tf=True) if char_wb else TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    Xtr = vec.fit_transform([texts[i] for i in train])
    ytr = [labels[i] for i in train]
    model = LogisticRegression(max_iter=2000, solver="saga", random_state=42, C=C).fit(Xtr, ytr)
    res = {"trainSeconds": time.time() - t0, "C": C}
    proba = model.predict_proba(vec.transform([texts[i] for i in test]))
    y = [labels[i] for i in test]
    if binary:
        res.update(binary_metrics(proba[:, list(model.classes_).index(1)], np.asarray(y, dtype=int)))
    else:
        res.update(multiclass_metrics(proba, list(model.classes_), y))
    return res


def tabular_frames(columns):
    names = list(columns)
    num = [n for n in names if columns[n]["type"] == "num"]
    cat = [n for n in names if columns[n]["type"] == "cat"]
    n = len(columns[names[0]]["values"])
    Xn = np.array([[np.nan if columns[c]["values"][i] is None else columns[c]["values"][i] for c in num] for i in range(n)], dtype=float)
    Xc = np.array([[np.nan if columns[c]["values"][i] is None else columns[c]["values"][i] for c in cat] for i in range(n)], dtype=object)
    return Xn, Xc


def run_sklearn_lr(columns, y, train, test):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    Xn, Xc = tabular_frames(columns)
    X = np.concatenate([Xn.astype(object), Xc], axis=1)
    nn = Xn.shape[1]
    pre = ColumnTransformer([
        ("num", Pipeline([("imp", SimpleImputer(strategy="median", add_indicator=True)), ("std", StandardScaler())]), list(range(nn))),
        ("cat", Pipeline([("imp", SimpleImputer(strategy="constant", fill_value="__missing__")),
                          ("oh", OneHotEncoder(handle_unknown="ignore"))]), list(range(nn, X.shape[1]))),
    ])
    model = Pipeline([("pre", pre), ("lr", LogisticRegression(C=1.0, max_iter=2000))])
    t0 = time.time()
    model.fit(X[train], y[train])
    res = {"trainSeconds": time.time() - t0}
    res.update(binary_metrics(model.predict_proba(X[test])[:, 1], y[test]))
    return res


def run_sklearn_hgb(columns, y, train, test):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.preprocessing import OrdinalEncoder
    Xn, Xc = tabular_frames(columns)
    enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan)
    Xc_codes = enc.fit(Xc[train]).transform(Xc) if Xc.shape[1] else np.zeros((len(y), 0))
    X = np.concatenate([Xn, Xc_codes], axis=1).astype(float)
    mask = [False] * Xn.shape[1] + [True] * Xc.shape[1]
    model = HistGradientBoostingClassifier(random_state=42, categorical_features=mask)
    t0 = time.time()
    model.fit(X[train], y[train])
    res = {"trainSeconds": time.time() - t0}
    res.update(binary_metrics(model.predict_proba(X[test])[:, 1], y[test]))
    return res


def main():
    work = sys.argv[1]
    split_only = "--split-only" in sys.argv
    for name in sorted(os.listdir(work)):
        if not name.endswith(".input.json"):
            continue
        slug = name[: -len(".input.json")]
        with open(os.path.join(work, name)) as f:
            spec = json.load(f)
        strat = spec["stratify"]
        train, test = train_test_split(np.arange(len(strat)), test_size=0.2, stratify=strat, random_state=42)
        result = {"train": train.tolist(), "test": test.tolist(), "baselines": {}}
        binary = spec["binary"]
        labels = spec["labels"]
        if not split_only:
            for baseline in spec["baselines"]:
                t0 = time.time()
                try:
                    if baseline == "fasttext":
                        r = run_fasttext(spec["python"]["text"], labels, train, test, binary)
                    elif baseline == "tfidf-lr":
                        r = run_tfidf_lr(spec["python"]["text"], labels, train, test, binary, spec.get("textC", 10))
                    elif baseline == "tfidf-lr-char-wb":
                        r = run_tfidf_lr(spec["python"]["text"], labels, train, test, binary, spec.get("textC", 10), char_wb=True)
                    elif baseline == "sklearn-lr":
                        r = run_sklearn_lr(spec["python"]["columns"], np.asarray(labels, dtype=int), train, test)
                    elif baseline == "sklearn-hgb":
                        r = run_sklearn_hgb(spec["python"]["columns"], np.asarray(labels, dtype=int), train, test)
                    else:
                        continue
                except Exception as error:  # a failed baseline is reported, not fatal for the others
                    r = {"error": repr(error)}
                result["baselines"][baseline] = r
                print(f"  [python] {slug} {baseline} {time.time() - t0:.1f}s", file=sys.stderr, flush=True)
        with open(os.path.join(work, slug + ".result.json"), "w") as f:
            json.dump(result, f)


if __name__ == "__main__":
    main()
