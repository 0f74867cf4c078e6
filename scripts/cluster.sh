# Sourced by temporal-dev.sh: `start --cluster` runs the stack on a real Temporal server
# (frontend, history, matching and worker services in one process) with persistence and
# visibility on PostgreSQL, the Temporal Web UI server, two workers and two gateways.
# Everything lives under .temporal/ (PostgreSQL's data in .temporal/postgres); binaries are built
# once into the same cache as the CLI.

TEMPORAL_SERVER_VERSION="v1.29.1"
TEMPORAL_UI_SERVER_VERSION="v2.42.1"
CLUSTER_DIR="$STATE_DIR/cluster"
CLUSTER_PG_DIR="$STATE_DIR/postgres"
CLUSTER_PG_PASSWORD_FILE="$STATE_DIR/postgres-password"
export CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-5433}"
export GATEWAY_2_PORT="${GATEWAY_2_PORT:-8001}"

# go_install_cached <dir under the cache> <package@version> <binary name>: prints the binary's path.
go_install_cached() {
  local dir="$TEMPORAL_CACHE/$1" binary="$TEMPORAL_CACHE/$1/$3"
  if [ ! -x "$binary" ]; then
    command -v go >/dev/null 2>&1 || die "Go is needed to build $2 (https://go.dev/dl/)"
    say "building $2 with go install (once; several minutes)..." >&2
    mkdir -p "$dir"
    GOBIN="$dir" GOFLAGS="-mod=mod" go install "$2" >&2 || die "go install $2 failed"
  fi
  printf '%s\n' "$binary"
}

# The PostgreSQL binaries from Debian's packages, installed when missing (as root).
postgres_bin_dir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$found" ]; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
      || die "PostgreSQL is not installed (apt-get install postgresql)"
    say "installing PostgreSQL from Debian's packages..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
      >"$STATE_DIR/apt.log" 2>&1 \
      || die "apt-get install postgresql failed (log: .temporal/apt.log)"
    found="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  printf '%s\n' "$found"
}

# PostgreSQL refuses to run as root: as root, its processes run as the postgres system user.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_postgres_cluster() {
  local bin="$1"
  [ -f "$CLUSTER_PG_DIR/PG_VERSION" ] && return
  say "creating a PostgreSQL cluster in .temporal/postgres..."
  if [ ! -s "$CLUSTER_PG_PASSWORD_FILE" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$CLUSTER_PG_PASSWORD_FILE")
  fi
  mkdir -p "$CLUSTER_PG_DIR"
  local pwfile="$CLUSTER_PG_DIR.pwfile"
  install -m 600 "$CLUSTER_PG_PASSWORD_FILE" "$pwfile"
  if [ "$(id -u)" = 0 ]; then chown postgres "$CLUSTER_PG_DIR" "$pwfile"; fi
  as_postgres "$bin/initdb" -D "$CLUSTER_PG_DIR" --username=temporal --pwfile="$pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1 \
    || { rm -f "$pwfile"; die "initdb failed (log: .temporal/logs/initdb.log)"; }
  rm -f "$pwfile"
}

wait_postgres() {
  local bin="$1" deadline=$((SECONDS + 30))
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$CLUSTER_PG_PORT"; do
    is_running postgres || die "PostgreSQL exited (log: .temporal/logs/postgres.log)"
    [ $SECONDS -lt $deadline ] \
      || die "PostgreSQL did not accept connections within 30 s (log: .temporal/logs/postgres.log)"
    sleep 0.2
  done
}

# Creates the databases once and brings both schemas to the version this server release ships.
ensure_schemas() {
  local sql_tool="$1" bin="$2" schema_root password
  schema_root="$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION/schema/postgresql/v12"
  [ -d "$schema_root" ] || die "the server's schema files are missing under $schema_root"
  password="$(cat "$CLUSTER_PG_PASSWORD_FILE")"
  local db
  for db in temporal temporal_visibility; do
    local schema_dir="$schema_root/temporal"
    [ "$db" = temporal_visibility ] && schema_dir="$schema_root/visibility"
    local sql=("$sql_tool" --plugin postgres12 --ep 127.0.0.1 -p "$CLUSTER_PG_PORT" -u temporal --db "$db")
    local exists
    exists="$(PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U temporal -d postgres -tAc \
      "select 1 from pg_database where datname = '$db'")" || die "cannot query PostgreSQL on port $CLUSTER_PG_PORT"
    if [ "$exists" != 1 ]; then
      say "creating the $db database and its schema..."
      SQL_PASSWORD="$password" "${sql[@]}" create-database >>"$LOG_DIR/schema.log" 2>&1 \
        && SQL_PASSWORD="$password" "${sql[@]}" setup-schema -v 0.0 >>"$LOG_DIR/schema.log" 2>&1 \
        || die "creating the $db database failed (log: .temporal/logs/schema.log)"
    fi
    SQL_PASSWORD="$password" "${sql[@]}" update-schema -d "$schema_dir/versioned" >>"$LOG_DIR/schema.log" 2>&1 \
      || die "updating the $db schema failed (log: .temporal/logs/schema.log)"
  done
}

# The audit store's database (its table is made by the first process that opens it); the workers
# append to it and both gateways read it.
ensure_audit_database() {
  local bin="$1" password
  password="$(cat "$CLUSTER_PG_PASSWORD_FILE")"
  if [ "$(PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U temporal -d postgres -tAc \
    "select 1 from pg_database where datname = 'audit'")" != 1 ]; then
    PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U temporal -d postgres \
      -qc 'create database audit' \
      || die "creating the audit database failed"
  fi
  export AUDIT_DATABASE_URL="${AUDIT_DATABASE_URL:-postgres://temporal:$password@127.0.0.1:$CLUSTER_PG_PORT/audit}"
}

cmd_start_cluster() {
  mkdir -p "$LOG_DIR" "$PID_DIR"
  ensure_not_running postgres temporal temporal-ui sandbox worker worker-2 gateway gateway-2
  local port
  for port in "$CLUSTER_PG_PORT" "$TEMPORAL_PORT" $((TEMPORAL_PORT + 1)) $((TEMPORAL_PORT + 2)) $((TEMPORAL_PORT + 6)) \
    "$TEMPORAL_UI_PORT" "$GATEWAY_PORT" "$GATEWAY_2_PORT" "$SANDBOX_PORT"; do
    if port_in_use "$port"; then
      die "port $port is already in use on 127.0.0.1 (another stack?); stop it or choose other ports"
    fi
  done
  ensure_npm_deps
  ensure_temporal_cli
  ensure_dev_secrets
  local server sql_tool ui_server pg_bin
  local server_cache="server-$TEMPORAL_SERVER_VERSION" ui_cache="ui-server-$TEMPORAL_UI_SERVER_VERSION"
  server="$(go_install_cached "$server_cache" "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" server)" \
    || exit 1
  sql_tool="$(go_install_cached "$server_cache" "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" sql)" \
    || exit 1
  ui_server="$(go_install_cached "$ui_cache" \
    "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_SERVER_VERSION" server)" || exit 1
  pg_bin="$(postgres_bin_dir)" || exit 1

  ensure_postgres_cluster "$pg_bin"
  # A start that fails stops what it started, as the dev server's start does.
  trap 'cmd_stop >/dev/null 2>&1' EXIT
  local as_pg_user=()
  [ "$(id -u)" = 0 ] && as_pg_user=(runuser -u postgres --)
  launch postgres "${as_pg_user[@]}" "$pg_bin/postgres" -D "$CLUSTER_PG_DIR" -p "$CLUSTER_PG_PORT" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=200
  wait_postgres "$pg_bin"
  ensure_schemas "$sql_tool" "$pg_bin"
  ensure_audit_database "$pg_bin"

  node --import tsx scripts/cluster-config.ts "$CLUSTER_DIR" "$CLUSTER_PG_PORT" "$CLUSTER_PG_PASSWORD_FILE" \
    "$TEMPORAL_PORT" "$TEMPORAL_UI_PORT" \
    || die "writing the cluster's configuration failed"
  launch temporal "$server" --root "$CLUSTER_DIR" --config server --env cluster --allow-no-auth start
  launch temporal-ui "$ui_server" --root "$CLUSTER_DIR" --config ui --env cluster start
  build_services
  launch sandbox node dist/sandbox.js
  node --import tsx scripts/bundle-workflows.ts "$STATE_DIR/workflow-bundle.js" >"$LOG_DIR/bundle.log" 2>&1 \
    || { cat "$LOG_DIR/bundle.log" >&2; die "bundling the workflow code failed"; }
  wait_temporal
  node --import tsx scripts/setup-namespace.ts || die "setting up the namespace failed"

  local worker_cmd=(node --max-old-space-size="${WORKER_MAX_HEAP_MB:-320}" dist/worker.js)
  WORKFLOW_BUNDLE="$STATE_DIR/workflow-bundle.js" launch worker "${worker_cmd[@]}"
  WORKFLOW_BUNDLE="$STATE_DIR/workflow-bundle.js" launch worker-2 "${worker_cmd[@]}"
  launch gateway node dist/gateway.js
  GATEWAY_PORT="$GATEWAY_2_PORT" launch gateway-2 node dist/gateway.js
  wait_http sandbox "$SANDBOX_URL/healthz" 30
  wait_http gateway "http://127.0.0.1:$GATEWAY_PORT/readyz" 60
  wait_http gateway-2 "http://127.0.0.1:$GATEWAY_2_PORT/readyz" 60
  wait_http temporal-ui "http://127.0.0.1:$TEMPORAL_UI_PORT/" 30
  wait_log worker "worker polling task queue" 60
  wait_log worker-2 "worker polling task queue" 60
  trap - EXIT
  say "Cluster stack is up:"
  say "  Gateways + web page  http://127.0.0.1:$GATEWAY_PORT/  http://127.0.0.1:$GATEWAY_2_PORT/"
  say "  Temporal Web UI      http://localhost:$TEMPORAL_UI_PORT/"
  say "  Temporal gRPC        $TEMPORAL_ADDRESS" \
    "(server $TEMPORAL_SERVER_VERSION, PostgreSQL on 127.0.0.1:$CLUSTER_PG_PORT)"
  say "  Workers              2 on task queue ${TASK_QUEUE:-requests}"
  say "  Sandbox backend      $SANDBOX_URL"
  say "  Logs                 .temporal/logs/   Stop with ./temporal-dev.sh stop"
}

# The proof on a fresh cluster stack (not part of `test`): the banking and Life-OS HTTP flows with the suite's
# own gateways and workers on the cluster's Temporal server, then the kill-under-load run against
# the cluster's two gateways and two workers. The load needs approvals for small amounts, so the
# cluster starts with HIL_THRESHOLD=5 and a fresh sandbox database.
# Every process logs JSON lines (one per HTTP request from the gateways, with the X-Request-Id the
# kill script sends); the logs of each run are kept in .temporal/test-cluster/<time>/ after `stop`.
cmd_test_cluster() {
  export HIL_THRESHOLD=5 SANDBOX_DB="$STATE_DIR/test-cluster-sandbox.db" LOG_FORMAT=json
  rm -f "$SANDBOX_DB" "$SANDBOX_DB-wal" "$SANDBOX_DB-shm"
  TEST_CLUSTER_LOGS="$STATE_DIR/test-cluster/$(date -u +%Y%m%dT%H%M%SZ)"
  cmd_start_cluster
  trap keep_test_cluster_logs EXIT
  local status=0
  TEST_TEMPORAL_ADDRESS="$TEMPORAL_ADDRESS" npx vitest run test/e2e/banking-chat.test.ts test/e2e/life-os-flow.test.ts \
    test/e2e/setup-namespace.test.ts || status=$?
  node --import tsx scripts/kill-under-load.ts 2>&1 | tee "$LOG_DIR/kill-under-load.log" || status=$?
  return $status
}

keep_test_cluster_logs() {
  cmd_stop
  mkdir -p "$TEST_CLUSTER_LOGS" && cp "$LOG_DIR"/*.log "$TEST_CLUSTER_LOGS/" \
    && say "logs kept in ${TEST_CLUSTER_LOGS#"$ROOT"/}"
}
