#!/usr/bin/env bash
# Fails on an include that crosses the layers (README "Layers"): core/ includes no Qt,
# ui/ and app/ include no LibTorch, core/infer includes nothing but LibTorch and core/base,
# and nothing in core/ includes ui/ or app/.
set -euo pipefail
status=0
forbid() {  # forbid FOLDER REGEX WHY
    local hits
    hits=$(grep -rnE "^\s*#\s*include\s*[<\"]($2)" "$1" --include='*.h' --include='*.cpp' \
        --include='*.h.in' || true)
    if [ -n "$hits" ]; then
        echo "$hits"
        echo "check_layers: $1 must not include $2: $3" >&2
        status=1
    fi
}
forbid core 'Q[A-Za-z]+|QtCore/|QtGui/|QtWidgets/|ui/|app/' "core has no Qt and sits below ui/ and app/"
forbid ui 'torch/|ATen/|c10/|core/infer/' "the UI reaches engines through core/render only"
forbid app 'torch/|ATen/|c10/|core/infer/' "entry points reach engines through core/render only"
forbid core/infer 'opencv2/|libav|nlohmann/|core/(project|media|motion|render)/' \
    "core/infer builds with LibTorch alone"
forbid core/base 'torch/|ATen/|c10/|opencv2/|libav|nlohmann/|core/(project|media|motion|infer|render)/' \
    "core/base is standard library only"
[ $status -eq 0 ] && echo "check_layers: no forbidden include."
exit $status
