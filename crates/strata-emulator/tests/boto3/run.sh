#!/usr/bin/env bash
# Runs check_emulator.py (boto3 from PyPI) against the strata-emulator binary.
#
# Creates a virtualenv under the cargo target directory (reused on later runs), builds and
# starts the emulator on a free port, reads the port from its first stdout line, runs the
# check, and stops the emulator. Exits non-zero when anything fails.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/boto3-venv"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import boto3' 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check boto3
fi

cargo build --quiet --manifest-path "$root/Cargo.toml" -p strata-emulator --bin strata-emulator
binary="$target/debug/strata-emulator"

output="$(mktemp)"
"$binary" --bind 127.0.0.1:0 >"$output" &
emulator=$!
cleanup() {
    kill -TERM "$emulator" 2>/dev/null || true
    wait "$emulator" 2>/dev/null || true
    rm -f "$output"
}
trap cleanup EXIT

line=""
for _ in $(seq 1 100); do
    line="$(head -n 1 "$output")"
    [ -n "$line" ] && break
    if ! kill -0 "$emulator" 2>/dev/null; then
        echo "error: the emulator exited before listening" >&2
        exit 1
    fi
    sleep 0.1
done
case "$line" in
    "strata-emulator listening on http://"*) endpoint="${line#strata-emulator listening on }" ;;
    *) echo "error: unexpected first line from the emulator: '$line'" >&2; exit 1 ;;
esac

# Keep ambient AWS configuration out of the check.
env -u AWS_BEARER_TOKEN_BEDROCK -u AWS_PROFILE -u AWS_SESSION_TOKEN \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
    "$venv/bin/python" "$here/check_emulator.py" --endpoint-url "$endpoint"
