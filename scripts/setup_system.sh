#!/usr/bin/env bash
# Install the Debian packages Approvals needs, only those missing (as root, on a new machine).
#   run:  PDF notices (pango, HarfBuzz subsetting, a CJK fallback font; the notice fonts ship
#         with the project in approvals/notices/fonts)
#   test: the above, plus poppler-utils to read PDFs, zbar-tools to read QR codes,
#         Chromium for browser tests, Node's npm for axe-core (when missing), and
#         PostgreSQL binaries for a throwaway cluster when no server answers, and
#         redis-server for a throwaway Redis (shared rate-limit counts) when none is installed.
set -euo pipefail

mode="${1:-run}"
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei)
if [[ "$mode" == "test" ]]; then
    packages+=(poppler-utils zbar-tools chromium)
    # npm installs axe-core (package.json) for the accessibility checks of the browser tests.
    if ! command -v npm >/dev/null; then
        packages+=(nodejs npm)
    fi
    if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null; then
        packages+=(postgresql)
    fi
    if ! command -v redis-server >/dev/null; then
        packages+=(redis-server)
    fi
fi

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing system packages: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then
        SUDO=sudo
    else
        echo "Please install as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
