#!/usr/bin/env bash
# Validates the desktop-integration files that the .deb installs.
set -euo pipefail
desktop-file-validate packaging/io.storyreel.Storyreel.desktop
appstreamcli validate --no-net --pedantic packaging/io.storyreel.Storyreel.metainfo.xml
xmllint --noout packaging/storyreel-mime.xml
echo "check_desktop_files: desktop entry, metainfo and MIME type are valid."
