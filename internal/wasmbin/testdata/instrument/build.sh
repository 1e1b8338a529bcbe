#!/bin/sh
# Rebuilds the Instrument test fixtures (*.wasm) from their WAT sources with
# wabt's wat2wasm; the committed files were made with wabt 1.0.32. The output
# depends only on the sources and flags (no timestamps or paths), so
#
#	./build.sh          rewrites every .wasm next to its .wat
#	./build.sh --check  fails if a committed .wasm differs from a rebuild
#
# Usage from the module root: sh internal/wasmbin/testdata/instrument/build.sh
set -eu
cd "$(dirname "$0")"

command -v wat2wasm >/dev/null 2>&1 || {
	echo "build.sh: wat2wasm not found (install wabt)" >&2
	exit 1
}

check=false
if [ "${1:-}" = "--check" ]; then
	check=true
fi

# flags prints the wat2wasm flags of one fixture. The fixtures run by the
# equivalence tests keep to what wazero runs (core 2.0 with SIMD, wat2wasm's
# defaults); only the ones under reject/ enable proposals Instrument refuses.
flags() {
	case "$1" in
	bare.wat | recursion.wat) echo "--debug-names" ;; # a name section to drop
	reject/atomics.wat | reject/fence.wat) echo "--enable-threads" ;;
	reject/return_call.wat | reject/return_call_indirect.wat) echo "--enable-tail-call" ;;
	reject/exceptions.wat | reject/throw.wat) echo "--enable-exceptions" ;;
	reject/call_ref.wat) echo "--enable-function-references" ;;
	*) echo "" ;;
	esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for wat in *.wat reject/*.wat support/*.wat; do
	wasm=${wat%.wat}.wasm
	out="$tmp/$(echo "$wasm" | tr / _)"
	# shellcheck disable=SC2046 # flags are words
	wat2wasm $(flags "$wat") "$wat" -o "$out"
	if $check; then
		if ! cmp -s "$out" "$wasm"; then
			echo "build.sh: $wasm is stale, rerun build.sh" >&2
			status=1
		fi
	else
		cp "$out" "$wasm"
	fi
done
exit $status
