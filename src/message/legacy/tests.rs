use super::*;

fn options(eight_bit_mime: bool) -> ComposeOptions {
    ComposeOptions {
        date: "Mon, 30 Nov 2026 09:00:00 +0000".into(),
        message_id: "<id@example.com>".into(),
        eight_bit_mime,
    }
}

const STD: &str = "Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nMessage-ID: <id@example.com>\r\n";

fn compose(to: &str, subject: &[u8], message: &[u8], eight_bit_mime: bool) -> (String, String, BodyEncoding, bool) {
    let msg = LegacyMessage::new(to, "me@example.com", subject, message).unwrap();
    let parts = msg.compose(&options(eight_bit_mime));
    let whole: Vec<u8> = parts.chunks().flat_map(|c| c.into_owned()).collect();
    (
        String::from_utf8_lossy(&parts.head).into_owned(),
        String::from_utf8_lossy(&whole).into_owned(),
        parts.body_encoding,
        parts.eight_bit,
    )
}

#[test]
fn a_plain_message_gets_the_headers_and_a_blank_line() {
    let (_, whole, encoding, eight_bit) = compose("you@example.com", b"Hi", b"Hello\nthere\n", true);
    let expected = format!("To: you@example.com\r\nFrom: me@example.com\r\nSubject: Hi\r\n{STD}\r\nHello\nthere\n");
    assert_eq!(whole, expected);
    assert_eq!((encoding, eight_bit), (BodyEncoding::AsIs, false));
}

#[test]
fn a_header_block_merges_with_the_added_headers() {
    let (_, whole, ..) = compose("you@example.com", b"Hi", b"Content-Type: text/html; charset=UTF-8\n\n<b>x</b>", true);
    let expected = format!(
        "To: you@example.com\r\nFrom: me@example.com\r\nSubject: Hi\r\n{STD}Content-Type: text/html; charset=UTF-8\n\r\n<b>x</b>"
    );
    assert_eq!(whole, expected);
}

#[test]
fn headers_already_present_are_not_added_again() {
    let cases: &[(&[u8], &[&str], &[&str])] = &[
        (b"From: Boss <boss@example.com>\n\nbody", &["To:", "Subject:"], &["From: me@"]),
        (b"subject: mine\r\nTO: x@example.com\r\n\r\nbody", &["From:"], &["Subject: Hi", "To: you@"]),
        (
            b"Date: Tue, 1 Dec 2026 00:00:00 +0000\nMessage-Id: <m@x>\n\nbody",
            &["To:", "From:"],
            &["Date: Mon", "Message-ID: <id"],
        ),
        (b"X-Mailer: old\n Folded: not a field\n\nbody", &["To:", "From:", "Subject:"], &[]),
    ];
    for (message, present, absent) in cases {
        let (head, ..) = compose("you@example.com", b"Hi", message, true);
        for p in *present {
            assert!(head.contains(p), "{p} missing in {head}");
        }
        for a in *absent {
            assert!(!head.contains(a), "{a} present in {head}");
        }
    }
}

#[test]
fn text_that_only_looks_like_headers_is_body() {
    for message in [
        &b"Note: meeting at 5"[..],
        b"Note: meeting at 5\nSee you\n",
        b"Dear John,\n\nHi",
        b"\nSubject: x\n",
        b"From: x",
        b"To: whom it may concern\nHello",
    ] {
        let (head, whole, ..) = compose("you@example.com", b"Hi", message, true);
        assert!(head.ends_with(&format!("{STD}\r\n")), "{head}");
        assert!(whole.ends_with(&*String::from_utf8_lossy(message)), "{whole}");
    }
}

#[test]
fn the_legacy_terminator_is_dropped_and_inner_dots_stay() {
    let cases: &[(&[u8], &str)] = &[
        (b"Hi\n.\n", "Hi\n"),
        (b"Hi\r\n.\r\n", "Hi\r\n"),
        (b"Hi\n.", "Hi\n"),
        (b"a\n.\nb\n", "a\n.\nb\n"),
        (b".\n", ""),
        (b"..\n", "..\n"),
        (b"Hi\n.\r\n", "Hi\n"),
        (b"Hi\r\n.\n", "Hi\r\n"),
        (b"Hi\r.\r", "Hi\r"),
        (b"Hi.\n", "Hi.\n"),
        (b"Hi\n.\n\n", "Hi\n.\n\n"),
    ];
    for (message, body) in cases {
        let (_, whole, ..) = compose("you@example.com", b"", message, true);
        assert_eq!(whole, format!("To: you@example.com\r\nFrom: me@example.com\r\n{STD}\r\n{body}"), "{message:?}");
    }
}

#[test]
fn known_headers_without_a_blank_line_still_make_a_header_block() {
    let (_, whole, ..) =
        compose("you@example.com", b"Hi", b"MIME-Version: 1.0\nContent-Type: text/html\n<p>x</p>\n", true);
    assert!(whole.ends_with(&format!("{STD}MIME-Version: 1.0\nContent-Type: text/html\n\r\n<p>x</p>\n")), "{whole}");
    let (_, whole, ..) = compose("you@example.com", b"Hi", b"Content-Type: text/html", true);
    assert!(whole.ends_with(&format!("{STD}Content-Type: text/html\r\n\r\n")), "{whole}");
}

#[test]
fn cc_and_bcc_headers_get_a_rcpt_and_bcc_never_shows() {
    let message = b"Cc: c@example.com, you@example.com\nBcc: Hidden <h@example.com>\n\nbody";
    let msg = LegacyMessage::new("you@example.com", "me@example.com", b"s", message).unwrap();
    let rcpts: Vec<&str> = msg.recipients().map(EnvelopeAddress::as_str).collect();
    assert_eq!(rcpts, ["you@example.com", "c@example.com", "h@example.com"]);
    let head = String::from_utf8(msg.compose(&options(true)).head).unwrap();
    assert!(head.contains("Cc: c@example.com, you@example.com\n") && !head.contains("h@example.com"), "{head}");
    let err = LegacyMessage::new("you@example.com", "me@example.com", b"s", b"Cc: not an address\n\nbody").unwrap_err();
    assert_eq!(err.argument, "message");
    assert!(err.reason.starts_with("its Cc header: "), "{err}");
}

#[test]
fn nul_bytes_in_a_body_are_quoted_printable() {
    let (head, whole, encoding, _) = compose("you@example.com", b"s", b"a\0b\n", true);
    assert_eq!(encoding, BodyEncoding::QuotedPrintable);
    assert!(head.contains("Content-Transfer-Encoding: quoted-printable"));
    assert!(whole.ends_with("\r\n\r\na=00b\r\n"), "{whole:?}");
}

#[test]
fn an_empty_subject_adds_no_subject_line() {
    let (head, ..) = compose("you@example.com", b"", b"x", true);
    assert!(!head.contains("Subject"));
}

#[test]
fn recipients_and_names() {
    let msg =
        LegacyMessage::new("a@example.com, \"Doe, J\" <j@example.com>", "Zoë <me@example.com>", b"s", b"b").unwrap();
    let rcpts: Vec<&str> = msg.recipients().map(EnvelopeAddress::as_str).collect();
    assert_eq!(rcpts, ["a@example.com", "j@example.com"]);
    assert_eq!(msg.sender().as_str(), "me@example.com");
    let head = String::from_utf8(msg.compose(&options(true)).head).unwrap();
    assert!(
        head.starts_with(
            "To: a@example.com, \"Doe, J\" <j@example.com>\r\nFrom: =?UTF-8?B?Wm/Dqw==?= <me@example.com>\r\n"
        ),
        "{head}"
    );
}

#[test]
fn eight_bit_bodies_are_labelled_and_encoded_for_the_server() {
    let body = "Grüße\n".as_bytes();
    let (head, whole, encoding, eight_bit) = compose("you@example.com", b"s", body, true);
    assert!(
        head.contains(
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n"
        ),
        "{head}"
    );
    assert_eq!((encoding, eight_bit), (BodyEncoding::AsIs, true));
    assert!(whole.ends_with("\r\n\r\nGrüße\n"));

    let (head, whole, encoding, eight_bit) = compose("you@example.com", b"s", body, false);
    assert!(head.contains("Content-Transfer-Encoding: quoted-printable\r\n"), "{head}");
    assert_eq!((encoding, eight_bit), (BodyEncoding::QuotedPrintable, false));
    assert!(whole.ends_with("\r\n\r\nGr=C3=BC=C3=9Fe\r\n"), "{whole}");

    let (head, ..) = compose("you@example.com", b"s", b"caf\xe9\n", true);
    assert!(head.contains("charset=unknown-8bit"), "{head}");
}

#[test]
fn the_scripts_own_content_type_is_respected() {
    let message = b"Content-Type: text/html; charset=gb2312\n\n<p>\xc4\xe3\xba\xc3</p>";
    let msg = LegacyMessage::new("you@example.com", "me@example.com", b"\xc4\xe3\xba\xc3", message).unwrap();
    let parts = msg.compose(&options(true));
    let head = String::from_utf8_lossy(&parts.head).into_owned();
    assert!(head.contains("Subject: =?gb2312?B?xOO6ww==?=\r\n"), "{head}");
    assert!(head.contains("Content-Transfer-Encoding: 8bit\r\n"), "{head}");
    assert!(!head.contains("charset=UTF-8"));
    assert!(parts.eight_bit);

    let multipart = b"Content-Type: multipart/mixed; boundary=x\n\n--x\n\xe9\n--x--\n";
    let (head, _, encoding, _) = compose("you@example.com", b"s", multipart, false);
    assert!(!head.contains("Content-Transfer-Encoding"), "{head}");
    assert_eq!(encoding, BodyEncoding::AsIs);
}

#[test]
fn long_lines_are_wrapped_by_quoted_printable() {
    let body = format!("{}\n", "x".repeat(2000));
    let (head, whole, encoding, _) = compose("you@example.com", b"s", body.as_bytes(), true);
    assert_eq!(encoding, BodyEncoding::QuotedPrintable);
    assert!(head.contains("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable"));
    assert!(whole.split("\r\n").all(|l| l.len() <= 998));
}

#[test]
fn quoted_printable_bodies_survive_chunking() {
    let body = format!("{}é \n", "ab ".repeat(50_000));
    let msg = LegacyMessage::new("you@example.com", "me@example.com", b"s", body.as_bytes()).unwrap();
    let parts = msg.compose(&options(false));
    assert!(parts.chunks().count() > 3);
    let encoded: Vec<u8> = parts.chunks().skip(1).flat_map(|c| c.into_owned()).collect();
    let mut whole = Vec::new();
    let mut one = QuotedPrintable::default();
    one.push(body.as_bytes(), &mut whole);
    one.finish(&mut whole);
    assert_eq!(encoded, whole);
    assert!(encoded.ends_with(b"=C3=A9=20\r\n"));
}

#[test]
fn bad_input_names_the_argument() {
    let cases: &[(&str, &str, &[u8], &str)] = &[
        ("you@example.com\r\nBcc: x@evil.test", "me@example.com", b"s", "to"),
        ("not an address", "me@example.com", b"s", "to"),
        ("", "me@example.com", b"s", "to"),
        ("you@example.com", "me@example.com\n", b"s", "from"),
        ("you@example.com", "", b"s", "from"),
        ("you@example.com", "a@example.com, b@example.com", b"s", "from"),
        ("you@example.com", "me@example.com", b"Hi\r\nBcc: x@evil.test", "subject"),
        ("you@example.com", "me@example.com", b"Hi\0", "subject"),
        ("you\0@example.com", "me@example.com", b"s", "to"),
    ];
    for (to, from, subject, argument) in cases {
        let err = LegacyMessage::new(to, from, subject, b"x").unwrap_err();
        assert_eq!(err.argument, *argument, "{to:?} {from:?} {subject:?}");
        assert!(err.to_string().starts_with(&format!("invalid ${argument}: ")), "{err}");
    }
}
