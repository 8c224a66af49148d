#!/usr/bin/python3
"""Golden GaussianNB probabilities (scikit-learn) for naivebayes_test.go.

Run from nblib/eval/classify:
  NETDIFFUS_WRITE_GOLDEN=1 go test -run TestWriteNBData . && /usr/bin/python3 testdata/gnb_ref.py > testdata/gnb_proba.txt
"""
import os, tempfile
import numpy as np
from sklearn.naive_bayes import GaussianNB

t = os.path.join(tempfile.gettempdir(), "netdiffus_nb_")
xtr, ytr, xte = (np.load(t + n + ".npy") for n in ("train_x", "train_y", "test_x"))
p = GaussianNB().fit(xtr, ytr).predict_proba(xte)
print("# scikit-learn", __import__("sklearn").__version__, "GaussianNB().predict_proba, one test row per line")
for row in p:
    print(" ".join(f"{v:.17g}" for v in row))
