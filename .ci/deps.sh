#!/usr/bin/env bash
# Installs what building, running and testing the app needs on Debian 12 / Ubuntu 22.04+:
# WebKitGTK and friends, Xvfb and the WebKit WebDriver, poppler (PDF checks), PostgreSQL (the
# office mode's tests start a throw-away cluster of their own, .ci/pg.sh), the UI's npm
# packages, and tauri-driver. Idempotent: what is already there is skipped.
#   .ci/deps.sh run   — enough to build and start the app
#   .ci/deps.sh test  — also what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

# libssl-dev: the connection to the centre's server is encrypted with the system's OpenSSL.
# libdbus-1-dev: «Запомнить пароль» talks to the desktop's password store (Secret Service) over D-Bus.
need_pkgs=(pkg-config libssl-dev libdbus-1-dev libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev)
# openssl: the test cluster's self-signed certificate (.ci/pg.sh); dbus and gnome-keyring:
# a throw-away password store for the app's test of it (.ci/keyring.sh); dbus-x11 gives gnome-keyring the
# session bus it asks for without pulling systemd in. debootstrap: a Debian 13 root with
# PostgreSQL 17 for the office mode's second server version (.ci/pg17.sh). iproute2: a network
# namespace for the tests of a pulled cable (db::test_cluster::Cable).
[ "$mode" = test ] && need_pkgs+=(webkit2gtk-driver xvfb xauth poppler-utils postgresql openssl dbus dbus-x11 gnome-keyring debootstrap iproute2)
missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again:" >&2
  echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y && . \$HOME/.cargo/env" >&2
  exit 1
fi
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a==20&&b>=19)?1:0)' 2>/dev/null || echo 0)
if [ "$node_ok" != 1 ]; then
  echo "Node.js 20.19 or newer is needed to build the UI (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "Install it from your distribution's backports or nodejs.org, then run this again." >&2
  exit 1
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> Installing the UI's npm packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null; then
  echo "==> Installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi
