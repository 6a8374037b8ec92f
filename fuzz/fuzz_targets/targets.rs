//! `$smtp` parsing and redaction: never panics; a redacted `$smtp` names the same servers with
//! `****` for each URL password; and neither `redact` nor an error text shows a URL password,
//! even one with `;`, `?`, `/`, `@` or `;x://` unescaped (only `;smtp://` and `;smtps://` start
//! a new entry; the tail pieces cannot spell them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendmail_fuzz::{
    input::Input,
    invariants::{check_password_hidden, check_targets},
};

const SCHEMES: &[&str] = &["smtp", "smtps", "SMTP", "ftp", ""];
const HOSTS: &[&str] = &["host", "h.example:587", "[::1]:25", "host:99999", "", "[::1", ":25", "a;b"];
const TAIL: &[&str] = &[
    "a", "Z", "9", "-", ".", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", "=", ":", "%3B", "%40", "%", "%zz",
    ";", "?", "/", "@",
];

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    if input.flag() {
        check_targets(&String::from_utf8_lossy(input.rest()));
        return;
    }
    let scheme = SCHEMES[input.below(SCHEMES.len())];
    let user = input.pick_text(&["u", "@", "%40", ":", "x"]);
    let tail = input.pick_text(TAIL);
    let host = HOSTS[input.below(HOSTS.len())];
    // No second marker in what follows the password.
    let rest = String::from_utf8_lossy(input.rest()).replace('3', "4");
    let url = format!("{scheme}://{user}:S3cr{tail}@{host}{rest}");
    check_targets(&url);
    // Without a scheme it is no URL, so there is no password to hide.
    if !scheme.is_empty() {
        check_password_hidden(&url, "S3cr");
    }
});
