#!/usr/bin/env bash
# Fails when translations/storyreel_fr.ts lacks a translation for a string in the sources:
# lupdate refreshes a copy of it, and any entry left unfinished is a missing translation.
# Usage: check_translations.sh LUPDATE WORK_DIR   (run from the repository root)
set -euo pipefail
lupdate=$1
work=$2
copy="$work/storyreel_fr.check.ts"
cp translations/storyreel_fr.ts "$copy"
"$lupdate" -I . -no-obsolete -locations none -silent app ui -ts "$copy"
unfinished=$(grep -c 'type="unfinished"' "$copy" || true)
if [ "$unfinished" -ne 0 ]; then
    grep -B3 'type="unfinished"' "$copy" | grep '<source>' | head -50
    echo "check_translations: $unfinished string(s) lack a French translation; run" \
         "'cmake --build --preset dev --target update_translations' and translate them." >&2
    exit 1
fi
total=$(grep -c '<source>' "$copy" || true)
if [ "$total" -eq 0 ]; then
    echo "check_translations: lupdate found no strings (wrong folder?)" >&2
    exit 1
fi
echo "check_translations: all $total strings are translated."
