use std::sync::Arc;

use super::*;
use crate::message::{
    dsn::{Dsn, Notify, Ret},
    email::{Attachment, Email},
};

fn stamp() -> Stamp {
    Stamp { date: "Mon, 30 Nov 2026 09:00:00 +0000".into(), message_id: "<fixed.1@example.test>".into() }
}

fn mailbox(address: &str, name: Option<&str>) -> crate::message::mailbox::Mailbox {
    Email::mailbox("to", address, name).unwrap()
}

fn bytes(rendered: &Rendered<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    for segment in &rendered.segments {
        match segment {
            Segment::Bytes(b) => out.extend_from_slice(b),
            Segment::Base64(Source::Data(data)) => base64_lines(data, &mut out),
            Segment::Base64(Source::File { .. }) => panic!("no files in these tests"),
        }
    }
    out
}

fn data(bytes: &[u8]) -> Source {
    Source::Data(Arc::from(bytes))
}

/// The golden messages: (fixture file, message).
fn cases() -> Vec<(&'static str, Email)> {
    let base = Email {
        from: Some(mailbox("sender@example.test", Some("Sender Name"))),
        to: vec![mailbox("rcpt@example.test", None)],
        subject: Some("Golden".into()),
        ..Email::default()
    };
    vec![
        ("text.eml", Email { text: Some("Hello,\nplain text.\n".into()), ..base.clone() }),
        ("html-text.eml", Email { text: Some("Hello".into()), html: Some("<p>Hello</p>".into()), ..base.clone() }),
        (
            "attachments.eml",
            Email {
                text: Some("See attached.".into()),
                attachments: vec![
                    Attachment {
                        name: "report.pdf".into(),
                        content_type: "application/pdf".into(),
                        source: data(b"%PDF-1.4 fake"),
                        content_id: None,
                    },
                    Attachment {
                        name: "notes \"v2\".txt".into(),
                        content_type: "text/plain".into(),
                        source: data(&[b'x'; 100]),
                        content_id: None,
                    },
                ],
                ..base.clone()
            },
        ),
        (
            "inline.eml",
            Email {
                text: Some("Logo below".into()),
                html: Some("<img src=\"cid:logo@example.test\">".into()),
                attachments: vec![
                    Attachment {
                        name: "logo.png".into(),
                        content_type: "image/png".into(),
                        source: data(b"\x89PNG\r\n\x1a\n"),
                        content_id: Some("logo@example.test".into()),
                    },
                    Attachment {
                        name: "data.csv".into(),
                        content_type: "text/csv".into(),
                        source: data(b"a,b\n1,2\n"),
                        content_id: None,
                    },
                ],
                ..base.clone()
            },
        ),
        (
            "utf8.eml",
            Email {
                from: Some(mailbox("zoe@example.test", Some("Zoë Ünal"))),
                sender: None,
                return_path: None,
                to: vec![mailbox("rcpt@example.test", Some("Jürgen, Dr."))],
                cc: vec![mailbox("cc@example.test", None)],
                bcc: vec![mailbox("hidden@example.test", None)],
                reply_to: vec![mailbox("reply@example.test", None)],
                subject: Some("Grüße aus Köln – ☕".into()),
                text: Some("Grüße,\nçà et là =_ boundary-like\n".into()),
                html: Some("<p>Grüße</p>".into()),
                attachments: vec![Attachment {
                    name: "Übersicht 2026.pdf".into(),
                    content_type: "application/pdf".into(),
                    source: data(b"pdf"),
                    content_id: None,
                }],
                headers: vec![
                    ("X-Campaign".into(), "Ünïcode value".into()),
                    ("Date".into(), "Tue, 01 Dec 2026 10:00:00 +0100".into()),
                ],
                // Envelope only: the bytes are the same with it.
                dsn: Some(Dsn { notify: Some(Notify::Never), ret: Some(Ret::Full), envid: Some("e".into()) }),
            },
        ),
    ]
}

#[test]
fn golden_messages() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (file, email) in cases() {
        let rendered = render(&email, &stamp());
        let got = bytes(&rendered);
        assert_eq!(rendered.size, got.len() as u64, "{file}: size");
        let path = dir.join(file);
        if std::env::var_os("SENDMAIL_BLESS").is_some() {
            std::fs::write(&path, &got).unwrap();
        }
        let expected = std::fs::read(&path).unwrap();
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&expected), "{file}");
    }
}

#[test]
fn output_is_clean_mime() {
    for (file, email) in cases() {
        let got = bytes(&render(&email, &stamp()));
        let text = String::from_utf8(got.clone()).unwrap();
        assert!(got.is_ascii(), "{file}: 8-bit bytes");
        for (i, &b) in got.iter().enumerate() {
            if b == b'\n' {
                assert_eq!(got.get(i.wrapping_sub(1)), Some(&b'\r'), "{file}: bare LF");
            }
        }
        assert!(text.split("\r\n").all(|line| line.len() <= 78), "{file}: a line over 78");
        assert!(!text.contains("hidden@example.test"), "{file}: Bcc in the headers");
        let (head, _) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("MIME-Version: 1.0\r\n"), "{file}");
    }
}

#[test]
fn large_data_is_a_streamed_segment_and_sizes_add_up() {
    let email = Email {
        from: Some(mailbox("a@example.test", None)),
        to: vec![mailbox("b@example.test", None)],
        attachments: vec![Attachment {
            name: "big.bin".into(),
            content_type: "application/octet-stream".into(),
            source: data(&vec![7u8; 200_001]),
            content_id: None,
        }],
        ..Email::default()
    };
    let rendered = render(&email, &stamp());
    assert!(rendered.segments.iter().any(|s| matches!(s, Segment::Base64(_))));
    assert_eq!(rendered.size, bytes(&rendered).len() as u64);
    for n in [0u64, 1, 56, 57, 58, 114, 1000] {
        let mut out = Vec::new();
        base64_lines(&vec![0u8; usize::try_from(n).unwrap()], &mut out);
        assert_eq!(base64_size(n), out.len() as u64, "{n}");
    }
}
