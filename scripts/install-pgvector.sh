#!/usr/bin/env bash
# Install the pgvector extension for the local PostgreSQL, and make sure the server is running.
#
# Debian bookworm ships no pgvector for PostgreSQL 15, so this builds it from Debian's own source
# package in trixie (a deb-src line only: no binary packages from trixie are ever installed), against
# PostgreSQL's pg_config. OPTFLAGS="" keeps the build portable (no -march=native). Idempotent: does
# nothing but start the server when the extension is installed already. Run as root (or via sudo).
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)}"
PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

start_server() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" main start
  fi
}

extension_dir() {
  if [ -x "$PG_CONFIG" ]; then "$PG_CONFIG" --sharedir; else echo "/usr/share/postgresql/${PG_MAJOR}"; fi
}

if [ -f "$(extension_dir)/extension/vector.control" ]; then
  echo "pgvector: already installed for PostgreSQL ${PG_MAJOR}"
  start_server
  exit 0
fi

# The mirror the machine already uses (deb822 .sources files first, then one-line sources.list).
mirror=""
for file in /etc/apt/sources.list.d/*.sources; do
  [ -f "$file" ] || continue
  mirror="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' "$file")"
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' /etc/apt/sources.list)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

list=/etc/apt/sources.list.d/paperradar-trixie-src.list
if [ ! -f "$list" ]; then
  echo "deb-src ${mirror%/} trixie main" | $SUDO tee "$list" >/dev/null
fi
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
# The server headers and PGXS to build against, and dpkg-source to unpack the source package.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "postgresql-server-dev-${PG_MAJOR}" dpkg-dev make gcc >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # apt downloads as the unprivileged _apt user when it can write there
cd "$work"
apt-get source --download-only pgvector
dpkg-source --no-check -x ./pgvector_*.dsc src >/dev/null
cd src
make -s OPTFLAGS="" PG_CONFIG="$PG_CONFIG"
$SUDO make -s install OPTFLAGS="" PG_CONFIG="$PG_CONFIG"
echo "pgvector: installed for PostgreSQL ${PG_MAJOR}"
start_server
