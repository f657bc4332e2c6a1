# The two commands of the README: `make reports` and `make test`. Everything else is a step
# they use. Real data and reference artefacts are read from ../shared when it exists.

SWIFT    ?= swift
PROFILE  ?= quick
CHAPTER  ?=
APT_PKGS := libhdf5-dev pkg-config parallel
RELEASE  := .build/release
CHAPTERS := 01-keras-interop 02-model-zoo 03-rq1-decomposition-cost 04-rq2-reuse 05-rq3-replacement 06-motivating-examples

.PHONY: all deps build build-release test snapshots reports record verify cost bench jobs fuzz fuzz-build sanitize clean

all: build

# Installs the system libraries (and GNU parallel, which runs `make jobs` stages) when missing
# (as root, or through sudo).
deps:
	@if pkg-config --exists hdf5 2>/dev/null && command -v parallel > /dev/null; then \
	  echo "deps: libhdf5 and GNU parallel present"; \
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
# Work-unit results are recomputed for smoke/quick; the paper profile keeps its unit results in
# reports/paper/results/ (committed: the record accumulates across runs and machines), runs the
# missing ones and writes reports/paper/ (trained models are cached in .zoo/).
REPORTS_DIR = $(if $(filter paper,$(PROFILE)),reports/paper,reports)
reports: build-release
	@if [ "$(PROFILE)" != paper ]; then rm -rf .results/$(PROFILE); fi
	@set -e; for c in $(CHAPTERS); do \
	  case "$$c" in $(if $(CHAPTER),$(CHAPTER)*,*)) echo "== chapter $$c ($(PROFILE))"; $(RELEASE)/ch$$c --profile $(PROFILE) --reports $(REPORTS_DIR);; esac; \
	done

# The paper record rendered from the unit results committed in reports/paper/results/, running
# nothing: each report opens with "Coverage: N of M units" and lists the rows not yet run.
record: build-release
	@set -e; for c in $(CHAPTERS); do \
	  case "$$c" in $(if $(CHAPTER),$(CHAPTER)*,*)) $(RELEASE)/ch$$c --profile paper --record --reports reports/paper;; esac; \
	done

# One unit of the paper record computed again and compared with its result file, value by value
# (timings aside), in a fresh temporary zoo, so its models are trained again: `make verify
# UNIT=<id>` (a batch id needs CHAPTER=NN). Exits 1 on any difference (scale-out/verify-unit.sh).
verify: build-release
	@scale-out/verify-unit.sh $(RELEASE) "$(UNIT)" "$(CHAPTER)"

# The cost table: per chapter and kind of unit, the measured seconds per unit (from the result
# files) and the estimated total of the profile on 2 and on COST_CORES cores (scale-out/cost-table.sh).
COST_CORES ?= 16
cost: build-release
	@scale-out/cost-table.sh $(RELEASE) $(JOBS_PROFILE) $(if $(filter paper,$(JOBS_PROFILE)),reports/paper/results,.results/$(JOBS_PROFILE)) $(COST_CORES)

# Speed targets (never timed tests). PEER_PYTHON=/path/to/python with tf_keras adds tf.keras side by side.
bench: build-release
	$(RELEASE)/kit-bench $(if $(PEER_PYTHON),--peer-python $(PEER_PYTHON))

# A profile's work units (default the paper's) as one job file per stage: jobs-1-train.txt
# (chapter 2 trains the zoo), jobs-2-experiments.txt (chapters 1, 3-6, one unit per line),
# jobs-3-merge.txt (each chapter merges its results into its report). Run them in order:
#   parallel < jobs-1-train.txt && parallel < jobs-2-experiments.txt && parallel < jobs-3-merge.txt
# or on Slurm: scale-out/slurm-submit.sh (one array per stage, chained with afterok).
JOBS_PROFILE ?= paper
jobs: build-release
	@scale-out/stage-jobs.sh $(RELEASE) $(JOBS_PROFILE) $(if $(filter paper,$(JOBS_PROFILE)),reports/paper/results,.results/$(JOBS_PROFILE)) $(if $(filter paper,$(JOBS_PROFILE)),reports/paper,reports) .

# Fuzzing (issue 11): four libFuzzer targets in Fuzz/ (a package of its own that depends on the
# kit by path, so `make test` never needs libFuzzer): the Keras model reader, the model_config
# JSON parser, the dataset reader and the BLEU sentence-file reader, built with
# -sanitize=fuzzer,address, each run single-process for SECONDS (Fuzz/run.sh prints executions,
# exec/s and findings, split into the kit's and libhdf5's by the report's first frame; corpora,
# artifacts and logs stay in FUZZ_WORK; Fuzz/replay.sh replays artifacts through the CLI). When the test build of
# `make test` exists, the malformed-input corpus of the CLI tests is exported once as seeds.
SECONDS    ?= 600
FUZZ_WORK  ?= .fuzz
SHARED_DIR ?= ../shared
# swiftc keeps only the last -sanitize= it is given, so the pair SwiftPM passes for two
# --sanitize options leaves Swift code without coverage: the combined flag comes last.
FUZZ_FLAGS := -j 1 -c release --package-path Fuzz --scratch-path .build-fuzz --sanitize fuzzer --sanitize address \
              -Xswiftc -sanitize=fuzzer,address

fuzz-build: deps
	$(SWIFT) build $(FUZZ_FLAGS)

fuzz: fuzz-build
	@if [ ! -d $(FUZZ_WORK)/malformed ] && [ -d .build-test/release ]; then \
	  echo "fuzz: exporting the malformed-input corpus (CLI tests) as seeds"; \
	  CORPUS_EXPORT=$(abspath $(FUZZ_WORK))/malformed $(SWIFT) test $(TEST_FLAGS) --skip-build \
	    --filter everyCaseFailsCleanly > /dev/null || echo "fuzz: export failed, going on without it"; \
	fi
	Fuzz/run.sh .build-fuzz/release $(FUZZ_WORK) $(SECONDS) $(SHARED_DIR) keras config dataset bleu

# The test suite once under AddressSanitizer (Swift and C) and UndefinedBehaviorSanitizer (the C
# targets: swiftc has no -sanitize=undefined on Linux, and Swift traps on overflow and bounds
# itself), one build in its own folder; the log is kept in .build-sanitize/sanitize.log.
# Tests/lsan.supp: leaks of the Swift toolchain's libraries (each with its reason). ASan leaves
# SIGSEGV, SIGBUS and SIGFPE to the program: the CLI's crash guard must see its worker die of
# them (its tests raise SIGSEGV in the worker, and libhdf5 crashes on the CorruptHDF5/ files);
# with ASan's handler the worker printed a report and exited 1 instead, which the guard cannot
# tell from an error. Memory errors are still reported (they are detected, not signalled).
SANITIZE_FLAGS := -c release -Xswiftc -enable-testing --scratch-path .build-sanitize --sanitize address -Xcc -fsanitize=undefined

sanitize: deps
	$(SWIFT) build -j 1 $(SANITIZE_FLAGS) --build-tests
	@( KIT_SANITIZER=address,undefined SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0 LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp:print_suppressions=0 \
	   $(SWIFT) test $(SANITIZE_FLAGS) --skip-build 2>&1; \
	   echo $$? > .build-sanitize/status ) | tee .build-sanitize/sanitize.log; status=$$(cat .build-sanitize/status); \
	  echo "sanitize: $$(grep -c 'ERROR: AddressSanitizer' .build-sanitize/sanitize.log) AddressSanitizer reports," \
	       "$$(grep -c 'ERROR: LeakSanitizer' .build-sanitize/sanitize.log) LeakSanitizer reports," \
	       "$$(grep -c 'runtime error:' .build-sanitize/sanitize.log) UndefinedBehaviorSanitizer reports, test exit $$status"; \
	  exit $$status

clean:
	rm -rf .build

# Rewrites the report-structure snapshots of the smoke chapters (Tests/CLITests/Snapshots/*.structure.txt:
# headings, table headers and row labels, no numbers) from a fresh smoke run; commit them when a
# report's structure changes on purpose. `make test` compares against them.
snapshots: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	UPDATE_SNAPSHOTS=1 $(SWIFT) test $(TEST_FLAGS) --skip-build --filter 'ChapterTests/smokeRun'
