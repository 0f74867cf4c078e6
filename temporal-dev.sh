#!/usr/bin/env bash
# One entry point for the local stack: start | stop | test | server | bench | cli | decide | act ...
# Installs what is missing (npm dependencies, the temporal CLI), keeps state and logs in .temporal/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

STATE_DIR="${TEMPORAL_DEV_STATE:-$ROOT/.temporal}"
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/pids"
TEMPORAL_CLI_VERSION="v1.5.1" # newest CLI release that `go install` accepts (later ones carry a replace directive)
TEMPORAL_CACHE="${TEMPORAL_DEV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/temporal-dev}"

export TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
export TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:$TEMPORAL_PORT}"
export GATEWAY_PORT="${GATEWAY_PORT:-8000}"
export SANDBOX_PORT="${SANDBOX_PORT:-8081}"
export SANDBOX_URL="${SANDBOX_URL:-http://127.0.0.1:$SANDBOX_PORT}"
export SANDBOX_DB="${SANDBOX_DB:-$STATE_DIR/sandbox.db}"
export TEMPORAL_UI_URL="${TEMPORAL_UI_URL:-http://localhost:$TEMPORAL_UI_PORT}"

say() { printf '%s\n' "$*"; }
die() { printf 'temporal-dev: %s\n' "$*" >&2; exit 1; }

ensure_npm_deps() {
  command -v node >/dev/null || die "Node.js 20+ is required (apt-get install nodejs npm)"
  # Set by callers that run inside a test run: reinstalling would pull node_modules from under it.
  [ "${TEMPORAL_DEV_NO_INSTALL:-}" = 1 ] && return
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies..."
    # npm ci refuses a lock file that lacks other platforms' optional packages, which a registry
    # mirror without them produces; npm install --no-save then installs the same locked versions.
    npm ci --no-audit --no-fund --loglevel=error >"$STATE_DIR/npm-ci.log" 2>&1 \
      || npm install --no-save --no-audit --no-fund --loglevel=error >>"$STATE_DIR/npm-ci.log" 2>&1 \
      || {
        tail -n 30 "$STATE_DIR/npm-ci.log" >&2
        die "installing npm dependencies failed (log: .temporal/npm-ci.log)"
      }
  fi
}

# Sets TEMPORAL_BIN: the temporal on PATH, else one built once into the cache with go install.
ensure_temporal_cli() {
  if [ -n "${TEMPORAL_BIN:-}" ] && [ -x "$TEMPORAL_BIN" ]; then return; fi
  if command -v temporal >/dev/null 2>&1; then TEMPORAL_BIN="$(command -v temporal)"; export TEMPORAL_BIN; return; fi
  local cached="$TEMPORAL_CACHE/$TEMPORAL_CLI_VERSION/temporal"
  if [ ! -x "$cached" ]; then
    command -v go >/dev/null 2>&1 || die "the temporal CLI is not on PATH and Go is not installed to build it.
Install it with 'brew install temporal', or from https://docs.temporal.io/cli, or install Go and run this again."
    say "building the temporal CLI $TEMPORAL_CLI_VERSION with go install (once; a few minutes)..."
    mkdir -p "$(dirname "$cached")"
    local package="github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
    GOBIN="$(dirname "$cached")" GOFLAGS="-mod=mod" go install "$package" \
      || die "go install of the temporal CLI failed"
  fi
  TEMPORAL_BIN="$cached"
  export TEMPORAL_BIN
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium for the browser tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >"$STATE_DIR/apt.log" 2>&1 \
      || say "warning: could not install chromium (see .temporal/apt.log); browser tests will be skipped"
  else
    say "warning: /usr/bin/chromium is missing (apt-get install chromium); browser tests will be skipped"
  fi
}

server_args() {
  case "${TEMPORAL_DB_SYNC:-normal}" in
    normal | full) ;;
    *) die "TEMPORAL_DB_SYNC must be normal or full, not '$TEMPORAL_DB_SYNC'" ;;
  esac
  node --import tsx -e "import('./dev/dev-server-args.ts').then((m) => console.log(m.devServerArgs({
    port: $TEMPORAL_PORT, uiPort: $TEMPORAL_UI_PORT, dbFile: '$STATE_DIR/temporal.db',
    sqlite: 'wal-${TEMPORAL_DB_SYNC:-normal}', logLevel: 'warn' }).join('\\n')))"
}

# Secrets the local stack needs, made once under .temporal/ (mode 600) unless set in the environment:
# the sandbox's service token, the gateway's decision signing key and the operator's break-glass key.
ensure_dev_secrets() {
  local token_file="$STATE_DIR/sandbox-token"
  if [ -z "${SANDBOX_TOKEN:-}" ]; then
    if [ ! -s "$token_file" ]; then
      (umask 077; head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$token_file")
    fi
    SANDBOX_TOKEN="$(cat "$token_file")"
  fi
  export SANDBOX_TOKEN
  export OPERATOR_SIGNING_KEY_FILE="${OPERATOR_SIGNING_KEY_FILE:-$STATE_DIR/operator-key.pem}"
  local keys=("$OPERATOR_SIGNING_KEY_FILE")
  if [ -z "${DECISION_SIGNING_KEY_FILE:-}" ]; then
    export DECISION_SIGNING_KEY_FILE="$STATE_DIR/decision-signing-key.pem"
    keys+=("$DECISION_SIGNING_KEY_FILE")
  fi
  node --import tsx scripts/ensure-key-pairs.ts "${keys[@]}" \
    || die "could not create the decision keys under .temporal/"
  export DECISION_PUBLIC_KEY_FILES="${DECISION_PUBLIC_KEY_FILES:-${DECISION_SIGNING_KEY_FILE%.pem}.pub.pem}"
  export OPERATOR_PUBLIC_KEY_FILES="${OPERATOR_PUBLIC_KEY_FILES:-${OPERATOR_SIGNING_KEY_FILE%.pem}.pub.pem}"
}

is_running() { [ -f "$PID_DIR/$1.pid" ] && kill -0 "$(cat "$PID_DIR/$1.pid")" 2>/dev/null; }

# A second start would launch a second copy beside each process still running.
ensure_not_running() { # names...
  local name
  for name in "$@"; do
    if is_running "$name"; then
      die "already running ($name, pid $(cat "$PID_DIR/$name.pid")); './temporal-dev.sh stop' first"
    fi
  done
}

launch() { # name, command...
  local name="$1"; shift
  # What the processes create (the databases under .temporal/, their logs) is readable by this user only.
  local previous_umask; previous_umask="$(umask)"
  umask 077
  setsid "$@" >"$LOG_DIR/$name.log" 2>&1 < /dev/null &
  echo $! >"$PID_DIR/$name.pid"
  umask "$previous_umask"
}

exited_during_start_up() { # name, what the message calls it (default: the name): fail with its log
  tail -n 20 "$LOG_DIR/$1.log" >&2
  die "${2:-$1} exited during start-up (log: .temporal/logs/$1.log)"
}

wait_http() { # name, url, seconds: the process answers at the url, or it exited (fail with its log)
  local deadline=$((SECONDS + $3))
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    is_running "$1" || exited_during_start_up "$1"
    [ $SECONDS -lt $deadline ] || die "$1 did not answer at $2 within $3 s (log: .temporal/logs/$1.log)"
    sleep 0.2
  done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_log() { # name, text, seconds: the process printed the text, or it exited (fail with its log)
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$LOG_DIR/$1.log" 2>/dev/null; do
    is_running "$1" || exited_during_start_up "$1"
    [ $SECONDS -lt $deadline ] || die "$1 did not get ready within $3 s (log: .temporal/logs/$1.log)"
    sleep 0.1
  done
}

wait_temporal() {
  local deadline=$((SECONDS + 60))
  until "$TEMPORAL_BIN" operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
    is_running temporal || exited_during_start_up temporal "the Temporal server"
    [ $SECONDS -lt $deadline ] || die "the Temporal server did not become healthy (log: .temporal/logs/temporal.log)"
    sleep 0.2
  done
}

# The worker, gateway and sandbox run compiled into dist/ (dev/service-build.ts, a fraction of a second):
# through tsx each (re)start would transpile them again, a second or more of a restart under load.
build_services() {
  node --import tsx dev/service-build.ts >"$LOG_DIR/build.log" 2>&1 \
    || { cat "$LOG_DIR/build.log" >&2; die "compiling the processes failed"; }
}

cmd_start() {
  mkdir -p "$LOG_DIR" "$PID_DIR"
  ensure_not_running temporal sandbox worker gateway
  # Another stack on these ports would answer in place of ours (and its worker take our runs).
  for port in "$TEMPORAL_PORT" "$TEMPORAL_UI_PORT" "$GATEWAY_PORT" "$SANDBOX_PORT"; do
    if port_in_use "$port"; then
      die "port $port is already in use on 127.0.0.1 (another stack?);" \
        "stop it or choose other ports (TEMPORAL_PORT, TEMPORAL_UI_PORT, GATEWAY_PORT, SANDBOX_PORT)"
    fi
  done
  ensure_npm_deps
  ensure_temporal_cli
  ensure_dev_secrets
  local args_text args; args_text="$(server_args)" || die "could not build the dev server's arguments"
  mapfile -t args <<<"$args_text"
  # A start that fails stops what it started, so the next start does not find it "already running".
  trap 'cmd_stop >/dev/null 2>&1' EXIT
  build_services
  launch temporal "$TEMPORAL_BIN" "${args[@]}"
  launch sandbox node dist/sandbox.js
  local map_flag=(); [ "${WORKFLOW_SOURCE_MAP:-detached}" = inline ] && map_flag=(--inline-source-map)
  node --import tsx scripts/bundle-workflows.ts "$STATE_DIR/workflow-bundle.js" "${map_flag[@]}" \
    >"$LOG_DIR/bundle.log" 2>&1 \
    || { cat "$LOG_DIR/bundle.log" >&2; die "bundling the workflow code failed"; }
  wait_temporal
  # The heap limit bounds the worker's memory together with its workflow cache (WORKER_MAX_CACHED_WORKFLOWS);
  # dev/node-service.ts launches the worker the same way for the tests and the benchmark.
  WORKFLOW_BUNDLE="$STATE_DIR/workflow-bundle.js" launch worker \
    node --max-old-space-size="${WORKER_MAX_HEAP_MB:-320}" dist/worker.js
  launch gateway node dist/gateway.js
  wait_http sandbox "$SANDBOX_URL/healthz" 30
  wait_http gateway "http://127.0.0.1:$GATEWAY_PORT/readyz" 60
  # Ready means a chat is answered at once: the worker has loaded its bundle and polls.
  wait_log worker "worker polling task queue" 60
  trap - EXIT
  say "Stack is up:"
  say "  Gateway + web page  http://127.0.0.1:$GATEWAY_PORT/   (API docs: /docs)"
  say "  Temporal Web UI     http://localhost:$TEMPORAL_UI_PORT/"
  say "  Temporal gRPC       $TEMPORAL_ADDRESS"
  say "  Sandbox backend     $SANDBOX_URL"
  say "  Logs                .temporal/logs/   Stop with ./temporal-dev.sh stop"
}

cmd_stop() {
  local any=0
  for name in gateway gateway-2 worker worker-2 sandbox temporal-ui temporal postgres; do
    local pidfile="$PID_DIR/$name.pid"
    [ -f "$pidfile" ] || continue
    local pid; pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      any=1
      local signal=TERM
      [ "$name" = postgres ] && signal=INT # PostgreSQL's fast shutdown; TERM waits for every client to leave
      kill -"$signal" -- "-$pid" 2>/dev/null || kill -"$signal" "$pid" 2>/dev/null || true
      # TERM drains: a gateway answers what it took (CHAT_WAIT_MS + 5 s), a worker finishes its calls (10 s grace).
      for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$pid" 2>/dev/null || true
      say "stopped $name"
    fi
    rm -f "$pidfile"
  done
  [ $any = 1 ] || say "nothing was running"
}

cmd_test() {
  mkdir -p "$STATE_DIR"
  ensure_npm_deps
  ensure_temporal_cli
  ensure_chromium
  local report="$STATE_DIR/vitest-report.json" status=0
  rm -f "$report"
  npm run --silent typecheck || status=$?
  [ $status = 0 ] && { npm run --silent lint || status=$?; }
  [ $status = 0 ] && { npm run --silent docs:check || status=$?; }
  if [ $status = 0 ]; then
    npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
  fi
  if [ -f "$report" ]; then
    node -e "const r = require(process.argv[1]);
      const skipped = r.numPendingTests ? ', ' + r.numPendingTests + ' skipped' : '';
      console.log(r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed' + skipped)" "$report"
  else
    echo "0 passed, 1 failed"
  fi
  return $status
}

# The kill test on the dev stack (one worker, one gateway): `start` with approvals for small amounts,
# a fresh sandbox database and short idle sessions, then scripts/kill-under-load.ts with LOAD_STACK=dev
# (the worker SIGTERMed and then SIGKILLed under load, each time started again), then `stop`.
cmd_test_kill() {
  export HIL_THRESHOLD=5 SANDBOX_DB="$STATE_DIR/test-kill-sandbox.db" LOG_FORMAT=json
  export SESSION_IDLE_CLOSE="${SESSION_IDLE_CLOSE:-30s}"
  rm -f "$SANDBOX_DB" "$SANDBOX_DB-wal" "$SANDBOX_DB-shm"
  cmd_start
  trap cmd_stop EXIT
  LOAD_STACK=dev LOAD_IDLE_WAIT_SECONDS="${LOAD_IDLE_WAIT_SECONDS:-45}" TEMPORAL_DEV_STATE="$STATE_DIR" \
    node --import tsx scripts/kill-under-load.ts 2>&1 | tee "$LOG_DIR/kill-under-load.log"
}

usage() {
  cat <<'EOF'
usage: ./temporal-dev.sh <command>
  start [--cluster]
  stop
  test [vitest args, e.g. --project unit]
  test-cluster
  test-kill
  server
  setup-namespace
  bench [--quick] [--local-tool-calls] [--out file]
  bench --server-floor [--quick]
  cli <temporal args>
  decide <approval_id> approve|reject --as <person> [--reason <text>]
  request <message> --as <person> [--session <id>]
  act <workflow_id> <step_id> retry|retry_with_edits|skip|fail --as <person> [--reason <text>] [--args <json>]
  verify-audit <export.ndjson> [--key <public.pem>]...
  simulate-policy <policy.json> [--since 30d]
EOF
}

# shellcheck source=scripts/cluster.sh
source "$ROOT/scripts/cluster.sh"

case "${1:-}" in
  start) if [ "${2:-}" = --cluster ]; then cmd_start_cluster; else cmd_start; fi ;;
  stop) cmd_stop ;;
  test-cluster) cmd_test_cluster ;;
  test-kill) cmd_test_kill ;;
  test) shift; cmd_test "$@" ;;
  server) mkdir -p "$STATE_DIR"; ensure_npm_deps; ensure_temporal_cli
    args_text="$(server_args)" || die "could not build the dev server's arguments"
    mapfile -t args <<<"$args_text"
    umask 077; exec "$TEMPORAL_BIN" "${args[@]}" ;;
  bench) shift; mkdir -p "$STATE_DIR"; ensure_npm_deps; ensure_temporal_cli
    if [ "${1:-}" = --server-floor ]; then shift; exec node --import tsx bench/server-floor.ts "$@"; fi
    exec node --import tsx bench/run.ts "$@" ;;
  cli) shift; ensure_temporal_cli; exec "$TEMPORAL_BIN" "$@" ;; # the CLI reads TEMPORAL_ADDRESS
  decide) shift; mkdir -p "$STATE_DIR"; ensure_npm_deps
    export OPERATOR_SIGNING_KEY_FILE="${OPERATOR_SIGNING_KEY_FILE:-$STATE_DIR/operator-key.pem}"
    exec node --import tsx scripts/decide.ts "$@" ;;
  request) shift; mkdir -p "$STATE_DIR"; ensure_npm_deps
    export OPERATOR_SIGNING_KEY_FILE="${OPERATOR_SIGNING_KEY_FILE:-$STATE_DIR/operator-key.pem}"
    exec node --import tsx scripts/request.ts "$@" ;;
  act) shift; mkdir -p "$STATE_DIR"; ensure_npm_deps
    export OPERATOR_SIGNING_KEY_FILE="${OPERATOR_SIGNING_KEY_FILE:-$STATE_DIR/operator-key.pem}"
    exec node --import tsx scripts/act.ts "$@" ;;
  setup-namespace) mkdir -p "$STATE_DIR"; ensure_npm_deps; exec node --import tsx scripts/setup-namespace.ts ;;
  verify-audit) shift; ensure_npm_deps; exec node --import tsx scripts/verify-audit.ts "$@" ;;
  simulate-policy) shift; ensure_npm_deps; exec node --import tsx scripts/simulate-policy.ts "$@" ;;
  *) usage; exit 2 ;;
esac
