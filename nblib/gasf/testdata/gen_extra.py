#!/usr/bin/python3
"""Extra reference cases for the gasf package: many (L, S) pairs, including
integer shrink factors 2 and 3 with S not a multiple of 4 (OpenCV's SIMD
tail), through the same NumPy + OpenCV pipeline as
shared/reference/gasf_ref.py.

  gen_extra.py OUT.npz [N]      then  GASF_EXTRA_GOLDEN=OUT.npz go test -run Extra
"""
import os
import sys
import numpy as np
import cv2

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "../../../../shared/reference"))
from gasf_ref import pipeline  # noqa: E402

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
rng = np.random.default_rng(99)
cases = {}
fixed = [(2, 1), (6, 3), (10, 5), (14, 7), (18, 9), (22, 11), (30, 15), (9, 3), (21, 7), (40, 10), (64, 64), (5000, 64)]
for k in range(n):
    if k < len(fixed):
        L, S = fixed[k]
    else:
        L = int(rng.integers(1, 900))
        S = int(rng.integers(1, L + 1))
    kind = rng.integers(3)
    if kind == 0:
        x = rng.exponential(size=L)
    elif kind == 1:
        x = np.where(rng.random(L) < 0.3, 0.0, rng.exponential(size=L) * 1000)
    else:
        x = np.round(rng.normal(size=L).cumsum(), 1)
    _, _, small, q = pipeline(x, S)
    cases[f"e{k}_series"] = x
    cases[f"e{k}_size"] = np.array([S])
    cases[f"e{k}_area"] = small
    cases[f"e{k}_u8"] = q
np.savez_compressed(out, **cases)
print(f"wrote {n} cases to {out} (OpenCV {cv2.__version__})")
