use super::*;

fn args<'a>(values: &[&'a str]) -> Vec<Option<&'a [u8]>> {
    values.iter().map(|v| Some(v.as_bytes())).collect()
}

#[test]
fn layouts_are_told_apart_by_values_valid_in_one_only() {
    let canonical = args(&["to@x.test", "me@x.test", "Subj", "Body", "HTML", "cc@x.test", "bcc@x.test", "X-A: 1"]);
    let (mail, layout) = SmtpMail::from_args(&canonical, b"");
    assert_eq!(layout, Layout::Canonical);
    assert_eq!(
        (mail.subject, mail.body, mail.cc, mail.bcc, mail.headers),
        (&b"Subj"[..], &b"Body"[..], &b"cc@x.test"[..], &b"bcc@x.test"[..], &b"X-A: 1"[..])
    );
    assert!(mail.html());

    let provider = args(&["to@x.test", "me@x.test", "S", "B", "TXT", "", "", "", "Shop", "reply@x.test"]);
    let (mail, layout) = SmtpMail::from_args(&provider, b"");
    assert_eq!(layout, Layout::Canonical);
    assert_eq!((mail.from_name, mail.reply_to), (&b"Shop"[..], &b"reply@x.test"[..]));
    assert!(!mail.html());

    let display = args(&["to@x.test", "me@x.test", "S", "B", "HTML", "My Shop", "cc@x.test", "bcc@x.test", "X-A: 1"]);
    let (mail, layout) = SmtpMail::from_args(&display, b"");
    assert_eq!(layout, Layout::DisplayName);
    assert_eq!(
        (mail.from_name, mail.cc, mail.bcc, mail.headers),
        (&b"My Shop"[..], &b"cc@x.test"[..], &b"bcc@x.test"[..], &b"X-A: 1"[..])
    );

    let third = args(&["to@x.test", "me@x.test", "My Shop", "S", "B", "html", "cc@x.test", "", ""]);
    let (mail, layout) = SmtpMail::from_args(&third, b"");
    assert_eq!(layout, Layout::NameThird);
    assert_eq!(
        (mail.from_name, mail.subject, mail.body, mail.cc),
        (&b"My Shop"[..], &b"S"[..], &b"B"[..], &b"cc@x.test"[..])
    );
    assert!(mail.html());

    // The article's four arguments, and null Cc/Bcc (unset variables).
    let (mail, layout) = SmtpMail::from_args(&args(&["to@x.test", "me@x.test", "S", "B"]), b"");
    assert_eq!((layout, mail.html()), (Layout::Canonical, false));
    let nulls = [Some(&b"to@x.test"[..]), Some(b"me@x.test"), Some(b"S"), Some(b"B"), Some(b"HTML"), None, None, None];
    let (mail, layout) = SmtpMail::from_args(&nulls, b"");
    assert_eq!((layout, mail.cc, mail.bcc), (Layout::Canonical, &b""[..], &b""[..]));
}

#[test]
fn the_user_first_class_defaults_to_html() {
    let (mail, _) = SmtpMail::from_args(&args(&["to@x.test", "me@x.test", "S", "B"]), b"HTML");
    assert!(mail.html());
    let (mail, _) = SmtpMail::from_args(&args(&["to@x.test", "me@x.test", "S", "B", "TXT"]), b"HTML");
    assert!(!mail.html());
}

#[test]
fn constructor_third_argument() {
    for user in ["user@qq.com", "admin", " me "] {
        assert!(names_a_user(user.as_bytes()), "{user}");
    }
    for flag in ["", "1", "0", "true", "FALSE", "on", "no"] {
        assert!(!names_a_user(flag.as_bytes()), "{flag}");
    }
}

fn head(mail: &SmtpMail<'_>) -> String {
    String::from_utf8(mail.head().unwrap()).unwrap()
}

#[test]
fn the_head_carries_type_names_and_lists() {
    let mail = SmtpMail {
        to: b"to@x.test",
        from: b"me@x.test",
        from_name: "Zoë's Shop".as_bytes(),
        subject: b"S",
        body: b"<p>x</p>",
        mailtype: b"HTML",
        cc: b"a@x.test; B <b@x.test>",
        bcc: b"hidden@x.test",
        headers: b"X-Mailer: cron\nX-Priority: 1\r\n\r\n",
        reply_to: b"help@x.test",
    };
    assert_eq!(
        head(&mail),
        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=UTF-8\r\n\
         From: =?UTF-8?B?Wm/DqydzIFNob3A=?= <me@x.test>\r\nReply-To: help@x.test\r\n\
         Cc: a@x.test, B <b@x.test>\r\nBcc: hidden@x.test\r\nX-Mailer: cron\r\nX-Priority: 1\r\n"
    );
}

#[test]
fn the_callers_own_headers_win() {
    let mail = SmtpMail {
        to: b"to@x.test",
        from: b"me@x.test",
        from_name: b"Shop",
        body: b"x",
        mailtype: b"HTML",
        headers: b"Content-Type: text/html; charset=gbk\r\nFrom: Other <o@x.test>",
        ..SmtpMail::default()
    };
    assert_eq!(head(&mail), "Content-Type: text/html; charset=gbk\r\nFrom: Other <o@x.test>\r\n");
}

#[test]
fn an_html_page_in_another_charset_keeps_it() {
    let gbk_body =
        b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>\xc4\xe3\xba\xc3";
    let mail =
        SmtpMail { to: b"t@x.test", from: b"m@x.test", body: gbk_body, mailtype: b"HTML", ..SmtpMail::default() };
    assert!(head(&mail).contains("Content-Type: text/html; charset=gb2312\r\n"));
    let unknown = SmtpMail { body: b"\xc4\xe3", ..mail.clone() };
    assert!(head(&unknown).contains("Content-Type: text/html\r\n"));
    let named = SmtpMail { from_name: b"\xd5\xc5\xc8\xfd", ..mail };
    assert!(head(&named).contains("From: =?gb2312?B?1cXI/Q==?= <m@x.test>\r\n"), "{}", head(&named));
}

#[test]
fn bad_lists_name_their_argument() {
    let base = SmtpMail { to: b"t@x.test", from: b"m@x.test", ..SmtpMail::default() };
    for (mail, argument) in [
        (SmtpMail { cc: b"not an address", ..base.clone() }, "cc"),
        (SmtpMail { bcc: b"x@y\r\nRCPT TO:<z@w>", ..base.clone() }, "bcc"),
        (SmtpMail { reply_to: b"\xff@x", ..base.clone() }, "replyToAddress"),
        (SmtpMail { from_name: b"A\r\nBcc: x@y", ..base.clone() }, "fromUser"),
    ] {
        assert_eq!(mail.head().unwrap_err().argument, argument);
    }
}
