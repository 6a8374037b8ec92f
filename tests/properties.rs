//! Property tests of the parsers and encoders: the reply parser, the EHLO capabilities, the DATA
//! encoder, raw commands, header and body encodings, whole messages (built and legacy) and the
//! server targets. The invariants live in `fuzz/src/invariants.rs`, shared with the fuzz targets
//! (`fuzz/README.md`); here proptest feeds them inputs biased toward the bytes that matter
//! (CR, LF, `.`, NUL, 8-bit bytes, `\r\n.\r\n`, long lines, encoded-word look-alikes).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[allow(dead_code)]
#[path = "../fuzz/src/invariants.rs"]
mod invariants;

use invariants::*;
use proptest::{collection::vec, prelude::*, sample::select, test_runner::RngSeed};
use sendmail::{
    message::{email::Email, Mailbox},
    protocol::{
        reply::{MAX_LINE, MAX_REPLY},
        Reply, ReplyCode,
    },
};

/// Cases per property: enough to find the deliberate breaks, small enough for `make test`.
/// The seed is fixed so that `make test` is deterministic; `PROPTEST_RNG_SEED=n` and
/// `PROPTEST_CASES=n` explore further (e.g. `PROPTEST_CASES=20000 PROPTEST_RNG_SEED=$RANDOM`).
fn config(cases: u32) -> ProptestConfig {
    let from_env = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { from_env.cases } else { cases };
    let rng_seed = match from_env.rng_seed {
        RngSeed::Random => RngSeed::Fixed(20_261_130),
        fixed => fixed,
    };
    ProptestConfig { cases, rng_seed, failure_persistence: None, ..from_env }
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Byte strings made of pieces that matter to SMTP and MIME.
fn wire_bytes(max_pieces: usize) -> impl Strategy<Value = Vec<u8>> {
    let fragments: &[&[u8]] = &[
        b"\r\n.\r\n",
        b"\n.\n",
        b"\r.\r",
        b".\r\n",
        b"\r\n",
        b"\n\r",
        b"\r\r\n",
        b"..",
        b".",
        b"=?",
        b"=_",
        b"=?UTF-8?B?eA==?=",
        b"Subject: x",
        b"To: a@b.example",
        b"Bcc: c@d.example",
        b"\r\nMAIL FROM:<x@y>\r\n",
        b" ",
        b"\t",
        b"=",
        b"\xc3\xa9",
        b"\xe6\x97\xa5",
        b"\xff\xfe",
    ];
    let piece = prop_oneof![
        5 => select(&b"\r\n.\0 \ta:"[..]).prop_map(|b| vec![b]),
        2 => (0x80u8..=0xff).prop_map(|b| vec![b]),
        4 => select(fragments).prop_map(<[u8]>::to_vec),
        3 => vec(select(&b"abcdefghij xyz"[..]), 0..24),
        1 => vec(any::<u8>(), 0..8),
        1 => (990usize..1010).prop_map(|n| vec![b'x'; n]),
        1 => (70usize..90).prop_map(|n| vec![b'y'; n]),
    ];
    vec(piece, 0..max_pieces).prop_map(|pieces| pieces.concat())
}

/// Text made of characters that matter in headers: line breaks and other controls, quotes,
/// specials, non-ASCII, encoded-word look-alikes, long words.
fn header_text(max_pieces: usize) -> impl Strategy<Value = String> {
    let fragments: &[&str] = &[
        "\r\n",
        "\r",
        "\n",
        "\t",
        "\0",
        "\u{7f}",
        "\u{85}",
        "\u{2028}",
        "\u{2029}",
        "\"",
        "\\",
        "<",
        ">",
        "@",
        ",",
        ";",
        ":",
        "=?",
        "=?UTF-8?Q?x?=",
        "?=",
        "é",
        "日本",
        "😀",
        "Bcc: evil@example.com",
        "\r\nBcc: evil@example.com",
        " ",
        "  ",
        "=_",
    ];
    let piece = prop_oneof![
        4 => select(fragments).prop_map(str::to_owned),
        4 => vec(select(&b"abcdefghijklmnop QRSTUVWXYZ0123456789.-"[..]), 0..16)
            .prop_map(|b| String::from_utf8(b).unwrap()),
        1 => any::<char>().prop_map(String::from),
        1 => (80usize..1000).prop_map(|n| "w".repeat(n)),
        1 => (80usize..500).prop_map(|n| "é".repeat(n)),
        1 => (20usize..200).prop_map(|n| "word ".repeat(n)),
    ];
    vec(piece, 0..max_pieces).prop_map(|pieces| pieces.concat())
}

/// An address that usually passes the checks, sometimes not.
fn address() -> impl Strategy<Value = String> {
    let local = prop_oneof![
        6 => vec(select(&b"abcxyz09.+-_"[..]), 1..20).prop_map(|b| String::from_utf8(b).unwrap()),
        1 => Just("\"odd user\"".to_owned()),
        1 => Just("jörg".to_owned()),
        1 => (60usize..70).prop_map(|n| "l".repeat(n)),
    ];
    let domain = prop_oneof![
        6 => vec(select(&["example", "com", "mail", "a", "xn--bcher-kva", "x1"][..]), 1..4).prop_map(|l| l.join(".")),
        1 => Just("bücher.example".to_owned()),
        1 => Just("[192.0.2.1]".to_owned()),
        1 => (100usize..250).prop_map(|n| format!("{}.example", "d".repeat(n.min(63)))),
    ];
    prop_oneof![
        8 => (local, domain).prop_map(|(l, d)| format!("{l}@{d}")),
        1 => header_text(4),
    ]
}

/// A legacy `$subject`: mostly one `send()` accepts (no CR, LF or NUL), sometimes not.
fn legacy_subject() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => wire_bytes(12).prop_map(|s| s.into_iter().filter(|b| !matches!(b, b'\r' | b'\n' | 0)).collect()),
        1 => wire_bytes(12),
    ]
}

/// A mailbox as a script writes it in `$to`/`$from`.
fn mailbox_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => address(),
        2 => (header_text(4), address()).prop_map(|(n, a)| format!("{n} <{a}>")),
        1 => (header_text(4), address()).prop_map(|(n, a)| format!("\"{}\" <{a}>", n.replace('"', "\\\""))),
        1 => (200usize..1100, address()).prop_map(|(n, a)| format!("{} <{a}>", "Long Name ".repeat(n / 10))),
        1 => header_text(6),
        4 => Just("a@example.com".to_owned()),
    ]
}

fn mailbox_list() -> impl Strategy<Value = String> {
    (vec(mailbox_text(), 1..5), select(&[", ", ",", " , ", ",,"][..])).prop_map(|(items, sep)| items.join(sep))
}

/// (address, display name) as given to `from()`, `to()` and the like.
fn mailbox_parts() -> impl Strategy<Value = (String, Option<String>)> {
    (address(), proptest::option::of(header_text(6)))
}

fn email_input() -> impl Strategy<Value = EmailInput> {
    let list = || vec(mailbox_parts(), 0..4);
    let media =
        select(&["application/pdf", "text/plain", "image/png", "bad type", "x/y;z"][..]).prop_map(str::to_owned);
    let attachment = (header_text(4), media, vec(any::<u8>(), 0..200), proptest::option::of(header_text(2)));
    let header_name = prop_oneof![
        3 => select(&["X-Tag", "Date", "Message-ID", "List-Unsubscribe", "X-Mailer", "Bcc", "Subject", "X Bad", "X:y"][..])
            .prop_map(str::to_owned),
        1 => header_text(2),
        1 => (60usize..80).prop_map(|n| format!("X-{}", "h".repeat(n))),
    ];
    (
        proptest::option::of(mailbox_parts()),
        [list(), list(), list(), list()],
        proptest::option::of(header_text(8)),
        proptest::option::of(header_text(8)),
        proptest::option::of(header_text(6)),
        vec(attachment, 0..3),
        vec((header_name, header_text(6)), 0..4),
    )
        .prop_map(|(from, lists, subject, text, html, attachments, headers)| EmailInput {
            from,
            lists,
            subject,
            text,
            html,
            attachments,
            headers,
        })
}

/// Bytes shaped like server replies: codes, separators, line ends, text, and long lines.
fn reply_bytes() -> impl Strategy<Value = Vec<u8>> {
    let fragments: &[&[u8]] = &[
        b"250-",
        b"250 ",
        b"250",
        b"220 ",
        b"354 ",
        b"550-",
        b"550 ",
        b"199 ",
        b"600 ",
        b"2a0 ",
        b"25",
        b"-",
        b" ",
        b"\r\n",
        b"\n",
        b"\r",
        b"2.0.0 ",
        b"queued as ABC",
        b"id=X1",
        b"SIZE 100",
        b"AUTH PLAIN",
        b"\xff",
    ];
    let piece = prop_oneof![
        6 => select(fragments).prop_map(<[u8]>::to_vec),
        3 => vec(select(&b"abc XYZ=.<>-0123456789"[..]), 0..20),
        1 => vec(any::<u8>(), 0..6),
        1 => (MAX_LINE - 8..MAX_LINE + 4).prop_map(|n| vec![b'x'; n]),
    ];
    vec(piece, 0..40).prop_map(|p| p.concat())
}

fn cut_points() -> impl Strategy<Value = Vec<usize>> {
    vec(any::<usize>(), 0..8)
}

// ---------------------------------------------------------------------------------------------
// Replies and EHLO
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(1024))]

    /// Never panics; `used` within the buffer; same replies and end whatever the cut points.
    #[test]
    fn reply_parser_is_split_independent(buf in reply_bytes(), points in cut_points()) {
        check_reply_stream(&buf, &points);
    }

    /// Well-formed replies parse back to their code and lines, pipelined bytes left alone; a line
    /// with another code makes the reply an error.
    #[test]
    fn replies_round_trip(
        code in 200u16..=599,
        lines in vec(vec(any::<char>().prop_filter("no line end", |c| *c != '\r' && *c != '\n'), 0..30)
            .prop_map(|c| c.into_iter().collect::<String>()), 1..5),
        other in proptest::option::of((0usize..5, 200u16..=599)),
        bare_lf in any::<bool>(),
        after in reply_bytes(),
    ) {
        check_reply_round_trip(code, &lines, other, bare_lf, &after);
    }

    /// Arbitrary reply lines: keywords found with their parameters, the greeting never one.
    #[test]
    fn ehlo_capabilities(lines in vec(header_text(6), 1..8)) {
        check_ehlo(&Reply::new(ReplyCode::OK, lines));
    }

    /// Extension lines as servers write them.
    #[test]
    fn ehlo_capabilities_structured(
        greeting in select(&["mail.example", "8BITMIME hello", "SIZE", "mx ESMTP"][..]),
        extensions in vec((
            select(&["PIPELINING", "8bitmime", "SIZE", "AUTH", "AUTH=LOGIN", "STARTTLS", "CHUNKING", "SMTPUTF8", "X-Y"][..]),
            vec(select(&["PLAIN", "login", "CRAM-MD5", "10240000", "x", "PLAIN"][..]), 0..4),
        ), 0..8),
    ) {
        let mut lines = vec![greeting.to_owned()];
        lines.extend(extensions.iter().map(|(k, p)| std::iter::once(*k).chain(p.iter().copied()).collect::<Vec<_>>().join(" ")));
        check_ehlo(&Reply::new(ReplyCode::OK, lines));
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// Replies near and over the caps: the parser never waits with more than it may hold.
    #[test]
    fn reply_caps_hold(line_len in 900usize..8300, count in 5usize..90, tail in reply_bytes(), points in cut_points()) {
        let line = [b"250-".as_slice(), &vec![b'x'; line_len], b"\r\n"].concat();
        let mut buf = line.repeat(count);
        let over = buf.len() > MAX_REPLY || line.len() > MAX_LINE;
        buf.extend_from_slice(&tail);
        check_reply_stream(&buf, &points);
        if over {
            prop_assert!(sendmail::protocol::parse_reply(&buf).is_err(), "{} lines of {} bytes", count, line.len());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// DATA, raw commands, quoted-printable
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(2048))]

    /// No bare CR/LF, CRLF.CRLF only at the end, un-stuffing gives the normalised input, and
    /// the output does not depend on the chunking.
    #[test]
    fn data_encoder(input in wire_bytes(40), points in cut_points()) {
        check_data_encoder(&input, &points);
    }

    /// Quoted-printable: short printable lines, decodes to the input, chunking-independent.
    #[test]
    fn quoted_printable(input in wire_bytes(40), points in cut_points()) {
        check_quoted_printable(&input, &points);
    }

    /// Raw commands: CRLF-clean, no NUL, no empty line (`NOOP\n\n` sends one line), the text kept.
    #[test]
    fn raw_commands(input in wire_bytes(12)) {
        check_raw_command(&input);
    }
}

// ---------------------------------------------------------------------------------------------
// Header encodings and whole messages
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(1024))]

    /// Unstructured values (what Subject and extra headers pass): one field, folded lines of at
    /// most 998 octets, and the value reads back. Values are those the callers accept (no CR,
    /// LF or NUL).
    #[test]
    fn unstructured_headers(
        name in select(&["Subject", "X-Tag", "X-A-Rather-Long-Header-Name-That-Takes-Room-On-The-First-Line-Of-It"][..]),
        value in wire_bytes(30).prop_map(|v| v.into_iter().filter(|b| !matches!(b, b'\r' | b'\n' | 0)).collect::<Vec<u8>>()),
        charset in proptest::option::of(select(&["gb2312", "ISO-8859-1", "x-a-very-long-charset-name-indeed"][..])),
    ) {
        check_unstructured(name, &value, charset);
    }

    /// Display names never break a line (they fold) and read back.
    #[test]
    fn display_names(name in header_text(10)) {
        check_display_name(&name);
    }

    /// Mailbox fields: one field, every further line a continuation, lines within 998 octets
    /// whatever the display names.
    #[test]
    fn mailbox_headers(list in vec(mailbox_parts(), 1..6)) {
        check_mailboxes("To", &mailboxes(&list));
    }

    /// A message built from checked parts renders to clean lines of at most 998 octets with
    /// exactly its own fields.
    #[test]
    fn built_messages(input in email_input()) {
        check_email(&build_email(&input));
    }

    /// Legacy `send()` with arbitrary arguments: if accepted, the DATA stream is clean.
    #[test]
    fn legacy_messages(to in mailbox_list(), from in mailbox_text(), subject in legacy_subject(),
                       message in wire_bytes(40), eight_bit in any::<bool>()) {
        check_legacy(&to, &from, &subject, &message, eight_bit, None);
    }
}

fn mailboxes(list: &[(String, Option<String>)]) -> Vec<Mailbox> {
    list.iter().filter_map(|(a, n)| Email::mailbox("to", a, n.as_deref()).ok()).collect()
}

proptest! {
    #![proptest_config(config(8))]

    /// Bodies longer than one 64 KiB chunk: the quoted-printable state crosses the chunk border.
    #[test]
    fn legacy_big_bodies(k in 0usize..6, filler in select(&["word ", "é", "a\r", "xy\t"][..]), tail in wire_bytes(6)) {
        let mut body = filler.repeat(65_536 / filler.len() + 1).into_bytes();
        body.truncate(65_536 - k);
        body.extend_from_slice(&tail);
        body.extend_from_slice("é".as_bytes());
        let message = [b"\r\n".as_slice(), &body].concat();
        check_legacy("a@example.com", "b@example.com", b"big", &message, false, Some(&[]));
    }
}

/// A mailbox, list or subject with a line break and a field after it.
fn injection() -> impl Strategy<Value = String> {
    let breaks =
        select(&["\r\n", "\n", "\r", "\r\n ", "\n\t", "\u{85}", "\u{2028}", "\u{2029}", "\0", "\x0b", "\x0c"][..]);
    let field = select(&["Bcc: evil@example.com", "X-Evil: 1", "To: evil@example.com", "", "\r\n"][..]);
    let before = select(&["a@example.com", "Name", "\"Quoted", "Subject text", "Name <a@example.com>"][..]);
    let after = select(&["", " <b@example.com>", "\" <b@example.com>", ", c@example.com"][..]);
    (before, breaks, field, after).prop_map(|(b, br, f, a)| format!("{b}{br}{f}{a}"))
}

/// A legacy message that starts with a header block of known fields, then a blank line and a body.
fn legacy_with_block() -> impl Strategy<Value = (Vec<&'static str>, Vec<u8>)> {
    let field = select(
        &[
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
        ][..],
    );
    (vec(field, 0..5), select(&["\r\n", "\n"][..]), wire_bytes(30)).prop_map(|(fields, eol, body)| {
        let mut message = Vec::new();
        for (name, value) in &fields {
            message.extend_from_slice(format!("{name}: {value}{eol}").as_bytes());
        }
        message.extend_from_slice(eol.as_bytes());
        message.extend_from_slice(&body);
        (fields.iter().map(|(n, _)| *n).collect(), message)
    })
}

proptest! {
    #![proptest_config(config(1024))]

    /// `$to`, `$from` and `$subject` never start a field of their own, and lines stay within
    /// 998 octets.
    #[test]
    fn legacy_headers_cannot_be_injected(to in mailbox_list(), from in mailbox_text(), subject in legacy_subject(),
                                         (own, message) in legacy_with_block(), eight_bit in any::<bool>()) {
        check_legacy(&to, &from, &subject, &message, eight_bit, Some(&own));
    }

    /// Values built to inject a field through `$to`, `$from` or `$subject`.
    #[test]
    fn legacy_injection_attempts(to in injection(), from in injection(), subject in injection(),
                                 (own, message) in legacy_with_block(), eight_bit in any::<bool>()) {
        check_legacy(&to, &from, subject.as_bytes(), &message, eight_bit, Some(&own));
    }
}

// ---------------------------------------------------------------------------------------------
// Server targets
// ---------------------------------------------------------------------------------------------

/// A failover list of hosts and URLs, most of them valid.
fn smtp_list() -> impl Strategy<Value = String> {
    let userinfo = select(&["", "u@", "u:p@", "us%40er:p%3Ass@", "user@example.com:pw@", "u:@", ":p@"][..]);
    let host = select(&["mail.example", "[::1]", "127.0.0.1", "::1", "h"][..]);
    let port = select(&["", ":25", ":587", ":0"][..]);
    let query = select(&["", "/", "?tls=required", "?timeout=2.5&helo=me", "?auth=login&verify_peer=0", "?x=1"][..]);
    let url = (select(&["smtp://", "smtps://", ""][..]), userinfo, host, port, query).prop_map(|(s, u, h, p, q)| {
        if s.is_empty() {
            format!("{h}{p}")
        } else {
            format!("{s}{u}{h}{p}{q}")
        }
    });
    (vec(url, 1..4), select(&[";", "; ", " ;"][..])).prop_map(|(items, sep)| items.join(sep))
}

fn smtp_text() -> impl Strategy<Value = String> {
    let fragments: &[&str] = &[
        "smtp://",
        "smtps://",
        "SMTP://",
        "ftp://",
        "user",
        "u%40x",
        ":",
        "@",
        "[",
        "]",
        "::1",
        "[::1]",
        "?",
        "&",
        "=",
        "tls=required",
        "tls=maybe",
        "timeout=5",
        "timeout=-1",
        "helo=me",
        "auth=login",
        "verify_peer=0",
        "%",
        "%3A",
        "%zz",
        "%ff",
        ";",
        " ",
        "25",
        "587",
        "99999",
        "0",
        "host.example",
        "/",
        "pa:ss",
        "é",
        "\r\n",
    ];
    vec(select(fragments), 0..14).prop_map(|p| p.concat())
}

/// Characters RFC 3986 allows in userinfo: unreserved, sub-delims (without `;`) and escapes;
/// or, `with_reserved`, a few with `;`, `?`, `/` and `@` unescaped, as people type them; and,
/// `with_scheme`, also `://`.
fn password_tail(with_reserved: bool, with_scheme: bool) -> impl Strategy<Value = String> {
    let base: &'static [&'static str] = &[
        "a", "Z", "9", "-", ".", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", "=", ":", "%3B", "%40", "%3F",
        "%2F", "%25",
    ];
    let with: &'static [&'static str] = &["a", ";", "?", "/", "@", "!", "=", "&", ":", "%40"];
    let scheme: &'static [&'static str] = &["a", ";", "?", "/", "@", ":", "://"];
    let pieces = if with_scheme {
        scheme
    } else if with_reserved {
        with
    } else {
        base
    };
    // Without `with_scheme`, no `//` (so no `x://`) forms from the pieces.
    vec(select(pieces), 0..10).prop_map(move |p| if with_scheme { p.concat() } else { p.concat().replace("//", "/") })
}

fn url_with_password(with_reserved: bool, with_scheme: bool) -> impl Strategy<Value = String> {
    (
        select(&["smtp", "smtps", "ftp", "SMTP"][..]),
        select(&["u", "us%40er", "user@example.com", ""][..]),
        password_tail(with_reserved, with_scheme),
        select(&["host", "h.example:587", "[::1]:25", "host:99999", "", "[::1", ":25"][..]),
        select(&["", "/", "?tls=required", "?tls=maybe", "?bogus=1", "?timeout=-1", ";b.example", "?helo=%zz"][..]),
    )
        .prop_map(|(scheme, user, tail, host, rest)| format!("{scheme}://{user}:S3cr{tail}@{host}{rest}"))
}

proptest! {
    #![proptest_config(config(2048))]

    /// Never panics; a redacted `$smtp` names the same servers, with `****` for each password.
    #[test]
    fn targets_and_redaction(smtp in prop_oneof![smtp_text(), smtp_list()]) {
        check_targets(&smtp);
    }

    /// Neither `redact` nor an error text shows a URL password.
    #[test]
    fn passwords_never_shown(smtp in url_with_password(false, false)) {
        check_targets(&smtp);
        check_password_hidden(&smtp, "S3cr");
    }
}

proptest! {
    #![proptest_config(config(1024))]

    /// The same with `;` (which RFC 3986 allows in userinfo), `?`, `/` or `@` unescaped in the
    /// password.
    #[test]
    fn passwords_with_reserved_characters_never_shown(smtp in url_with_password(true, false)) {
        check_targets(&smtp);
        check_password_hidden(&smtp, "S3cr");
    }

    /// The same with `;x://` in the password (only `;smtp://` and `;smtps://` start a new entry).
    #[test]
    fn passwords_holding_a_scheme_never_shown(smtp in url_with_password(true, true)) {
        check_password_hidden(&smtp, "S3cr");
    }
}
