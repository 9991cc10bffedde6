// Package kernels holds the float32 kernels of the MNIST network: a
// BLAS-compatible row-major [Sgemm], fused bias+activation kernels and
// the activations' derivatives, and the rest of a training step: the
// pixels' normalisation and prefetch ([Normalize], [Prefetch]),
// [Transpose], softmax with cross-entropy ([Softmax], with math.Exp's
// values bit for bit), and plain SGD's step with its norms ([SGD],
// [SGDOuter], [SGDOuterDot]), plus a few level-1 helpers, and the loss
// landscape's kernels. Every vector kernel outside the GEMM and the
// landscape's computes what its portable Go code computes, bit for bit.
//
// On amd64 the GEMM runs hand-written (generated, see gen_kernels.go)
// AVX-512 or AVX2+FMA register-blocked micro-kernels chosen at init from
// the CPU features; elsewhere, or when forced, a blocked pure-Go path is
// used. The portable path is also the reference implementation of the
// tests.
//
// Selecting the implementation:
//
//   - the environment variable DESCENT_KERNELS=portable (read once at
//     init) forces the pure-Go path; DESCENT_KERNELS=avx2 caps an AVX-512
//     machine to the AVX2 kernels;
//   - [SetPortable] switches at run time (tests, benchmarks);
//   - building with -tags purego drops the assembly altogether.
//
// [Impl] reports the path in use: "avx512", "avx2" or "portable".
//
// GEMM design (amd64): the vector dimension is n (columns of C). Register
// tiles are up to 14×32 (AVX-512, 28 zmm accumulators) or 6×16 (AVX2),
// rows split evenly so no tile is tiny; edge columns use masked loads and
// stores, never a scalar tail. op(A) is broadcast straight from memory in
// both layouts and B is read in place when not transposed; only a
// transposed B (the forward X·Wᵀ) is packed, with 8×8 / 4×4 register
// transposes, into a pooled buffer. k is cut in blocks of ≤ 512 and the
// B block is sized for L2. With m ≤ 4 the forward becomes dot products
// (GEMV). The activations use AVX-512 where there is one and AVX2
// otherwise; Axpy/Dot and the derivatives AVX2 on both x86 paths; the loss
// landscape's fused [AxpySigmoid] has an AVX-512 path too, and so have its
// base-2 kernels: [AxpySigmoid2Mul] (the second layer over the first in one
// pass), [Sigmoid2Quad] with [Exp2Scaled] (four grid points for one
// exponential), and [CrossEntropyFM] (the loss of feature-major logits,
// AVX2 as well). These are within a few float32 ulps of their float64
// formulas rather than bit for bit, and their portable Go versions are
// their tests' references besides float64.
//
// Benchmarks (one core): GOMAXPROCS=1 go test -run X -bench . -benchtime=0.3s
//
// All kernels are single-threaded and safe for concurrent use: the only
// package state is the read-mostly dispatch choice and a sync.Pool of
// packing buffers, so a caller repeating the same shapes allocates
// nothing in steady state.
package kernels

// The GEMM micro-kernels are generated: `make generate` (go generate)
// rewrites them, and TestGeneratedFiles checks that the committed files are
// what gen_kernels.go writes. The other assembly files are written by hand.
//
//go:generate go run gen_kernels.go
