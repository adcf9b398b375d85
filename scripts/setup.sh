#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian/Ubuntu machine: system packages,
# the .venv from requirements, and compiled translations. Idempotent; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE="${1:-run}"   # run | test
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

APT_PACKAGES=(
  python3-venv python3-uno libreoffice-writer-nogui
  fonts-dejavu fonts-liberation2 fonts-noto-core fonts-crosextra-carlito
  poppler-utils gettext
  gcc libc6-dev python3-dev
)
if [ "$PROFILE" = "test" ]; then
  # chromium + chromium-driver: the browser tests (tests/browser) drive Debian's Chromium through
  # Playwright's Python package (executable_path=/usr/bin/chromium); no browser is downloaded.
  # engines/ (test-time Elasticsearch node, veraPDF, EU DSS): a JDK, Maven and curl. Elasticsearch 9
  # needs Java 21+: a newer JDK is used when one is installed (e.g. /usr/lib/jvm/temurin-25-jdk-amd64).
  APT_PACKAGES+=(postgresql softhsm2 libnss3-tools chromium chromium-driver openjdk-17-jdk-headless maven curl)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "$PROFILE" = "test" ]; then
  # shellcheck source=engines/java.sh
  ENGINES="$PWD/engines"; source engines/java.sh
  if ! engines_java 21 >/dev/null 2>&1; then
    for jdk in openjdk-21-jdk-headless openjdk-25-jdk-headless; do
      if apt-cache show "$jdk" >/dev/null 2>&1; then
        echo "==> installing $jdk (Elasticsearch 9 needs Java 21+)"
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$jdk"
        break
      fi
    done
  fi
fi

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Python 3.11 or newer is needed (found: $($PY --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
REQ=requirements.txt
if [ "$PROFILE" = "test" ]; then REQ=requirements-dev.txt; fi
STAMP=".venv/.installed-$(sha256sum requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-$PROFILE"
if [ ! -f "$STAMP" ]; then
  echo "==> installing Python packages from $REQ"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r "$REQ"
  touch "$STAMP"
fi

# LibreOffice's Python bridge (uno) for the converter processes: Debian ships it for the system
# Python; expose it to the venv when the minor versions match (see reference/rendering.md).
SP=$(.venv/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
if [ -f /usr/lib/python3/dist-packages/uno.py ] && [ ! -e "$SP/uno.py" ]; then
  echo /usr/lib/libreoffice/program > "$SP/libreoffice-uno.pth"
  ln -sf /usr/lib/python3/dist-packages/uno.py "$SP/uno.py"
  ln -sf /usr/lib/python3/dist-packages/unohelper.py "$SP/unohelper.py"
fi

# The compiled hot path of the search analysis (search/_native.c, same terms as the Python analysis,
# which stays the reference and is used when the module is missing or stale).
echo "==> building the compiled search analysis"
.venv/bin/python search/build_native.py

echo "==> compiling translations"
.venv/bin/python manage.py compilemessages -v 0 --ignore=.venv >/dev/null 2>&1 || \
  .venv/bin/python manage.py compilemessages --ignore=.venv

if [ "$PROFILE" = "run" ]; then
  echo "==> collecting static files (served by WhiteNoise)"
  DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-settings.run}" .venv/bin/python manage.py collectstatic --no-input -v 0
fi
