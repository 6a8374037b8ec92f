//! Messages built from fuzzed parts, each part checked as `SendMail\Message` checks it: the
//! rendered message is CRLF-clean whole lines of at most 998 octets, with exactly the expected
//! header fields in order, so no value starts a field of its own. Also the header encoders alone: unstructured values, display names, mailbox lists.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendmail::message::{email::Email, Mailbox};
use sendmail_fuzz::{
    input::Input,
    invariants::{build_email, check_display_name, check_email, check_mailboxes, check_unstructured, EmailInput},
};

const HEADER_NAMES: &[&str] = &["X-Tag", "Date", "Message-ID", "List-Unsubscribe", "Bcc", "Subject", "X Bad", "X:y"];
const MEDIA_TYPES: &[&str] = &["application/pdf", "text/plain", "image/png", "bad type", "x/y;z"];

fn optional(input: &mut Input<'_>) -> Option<String> {
    input.flag().then(|| input.text())
}

fn mailboxes(input: &mut Input<'_>) -> Vec<(String, Option<String>)> {
    (0..input.below(4)).map(|_| (input.address(), input.display_name())).collect()
}

fn email(input: &mut Input<'_>) -> EmailInput {
    let from = input.flag().then(|| (input.address(), input.display_name()));
    let lists = [mailboxes(input), mailboxes(input), mailboxes(input), mailboxes(input)];
    let subject = optional(input);
    let text = optional(input);
    let html = optional(input);
    let attachments = (0..input.below(3))
        .map(|_| {
            let name = input.text();
            let media = MEDIA_TYPES[input.below(MEDIA_TYPES.len())].to_owned();
            let data = input.bytes().to_vec();
            let cid = optional(input);
            (name, media, data, cid)
        })
        .collect();
    let headers = (0..input.below(4))
        .map(|_| {
            let name =
                if input.flag() { input.text() } else { HEADER_NAMES[input.below(HEADER_NAMES.len())].to_owned() };
            (name, input.text())
        })
        .collect();
    EmailInput { from, lists, subject, text, html, attachments, headers }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    match input.byte() % 4 {
        0 => {
            let name =
                ["Subject", "X-Tag", "X-A-Rather-Long-Header-Name-That-Takes-Room-On-The-First-Line"][input.below(3)];
            let charset = [None, Some("gb2312"), Some("ISO-8859-1")][input.below(3)];
            let value: Vec<u8> = input.rest().iter().copied().filter(|b| !matches!(b, b'\r' | b'\n' | 0)).collect();
            check_unstructured(name, &value, charset);
        }
        1 => check_display_name(&String::from_utf8_lossy(input.rest())),
        2 => {
            let list = mailboxes(&mut input);
            let checked: Vec<Mailbox> =
                list.iter().filter_map(|(a, n)| Email::mailbox("to", a, n.as_deref()).ok()).collect();
            check_mailboxes("To", &checked);
        }
        _ => check_email(&build_email(&email(&mut input))),
    }
});
