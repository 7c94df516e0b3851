#!/bin/sh
# Build stage (Dockerfile `build`, and CI's container smoke on a clean clone): every dependency, then the
# Next build and the production commands compiled to plain JavaScript (.next/cli/).
set -eu
export NEXT_TELEMETRY_DISABLED=1
npm ci --no-audit --no-fund
npm run build
