#!/bin/sh
# Runs every fuzz target for SECONDS (default 360) one after the other, on one core, and prints
# libFuzzer's final figures for each. Usage: fuzz/run.sh [SECONDS] [TARGET...]
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
cd "$(dirname "$0")/.." || exit 1
secs=${1:-360}
[ $# -gt 0 ] && shift
targets=${*:-reply ehlo data_encoder headers legacy targets}
mkdir -p fuzz/artifacts
for t in $targets; do
    mkdir -p "fuzz/corpus/$t"
    seeds=""; [ -d "fuzz/seeds/$t" ] && seeds="fuzz/seeds/$t"
    # Replies are capped at 64 KiB: let inputs grow past the cap.
    extra=""; [ "$t" = reply ] && extra="-max_len=70000"
    cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" $seeds -- \
        -max_total_time="$secs" -print_final_stats=1 $extra > "fuzz/artifacts/$t.log" 2>&1
    echo "$t: exit $?"
    grep -E '^Done|stat::number_of_executed_units|SUMMARY|panicked' "fuzz/artifacts/$t.log"
done
