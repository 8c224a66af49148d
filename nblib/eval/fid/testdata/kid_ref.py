#!/usr/bin/python3
"""Independent NumPy KID (unbiased MMD^2, kernel (x.y/d+1)^3) used to make golden.txt."""
import sys
import numpy as np

a, b = (np.load(p).astype(np.float64) for p in sys.argv[1:3])
d = a.shape[1]
k = lambda x, y: (x @ y.T / d + 1) ** 3
m, n = len(a), len(b)
kxx, kyy, kxy = k(a, a), k(b, b), k(a, b)
v = ((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
     - 2 * kxy.mean())
print(f"kid={v:.10g}")
