# The two commands of the README:
#   make run   install build packages, build, start `stratus server ./data` on 127.0.0.1:9000
#   make test  install build and test packages, build, run unit and integration tests
# `make asan-test` runs the same tests on an AddressSanitizer + UBSan build (CI does both).

# Compiler-cache hits across checkouts (CI builds a fresh clone in another folder).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

PRESET ?= release
BUILD := build/$(PRESET)
JOBS ?= $(shell nproc)

.PHONY: run test build asan-test unit integration format deps test-deps js-deps

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	@[ -f $(BUILD)/build.ninja ] || cmake --preset $(PRESET)
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/stratus server ./data

js-deps:
	@cd tests/integration/js && { [ -d node_modules/@aws-sdk/client-s3 ] || npm ci --no-audit --no-fund --loglevel=error; }

unit:
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# pytest runs under Debian's interpreter (python3-pytest); the suite also drives the boto3 and
# aws-cli first on PATH when they differ from Debian's.
integration:
	STRATUS_BINARY=$(CURDIR)/$(BUILD)/stratus /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/integration

test: test-deps js-deps build unit integration

asan-test:
	$(MAKE) PRESET=asan build unit integration

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i
