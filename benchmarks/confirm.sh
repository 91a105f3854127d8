#!/usr/bin/env bash
# The read-confirmation benchmark (issue 5): a city-wide emergency with read confirmation (受信確認) to N guardians
# (default 100,000) into a dumping smtp-sink; every personal link taken from the delivered mail; each link clicked
# once with Debian's wrk (/usr/bin/wrk, benchmarks/Pta.Benchmarks/Confirm/walk-links.lua) against the gateway; the
# confirmations then counted in PostgreSQL.
#
# usage: benchmarks/confirm.sh [--recipients N=100000] [--wrk-threads T=2] [--wrk-connections W=32] [--cold] [--timeout S]
#        PostgreSQL commits durably here (fsync and synchronous commit on; `fanout.sh --confirm` is the same without).
#        --cold: no warm-up (by default the gateway first serves the links of a small broadcast to N/20 guardians)
# prints, last: CONFIRM requests=N rps=R p99_ms=P recorded=M lost=X
#   N links clicked, each once; R = N / wrk's run time; P = wrk's 99th percentile latency (ms);
#   M = confirmations of the broadcast in PostgreSQL afterwards; X = N - M.
# Loopback only; starts and stops everything it needs (PostgreSQL, smtp-sink, a silo, a client-only gateway, wrk)
# through the fan-out benchmark's machinery. See docs/benchmarks.md, "Read-confirmation benchmark".
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}"; exit 0 ;; esac
exec bash "$(dirname "${BASH_SOURCE[0]}")/fanout.sh" --confirm --durable "$@"
