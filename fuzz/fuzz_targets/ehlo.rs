//! The EHLO capability reader over arbitrary reply lines: every keyword found with the
//! parameters of its first line, the greeting line never a keyword, AUTH and SIZE read right.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendmail::protocol::{parse_reply, Reply, ReplyCode};
use sendmail_fuzz::invariants::check_ehlo;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    check_ehlo(&Reply::new(ReplyCode::OK, lines));
    // The same bytes as they come off the wire.
    if let Ok(Some((reply, _))) = parse_reply(data) {
        check_ehlo(&reply);
    }
});
