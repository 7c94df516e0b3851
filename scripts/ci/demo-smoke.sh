#!/usr/bin/env bash
# `npm run demo` as a person uses it, after a build of the current sources: it reuses that build, listens
# on 127.0.0.1 only, prints a cron secret the README's curl accepts, and a Ctrl+C (SIGINT to its process
# group, as a terminal sends it) stops it quietly with exit code 0. DEMO_SMOKE_PORT (default 3520).
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${DEMO_SMOKE_PORT:-3520}
work=$(mktemp -d "${TMPDIR:-/tmp}/demo-smoke.XXXXXX")
pgid=
cleanup() {
  if [ -n "$pgid" ]; then kill -KILL -- "-$pgid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "demo smoke: $*" >&2
  cat "$work/demo.log" >&2
  exit 1
}

started=$(date +%s%N)
env -u HOSTNAME -u CRON_SECRET -u DATABASE_URL PORT="$port" PGLITE_DIR="$work/pglite" SANDBOX_DIR="$work/sandbox" \
  setsid npm run demo >"$work/demo.log" 2>&1 &
pgid=$!
for _ in $(seq 1 240); do
  grep -q '^Run a sync:' "$work/demo.log" && curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  kill -0 "$pgid" 2>/dev/null || fail "the demo exited before serving"
  sleep 0.5
done
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "demo serving after ${ready_ms} ms"

grep -q 'Reusing the production build' "$work/demo.log" || fail "it did not reuse the current build"
! grep -q 'Building the production bundle' "$work/demo.log" || fail "it rebuilt an unchanged build"

listeners=$(ss -ltnH "sport = :$port" | awk '{print $4}')
echo "listening on: $listeners"
[ "$listeners" = "127.0.0.1:$port" ] || fail "expected to listen on 127.0.0.1:$port only"

sync_line=$(grep '^Run a sync:' "$work/demo.log")
secret=$(sed -E 's/.*Bearer ([0-9a-f]+)".*/\1/' <<<"$sync_line")
[ "${#secret}" -ge 16 ] || fail "no cron secret printed"
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $secret" \
  "http://127.0.0.1:$port/api/cron/assist-sync")
wrong=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer not-the-secret-at-all" \
  "http://127.0.0.1:$port/api/cron/assist-sync")
echo "sync with the printed secret: $status; with another: $wrong"
# 409/429: accepted, but the demo's own cron loop is running a sync or just ran one.
case "$status" in 200 | 409 | 429) ;; *) fail "the printed secret was refused ($status)" ;; esac
[ "$wrong" = 401 ] || fail "a wrong secret was not refused ($wrong)"

kill -INT -- "-$pgid"
set +e
wait "$pgid"
code=$?
set -e
pgid=
echo "after Ctrl+C: exit code $code; last line: $(tail -n 1 "$work/demo.log")"
# The demo exits 0; npm passes on 130 when the shell between it and node saw the Ctrl+C too.
[ "$code" = 0 ] || [ "$code" = 130 ] || fail "exit code $code after Ctrl+C"
! grep -qE '^Error|exited with|npm error' "$work/demo.log" || fail "an error was printed on Ctrl+C"
[[ "$(tail -n 1 "$work/demo.log")" == "Stopped on SIGINT: "* ]] || fail "something was printed after the stop line"
grep -q '^Stopped on SIGINT: ' "$work/demo.log" || fail "the server did not stop gracefully"
echo "demo smoke passed"
