#!/usr/bin/python3
"""Reference for the Go Inception-v3 (pytorch-fid variant) feature extractor.

Builds pytorch-fid's FID Inception-v3 (torchvision Inception3 with the FIDInceptionA/C/E_1/E_2 blocks:
average pools exclude padding, Mixed_7c's pool branch is a max pool) with RANDOM weights (seed 0, and
random batch-norm statistics so that they matter), saves its state_dict with pytorch-fid's key names,
and the 2048-d pool features of two deterministic 1-channel 32x32 images processed as pytorch-fid does
(replicate to 3 channels, bilinear resize to 299 with align_corners=False, x -> 2x - 1).

Needs Debian's python3-torch and python3-torchvision. Run from nblib/eval/inception:
  /usr/bin/python3 testdata/inception_ref.py $TMPDIR/inception_random.pth
It writes the .pth (about 95 MB, not committed) and testdata/{images,features}.npy.
Then: NETDIFFUS_INCEPTION_PTH=$TMPDIR/inception_random.pth go test -run Reference .
"""
import sys
import numpy as np
import torch
import torch.nn.functional as F
from torchvision.models import inception as tvi


class FIDInceptionA(tvi.InceptionA):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(F.avg_pool2d(x, 3, 1, 1, count_include_pad=False))
        return torch.cat([b1, b5, b3, bp], 1)


class FIDInceptionC(tvi.InceptionC):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        bd = self.branch7x7dbl_1(x)
        for m in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4, self.branch7x7dbl_5):
            bd = m(bd)
        bp = self.branch_pool(F.avg_pool2d(x, 3, 1, 1, count_include_pad=False))
        return torch.cat([b1, b7, bd, bp], 1)


class FIDInceptionE(tvi.InceptionE):
    def __init__(self, in_channels, max_pool):
        super().__init__(in_channels)
        self.max_pool = max_pool

    def forward(self, x):
        b1 = self.branch1x1(x)
        b3 = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
        bd = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(bd), self.branch3x3dbl_3b(bd)], 1)
        if self.max_pool:
            bp = F.max_pool2d(x, 3, 1, 1)
        else:
            bp = F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)
        return torch.cat([b1, b3, bd, self.branch_pool(bp)], 1)


def fid_inception():
    net = tvi.Inception3(num_classes=1008, aux_logits=False, init_weights=True)
    net.Mixed_5b = FIDInceptionA(192, pool_features=32)
    net.Mixed_5c = FIDInceptionA(256, pool_features=64)
    net.Mixed_5d = FIDInceptionA(288, pool_features=64)
    net.Mixed_6b = FIDInceptionC(768, channels_7x7=128)
    net.Mixed_6c = FIDInceptionC(768, channels_7x7=160)
    net.Mixed_6d = FIDInceptionC(768, channels_7x7=160)
    net.Mixed_6e = FIDInceptionC(768, channels_7x7=192)
    net.Mixed_7b = FIDInceptionE(1280, max_pool=False)
    net.Mixed_7c = FIDInceptionE(2048, max_pool=True)
    return net


def pool_features(net, x):
    """pytorch-fid's InceptionV3 forward up to the final average pool (block 3, 2048-d)."""
    x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
    x = 2 * x - 1
    for name in ("Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3"):
        x = getattr(net, name)(x)
    x = F.max_pool2d(x, 3, 2)
    x = net.Conv2d_4a_3x3(net.Conv2d_3b_1x1(x))
    x = F.max_pool2d(x, 3, 2)
    for name in ("Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d",
                 "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"):
        x = getattr(net, name)(x)
    return F.adaptive_avg_pool2d(x, 1).flatten(1)


def main(pth):
    torch.manual_seed(0)
    net = fid_inception()
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    net.eval()
    torch.save(net.state_dict(), pth)
    t = np.arange(32) / 31.0
    imgs = np.stack([np.outer(np.sin(3 * t) ** 2, np.cos(2 * t) ** 2), np.outer(t, 1 - t[::-1]) * 0.9]).astype(np.float32)
    np.save("testdata/images.npy", imgs)
    x = torch.from_numpy(imgs)[:, None].repeat(1, 3, 1, 1)
    with torch.no_grad():
        f = pool_features(net, x).numpy()
    np.save("testdata/features.npy", f.astype(np.float32))
    print("features", f.shape, "mean", f.mean(), "first", f[0, :4])


if __name__ == "__main__":
    main(sys.argv[1])
