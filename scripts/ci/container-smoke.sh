#!/usr/bin/env bash
# The Dockerfile's stages without a container engine, on a clean clone of HEAD: build (every dependency)
# -> assemble the runtime with production dependencies only -> migrate, seed, create an admin -> start
# -> /api/health 200 -> a pay page renders -> one cron call -> SIGTERM -> exit 0 with one line.
# Needs PostgreSQL: SMOKE_DATABASE_URL names an empty database (optionally through a pooler, with
# SMOKE_DATABASE_URL_DIRECT for migrations). SMOKE_PORT (default 3510). The clone's build is the slow part:
# SMOKE_BUILT_TREE names a clean clone that already ran the build stage's commands (CI's own) to use instead.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
db_url=${SMOKE_DATABASE_URL:?an empty PostgreSQL database}
db_direct=${SMOKE_DATABASE_URL_DIRECT:-}
port=${SMOKE_PORT:-3510}
work=$(mktemp -d "${TMPDIR:-/tmp}/container-smoke.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
t0=$(date +%s)
lap() { echo "--- $* ($(( $(date +%s) - t0 ))s)"; }

if [ -n "${SMOKE_BUILT_TREE:-}" ]; then
  # CI is itself a clean clone that ran the build stage's two commands (npm ci, npm run build): building a
  # second clone would repeat them to the byte.
  src=$(cd "$SMOKE_BUILT_TREE" && pwd)
  lap "build stage: the clean clone at $src already ran scripts/container/build.sh's commands"
  [ -f "$src/.next/BUILD_ID" ] || { echo "$src has no build (.next/BUILD_ID)" >&2; exit 1; }
else
  lap "clean clone of $(git -C "$repo" rev-parse --short HEAD)"
  git clone --quiet --no-hardlinks "$repo" "$work/src"
  src=$work/src

  lap "build stage (scripts/container/build.sh)"
  (cd "$src" && sh scripts/container/build.sh >"$work/build.log" 2>&1) || { tail -40 "$work/build.log"; exit 1; }
fi

lap "runtime stage (scripts/container/assemble.sh): production dependencies only"
sh "$src/scripts/container/assemble.sh" "$src" "$work/app" >"$work/assemble.log" 2>&1 || {
  cat "$work/assemble.log"
  exit 1
}
echo "runtime: $(du -sh "$work/app" | cut -f1), node_modules $(du -sh "$work/app/node_modules" | cut -f1)"

cd "$work/app"
export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=127.0.0.1 PORT=$port \
  APP_URL="http://127.0.0.1:$port" DATABASE_URL="$db_url" ASSIST_MODE=sandbox \
  SANDBOX_DIR="$work/data/sandbox" CRON_SECRET=container-smoke-cron-secret
if [ -n "$db_direct" ]; then export DATABASE_URL_DIRECT="$db_direct"; fi

lap "migrate, seed, admin:create (compiled, no tsx)"
node scripts/run.mjs migrate
node scripts/run.mjs seed
node scripts/run.mjs admin-create --email smoke@example.com --role admin | head -n 1

lap "start"
node scripts/run.mjs start >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done
health=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/health")
echo "GET /api/health: $health"
[ "$health" = 200 ]

lap "a pay page renders"
public_id=$(node -e "console.log(require('node:crypto').randomBytes(16).toString('base64url').slice(0, 22))")
psql "${db_direct:-$db_url}" -q -v ON_ERROR_STOP=1 -c "insert into orders (public_id, order_number, subtotal_kopecks,
  total_kopecks, last_name, first_name, email, expires_at) values ('$public_id', 'SMOKE-$$', 150000, 150000,
  'Иванова', 'Анна', 'anna@example.ru', now() + interval '1 day')"
pay=$(curl -sS -D "$work/pay.headers" -o "$work/pay.html" -w '%{http_code}' "http://127.0.0.1:$port/pay/$public_id")
echo "GET /pay/<id>: $pay, $(grep -i '^content-type' "$work/pay.headers" | tr -d '\r')"
[ "$pay" = 200 ]
grep -qi 'charset=windows-1251' "$work/pay.headers"
grep -q "SMOKE-$$" "$work/pay.html"
grep -q '/sandbox/assist/' "$work/pay.html"

lap "cron --once"
node scripts/run.mjs cron --once

lap "SIGTERM"
kill -TERM "$server_pid"
set +e
wait "$server_pid"
code=$?
set -e
server_pid=
last=$(tail -n 1 "$work/server.log")
echo "exit code $code; last line: $last"
[ "$code" = 0 ]
[[ "$last" == "Stopped on SIGTERM: "* ]]
lap "container smoke passed"
