package nn_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"sync"

	"github.com/simdnn/simdnn/internal/digits"
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

// Training the built-in digits data (8×8 images, 10 classes) with one hidden
// layer of 64 ReLU units and softmax cross-entropy, with per-sample SGD.
func ExampleNetwork_Train() {
	d, err := digits.Load()
	if err != nil {
		log.Fatal(err)
	}
	xTrain, lTrain := d.Rows(d.Train)
	xTest, lTest := d.Rows(d.Test)
	standardize(xTrain, xTest, digits.Features)

	net, err := nn.New[float64](nn.Architecture{
		Sizes:       []int{digits.Features, 64, digits.Classes},
		Activations: []nn.Activation{nn.ReLU, nn.Identity},
		Loss:        nn.SoftmaxCrossEntropy,
	}, 1)
	if err != nil {
		log.Fatal(err)
	}
	opt := nn.NewSGD(net, 0.01)
	opt.WeightDecay = 5e-3
	cfg := nn.TrainConfig{Epochs: 30, Shuffle: true, Seed: 1,
		OnEpoch: func(s nn.EpochStats) error {
			if s.Epoch%10 == 0 {
				fmt.Printf("epoch %d: training accuracy %.2f\n", s.Epoch, s.Accuracy)
			}
			return nil
		}}
	yTrain, err := nn.OneHot[float64](lTrain, 10)
	if err != nil {
		log.Fatal(err)
	}
	yTest, err := nn.OneHot[float64](lTest, 10)
	if err != nil {
		log.Fatal(err)
	}
	if err := net.Train(xTrain, yTrain, opt, cfg); err != nil {
		log.Fatal(err)
	}
	_, acc := net.Evaluate(xTest, yTest)
	fmt.Printf("test accuracy %.2f\n", acc)
	// Output:
	// epoch 10: training accuracy 1.00
	// epoch 20: training accuracy 1.00
	// epoch 30: training accuracy 1.00
	// test accuracy 0.98
}

// standardize rescales each feature of train and test to the mean 0 and
// deviation 1 of train.
func standardize(train, test []float64, features int) {
	mean := make([]float64, features)
	std := make([]float64, features)
	rows := float64(len(train) / features)
	for i, v := range train {
		mean[i%features] += v / rows
	}
	for i, v := range train {
		std[i%features] += (v - mean[i%features]) * (v - mean[i%features]) / rows
	}
	for j := range std {
		if std[j] = math.Sqrt(std[j]); std[j] == 0 {
			std[j] = 1
		}
	}
	for _, x := range [][]float64{train, test} {
		for i := range x {
			x[i] = (x[i] - mean[i%features]) / std[i%features]
		}
	}
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
