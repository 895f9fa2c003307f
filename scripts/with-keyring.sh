#!/usr/bin/env bash
# with-keyring.sh CMD [ARGS...]
#
# Runs CMD against a throw-away Secret Service: a private D-Bus session bus with an unlocked
# gnome-keyring, and a temporary HOME and XDG folders. Your real keyring is never touched, and
# the daemons and folders are gone when CMD ends. The exit status is CMD's.
#
#   scripts/with-keyring.sh safetykit status
#   scripts/with-keyring.sh secret-tool search --all service safetykit
#
# Needs the Debian packages gnome-keyring, dbus, dbus-x11 and libsecret-tools.
# WITH_KEYRING_TIMEOUT (seconds, default 10) bounds the wait for the keyring to come up.
# WITH_KEYRING_KEEP=1 keeps the temporary folder (its path is printed) to look at afterwards.
#
# This does what `dbus-run-session` does, by hand, so that this script (not init) waits for both
# daemons: nothing is left running or unreaped, and the daemons' chatter goes to log files.
# The daemons get stdin from /dev/null; CMD keeps the caller's stdin, so it can still prompt.

set -euo pipefail

prog=${0##*/}

if [ "$#" -eq 0 ]; then
    echo "usage: $prog CMD [ARGS...]" >&2
    exit 2
fi

for bin in dbus-daemon dbus-send gnome-keyring-daemon od; do
    if ! command -v "$bin" >/dev/null 2>&1; then
        echo "$prog: $bin not found; install gnome-keyring dbus dbus-x11 libsecret-tools" >&2
        exit 127
    fi
done

timeout=${WITH_KEYRING_TIMEOUT:-10}
case $timeout in
'' | *[!0-9]*)
    echo "$prog: WITH_KEYRING_TIMEOUT must be a whole number of seconds" >&2
    exit 2
    ;;
esac

# A short folder under /tmp keeps the bus socket path well within the 108-byte limit.
tmp=$(mktemp -d /tmp/with-keyring.XXXXXXXX)
bus_pid=
gk_pid=

is_running() {
    # is_running PID: it exists and is not a zombie waiting for us to reap it.
    local state
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

stop_daemon() {
    # stop_daemon PID: SIGTERM, give it up to 3 s, then SIGKILL; always reap it.
    local pid=$1 tries=0
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    while is_running "$pid"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 300 ]; then
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.01
    done
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    trap - EXIT INT TERM HUP
    stop_daemon "$gk_pid"
    stop_daemon "$bus_pid"
    if [ "${WITH_KEYRING_KEEP:-0}" = 1 ]; then
        echo "$prog: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP

fail() {
    echo "$prog: $1" >&2
    for log in "$tmp"/*.log; do
        [ -s "$log" ] && sed "s/^/  ${log##*/}: /" "$log" >&2
    done
    exit 1
}

mkdir -p "$tmp/home/.local/share" "$tmp/home/.config" "$tmp/home/.cache" "$tmp/runtime" "$tmp/bus"
chmod 700 "$tmp" "$tmp/home" "$tmp/runtime" "$tmp/bus"

# Our own bus configuration: it listens in $tmp/bus and has no service activation, so nothing
# (such as a second gnome-keyring with the real environment) can be started behind our back.
cat >"$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$tmp/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

export HOME="$tmp/home"
export XDG_RUNTIME_DIR="$tmp/runtime"
export XDG_DATA_HOME="$tmp/home/.local/share"
export XDG_CONFIG_HOME="$tmp/home/.config"
export XDG_CACHE_HOME="$tmp/home/.cache"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

deadline=$(($(date +%s) + timeout))

dbus-daemon --config-file="$tmp/bus.conf" --nofork --print-address=1 \
    </dev/null >"$tmp/bus.address" 2>"$tmp/dbus-daemon.log" &
bus_pid=$!
until [ -s "$tmp/bus.address" ] && grep -q . "$tmp/bus.address"; do
    kill -0 "$bus_pid" 2>/dev/null || fail "dbus-daemon stopped early"
    [ "$(date +%s)" -le "$deadline" ] || fail "dbus-daemon printed no address in ${timeout}s"
    sleep 0.005
done
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$tmp/bus.address")
export DBUS_SESSION_BUS_ADDRESS

# A random unlock password on stdin; --foreground so that $! is the daemon itself.
od -An -N16 -tx1 /dev/urandom | tr -d ' \n' |
    env -u DISPLAY -u WAYLAND_DISPLAY \
        gnome-keyring-daemon --foreground --unlock --components=secrets \
        >"$tmp/gnome-keyring-daemon.log" 2>&1 &
gk_pid=$!

bus_call() {
    dbus-send --session --print-reply=literal "$@" 2>/dev/null
}

# gnome-keyring takes the name org.freedesktop.secrets a little after it starts. Wait for the
# name, check that our daemon owns it, then wait for an unlocked default collection.
ready=no
while [ "$(date +%s)" -le "$deadline" ]; do
    kill -0 "$gk_pid" 2>/dev/null || fail "gnome-keyring-daemon stopped early"
    owned=$(bus_call --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
        string:org.freedesktop.secrets || true)
    case $owned in
    *true*)
        owner=$(bus_call --dest=org.freedesktop.DBus / \
            org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets || true)
        owner=${owner##* }
        [ "$owner" = "$gk_pid" ] ||
            fail "org.freedesktop.secrets is owned by pid $owner, not by ours ($gk_pid)"
        collection=$(bus_call --dest=org.freedesktop.secrets /org/freedesktop/secrets \
            org.freedesktop.Secret.Service.ReadAlias string:default || true)
        collection=$(printf '%s' "$collection" | tr -d ' ')
        if [ -n "$collection" ] && [ "$collection" != / ]; then
            locked=$(bus_call --dest=org.freedesktop.secrets "$collection" \
                org.freedesktop.DBus.Properties.Get \
                string:org.freedesktop.Secret.Collection string:Locked || true)
            case $locked in
            *false*)
                ready=yes
                break
                ;;
            esac
        fi
        ;;
    esac
    sleep 0.01
done
[ "$ready" = yes ] || fail "the keyring was not ready after ${timeout}s"

status=0
"$@" || status=$?
exit "$status"
