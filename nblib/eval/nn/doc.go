// Package nn holds the neural downstream classifiers of the paper on GoMLX: the authors' 8-convolution
// CNN, a smaller 2-convolution CNN (CNN2), an MLP, and their 1-D counterparts for series. All implement
// [classify.Classifier] and run on any GoMLX backend passed in ([compute.Backend]).
//
// # Architectures (images are [batch, H, W, C], series [batch, L, 1])
//
//   - [CNN8], the authors' network: 4 blocks of two 3x3 "same" convolutions with batch normalisation and
//     ReLU, channels (32,32), (64,64), (128,128), (256,256), each block followed by 2x2 max pooling;
//     then flatten, dense 128 ReLU, dense 64 ReLU, dense K (logits).
//   - [CNN2]: two blocks of one 3x3 convolution (16, then 32 channels) + batch norm + ReLU + 2x2 max
//     pool; dense 64 ReLU; dense K. For CPU runs.
//   - [MLP]: flattened input, dense 128 ReLU, dense 64 ReLU, dense K (scikit-learn MLPClassifier's
//     (128, 64) in the reference script).
//
// With Conv1D set, the convolutions and pools are 1-D (kernel 3, pool 2) over the series: the paper's
// "1-D vs 2-D classifier of the same design" (Table 3).
//
// Max pooling is written as a reshape to [.., H/2, 2, W/2, 2, C] followed by a max over the window axes
// (odd trailing rows/columns are dropped, like a "valid" 2x2 pool); this lowers to plain reductions on
// every backend, including ONNX Runtime, whose lack of interior padding breaks GoMLX's pooling gradients.
//
// # Training
//
// Softmax cross-entropy on the logits, mini-batches of BatchSize (default 32; rows shuffled every epoch
// with a generator seeded from Seed; the last incomplete batch is dropped unless it is the only one),
// and an optimizer chosen by Network.Optimizer: by default CNN8 uses the authors' SGD with learning
// rate 0.01 and momentum 0.9 ([github.com/netdiffus/netdiffus/nblib/eval/optim.Momentum]; GoMLX v0.28.16 has no momentum SGD of its own), the
// CNN2 and the MLP Adam with learning rate 1e-3 (they are not the authors' networks, and Adam
// converges in the few epochs of a CPU run); either can be set explicitly. Weights are initialised
// from Seed, so a run is deterministic on a given backend.
//
// Batch normalisation uses batch statistics in training and running averages at inference. GoMLX
// accumulates those averages during training, from weights that keep changing, which for short runs
// (a few dozen steps) leaves them far from the final network's statistics: a CNN2 trained with
// momentum SGD reached a low training loss but chance test accuracy. After the last epoch Fit therefore
// recomputes them with the final weights in one forward pass over the training rows (what PyTorch's
// torch.optim.swa_utils.update_bn does).
package nn
