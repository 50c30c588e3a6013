# Mimic: full-system ARM emulator. `make help` lists the targets.

export PATH := /usr/local/go/bin:$(PATH)
GO      ?= go
PKGS    := $(shell $(GO) list ./... 2>/dev/null)
BIN     := bin/mimic

.PHONY: interop soak pgo help build build-sdl run generate roms test check acceptance bench lint conformance-record tidy-check deps-check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 22

build: ## build bin/mimic
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/mimic

build-sdl: ## build bin/mimic with the SDL window and sound (-display sdl, -audiodev sdl; cgo, installs libsdl2-dev)
	scripts/apt-install.sh libsdl2-dev gcc pkg-config
	CGO_ENABLED=1 $(GO) build -tags sdl -o $(BIN) ./cmd/mimic

run: build-sdl ## build with SDL and run the bundled demo (or RUNARGS="-display sdl ...")
	./$(BIN) $(RUNARGS)

generate: ## regenerate generated Go code (decoder tables)
	$(GO) generate ./...

roms: ## rebuild the bundled guest programs (needs gcc-arm-none-eabi)
	scripts/apt-install.sh gcc-arm-none-eabi
	$(MAKE) -C roms

conformance-record: ## rebuild conformance images and re-record references from QEMU
	scripts/apt-install.sh gcc-arm-none-eabi qemu-system-arm
	$(MAKE) -C conformance/programs build record
	$(MAKE) -C conformance/random generate record

lint: ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@# Hosts without the native backend (and 32-bit ones) must still build.
	GOOS=linux GOARCH=arm64 $(GO) build -o /dev/null ./cmd/mimic
	GOOS=linux GOARCH=386 $(GO) build -o /dev/null ./cmd/mimic

test: lint ## self-contained tests (no QEMU, no cross compiler)
	$(GO) test -timeout 20m $(PKGS)

tidy-check: ## fail if go generate or go mod tidy change the tree
	$(GO) generate ./...
	$(GO) mod tidy
	@if [ -n "$$(git status --porcelain)" ]; then echo "tree not clean after go generate / go mod tidy:"; git status --porcelain; git diff | head -50; exit 1; fi

acceptance: build ## end-to-end checks of the mimic binary
	scripts/acceptance.sh

interop: ## disk images against QEMU's own tools: qemu-img check/compare/info, locks (installs qemu-utils)
	scripts/apt-install.sh qemu-utils
	$(GO) test -tags qemu -count=1 -timeout 20m ./devices/disk/ ./frontend/img/

check: test tidy-check interop acceptance ## make test, tree-clean checks, QEMU interop, acceptance on real guests

soak: build ## 200 realtime Linux boots to the shell and back, 2 at a time (a hang fails after 60 s)
	scripts/soak.sh 200

pgo: build ## re-record cmd/mimic/default.pgo from the CPU benchmark (and a Linux boot when guests are fetched)
	scripts/pgo.sh

bench: build ## benchmarks (ratios against QEMU when it is installed)
	scripts/bench.sh
