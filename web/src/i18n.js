// All of the page's text, one table per language. Keys missing from a table
// fall back to English.

const en = {
  tabTrain: "Train", tabCompare: "Compare", tabSurface: "Surface", tabDraw: "Draw",
  surfaceComing: "Coming in a later version: optimizers moving on 2-D test functions such as Rosenbrock. Not available yet.",
  drawComing: "Coming in a later version: draw a digit and see the network's ten probabilities. Not available yet.",
  connecting: "Connecting…", connected: "Live", disconnected: "Connection lost — reconnecting in {s} s",
  network: "Network", hidden: "Hidden units", activation: "Activation",
  optimizer: "Optimizer", hyper: "Hyperparameters", lr: "Learning rate α", batch: "Batch size",
  batchSGD: "SGD (1)", batchMini: "Mini-batch (64)", batchFull: "Batch GD (all {n})",
  epochs: "Epochs", seed: "Seed", schedule: "Schedule", updateRule: "Update rule",
  start: "Start", pause: "Pause", resume: "Resume", stop: "Stop", delete: "Delete",
  rename: "Rename", renamePrompt: "A new name for this run (1 to 80 characters)",
  run: "Run", noRun: "No run yet. Set the network and press Start.", watching: "Watching",
  lossChart: "Training loss per step", smoothing: "Smoothing", logY: "Log scale",
  accChart: "Test accuracy per epoch", testLossChart: "Test loss per epoch",
  gradChart: "Gradient norm ‖∇J‖ per step", ratioChart: "Update ratio ‖Δw‖/‖w‖ per step",
  lrChart: "Learning rate α per step", progress: "Progress",
  stepsPerSec: "steps/s", eta: "left", step: "Step", epoch: "Epoch",
  loss: "Loss", trainLoss: "Training loss", raw: "raw", smoothed: "smoothed", accuracy: "Accuracy", testLoss: "Test loss",
  weightsTitle: "First-layer weights: each hidden unit as a 28×28 image",
  weightsNote: "Blue is negative, red positive; each image is scaled to its own largest weight.",
  confusionTitle: "Confusion matrix (rows: actual, columns: predicted)",
  samplesTitle: "The first 10 test images", predicted: "predicted", actual: "actual", wrong: "wrong",
  samplesWait: "Predictions appear after the first epoch.",
  status_queued: "queued", status_running: "running", status_paused: "paused",
  status_done: "done", status_stopped: "stopped", status_diverged: "diverged",
  status_interrupted: "interrupted",
  divergedAt: "diverged at step {k}",
  compareWhat: "Compare", cmpRates: "Learning rates", cmpOptimizers: "Optimizers", cmpBatches: "Batch sizes",
  rates: "Rates", ratesHint: "Comma-separated, e.g. 0.001, 0.01, 0.1",
  preset: "Preset", ownList: "Your own list",
  cmpNote: "Every run starts from identical initial weights and sees the minibatches in an identical order, so the setting compared is the only difference.",
  startSweep: "Start comparison", sweepOf: "Comparison",
  overlay: "Training loss, overlaid (smoothed)", multiples: "Each run on its own scale",
  xEpochs: "epochs", table: "Results", colRun: "Run", colStatus: "Status",
  colLoss: "Final loss", colAcc: "Accuracy", colTime: "Time",
  lrRangeTitle: "LR range test", lrRangeNote: "One short run whose rate rises exponentially from 1e-5 to 10; the loss against the rate shows where learning is fastest.",
  lrRangeStart: "Run the range test", suggested: "suggested α ≈ {lr}",
  errorPrefix: "Refused", allowed: "allowed", field: "field",
  on: "on", off: "off", runs: "Runs",
  surfaceOnly: "surface only", networkGroup: "train the network",
  trainForm: "Training settings", compareForm: "Comparison settings", views: "Views",
  // The Draw view (draw.js).
  drawTitle: "Draw a digit", drawHint: "One digit, 0 to 9, with the mouse, a pen or a finger.",
  undo: "Undo", clear: "Clear", drawModel: "Network", drawAuto: "Best finished run (automatic)",
  drawQuick: "Train a quick model (1 epoch)", drawQuickLabel: "quick model",
  drawAnswer: "The network's answer", drawSees: "What the network sees (28×28)",
  drawSeesNote: "The network gets 28×28 pixels: your drawing cropped to its ink, fitted into 20×20 and centred by its mass, as the MNIST digits were made.",
  drawProbs: "Probability of each digit", drawSure: "{p} sure",
  drawUnsure: "Not sure: {a} ({pa}) or {b} ({pb})?",
  drawBy: "Answered by {run} with the weights after epoch {e}",
  drawInitial: "Answered by {run} with its initial weights: not trained yet",
  drawEmpty: "Draw a digit to see the answer.",
  drawNeedRun: "No network has trained yet: the button above trains one in a few seconds.",
  drawSaved: "Saved models", drawByModel: "Answered by the saved model {name}",
  // The Surface view (surface.js).
  surfForm: "Surface settings", surfFunction: "Function", surfStart: "Start point", surfOwnStart: "your own (clicked)",
  surfStartHint: "Or click (tap) the surface to start there.",
  surfSteps: "Steps", surfTol: "Tolerance on ‖∇f‖", surfAdd: "Add an optimizer", surfRemove: "Remove",
  surfFirstOrder: "first order (∇f only)", surfSecondOrder: "second order (Hessian H)", surfLineSearch: "line search",
  surfPlay: "Play", surfReset: "Reset", surfSpeed: "Speed", surfMax: "as fast as possible", surfResetView: "Reset view",
  surfCanvas: "Loss surface: click to set the start, drag or arrow keys to pan, wheel, pinch or + and − to zoom",
  surfHelp: "Click or tap to set the start; hover or tap a point to see its numbers; drag to pan; wheel or pinch to zoom.",
  surfFChart: "f(θ) − f* per step (log scale)", surfGChart: "Gradient norm ‖∇f‖ per step",
  surfFEvals: "f evals", surfGEvals: "∇f evals", surfHEvals: "H evals", surfFinal: "Final point", surfF: "f",
  surfStatus_running: "running", surfStatus_converged: "converged", surfStatus_stepLimit: "step limit", surfStatus_failed: "failed",
  surfState_starting: "starting…", surfState_paused: "paused", surfState_playing: "playing", surfState_done: "done", surfState_deleted: "",
  surfCurvature: "H is", "surfCurv_positive definite": "positive definite", surfCurv_singular: "singular",
  "surfCurv_not positive definite": "not positive definite",
  surfNotPD: "H is not positive definite here: the Newton step −H⁻¹∇f can point towards a saddle or uphill.",
  surfEvals: "evaluations f / ∇f / H", surfHBefore: "H where the step began",
  surfArrows: "Red arrow: −∇f (direction). Dashed arrow: the step Δθ that led here.",
  // Downloads (downloads.js).
  dlMenu: "Download", dlPNG: "Figure (PNG)", dlSVG: "Figure (SVG)", dlCSV: "Data (CSV)", dlJSON: "Data (JSON)",
  dlModel: "Model file (.descent)", dlAccPNG: "Accuracy figure (PNG)", dlNothing: "Nothing to download yet.",
  dlFailed: "Download failed",
};

const ko = {
  tabTrain: "학습", tabCompare: "비교", tabSurface: "곡면", tabDraw: "그리기",
  surfaceComing: "다음 버전에서 제공 예정: Rosenbrock 같은 2차원 함수 위에서 움직이는 옵티마이저. 아직 사용할 수 없습니다.",
  drawComing: "다음 버전에서 제공 예정: 숫자를 그리면 신경망이 열 개의 확률을 보여 줍니다. 아직 사용할 수 없습니다.",
  connecting: "연결 중…", connected: "실시간", disconnected: "연결 끊김 — {s}초 후 다시 연결",
  network: "신경망", hidden: "은닉 유닛 수", activation: "활성화 함수",
  optimizer: "옵티마이저", hyper: "하이퍼파라미터", lr: "학습률 α", batch: "배치 크기",
  batchSGD: "SGD (1)", batchMini: "미니배치 (64)", batchFull: "배치 GD (전체 {n})",
  epochs: "에폭", seed: "시드", schedule: "학습률 스케줄", updateRule: "갱신 규칙",
  start: "시작", pause: "일시정지", resume: "재개", stop: "중지", delete: "삭제",
  rename: "이름 바꾸기", renamePrompt: "이 실행의 새 이름 (1~80자)",
  run: "실행", noRun: "아직 실행이 없습니다. 신경망을 설정하고 시작을 누르세요.", watching: "보는 중",
  lossChart: "스텝별 학습 손실", smoothing: "평활화", logY: "로그 눈금",
  accChart: "에폭별 테스트 정확도", testLossChart: "에폭별 테스트 손실",
  gradChart: "스텝별 기울기 크기 ‖∇J‖", ratioChart: "스텝별 갱신 비율 ‖Δw‖/‖w‖",
  lrChart: "스텝별 학습률 α", progress: "진행",
  stepsPerSec: "스텝/초", eta: "남음", step: "스텝", epoch: "에폭",
  loss: "손실", trainLoss: "학습 손실", raw: "원값", smoothed: "평활값", accuracy: "정확도", testLoss: "테스트 손실",
  weightsTitle: "첫 번째 층의 가중치: 은닉 유닛마다 28×28 이미지",
  weightsNote: "파랑은 음수, 빨강은 양수이며, 각 이미지는 자신의 가장 큰 가중치로 정규화합니다.",
  confusionTitle: "혼동 행렬 (행: 실제, 열: 예측)",
  samplesTitle: "처음 10개의 테스트 이미지", predicted: "예측", actual: "실제", wrong: "틀림",
  samplesWait: "첫 에폭이 끝나면 예측이 나타납니다.",
  status_queued: "대기", status_running: "실행 중", status_paused: "일시정지",
  status_done: "완료", status_stopped: "중지됨", status_diverged: "발산",
  status_interrupted: "중단됨",
  divergedAt: "{k} 스텝에서 발산",
  compareWhat: "비교 대상", cmpRates: "학습률", cmpOptimizers: "옵티마이저", cmpBatches: "배치 크기",
  rates: "학습률 목록", ratesHint: "쉼표로 구분, 예: 0.001, 0.01, 0.1",
  preset: "미리 정한 목록", ownList: "직접 입력",
  cmpNote: "모든 실행은 같은 초기 가중치에서 출발하고 같은 순서로 미니배치를 봅니다. 따라서 비교하는 설정만 다릅니다.",
  startSweep: "비교 시작", sweepOf: "비교",
  overlay: "학습 손실 겹쳐 보기 (평활화)", multiples: "실행별 개별 눈금",
  xEpochs: "에폭", table: "결과", colRun: "실행", colStatus: "상태",
  colLoss: "최종 손실", colAcc: "정확도", colTime: "시간",
  lrRangeTitle: "학습률 범위 테스트", lrRangeNote: "학습률을 1e-5에서 10까지 지수적으로 올리는 짧은 실행입니다. 학습률에 따른 손실에서 학습이 가장 빠른 곳을 찾습니다.",
  lrRangeStart: "범위 테스트 실행", suggested: "추천 α ≈ {lr}",
  errorPrefix: "거부됨", allowed: "허용 범위", field: "항목",
  on: "켬", off: "끔", runs: "실행 목록",
  // The server's hyperparameter and schedule descriptions (English comes from the server).
  hp_momentum: "모멘텀 μ", hp_dampening: "모멘텀 버퍼에 들어가는 기울기의 감쇠 τ",
  hp_weightDecay: "가중치 감쇠 λ", hp_nesterov: "Nesterov 모멘텀 (μ > 0, τ = 0 필요)",
  hp_lrDecay: "학습률 감쇠 η: αₜ = α/(1 + (t − 1)η)", hp_initialAccumulatorValue: "첫 스텝 전의 s",
  hp_eps: "분모에 더하는 ε", hp_alpha: "평활 상수 ρ", hp_centered: "√(v − ḡ²)로 나눔",
  hp_beta1: "1차 모멘트 m의 감쇠 β₁", hp_beta2: "2차 모멘트 v의 감쇠 β₂",
  hp_amsgrad: "v의 누적 최댓값 사용 (AMSGrad)",
  hp_stepSize: "주기 s (스텝)", hp_gamma: "감쇠 인자 γ", hp_tMax: "반주기 T (스텝)", hp_etaMin: "가장 작은 학습률 η",
  hp_warmupSteps: "길이 W (스텝)", hp_startFactor: "t = 0에서의 인자 f",
  sched_constant: "일정", sched_step: "계단식 감쇠 (StepLR)", sched_exponential: "지수 감쇠 (ExponentialLR)",
  sched_cosine: "코사인 어닐링 (CosineAnnealingLR)", sched_warmup: "선형 워밍업 (LinearLR)",
  surfaceOnly: "곡면 전용", networkGroup: "신경망 학습",
  trainForm: "학습 설정", compareForm: "비교 설정", views: "화면",
  // 그리기 화면 (draw.js).
  drawTitle: "숫자 그리기", drawHint: "마우스, 펜 또는 손가락으로 0부터 9까지 숫자 하나를 그리세요.",
  undo: "되돌리기", clear: "지우기", drawModel: "신경망", drawAuto: "가장 좋은 완료된 실행 (자동)",
  drawQuick: "빠른 모델 학습 (1 에폭)", drawQuickLabel: "빠른 모델",
  drawAnswer: "신경망의 답", drawSees: "신경망이 보는 이미지 (28×28)",
  drawSeesNote: "신경망은 28×28 픽셀을 받습니다: 그림을 잉크가 있는 곳만 잘라 20×20에 맞추고 무게중심을 가운데에 둡니다. MNIST 숫자를 만든 방법과 같습니다.",
  drawProbs: "숫자별 확률", drawSure: "확신 {p}",
  drawUnsure: "잘 모르겠어요: {a} ({pa}) 아니면 {b} ({pb})?",
  drawBy: "{run}의 답, {e} 에폭 후의 가중치",
  drawInitial: "{run}의 답, 아직 학습 전의 초기 가중치",
  drawEmpty: "숫자를 그리면 답이 나타납니다.",
  drawNeedRun: "아직 학습한 신경망이 없습니다: 위 버튼으로 몇 초 만에 학습합니다.",
  drawSaved: "저장된 모델", drawByModel: "저장된 모델 {name}의 답",
  // 곡면 화면 (surface.js).
  surfForm: "곡면 설정", surfFunction: "함수", surfStart: "시작점", surfOwnStart: "직접 고른 점 (클릭)",
  surfStartHint: "또는 곡면을 클릭(탭)하면 그곳에서 시작합니다.",
  surfSteps: "스텝 수", surfTol: "‖∇f‖ 허용 오차", surfAdd: "옵티마이저 추가", surfRemove: "삭제",
  surfFirstOrder: "1차 (∇f만 사용)", surfSecondOrder: "2차 (헤세 행렬 H)", surfLineSearch: "직선 탐색",
  surfPlay: "재생", surfReset: "처음으로", surfSpeed: "속도", surfMax: "최대 속도", surfResetView: "보기 초기화",
  surfCanvas: "손실 곡면: 클릭하면 시작점, 끌거나 화살표 키로 이동, 휠, 두 손가락 또는 +와 −로 확대",
  surfHelp: "클릭하거나 탭하면 시작점이 됩니다. 점 위에 올리거나 탭하면 그 스텝의 값이 보입니다. 끌어서 이동하고, 휠이나 두 손가락으로 확대합니다.",
  surfFChart: "스텝별 f(θ) − f* (로그 눈금)", surfGChart: "스텝별 기울기 크기 ‖∇f‖",
  surfFEvals: "f 계산", surfGEvals: "∇f 계산", surfHEvals: "H 계산", surfFinal: "마지막 점", surfF: "f",
  surfStatus_running: "실행 중", surfStatus_converged: "수렴", surfStatus_stepLimit: "스텝 한도", surfStatus_failed: "실패",
  surfState_starting: "시작 중…", surfState_paused: "일시정지", surfState_playing: "재생 중", surfState_done: "완료", surfState_deleted: "",
  surfCurvature: "H는", "surfCurv_positive definite": "양의 정부호", surfCurv_singular: "특이 행렬",
  "surfCurv_not positive definite": "양의 정부호가 아님",
  surfNotPD: "여기서 H는 양의 정부호가 아닙니다: 뉴턴 스텝 −H⁻¹∇f가 안장점 쪽이나 오르막을 향할 수 있습니다.",
  surfEvals: "계산 횟수 f / ∇f / H", surfHBefore: "스텝을 시작한 점의 H",
  surfArrows: "빨간 화살표: −∇f (방향). 점선 화살표: 이 점으로 온 스텝 Δθ.",
  // 내려받기 (downloads.js).
  dlMenu: "내려받기", dlPNG: "그림 (PNG)", dlSVG: "그림 (SVG)", dlCSV: "데이터 (CSV)", dlJSON: "데이터 (JSON)",
  dlModel: "모델 파일 (.descent)", dlAccPNG: "정확도 그림 (PNG)", dlNothing: "아직 내려받을 것이 없습니다.",
  dlFailed: "내려받기 실패",
};

const tables = { en, ko };
let lang = pickLanguage();
const listeners = [];

function pickLanguage() {
  const saved = localStorage.getItem("descent.lang");
  if (saved && tables[saved]) return saved;
  return (navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en";
}

/** t returns the text for key in the current language, with {name} filled from vars. */
export function t(key, vars = {}) {
  return tOr(key, key, vars);
}

/** tOr is t with a fallback for keys that no table has (texts from the server). */
export function tOr(key, fallback, vars = {}) {
  const s = tables[lang][key] ?? en[key] ?? fallback;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? vars[k] : `{${k}}`));
}

export function language() { return lang; }

export function setLanguage(l) {
  lang = tables[l] ? l : "en";
  localStorage.setItem("descent.lang", lang);
  document.documentElement.lang = lang;
  applyStatic();
  listeners.forEach((f) => f(lang));
}

/** onLanguage registers a function that redraws text when the language changes. */
export function onLanguage(f) { listeners.push(f); }

/** applyStatic fills every element that has data-i18n. */
export function applyStatic(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => {
    el.textContent = tOr(el.dataset.i18n, el.dataset.i18nFallback ?? el.dataset.i18n) + (el.dataset.i18nSuffix ?? "");
  });
  root.querySelectorAll("optgroup[data-i18n-group]").forEach((el) => { el.label = t(el.dataset.i18nGroup); });
  root.querySelectorAll("[data-i18n-label]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.i18nLabel)); });
}
