//! Batches against scripted servers: a connection that dies before the server could accept a
//! message has that message retried on a new connection; one that dies after the message was
//! sent does not (no copies); a refused message does not stop the others.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::time::Duration;

use common::{start_each, Script};
use sendmail::{
    client::{
        batch::{run, Finished, Job, Outcome},
        Controls, Error, Pace, Server, SessionOptions,
    },
    message::{email::Email, mime::Stamp},
    protocol::{ClientId, Stage},
};

const EHLO: &[u8] = b"250-server.test\r\n250 PIPELINING\r\n";

fn job(to: &str) -> Job {
    let email = Email {
        from: Some(Email::mailbox("from", "me@example.test", None).unwrap()),
        to: vec![Email::mailbox("to", to, None).unwrap()],
        subject: Some(to.into()),
        text: Some(format!("for {to}")),
        ..Email::default()
    };
    let stamp = Stamp::new(&email);
    Job::Email(Box::new(email), stamp)
}

fn envelope(to: &str) -> Vec<u8> {
    format!("MAIL FROM:<me@example.test>\r\nRCPT TO:<{to}>\r\nDATA\r\n").into_bytes()
}

/// One message delivered: envelope, 354, the message, 250 with `id` as the queue id.
fn delivered(script: Script, to: &str, id: &str) -> Script {
    script
        .expect(&envelope(to))
        .send(b"250 ok\r\n250 ok\r\n354 go\r\n")
        .expect_data()
        .send(format!("250 2.0.0 Ok: queued as {id}\r\n").as_bytes())
}

fn quit(script: Script) -> Script {
    script.expect(b"QUIT\r\n").send(b"221 bye\r\n")
}

fn batch(port: u16, jobs: Vec<Job>) -> Vec<Result<Outcome, Error>> {
    let options = SessionOptions {
        timeout: Duration::from_secs(3),
        client_id: Some(ClientId::new("client.test").unwrap()),
        ..SessionOptions::default()
    };
    let server = Server { host: "127.0.0.1".into(), port, options };
    let count = jobs.len();
    let mut results: Vec<Option<Result<Outcome, Error>>> = (0..count).map(|_| None).collect();
    for Finished { index, result } in run(vec![vec![server]], jobs, None, Controls::default(), Pace::new()) {
        assert!(results[index].is_none(), "job {index} finished twice");
        results[index] = Some(result);
    }
    results.into_iter().map(|r| r.expect("every job finishes")).collect()
}

fn queue_id(result: &Result<Outcome, Error>) -> String {
    match result {
        Ok(Outcome::Email(delivery)) => delivery.reply.queue_id().unwrap_or_default(),
        other => panic!("expected a delivery, got {other:?}"),
    }
}

#[test]
fn a_connection_lost_before_the_message_was_sent_is_retried_on_a_new_one() {
    // The first connection delivers a@ and dies on b@'s envelope; b@ goes again, after c@, on a
    // second connection.
    let first = delivered(Script::greeted(EHLO), "a@example.test", "A").expect(&envelope("b@example.test")).abort();
    let second = delivered(delivered(Script::greeted(EHLO), "c@example.test", "C"), "b@example.test", "B");
    let servers = start_each(vec![first, quit(second)]);
    let results = batch(servers.port, vec![job("a@example.test"), job("b@example.test"), job("c@example.test")]);
    let transcripts = servers.join();

    assert_eq!(results.iter().map(queue_id).collect::<Vec<_>>(), ["A", "B", "C"]);
    for t in &transcripts {
        t.assert_clean();
    }
    assert_eq!(transcripts[0].data.len(), 1, "the first connection carried one message");
    assert_eq!(transcripts[1].data.len(), 2, "the second carried c@ and the retried b@");
}

#[test]
fn a_connection_lost_after_the_message_went_out_is_not_retried() {
    // b@'s message reached the server, which closed without a reply: it may have been accepted,
    // so it is reported, not sent again; c@ still goes on a new connection.
    let first = delivered(Script::greeted(EHLO), "a@example.test", "A")
        .expect(&envelope("b@example.test"))
        .send(b"250 ok\r\n250 ok\r\n354 go\r\n")
        .expect_data()
        .abort();
    let second = delivered(Script::greeted(EHLO), "c@example.test", "C");
    let servers = start_each(vec![first, quit(second)]);
    let results = batch(servers.port, vec![job("a@example.test"), job("b@example.test"), job("c@example.test")]);
    let transcripts = servers.join();

    assert_eq!(queue_id(&results[0]), "A");
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(error.stage(), Stage::Data, "{error:?}");
    assert_eq!(queue_id(&results[2]), "C");
    for t in &transcripts {
        t.assert_clean();
    }
    assert_eq!(transcripts[1].data.len(), 1, "b@ was not sent again");
}

#[test]
fn a_refused_message_is_reported_and_the_connection_goes_on_after_rset() {
    let script = delivered(Script::greeted(EHLO), "a@example.test", "A")
        .expect(&envelope("b@example.test"))
        .send(b"250 ok\r\n550 5.1.1 no such user\r\n554 no valid recipients\r\n")
        .expect(b"RSET\r\n")
        .send(b"250 ok\r\n");
    let script = delivered(script, "c@example.test", "C");
    let servers = start_each(vec![quit(script)]);
    let results = batch(servers.port, vec![job("a@example.test"), job("b@example.test"), job("c@example.test")]);
    let transcripts = servers.join();

    assert_eq!(queue_id(&results[0]), "A");
    assert!(matches!(results[1], Err(Error::RecipientsRejected { .. })), "{:?}", results[1]);
    assert_eq!(queue_id(&results[2]), "C");
    transcripts[0].assert_clean();
}

#[test]
fn a_retried_message_that_fails_again_is_reported_once() {
    // Both connections die on b@'s envelope: b@ is tried twice in all, then reported.
    let first = Script::greeted(EHLO).expect(&envelope("b@example.test")).abort();
    let second = Script::greeted(EHLO).expect(&envelope("b@example.test")).abort();
    let servers = start_each(vec![first, second]);
    let results = batch(servers.port, vec![job("b@example.test")]);
    let transcripts = servers.join();

    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.stage(), Stage::Mail, "{error:?}");
    for t in &transcripts {
        t.assert_clean();
    }
}

#[test]
fn the_next_envelope_goes_out_before_the_verdict_on_the_previous_message() {
    // The server answers a@'s message only once it has b@'s envelope: a client that waited for
    // the verdict first would stall. a@'s message is refused, b@'s accepted: each gets its own.
    let script = Script::greeted(EHLO)
        .expect(&envelope("a@example.test"))
        .send(b"250 ok\r\n250 ok\r\n354 go\r\n")
        .expect_data()
        .expect(&envelope("b@example.test"))
        .send(b"554 5.7.1 spam\r\n250 ok\r\n250 ok\r\n354 go\r\n")
        .expect_data()
        .send(b"250 2.0.0 Ok: queued as B\r\n");
    let servers = start_each(vec![quit(script)]);
    let results = batch(servers.port, vec![job("a@example.test"), job("b@example.test")]);
    let transcripts = servers.join();

    transcripts[0].assert_clean();
    match &results[0] {
        Err(Error::Rejected { stage: Stage::Data, command, reply }) => {
            assert_eq!((command.as_str(), reply.code().0), (".", 554));
        }
        other => panic!("expected a refusal at the end of data, got {other:?}"),
    }
    assert_eq!(queue_id(&results[1]), "B");
}

#[test]
fn a_connection_lost_before_the_verdict_fails_that_message_and_retries_the_next() {
    // a@'s message is out, b@'s envelope behind it, and the server hangs up without a word:
    // a@ may have been accepted (reported, not resent); b@ never reached it (sent again).
    let first = Script::greeted(EHLO)
        .expect(&envelope("a@example.test"))
        .send(b"250 ok\r\n250 ok\r\n354 go\r\n")
        .expect_data()
        .expect(&envelope("b@example.test"))
        .abort();
    let second = delivered(Script::greeted(EHLO), "b@example.test", "B");
    let servers = start_each(vec![first, quit(second)]);
    let results = batch(servers.port, vec![job("a@example.test"), job("b@example.test")]);
    let transcripts = servers.join();

    let error = results[0].as_ref().unwrap_err();
    assert!(matches!(error, Error::Closed { stage: Stage::Data }), "{error:?}");
    assert_eq!(queue_id(&results[1]), "B");
    for t in &transcripts {
        t.assert_clean();
    }
    assert_eq!(transcripts[1].data.len(), 1, "only b@ went again");
}
