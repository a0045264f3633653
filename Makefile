# weir — the two commands a new machine needs: `make demo` and `make test`.
GO      ?= go
BIN     := bin/weir
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
export CGO_ENABLED := 1

.PHONY: build demo test test-short fuzz bench vet fmt clean browser

build: ## build bin/weir
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/weir

demo: build ## build the example project end to end on embedded DuckDB
	cd examples/shop && rm -rf target && \
	  ../../$(BIN) query --file setup.sql >/dev/null && \
	  ../../$(BIN) build && \
	  ../../$(BIN) show marts.customers --limit 5

test: vet ## the whole suite, with the race detector, then every fuzz target briefly (CI runs exactly this)
	$(GO) test -race -count=1 -timeout 30m ./...
	$(MAKE) fuzz FUZZTIME=2000x

# Fuzz targets, each for FUZZTIME: a duration (20s) or a number of inputs
# (2000x). `make test` counts inputs: a duration's deadline can fail a
# target that found nothing ("context deadline exceeded", go.dev/issue/75804)
# when a loaded machine keeps a worker busy past it, as it did in CI once.
# A failing input lands in the package's testdata/fuzz/ and is replayed by
# every later go test.
FUZZTIME ?= 20s
fuzz: ## run each fuzz target briefly (FUZZTIME=20s)
	$(GO) test -run '^$$' -fuzz '^FuzzLexerVsDuckDB$$' -fuzztime $(FUZZTIME) ./compiler/sqllex
	$(GO) test -run '^$$' -fuzz '^FuzzLexerVsPostgres$$' -fuzztime $(FUZZTIME) ./compiler/sqllex
	$(GO) test -run '^$$' -fuzz '^FuzzModelHeader$$' -fuzztime $(FUZZTIME) ./models
	$(GO) test -run '^$$' -fuzz '^FuzzProjectFile$$' -fuzztime $(FUZZTIME) ./models
	$(GO) test -run '^$$' -fuzz '^FuzzRender$$' -fuzztime $(FUZZTIME) ./compiler
	$(GO) test -run '^$$' -fuzz '^FuzzSniff$$' -fuzztime $(FUZZTIME) ./adapters/csvsniff

# Browser tests (the docs site) drive Debian's chromium headless; they skip
# without it locally and fail without it in CI (WEIR_REQUIRE_BROWSER=1).
browser: ## install chromium for the browser tests when it is missing (apt)
	@if ! command -v chromium >/dev/null 2>&1; then \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update && $$sudo apt-get install -y chromium; \
	fi

test-short: ## quick tests while editing (no race detector)
	$(GO) test -count=1 ./...

vet: ## go vet, gofmt, and go.mod exactly as go mod tidy leaves it
	$(GO) vet ./...
	$(GO) mod tidy -diff
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

bench: build ## one row per performance goal on synthetic projects (docs/benchmarks.md); BENCHFLAGS='-cpuprofile DIR'
	$(GO) run ./internal/bench -weir $(BIN) $(BENCHFLAGS)

clean:
	rm -rf bin examples/shop/target examples/shop/warehouse.duckdb examples/shop/warehouse.duckdb.wal
