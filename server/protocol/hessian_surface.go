package protocol

// StartHessian is the Hessian H = ∇²J of a surface at a trajectory set's
// start, in TrajCreated, so that the learning-rate control can mark where
// gradient descent stops being stable. On H's quadratic model, gradient
// descent θ ← θ − α∇J multiplies the error along an eigenvector of
// curvature λ by 1 − αλ each step: it converges only while α < 2/λmax
// (MaxRate), and the constant rate that contracts fastest, min over α of
// max |1 − αλ|, is α* = 2/(λmin + λmax) (BestRate; Polyak 1964, and Goh,
// "Why momentum really works", Distill 2017). Both are exact for a surface
// whose Hessian is the same everywhere (Constant: the quadratic bowl, Booth,
// the saddle) and local elsewhere.
//
//	"startHessian":{"hessian":[1,0,25],"eigen":[1,25],"constant":true,"maxRate":0.08,"bestRate":0.0769,
//	 "stableRates":[0.08,null]}
type StartHessian struct {
	Hessian  [3]float64 `json:"hessian"`            // hxx, hxy, hyy
	Eigen    [2]float64 `json:"eigen"`              // λmin ≤ λmax
	Constant bool       `json:"constant"`           // H is the same at every point
	MaxRate  float64    `json:"maxRate,omitempty"`  // 2/λmax, when λmax > 0
	BestRate float64    `json:"bestRate,omitempty"` // 2/(λmin + λmax), when λmin > 0
	// StableRates are, for each optimizer of the set in order, the largest
	// stable α on the quadratic model, Factor/(λmax + weight decay) with
	// optim.Stability's Factor: 2/λmax for gradient descent, 2(1+μ)/((1−τ)λmax)
	// for heavy-ball momentum, (2+2μ)/((1+2μ)λmax) for Nesterov; null where none
	// applies (Adagrad, RMSprop, Adam's preconditioned rate, second-order
	// methods, λmax ≤ 0).
	StableRates []*float64 `json:"stableRates"`
}
