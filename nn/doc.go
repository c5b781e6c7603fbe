// Package nn builds, trains, saves and loads multilayer perceptrons on the
// simdnn kernels: float32 for speed, float64 for checking.
//
// # The network
//
// A Network[T] of L dense layers maps an input x = a⁰ of Sizes[0] values to
// an output aᴸ of Sizes[L] values:
//
//	zˡ = Wˡ aˡ⁻¹ + bˡ,   aˡ = hˡ(zˡ),   l = 1 … L,
//
// where Wˡ is a Sizes[l]×Sizes[l−1] matrix stored row-major (one row per
// output, the layout of PyTorch's nn.Linear.weight: W[i*in+j] connects input j
// to output i), bˡ has Sizes[l] values, and hˡ is the layer's activation:
// Identity h(z) = z, Sigmoid h(z) = σ(z) = 1/(1+e⁻ᶻ), ReLU h(z) = max(z, 0), or
// Tanh h(z) = tanh(z).
//
// # Losses
//
// A batch of B samples (xₛ, yₛ) with m outputs each has the loss
//
//	MSE:                 L = 1/(B·m) Σₛ Σⱼ (aⱼ − yⱼ)²
//	BCE:                 L = 1/(B·m) Σₛ Σⱼ −yⱼ log σ(zⱼ) − (1−yⱼ) log(1−σ(zⱼ))
//	SoftmaxCrossEntropy: L = 1/B Σₛ Σⱼ −yⱼ log softmax(z)ⱼ
//
// means over the batch (and over the outputs for MSE and BCE), as PyTorch's
// MSELoss, BCEWithLogitsLoss and CrossEntropyLoss with reduction "mean"
// compute them. BCE needs a Sigmoid output layer and is computed from the
// logit z, never from log σ(z):
//
//	−y log σ(z) − (1−y) log(1−σ(z)) = max(z, 0) − z·y + log(1 + e^(−|z|)),
//
// which is finite for every finite z (z = ±30 and far beyond included).
// SoftmaxCrossEntropy needs an Identity output layer (its outputs are the
// logits; Softmax turns them into probabilities) and is computed with the
// log-sum-exp shift lse(z) = max(z) + log Σₖ e^(zₖ−max(z)), so large logits
// cannot overflow. Targets y are vectors of m values: 0/1 (or probabilities)
// for BCE, one-hot vectors (or probability distributions) for
// SoftmaxCrossEntropy, any values for MSE; OneHot builds them from labels.
//
// # Backpropagation
//
// For one sample the gradient of the loss with respect to the output logits,
// δᴸ = ∂L/∂zᴸ, is
//
//	BCE:                 δᴸ = (ŷ − y)/(B·m)            with ŷ = σ(zᴸ)
//	SoftmaxCrossEntropy: δᴸ = ((Σⱼ yⱼ)·softmax(zᴸ) − y)/B   (softmax(zᴸ) − y for one-hot y)
//	MSE:                 δᴸ = 2(aᴸ − y)/(B·m) ⊙ hᴸ′(zᴸ)
//
// and the chain rule carries it back through the layers:
//
//	δˡ⁻¹ = (Wˡᵀ δˡ) ⊙ hˡ⁻¹′(zˡ⁻¹),   ∂L/∂Wˡ = Σₛ δˡ aˡ⁻¹ᵀ,   ∂L/∂bˡ = Σₛ δˡ,   ∂L/∂x = W¹ᵀ δ¹,
//
// with σ′(z) = a(1−a), tanh′(z) = 1 − a², ReLU′(z) = 1 if a > 0 and 0 otherwise
// (so ReLU′(0) = 0, as in PyTorch) and Identity′ = 1. For the 2-2-1 sigmoid network with BCE this
// is the familiar ∂L/∂W² = (ŷ−y)·a¹ᵀ and ∂L/∂W¹ = ((ŷ−y)·W²ᵀ ⊙ a¹(1−a¹))·xᵀ.
//
// Network.Backward computes these gradients for a batch into each layer's
// WeightGrad and BiasGrad (and ∂L/∂x on request); an Optimizer (SGD with
// momentum and weight decay, Adam, or AdamW with decoupled weight decay)
// then updates the weights, and a Schedule (StepLR, CosineLR or one of your
// own) may set its learning rate epoch by epoch.
// Network.SGDStep is the per-sample shortcut that fuses the backward pass with
// the plain gradient-descent update W −= lr·δaᵀ, reading and writing each
// weight once (kernels.SdenseBackwardSGD); Network.Train takes the same path
// for per-sample SGD without momentum, with weight decay folded into it. Network.Train runs epochs of
// shuffled mini-batches and stops with a *DivergenceError when the loss stops
// being finite.
//
// # Batches
//
// Backward, Train with mini-batches, and Predict and Evaluate on many
// samples run batch-major: a block of B samples is a B×width row-major
// matrix of activations, and each layer's passes over it are matrix-matrix
// products (kernels Gemm),
//
//	Z = X·Wᵀ + 1·bᵀ,   A = h(Z),   Δ = G ⊙ h′,   ∂L/∂W = Δᵀ·X,   ∂L/∂b = Σₛ Δₛ,   G_prev = Δ·W,
//
// so that each weight is read once per block instead of once per sample.
// Blocks hold up to 256 samples; longer batches run block after block
// (gradients added up), so memory stays bounded. The forward pass of fewer
// than 32 samples and the backward pass of fewer than 8 run sample by
// sample through the fused per-sample kernels instead, which are faster
// there because a matrix-matrix product first packs all of W; so do all
// passes when the kernels run their pure-Go implementation, whose Gemm is
// several times slower than its per-sample kernels. The two orders of
// summation differ by rounding only.
//
// # Around the network
//
// What scikit-learn users reach for next to a model: Probabilities (softmax
// or sigmoid of the outputs, as the loss reads them) and ClassifyBatch over
// many rows; Accuracy, ConfusionMatrix, RMSE and R2 as functions of true and
// predicted values; and a Standardizer fitted on the training rows, which
// the caller applies (Predict computes the network alone, as PyTorch would)
// and keeps in the model file's metadata.
//
// # Initialization
//
// New draws the weights from a seeded PCG generator (math/rand/v2), so a seed
// always gives the same network: Glorot/Xavier uniform U(−√(6/(in+out)),
// +√(6/(in+out))) for Sigmoid, Tanh and Identity layers, He (Kaiming) uniform
// U(−√(6/in), +√(6/in)) for ReLU layers; biases start at zero.
//
// # Memory and concurrency
//
// A Network allocates its weights, gradients and one sample's worth of
// scratch when it is made. The scratch of the batch-major passes (every
// layer's activations and gradients for a block of samples, plus the
// gathered inputs and targets of a training batch) grows once to the
// largest block it is given, at most 256 samples:
// 256·(2·(Sizes[1] + … + Sizes[L]) + Sizes[0] + Out()) values at most (one
// Out() more for BCE, which keeps the logits), 1.6 MB of float32 for
// 784-256-128-10; inference keeps the activations only, in scratch of its
// own taken from a pool (one per call running at once). Once warmed up with
// a batch size (or with 256 samples or more), Predict, Classify,
// ClassifyBatch, Probabilities, Evaluate, Backward, SGDStep, Optimizer.Step
// and the steps inside Train do not allocate.
//
// Inference is safe for concurrent use: Predict, Classify,
// ClassifyBatch, Probabilities, Evaluate, Clone, Encode and Save may be called from any
// number of goroutines on one Network at once. Training is not: Train,
// Backward, SGDStep, the optimizers' Step and Init change the weights, and
// when one of them overlaps any other call on the same network, the call that
// comes second panics ("nn: Predict: called while the network is being
// trained …"), whatever the interleaving, rather than return a wrong answer.
// (Checking costs two atomic operations per call; waiting would cost a lock
// on every prediction.) Writes through Params, Weights, SetWeights or
// SetBias are not watched. To predict while training, predict from a Clone.
//
// The batch-major passes run on every core: their matrix products are
// kernels.Sgemm and the batch layer kernels, which cut large products over
// kernels.Workers goroutines (kernels.SetWorkers; GOMAXPROCS by default),
// and the optimizers' Step updates the parameters in ranges on the same
// goroutines. The loss, the bias gradients and every other sum are taken in
// a fixed order, so training and inference give the same bits on any number
// of workers.
//
// # Files
//
// Save and Load use the safetensors format, so PyTorch users can read the
// weights (safetensors.torch.load_file): an 8-byte little-endian header
// length, a JSON header, then the raw little-endian tensors
// "layers.<i>.weight" (shape [out, in]) and "layers.<i>.bias" (shape [out]),
// with the architecture and any caller metadata (such as preprocessing
// statistics) as strings in "__metadata__". Load validates every field before
// it allocates anything the file's size does not vouch for.
//
// LoadPyTorch and SavePyTorch read and write the other layout PyTorch users
// have, a torch.nn.Sequential's state_dict ("<i>.weight", "<i>.bias" of
// each Linear; F32, F64, F16 or BF16 tensors), given the architecture.
//
// An optimizer's SaveState writes its state (hyperparameters, step count,
// momentum or moment buffers, under PyTorch's names) and the network's epoch
// count to a file beside the model's; after Load, the same kind of optimizer
// and LoadState, training resumes bit for bit where it stopped.
// TrainContext stops training between two steps when its context is done.
package nn
