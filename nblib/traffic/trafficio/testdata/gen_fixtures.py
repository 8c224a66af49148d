# Generates the small synthetic NumPy / pickle fixtures of the trafficio
# tests. Run from this folder with Debian's Python and NumPy:
#   /usr/bin/python3 gen_fixtures.py
# Every value follows a formula the Go tests recompute; nothing here comes
# from a real dataset.
import pickle
import numpy as np

# Generic npz: x[i, j] = 10*i + j (float32), y = i % 3.
x = np.array([[10 * i + j for j in range(6)] for i in range(5)], dtype=np.float32)
y = np.array([i % 3 for i in range(5)], dtype=np.int64)
np.savez("series.npz", x=x, y=y)
np.save("series_x.npy", x.astype(np.float64))
np.save("series_y.npy", y.astype(np.int32))

# DoppelGANger layout: 4 series, T=7, F=2; value (feature 0) = i + k/10;
# series i is valid for its first 3+i steps (series 3 has an all-zero flag);
# attributes: 2 domain columns then 3 access columns, access = i % 3.
n, t, f = 4, 7, 2
feat = np.zeros((n, t, f), dtype=np.float32)
flag = np.zeros((n, t), dtype=np.float32)
attr = np.zeros((n, 5), dtype=np.float32)
for i in range(n):
    valid = 3 + i if i < 3 else 0
    for k in range(valid):
        feat[i, k, 0] = i + k / 10
        feat[i, k, 1] = -1
        flag[i, k] = 1
    attr[i, i % 2] = 1
    attr[i, 2 + i % 3] = 1
np.savez("dg_train.npz", data_feature=feat, data_attribute=attr, data_gen_flag=flag)

# Deep Fingerprinting layout: X (6, 8) directions (-1)**(i+j) zero padded
# after 4+i//2 packets, y = i % 2; protocol 2 (as Python 2 wrote them,
# bytes via _codecs.encode) and protocol 4 (raw bytes).
X = np.zeros((6, 8), dtype=np.float64)
for i in range(6):
    for j in range(4 + i // 2):
        X[i, j] = (-1) ** (i + j)
Y = np.array([i % 2 for i in range(6)], dtype=np.int64)
for proto in (2, 4):
    with open(f"df_X_p{proto}.pkl", "wb") as fh:
        pickle.dump(X, fh, protocol=proto)
    with open(f"df_y_p{proto}.pkl", "wb") as fh:
        pickle.dump(Y, fh, protocol=proto)
# A plain list of lists and list of ints, as some DF forks store them.
with open("df_X_list.pkl", "wb") as fh:
    pickle.dump(X.tolist(), fh, protocol=2)
with open("df_y_list.pkl", "wb") as fh:
    pickle.dump(Y.tolist(), fh, protocol=2)
