//! The legacy `send($to, $from, $subject, $message)`: when the arguments are accepted, the
//! composed message DATA-encoded in its chunks is clean (no bare CR/LF, no early end, un-stuffs
//! back); with a message that starts with a known header block, the header section has exactly
//! the added and own fields (Bcc dropped), so `$to`, `$from`, `$subject` cannot inject one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendmail_fuzz::{input::Input, invariants::check_legacy};

const OWN: &[(&str, &str)] = &[
    ("Content-Type", "text/plain; charset=ISO-8859-1"),
    ("Content-Type", "text/html; charset=\"utf-8\""),
    ("MIME-Version", "1.0"),
    ("X-Mailer", "legacy 1.0"),
    ("Content-Transfer-Encoding", "8bit"),
    ("Cc", "copy@example.com, Other <other@example.org>"),
    ("Bcc", "hidden@example.com"),
    ("Reply-To", "reply@example.com"),
    ("X-Priority", "3\r\n (folded)"),
    ("To", "own@example.com"),
    ("From", "Own <own@example.com>"),
    ("Subject", "own subject"),
    ("Date", "Sun, 29 Nov 2026 08:00:00 +0000"),
    ("Message-ID", "<own@example.com>"),
];

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let to = input.mailbox_list();
    let from = input.mailbox_text();
    let subject = input.bytes().to_vec();
    let eight_bit = input.flag();
    if input.flag() {
        let eol = if input.flag() { "\r\n" } else { "\n" };
        let fields: Vec<(&str, &str)> = (0..input.below(5)).map(|_| OWN[input.below(OWN.len())]).collect();
        let mut message = Vec::new();
        for (name, value) in &fields {
            message.extend_from_slice(format!("{name}: {value}{eol}").as_bytes());
        }
        message.extend_from_slice(eol.as_bytes());
        message.extend_from_slice(input.rest());
        let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        check_legacy(&to, &from, &subject, &message, eight_bit, Some(&names));
    } else {
        check_legacy(&to, &from, &subject, input.rest(), eight_bit, None);
    }
});
