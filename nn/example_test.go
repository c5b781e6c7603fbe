package nn_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"

	"github.com/simdnn/simdnn/nn"
)

// The lecture's network: two inputs, two sigmoid hidden units, one sigmoid
// output, binary cross-entropy, trained by full-batch gradient descent on
// XOR, the function no single neuron can compute.
func Example() {
	x := []float32{0, 0, 0, 1, 1, 0, 1, 1} // four samples of two inputs
	y := []float32{0, 1, 1, 0}             // their XOR
	net, err := nn.New[float32](nn.Architecture{
		Sizes:       []int{2, 2, 1},
		Activations: []nn.Activation{nn.Sigmoid, nn.Sigmoid},
		Loss:        nn.BCE,
	}, 3)
	if err != nil {
		log.Fatal(err)
	}
	err = net.Train(x, y, nn.NewSGD(net, 1), nn.TrainConfig{Epochs: 2000, BatchSize: 4})
	if err != nil {
		log.Fatal(err)
	}
	out := make([]float32, 4)
	net.Predict(out, x)
	for i := range 4 {
		fmt.Printf("%v XOR %v = %d   (ŷ = %.2f)\n", x[2*i], x[2*i+1], net.Classify(x[2*i:2*i+2]), out[i])
	}
	// Output:
	// 0 XOR 0 = 0   (ŷ = 0.01)
	// 0 XOR 1 = 1   (ŷ = 0.99)
	// 1 XOR 0 = 1   (ŷ = 0.99)
	// 1 XOR 1 = 0   (ŷ = 0.01)
}

// A PyTorch-style outer loop of one-epoch Train calls: the network counts
// its epochs, so each call shuffles afresh (and the loop trains exactly the
// weights one call of 500 epochs would).
func ExampleNetwork_Train_epochLoop() {
	x := []float32{0, 0, 0, 1, 1, 0, 1, 1}
	y := []float32{0, 1, 1, 0}
	net, err := nn.New[float32](nn.Architecture{
		Sizes:       []int{2, 8, 1},
		Activations: []nn.Activation{nn.ReLU, nn.Sigmoid},
		Loss:        nn.BCE,
	}, 1)
	if err != nil {
		log.Fatal(err)
	}
	opt := nn.NewAdam(net, 0.01)
	for range 500 {
		if err := net.Train(x, y, opt, nn.TrainConfig{Epochs: 1, BatchSize: 2, Shuffle: true, Seed: 7}); err != nil {
			log.Fatal(err)
		}
	}
	_, acc := net.Evaluate(x, y)
	fmt.Println("epochs:", net.Epochs(), "accuracy:", acc)
	// Output:
	// epochs: 500 accuracy: 1
}

// One backward pass through the 2-2-1 sigmoid network with hand-set
// weights: the gradients are the chain rule's
// ∂L/∂W² = (ŷ−y)·a¹ᵀ and ∂L/∂W¹ = ((ŷ−y)·W²ᵀ ⊙ a¹(1−a¹))·xᵀ.
func ExampleNetwork_Backward() {
	net, _ := nn.New[float64](nn.Architecture{
		Sizes:       []int{2, 2, 1},
		Activations: []nn.Activation{nn.Sigmoid, nn.Sigmoid},
		Loss:        nn.BCE,
	}, 1)
	net.Layer(0).SetWeights([]float64{0.15, 0.20, 0.25, 0.30}) // row-major out×in
	net.Layer(0).SetBias([]float64{0.35, 0.35})
	net.Layer(1).SetWeights([]float64{0.40, 0.45})
	net.Layer(1).SetBias([]float64{0.60})

	x, y := []float64{0.05, 0.10}, []float64{1}
	dx := make([]float64, 2)
	loss := net.Backward(x, y, dx)
	fmt.Printf("loss  %.6f\n", loss)
	fmt.Printf("dW2   %.6f\n", net.Layer(1).WeightGrad())
	fmt.Printf("db2   %.6f\n", net.Layer(1).BiasGrad())
	fmt.Printf("dW1   %.6f\n", net.Layer(0).WeightGrad())
	fmt.Printf("db1   %.6f\n", net.Layer(0).BiasGrad())
	fmt.Printf("dL/dx %.6f\n", dx)
	// Output:
	// loss  0.285864
	// dW2   [-0.147508 -0.148406]
	// db2   [-0.248635]
	// dW1   [-0.001200 -0.002400 -0.001346 -0.002692]
	// db1   [-0.023998 -0.026921]
	// dL/dx [-0.010330 -0.012876]
}

// A classifier from data to saved model, as a scikit-learn or PyTorch user
// writes one: three classes of points around three centres, standardized
// with statistics from the training rows, a 2-16-3 ReLU network trained by
// AdamW on a cosine schedule, scored on test rows, and saved with its
// standardizer. The README's library section shows this code.
func ExampleNetwork_Train() {
	rng := rand.New(rand.NewPCG(1, 2))
	centres := [][2]float64{{0, 0}, {6, 1}, {1, 6}}
	points := func(n int) ([]float32, []int) { // n points, 2 features each, and their classes
		x, labels := make([]float32, 0, 2*n), make([]int, n)
		for i := range labels {
			c := i % 3
			labels[i] = c
			x = append(x, float32(centres[c][0]+rng.NormFloat64()), float32(centres[c][1]+rng.NormFloat64()))
		}
		return x, labels
	}
	xTrain, lTrain := points(300)
	xTest, lTest := points(150)

	std, err := nn.FitStandardizer(xTrain, 2) // scikit-learn's StandardScaler
	if err != nil {
		log.Fatal(err)
	}
	std.Transform(xTrain, xTrain)
	std.Transform(xTest, xTest)
	yTrain, err := nn.OneHot[float32](lTrain, 3)
	if err != nil {
		log.Fatal(err)
	}

	net, err := nn.New[float32](nn.Architecture{
		Sizes:       []int{2, 16, 3},
		Activations: []nn.Activation{nn.ReLU, nn.Identity},
		Loss:        nn.SoftmaxCrossEntropy,
	}, 1)
	if err != nil {
		log.Fatal(err)
	}
	opt := nn.NewAdamW(net, 0.01)
	cfg := nn.TrainConfig{Epochs: 20, BatchSize: 16, Shuffle: true, Seed: 1,
		Schedule: nn.CosineLR{Initial: 0.01, Min: 0.001, Epochs: 20}}
	if err := net.Train(xTrain, yTrain, opt, cfg); err != nil {
		log.Fatal(err)
	}

	pred := make([]int, len(lTest))
	net.ClassifyBatch(pred, xTest)
	confusion, err := nn.ConfusionMatrix(lTest, pred, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("test accuracy %.2f\n", nn.Accuracy(lTest, pred))
	fmt.Println("confusion matrix:", confusion)

	dir, err := os.MkdirTemp("", "nn-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := net.Save(filepath.Join(dir, "model.safetensors"), std.Metadata("features.")); err != nil {
		log.Fatal(err)
	}
	// Output:
	// test accuracy 1.00
	// confusion matrix: [[50 0 0] [0 50 0] [0 0 50]]
}

// Saving a network with preprocessing metadata and loading it back.
func ExampleLoad() {
	net, _ := nn.New[float32](nn.Architecture{
		Sizes:       []int{3, 4, 2},
		Activations: []nn.Activation{nn.ReLU, nn.Identity},
		Loss:        nn.SoftmaxCrossEntropy,
	}, 1)
	dir, _ := os.MkdirTemp("", "nn-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")
	if err := net.Save(path, map[string]string{"feature_means": "0.5,1,2"}); err != nil {
		log.Fatal(err)
	}

	loaded, meta, err := nn.Load[float32](path)
	if err != nil {
		log.Fatal(err)
	}
	x := []float32{1, 2, 3}
	a, b := make([]float32, 2), make([]float32, 2)
	net.Predict(a, x)
	loaded.Predict(b, x)
	fmt.Println(loaded.Architecture())
	fmt.Println(meta["feature_means"])
	fmt.Println(a[0] == b[0] && a[1] == b[1])
	// Output:
	// 3-4(relu)-2(identity) softmax_cross_entropy
	// 0.5,1,2
	// true
}

// Inference from many goroutines on one network: Predict, Classify and
// Evaluate are safe for concurrent use (training is not).
func ExampleNetwork_Classify_concurrent() {
	net, _ := nn.New[float32](nn.Architecture{
		Sizes:       []int{4, 8, 3},
		Activations: []nn.Activation{nn.ReLU, nn.Identity},
		Loss:        nn.SoftmaxCrossEntropy,
	}, 1)
	inputs := [][]float32{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}
	classes := make([]int, len(inputs))
	var wg sync.WaitGroup
	for i, x := range inputs {
		wg.Go(func() { classes[i] = net.Classify(x) })
	}
	wg.Wait()
	for i, x := range inputs {
		fmt.Println(classes[i] == net.Classify(x))
	}
	// Output:
	// true
	// true
	// true
	// true
}

// Loading a model trained in PyTorch: the state_dict of
// torch.nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)) saved
// in float16 with safetensors' save_file (this fixture was written by
// testdata/gen_pytorch.py with numpy, in the same layout). The tensors are
// named 0.weight, 0.bias, 2.weight, 2.bias and carry no architecture, so
// the caller gives it; SavePyTorch writes the same layout back.
func ExampleLoadPyTorch() {
	net, meta, err := nn.LoadPyTorch[float32]("testdata/pytorch/sequential_F16.safetensors", nn.Architecture{
		Sizes:       []int{3, 4, 2},
		Activations: []nn.Activation{nn.ReLU, nn.Identity},
		Loss:        nn.SoftmaxCrossEntropy,
	})
	if err != nil {
		log.Fatal(err)
	}
	x := []float32{0.5, -1, 2, 1.5, 0.25, -0.75} // two samples
	p := make([]float32, 4)
	net.Probabilities(p, x)
	classes := make([]int, 2)
	net.ClassifyBatch(classes, x)
	fmt.Println(meta["format"], classes)
	fmt.Printf("%.3f\n", p)
	// Output:
	// pt [1 1]
	// [0.240 0.760 0.095 0.905]
}
