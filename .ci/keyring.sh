#!/bin/sh
# Runs a command with a throw-away Secret Service (the OS's password store of a Linux desktop):
# started inside `dbus-run-session`, gnome-keyring's login keyring made unlocked in a temporary
# folder that is removed after. `make test` runs the app's password-store test in it.
#   dbus-run-session -- .ci/keyring.sh COMMAND...
set -eu
XDG_DATA_HOME=$(mktemp -d)
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
printf 'test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
