//! CHUNKING (RFC 3030) against a scripted server: `BDAT n LAST` with the exact message bytes,
//! pipelined with the envelope when the server offers PIPELINING, per-recipient results kept.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::sync::Arc;

use common::{find, Script, Server, Transcript};
use sendmail::{
    client::{message_bytes, Delivery, Error},
    message::{
        email::{Attachment, Email, Source},
        legacy::LegacyMessage,
        mime::Stamp,
    },
    protocol::Stage,
};

const EHLO_BOTH: &[u8] = b"250-server.test\r\n250-PIPELINING\r\n250 CHUNKING\r\n";
const EHLO_CHUNKING: &[u8] = b"250-server.test\r\n250 CHUNKING\r\n";
const QUIT: &[u8] = b"QUIT\r\n";

fn email(to: &[&str]) -> (Email, Stamp) {
    let email = Email {
        from: Some(Email::mailbox("from", "me@example.test", None).unwrap()),
        to: to.iter().map(|a| Email::mailbox("to", a, None).unwrap()).collect(),
        subject: Some("Chunks".into()),
        text: Some("one\n.two\nthree\n".into()),
        ..Email::default()
    };
    let stamp = Stamp { date: "Mon, 30 Nov 2026 12:00:00 +0000".into(), message_id: "<id@example.test>".into() };
    (email, stamp)
}

/// Sends a message the server accepts, then QUIT; the server's transcript must be clean.
fn delivered(server: Server, email: &Email, stamp: &Stamp) -> (Transcript, Delivery) {
    let mut session = server.open();
    let delivery = session.send_email(email, stamp, &mut ()).unwrap();
    session.quit(&mut ());
    let transcript = server.join();
    transcript.assert_clean();
    (transcript, delivery)
}

/// Sends a message the server refuses, then RSET (the session must still work) and QUIT.
fn refused(server: Server, email: &Email, stamp: &Stamp) -> Error {
    let mut session = server.open();
    let error = session.send_email(email, stamp, &mut ()).unwrap_err();
    assert!(error.connection_usable(), "{error:?}");
    session.reset(&mut ()).unwrap();
    session.quit(&mut ());
    server.join().assert_clean();
    error
}

fn bdat(size: usize) -> Vec<u8> {
    format!("BDAT {size} LAST\r\n").into_bytes()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[test]
fn a_small_message_goes_with_its_envelope_in_one_round_trip() {
    let (email, stamp) = email(&["a@example.test", "b@example.test"]);
    let body = message_bytes(&email, &stamp).unwrap();
    // The server answers nothing until it has read the envelope and the whole chunk: a client
    // that waited for a reply first would stall here.
    let server = Script::greeted(EHLO_BOTH)
        .expect(&cat(&[
            b"MAIL FROM:<me@example.test>\r\nRCPT TO:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n",
            &bdat(body.len()),
        ]))
        .expect_chunk(body.len())
        .send(b"250 2.1.0 ok\r\n250 2.1.5 ok\r\n550 5.1.1 no such user\r\n250 2.0.0 Ok: queued as C0FFEE\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    let (t, delivery) = delivered(server, &email, &stamp);
    assert_eq!(t.payload(), body.as_slice(), "the chunk is the message, byte for byte, not dot-stuffed");
    assert!(find(&body, b"\r\n.two\r\n").is_some());
    assert_eq!(delivery.accepted, ["a@example.test"]);
    assert_eq!(delivery.rejected.len(), 1);
    assert_eq!(delivery.rejected[0].0, "b@example.test");
    assert_eq!(delivery.rejected[0].1.code().0, 550);
    assert_eq!(delivery.reply.queue_id().as_deref(), Some("C0FFEE"));
}

#[test]
fn without_pipelining_the_chunk_follows_the_envelope_replies() {
    let (email, stamp) = email(&["a@example.test"]);
    let body = message_bytes(&email, &stamp).unwrap();
    let server = Script::greeted(EHLO_CHUNKING)
        .expect(b"MAIL FROM:<me@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(b"RCPT TO:<a@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(&bdat(body.len()))
        .expect_chunk(body.len())
        .send(b"250 2.0.0 queued as 1\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    let (t, delivery) = delivered(server, &email, &stamp);
    assert_eq!(t.payload(), body.as_slice());
    assert_eq!(delivery.accepted, ["a@example.test"]);
}

#[test]
fn a_large_message_waits_for_the_envelope_before_its_chunk() {
    let (mut email, stamp) = email(&["a@example.test"]);
    let blob: Vec<u8> = (0..1_500_000u32).map(|i| (i % 251) as u8).collect();
    email.attachments.push(Attachment {
        name: "blob.bin".into(),
        content_type: "application/octet-stream".into(),
        source: Source::Data(Arc::from(blob)),
        content_id: None,
    });
    let body = message_bytes(&email, &stamp).unwrap();
    assert!(body.len() > 1024 * 1024);
    let server = Script::greeted(EHLO_BOTH)
        .expect(b"MAIL FROM:<me@example.test>\r\nRCPT TO:<a@example.test>\r\n")
        .send(b"250 ok\r\n250 ok\r\n")
        .expect(&bdat(body.len()))
        .expect_chunk(body.len())
        .send(b"250 2.0.0 queued as BIG\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    let (t, _) = delivered(server, &email, &stamp);
    assert!(t.payload() == body.as_slice(), "the large chunk differs from the message");
}

#[test]
fn a_large_message_to_refused_recipients_sends_no_chunk() {
    let (mut email, stamp) = email(&["a@example.test"]);
    email.attachments.push(Attachment {
        name: "blob.bin".into(),
        content_type: "application/octet-stream".into(),
        source: Source::Data(Arc::from(vec![7u8; 1_200_000])),
        content_id: None,
    });
    let server = Script::greeted(EHLO_BOTH)
        .expect(b"MAIL FROM:<me@example.test>\r\nRCPT TO:<a@example.test>\r\n")
        .send(b"250 ok\r\n550 no\r\n")
        .expect(b"RSET\r\n")
        .send(b"250 ok\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    let error = refused(server, &email, &stamp);
    assert!(matches!(error, Error::RecipientsRejected { .. }), "{error:?}");
}

#[test]
fn every_recipient_refused_means_no_delivery_even_though_the_chunk_went_out() {
    let (email, stamp) = email(&["a@example.test"]);
    let body = message_bytes(&email, &stamp).unwrap();
    let server = Script::greeted(EHLO_BOTH)
        .expect(&cat(&[b"MAIL FROM:<me@example.test>\r\nRCPT TO:<a@example.test>\r\n", &bdat(body.len())]))
        .expect_chunk(body.len())
        .send(b"250 ok\r\n550 5.1.1 no\r\n554 5.5.1 no valid recipients\r\n")
        .expect(b"RSET\r\n")
        .send(b"250 ok\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    let error = refused(server, &email, &stamp);
    let Error::RecipientsRejected { rejected } = &error else { panic!("{error:?}") };
    assert_eq!(rejected[0].0, "a@example.test");
}

#[test]
fn a_refused_chunk_is_a_rejection_at_data_naming_bdat() {
    let (email, stamp) = email(&["a@example.test"]);
    let body = message_bytes(&email, &stamp).unwrap();
    let server = Script::greeted(EHLO_BOTH)
        .expect(&cat(&[b"MAIL FROM:<me@example.test>\r\nRCPT TO:<a@example.test>\r\n", &bdat(body.len())]))
        .expect_chunk(body.len())
        .send(b"250 ok\r\n250 ok\r\n552 5.3.4 too big\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    let mut session = server.open();
    let error = session.send_email(&email, &stamp, &mut ()).unwrap_err();
    let Error::Rejected { stage, command, reply } = &error else { panic!("{error:?}") };
    assert_eq!(
        (*stage, command.as_str(), reply.code().0),
        (Stage::Data, format!("BDAT {} LAST", body.len()).as_str(), 552)
    );
    session.quit(&mut ());
    server.join().assert_clean();
}

#[test]
fn legacy_send_uses_bdat_once_every_recipient_is_accepted() {
    // Bare LFs become CRLF and a line starting with a dot stays as it is (no stuffing in BDAT).
    let message = LegacyMessage::new("a@example.test", "me@example.test", b"Hi", b"one\n.two\nthree").unwrap();
    let server = Script::greeted(EHLO_BOTH)
        .expect(b"MAIL FROM:<me@example.test>\r\nRCPT TO:<a@example.test>\r\n")
        .send(b"250 ok\r\n250 ok\r\n")
        .expect_bdat()
        .send(b"250 2.0.0 queued\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    let mut session = server.open();
    let reply = session.send_legacy(&message, &mut ()).unwrap().reply;
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    let chunk = t.payload();
    assert!(chunk.ends_with(b"\r\n.two\r\nthree\r\n"), "{}", common::show(chunk));
    assert!(!chunk.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'), "bare LF in the chunk");
    assert_eq!(reply.code().0, 250);
}

#[test]
fn an_attachment_file_that_changed_size_is_refused_before_mail() {
    let dir = std::env::temp_dir().join(format!("sendmail-chunking-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("grows.txt");
    std::fs::write(&path, b"12345").unwrap();
    let (mut email, stamp) = email(&["a@example.test"]);
    email.attachments.push(Attachment {
        name: "grows.txt".into(),
        content_type: "text/plain".into(),
        source: Source::File { path: path.clone(), size: 5 },
        content_id: None,
    });
    std::fs::write(&path, b"123456789").unwrap();
    let server = Script::greeted(EHLO_BOTH).expect(QUIT).send(b"221 bye\r\n").start();
    let mut session = server.open();
    let error = session.send_email(&email, &stamp, &mut ()).unwrap_err();
    session.quit(&mut ());
    std::fs::remove_dir_all(&dir).ok();

    assert!(matches!(error, Error::Input(_)), "{error:?}");
    assert!(error.to_string().contains("changed size since it was attached"), "{error}");
    server.join().assert_clean();
}
