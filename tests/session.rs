//! The session client against a scripted fake server: what the client returns, and every byte it
//! puts on the wire.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::time::{Duration, Instant};

use common::{find, show, Script, Server};
use sendmail::{
    client::{Error, Session, SessionOptions},
    message::legacy::LegacyMessage,
    protocol::{ClientId, ReplyError, Stage},
};

const EHLO_PLAIN: &[u8] = b"250-server.test\r\n250 PIPELINING\r\n";
const EHLO_8BIT: &[u8] = b"250-server.test\r\n250-8BITMIME\r\n250 PIPELINING\r\n";
const TWO: &str = "a@example.test, b@example.test";
const ME: &str = "me@example.test";

fn options(timeout: Duration) -> SessionOptions {
    SessionOptions { timeout, client_id: Some(ClientId::new("client.test").unwrap()), ..SessionOptions::default() }
}

fn open_with(server: &Server, timeout: Duration) -> Result<Session, Error> {
    Session::open("127.0.0.1", server.port, &options(timeout), &mut ())
}

fn open(server: &Server) -> Result<Session, Error> {
    open_with(server, Duration::from_secs(5))
}

/// A script up to the server's 354, for one message to `a@` and `b@`.
fn up_to_data(ehlo_reply: &[u8], mail: &[u8]) -> Script {
    Script::greeted(ehlo_reply)
        .expect(mail)
        .send(b"250 2.1.0 ok\r\n")
        .expect(b"RCPT TO:<a@example.test>\r\n")
        .send(b"250 2.1.5 ok\r\n")
        .expect(b"RCPT TO:<b@example.test>\r\n")
        .send(b"250 2.1.5 ok\r\n")
        .expect(b"DATA\r\n")
        .send(b"354 go ahead\r\n")
}

/// The error's stage, the command text and reply code of a `Rejected`.
fn rejected(error: &Error) -> (Stage, &str, u16) {
    match error {
        Error::Rejected { stage, command, reply } => (*stage, command.as_str(), reply.code().0),
        other => panic!("expected Rejected, got {other:?}"),
    }
}

/// Every LF is the end of a CRLF, and every CR the start of one.
fn assert_crlf_only(bytes: &[u8]) {
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at {i} in {}", show(bytes));
        }
        if b == b'\r' {
            assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i} in {}", show(bytes));
        }
    }
}

/// The head (up to and including the blank line) and the body of a payload.
fn split_payload(payload: &[u8]) -> (&[u8], &[u8]) {
    let blank = find(payload, b"\r\n\r\n").expect("a blank line after the headers");
    payload.split_at(blank + 4)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

#[test]
fn happy_path_sends_exact_commands_and_a_dot_stuffed_crlf_message() {
    let server = up_to_data(EHLO_PLAIN, b"MAIL FROM:<me@example.test>\r\n")
        .expect_data()
        .send(b"250 2.0.0 queued as 123\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 2.0.0 bye\r\n")
        .start();
    let mut session = open(&server).unwrap();
    let body = b"First line\n.\n..two dots\nlast line";
    let message = LegacyMessage::new(TWO, ME, b"Hello", body).unwrap();
    let reply = session.send_legacy(&message, &mut ()).unwrap().reply;
    assert_eq!(reply.code().0, 250);
    assert_eq!(reply.lines(), ["2.0.0 queued as 123"]);
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    let payload = t.payload();
    let wire = [
        &b"EHLO client.test\r\n"[..],
        b"MAIL FROM:<me@example.test>\r\n",
        b"RCPT TO:<a@example.test>\r\n",
        b"RCPT TO:<b@example.test>\r\n",
        b"DATA\r\n",
        payload,
        b"QUIT\r\n",
    ]
    .concat();
    assert_eq!(show(&t.received), show(&wire));

    assert_crlf_only(payload);
    let (head, body) = split_payload(payload);
    assert!(head.starts_with(b"To: a@example.test, b@example.test\r\nFrom: me@example.test\r\nSubject: Hello\r\n"));
    assert!(contains(head, b"\r\nDate: ") && contains(head, b"\r\nMessage-ID: <"), "{}", show(head));
    assert_eq!(show(body), show(b"First line\r\n..\r\n...two dots\r\nlast line\r\n.\r\n"));
    assert!(payload.ends_with(b"\r\n.\r\n") && !payload.ends_with(b"\r\n.\r\n.\r\n"));
}

#[test]
fn a_large_message_arrives_whole_with_dots_stuffed_across_chunk_edges() {
    // 320 KiB in 16-byte lines after an 8-byte first one: the 64 KiB body chunks start mid-line on
    // a '.', which must not be stuffed; every 1000th line starts with a '.', which must be. The
    // 128 KiB write buffer fills twice on the way.
    let line = |i: usize| match i {
        0 => &b"0123456\n"[..],
        _ if i % 4096 == 0 => b"01234567.9abcde\n",
        _ if i % 1000 == 0 => b".123456789abcde\n",
        _ => b"0123456789abcde\n",
    };
    let lines = 20_000;
    let body: Vec<u8> = (0..lines).flat_map(line).copied().collect();
    assert_eq!(&body[65536..65537], b".");
    let on_wire: Vec<u8> = (0..lines)
        .flat_map(|i| {
            let text = line(i).strip_suffix(b"\n").unwrap();
            [if text.starts_with(b".") { &b"."[..] } else { b"" }, text, b"\r\n"].concat()
        })
        .collect();
    let server = up_to_data(EHLO_PLAIN, b"MAIL FROM:<me@example.test>\r\n")
        .expect_data()
        .send(b"250 ok\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let mut session = open(&server).unwrap();
    let message = LegacyMessage::new(TWO, ME, b"Big", &body).unwrap();
    session.send_legacy(&message, &mut ()).unwrap();
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    let (_, wire_body) = split_payload(t.payload());
    assert_eq!(wire_body.len(), on_wire.len() + 3);
    assert!(wire_body == [&on_wire[..], b".\r\n"].concat(), "the body differs on the wire");
}

#[test]
fn multi_line_greeting_and_ehlo_reply_arriving_in_pieces() {
    let server = Script::new()
        .send(b"220-a\r\n220-")
        .sleep(Duration::from_millis(50))
        .send(b"b\r\n220 c\r\n")
        .expect(b"EHLO client.test\r\n")
        .send(b"250-server.test greets you\r\n250-8BITMIME\r\n250-SIZE 1000\r")
        .sleep(Duration::from_millis(50))
        .send(b"\n250 PIPELINING\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let session = open(&server).unwrap();
    let caps = session.capabilities();
    assert!(caps.eight_bit_mime() && caps.pipelining());
    assert_eq!(caps.size(), Some(1000));
    assert!(!caps.smtputf8());
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"EHLO client.test\r\nQUIT\r\n");
}

#[test]
fn helo_after_ehlo_is_refused_with_5xx() {
    let server = Script::greeted(b"502 5.5.1 unrecognized\r\n")
        .expect(b"HELO client.test\r\n")
        .send(b"250 server.test\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let session = open(&server).unwrap();
    assert!(!session.capabilities().eight_bit_mime());
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"EHLO client.test\r\nHELO client.test\r\nQUIT\r\n");
}

#[test]
fn no_helo_after_421_to_ehlo() {
    // 421 closes the channel: no HELO and no QUIT, the client just hangs up.
    let server = Script::greeted(b"421 4.3.2 shutting down\r\n").start();
    let error = open(&server).unwrap_err();
    assert_eq!(rejected(&error), (Stage::Ehlo, "EHLO client.test", 421));
    assert_eq!(error.stage(), Stage::Ehlo);
    assert_eq!(error.reply().map(|r| r.code().0), Some(421));

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"EHLO client.test\r\n");
}

#[test]
fn no_helo_after_the_server_drops_at_ehlo() {
    // The server half-closes and keeps listening: a HELO or QUIT would show in the transcript.
    let server = Script::new().send(b"220 hi\r\n").expect(b"EHLO client.test\r\n").close().start();
    let error = open(&server).unwrap_err();
    assert!(matches!(error, Error::Closed { stage: Stage::Ehlo }), "{error:?}");

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"EHLO client.test\r\n");
}

#[test]
fn utf8_body_goes_as_8bit_when_the_server_offers_8bitmime() {
    let server = up_to_data(EHLO_8BIT, b"MAIL FROM:<me@example.test> BODY=8BITMIME\r\n")
        .expect_data()
        .send(b"250 ok\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let mut session = open(&server).unwrap();
    let message = LegacyMessage::new(TWO, ME, b"Hi", "Grüße\n".as_bytes()).unwrap();
    session.send_legacy(&message, &mut ()).unwrap();
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    let (head, body) = split_payload(t.payload());
    assert!(contains(head, b"\r\nContent-Transfer-Encoding: 8bit\r\n"), "{}", show(head));
    assert!(contains(head, b"\r\nContent-Type: text/plain; charset=UTF-8\r\n"), "{}", show(head));
    assert_eq!(body, "Grüße\r\n.\r\n".as_bytes());
}

#[test]
fn utf8_body_goes_quoted_printable_without_8bitmime() {
    let server = up_to_data(EHLO_PLAIN, b"MAIL FROM:<me@example.test>\r\n")
        .expect_data()
        .send(b"250 ok\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let mut session = open(&server).unwrap();
    let message = LegacyMessage::new(TWO, ME, b"Hi", "Grüße\n".as_bytes()).unwrap();
    session.send_legacy(&message, &mut ()).unwrap();
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    let payload = t.payload();
    assert!(payload.is_ascii(), "8-bit bytes on a 7-bit channel: {}", show(payload));
    let (head, body) = split_payload(payload);
    assert!(contains(head, b"\r\nContent-Transfer-Encoding: quoted-printable\r\n"), "{}", show(head));
    assert_eq!(show(body), show(b"Gr=C3=BC=C3=9Fe\r\n.\r\n"));
}

#[test]
fn greeting_554_is_rejected_and_quit_follows() {
    // RFC 5321 §3.1: after a 554 greeting the server waits for QUIT.
    let server = Script::new().send(b"554 5.3.2 no service here\r\n").expect(b"QUIT\r\n").send(b"221 bye\r\n").start();
    let error = open(&server).unwrap_err();
    assert_eq!(rejected(&error), (Stage::Greeting, "connect", 554));
    assert_eq!(error.reply().unwrap().lines(), ["5.3.2 no service here"]);

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"QUIT\r\n");
}

#[test]
fn greeting_421_is_rejected_without_quit() {
    let server = Script::new().send(b"421 4.3.2 busy, try later\r\n").start();
    let error = open(&server).unwrap_err();
    assert_eq!(rejected(&error), (Stage::Greeting, "connect", 421));

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"");
}

/// Sends the two-recipient message, expects a rejection, ends the session; returns the error.
fn send_rejected(server: &Server) -> Error {
    let mut session = open(server).unwrap();
    let message = LegacyMessage::new(TWO, ME, b"Hi", b"body\n").unwrap();
    let error = session.send_legacy(&message, &mut ()).unwrap_err();
    session.end(&error, &mut ());
    error
}

#[test]
fn mail_451_is_rejected_and_quit_follows() {
    // PIPELINING is offered: MAIL and both RCPTs go in one write, and every reply is read.
    let server = Script::greeted(EHLO_PLAIN)
        .expect(b"MAIL FROM:<me@example.test>\r\nRCPT TO:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n")
        .send(b"451 4.3.0 try again later\r\n503 5.5.1 no MAIL\r\n503 5.5.1 no MAIL\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let error = send_rejected(&server);
    assert_eq!(rejected(&error), (Stage::Mail, "MAIL FROM:<me@example.test>", 451));

    let t = server.join();
    t.assert_clean();
    assert_eq!(
        t.received,
        b"EHLO client.test\r\nMAIL FROM:<me@example.test>\r\nRCPT TO:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nQUIT\r\n"
    );
}

#[test]
fn rcpt_550_for_the_second_recipient_stops_before_data() {
    let server = Script::greeted(EHLO_PLAIN)
        .expect(b"MAIL FROM:<me@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(b"RCPT TO:<a@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(b"RCPT TO:<b@example.test>\r\n")
        .send(b"550 5.1.1 no such user\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let error = send_rejected(&server);
    assert_eq!(rejected(&error), (Stage::Rcpt, "RCPT TO:<b@example.test>", 550));
    assert_eq!(error.stage().as_str(), "rcpt");

    let t = server.join();
    t.assert_clean();
    assert!(!contains(&t.received, b"DATA"), "{}", show(&t.received));
    assert!(t.received.ends_with(b"RCPT TO:<b@example.test>\r\nQUIT\r\n"), "{}", show(&t.received));
}

#[test]
fn data_554_instead_of_354_is_rejected() {
    let server = Script::greeted(EHLO_PLAIN)
        .expect(b"MAIL FROM:<me@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(b"RCPT TO:<a@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(b"RCPT TO:<b@example.test>\r\n")
        .send(b"250 ok\r\n")
        .expect(b"DATA\r\n")
        .send(b"554 5.5.1 no valid recipients\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let error = send_rejected(&server);
    assert_eq!(rejected(&error), (Stage::Data, "DATA", 554));

    let t = server.join();
    t.assert_clean();
    assert!(t.received.ends_with(b"DATA\r\nQUIT\r\n"), "no message after a refused DATA: {}", show(&t.received));
}

#[test]
fn end_of_data_554_is_rejected() {
    let server = up_to_data(EHLO_PLAIN, b"MAIL FROM:<me@example.test>\r\n")
        .expect_data()
        .send(b"554 5.7.1 spam\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let error = send_rejected(&server);
    assert_eq!(rejected(&error), (Stage::Data, ".", 554));
    assert_eq!(error.reply().unwrap().lines(), ["5.7.1 spam"]);

    let t = server.join();
    t.assert_clean();
    assert!(t.payload().ends_with(b"\r\nbody\r\n.\r\n"));
}

#[test]
fn a_silent_server_times_out_at_the_greeting() {
    let server = Script::new().start();
    let started = Instant::now();
    let error = open_with(&server, Duration::from_secs(1)).unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(error, Error::Timeout { stage: Stage::Greeting, .. }), "{error:?}");
    assert!(elapsed >= Duration::from_millis(900), "gave up before the timeout: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"");
}

#[test]
fn a_dripping_reply_times_out_because_the_deadline_covers_the_whole_reply() {
    // Every byte comes well within the 1 s timeout; the whole 20-byte reply would take 6 s.
    let greeting = b"220 drip.test okay\r\n";
    assert_eq!(greeting.len(), 20);
    let server = Script::new().drip(greeting, Duration::from_millis(300)).start();
    let started = Instant::now();
    let error = open_with(&server, Duration::from_secs(1)).unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(error, Error::Timeout { stage: Stage::Greeting, .. }), "{error:?}");
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");

    let t = server.join();
    t.assert_clean();
    assert!(t.written < greeting.len(), "the client waited for the whole reply ({} bytes)", t.written);
    assert_eq!(t.received, b"", "the client spoke after a timeout: {}", show(&t.received));
}

#[test]
fn mixed_codes_in_one_reply_are_a_protocol_error() {
    let server = Script::greeted(b"250-server.test\r\n550 5.0.0 no\r\n").start();
    let error = open(&server).unwrap_err();
    assert!(
        matches!(error, Error::Protocol { stage: Stage::Ehlo, source: ReplyError::MixedCodes { .. } }),
        "{error:?}"
    );

    // A broken reply ends the conversation: no HELO, no QUIT.
    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"EHLO client.test\r\n");
}

#[test]
fn an_endless_line_is_a_protocol_error_without_reading_it_all() {
    // 100 KiB without CRLF, 4 KiB every 20 ms: a client that caps its buffer hangs up early.
    let flood = vec![b'A'; 100 * 1024];
    let server = Script::new().send_slowly(&flood, 4096, Duration::from_millis(20)).start();
    let error = open(&server).unwrap_err();
    assert!(matches!(error, Error::Protocol { stage: Stage::Greeting, source: ReplyError::LineTooLong }), "{error:?}");

    let t = server.join();
    t.assert_clean();
    assert!(t.write_error.is_some(), "the client read all {} bytes", t.written);
    assert!(t.written <= 32 * 1024, "the client read {} bytes before hanging up", t.written);
    assert_eq!(t.received, b"");
}

#[test]
fn the_server_closing_mid_data_is_an_error_at_data() {
    // 4 MiB: more than the socket buffers hold, so the client is still writing when the server goes.
    let line = [b'x'; 99];
    let body: Vec<u8> = line.iter().chain(b"\n").copied().cycle().take(4 << 20).collect();
    let server = up_to_data(EHLO_PLAIN, b"MAIL FROM:<me@example.test>\r\n").read_some(1000).abort().start();
    let mut session = open(&server).unwrap();
    let message = LegacyMessage::new(TWO, ME, b"Big", &body).unwrap();
    let error = session.send_legacy(&message, &mut ()).unwrap_err();
    assert!(matches!(error, Error::Closed { stage: Stage::Data } | Error::Io { stage: Stage::Data, .. }), "{error:?}");
    assert!(!error.connection_usable());
    session.end(&error, &mut ());

    let t = server.join();
    t.assert_clean();
    let data_at = find(&t.received, b"DATA\r\nTo: a@example.test").expect("the message started");
    assert!(t.received.len() >= data_at + 6 + 1000, "the server read 1000 bytes of the message");
}

#[test]
fn quit_answered_with_250_is_fine() {
    let server = up_to_data(EHLO_PLAIN, b"MAIL FROM:<me@example.test>\r\n")
        .expect_data()
        .send(b"250 ok\r\n")
        .expect(b"QUIT\r\n")
        .send(b"250 odd but fine\r\n")
        .start();
    let mut session = open(&server).unwrap();
    let message = LegacyMessage::new(TWO, ME, b"Hi", b"body\n").unwrap();
    assert_eq!(session.send_legacy(&message, &mut ()).unwrap().reply.code().0, 250);
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    assert!(t.received.ends_with(b"\r\n.\r\nQUIT\r\n"));
}

#[test]
fn a_drop_after_the_end_of_data_250_still_sends() {
    // The server half-closes after accepting: the client reads end-of-file, and its QUIT still lands.
    let server = up_to_data(EHLO_PLAIN, b"MAIL FROM:<me@example.test>\r\n")
        .expect_data()
        .send(b"250 2.0.0 queued\r\n")
        .close()
        .expect(b"QUIT\r\n")
        .start();
    let mut session = open(&server).unwrap();
    let message = LegacyMessage::new(TWO, ME, b"Hi", b"body\n").unwrap();
    let reply = session.send_legacy(&message, &mut ()).unwrap().reply;
    assert_eq!(reply.code().0, 250);
    let started = Instant::now();
    session.quit(&mut ());
    assert!(started.elapsed() < Duration::from_secs(2), "QUIT waited {:?} on a closed connection", started.elapsed());

    let t = server.join();
    t.assert_clean();
}

#[test]
fn raw_command_returns_any_reply() {
    let server = Script::greeted(EHLO_PLAIN)
        .expect(b"VRFY someone\r\n")
        .send(b"252 2.5.2 cannot verify\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let mut session = open(&server).unwrap();
    let (reply, shown) = session.raw_command(b"VRFY someone\n", &mut ()).unwrap();
    assert_eq!((reply.code().0, shown.as_str()), (252, "VRFY someone"));
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
}

#[test]
fn a_server_that_hangs_up_before_the_greeting() {
    let server = Script::new().close().start();
    let error = open(&server).unwrap_err();
    assert!(matches!(error, Error::Closed { stage: Stage::Greeting }), "{error:?}");

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"");
}

#[test]
fn rcpt_421_closes_without_quit() {
    let server = Script::greeted(EHLO_PLAIN)
        .expect(b"MAIL FROM:<me@example.test>\r\nRCPT TO:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n")
        .send(b"250 ok\r\n421 4.4.5 too busy, closing\r\n")
        .start();
    let error = send_rejected(&server);
    assert_eq!(rejected(&error), (Stage::Rcpt, "RCPT TO:<a@example.test>", 421));

    let t = server.join();
    t.assert_clean();
    assert!(t.received.ends_with(b"RCPT TO:<b@example.test>\r\n"), "{}", show(&t.received));
}

#[test]
fn non_ascii_addresses_go_with_smtputf8_when_offered() {
    let server = Script::greeted(b"250-server.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        .expect(b"MAIL FROM:<me@example.test> BODY=8BITMIME SMTPUTF8\r\n")
        .send(b"250 ok\r\n")
        .expect("RCPT TO:<jürgen@example.test>\r\n".as_bytes())
        .send(b"250 ok\r\n")
        .expect(b"DATA\r\n")
        .send(b"354 go ahead\r\n")
        .expect_data()
        .send(b"250 ok\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let mut session = open(&server).unwrap();
    let message = LegacyMessage::new("jürgen@example.test", ME, b"Hi", b"body\n").unwrap();
    session.send_legacy(&message, &mut ()).unwrap();
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    assert!(t.payload().starts_with("To: jürgen@example.test\r\n".as_bytes()), "{}", show(t.payload()));
}

#[test]
fn non_ascii_addresses_without_smtputf8_are_refused_before_mail() {
    // Nothing goes out for the message, and the session stays usable: QUIT still works.
    let server = Script::greeted(EHLO_8BIT).expect(b"QUIT\r\n").send(b"221 bye\r\n").start();
    let mut session = open(&server).unwrap();
    let message = LegacyMessage::new("jürgen@example.test", ME, b"Hi", b"body\n").unwrap();
    let error = session.send_legacy(&message, &mut ()).unwrap_err();
    assert!(matches!(error, Error::Input(_)), "{error:?}");
    assert_eq!(error.stage(), Stage::Input);
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"EHLO client.test\r\nQUIT\r\n");
}

#[test]
fn a_bad_raw_command_sends_nothing_and_the_session_goes_on() {
    let server = Script::greeted(EHLO_PLAIN)
        .expect(b"NOOP\r\n")
        .send(b"250 ok\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let mut session = open(&server).unwrap();
    let error = session.raw_command(b"NO\0OP", &mut ()).unwrap_err();
    assert!(matches!(error, Error::Command(_)), "{error:?}");
    assert_eq!(error.stage(), Stage::Input);
    let (reply, _) = session.raw_command(b"NOOP", &mut ()).unwrap();
    assert_eq!(reply.code().0, 250);
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    assert_eq!(t.received, b"EHLO client.test\r\nNOOP\r\nQUIT\r\n");
}

/// `end()` promises "QUIT when the server can still hear it", and `Error::Input`/`Error::Command`
/// promise "nothing was sent": the connection is intact, yet `connection_usable()` says no, so
/// `end()` hangs up without QUIT (and `SendMail::do_command` drops its session after a bad command).
#[test]
fn end_after_an_input_error_says_quit() {
    let server = Script::greeted(EHLO_8BIT).expect(b"QUIT\r\n").send(b"221 bye\r\n").start();
    let mut session = open(&server).unwrap();
    let bad_command = session.raw_command(b"NO\0OP", &mut ()).unwrap_err();
    let message = LegacyMessage::new("jürgen@example.test", ME, b"Hi", b"body\n").unwrap();
    let bad_input = session.send_legacy(&message, &mut ()).unwrap_err();
    let usable = (bad_command.connection_usable(), bad_input.connection_usable());
    session.end(&bad_input, &mut ());

    let t = server.join();
    assert_eq!(usable, (true, true), "nothing was sent, so the connection is as good as before");
    t.assert_clean();
    assert_eq!(t.received, b"EHLO client.test\r\nQUIT\r\n");
}
