#!/usr/bin/env bash
# The end-to-end fan-out benchmark (issue 4): a synthetic city loaded through the bulk roster path, K silos and a
# client-only gateway in the production profile, one city-wide emergency through the REST API, every recipient's
# acceptance read back from the relay, and the loopback SMTP ceiling for the same N and message size in the same run.
#
# usage: benchmarks/fanout.sh --recipients N [--silos K] [--carriers unlimited|emulated] [--connections C] [--timeout S]
#                              [--join-after S]   (adds a silo S s after the 202 with src/Pta.Silo/deploy/pta-silo.sh)
#        benchmarks/fanout.sh --priority [--recipients N=1000000]
#        benchmarks/fanout.sh --confirm [--recipients N=100000] [--wrk-threads T=2] [--wrk-connections W=32] [--durable] [--cold]
#        benchmarks/fanout.sh --chaos [--recipients N=100000] [--silos K=3] [--kills K=5] [--kill-every S=10] [--rate R=1250]
#        (benchmarks/confirm.sh and benchmarks/chaos.sh are the last two forms; --durable: PostgreSQL with fsync and
#        synchronous commit)
# prints, last, one of:
#   FANOUT recipients=N silos=K seconds=S limit_seconds=L ratio=S/L first_ms=F p50_ms=A p99_ms=B lost=X duplicates=D rss_mb=M
#   SHAPING recipients=N silos=K seconds=S min_seconds=T efficiency=T/S max_rate_error_pct=E lost=X
#   PRIORITY p99_ms=P ...
#   CONFIRM requests=N rps=R p99_ms=P recorded=M lost=X
#   CHAOS kills=K recipients=N lost=X duplicates=D recovery_s=R
# Loopback only. This script owns PostgreSQL, the build and the hard time limit; the C# side
# (benchmarks/Pta.Benchmarks/Fanout, command `fanout`) starts and stops the sink or emulator, silos and gateway.
# See docs/benchmarks.md, "Fan-out benchmark".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
export PATH="$PATH:/usr/sbin:/usr/local/sbin"

die() { echo "fanout: $*" >&2; exit 2; }

# Only what this script needs to know; everything is passed on to the C# command, which checks it all.
recipients=""; priority=false; confirm=false; chaos=false; durable=false; timeout=0; emulated=false
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --recipients) recipients=${2:-}; shift 2 ;;
    --timeout) timeout=${2:-}; shift 2 ;;
    --carriers) [ "${2:-}" = emulated ] && emulated=true; shift 2 ;;
    --silos|--connections|--wrk-threads|--wrk-connections|--kills|--kill-every|--rate|--join-after) shift 2 ;;
    --priority) priority=true; shift ;;
    --confirm) confirm=true; shift ;;
    --chaos) chaos=true; shift ;;
    --durable) durable=true; shift ;;
    --cold) shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[ -n "$recipients" ] || { $priority && recipients=1000000 || { { $confirm || $chaos; } && recipients=100000 || recipients=10000; }; }
[[ $recipients =~ ^[1-9][0-9]*$ ]] || die "--recipients needs a positive whole number"
[[ $timeout =~ ^[0-9]+$ ]] || die "--timeout needs a whole number of seconds"

command -v smtp-sink >/dev/null && command -v smtp-source >/dev/null ||
  die "smtp-sink/smtp-source missing: run benchmarks/smtp-limit.sh once (it installs postfix) or apt-get install postfix"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n1)
[ -x "$pg_bin/initdb" ] || die "PostgreSQL server binaries missing: apt-get install postgresql"
if $confirm; then
  [ -x /usr/bin/wrk ] || die "the confirmation benchmark drives the links with Debian's wrk: apt-get install wrk"
fi
if $emulated; then
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || die "the carrier emulator needs python3-aiosmtpd: apt-get install python3-aiosmtpd"
fi

work=$(mktemp -d /tmp/pta-fanout.XXXXXX)
chmod 755 "$work"
# One dump file per accepted message (~4 KB with smtp-sink's headers): tmpfs when it has room for twice that.
need_kb=$((recipients * 8 + 1048576))
if [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -gt "$need_kb" ] 2>/dev/null; then
  dumps=$(mktemp -d /dev/shm/pta-fanout.XXXXXX)
else
  dumps="$work/dumps"; mkdir -p "$dumps"
  echo "fanout: /dev/shm too small for $recipients dump files; dumping to $dumps on disk (slower sink)" >&2
fi
chmod 755 "$dumps"
as_pg=(); [ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
runner=""; watchdog=""

group_alive() { kill -0 -- "-$1" 2>/dev/null; }
stop_group() {
  local pgid=$1 i
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for i in $(seq 100); do group_alive "$pgid" || return 0; sleep 0.2; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}
cleanup() {
  [ -z "$watchdog" ] || stop_group "$watchdog"
  [ -z "$runner" ] || stop_group "$runner"
  # A silo added with the runbook's script (--join-after) runs in its own session: stop it by its pid file.
  for pid_file in "$work"/ops/silo-*.pid; do [ -f "$pid_file" ] && kill -KILL "$(cat "$pid_file")" 2>/dev/null || true; done
  # PTA_BENCH_LOGS=DIR keeps the silos', gateway's and relay's logs (they go with the work folder otherwise).
  if [ -n "${PTA_BENCH_LOGS:-}" ]; then
    mkdir -p "$PTA_BENCH_LOGS" && cp "$work"/*.log "$PTA_BENCH_LOGS"/ 2>/dev/null; cp "$work/pg/log" "$PTA_BENCH_LOGS/postgres.log" 2>/dev/null || true
  fi
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$work" "$dumps"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A throwaway PostgreSQL (it refuses to run as root), durability off: this measures our path, not fsync
# (--durable keeps fsync and synchronous commit on). Room for every silo's and the gateway's connection pools.
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
$durable && durability=""
mkdir -p "$work/pg" && [ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U pta --auth=trust --no-sync >/dev/null
pg_port=$(free_port)
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 \
  $durability -c max_connections=500 -c shared_buffers=512MB -c log_lock_waits=on" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U pta pta

echo "fanout: building (Release)..." >&2
for project in src/Pta.Silo src/Pta.Gateway benchmarks/Pta.Benchmarks; do
  dotnet build -c Release "$project" -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build of $project failed"; }
done

# The C# side has its own timeout (default 600 s + N/250 s); this is the backstop should it hang.
limit=$(( (timeout > 0 ? timeout : 600 + recipients / 250) + 180 ))
if $chaos && [ "$timeout" -eq 0 ]; then
  # The issue's bound: the whole chaos script ends within 15 minutes, build and clean-up included. The C# side gets
  # what is left less a minute for its own wind-down; the backstop fires 30 s after that.
  left=$(( 870 - SECONDS ))
  [ "$left" -gt 240 ] || die "only $left s left of the 15 minutes after the build; nothing sensible fits"
  args+=(--timeout $(( left - 60 )))
  limit=$(( left - 30 ))
fi
# Its own process group (setsid), so that everything it started can be stopped together whatever happens to it.
setsid dotnet benchmarks/Pta.Benchmarks/bin/Release/net10.0/Pta.Benchmarks.dll fanout \
  --repo "$repo" --work "$work" --dumps "$dumps" --pgdata "$work/pg" \
  --postgres "Host=127.0.0.1;Port=$pg_port;Username=pta;Database=pta" "${args[@]}" &
runner=$!
setsid bash -c "sleep $limit; echo 'fanout: hard time limit ($limit s) reached' >&2; kill -TERM -- -$runner" &
watchdog=$!
rc=0
wait "$runner" || rc=$?
exit "$rc"
