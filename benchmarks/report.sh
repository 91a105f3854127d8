#!/usr/bin/env bash
# The report of a city-wide broadcast: N recipients' audience and ledger written through the production stores into a
# throwaway PostgreSQL, then read back and turned into the report and every school's phone-call list, as the report
# grain does (benchmarks/Pta.Benchmarks/Reports/ReportCommand.cs).
#
# usage: benchmarks/report.sh [RECIPIENTS=1000000] [RUNS=2]
# prints, per run: REPORT run=R recipients=N households=H schools=S ... build_ms=B total_ms=T ... peak_rss_mb=M
# Loopback only; starts and stops everything itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source benchmarks/throwaway-postgres.sh
n=${1:-1000000}
runs=${2:-2}
work=$(mktemp -d /tmp/pta-report.XXXXXX)
chmod 755 "$work"
trap 'pg_stop "$work/pg"; rm -rf "$work"' EXIT

pg_start "$work/pg"
echo "report: building (Release)..." >&2
dotnet build -c Release benchmarks/Pta.Benchmarks -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet benchmarks/Pta.Benchmarks/bin/Release/net10.0/Pta.Benchmarks.dll report \
  --postgres "Host=127.0.0.1;Port=$pg_port;Username=pta;Database=pta" --recipients "$n" --runs "$runs"
