#!/usr/bin/env bash
# The packaging test (CTest packaging.deb): builds the .deb with CPack from a built tree, checks its
# metadata, unpacks it into a fresh root and runs what it installed there: netdraft-cli on an
# installed example (validate, one short training run, export) and the GUI once, offscreen.
#   check-package.sh BUILD_DIR [CMAKE]
set -euo pipefail
build="$(cd "$1" && pwd)"
cmake_program="${2:-cmake}"
cpack_program="$(dirname "$cmake_program")/cpack"
[ -x "$cpack_program" ] || cpack_program=cpack
work="$(mktemp -d "${TMPDIR:-/tmp}/netdraft-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "cpack (DEB) into $work/out"
"$cpack_program" --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; fail "cpack failed"; }
deb="$(ls "$work"/out/netdraft_*.deb 2>/dev/null | head -n1)"
[ -n "$deb" ] || { cat "$work/cpack.log"; fail "no netdraft_*.deb written"; }
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1)"

step "metadata"
info="$(dpkg-deb -I "$deb")"
echo "$info" | grep -E "^ (Package|Version|Architecture|Depends|Recommends|Section|Installed-Size):"
depends="$(echo "$info" | sed -n 's/^ *Depends: //p')"
for package in libqt6widgets6 libqt6gui6 libqt6core6 libqcustomplot2.1-qt6 libtorch libopenblas0; do
  [[ "$depends" == *"$package"* ]] || fail "Depends does not name $package: $depends"
done
# Every named package exists in this machine's package lists (a misspelt name would not install).
if command -v apt-cache >/dev/null; then
  for package in $(echo "$depends" | tr ',|' '\n\n' | sed 's/(.*)//; s/ //g' | grep -v '^$'); do
    apt-cache show "$package" >/dev/null 2>&1 || fail "Depends names $package, which apt does not know"
  done
fi

step "unpack into a fresh root"
root="$work/root"
dpkg-deb -x "$deb" "$root"
for file in usr/bin/netdraft usr/bin/netdraft-cli \
    usr/share/applications/io.netdraft.Netdraft.desktop usr/share/mime/packages/netdraft.xml \
    usr/share/metainfo/io.netdraft.Netdraft.metainfo.xml usr/share/icons/hicolor/scalable/apps/netdraft.svg \
    usr/share/icons/hicolor/16x16/apps/netdraft.png usr/share/icons/hicolor/256x256/apps/netdraft.png \
    usr/share/doc/netdraft/LAYERS.md usr/share/netdraft/projects/classic_cnn.netdraft \
    usr/share/netdraft/projects/mlp_spirals.netdraft usr/share/netdraft/screenshots/app-finished.png; do
  [ -e "$root/$file" ] || fail "the package lacks /$file"
done
grep -q '^MimeType=application/x-netdraft;' "$root/usr/share/applications/io.netdraft.Netdraft.desktop" \
  || fail "the desktop entry does not open application/x-netdraft"
grep -q '<glob pattern="\*.netdraft"/>' "$root/usr/share/mime/packages/netdraft.xml" || fail "no *.netdraft glob"
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$root/usr/share/metainfo/io.netdraft.Netdraft.metainfo.xml" \
    || fail "the AppStream metadata does not validate"
fi
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$root/usr/share/applications/io.netdraft.Netdraft.desktop" || fail "invalid desktop entry"
fi

step "the installed programs use the installed engine library, not the build tree's"
cli="$root/usr/bin/netdraft-cli"
engine_line="$(ldd "$cli" | grep libnetdraft-engine || true)"
echo "$engine_line"
[[ "$engine_line" == *"$root/usr/"* ]] || fail "netdraft-cli does not load libnetdraft-engine from the root"
if ldd "$cli" "$root/usr/bin/netdraft" | grep -q "not found"; then
  ldd "$cli" "$root/usr/bin/netdraft" | grep "not found"
  fail "a library of the installed programs is missing"
fi

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
unset NETDRAFT_TEMPLATES
step "netdraft-cli on an installed example"
"$cli" --version | tee "$work/version.txt"
grep -q "^Netdraft [0-9]" "$work/version.txt" && grep -q "^LibTorch " "$work/version.txt" \
  && grep -q "^CUDA " "$work/version.txt" || fail "netdraft-cli --version"
example="$root/usr/share/netdraft/projects/mlp_spirals.netdraft"
"$cli" validate "$example" | tail -n 2
mkdir -p "$work/run"
sed -E 's/"samples": [0-9]+/"samples": 300/' "$example" >"$work/run/mlp.netdraft"
"$cli" train "$work/run/mlp.netdraft" --epochs 1 --out "$work/run/out" | tail -n 4
[ -f "$work/run/out/weights.pt" ] || fail "training wrote no weights.pt"
"$cli" export "$work/run/mlp.netdraft" --format torchscript --weights "$work/run/out/weights.pt" \
  --out "$work/run/mlp.pt"
[ -s "$work/run/mlp.pt" ] || fail "export wrote no TorchScript file"

step "the installed GUI, offscreen"
gui="$root/usr/bin/netdraft"
"$gui" --version | tee "$work/gui-version.txt"
grep -q "^Qt 6" "$work/gui-version.txt" || fail "netdraft --version does not name Qt"
export QT_QPA_PLATFORM=offscreen
"$gui" --quit-after-load "$root/usr/share/netdraft/projects/resnet_shapes.netdraft" | tee "$work/gui.txt"
grep -Eq "^loaded resnet_shapes.netdraft: Small ResNet on Shapes, [0-9]+ blocks" "$work/gui.txt" \
  || fail "the GUI did not load the example"
examples="$(ls "$root"/usr/share/netdraft/projects/*.netdraft | wc -l)"
grep -q "^templates: $examples in $root/usr/share/netdraft/projects\$" "$work/gui.txt" \
  || fail "the GUI does not find its templates next to its executable"
if "$gui" --quit-after-load "$work/missing.netdraft" >"$work/gui-missing.txt" 2>&1; then
  fail "opening a missing project did not fail"
fi
grep -q "cannot open" "$work/gui-missing.txt" || fail "no message for a missing project"
echo "package check passed"
