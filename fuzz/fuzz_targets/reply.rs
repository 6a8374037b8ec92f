//! The reply parser, fed the stream whole and cut at fuzzed points: never panics, keeps its caps,
//! gives the same replies and the same end whatever the cuts; parsed replies feed the EHLO reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendmail_fuzz::{input::Input, invariants::check_reply_stream};

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let points = input.cut_points(8);
    check_reply_stream(input.rest(), &points);
});
