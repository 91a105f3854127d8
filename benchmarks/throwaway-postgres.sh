# Sourced by the benchmark scripts: a throwaway PostgreSQL on loopback, durability off (the benchmarks measure our
# path, not fsync). It refuses to run as root, so as root it runs as the postgres user.
#   pg_start DIR [-c name=value ...]   initdb in DIR, start on a free port (sets pg_port), create database pta
#   pg_stop DIR                        stop it at once (for the caller's EXIT trap)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n1)
as_pg=(); [ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pg_start() {
  local dir=$1; shift
  [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server binaries missing: apt-get install postgresql" >&2; return 1; }
  mkdir -p "$dir" && { [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"; }
  "${as_pg[@]}" "$pg_bin/initdb" -D "$dir" -U pta --auth=trust --no-sync >/dev/null
  pg_port=$(free_port)
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir" -l "$dir/log" -w -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off $*" start >/dev/null
  "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U pta pta
}

pg_stop() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$1" stop -m immediate >/dev/null 2>&1 || true; }
