#!/usr/bin/python3
"""PyTorch twin of nblib/diffusion/unet's U-Net and training step, for timing the same model.

Layer for layer the network of net.go (Build): sinusoidal time embedding -> Linear-SiLU-Linear (4C),
class embedding (one-hot @ matrix, no bias) added; input conv3x3; per level NumResBlocks ResBlocks
(GroupNorm-SiLU-conv3x3, scale-shift from the embedding, GroupNorm, SiLU, conv3x3, 1x1 skip when the
width changes) each followed by single/multi-head self-attention (GroupNorm, 1x1 q/k/v, softmax,
1x1 projection) at the listed sizes; downsampling = 2x2 average + conv3x3; middle ResBlock-attention-
ResBlock; up path with NumResBlocks+1 ResBlocks on concatenated skips, nearest upsampling + conv3x3;
GroupNorm-SiLU-conv3x3 output (2 channels for "unet128": learned sigma). Training step: eps-MSE, AdamW,
global-norm clipping at 1, EMA update (the learned-sigma L_vlb term, a few elementwise ops, is left out).

Usage: unet_torch.py [--preset unet32|unet64|unet128 | --net JSON] [--batch N] [--threads N] [--steps N] [--device cpu|cuda] [--forward] [--json]
Prints ms/step, images/s and process CPU ms/step (a load-independent measure with --threads 1); with
--forward it times one forward pass of the network (no gradient) instead of a training step.
--net takes unet.NetConfig as JSON (Size, ModelChannels, ChannelMult, NumResBlocks, AttentionResolutions, NumHeads,
NormGroups, NumClasses, NullClass, LearnSigma; `netdiffus bench -twin` passes the preset's); --json adds a last line of JSON.
BenchmarkTwin in twin_bench_test.go runs it interleaved with the Go step and prints the ratio. Needs python3-torch (Debian's 1.13 works).
"""
import argparse, json, math, time
import torch, torch.nn as nn, torch.nn.functional as F

PRESETS = {  # size, channels, mult, res blocks, attention sizes, heads, groups, batch, output channels, classes
    "unet32": (32, 32, (1, 2), 1, (16,), 1, 8, 32, 1, 4),
    "unet64": (64, 64, (1, 2, 3, 4), 2, (16, 8), 4, 32, 32, 1, 4),
    "unet128": (128, 128, (1, 1, 2, 3, 4), 3, (16, 8), 4, 32, 16, 2, 3),  # learned sigma: eps and v
}


def gn(c, groups):
    return nn.GroupNorm(math.gcd(groups, c), c, eps=1e-5)


class ResBlock(nn.Module):
    def __init__(s, cin, cout, emb, groups):
        super().__init__()
        s.n1, s.c1 = gn(cin, groups), nn.Conv2d(cin, cout, 3, padding=1)
        s.scale, s.shift = nn.Linear(emb, cout), nn.Linear(emb, cout)
        s.n2, s.c2 = gn(cout, groups), nn.Conv2d(cout, cout, 3, padding=1)
        nn.init.zeros_(s.c2.weight)
        s.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(s, x, emb):
        h = s.c1(F.silu(s.n1(x)))
        e = F.silu(emb)
        h = s.n2(h) * (1 + s.scale(e)[:, :, None, None]) + s.shift(e)[:, :, None, None]
        return s.skip(x) + s.c2(F.silu(h))


class Attention(nn.Module):
    def __init__(s, c, heads, groups):
        super().__init__()
        s.heads, s.norm = heads, gn(c, groups)
        s.q, s.k, s.v, s.proj = (nn.Conv2d(c, c, 1) for _ in range(4))
        nn.init.zeros_(s.proj.weight)

    def forward(s, x):
        b, c, hh, ww = x.shape
        h = s.norm(x)
        d = c // s.heads
        q, k, v = (m(h).reshape(b, s.heads, d, hh * ww) for m in (s.q, s.k, s.v))
        w = torch.softmax(torch.einsum("bhds,bhdt->bhst", q, k) / math.sqrt(d), dim=-1)
        a = torch.einsum("bhst,bhdt->bhds", w, v).reshape(b, c, hh, ww)
        return x + s.proj(a)


class UNet(nn.Module):
    def __init__(s, size, ch, mult, nres, attn, heads, groups, classes, out_ch=1):
        super().__init__()
        s.ch, emb = ch, 4 * ch
        s.t1, s.t2 = nn.Linear(ch, emb), nn.Linear(emb, emb)
        s.cls = nn.Linear(classes, emb, bias=False)
        s.classes = classes
        s.inp = nn.Conv2d(1, ch * mult[0], 3, padding=1)
        s.down, skips, c, sz = nn.ModuleList(), [ch * mult[0]], ch * mult[0], size
        for lvl, m in enumerate(mult):
            for _ in range(nres):
                s.down.append(ResBlock(c, m * ch, emb, groups)); c = m * ch
                if sz in attn: s.down.append(Attention(c, heads, groups))
                skips.append(c)
            if lvl < len(mult) - 1:
                s.down.append(nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(c, c, 3, padding=1))); sz //= 2
                skips.append(c)
        s.mid = nn.ModuleList([ResBlock(c, c, emb, groups), Attention(c, heads, groups) if attn else nn.Identity(),
                               ResBlock(c, c, emb, groups)])
        s.up = nn.ModuleList()
        for lvl in reversed(range(len(mult))):
            for i in range(nres + 1):
                s.up.append(ResBlock(c + skips.pop(), mult[lvl] * ch, emb, groups)); c = mult[lvl] * ch
                if sz in attn: s.up.append(Attention(c, heads, groups))
                if lvl > 0 and i == nres:
                    s.up.append(nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, c, 3, padding=1)))
                    sz *= 2
        s.out_norm, s.out = gn(c, groups), nn.Conv2d(c, out_ch, 3, padding=1)
        nn.init.zeros_(s.out.weight)

    def forward(s, x, t, y):
        half = s.ch // 2
        f = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32, device=x.device) / half)
        a = t[:, None].float() * f[None]
        emb = s.t2(F.silu(s.t1(torch.cat([torch.cos(a), torch.sin(a)], 1))))
        emb = emb + s.cls(F.one_hot(y, s.classes).float())
        h, hs = s.inp(x), []
        hs.append(h)
        for m in s.down:  # the skip after a ResBlock is taken after its attention block, as in net.go
            if isinstance(m, ResBlock):
                h = m(h, emb); hs.append(h)
            elif isinstance(m, Attention):
                h = m(h); hs[-1] = h
            else:
                h = m(h); hs.append(h)
        for m in s.mid:
            h = m(h, emb) if isinstance(m, ResBlock) else m(h)
        for m in s.up:
            if isinstance(m, ResBlock):
                h = m(torch.cat([h, hs.pop()], 1), emb)
            else:
                h = m(h)
        return s.out(F.silu(s.out_norm(h)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--preset", default="unet32")
    p.add_argument("--batch", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--device", default="cpu")
    p.add_argument("--net", default="", help="unet.NetConfig as JSON, in place of --preset")
    p.add_argument("--json", action="store_true", help="add a last line of JSON")
    p.add_argument("--forward", action="store_true", help="time a forward pass instead of a training step")
    a = p.parse_args()
    size, ch, mult, nres, attn, heads, groups, batch, out_ch, classes = net_shape(a.net) if a.net else PRESETS[a.preset]
    batch = a.batch or batch
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    m = UNet(size, ch, mult, nres, attn, heads, groups, classes, out_ch).to(dev)
    ema = [q.detach().clone() for q in m.parameters()]
    opt = torch.optim.AdamW(m.parameters(), lr=2e-4, weight_decay=0)
    x0 = torch.rand(batch, 1, size, size, device=dev) * 2 - 1
    y = torch.randint(0, classes, (batch,), device=dev)

    def step():
        t = torch.randint(0, 1000, (batch,), device=dev)
        noise = torch.randn_like(x0)
        xt = x0 * 0.7 + noise * 0.7
        opt.zero_grad()
        loss = F.mse_loss(m(xt, t, y)[:, :1], noise)  # the hybrid L_vlb term (cheap) is not modelled
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            for e, q in zip(ema, m.parameters()):
                e.mul_(0.995).add_(q, alpha=0.005)
        return loss

    if a.forward:
        m.eval()
        xt = x0 * 0.7 + torch.randn_like(x0) * 0.7
        t = torch.randint(0, 1000, (batch,), device=dev)

        def step():
            with torch.no_grad():
                return m(xt, t, y)

    for _ in range(2):
        step()
    if dev.type == "cuda": torch.cuda.synchronize()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        step()
    if dev.type == "cuda": torch.cuda.synchronize()
    d = (time.perf_counter() - t0) / a.steps
    cpu = (time.process_time() - c0) / a.steps  # all threads: equals d when one thread is not interrupted
    n = sum(q.numel() for q in m.parameters())
    print(f"torch {torch.__version__} {a.device} threads={a.threads} preset={a.preset} batch={batch} params={n}{' forward' if a.forward else ''}: "
          f"{d * 1000:.1f} ms/step, {batch / d:.1f} images/s, cpu {cpu * 1000:.1f} ms/step")
    if a.json:
        print(json.dumps({"torch": torch.__version__, "device": a.device, "batch": batch, "params": n,
                          "ms_per_step": d * 1000, "images_per_sec": batch / d}))


def net_shape(text):
    """The PRESETS tuple of a unet.NetConfig in JSON (2-D only; batch 16 unless --batch)."""
    c = json.loads(text)
    if c.get("Dims", 2) != 2 or c.get("InChannels", 1) != 1:
        raise SystemExit("unet_torch.py: only 2-D single-channel networks (Dims 2, InChannels 1)")
    classes = max(c.get("NumClasses", 0), 1) + (1 if c.get("NullClass") else 0)
    return (c["Size"], c["ModelChannels"], tuple(c["ChannelMult"]), c["NumResBlocks"], tuple(c.get("AttentionResolutions") or ()),
            max(c.get("NumHeads", 1), 1), c.get("NormGroups", 32), 16, 2 if c.get("LearnSigma") else 1, classes)


if __name__ == "__main__":
    main()
