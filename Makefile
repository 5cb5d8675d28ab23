# podcastfy: `make run` and `make test` do all set-up on a fresh Debian/Ubuntu
# machine (system packages, npm packages, the Wails CLI), then run or test.
# `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

export CGO_ENABLED := 1
export DEBIAN_FRONTEND := noninteractive

VERSION   := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
GO_TEST_TIMEOUT ?= 45m
BENCHTIME ?= 1s

# Wails v2.9.2 links WebKit2GTK 4.0 unless built with the webkit2_41 tag.
# Debian 13 and Ubuntu 24.04 ship only 4.1; Debian 12 (CI) has 4.0.
WEBKIT := $(shell . /etc/os-release 2>/dev/null; case "$$ID-$${VERSION_ID%%.*}" in \
	(debian-1[3-9]|ubuntu-2[4-9]|ubuntu-[3-9]?) echo 4.1;; (*) echo 4.0;; esac)
WAILS_TAGS := $(if $(filter 4.1,$(WEBKIT)),-tags webkit2_41)

# System packages: the Wails webview (GTK, WebKit2GTK), MP3 encoding and
# playback headers, the real components the tests use (espeak-ng, ffmpeg,
# lame, mp3val, sox, poppler-utils; groff, ghostscript and texlive-latex-base to
# typeset the PDFs the extraction tests read), a headless X server and screenshots (xvfb, xauth,
# x11-utils, imagemagick), the browser and web server for end-to-end tests, and
# podget, a real podcast client the feed test subscribes.
APT_PACKAGES := build-essential pkg-config libgtk-3-dev libwebkit2gtk-$(WEBKIT)-dev \
	libmp3lame-dev libasound2-dev espeak-ng ffmpeg lame mp3val sox poppler-utils groff ghostscript texlive-latex-base \
	xvfb xauth x11-utils imagemagick tesseract-ocr chromium chromium-driver nginx-light podget

STAMPS    := bin/.stamps
WAILS     := bin/wails
NODE_DEPS := frontend/node_modules/.package-lock.json

.PHONY: help deps frontend build cli run check-display test test-frontend test-go bench screenshot clean test-api-e2e

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: $(STAMPS)/apt $(NODE_DEPS) $(WAILS) ## install system packages, npm packages and the Wails CLI

$(STAMPS)/apt: Makefile scripts/apt-deps.sh
	scripts/apt-deps.sh $(APT_PACKAGES)
	@mkdir -p $(@D) && touch $@

$(NODE_DEPS): frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20.19 or newer with npm 11" >&2; exit 1; }
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

# The Wails CLI is built from tools/, which pins it together with a
# golang.org/x/tools recent enough to compile with this Go release.
$(WAILS): tools/go.mod tools/go.sum
	cd tools && go build -o ../$(WAILS) github.com/wailsapp/wails/v2/cmd/wails

frontend: $(NODE_DEPS) ## build the frontend into frontend/dist (embedded by go:embed)
	cd frontend && npm run build

# -s: the frontend is built above; -m: never run go mod tidy; -nosyncgomod:
# leave go.mod alone. Bindings in frontend/wailsjs are regenerated: commit them.
build: deps frontend ## build the desktop app into build/bin/podcastfy
	$(WAILS) build -s -m -nosyncgomod -nocolour -trimpath $(WAILS_TAGS) -ldflags "$(LDFLAGS)"
	@echo "built build/bin/podcastfy ($(VERSION))"

cli: $(STAMPS)/apt frontend ## build bin/podcastfy without the webview (subcommands only)
	go build -trimpath -ldflags "$(LDFLAGS)" -o bin/podcastfy .
	@echo "built bin/podcastfy ($(VERSION))"

run: check-display build ## build and open the desktop app
	build/bin/podcastfy

# Fails before the build, not after it, when no window could open.
check-display:
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "make run: no display (DISPLAY and WAYLAND_DISPLAY are empty), so no window can open." >&2; \
		echo "Run it on a desktop session, or in a virtual X server: xvfb-run -a -s '-screen 0 1280x900x24' make run" >&2; \
		exit 1; \
	fi

# The Go tests run last so that their closing lines end the output; an
# end-to-end target (test-e2e) goes before test-go when it comes.
test: test-frontend test-api-e2e test-web-e2e check-bindings test-desktop test-go ## vet and test everything (what CI runs)

test-frontend: $(NODE_DEPS) ## type-check and unit-test the frontend
	cd frontend && npm run check
	cd frontend && npm test

# The LAN API end to end: the real binary serving on a free loopback port,
# real espeak-ng, Redocly CLI on the OpenAPI document and podcast-partytime
# on the RSS feed (e2e/api pins both).
API_E2E_DEPS := e2e/api/node_modules/.package-lock.json

$(API_E2E_DEPS): e2e/api/package.json e2e/api/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20.19 or newer with npm 11" >&2; exit 1; }
	cd e2e/api && npm ci --no-audit --no-fund
	@touch $@

test-api-e2e: $(STAMPS)/apt $(API_E2E_DEPS) frontend ## end-to-end test of podcastfy serve (LAN API)
	go build -trimpath -o bin/podcastfy-e2e .
	cd e2e/api && PODCASTFY_BIN=$(CURDIR)/bin/podcastfy-e2e npm test

test-go: deps frontend ## go vet and go test -race
	go vet ./...
	go test -race -timeout $(GO_TEST_TIMEOUT) ./...

bench: deps frontend ## run the Go benchmarks and print their figures
	go test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -timeout $(GO_TEST_TIMEOUT) ./...

screenshot: build ## open the app in a virtual X server and save test-artifacts/desktop.png
	scripts/desktop-smoke.sh build/bin/podcastfy test-artifacts/desktop.png

clean: ## remove build output (keeps node_modules and the Wails CLI)
	rm -rf build/bin bin/podcastfy test-artifacts
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete

# The web interface end to end: the real binary with the built frontend
# embedded, driven through Debian's Chromium by playwright-core (e2e/web
# pins it; it never downloads a browser). Screenshots go to
# test-artifacts/web/.
WEB_E2E_DEPS := e2e/web/node_modules/.package-lock.json

$(WEB_E2E_DEPS): e2e/web/package.json e2e/web/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20.19 or newer with npm 11" >&2; exit 1; }
	cd e2e/web && npm ci --no-audit --no-fund
	@touch $@

.PHONY: soak
soak: ## 60 s shared-server soak on loopback: 5 users, one flooding (not part of make test)
	go test -tags soak -run TestSoak -count=1 -v -timeout 10m ./backend/api

.PHONY: test-web-e2e bench-frontend

test-web-e2e: $(STAMPS)/apt $(WEB_E2E_DEPS) frontend ## end-to-end test of the web interface in Chromium
	go build -trimpath -o bin/podcastfy-web-e2e .
	cd e2e/web && PODCASTFY_BIN=$(CURDIR)/bin/podcastfy-web-e2e CHROMIUM=/usr/bin/chromium npm test

# The frontend bundle size (gzip) is printed before the Go benchmarks.
bench: bench-frontend

bench-frontend: frontend ## print the frontend bundle size (raw and gzip)
	cd frontend && npm run --silent bundle-size

# The desktop app: the committed Wails bindings (frontend/wailsjs) must match
# the Go facades (regenerated in a temporary copy of the sources and
# compared), and the production build must open its window under Xvfb,
# render its first screen (screenshot in test-artifacts/) and exit cleanly
# on SIGTERM. The benchmark prints, never asserts, the time from launch to
# the first rendered screen (three runs); the player's press-play to
# first-sample time is BenchmarkPlayToFirstSample among the Go benchmarks.
.PHONY: check-bindings test-desktop bench-desktop

check-bindings: $(WAILS) ## check that the committed frontend/wailsjs bindings are current
	scripts/check-bindings.sh $(WAILS) $(WAILS_TAGS)

test-desktop: $(STAMPS)/apt build ## smoke-test the built desktop app under Xvfb
	scripts/desktop-smoke.sh build/bin/podcastfy test-artifacts/desktop-smoke.png

bench: bench-desktop

bench-desktop: $(STAMPS)/apt build ## time the desktop app from launch to its first screen
	for i in 1 2 3; do scripts/desktop-smoke.sh build/bin/podcastfy test-artifacts/desktop-bench.png | grep '^desktop '; done
