#!/usr/bin/env bash
# Draws build/appicon.png (1024x1024): a microphone between waveform bars on a
# rounded violet-to-coral square. Wails embeds it as the window icon and the
# Linux .desktop file points at it. Needs ImageMagick 6 (Debian imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
convert=/usr/bin/convert # the Debian binary, whatever else is earlier on PATH
out=build/appicon.png
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Background: diagonal gradient clipped to a rounded square.
"$convert" -size 1024x1024 -define gradient:direction=SouthEast gradient:'#6d28d9-#f97362' "$tmp/grad.png"
"$convert" -size 1024x1024 xc:none -fill white -draw 'roundrectangle 32,32 992,992 200,200' "$tmp/mask.png"
"$convert" "$tmp/grad.png" "$tmp/mask.png" -alpha off -compose CopyOpacity -composite "$tmp/bg.png"

# Foreground: microphone capsule, cradle (a half circle under the capsule),
# stem and base, with waveform bars either side.
cradle=$(awk 'BEGIN { for (a = 0; a <= 180; a += 6) printf "%s%.1f,%.1f", (a ? " " : ""), 512 + 150 * cos(a * 3.14159265 / 180), 470 + 150 * sin(a * 3.14159265 / 180) }')
"$convert" -size 1024x1024 xc:none \
  -fill white -stroke none \
  -draw 'roundrectangle 412,190 612,590 100,100' \
  -fill none -stroke white -strokewidth 44 -draw "stroke-linecap round stroke-linejoin round polyline $cradle" \
  -stroke none -fill white \
  -draw 'rectangle 490,620 534,800' \
  -draw 'roundrectangle 392,790 632,834 22,22' \
  -fill '#ffffffd0' \
  -draw 'roundrectangle 110,450 146,590 18,18' \
  -draw 'roundrectangle 180,380 216,660 18,18' \
  -draw 'roundrectangle 250,420 286,620 18,18' \
  -draw 'roundrectangle 738,420 774,620 18,18' \
  -draw 'roundrectangle 808,380 844,660 18,18' \
  -draw 'roundrectangle 878,450 914,590 18,18' \
  "$tmp/fg.png"

"$convert" "$tmp/bg.png" "$tmp/fg.png" -compose over -composite -depth 8 -strip "$out"
echo "wrote $out"
