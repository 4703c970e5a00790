#!/bin/sh
# Draws the application's PNG icons with ImageMagick primitives. Run from this folder after editing;
# the PNGs are committed so that building needs no ImageMagick.
set -e
convert -size 64x64 xc:none -fill '#2e9d4f' -stroke '#1d6b34' -strokewidth 3 \
  -draw "polygon 18,12 52,32 18,52" train-start.png
convert -size 64x64 xc:none -fill '#d9901a' \
  -draw "roundrectangle 16,12 28,52 3,3" -draw "roundrectangle 36,12 48,52 3,3" train-pause.png
convert -size 64x64 xc:none -fill '#d0453b' -stroke '#8f2a23' -strokewidth 3 \
  -draw "roundrectangle 14,14 50,50 5,5" train-stop.png
convert -size 64x64 xc:none -fill '#2e9d4f' -draw "roundrectangle 12,12 19,52 2,2" \
  -stroke '#1d6b34' -strokewidth 3 -draw "polygon 26,12 54,32 26,52" train-resume.png
convert -size 256x256 xc:none -fill '#24466e' -draw "roundrectangle 8,8 248,248 48,48" \
  -stroke '#9cc3ec' -strokewidth 8 \
  -draw "line 60,80 128,60" -draw "line 60,80 128,128" -draw "line 60,80 128,196" \
  -draw "line 60,176 128,60" -draw "line 60,176 128,128" -draw "line 60,176 128,196" \
  -draw "line 128,60 196,128" -draw "line 128,128 196,128" -draw "line 128,196 196,128" \
  -stroke none -fill white -draw "circle 60,80 80,80" -draw "circle 60,176 80,176" \
  -fill '#f5b342' -draw "circle 128,60 148,60" -draw "circle 128,128 148,128" -draw "circle 128,196 148,196" \
  -fill '#5fd08a' -draw "circle 196,128 220,128" netdraft.png
# The desktop icon sizes for packaging/ (hicolor theme); packaging/icons/netdraft.svg is the same drawing.
for size in 16 24 32 48 64 128 256; do
  convert netdraft.png -filter Lanczos -resize ${size}x${size} -depth 8 -strip ../../packaging/icons/netdraft-${size}.png
done
