//! The line-oriented encoders: the DATA encoder (no bare CR or LF, CRLF.CRLF only at the end,
//! un-stuffing gives back the normalised input, the same output whatever the chunking),
//! `LineEnds`, quoted-printable (short printable lines, decodes back, chunking-independent) and
//! raw commands (CRLF-clean, no NUL, no empty line, the text kept).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendmail_fuzz::{
    input::Input,
    invariants::{check_data_encoder, check_quoted_printable, check_raw_command},
};

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let points = input.cut_points(8);
    let body = input.rest();
    check_data_encoder(body, &points);
    check_quoted_printable(body, &points);
    check_raw_command(body);
});
