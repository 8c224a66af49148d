"""Split an ONNX Runtime profile (ort_profile.c) of the U-Net training step by kind of work, then list
the top op kinds (ONNX op type: kernel ms per run, share, nodes per run).

Usage: categorize.py 'PROFILE_GLOB' [TOP=25]"""
import json, glob, sys, collections
ev = json.load(open(glob.glob(sys.argv[1])[0]))
mr = sorted([e for e in ev if e.get("name") == "model_run"], key=lambda e: e["ts"])
start = mr[0]["ts"] + mr[0]["dur"]; runs = len(mr) - 1
def dims(s): return list(s.values())[0]
def size(d):
    n = 1
    for x in d: n *= x
    return n
cat = collections.Counter(); cnt = collections.Counter()
opT = collections.Counter(); opN = collections.Counter()
for e in ev:
    if e.get("cat") != "Node" or not e["name"].endswith("_kernel_time") or e["ts"] <= start: continue
    a = e["args"]; op = a["op_name"]
    ins = [dims(s) for s in a["input_type_shape"]]; out = dims(a["output_type_shape"][0]) if a["output_type_shape"] else []
    big = max([size(d) for d in ins] + [size(out)])
    if op == "Conv": c = "conv fwd + input grad (ORT Conv)"
    elif op in ("FusedMatMul", "MatMul") and len(out) == 4 and out[1] == 1: c = "attention products"
    elif op in ("FusedMatMul", "MatMul") and len(out) == 3: c = "kernel-grad products"
    elif op in ("Slice", "Pad") and len(out) == 3 and out[2] in (1088, 288, 1190, 342, 1024, 256): c = "kernel-grad windows (Slice/Pad)"
    elif op in ("Pad",) and len(out) == 4: c = "kernel-grad windows (Slice/Pad)"
    elif len(out) == 4 and out[1] == 1 and out[0] == 32 and big >= 100000: c = "attention softmax etc"
    elif big < 100000: c = "small ops (optimizer, EMA, clip, bias/emb)"
    elif op in ("Concat", "Expand") or (op == "Slice" and len(out) >= 5) or len(out) >= 5: c = "up/down sampling"
    else: c = "activation-sized elementwise (GN, SiLU, bias, residual, reductions)"
    cat[c] += e["dur"]; cnt[c] += 1
    opT[op] += e["dur"]; opN[op] += 1
T = sum(cat.values())
print(f"runs {runs}: {[m['dur']//1000 for m in mr[1:]]} ms; kernel total {T/runs/1000:.0f} ms/run")
for c, d in cat.most_common():
    print(f"{d/runs/1000:7.1f} ms {100*d/T:5.1f}%  n={cnt[c]//runs:5d}  {c}")
print(f"top op kinds ({sum(opN.values())//runs} nodes per run):")
for op, d in opT.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 25):
    print(f"{d/runs/1000:7.1f} ms {100*d/T:5.1f}%  n={opN[op]//runs:5d}  {op}")
