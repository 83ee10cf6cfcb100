#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests of the office mode: initdb + pg_ctl in a temporary
# folder, reachable only through a Unix socket in that folder (no TCP port, no system service),
# removed again afterwards. The server refuses to run as root, so under root the Debian package's
# `postgres` user runs it.
#   .ci/pg.sh start DIR   — creates the cluster in DIR (empty or new) and prints its URL
#   .ci/pg.sh stop DIR    — stops it and removes DIR
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (Debian: apt-get install postgresql)." >&2
  exit 1
fi
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi

case "$cmd" in
start)
  mkdir -p "$dir"
  [ ${#as[@]} -gt 0 ] && chown postgres "$dir"
  "${as[@]}" "$bin/initdb" -D "$dir/data" --auth=trust --username=cpe_admin --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # The administrator (the tests' own login) comes in by trust; every other login — the centre's
  # staff — with its password, as on a real server. Also on 127.0.0.1 with TLS (a self-signed
  # certificate made here), for the tests of the encrypted connection.
  printf 'local all cpe_admin trust\nlocal all all scram-sha-256\nhost all cpe_admin 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n' \
    | "${as[@]}" tee "$dir/data/pg_hba.conf" >/dev/null
  "${as[@]}" openssl req -x509 -nodes -newkey rsa:2048 -days 2 -subj /CN=localhost \
    -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >/dev/null 2>&1
  # fsync off: a test cluster is thrown away, durability buys nothing there. A free port is
  # looked for: several clusters (a developer's, `make test`'s) may run side by side.
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c ssl=on -c fsync=off -c full_page_writes=off -c max_connections=200" start; then
      echo "host=$dir port=$port user=cpe_admin dbname=postgres"
      exit 0
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
  ;;
stop)
  if [ -d "$dir/data" ]; then
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -s stop || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
