# The two commands of the README: `make reports` and `make test`. Everything else is a step
# they use. Real data and reference artefacts are read from ../shared when it exists.

SWIFT    ?= swift
PROFILE  ?= quick
CHAPTER  ?=
APT_PKGS := libhdf5-dev pkg-config
RELEASE  := .build/release
CHAPTERS := 01-keras-interop 02-model-zoo 03-rq1-decomposition-cost 04-rq2-reuse 05-rq3-replacement 06-motivating-examples

.PHONY: all deps build build-release test reports bench jobs clean

all: build

# Installs the system libraries when pkg-config cannot find them (as root, or through sudo).
deps:
	@if pkg-config --exists hdf5 2>/dev/null; then \
	  echo "deps: libhdf5 present"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "deps: installing $(APT_PKGS)"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PKGS); \
	fi

build: deps
	$(SWIFT) build

build-release: deps
	$(SWIFT) build -c release

# Tests run optimised (numerical tests on real models take minutes unoptimised), with
# -enable-testing for @testable imports, in their own build folder so `make reports` and
# `make test` do not rebuild each other's objects.
TEST_FLAGS := -c release -Xswiftc -enable-testing --scratch-path .build-test

test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(SWIFT) test $(TEST_FLAGS) --skip-build

# Runs every chapter (or CHAPTER=NN) on the chosen profile and writes reports/NN-*.md.
# Work-unit results are recomputed for smoke/quick; the paper profile keeps and merges the
# results that `make jobs` units wrote to .results/paper (trained models are cached in .zoo/).
reports: build-release
	@if [ "$(PROFILE)" != paper ]; then rm -rf .results/$(PROFILE); fi
	@set -e; for c in $(CHAPTERS); do \
	  case "$$c" in $(if $(CHAPTER),$(CHAPTER)*,*)) echo "== chapter $$c ($(PROFILE))"; $(RELEASE)/ch$$c --profile $(PROFILE);; esac; \
	done

# Speed targets (never timed tests). PEER_PYTHON=/path/to/python with tf_keras adds tf.keras side by side.
bench: build-release
	$(RELEASE)/kit-bench $(if $(PEER_PYTHON),--peer-python $(PEER_PYTHON))

# The paper profile's independent work units, one shell command per line (jobs.txt), for GNU
# parallel (`parallel < jobs.txt`) or a Slurm array; then `make reports PROFILE=paper` merges.
jobs: build-release
	@rm -f jobs.txt; for c in $(CHAPTERS); do $(RELEASE)/ch$$c --profile paper --list-jobs >> jobs.txt; done
	@echo "wrote jobs.txt ($$(wc -l < jobs.txt) work units)"

clean:
	rm -rf .build
