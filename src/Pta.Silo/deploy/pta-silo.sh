#!/usr/bin/env bash
# Starts or stops one silo of the PostgreSQL cluster on this machine: the runbook's "add a silo" and "remove a silo"
# (docs/operations.md, "Cluster").
#
# usage: pta-silo.sh start N     start silo N here and wait until the cluster lists it Active (exit 0), or fail
#        pta-silo.sh stop N      stop silo N gracefully (SIGTERM: it leaves the cluster, its grains move), wait
#        pta-silo.sh list        the cluster's silos from the membership table
#   N (0-99) numbers the silos of this machine: silo port 11111+N, gateway port 30000+N
#   (PTA_SILO_PORT_BASE, PTA_GATEWAY_PORT_BASE move the bases).
# settings:
#   PTA_ENV_FILE   KEY=VALUE lines shared by the cluster's processes (default /etc/pta/cluster.env): at least
#                  Pta__Cluster__Mode=PostgreSql, Pta__Postgres__ConnectionString, Pta__AtRest__Keys__<id>,
#                  Pta__AtRest__LookupKey, Pta__Links__SigningKey, Pta__Smtp__Host. A variable already set in the
#                  environment wins over the file.
#   PTA_RUN_DIR    where silo-N.pid, silo-N.log and silo-N/ (its data directory) go (default /var/lib/pta)
#   PTA_SILO_DLL   the published silo (default: ../bin/Release/net10.0/Pta.Silo.dll next to this script)
#   PTA_START_TIMEOUT  seconds to wait for Active (default 90)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
env_file=${PTA_ENV_FILE:-/etc/pta/cluster.env}
run_dir=${PTA_RUN_DIR:-/var/lib/pta}
dll=${PTA_SILO_DLL:-$here/../bin/Release/net10.0/Pta.Silo.dll}
timeout=${PTA_START_TIMEOUT:-90}

die() { echo "pta-silo: $*" >&2; exit 1; }
usage() { sed -n '2,21p' "${BASH_SOURCE[0]}"; exit 2; }

load_env() {
  [ -r "$env_file" ] || die "cannot read $env_file (set PTA_ENV_FILE)"
  local line key
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || die "$env_file: not KEY=VALUE: $line"
    key=${BASH_REMATCH[1]}
    # No shell evaluation: connection strings hold ';' and keys '+/='. The caller's environment wins.
    [ -z "${!key+x}" ] && export "$key=${BASH_REMATCH[2]}"
  done < "$env_file"
  [ -f "$dll" ] || die "$dll not found: dotnet publish or build src/Pta.Silo -c Release first (or set PTA_SILO_DLL)"
}

silo_number() {
  [[ ${1:-} =~ ^[0-9]{1,2}$ ]] || die "N must be a number from 0 to 99"
  echo $((10#$1))
}

list() { dotnet "$dll" silos; }

running_pid() {
  local pid_file=$run_dir/silo-$1.pid pid
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  local n; n=$(silo_number "${1:-}")
  local silo_port=$(( ${PTA_SILO_PORT_BASE:-11111} + n )) gateway_port=$(( ${PTA_GATEWAY_PORT_BASE:-30000} + n ))
  local log=$run_dir/silo-$n.log pid
  [ "${Pta__Cluster__Mode:-}" = PostgreSql ] || die "$env_file must set Pta__Cluster__Mode=PostgreSql: an embedded silo joins no cluster"
  if pid=$(running_pid "$n"); then die "silo $n already runs (pid $pid)"; fi
  mkdir -p "$run_dir/silo-$n"
  export Pta__Cluster__SiloPort=$silo_port Pta__Cluster__GatewayPort=$gateway_port Pta__DataDirectory=$run_dir/silo-$n
  echo "pta-silo: starting silo $n (silo port $silo_port, gateway port $gateway_port), log $log"
  setsid nohup dotnet "$dll" >>"$log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$run_dir/silo-$n.pid"
  local deadline=$(( SECONDS + timeout ))
  while (( SECONDS < deadline )); do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "silo $n exited during start-up (log above)"; }
    # The newest generation on this port, Active: this process has joined.
    if list 2>/dev/null | awk -v port="$silo_port" '$2 == port { status = $4 } END { exit status == "Active" ? 0 : 1 }'; then
      echo "pta-silo: silo $n is Active (pid $pid); it takes a share of new and running sends within seconds"
      return 0
    fi
    sleep 1
  done
  die "silo $n (pid $pid) not Active after ${timeout}s; see $log"
}

stop() {
  local n; n=$(silo_number "${1:-}")
  local pid
  pid=$(running_pid "$n") || die "silo $n does not run here (no live pid in $run_dir/silo-$n.pid)"
  echo "pta-silo: stopping silo $n (pid $pid) gracefully"
  kill -TERM "$pid"
  local deadline=$(( SECONDS + timeout ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      echo "pta-silo: silo $n still running after ${timeout}s; kill -9 (its shards resume on the other silos)" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
  done
  rm -f "$run_dir/silo-$n.pid"
  echo "pta-silo: silo $n stopped"
}

case "${1:-}" in
  start) load_env; start "${2:-}" ;;
  stop) load_env; stop "${2:-}" ;;
  list) load_env; list ;;
  -h|--help|"") usage ;;
  *) die "unknown command $1 (start N | stop N | list)" ;;
esac
