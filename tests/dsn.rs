//! DSN (RFC 3461) against a scripted server: RET/ENVID on MAIL and NOTIFY/ORCPT on every RCPT,
//! byte for byte, on each way a built message goes out; nothing of it to a server without DSN.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::{Script, Server};
use sendmail::{
    client::{message_bytes, Delivery},
    message::{
        dsn::{Dsn, Notify, Ret},
        email::Email,
        mime::Stamp,
    },
};

const QUIT: &[u8] = b"QUIT\r\n";

/// A message to `a+b=c@` and `d@` asking for every report, headers only, with an envelope id
/// that needs xtext.
fn email(dsn: Option<Dsn>) -> (Email, Stamp) {
    let email = Email {
        from: Some(Email::mailbox("from", "me@example.test", None).unwrap()),
        to: vec![Email::mailbox("to", "a+b=c@example.test", None).unwrap()],
        bcc: vec![Email::mailbox("bcc", "d@example.test", None).unwrap()],
        text: Some("reports, please\n".into()),
        dsn,
        ..Email::default()
    };
    let stamp = Stamp { date: "Mon, 30 Nov 2026 12:00:00 +0000".into(), message_id: "<id@example.test>".into() };
    (email, stamp)
}

fn every_report() -> Dsn {
    Dsn {
        notify: Some(Notify::On { success: true, failure: true, delay: true }),
        ret: Some(Ret::Headers),
        envid: Some("job 42+=x".into()),
    }
}

const MAIL_DSN: &[u8] = b"MAIL FROM:<me@example.test> RET=HDRS ENVID=job+2042+2B+3Dx\r\n";
const RCPT_A_DSN: &[u8] =
    b"RCPT TO:<a+b=c@example.test> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;a+2Bb+3Dc@example.test\r\n";
const RCPT_D_DSN: &[u8] = b"RCPT TO:<d@example.test> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;d@example.test\r\n";

fn delivered(server: Server, email: &Email, stamp: &Stamp) -> Delivery {
    let mut session = server.open();
    let delivery = session.send_email(email, stamp, &mut ()).unwrap();
    session.quit(&mut ());
    server.join().assert_clean();
    delivery
}

#[test]
fn one_command_at_a_time() {
    let (email, stamp) = email(Some(every_report()));
    let server = Script::greeted(b"250-server.test\r\n250 DSN\r\n")
        .expect(MAIL_DSN)
        .send(b"250 ok\r\n")
        .expect(RCPT_A_DSN)
        .send(b"250 ok\r\n")
        .expect(RCPT_D_DSN)
        .send(b"250 ok\r\n")
        .expect(b"DATA\r\n")
        .send(b"354 go\r\n")
        .expect_data()
        .send(b"250 2.0.0 queued as 1\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    assert!(delivered(server, &email, &stamp).dsn);
}

#[test]
fn pipelined_with_the_message_in_one_chunk() {
    let (email, stamp) = email(Some(every_report()));
    let body = message_bytes(&email, &stamp).unwrap();
    let bdat = format!("BDAT {} LAST\r\n", body.len()).into_bytes();
    let server = Script::greeted(b"250-server.test\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 DSN\r\n")
        .expect(&[MAIL_DSN, RCPT_A_DSN, RCPT_D_DSN, &bdat].concat())
        .expect_chunk(body.len())
        .send(b"250 ok\r\n250 ok\r\n250 ok\r\n250 2.0.0 queued as 2\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    assert!(delivered(server, &email, &stamp).dsn);
}

#[test]
fn pipelined_behind_the_previous_message() {
    let (email, stamp) = email(Some(Dsn { notify: Some(Notify::Never), ..Dsn::default() }));
    let envelope = b"MAIL FROM:<me@example.test>\r\n\
        RCPT TO:<a+b=c@example.test> NOTIFY=NEVER ORCPT=rfc822;a+2Bb+3Dc@example.test\r\n\
        RCPT TO:<d@example.test> NOTIFY=NEVER ORCPT=rfc822;d@example.test\r\nDATA\r\n";
    let server = Script::greeted(b"250-server.test\r\n250-PIPELINING\r\n250 DSN\r\n")
        .expect(envelope)
        .send(b"250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n")
        .expect_data()
        .send(b"250 2.0.0 queued as 3\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    let mut session = server.open();
    assert!(session.send_email_pipelined(&email, &stamp, &mut ()).unwrap().is_none());
    session.settle(&mut ());
    let delivery = session.take_settled().unwrap().unwrap();
    session.quit(&mut ());
    server.join().assert_clean();
    assert!(delivery.dsn);
}

#[test]
fn nothing_of_it_to_a_server_without_dsn() {
    let (email, stamp) = email(Some(every_report()));
    let server = Script::greeted(b"250-server.test\r\n250 PIPELINING\r\n")
        .expect(b"MAIL FROM:<me@example.test>\r\nRCPT TO:<a+b=c@example.test>\r\nRCPT TO:<d@example.test>\r\nDATA\r\n")
        .send(b"250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n")
        .expect_data()
        .send(b"250 2.0.0 queued as 4\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    assert!(!delivered(server, &email, &stamp).dsn);
}

#[test]
fn nothing_without_dsn_asked_for() {
    let (email, stamp) = email(None);
    let server = Script::greeted(b"250-server.test\r\n250 DSN\r\n")
        .expect(b"MAIL FROM:<me@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(b"RCPT TO:<a+b=c@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(b"RCPT TO:<d@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(b"DATA\r\n")
        .send(b"354 go\r\n")
        .expect_data()
        .send(b"250 2.0.0 queued as 5\r\n")
        .expect(QUIT)
        .send(b"221 bye\r\n")
        .start();
    assert!(!delivered(server, &email, &stamp).dsn);
}
