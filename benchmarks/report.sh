#!/usr/bin/env bash
# The report of a city-wide broadcast: N recipients' audience and ledger written through the production stores into a
# throwaway PostgreSQL, then read back and turned into the report and every school's phone-call list, as the report
# grain does (benchmarks/Pta.Benchmarks/Reports/ReportCommand.cs).
#
# usage: benchmarks/report.sh [RECIPIENTS=1000000] [RUNS=2]
# prints, last: REPORT run=R recipients=N households=H schools=S ... build_ms=B total_ms=T ... peak_rss_mb=M
# Loopback only; starts and stops everything itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-1000000}
runs=${2:-2}
work=$(mktemp -d /tmp/pta-report.XXXXXX)
chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -t/ -k5,5n | tail -n1)
as_pg=(); [ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)

cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A throwaway PostgreSQL (it refuses to run as root), durability off: this measures our path, not fsync.
mkdir -p "$work/pg" && [ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U pta --auth=trust --no-sync >/dev/null
pg_port=$(free_port)
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U pta pta

echo "report: building (Release)..." >&2
dotnet build -c Release benchmarks/Pta.Benchmarks -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet benchmarks/Pta.Benchmarks/bin/Release/net10.0/Pta.Benchmarks.dll report \
  --postgres "Host=127.0.0.1;Port=$pg_port;Username=pta;Database=pta" --recipients "$n" --runs "$runs"
