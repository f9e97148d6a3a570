#!/usr/bin/env bash
# Builds the small package and tarball seeds the fuzzer starts from (fuzz/seeds/{deb,rpm,tar}),
# with the real tools, from a few small ELF fixtures. Run once and commit the result: the fuzzer
# and its CI test then need no packaging tools. Kept small on purpose (a few KiB each): a seed's
# size is paid on every execution.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/seeds
fx=test/fixtures/cross
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000

# The payload: an executable, a shared library, an object, a static archive, a symlink, a
# hard link, a long path (GNU/pax long names) and a text file.
tree=$work/tree
mkdir -p "$tree/usr/bin" "$tree/usr/lib" "$tree/usr/share/doc/x"
cp $fx/x86-64/hardened "$tree/usr/bin/hello"
cp $fx/aarch64/pic.o "$tree/usr/lib/pic.o"
cp $fx/x86-64/libpic.a "$tree/usr/lib/libpic.a"
cp $fx/riscv64/plain "$tree/usr/bin/plain-riscv64" 2>/dev/null || cp $fx/x86-64/plain "$tree/usr/bin/plain-riscv64"
ln -s hello "$tree/usr/bin/hello-link"
ln "$tree/usr/lib/pic.o" "$tree/usr/lib/pic-hardlink.o"
long="$tree/usr/share/doc/x/$(printf 'a%.0s' {1..120})"
cp $fx/x86-64/nopic.o "$long.o"
echo "text member" > "$tree/usr/share/doc/x/README"
small=$work/small
mkdir -p "$small/usr/lib"
cp $fx/x86-64/pic.o "$small/usr/lib/pic.o"

mkdir -p $out/deb $out/rpm $out/tar $out/archive $out/elf
# --- ELF files with compressed debug sections (zlib, zstd): the fixtures have none.
objcopy --compress-debug-sections=zlib $fx/x86-64/debug $out/elf/debug-zlib
objcopy --compress-debug-sections=zstd $fx/x86-64/debug $out/elf/debug-zstd 2>/dev/null || true
# --- ar archives: long member names (the // table), a thin archive, an empty one.
(cd "$work" && cp "$OLDPWD/$fx/x86-64/pic.o" a-member-with-a-very-long-name.o && cp "$OLDPWD/$fx/x86-64/nopic.o" another-member-with-a-long-name.o \
  && ar rcs "$OLDPWD/$out/archive/longnames.a" a-member-with-a-very-long-name.o another-member-with-a-long-name.o \
  && ar rcsT "$OLDPWD/$out/archive/thin.a" a-member-with-a-very-long-name.o another-member-with-a-long-name.o)
printf '!<arch>\n' > $out/archive/empty.a
# --- tarballs: ustar/gnu/pax formats, each compression, plus cpio and a lone compressed ELF.
tar --format=gnu -C "$tree" --owner=0 --group=0 --mtime=@$SOURCE_DATE_EPOCH -cf $out/tar/gnu.tar .
tar --format=pax -C "$small" --owner=0 --group=0 --mtime=@$SOURCE_DATE_EPOCH -cf $out/tar/pax-small.tar .
tar --format=ustar -C "$small" --owner=0 --group=0 --mtime=@$SOURCE_DATE_EPOCH -cf "$work/small.tar" .
gzip -n9c "$work/small.tar" > $out/tar/small.tar.gz
xz -6c "$work/small.tar" > $out/tar/small.tar.xz
zstd -q -19c "$work/small.tar" > $out/tar/small.tar.zst
bzip2 -9c "$work/small.tar" > $out/tar/small.tar.bz2
lzma -c "$work/small.tar" > $out/tar/small.tar.lzma
gzip -n9c $out/tar/gnu.tar > $out/tar/gnu.tar.gz
if command -v cpio >/dev/null; then
  (cd "$small" && find . | sort | cpio -o -H newc --quiet) > $out/tar/small.cpio
  (cd "$small" && find . | sort | cpio -o -H crc --quiet) | gzip -n9c > $out/tar/small-crc.cpio.gz
fi
xz -c $fx/x86-64/pic.o > $out/tar/pic.o.xz
gzip -n9c $fx/aarch64/pic.o > $out/tar/pic.o.gz

# --- .deb: gzip, xz, zstd and uncompressed data members.
for z in gzip xz zstd none; do
  pkg=$work/deb-$z
  mkdir -p "$pkg/DEBIAN"
  if [ $z = gzip ]; then cp -a "$tree/." "$pkg/"; else cp -a "$small/." "$pkg/"; fi
  printf 'Package: fuzz-%s\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: fuzz <f@example.org>\nDescription: fuzz seed\n' $z > "$pkg/DEBIAN/control"
  dpkg-deb --root-owner-group -Z$z -z9 --build "$pkg" $out/deb/fuzz-$z.deb >/dev/null
done

# --- .rpm: gzip, xz, zstd payloads (rpmbuild; skipped when rpmbuild is missing).
if command -v rpmbuild >/dev/null; then
  for z in gzip xz zstd; do
    case $z in gzip) p=w9.gzdio ;; xz) p=w2.xzdio ;; zstd) p=w3.zstdio ;; esac
    top=$work/rpm-$z
    mkdir -p "$top/SPECS"
    src=$tree
    [ $z = gzip ] || src=$small
    cat > "$top/SPECS/f.spec" <<SPEC
Name: fuzz-$z
Version: 1.0
Release: 1
Summary: fuzz seed
License: MIT
%define _binary_payload $p
%define __strip /bin/true
%define __brp_strip /bin/true
%define __os_install_post %{nil}
%define debug_package %{nil}
%define _build_id_links none
%description
fuzz seed
%install
mkdir -p %{buildroot}
cp -a $src/. %{buildroot}/
%files
/usr
SPEC
    rpmbuild --quiet --define "_topdir $top" --target x86_64 -bb "$top/SPECS/f.spec" >/dev/null 2>&1
    find "$top/RPMS" -name '*.rpm' -exec cp {} $out/rpm/fuzz-$z.rpm \;
  done
fi
# A bare cpio archive from the gzip rpm's payload, when cpio itself is missing.
if [ ! -e $out/tar/small.cpio ] && command -v rpm2cpio >/dev/null && [ -e $out/rpm/fuzz-xz.rpm ]; then
  rpm2cpio $out/rpm/fuzz-xz.rpm > $out/tar/small.cpio
fi
ls -la $out/*
