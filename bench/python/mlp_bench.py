#!/usr/bin/python3
"""PyTorch and numpy on the bench module's shapes, in Go's benchmark format.

The report command (bench/cmd/report) runs this script between its Go passes,
so that its tables divide figures measured in one run. It passes every shape
on the command line (the lists live once, in internal/benchshape), e.g.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 python/mlp_bench.py \\
        --gemm NN:256x256x256,NT:32x256x784 --net 784-256-128-10 \\
        --batches 1,8,32 --predict 1,1024 --benchtime 0.05

and it prints, like `go test -bench`, configuration lines and then one line
per benchmark, the implementation last:

    python-torch: 1.13.0a0
    BenchmarkGemm/type=f32/op=NT/shape=32x256x784/impl=torch 1000 52000 ns/op 7.72 GFLOP/s
    BenchmarkTrainStep/net=784-256-128-10/step=batch32/impl=torch 100 803000 ns/op 39850 samples/s

Everything runs on one thread: torch.set_num_threads(1), and OMP_NUM_THREADS=1
and OPENBLAS_NUM_THREADS=1 in the environment before torch and numpy load
(the script sets them where the caller has not); with --threads N, on N
threads, under the names of bench/threads_test.go. On Debian both libraries
call the system's BLAS, OpenBLAS, which chooses its kernels by
OPENBLAS_CORETYPE or the CPU: the python-openblas-core line names them.

What is measured, float32 throughout:
  - Gemm: torch's C.addmm_(op(A), op(B), beta=0.5, alpha=1.1), the BLAS sgemm
    with the Go benchmarks' scalars, and numpy's matmul(op(A), op(B), out=C)
    (numpy has no α and β), the transposed operands as views, as a user
    writes them;
  - TrainStep, step=batchN: one SGD step on N samples of the softmax
    cross-entropy MLP (ReLU hidden layers, mean loss over the batch, lr 1e-3):
    forward, loss, backward, update; in torch with nn.Linear layers,
    F.cross_entropy and optim.SGD (zero_grad, backward, step), in numpy by
    hand, with matmul for every product;
  - TrainStep, step=predictN: the network's output for N rows in one call
    (torch under no_grad).
"""

import argparse
import ctypes
import os
import platform
import sys
import time

def threads_arg(argv):
    """The --threads value, read before argparse runs: the thread pools are
    sized from the environment when torch and numpy load."""
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            return int(argv[i + 1])
        if a.startswith("--threads="):
            return int(a.split("=", 1)[1])
    return None


THREADS = threads_arg(sys.argv)
# With --threads N the configuration lines that depend on it get a key of
# their own, so that the one-thread run's lines in the same output stand.
KEY_SUFFIX = f"-on-{THREADS}-threads" if THREADS else ""
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, str(THREADS or 1))

try:
    import numpy as np
except ImportError:
    np = None
try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

ALPHA, BETA = 1.1, 0.5  # internal/benchshape's Alpha and Beta
LR = 1e-3  # bench/nn_test.go's trainLR
CYCLE_BATCHES, MAX_ROWS = 64, 8192  # bench/nn_test.go's trainBatches, trainMaxRows


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--gemm", default="", help="products OP:MxNxK, comma-separated (OP: NN, NT, TN, TT)")
    p.add_argument("--net", default="", help="layer widths of the MLP, e.g. 784-256-128-10")
    p.add_argument("--batches", default="", help="batch sizes of the training steps, comma-separated")
    p.add_argument("--predict", default="", help="rows of the inference calls, comma-separated")
    p.add_argument("--benchtime", type=float, default=0.05, help="seconds each benchmark runs, at least")
    p.add_argument("--impls", default="torch,numpy", help="implementations to run, comma-separated")
    p.add_argument("--threads", type=int, default=None,
                   help="run on this many threads, named as bench/threads_test.go names its benchmarks "
                        "(BenchmarkGemmThreads/.../threads=N/impl=torch)")
    return p.parse_args()


def bench_name(kind, keys):
    """The name of a benchmark up to its impl key: Benchmark<kind>/<keys> on
    one thread, Benchmark<kind>Threads/<keys>/threads=N with --threads (and
    without the type key, which those names do not have)."""
    if THREADS is None:
        return f"Benchmark{kind}/{keys}"
    return f"Benchmark{kind}Threads/{keys.removeprefix('type=f32/')}/threads={THREADS}"


def ints(s):
    return [int(v) for v in s.split(",") if v]


def bench(name, f, benchtime, work=None, unit=None):
    """Times f like Go's b.Loop: one call to warm up, then rounds of n calls,
    n growing until a round lasts benchtime; prints the last round."""
    f()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            f()
        elapsed = time.perf_counter() - t0
        if elapsed >= benchtime or n >= 1_000_000_000:
            break
        n = int(min(max(n * benchtime * 1.2 / max(elapsed, 1e-9), n + 1), 100 * n))
    line = f"{name} {n} {elapsed / n * 1e9:.0f} ns/op"
    if work is not None:
        line += f" {work * n / elapsed:.4g} {unit}"
    print(line, flush=True)


def openblas_core():
    """The kernel set of the OpenBLAS this process loaded, or "" if none."""
    try:
        with open("/proc/self/maps") as f:
            libs = {l.split()[-1] for l in f if "openblas" in l and ".so" in l}
    except OSError:
        return ""
    for lib in sorted(libs):
        try:
            get = ctypes.CDLL(lib).openblas_get_corename
        except (OSError, AttributeError):
            continue
        get.restype = ctypes.c_char_p
        return get().decode()
    return ""


def gemm_case(spec):
    op, shape = spec.split(":")
    m, n, k = (int(v) for v in shape.split("x"))
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (k, m) if op[0] == "T" else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if op[1] == "T" else (k, n)).astype(np.float32)
    c = rng.uniform(-1, 1, (m, n)).astype(np.float32)
    return op, m, n, k, a, b, c


def bench_gemm(specs, impls, benchtime):
    for spec in specs:
        op, m, n, k, a, b, c = gemm_case(spec)
        name = bench_name("Gemm", f"type=f32/op={op}/shape={m}x{n}x{k}")
        flops = 2 * m * n * k
        if "torch" in impls:
            ta, tb, tc = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(c.copy())
            ta = ta.t() if op[0] == "T" else ta
            tb = tb.t() if op[1] == "T" else tb
            bench(f"{name}/impl=torch", lambda: tc.addmm_(ta, tb, beta=BETA, alpha=ALPHA), benchtime, flops / 1e9, "GFLOP/s")
        if "numpy" in impls:
            na = a.T if op[0] == "T" else a
            nb = b.T if op[1] == "T" else b
            nc = c.copy()
            bench(f"{name}/impl=numpy", lambda: np.matmul(na, nb, out=nc), benchtime, flops / 1e9, "GFLOP/s")


def train_data(widths, rows):
    """rows samples: inputs uniform in [0, 1), class labels, float32."""
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 1, (rows, widths[0])).astype(np.float32)
    y = rng.integers(0, widths[-1], rows)
    return x, y


def cycle_rows(batch):
    return batch * max(1, min(CYCLE_BATCHES, MAX_ROWS // batch))


def init_weights(widths):
    """He-uniform weights (out×in, as nn keeps them) and zero biases."""
    rng = np.random.default_rng(1)
    ws, bs = [], []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        lim = np.sqrt(6 / fan_in)
        ws.append(rng.uniform(-lim, lim, (fan_out, fan_in)).astype(np.float32))
        bs.append(np.zeros(fan_out, np.float32))
    return ws, bs


def torch_model(widths):
    ws, bs = init_weights(widths)
    layers = []
    for i, (w, b) in enumerate(zip(ws, bs)):
        lin = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if i < len(ws) - 1:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def bench_torch_net(net, widths, batches, predict, benchtime):
    for batch in batches:
        x, y = train_data(widths, cycle_rows(batch))
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)
        model = torch_model(widths)
        opt = torch.optim.SGD(model.parameters(), lr=LR)
        state = {"i": 0}
        nb = len(x) // batch

        def step():
            s = (state["i"] % nb) * batch
            state["i"] += 1
            opt.zero_grad()
            F.cross_entropy(model(tx[s:s + batch]), ty[s:s + batch]).backward()
            opt.step()

        bench(f"{bench_name('TrainStep', f'net={net}/step=batch{batch}')}/impl=torch", step, benchtime, batch, "samples/s")
    for rows in predict:
        x, _ = train_data(widths, cycle_rows(rows))
        tx = torch.from_numpy(x)
        model = torch_model(widths)
        state = {"i": 0}
        nb = len(x) // rows

        def infer():
            s = (state["i"] % nb) * rows
            state["i"] += 1
            with torch.no_grad():
                model(tx[s:s + rows])

        bench(f"{bench_name('TrainStep', f'net={net}/step=predict{rows}')}/impl=torch", infer, benchtime, rows, "samples/s")


def numpy_forward(ws, bs, x):
    """The activations of every layer: the input, the ReLU hidden layers and
    the output's logits."""
    acts = [x]
    for i, (w, b) in enumerate(zip(ws, bs)):
        z = np.matmul(acts[-1], w.T)
        z += b
        if i < len(ws) - 1:
            np.maximum(z, 0, out=z)
        acts.append(z)
    return acts


def numpy_step(ws, bs, x, y):
    """One SGD step on the batch x, y: softmax cross-entropy, mean over the
    batch, gradients by hand."""
    acts = numpy_forward(ws, bs, x)
    z = acts[-1]
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(len(y)), y]))
    delta = p
    delta[np.arange(len(y)), y] -= 1
    delta /= len(y)
    for i in range(len(ws) - 1, -1, -1):
        dw = np.matmul(delta.T, acts[i])
        db = delta.sum(axis=0)
        if i > 0:
            delta = np.matmul(delta, ws[i])
            delta *= acts[i] > 0
        ws[i] -= LR * dw
        bs[i] -= LR * db
    return loss


def bench_numpy_net(net, widths, batches, predict, benchtime):
    for batch in batches:
        x, y = train_data(widths, cycle_rows(batch))
        ws, bs = init_weights(widths)
        state = {"i": 0}
        nb = len(x) // batch

        def step():
            s = (state["i"] % nb) * batch
            state["i"] += 1
            numpy_step(ws, bs, x[s:s + batch], y[s:s + batch])

        bench(f"{bench_name('TrainStep', f'net={net}/step=batch{batch}')}/impl=numpy", step, benchtime, batch, "samples/s")
    for rows in predict:
        x, _ = train_data(widths, cycle_rows(rows))
        ws, bs = init_weights(widths)
        state = {"i": 0}
        nb = len(x) // rows

        def infer():
            s = (state["i"] % nb) * rows
            state["i"] += 1
            numpy_forward(ws, bs, x[s:s + rows])

        bench(f"{bench_name('TrainStep', f'net={net}/step=predict{rows}')}/impl=numpy", infer, benchtime, rows, "samples/s")


def main():
    args = parse_args()
    impls = set(args.impls.split(","))
    print(f"python: {platform.python_version()} ({sys.executable})")
    print(f"python-numpy: {np.__version__ if np is not None else 'missing'}")
    print(f"python-torch: {torch.__version__ if torch is not None else 'missing'}")
    if np is None:
        # Both benchmarks build their data with numpy.
        return
    if torch is None:
        impls.discard("torch")
    else:
        torch.set_num_threads(THREADS or 1)
        print(f"python-torch-threads{KEY_SUFFIX}: {torch.get_num_threads()}")
    print(f"python-openblas-core: {openblas_core() or 'none loaded'}")
    print(f"python-openblas-coretype-env: {os.environ.get('OPENBLAS_CORETYPE', 'unset')}")
    print(f"python-threads-env{KEY_SUFFIX}: OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']} "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}", flush=True)

    bench_gemm([s for s in args.gemm.split(",") if s], impls, args.benchtime)
    if args.net:
        widths = ints(args.net.replace("-", ","))
        if "torch" in impls:
            bench_torch_net(args.net, widths, ints(args.batches), ints(args.predict), args.benchtime)
        if "numpy" in impls:
            bench_numpy_net(args.net, widths, ints(args.batches), ints(args.predict), args.benchtime)


if __name__ == "__main__":
    main()
