#!/usr/bin/env bash
# Downloads a corpus of real Debian packages for foreign architectures and extracts them, for
# manual and differential testing of the scanners on many arches (see docs/fixtures.md).
#
#   scripts/fetch-corpus.sh [DIR]      DIR defaults to corpus/ at the repository root (git-ignored)
#
# Layout:
#   DIR/debs/<arch>/<pkg>_<version>_<arch>.deb
#   DIR/extracted/<arch>/<pkg>/...           (dpkg-deb -x)
#   DIR/apt/                                 private apt configuration, lists and state
#
# The system's apt configuration and state are never touched: apt runs with a private source
# list, list directory and (empty) dpkg status file, like shared/tools/reference-tools.sh. The
# mirror is the one this machine's apt uses. Idempotent: an existing .deb or extraction is kept;
# package lists are fetched once (CORPUS_UPDATE=1 fetches them again).
#
# Environment:
#   CORPUS_ARCHES    default "arm64 armhf i386 s390x ppc64el mips64el riscv64"
#   CORPUS_PACKAGES  default: see PACKAGES below (a package missing on an arch is skipped)
#   CORPUS_SUITE     default bookworm; CORPUS_SUITE_<arch> overrides it per arch
#                    (riscv64 is not a release arch of bookworm: it defaults to trixie)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/corpus}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

ARCHES=${CORPUS_ARCHES:-"arm64 armhf i386 s390x ppc64el mips64el riscv64"}
# Real ELF content of several kinds: executables (coreutils, bash, busybox, ssh, curl, nginx),
# the C library and its loader (libc6), shared libraries (libssl3, zlib1g, libstdc++6,
# libsqlite3-0, libcurl4), a Rust program (ripgrep) and a Go program (direnv).
PACKAGES=${CORPUS_PACKAGES:-"coreutils bash busybox libc6 libssl3 zlib1g libstdc++6 libsqlite3-0 curl libcurl4 openssh-client nginx ripgrep direnv"}
SUITE=${CORPUS_SUITE:-bookworm}
suite_of() {
  local v="CORPUS_SUITE_$1"
  if [ -n "${!v:-}" ]; then echo "${!v}"
  elif [ "$1" = riscv64 ] && [ -z "${CORPUS_SUITE:-}" ]; then echo trixie
  else echo "$SUITE"; fi
}

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "fetch-corpus: needs $tool" >&2; exit 1; }
done

# The mirror this machine's apt uses (deb822 sources first, then the one-line format).
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || { echo "fetch-corpus: no Debian mirror found in /etc/apt" >&2; exit 1; }

APT=$DIR/apt
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/etc/preferences.d"
: >"$APT/status"
# One source line per suite, limited to the arches that use it.
sources=""
declare -A by_suite=()
for a in $ARCHES; do s=$(suite_of "$a"); by_suite[$s]="${by_suite[$s]:+${by_suite[$s]},}$a"; done
for s in $(printf '%s\n' "${!by_suite[@]}" | sort); do sources+="deb [arch=${by_suite[$s]}] $mirror $s main"$'\n'; done
opts=(-o "Dir::Etc::SourceList=$APT/sources.list" -o "Dir::Etc::SourceParts=-"
      -o "Dir::Etc::Preferences=$APT/preferences" -o "Dir::Etc::PreferencesParts=$APT/etc/preferences.d"
      -o "Dir::State::Lists=$APT/lists" -o "Dir::State::status=$APT/status"
      -o "Dir::Cache=$APT/cache" -o "Dir::Cache::Archives=$APT/cache/archives"
      -o "Acquire::Languages=none" -o "APT::Architecture=amd64" -o "APT::Get::List-Cleanup=false"
      -o "APT::Sandbox::User=root"
      # Keep the binary package cache (a container's apt config often disables it; without it
      # every apt call re-parses all the lists).
      -o "Dir::Cache::pkgcache=$APT/cache/pkgcache.bin" -o "Dir::Cache::srcpkgcache=")
for a in $ARCHES; do opts+=(-o "APT::Architectures::=$a"); done

if [ "$sources" != "$(cat "$APT/sources.list" 2>/dev/null)"$'\n' ] || [ -n "${CORPUS_UPDATE:-}" ] ||
   ! ls "$APT"/lists/*_Packages* >/dev/null 2>&1; then
  printf '%s' "$sources" >"$APT/sources.list"
  echo "fetch-corpus: updating package lists ($(tr '\n' ' ' <<<"$sources"| sed 's/ *$//'))" >&2
  apt-get "${opts[@]}" update -qq
fi

for a in $ARCHES; do
  mkdir -p "$DIR/debs/$a" "$DIR/extracted/$a"
  for p in $PACKAGES; do
    # trixie renamed libraries in the 64-bit time_t transition (libssl3 -> libssl3t64).
    for q in "$p" "${p}t64"; do
      ls "$DIR/debs/$a/${q}_"*.deb >/dev/null 2>&1 && { p=$q; break; }
    done
    if ! ls "$DIR/debs/$a/${p}_"*.deb >/dev/null 2>&1; then
      got=""
      for q in "$p" "${p}t64"; do
        # A package this arch lacks (or a purely virtual one) has no candidate version.
        pol=$(apt-cache "${opts[@]}" policy "$q:$a" 2>/dev/null || true)
        grep -q 'Candidate: [^(]' <<<"$pol" || continue
        (cd "$DIR/debs/$a" && apt-get "${opts[@]}" download -qq "$q:$a" 2>/dev/null) && { got=$q; break; }
      done
      if [ -z "$got" ]; then echo "fetch-corpus: $p not available for $a, skipped" >&2; continue; fi
      p=$got
    fi
    deb=$(ls "$DIR/debs/$a/${p}_"*.deb | head -n1)
    out=$DIR/extracted/$a/$p
    if [ ! -e "$out/.extracted" ] || [ "$(cat "$out/.extracted")" != "$(basename "$deb")" ]; then
      rm -rf "$out"; mkdir -p "$out"
      dpkg-deb -x "$deb" "$out"
      basename "$deb" >"$out/.extracted"
    fi
  done
done

# Summary: regular files, ELF files (by magic) and size, per arch.
printf '%-9s %7s %7s %9s %9s\n' arch files elf debs_MB tree_MB
for a in $ARCHES; do
  [ -d "$DIR/extracted/$a" ] || continue
  files=$(find "$DIR/extracted/$a" -type f ! -name .extracted | wc -l)
  elf=0
  while IFS= read -r -d '' f; do
    IFS= read -r -n4 -d '' magic <"$f" || true
    [ "$magic" = $'\x7fELF' ] && elf=$((elf + 1))
  done < <(find "$DIR/extracted/$a" -type f ! -name .extracted -size +51c -print0)
  debs=$(du -sm "$DIR/debs/$a" | cut -f1)
  tree=$(du -sm "$DIR/extracted/$a" | cut -f1)
  printf '%-9s %7s %7s %9s %9s\n' "$a" "$files" "$elf" "$debs" "$tree"
done
