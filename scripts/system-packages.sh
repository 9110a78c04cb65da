#!/usr/bin/env bash
# Debian packages the tests drive for real: a browser, Redis, Prometheus, InfluxDB and PostgreSQL
# servers, and the OCR engine (tesseract with English + orientation data) and poppler for scans.
# The test fixtures start and stop the servers on 127.0.0.1; this only makes sure they exist.
# Idempotent: packages already present cost nothing.
set -euo pipefail

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v redis-server >/dev/null || need+=(redis-server)
command -v prometheus >/dev/null || need+=(prometheus)
command -v influxd >/dev/null || need+=(influxdb)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || need+=(tesseract-ocr-eng)
[ -e /usr/share/tesseract-ocr/5/tessdata/osd.traineddata ] || need+=(tesseract-ocr-osd)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# PostgreSQL 15 for the deployed Dagster's storage test (Debian keeps its binaries off PATH).
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
  command -v sudo >/dev/null || {
    echo "Missing Debian packages: ${need[*]}. Run as root: apt-get install -y ${need[*]}" >&2
    exit 1
  }
else
  SUDO=
fi
echo "Installing Debian packages for the tests: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# Servers must not start themselves as system services: the tests run their own on loopback.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
$SUDO chmod +x /usr/sbin/policy-rc.d
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
$SUDO rm -f /usr/sbin/policy-rc.d
