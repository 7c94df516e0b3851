#!/bin/sh
# Runtime stage: copies what the production server needs from a build (<src>) into <dest>, then removes
# the devDependencies there: the build folder and the source checkout keep theirs. The Dockerfile runs it
# into /runtime and copies that into the final image; CI's container smoke runs it into a temp folder.
set -eu
src=${1:?build folder}
dest=${2:?runtime folder}
mkdir -p "$dest/scripts"
cd "$src"
# The server reads next.config.mjs at start, drizzle/ for migrations and the health check, public/ for
# static files; scripts/run.mjs starts the compiled commands in .next/cli/.
cp -R package.json package-lock.json next.config.mjs drizzle public .next node_modules "$dest/"
cp scripts/run.mjs scripts/build-fingerprint.mjs "$dest/scripts/"
cd "$dest"
rm -rf .next/cache
npm prune --omit=dev --no-audit --no-fund
# (@playwright/test stays: it is an optional peer dependency of next, kept by npm once installed.)
for dev in tsx esbuild typescript vitest drizzle-kit @biomejs/biome; do
  if [ -e "node_modules/$dev" ]; then
    echo "devDependency $dev is still in $dest/node_modules" >&2
    exit 1
  fi
done
