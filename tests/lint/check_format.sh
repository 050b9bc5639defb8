#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format 14 makes of it.
# Usage: check_format.sh [clang-format-binary]   (run from the repository root)
set -euo pipefail
clang_format=${1:-clang-format-14}
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.h' '*.cpp' | sort -u)
if [ ${#files[@]} -eq 0 ]; then
    echo "check_format: no C++ files found (run from the repository root)" >&2
    exit 1
fi
existing=()
for file in "${files[@]}"; do
    [ -f "$file" ] && existing+=("$file")
done
if ! "$clang_format" --dry-run --Werror "${existing[@]}"; then
    echo "check_format: run '$clang_format -i' on the files above." >&2
    exit 1
fi
echo "check_format: ${#existing[@]} files formatted."
