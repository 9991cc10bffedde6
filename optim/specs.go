package optim

// The registered methods. Defaults are torch's (torch.optim in 1.13); where
// torch has none (SGD's lr is required) the default suits the surfaces.

func lrParam(def float64) Param {
	return Param{Name: "lr", Default: def, Min: 0, Max: 10, Log: true, Doc: "learning rate α"}
}

func stepParam() Param {
	return Param{Name: "lr", Default: 1, Min: 0, Max: 10, MinOpen: true, Log: true, Doc: "step size α (1 is the full Newton step)"}
}

var (
	momentumParam = func(def float64) Param {
		return Param{Name: "momentum", Default: def, Min: 0, Max: 1, MaxOpen: true, Doc: "momentum μ"}
	}
	dampeningParam = Param{Name: "dampening", Min: 0, Max: 1, Doc: "dampening τ of the gradient in the momentum buffer"}
	decayParam     = func(def float64) Param {
		return Param{Name: "weightDecay", Default: def, Min: 0, Max: 1, Doc: "weight decay λ"}
	}
	nesterovParam = Param{Name: "nesterov", Max: 1, Bool: true, Doc: "Nesterov momentum (needs μ > 0, τ = 0)"}
	epsParam      = func(def float64) Param {
		return Param{Name: "eps", Default: def, Min: 0, Max: 1, Log: true, Doc: "ε added to the denominator"}
	}
	betaParam = func(name string, def float64, doc string) Param {
		return Param{Name: name, Default: def, Min: 0, Max: 1, MaxOpen: true, Doc: doc}
	}
	dampingParam = Param{Name: "damping", Default: 1, Min: 0, Max: 1e3, MinOpen: true, Log: true,
		Doc: "μ: where H is not positive definite, λ = μ − λ₁ makes the smallest eigenvalue of H + λI equal to μ"}
)

const (
	whyHessian = "Newton's method needs the Hessian H = ∇²J; for the 784-100-10 network H has " +
		"79,510² ≈ 6.3e9 entries (51 GB in float64), and solving H⁻¹∇J costs about 1.7e14 operations per step"
	whyCG = "conjugate gradient needs a line search, several evaluations of the loss on the whole " +
		"training set per step, and its directions break down on noisy minibatch gradients"
	whyBFGS = "BFGS keeps a dense estimate of H⁻¹, which for the 784-100-10 network has " +
		"79,510² ≈ 6.3e9 entries (51 GB in float64)"
)

var specs = []Spec{
	{Name: "gd", Title: "Gradient descent", Formula: "θ ← θ − α∇J(θ)", Kind: FirstOrder, Network: true, NetworkLR: 0.1,
		Params: []Param{lrParam(0.001)}},
	{Name: "sgd", Title: "SGD", Formula: "b ← μb + (1 − τ)(∇J(θ) + λθ);  θ ← θ − αb", Kind: FirstOrder, Network: true, NetworkLR: 0.1,
		Params: []Param{lrParam(0.001), momentumParam(0), dampeningParam, decayParam(0), nesterovParam}},
	{Name: "momentum", Title: "SGD with momentum", Formula: "b ← μb + ∇J(θ);  θ ← θ − αb", Kind: FirstOrder, Network: true, NetworkLR: 0.01,
		Params: []Param{lrParam(0.001), momentumParam(0.9), dampeningParam, decayParam(0)}},
	{Name: "nesterov", Title: "Nesterov momentum", Formula: "b ← μb + ∇J(θ);  θ ← θ − α(∇J(θ) + μb)", Kind: FirstOrder, Network: true, NetworkLR: 0.01,
		Params: []Param{lrParam(0.001), momentumParam(0.9), decayParam(0)}},
	{Name: "adagrad", Title: "Adagrad", Formula: "s ← s + g²;  θ ← θ − αg/(√s + ε)", Kind: FirstOrder, Network: true, NetworkLR: 0.01,
		Params: []Param{lrParam(0.01), {Name: "lrDecay", Min: 0, Max: 1, Doc: "learning-rate decay η: αₜ = α/(1 + (t − 1)η)"},
			decayParam(0), {Name: "initialAccumulatorValue", Min: 0, Max: 10, Doc: "s before the first step"}, epsParam(1e-10)}},
	{Name: "rmsprop", Title: "RMSprop", Formula: "v ← ρv + (1 − ρ)g²;  θ ← θ − αg/(√v + ε)", Kind: FirstOrder, Network: true, NetworkLR: 0.001,
		Params: []Param{lrParam(0.01), {Name: "alpha", Default: 0.99, Min: 0, Max: 1, Doc: "smoothing constant ρ"},
			epsParam(1e-8), decayParam(0), momentumParam(0), {Name: "centered", Max: 1, Bool: true, Doc: "divide by √(v − ḡ²)"}}},
	{Name: "adam", Title: "Adam", Formula: "m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  θ ← θ − α m̂/(√v̂ + ε)", Kind: FirstOrder, Network: true, NetworkLR: 0.001,
		Params: adamParams(0)},
	{Name: "adamw", Title: "AdamW", Formula: "θ ← θ(1 − αλ);  θ ← θ − α m̂/(√v̂ + ε)", Kind: FirstOrder, Network: true, NetworkLR: 0.001,
		Params: adamParams(0.01)},
	{Name: "newton", Title: "Newton's method", Formula: "w ← w − αH⁻¹∇J", Kind: SecondOrder, NeedsHessian: true,
		Params: []Param{stepParam()}, WhyNotNetwork: whyHessian},
	{Name: "newton-damped", Title: "Damped Newton", Formula: "w ← w − α(H + λI)⁻¹∇J", Kind: SecondOrder, NeedsHessian: true,
		Params: []Param{stepParam(), dampingParam}, WhyNotNetwork: whyHessian},
	{Name: "newton-ls", Title: "Newton with line search", Formula: "d ← −(H + λI)⁻¹∇J;  w ← w + t d, t by line search", Kind: SecondOrder, NeedsHessian: true,
		Params: []Param{dampingParam}, WhyNotNetwork: whyHessian},
	{Name: "cg", Title: "Conjugate gradient", Formula: "d ← −∇J + βd;  w ← w + t d, t by line search", Kind: LineSearch,
		Params: []Param{{Name: "fletcherReeves", Max: 1, Bool: true, Doc: "β of Fletcher–Reeves instead of Polak–Ribière"}}, WhyNotNetwork: whyCG},
	{Name: "bfgs", Title: "BFGS", Formula: "d ← −B⁻¹∇J;  w ← w + t d, t by line search;  B⁻¹ updated from Δw and Δ∇J", Kind: LineSearch,
		Params: []Param{}, WhyNotNetwork: whyBFGS},
}

func adamParams(wd float64) []Param {
	return []Param{lrParam(0.001), betaParam("beta1", 0.9, "decay β₁ of the first moment m"),
		betaParam("beta2", 0.999, "decay β₂ of the second moment v"), epsParam(1e-8), decayParam(wd),
		{Name: "amsgrad", Max: 1, Bool: true, Doc: "use the running maximum of v (AMSGrad)"}}
}

// newFirstOrder builds the first-order method name from validated values.
func newFirstOrder[T Float](name string, v map[string]float64) (Method[T], error) {
	switch name {
	case "gd", "sgd", "momentum", "nesterov":
		return &SGD[T]{LearningRate: v["lr"], Momentum: v["momentum"], Dampening: v["dampening"],
			WeightDecay: v["weightDecay"], Nesterov: name == "nesterov" || v["nesterov"] == 1, name: name}, nil
	case "adagrad":
		return &Adagrad[T]{LearningRate: v["lr"], LRDecay: v["lrDecay"], WeightDecay: v["weightDecay"],
			InitialAccumulatorValue: v["initialAccumulatorValue"], Eps: v["eps"]}, nil
	case "rmsprop":
		return &RMSprop[T]{LearningRate: v["lr"], Alpha: v["alpha"], Eps: v["eps"], WeightDecay: v["weightDecay"],
			Momentum: v["momentum"], Centered: v["centered"] == 1}, nil
	case "adam":
		return &Adam[T]{LearningRate: v["lr"], Beta1: v["beta1"], Beta2: v["beta2"], Eps: v["eps"],
			WeightDecay: v["weightDecay"], AMSGrad: v["amsgrad"] == 1}, nil
	case "adamw":
		a := Adam[T]{LearningRate: v["lr"], Beta1: v["beta1"], Beta2: v["beta2"], Eps: v["eps"],
			WeightDecay: v["weightDecay"], AMSGrad: v["amsgrad"] == 1}
		return &AdamW[T]{Adam: a}, nil
	}
	panic("optim: no constructor for first-order method " + name)
}
