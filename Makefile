# dyadcode: `make run` and `make test` are the two commands a new machine
# needs. Both install missing system packages first (scripts/install-deps).

GO      ?= go
# migrated_fynedo is what `fyne build` adds: it tells Fyne every UI change
# from another goroutine goes through fyne.Do, so Fyne runs its single-thread
# fast path. Tests and the binary use the same tags so they run the same code.
TAGS    := migrated_fynedo
BIN     := bin/dyadcode
GOFLAGS_ALL := -tags $(TAGS)
# Go lives in /usr/local/go on the Debian images; make sure it is on PATH.
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin

.PHONY: all deps build run test vet fmt-check bench bench-media package package-windows test-windows clean

all: build

deps:
	@scripts/install-deps

build: deps
	$(GO) build $(GOFLAGS_ALL) -o $(BIN) ./cmd/dyadcode

# Opens the coding window on the bundled demo project (copied to the user's
# data directory on first use, so the shipped copy stays pristine).
run: build
	$(BIN) demo

fmt-check:
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet $(GOFLAGS_ALL) ./...

# Every test, including the GUI end-to-end test, which starts its own Xvfb.
# A generous timeout: the first cgo build of Fyne and FFmpeg bindings alone
# takes minutes on a 2-core machine.
test: deps fmt-check vet
	$(GO) test $(GOFLAGS_ALL) -timeout 40m ./...

bench: build
	$(GO) test $(GOFLAGS_ALL) -run '^$$' -bench . -benchtime 3x ./...

# The media engine next to the ffmpeg command on the same file, in one run:
# decode, exact seek vs plain seek, step back, 60 s of 1x playback. The file
# is a 75 s 1080p30 H.264 (long GOP, B-frames) made once with ffmpeg;
# BENCH_VIDEO=path measures another one.
BENCH_VIDEO ?= bin/bench-1080p30.mp4
bench-media: build
	@test -f $(BENCH_VIDEO) || ffmpeg -v error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 \
	  -f lavfi -i sine=frequency=440:sample_rate=48000 -t 75 -c:v libx264 -preset veryfast \
	  -g 250 -bf 3 -pix_fmt yuv420p -c:a aac -shortest $(BENCH_VIDEO)
	$(BIN) bench media $(BENCH_VIDEO)

# A desktop package (.tar.xz with .desktop file and icon) via the fyne tool,
# which reads FyneApp.toml from the main package's directory, and a .deb
# made from it whose Depends name the FFmpeg 5.1, GL and ALSA libraries the
# binary links. FyneApp.toml's [Migrations] fyneDo makes fyne build with
# -tags migrated_fynedo, the tests' tags; no --release, which would add the
# "release" tag the tests do not run with (check: go version -m bin/...).
VERSION := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
FYNE    := $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
package:
	@scripts/install-deps --package
	cp FyneApp.toml cmd/dyadcode/FyneApp.toml
	mkdir -p cmd/dyadcode/assets && cp assets/icon.png cmd/dyadcode/assets/icon.png
	cd cmd/dyadcode && $(FYNE) package -os linux; \
	  status=$$?; rm -rf FyneApp.toml assets fyne_metadata_init.go; exit $$status
	mkdir -p bin && mv cmd/dyadcode/dyadcode.tar.xz bin/dyadcode-$(VERSION)-linux-amd64.tar.xz
	cd bin && ../scripts/make-deb dyadcode-$(VERSION)-linux-amd64.tar.xz $(VERSION)
	@tar -xJOf bin/dyadcode-$(VERSION)-linux-amd64.tar.xz dyadcode/usr/local/bin/dyadcode >bin/.packaged && chmod +x bin/.packaged
	@$(GO) version -m bin/.packaged | grep -q -- '-tags=$(TAGS)$$' || { echo "package: the packaged binary was not built with -tags $(TAGS)" >&2; $(GO) version -m bin/.packaged | grep tags >&2; exit 1; }
	@rm -f bin/.packaged

# The Windows build, made and tested on this Linux machine (see
# scripts/package-windows and scripts/test-windows): FFmpeg 5.1 from Debian's
# source package cross-built once as LGPL DLLs (cached in
# ~/.cache/dyadcode), the exe with the tests' tags, a per-user NSIS
# installer and a portable zip; then the whole under Wine 8.
package-windows:
	@scripts/install-deps --windows
	scripts/package-windows

test-windows:
	scripts/test-windows

clean:
	rm -rf bin
