#!/usr/bin/env bash
# A Debian 13 (trixie) root with its PostgreSQL 17, for testing the office mode on the server
# version a centre installing today gets (Debian 12 has 15; since 16 a login with CREATEROLE may
# grant only roles it has ADMIN OPTION on — exactly what broke the head's accounts before).
# Made once with debootstrap from Debian's own mirror (~1 min, ~300 MB) and kept in the user's
# cache; .ci/pg.sh runs its cluster there when PG_ROOT names it. Prints the root's path.
set -euo pipefail
root=${CPE_PG17_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/cpe/pg17-trixie}
if [ ! -x "$root/usr/lib/postgresql/17/bin/postgres" ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> Making a Debian 13 root with PostgreSQL 17 in $root (once)" >&2
  $sudo rm -rf "$root"
  mkdir -p "$(dirname "$root")"
  # The sid script serves trixie on a debootstrap older than trixie's release (Ubuntu 22.04).
  $sudo debootstrap --variant=minbase --include=postgresql-17,openssl trixie "$root" \
    http://deb.debian.org/debian /usr/share/debootstrap/scripts/sid >"$root.log" 2>&1 \
    || { tail -n 20 "$root.log" >&2; exit 1; }
fi
echo "$root"
