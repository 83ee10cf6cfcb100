#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests of the office mode: initdb + pg_ctl in a temporary
# folder, reachable only through a Unix socket in that folder (no TCP port, no system service),
# removed again afterwards. The server refuses to run as root, so under root the Debian package's
# `postgres` user runs it.
#   .ci/pg.sh start DIR   — creates the cluster in DIR (empty or new) and prints its URL
#   .ci/pg.sh stop DIR    — stops it and removes DIR
# With PG_ROOT set to a root folder holding another PostgreSQL (.ci/pg17.sh), the cluster is run
# there with chroot, in the root's /tmp under DIR's name; its socket is reached through the root.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?folder}
given=$dir
root=${PG_ROOT:-}
sys=()   # runs a command as root in the cluster's system
if [ -n "$root" ]; then
  sys=(chroot "$root")
  [ "$(id -u)" -ne 0 ] && sys=(sudo "${sys[@]}")
  inner=/tmp/$(basename "$dir")
  dir=$root$inner
  # No /dev/shm in the root: dynamic shared memory in files of the cluster instead.
  extra="-c dynamic_shared_memory_type=mmap"
  bin=$(ls -d "$root"/usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  bin=${bin#"$root"}
else
  inner=$dir
  extra=""
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (Debian: apt-get install postgresql)." >&2
  exit 1
fi
as=()    # runs a command as the server's user (paths inside the cluster's system: $inner)
if [ -n "$root" ] || [ "$(id -u)" -eq 0 ]; then as=("${sys[@]}" runuser -u postgres --); fi

case "$cmd" in
start)
  mkdir -p "$dir"
  [ ${#as[@]} -gt 0 ] && "${sys[@]}" chown postgres "$inner"
  "${as[@]}" "$bin/initdb" -D "$inner/data" --auth=trust --username=cpe_admin --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # The administrator (the tests' own login) comes in by trust; every other login — the centre's
  # staff — with its password, as on a real server. Also on 127.0.0.1 with TLS (a self-signed
  # certificate made here), for the tests of the encrypted connection.
  printf 'local all cpe_admin trust\nlocal all all scram-sha-256\nhost all cpe_admin 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n' \
    | "${as[@]}" tee "$inner/data/pg_hba.conf" >/dev/null
  "${as[@]}" openssl req -x509 -nodes -newkey rsa:2048 -days 2 -subj /CN=localhost \
    -keyout "$inner/data/server.key" -out "$inner/data/server.crt" >/dev/null 2>&1
  # fsync off: a test cluster is thrown away, durability buys nothing there. A free port is
  # looked for: several clusters (a developer's, `make test`'s) may run side by side.
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if "${as[@]}" "$bin/pg_ctl" -D "$inner/data" -l "$inner/server.log" -w -s \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $inner -c ssl=on -c fsync=off -c full_page_writes=off -c max_connections=200 $extra" start; then
      echo "host=$dir port=$port user=cpe_admin dbname=postgres"
      exit 0
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
  ;;
stop)
  if [ -d "$dir/data" ]; then
    "${as[@]}" "$bin/pg_ctl" -D "$inner/data" -m immediate -s stop || true
  fi
  if [ -n "$root" ]; then "${sys[@]}" rm -rf "$inner"; rmdir "$given" 2>/dev/null || true; else rm -rf "$dir"; fi
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
