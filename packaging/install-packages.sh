# Sourced by install-deps.sh and install-bench-deps.sh: installs, from Debian's archive, the
# packages of a list that are missing, saying what it installs (as root, or through sudo;
# otherwise it stops and lists the command to run).
#
#   source "$(dirname "$0")/install-packages.sh"
#   install_missing_packages install-deps g++ cmake ...   # NAME prefixes its messages

install_missing_packages() {
    local name=$1
    shift
    local packages=("$@")
    local missing=()
    for package in "${packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done

    if [ ${#missing[@]} -eq 0 ]; then
        echo "$name: all ${#packages[@]} packages are installed."
        return 0
    fi

    echo "$name: installing ${#missing[@]} missing package(s): ${missing[*]}"
    local as_root
    if [ "$(id -u)" -eq 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        echo "$name: error: installing packages needs root. Run:" >&2
        echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi

    export DEBIAN_FRONTEND=noninteractive
    if ! "${as_root[@]}" apt-get update -qq; then
        echo "$name: error: 'apt-get update' failed; check the network and apt sources." >&2
        exit 1
    fi
    if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
        echo "$name: error: 'apt-get install' failed for: ${missing[*]}" >&2
        exit 1
    fi
    echo "$name: done."
}
