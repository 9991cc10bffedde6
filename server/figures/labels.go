package figures

// Meta is what a figure says about itself, in the page's language.
type Meta struct {
	// Title is drawn above the plot; empty means the figure's default title.
	Title string
	// Caption is one line under the plot with the settings of the runs
	// ("784-100-10 sigmoid, SGD α = 0.1, batch 64, seed 1"); it is wrapped
	// when it does not fit.
	Caption string
	// Lang is "en" or "ko". A Korean figure needs a font with Hangul (see
	// KoreanFont); without one it is drawn in English.
	Lang string
	// TitleEN and CaptionEN replace Title and Caption when a Korean figure
	// falls back to English. When they are empty, runes that the Latin font
	// cannot draw are shown as '?'.
	TitleEN, CaptionEN string
}

// labels are the words of the figures in one language. Axis labels carry
// their units.
type labels struct {
	step, epoch, loss, accuracy, learningRate           string
	raw, smoothed                                       string
	predicted, actual                                   string
	x, y, j, jGap, jRange, start, minimum, saddle, rate string
	// weightsNote explains the colours of WeightsFigure.
	weightsNote string
	// diverged is a format with the step, "diverged at step %d".
	diverged string
	// Default titles.
	lossTitle, accuracyTitle, sweepTitle, compareTitle string
	surfaceTitle, fTitle, confusionTitle, weightsTitle string
	// StepFigure's and GradStepFigure's axis labels and titles (∇ is drawn by the handler, plotkit.MathText).
	gradNorm, updateRatio, testLoss, gradF                    string
	gradNormTitle, ratioTitle, lrTitle, testLossTitle, gTitle string
	// statuses are a trajectory's statuses (optim.Status) in words.
	statuses map[string]string
	// lrRange are RangeTestFigure's title, axis and mark.
	lrRangeTitle, lrAxis, suggested string
}

var labelTable = map[string]labels{
	"en": {
		step: "step", epoch: "epoch", loss: "loss (cross-entropy)",
		accuracy: "test accuracy (%)", learningRate: "learning rate α",
		raw: "raw", smoothed: "smoothed (EMA %.2g)",
		predicted: "predicted digit", actual: "actual digit",
		x: "x", y: "y", j: "J(x, y)", jGap: "J − J* (log scale)", jRange: "J − min J",
		start: "start", minimum: "minimum", saddle: "saddle point", rate: "α = %g",
		diverged:    "diverged at step %d",
		weightsNote: "Each tile is one hidden unit's 784 input weights, scaled to its largest |w|; blue < 0 < orange",
		lossTitle:   "Training loss per step", accuracyTitle: "Test accuracy per epoch",
		sweepTitle: "Learning-rate sweep", compareTitle: "Optimizer comparison",
		surfaceTitle: "%s", fTitle: "J against the step on %s",
		confusionTitle: "Confusion matrix (test set)", weightsTitle: "First-layer weights",
		gradNorm: "gradient norm ‖∇J‖ (log scale)", updateRatio: "update ratio ‖Δθ‖/‖θ‖ (log scale)",
		testLoss: "test loss (cross-entropy)", gradF: "‖∇J‖ (log scale)",
		gradNormTitle: "Gradient norm per step", ratioTitle: "Update ratio per step",
		lrTitle: "Learning rate per step", testLossTitle: "Test loss per epoch", gTitle: "Gradient norm against the step on %s",
		statuses:     map[string]string{"running": "running", "converged": "converged", "diverged": "diverged", "stepLimit": "step limit", "failed": "failed"},
		lrRangeTitle: "LR range test: loss against the learning rate", lrAxis: "learning rate α (log scale)", suggested: "suggested α ≈ %.2g",
	},
	"ko": {
		step: "스텝", epoch: "에포크", loss: "손실 (교차 엔트로피)",
		accuracy: "테스트 정확도 (%)", learningRate: "학습률 α",
		raw: "원값", smoothed: "평활값 (EMA %.2g)",
		predicted: "예측 숫자", actual: "실제 숫자",
		x: "x", y: "y", j: "J(x, y)", jGap: "J − J* (로그 눈금)", jRange: "J − min J",
		start: "시작점", minimum: "최솟점", saddle: "안장점", rate: "α = %g",
		diverged:    "%d 스텝에서 발산",
		weightsNote: "각 타일은 은닉 유닛 하나의 입력 가중치 784개이며, 가장 큰 |w|로 정규화했습니다. 파랑 < 0 < 주황",
		lossTitle:   "스텝별 학습 손실", accuracyTitle: "에포크별 테스트 정확도",
		sweepTitle: "학습률 스윕", compareTitle: "옵티마이저 비교",
		surfaceTitle: "%s", fTitle: "%s에서 스텝별 J",
		confusionTitle: "혼동 행렬 (테스트 세트)", weightsTitle: "첫 번째 층의 가중치",
		gradNorm: "기울기 크기 ‖∇J‖ (로그 눈금)", updateRatio: "갱신 비율 ‖Δθ‖/‖θ‖ (로그 눈금)",
		testLoss: "테스트 손실 (교차 엔트로피)", gradF: "‖∇J‖ (로그 눈금)",
		gradNormTitle: "스텝별 기울기 크기", ratioTitle: "스텝별 갱신 비율",
		lrTitle: "스텝별 학습률", testLossTitle: "에포크별 테스트 손실", gTitle: "%s에서 스텝별 기울기 크기",
		statuses:     map[string]string{"running": "실행 중", "converged": "수렴", "diverged": "발산", "stepLimit": "스텝 한도", "failed": "실패"},
		lrRangeTitle: "학습률 범위 테스트: 학습률에 따른 손실", lrAxis: "학습률 α (로그 눈금)", suggested: "추천 α ≈ %.2g",
	},
}

// lang is a figure's resolved language with its words and font.
type lang struct {
	code string
	labels
	meta Meta
}

// newLang resolves m.Lang (falling back to English without a Hangul font)
// and the title and caption to draw.
func newLang(m Meta) lang {
	code := resolveLang(m.Lang)
	if code == "en" && code != m.Lang {
		if m.TitleEN != "" {
			m.Title = m.TitleEN
		}
		if m.CaptionEN != "" {
			m.Caption = m.CaptionEN
		}
	}
	m.Lang = code
	return lang{code: code, labels: labelTable[code], meta: m}
}

// status is a trajectory's status in words, or the status itself when the
// table has no word for it.
func (l lang) status(s string) string {
	if w, ok := l.statuses[s]; ok {
		return w
	}
	return s
}

// title returns the figure's title: Meta.Title, or def.
func (l lang) title(def string) string {
	if l.meta.Title != "" {
		return l.meta.Title
	}
	return def
}
