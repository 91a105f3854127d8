#!/usr/bin/env bash
# The project's single test command (CI runs it through .ci/run).
#
#   bash tests/run-all.sh [extra dotnet test args, e.g. --filter ...]
#
# Installs PostgreSQL, Postfix (smtp-sink/smtp-source), Dovecot,
# python3-aiosmtpd (the carrier emulator), chromium and a Japanese font (the
# browser tests) if missing, starts a throwaway
# PostgreSQL cluster on 127.0.0.1, runs `dotnet test` and the Python tests of
# tests/emulator, prints "N passed, N failed[, N skipped]" (both counted) as
# the last line, and always cleans up what it started.
#
# Environment knobs:
#   PTA_TEST_TARGET=path     solution/project to test (default Pta.Orleans.sln)
#   PTA_KEEP_TEST_DIR=1      keep the temp dir (server log, trx files) afterwards
#   PTA_TEST_ARTIFACTS=dir   where the browser tests put their screenshots
#                            (default .pta/test-artifacts/screenshots; old PNGs removed first)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET="${PTA_TEST_TARGET:-Pta.Orleans.sln}"

log() { echo "run-all: $*" >&2; }
die() { echo "run-all: ERROR: $*" >&2; exit 1; }
T0=$SECONDS

# ---------------------------------------------------------------- packages
# Only touch apt when something is missing, so the common case costs nothing.
pg_bindir() {  # highest installed PostgreSQL major version, if any
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n1)
  [[ -n "$d" && -x "$d/initdb" ]] && echo "$d"
  return 0
}

missing=()
[[ -n "$(pg_bindir)" ]] || missing+=(postgresql)
[[ -x /usr/sbin/smtp-sink && -x /usr/sbin/smtp-source ]] || missing+=(postfix)
[[ -x /usr/sbin/dovecot ]] || missing+=(dovecot-imapd)
# Debian's python3 is where python3-aiosmtpd lands; a pyenv python3 earlier on
# PATH would never see it, so the emulator and its tests run on this one.
PYTHON=python3
[[ -x /usr/bin/python3 ]] && PYTHON=/usr/bin/python3
"$PYTHON" -c "import aiosmtpd" >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
# The browser tests (tests/Pta.Console.Tests) drive Debian's chromium through Playwright's bundled driver; no
# browser is ever downloaded. A Japanese font, so screenshots show the pages' text rather than empty boxes.
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -d /usr/share/fonts/opentype/ipafont-gothic ]] || missing+=(fonts-ipafont-gothic)

if ((${#missing[@]})); then
  if ((EUID == 0)); then
    SUDO=()
  elif command -v sudo >/dev/null; then
    # No terminal (CI): never hang on a password prompt.
    if [[ -t 0 ]]; then SUDO=(sudo); else SUDO=(sudo -n); fi
  else
    die "missing package(s): ${missing[*]}; install them as root (apt-get install ${missing[*]}) or run this as root"
  fi
  log "installing ${missing[*]} ..."
  # Another apt/dpkg may be running (e.g. someone installing postfix): wait for
  # its locks instead of failing. DPkg::Lock::Timeout covers only dpkg's lock,
  # so also retry while apt reports a held lock (lists/archives), up to 5 min.
  apt_out=$(mktemp)
  apt_get() {
    local deadline=$((SECONDS + 300))
    until "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
            -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 "$@" >"$apt_out" 2>&1; do
      grep -q 'Could not get lock' "$apt_out" && ((SECONDS < deadline)) || return 1
      sleep 3
    done
  }
  if ! { apt_get update && apt_get install --no-install-recommends "${missing[@]}"; }; then
    cat "$apt_out" >&2; rm -f "$apt_out"
    die "could not install: ${missing[*]}"
  fi
  rm -f "$apt_out"
  # Package scripts may start the distro services (where no policy-rc.d stops
  # them). We need none: a postfix master would sit on port 25, dovecot on
  # 143/993 and the default cluster on 5432. Stop only what this install may
  # have started.
  if [[ " ${missing[*]} " == *" postfix "* ]] && pgrep -x master >/dev/null; then
    log "stopping the postfix daemon the package started"
    "${SUDO[@]}" postfix stop >/dev/null 2>&1 || true
  fi
  # `dovecot stop` reads the system config (/etc/dovecot) and signals only
  # the daemon whose pid file is there, never a test run's own dovecot.
  if [[ " ${missing[*]} " == *" dovecot-imapd "* ]] && pgrep -x dovecot >/dev/null; then
    log "stopping the dovecot daemon the package started"
    "${SUDO[@]}" dovecot stop >/dev/null 2>&1 || true
  fi
  if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null; then
    pg_lsclusters -h 2>/dev/null | awk '$4 == "online" {print $1, $2}' |
      while read -r ver name; do
        log "stopping the default cluster $ver/$name the package started"
        "${SUDO[@]}" pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
      done
  fi
fi
PG_BIN=$(pg_bindir)
[[ -n "$PG_BIN" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"

# ---------------------------------------------------------------- run dir
# PostgreSQL refuses to run as root: use the `postgres` system user then.
if ((EUID == 0)); then
  if ! id -u postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin postgres
  fi
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi
# Fixed /tmp (not $TMPDIR): the unix socket path must stay short (<108 bytes)
# and the postgres user must be able to reach the directory.
RUN_DIR=$(mktemp -d /tmp/pta-test.XXXXXX)
PG_DIR="$RUN_DIR/pg"        # owned by the server's user; data dir + socket
PG_STARTED=0

# Run a PostgreSQL tool as the server's user, from a dir it can read.
as_pg() { (cd "$PG_DIR" && "${AS_PG[@]}" "$@"); }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if ((PG_STARTED)); then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate -w -t 15 >/dev/null 2>&1
  fi
  # Leftover smtp-sink/smtp-source/postgres/dovecot/emulator processes of THIS run only: they
  # carry our run dir on their command line or in their environment (the
  # fixtures inherit PTA_TEST_RUN_DIR). Other runs' processes are left alone.
  local p pid
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [[ $pid == "$$" ]] && continue
    case "$(cat "$p/comm" 2>/dev/null)" in smtp-sink|smtp-source|postgres|dovecot|python3|chromium|node) ;; *) continue ;; esac
    if tr '\0' '\n' 2>/dev/null <"$p/cmdline" | grep -qF "$RUN_DIR" ||
       tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qxF "PTA_TEST_RUN_DIR=$RUN_DIR"; then
      kill -9 "$pid" 2>/dev/null
    fi
  done
  if [[ "${PTA_KEEP_TEST_DIR:-0}" == 1 ]]; then
    log "kept $RUN_DIR"
  else
    rm -rf "$RUN_DIR"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The run dir is traversable so smtp-sink (dropped to `nobody` when run as
# root) can reach $RUN_DIR/tmp, which is world-writable (sticky) for its dumps.
chmod 755 "$RUN_DIR"
mkdir -m 1777 "$RUN_DIR/tmp"
mkdir -m 700 "$PG_DIR"
if ((EUID == 0)); then chown postgres: "$PG_DIR"; fi

# ---------------------------------------------------------------- postgres
# A random password (hex, so it is safe inside a connection string); TCP logins
# need it, the unix socket inside $PG_DIR (ours only) is trusted.
PG_PASSWORD=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
as_pg sh -c "umask 077; printf '%s\n' '$PG_PASSWORD' > '$PG_DIR/pwfile'"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U pta --pwfile="$PG_DIR/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale --no-sync \
  >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
rm -f "$PG_DIR/pwfile"
as_pg mkdir -m 700 "$PG_DIR/sock"
# Throwaway data: durability off for speed; several test pools need many
# connections.
cat >>"$PG_DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR/sock'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

# A random high port that nothing listens on; if someone grabs it before the
# server binds, start fails and we try another.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
PG_STARTED=1  # from here on, cleanup must stop it
for attempt in 1 2 3 4 5; do
  PG_PORT=$(free_port)
  rm -f "$PG_DIR/server.log"
  if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
       -o "-p $PG_PORT" -w -t 30 start >/dev/null 2>&1; then
    break
  fi
  grep -q 'could not bind' "$PG_DIR/server.log" 2>/dev/null && ((attempt < 5)) && continue
  cat "$PG_DIR/server.log" >&2 2>/dev/null
  die "PostgreSQL did not start within 30 s (log above)"
done
# Bounded wait until it answers on TCP exactly as the tests will connect.
deadline=$((SECONDS + 30))
until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; do
  if ((SECONDS >= deadline)); then
    cat "$PG_DIR/server.log" >&2
    die "PostgreSQL not answering on 127.0.0.1:$PG_PORT after 30 s (log above)"
  fi
  sleep 0.5
done

# ---------------------------------------------------------------- tests
export PTA_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=pta;Password=$PG_PASSWORD;Database=postgres"
export PTA_SMTP_SINK=/usr/sbin/smtp-sink
export PTA_SMTP_SOURCE=/usr/sbin/smtp-source
export PTA_DOVECOT=/usr/sbin/dovecot
export PTA_TEST_RUN_DIR="$RUN_DIR"
export PTA_PYTHON="$PYTHON"
# Screenshots of every console and guardian page (tests/Pta.Console.Tests): outside the run dir, which is removed.
export PTA_TEST_ARTIFACTS="${PTA_TEST_ARTIFACTS:-$PWD/.pta/test-artifacts/screenshots}"
mkdir -p "$PTA_TEST_ARTIFACTS" && find "$PTA_TEST_ARTIFACTS" -maxdepth 1 -name '*.png' -delete
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "PostgreSQL $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$PG_PORT, run dir $RUN_DIR (set-up took $((SECONDS - T0)) s)"

RESULTS="$RUN_DIR/results"
# --blame-hang-timeout: a test stuck for 5 minutes is killed (and reported) instead of holding CI for 90.
test_rc=0
dotnet test "$TARGET" -c Release \
  --logger trx --logger "console;verbosity=normal" \
  --blame-hang-timeout 5m \
  --results-directory "$RESULTS" "$@" </dev/null || test_rc=$?

# The carrier emulator's own tests (Python unittest against a real emulator
# process). Each test bounds itself; the timeout only guards against the runner.
PY_LOG="$RUN_DIR/python-tests.log"
py_rc=0
timeout -k 10 300 "$PYTHON" -B -m unittest discover -s tests/emulator -v </dev/null 2>&1 |
  tee "$PY_LOG" || py_rc=$?
# unittest ends with "Ran N tests" and "OK[ (skipped=S)]" or "FAILED (failures=F, errors=E[, skipped=S])".
py_count() { grep -Eo "$1=[0-9]+" "$PY_LOG" | tail -n1 | grep -Eo '[0-9]+' || echo 0; }
py_ran=$(grep -Eo '^Ran [0-9]+ tests?' "$PY_LOG" | tail -n1 | grep -Eo '[0-9]+' || echo 0)
py_skipped=$(py_count skipped)
py_failed=$(($(py_count failures) + $(py_count errors)))
# A run that crashed before reporting counts as one failure, never as a pass.
((py_rc == 0 || py_failed > 0)) || py_failed=1
py_passed=$((py_ran - py_failed - py_skipped))
((py_passed >= 0)) || py_passed=0
log "python tests: $py_passed passed, $py_failed failed, $py_skipped skipped (exit code $py_rc)"

# ---------------------------------------------------------------- summary
# Sum the <Counters .../> of every .trx (one per test project).
mapfile -t trx < <(find "$RESULTS" -name '*.trx' 2>/dev/null)
if ((${#trx[@]} == 0)); then
  echo "run-all: ERROR: no test results (.trx) were produced: build failure or no tests ran (dotnet test exit code $test_rc)"
  exit $((test_rc ? test_rc : 1))
fi
counter() {  # counter NAME: sum of that attribute over all trx files
  grep -ho '<Counters [^>]*>' "${trx[@]}" | grep -o " $1=\"[0-9]*\"" |
    grep -o '[0-9]*' | awk '{s += $1} END {print s + 0}' || true
}
passed=$(counter passed)
failed=$(($(counter failed) + $(counter error) + $(counter timeout) + $(counter aborted)))
# xunit's skipped tests are not counted in notExecuted, only left out of executed.
skipped=$(($(counter total) - $(counter executed)))
passed=$((passed + py_passed))
failed=$((failed + py_failed))
skipped=$((skipped + py_skipped))

summary="$passed passed, $failed failed"
((skipped > 0)) && summary+=", $skipped skipped"
if ((test_rc == 0 && py_rc == 0 && failed == 0 && passed > 0)); then rc=0; else rc=$((test_rc ? test_rc : 1)); fi
((passed > 0)) || log "no test passed (none ran?): failing the run"
echo "$summary"
exit "$rc"
