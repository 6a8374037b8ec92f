//! TLS and AUTH security of the session client: what it returns, and every byte it puts on the
//! wire, in clear text and under TLS. Above all: nothing secret or transactional (AUTH, MAIL,
//! RCPT, DATA, the message) crosses in clear text when it must not.
//!
//! Cases that need no TLS server use the scripted server of `common`. The others use a TLS-capable
//! scripted server defined here ([`TlsScript`]): rustls with the ring provider, certificates made
//! at test time by `tests/certs.sh` (the openssl CLI) in a temporary directory. Without the openssl
//! CLI those tests say so and pass without running.

#![allow(clippy::unreachable, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::{
    io::{self, Read, Write},
    net::{Shutdown, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, OnceLock},
    thread::{self, JoinHandle},
    time::{Duration, Instant, SystemTime},
};

use base64::{engine::general_purpose::STANDARD, Engine};
use common::{find, show, Script};
use rustls::{
    pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer},
    server::WebPkiClientVerifier,
    RootCertStore, ServerConfig, ServerConnection, StreamOwned, SupportedProtocolVersion,
};
use sendmail::{
    client::{AuthOptions, Error, Session, SessionOptions, TlsMode},
    message::legacy::LegacyMessage,
    protocol::{ClientId, Credentials, Mechanism, Stage},
    transport::{ClientIdentity, IdentityError, PinnedKeys, TlsSettings},
};

const USER: &str = "user@example.test";
const PASS: &str = "Tr0ub4dor&3-zebra";
const ME: &str = "me@example.test";
const TO: &str = "to@example.test";
const BODY_MARK: &[u8] = b"confidential-body-text";

// ---------------------------------------------------------------------------------------------
// Options and helpers

fn options(tls: TlsMode) -> SessionOptions {
    SessionOptions {
        timeout: Duration::from_secs(3),
        client_id: Some(ClientId::new("client.test").unwrap()),
        tls,
        tls_settings: TlsSettings::default(),
        auth: None,
        source_address: None,
    }
}

fn auth(mechanism: Option<Mechanism>, allow_without_tls: bool, trust_loopback: bool) -> Option<AuthOptions> {
    Some(AuthOptions { credentials: Credentials::new(USER, PASS), mechanism, allow_without_tls, trust_loopback })
}

/// Options for a TLS test server: its CA trusted, its name checked.
fn tls_options(certs: &Path, tls: TlsMode) -> SessionOptions {
    SessionOptions {
        tls_settings: TlsSettings { ca_file: Some(certs.join("ca.pem")), ..TlsSettings::default() },
        ..options(tls)
    }
}

fn plain_blob() -> String {
    STANDARD.encode(format!("\0{USER}\0{PASS}"))
}

/// Every form the credentials take on the wire, and the transaction's commands and text.
fn secrets_and_transaction() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("the password", PASS.as_bytes().to_vec()),
        ("the base64 password (LOGIN)", STANDARD.encode(PASS).into_bytes()),
        ("the PLAIN blob", plain_blob().into_bytes()),
        ("the base64 user (LOGIN)", STANDARD.encode(USER).into_bytes()),
        ("AUTH", b"AUTH".to_vec()),
        ("MAIL", b"MAIL".to_vec()),
        ("RCPT", b"RCPT".to_vec()),
        ("DATA", b"DATA".to_vec()),
        ("the message", BODY_MARK.to_vec()),
    ]
}

/// Nothing secret or transactional in `clear`.
#[track_caller]
fn assert_nothing_sensitive(clear: &[u8]) {
    for (what, bytes) in secrets_and_transaction() {
        assert!(find(clear, &bytes).is_none(), "{what} crossed in clear text: {}", show(clear));
    }
}

fn message() -> LegacyMessage<'static> {
    LegacyMessage::new(TO, ME, b"Subject", b"confidential-body-text\n").unwrap()
}

/// Opens a session and sends the message; the session ends with QUIT either way.
fn open_and_send(port: u16, options: &SessionOptions) -> Result<(), Error> {
    let mut session = Session::open("127.0.0.1", port, options, &mut ())?;
    match session.send_legacy(&message(), &mut ()) {
        Ok(_) => {
            session.quit(&mut ());
            Ok(())
        }
        Err(error) => {
            session.end(&error, &mut ());
            Err(error)
        }
    }
}

#[track_caller]
fn refused(error: &Error) -> (Stage, &str) {
    match error {
        Error::Refused { stage, reason } => (*stage, reason.as_str()),
        other => panic!("expected Refused, got {other:?}"),
    }
}

#[track_caller]
fn tls_failure(error: &Error) -> &str {
    match error {
        Error::Tls { reason } => reason.as_str(),
        other => panic!("expected Tls, got {other:?}"),
    }
}

const EHLO_AUTH: &[u8] = b"250-server.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n";
const EHLO_STARTTLS: &[u8] = b"250-server.test\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n";

// ---------------------------------------------------------------------------------------------
// AUTH without TLS

#[test]
fn credentials_are_refused_without_tls_when_loopback_is_not_trusted() {
    for mode in [TlsMode::Auto, TlsMode::Off] {
        for mechanism in [None, Some(Mechanism::Plain), Some(Mechanism::Login)] {
            let server = Script::greeted(EHLO_AUTH).expect(b"QUIT\r\n").send(b"221 bye\r\n").start();
            let opts = SessionOptions { auth: auth(mechanism, false, false), ..options(mode) };
            let error = Session::open("127.0.0.1", server.port, &opts, &mut ()).unwrap_err();
            let (stage, reason) = refused(&error);
            assert_eq!(stage, Stage::Auth);
            assert!(reason.contains("without TLS") && reason.contains("allowInsecureAuth()"), "{reason}");
            assert!(error.connection_usable(), "nothing secret was sent: the session ends with QUIT");

            let t = server.join();
            t.assert_clean();
            assert_eq!(show(&t.received), show(b"EHLO client.test\r\nQUIT\r\n"), "{mode:?} {mechanism:?}");
            assert_nothing_sensitive(&t.received);
        }
    }
}

#[test]
fn allow_without_tls_sends_the_credentials_in_clear_text() {
    let blob = plain_blob();
    let server = Script::greeted(EHLO_AUTH)
        .expect(format!("AUTH PLAIN {blob}\r\n").as_bytes())
        .send(b"235 2.7.0 ok\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let opts = SessionOptions { auth: auth(None, true, false), ..options(TlsMode::Auto) };
    let session = Session::open("127.0.0.1", server.port, &opts, &mut ()).unwrap();
    session.quit(&mut ());

    let t = server.join();
    t.assert_clean();
    assert_eq!(show(&t.received), show(format!("EHLO client.test\r\nAUTH PLAIN {blob}\r\nQUIT\r\n").as_bytes()));
}

#[test]
fn a_loopback_server_is_trusted_with_credentials_when_the_option_says_so() {
    // What PHP does (trust_loopback: true): the loopback exception, LOGIN this time.
    let server = Script::greeted(EHLO_AUTH)
        .expect(b"AUTH LOGIN\r\n")
        .send(b"334 VXNlcm5hbWU6\r\n")
        .expect(format!("{}\r\n", STANDARD.encode(USER)).as_bytes())
        .send(b"334 UGFzc3dvcmQ6\r\n")
        .expect(format!("{}\r\n", STANDARD.encode(PASS)).as_bytes())
        .send(b"235 2.7.0 ok\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let opts = SessionOptions { auth: auth(Some(Mechanism::Login), false, true), ..options(TlsMode::Auto) };
    Session::open("127.0.0.1", server.port, &opts, &mut ()).unwrap().quit(&mut ());
    server.join().assert_clean();
}

#[test]
fn a_long_oauth_token_is_sent_after_the_334_not_on_the_auth_line() {
    // RFC 4954 §4: an AUTH line over 512 octets must not be sent; the token waits for the 334.
    let token = format!("ya29.{}", "a".repeat(1995));
    let blob = STANDARD.encode(format!("user={USER}\x01auth=Bearer {token}\x01\x01"));
    let server = Script::greeted(b"250-server.test\r\n250 AUTH XOAUTH2\r\n")
        .expect(b"AUTH XOAUTH2\r\n")
        .send(b"334 \r\n")
        .expect(format!("{blob}\r\n").as_bytes())
        .send(b"235 2.7.0 ok\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .start();
    let auth = AuthOptions {
        credentials: Credentials::new(USER, &token),
        mechanism: Some(Mechanism::XOAuth2),
        allow_without_tls: false,
        trust_loopback: true,
    };
    let opts = SessionOptions { auth: Some(auth), ..options(TlsMode::Auto) };
    Session::open("127.0.0.1", server.port, &opts, &mut ()).unwrap().quit(&mut ());
    let t = server.join();
    t.assert_clean();
    assert!(t.received.split(|&b| b == b'\n').all(|line| line.len() <= 512 || !line.starts_with(b"AUTH")));
}

#[test]
fn oauthbearer_names_host_and_port_and_answers_an_error_with_a_lone_01() {
    // RFC 7628: the GS2 header, host and port of the server, the token; on an error challenge
    // the client sends %x01 and the server ends with 535.
    let listener = common::listener();
    let server_port = listener.local_addr().unwrap().port();
    let blob = STANDARD
        .encode(format!("n,a={USER},\x01host=127.0.0.1\x01port={server_port}\x01auth=Bearer bad-token\x01\x01"));
    let server = Script::greeted(b"250-server.test\r\n250 AUTH OAUTHBEARER\r\n")
        .expect(format!("AUTH OAUTHBEARER {blob}\r\n").as_bytes())
        .send(b"334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=\r\n")
        .expect(b"AQ==\r\n")
        .send(b"535 5.7.8 token refused\r\n")
        .expect(b"QUIT\r\n")
        .send(b"221 bye\r\n")
        .serve(listener);
    let auth = AuthOptions {
        credentials: Credentials::new(USER, "bad-token"),
        mechanism: Some(Mechanism::OAuthBearer),
        allow_without_tls: false,
        trust_loopback: true,
    };
    let opts = SessionOptions { auth: Some(auth), ..options(TlsMode::Auto) };
    let error = Session::open("127.0.0.1", server.port, &opts, &mut ()).unwrap_err();
    assert_eq!((error.stage(), error.reply().map(|r| r.code().0)), (Stage::Auth, Some(535)));
    server.join().assert_clean();
}

#[test]
fn tls_required_refuses_a_server_that_offers_auth_but_no_starttls() {
    // Even with the loopback exception and allow_without_tls: TLS required wins, before AUTH.
    let server = Script::greeted(EHLO_AUTH).expect(b"QUIT\r\n").send(b"221 bye\r\n").start();
    let opts = SessionOptions { auth: auth(None, true, true), ..options(TlsMode::Required) };
    let error = open_and_send(server.port, &opts).unwrap_err();
    assert_eq!(refused(&error), (Stage::Tls, "TLS is required but the server does not offer STARTTLS"));

    let t = server.join();
    t.assert_clean();
    assert_eq!(show(&t.received), show(b"EHLO client.test\r\nQUIT\r\n"));
}

// ---------------------------------------------------------------------------------------------
// STARTTLS going wrong before any handshake

#[test]
fn data_injected_after_the_starttls_reply_is_refused_and_nothing_follows_in_clear_text() {
    // RFC 3207 §4.2 / CVE-2011-0411: "250 injected" arrives with the 220, in the same write. A
    // client that kept it would read it under TLS as the reply to its next command. The script ends
    // after the injection: any further byte from the client (a QUIT, a ClientHello) is a mismatch.
    for mode in [TlsMode::Auto, TlsMode::Required] {
        let server = Script::greeted(EHLO_STARTTLS)
            .expect(b"STARTTLS\r\n")
            .send(b"220 2.0.0 go ahead\r\n250 injected\r\n")
            .start();
        let opts = SessionOptions { auth: auth(None, true, true), ..options(mode) };
        let error = open_and_send(server.port, &opts).unwrap_err();
        let reason = tls_failure(&error);
        assert!(reason.contains("after its reply to STARTTLS"), "{reason}");
        assert_eq!(error.stage(), Stage::Tls);
        assert!(!error.connection_usable());

        let t = server.join();
        t.assert_clean();
        assert_eq!(show(&t.received), show(b"EHLO client.test\r\nSTARTTLS\r\n"), "{mode:?}");
    }
}

#[test]
fn a_refused_starttls_does_not_fall_back_to_clear_text() {
    for mode in [TlsMode::Auto, TlsMode::Required] {
        let server = Script::greeted(EHLO_STARTTLS)
            .expect(b"STARTTLS\r\n")
            .send(b"454 4.7.0 TLS not available due to temporary reason\r\n")
            .expect(b"QUIT\r\n")
            .send(b"221 bye\r\n")
            .start();
        let opts = SessionOptions { auth: auth(None, true, true), ..options(mode) };
        let error = open_and_send(server.port, &opts).unwrap_err();
        match &error {
            Error::Rejected { stage: Stage::Tls, command, reply } => {
                assert_eq!((command.as_str(), reply.code().0), ("STARTTLS", 454));
            }
            other => panic!("expected Rejected at TLS, got {other:?}"),
        }

        let t = server.join();
        t.assert_clean();
        assert_eq!(show(&t.received), show(b"EHLO client.test\r\nSTARTTLS\r\nQUIT\r\n"), "{mode:?}");
    }
}

#[test]
fn ehlo_refused_while_tls_is_required_gets_no_helo() {
    let server =
        Script::greeted(b"502 5.5.1 EHLO not implemented\r\n").expect(b"QUIT\r\n").send(b"221 bye\r\n").start();
    let error = open_and_send(server.port, &options(TlsMode::Required)).unwrap_err();
    match &error {
        Error::Rejected { stage: Stage::Ehlo, command, reply } => {
            assert_eq!((command.as_str(), reply.code().0), ("EHLO client.test", 502));
        }
        other => panic!("expected Rejected at EHLO, got {other:?}"),
    }
    let t = server.join();
    t.assert_clean();
    assert_eq!(show(&t.received), show(b"EHLO client.test\r\nQUIT\r\n"));
}

// ---------------------------------------------------------------------------------------------
// With a TLS server

#[test]
fn after_starttls_everything_is_encrypted_and_auth_is_allowed_without_the_loopback_exception() {
    let Some(certs) = certs() else { return };
    let blob = plain_blob();
    let server = TlsScript::greeted(EHLO_STARTTLS)
        .expect(b"STARTTLS\r\n")
        .send(b"220 2.0.0 go ahead\r\n")
        .start_tls()
        .expect(b"EHLO client.test\r\n")
        // STARTTLS offered again under TLS: the client must not start TLS twice.
        .send(b"250-server.test\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n")
        .expect(format!("AUTH PLAIN {blob}\r\n").as_bytes())
        .send(b"235 2.7.0 ok\r\n")
        .then_mail()
        .start(certs);
    // Neither the loopback exception nor allow_without_tls: only TLS lets the credentials go.
    let opts = SessionOptions { auth: auth(None, false, false), ..tls_options(certs, TlsMode::Required) };
    open_and_send(server.port, &opts).unwrap();

    let w = server.join();
    w.assert_clean();
    assert_eq!(show(&w.clear), show(b"EHLO client.test\r\nSTARTTLS\r\n"));
    let expected = [
        b"EHLO client.test\r\n".as_slice(),
        format!("AUTH PLAIN {blob}\r\n").as_bytes(),
        b"MAIL FROM:<me@example.test>\r\nRCPT TO:<to@example.test>\r\nDATA\r\n",
        w.payload(),
        b"QUIT\r\n",
    ]
    .concat();
    assert_eq!(show(&w.tls), show(&expected));
    assert!(find(w.payload(), BODY_MARK).is_some());
}

#[test]
fn capabilities_learned_in_clear_text_are_forgotten_after_starttls() {
    // Before TLS: AUTH PLAIN and 8BITMIME. After: only AUTH LOGIN, no 8BITMIME. The client must
    // use LOGIN, no BODY=8BITMIME, and quoted-printable for its UTF-8 body.
    let Some(certs) = certs() else { return };
    let server = TlsScript::greeted(b"250-server.test\r\n250-AUTH PLAIN\r\n250-8BITMIME\r\n250 STARTTLS\r\n")
        .expect(b"STARTTLS\r\n")
        .send(b"220 2.0.0 go ahead\r\n")
        .start_tls()
        .expect(b"EHLO client.test\r\n")
        .send(b"250-server.test\r\n250 AUTH LOGIN\r\n")
        .expect(b"AUTH LOGIN\r\n")
        .send(b"334 VXNlcm5hbWU6\r\n")
        .expect(format!("{}\r\n", STANDARD.encode(USER)).as_bytes())
        .send(b"334 UGFzc3dvcmQ6\r\n")
        .expect(format!("{}\r\n", STANDARD.encode(PASS)).as_bytes())
        .send(b"235 2.7.0 ok\r\n")
        .then_mail()
        .start(certs);
    let opts = SessionOptions { auth: auth(None, false, false), ..tls_options(certs, TlsMode::Auto) };
    let mut session = Session::open("127.0.0.1", server.port, &opts, &mut ()).unwrap();
    let caps = session.capabilities();
    assert!(!caps.eight_bit_mime() && !caps.starttls(), "{caps:?}");
    assert_eq!(caps.auth_mechanisms(), ["LOGIN"]);
    let message = LegacyMessage::new(TO, ME, b"Caps", "Grüße aus Köln\n".as_bytes()).unwrap();
    session.send_legacy(&message, &mut ()).unwrap();
    session.quit(&mut ());

    let w = server.join();
    w.assert_clean();
    assert_eq!(show(&w.clear), show(b"EHLO client.test\r\nSTARTTLS\r\n"));
    assert!(find(&w.tls, b"MAIL FROM:<me@example.test>\r\n").is_some(), "{}", show(&w.tls));
    assert!(find(&w.tls, b"8BITMIME").is_none() && find(&w.tls, b"AUTH PLAIN").is_none(), "{}", show(&w.tls));
    let payload = w.payload();
    assert!(payload.is_ascii(), "8-bit bytes without 8BITMIME: {}", show(payload));
    assert!(find(payload, b"\r\nContent-Transfer-Encoding: quoted-printable\r\n").is_some(), "{}", show(payload));
    assert!(payload.ends_with(b"\r\n\r\nGr=C3=BC=C3=9Fe aus K=C3=B6ln\r\n.\r\n"), "{}", show(payload));
}

#[test]
fn eight_bit_mime_offered_only_in_clear_text_is_not_used() {
    // No AUTH here: the stale 8BITMIME alone must not survive STARTTLS.
    let Some(certs) = certs() else { return };
    let server = TlsScript::greeted(b"250-server.test\r\n250-8BITMIME\r\n250 STARTTLS\r\n")
        .expect(b"STARTTLS\r\n")
        .send(b"220 2.0.0 go ahead\r\n")
        .start_tls()
        .expect(b"EHLO client.test\r\n")
        .send(b"250 server.test\r\n")
        .then_mail()
        .start(certs);
    let mut session = Session::open("127.0.0.1", server.port, &tls_options(certs, TlsMode::Required), &mut ()).unwrap();
    assert!(!session.capabilities().eight_bit_mime());
    let message = LegacyMessage::new(TO, ME, b"8bit", "Grüße\n".as_bytes()).unwrap();
    session.send_legacy(&message, &mut ()).unwrap();
    session.quit(&mut ());

    let w = server.join();
    w.assert_clean();
    assert_eq!(show(&w.clear), show(b"EHLO client.test\r\nSTARTTLS\r\n"));
    assert!(
        w.payload().is_ascii() && w.payload().ends_with(b"\r\n\r\nGr=C3=BC=C3=9Fe\r\n.\r\n"),
        "{}",
        show(w.payload())
    );
}

#[test]
fn data_injected_in_a_later_packet_breaks_the_handshake() {
    // The injected line arrives after the client has read the 220: it reaches the TLS layer,
    // which refuses it. The client never reads it as a reply and sends nothing more in clear text.
    let Some(certs) = certs() else { return };
    let server = TlsScript::greeted(EHLO_STARTTLS)
        .expect(b"STARTTLS\r\n")
        .send(b"220 2.0.0 go ahead\r\n")
        .sleep(Duration::from_millis(200))
        .send(b"250 injected\r\n")
        .start_tls()
        .start(certs);
    let opts = SessionOptions { auth: auth(None, true, true), ..tls_options(certs, TlsMode::Auto) };
    let error = open_and_send(server.port, &opts).unwrap_err();
    let reason = tls_failure(&error);
    assert!(reason.starts_with("TLS handshake with 127.0.0.1 failed: "), "{reason}");

    let w = server.join();
    assert_eq!(show(&w.clear), show(b"EHLO client.test\r\nSTARTTLS\r\n"));
    assert!(w.handshake_bytes > 0, "the client started a handshake");
    assert!(w.handshake_error.is_some(), "{w:?}");
    assert_eq!(w.tls, b"");
}

#[test]
fn a_failed_certificate_check_ends_the_session_with_nothing_sent() {
    let Some(certs) = certs() else { return };
    for (cert, why) in [
        ("wrong", "the server's certificate is not valid for 127.0.0.1"),
        ("untrusted", "the server's certificate is not signed by a trusted CA"),
    ] {
        let server = TlsScript::greeted(EHLO_STARTTLS)
            .expect(b"STARTTLS\r\n")
            .send(b"220 2.0.0 go ahead\r\n")
            .start_tls()
            .expect(b"EHLO client.test\r\n")
            .send(b"250 server.test\r\n")
            .then_mail()
            .cert(cert)
            .start(certs);
        let opts = SessionOptions { auth: auth(None, true, true), ..tls_options(certs, TlsMode::Auto) };
        let error = open_and_send(server.port, &opts).unwrap_err();
        let reason = tls_failure(&error);
        assert!(reason.starts_with("TLS handshake with 127.0.0.1 failed: ") && reason.contains(why), "{reason}");

        let w = server.join();
        assert_eq!(show(&w.clear), show(b"EHLO client.test\r\nSTARTTLS\r\n"), "{cert}");
        assert!(w.handshake_error.is_some(), "{cert}: {w:?}");
        assert_eq!(w.tls, b"", "{cert}");
    }
}

#[test]
fn a_server_that_hangs_up_instead_of_handshaking() {
    let Some(certs) = certs() else { return };
    let server = TlsScript::greeted(EHLO_STARTTLS)
        .expect(b"STARTTLS\r\n")
        .send(b"220 2.0.0 go ahead\r\n")
        .hang_up_at_handshake()
        .start(certs);
    let opts = SessionOptions { auth: auth(None, true, true), ..tls_options(certs, TlsMode::Required) };
    let error = open_and_send(server.port, &opts).unwrap_err();
    assert_eq!(tls_failure(&error), "TLS handshake with 127.0.0.1 failed: the server closed the connection");

    let w = server.join();
    w.assert_clean();
    assert_eq!(show(&w.clear), show(b"EHLO client.test\r\nSTARTTLS\r\n"));
    assert!(w.handshake_bytes > 0);
}

#[test]
fn implicit_tls_sends_nothing_in_clear_text() {
    let Some(certs) = certs() else { return };
    let blob = plain_blob();
    let server = TlsScript::new()
        .start_tls()
        .send(b"220 server.test ESMTP\r\n")
        .expect(b"EHLO client.test\r\n")
        .send(b"250-server.test\r\n250 AUTH PLAIN\r\n")
        .expect(format!("AUTH PLAIN {blob}\r\n").as_bytes())
        .send(b"235 2.7.0 ok\r\n")
        .then_mail()
        .start(certs);
    let opts = SessionOptions { auth: auth(None, false, false), ..tls_options(certs, TlsMode::Implicit) };
    open_and_send(server.port, &opts).unwrap();

    let w = server.join();
    w.assert_clean();
    assert_eq!(w.clear, b"");
    assert!(w.tls.starts_with(b"EHLO client.test\r\nAUTH PLAIN ") && w.tls.ends_with(b"\r\n.\r\nQUIT\r\n"));
}

// ---------------------------------------------------------------------------------------------
// Mutual TLS: the client's certificate

fn identity(certs: &Path, name: &str) -> ClientIdentity {
    let read = |ext: &str| std::fs::read(certs.join(format!("{name}.{ext}"))).unwrap();
    ClientIdentity::from_pem(&read("pem"), &read("key")).unwrap()
}

fn with_identity(certs: &Path, name: Option<&str>) -> SessionOptions {
    let mut opts = tls_options(certs, TlsMode::Required);
    opts.tls_settings.client_identity = name.map(|name| identity(certs, name));
    opts
}

/// A STARTTLS server that requires a certificate by client-ca.pem, then takes a message.
fn mutual_tls_server(certs: &Path, tls12: bool) -> TlsServer {
    let script = TlsScript::greeted(EHLO_STARTTLS)
        .expect(b"STARTTLS\r\n")
        .send(b"220 2.0.0 go ahead\r\n")
        .start_tls()
        .expect(b"EHLO client.test\r\n")
        .send(b"250 server.test\r\n")
        .then_mail()
        .client_ca("client-ca");
    if tls12 { script.tls12() } else { script }.start(certs)
}

#[test]
fn the_client_certificate_and_its_chain_go_to_a_server_that_asks_for_them() {
    let Some(certs) = certs() else { return };
    // RSA (a PKCS#1 key), ECDSA (a SEC1 key, its intermediate CA in the file), Ed25519 (PKCS#8).
    for (name, chain_length) in [("client-rsa", 1), ("client-ec", 2), ("client-ed25519", 1)] {
        for tls12 in [false, true] {
            if tls12 && name == "client-ed25519" {
                continue; // rustls offers Ed25519 client signatures in TLS 1.2 too, but one run is enough
            }
            let server = mutual_tls_server(certs, tls12);
            open_and_send(server.port, &with_identity(certs, Some(name))).unwrap();
            let w = server.join();
            w.assert_clean();
            let expected: Vec<Vec<u8>> = chain_of(certs, name).iter().map(|c| c.as_ref().to_vec()).collect();
            assert_eq!(expected.len(), chain_length, "{name}");
            assert_eq!(w.client_chain, expected, "{name}, TLS 1.2: {tls12}");
        }
    }
}

#[test]
fn a_server_that_requires_a_client_certificate_refuses_a_client_without_one() {
    let Some(certs) = certs() else { return };
    // TLS 1.3: the server's alert comes with the first read after the client finished (the
    // reply to EHLO); TLS 1.2: during the handshake. Either way a TLS failure that says why.
    for tls12 in [false, true] {
        let server = mutual_tls_server(certs, tls12);
        let error = open_and_send(server.port, &with_identity(certs, None)).unwrap_err();
        assert_eq!(
            tls_failure(&error),
            "TLS handshake with 127.0.0.1 failed: the server requires a client certificate (setClientCertificate(), sendmail.client_cert)",
            "TLS 1.2: {tls12}"
        );
        assert_eq!(error.stage(), Stage::Tls);
        let w = server.join();
        assert!(w.handshake_error.as_deref().is_some_and(|e| e.contains("no certificates")), "{w:?}");
        assert!(w.tls.is_empty() && w.client_chain.is_empty(), "{w:?}");
    }
}

#[test]
fn a_server_refuses_a_client_certificate_it_does_not_trust() {
    let Some(certs) = certs() else { return };
    for tls12 in [false, true] {
        let server = mutual_tls_server(certs, tls12);
        let error = open_and_send(server.port, &with_identity(certs, Some("client-untrusted"))).unwrap_err();
        assert_eq!(
            tls_failure(&error),
            "TLS handshake with 127.0.0.1 failed: the server refused the client certificate (alert UnknownCA)",
            "TLS 1.2: {tls12}"
        );
        let w = server.join();
        assert!(w.handshake_error.is_some() && w.tls.is_empty(), "{w:?}");
    }
}

#[test]
fn a_server_that_closes_as_the_tls13_handshake_ends_without_an_alert_failed_the_handshake() {
    let Some(certs) = certs() else { return };
    // Some servers (Python's asyncio, so aiosmtpd) refuse a client certificate by closing the
    // connection without an alert. In TLS 1.3 the client has finished by then, so the close
    // comes with its first read: nothing came over TLS yet, so the handshake is what failed.
    for (identity, hint) in [
        (None, "(does it require a client certificate? setClientCertificate(), sendmail.client_cert)"),
        (Some("client-rsa"), "(did it refuse the client certificate?)"),
    ] {
        let server = TlsScript::new().start_tls().drop_connection().start(certs);
        let mut opts = with_identity(certs, identity);
        opts.tls = TlsMode::Implicit;
        let error = open_and_send(server.port, &opts).unwrap_err();
        assert_eq!(
            tls_failure(&error),
            format!(
                "TLS handshake with 127.0.0.1 failed: the server closed the connection as the handshake ended {hint}"
            )
        );
        server.join().assert_clean();
    }
    // In TLS 1.2 the server's Finished came before: a close then is no handshake failure.
    let server = TlsScript::new().start_tls().drop_connection().tls12().start(certs);
    let error = open_and_send(server.port, &tls_options(certs, TlsMode::Implicit)).unwrap_err();
    assert!(matches!(error, Error::Closed { stage: Stage::Greeting }), "{error:?}");
    server.join().assert_clean();
    // Nor is a close after the server said something over TLS 1.3.
    let server = TlsScript::new().start_tls().send(b"220 server.test ESMTP\r\n").drop_connection().start(certs);
    let error = open_and_send(server.port, &tls_options(certs, TlsMode::Implicit)).unwrap_err();
    assert!(matches!(error, Error::Closed { stage: Stage::Ehlo }), "{error:?}");
    server.join();
}

#[test]
fn a_key_that_is_not_the_certificates_is_refused_when_the_identity_is_made() {
    let Some(certs) = certs() else { return };
    let read = |file: &str| std::fs::read(certs.join(file)).unwrap();
    let key_error = |cert: &str, key: &str| match ClientIdentity::from_pem(&read(cert), &read(key)) {
        Err(IdentityError::Key(text)) => text,
        other => panic!("{cert} with {key}: {other:?}"),
    };
    assert_eq!(key_error("client-rsa.pem", "client-ec.key"), "is not the private key of the certificate");
    assert_eq!(key_error("client-ec.pem", "client-untrusted.key"), "is not the private key of the certificate");
    assert_eq!(
        key_error("client-rsa.pem", "client-rsa.pem"),
        "holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"
    );
    match ClientIdentity::from_pem(&read("client-rsa.key"), &read("client-rsa.key")) {
        Err(IdentityError::Certificate(text)) => {
            assert_eq!(text, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        other => panic!("{other:?}"),
    }
    // One PEM text with both: the certificate and the key are each found in it.
    let mut both = read("client-ec.pem");
    both.extend_from_slice(&read("client-ec.key"));
    let combined = ClientIdentity::from_pem(&both, &both).unwrap();
    assert_eq!(combined, identity(certs, "client-ec"));
    assert_ne!(combined, identity(certs, "client-rsa"));
    // Debug shows a short digest, nothing of the key.
    let shown = format!("{:?}", with_identity(certs, Some("client-rsa")));
    assert!(shown.contains("ClientIdentity(sha256:") && !shown.contains("PRIVATE"), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// Public key pinning

/// The pin of a certificate file, as the README's openssl command computes it.
fn openssl_pin(certs: &Path, name: &str) -> String {
    let script = format!(
        "openssl x509 -in '{}' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64",
        certs.join(format!("{name}.pem")).display()
    );
    let out = Command::new("sh").arg("-c").arg(script).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    format!("sha256//{}", String::from_utf8(out.stdout).unwrap().trim())
}

fn pinned(certs: &Path, pins: &str, verify: bool) -> SessionOptions {
    let mut opts = tls_options(certs, TlsMode::Required);
    opts.tls_settings.pinned_keys = Some(PinnedKeys::parse(pins).unwrap());
    opts.tls_settings.skip_verify = !verify;
    opts
}

fn pinned_server(certs: &Path, cert: &'static str, mail: bool) -> TlsServer {
    let script = TlsScript::greeted(EHLO_STARTTLS).expect(b"STARTTLS\r\n").send(b"220 2.0.0 go ahead\r\n").start_tls();
    let script =
        if mail { script.expect(b"EHLO client.test\r\n").send(b"250 server.test\r\n").then_mail() } else { script };
    script.cert(cert).start(certs)
}

#[test]
fn a_server_whose_key_is_pinned_gets_the_message() {
    let Some(certs) = certs() else { return };
    let own = openssl_pin(certs, "server");
    let other = openssl_pin(certs, "untrusted");
    for pins in [own.clone(), format!("{other};{own}")] {
        let server = pinned_server(certs, "server", true);
        open_and_send(server.port, &pinned(certs, &pins, true)).unwrap();
        server.join().assert_clean();
    }
}

#[test]
fn a_server_whose_key_is_not_pinned_fails_the_handshake_and_its_own_pin_is_named() {
    let Some(certs) = certs() else { return };
    let actual = openssl_pin(certs, "server");
    let server = pinned_server(certs, "server", false);
    let error = open_and_send(server.port, &pinned(certs, &openssl_pin(certs, "wrong"), true)).unwrap_err();
    assert_eq!(
        tls_failure(&error),
        format!("TLS handshake with 127.0.0.1 failed: the server's public key does not match the pinned public key (setPinnedPublicKey()): the server's is {actual}")
    );
    let w = server.join();
    assert!(w.handshake_error.is_some() && w.tls.is_empty(), "{w:?}");
}

#[test]
fn with_verification_off_the_pin_alone_is_checked() {
    let Some(certs) = certs() else { return };
    // untrusted.pem is by a CA nobody trusts: its pin is enough when verification is off...
    let server = pinned_server(certs, "untrusted", true);
    open_and_send(server.port, &pinned(certs, &openssl_pin(certs, "untrusted"), false)).unwrap();
    server.join().assert_clean();
    // ...and still required,
    let server = pinned_server(certs, "untrusted", false);
    let error = open_and_send(server.port, &pinned(certs, &openssl_pin(certs, "server"), false)).unwrap_err();
    assert!(tls_failure(&error).contains(&format!("the server's is {}", openssl_pin(certs, "untrusted"))), "{error}");
    server.join();
    // ...while with verification on, a right pin does not make an untrusted certificate good.
    let server = pinned_server(certs, "untrusted", false);
    let error = open_and_send(server.port, &pinned(certs, &openssl_pin(certs, "untrusted"), true)).unwrap_err();
    assert!(tls_failure(&error).contains("not signed by a trusted CA"), "{error}");
    server.join();
}

// ---------------------------------------------------------------------------------------------
// Test certificates

/// The directory with the certificates of `tests/certs.sh`, made once per test process; `None`
/// (with a note) when the openssl CLI is missing.
fn certs() -> Option<&'static Path> {
    static CERTS: OnceLock<Option<PathBuf>> = OnceLock::new();
    let dir = CERTS.get_or_init(|| {
        let openssl = Command::new("openssl").arg("version").output();
        if !openssl.is_ok_and(|o| o.status.success()) {
            return None;
        }
        let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
        remove_stale(base);
        let dir = base.join(format!("tls-certs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/certs.sh");
        let status = Command::new("bash").arg(&script).arg(&dir).status().expect("run tests/certs.sh");
        assert!(status.success(), "tests/certs.sh failed");
        Some(dir)
    });
    if dir.is_none() {
        eprintln!("SKIPPED: the openssl CLI is not available to make test certificates");
    }
    dir.as_deref()
}

/// Certificate directories of earlier runs, more than an hour old.
fn remove_stale(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > Duration::from_secs(3600));
        if old && entry.file_name().to_string_lossy().starts_with("tls-certs-") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn chain_of(certs: &Path, name: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(certs.join(format!("{name}.pem"))).unwrap().collect::<Result<_, _>>().unwrap()
}

/// The server's configuration: its certificate `name`; with `client_ca`, a client certificate
/// by that CA is required; only `versions`.
fn server_config(
    certs: &Path,
    name: &str,
    client_ca: Option<&str>,
    versions: &[&'static SupportedProtocolVersion],
) -> Arc<ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = PrivateKeyDer::from_pem_file(certs.join(format!("{name}.key"))).unwrap();
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider)).with_protocol_versions(versions).unwrap();
    let builder = match client_ca {
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            roots.add_parsable_certificates(chain_of(certs, ca));
            builder.with_client_cert_verifier(
                WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider).build().unwrap(),
            )
        }
        None => builder.with_no_client_auth(),
    };
    Arc::new(builder.with_single_cert(chain_of(certs, name), key).unwrap())
}

// ---------------------------------------------------------------------------------------------
// A scripted server that can start TLS

/// The first byte of a TLS handshake record.
const TLS_HANDSHAKE: u8 = 0x16;

#[derive(Debug, Clone)]
enum Step {
    Send(Vec<u8>),
    Expect(Vec<u8>),
    ExpectData,
    Sleep(Duration),
    /// The server side of a TLS handshake; the rest of the script runs under TLS.
    StartTls,
    /// Wait for the client's first TLS record, then close the connection.
    HangUpAtHandshake,
    /// Close the connection at once, without a TLS close_notify.
    Drop,
}

/// Like `common::Script`, with TLS. Every byte the client sends is recorded: in clear text, or
/// decrypted under TLS. After the last step the client may only close the connection.
#[derive(Debug, Clone)]
struct TlsScript {
    steps: Vec<Step>,
    cert: &'static str,
    client_ca: Option<&'static str>,
    versions: &'static [&'static SupportedProtocolVersion],
}

impl TlsScript {
    fn new() -> TlsScript {
        TlsScript { steps: Vec::new(), cert: "server", client_ca: None, versions: rustls::DEFAULT_VERSIONS }
    }

    fn greeted(ehlo_reply: &[u8]) -> TlsScript {
        TlsScript::new().send(b"220 server.test ESMTP\r\n").expect(b"EHLO client.test\r\n").send(ehlo_reply)
    }

    fn send(self, bytes: &[u8]) -> TlsScript {
        self.step(Step::Send(bytes.to_vec()))
    }

    fn expect(self, bytes: &[u8]) -> TlsScript {
        self.step(Step::Expect(bytes.to_vec()))
    }

    fn sleep(self, pause: Duration) -> TlsScript {
        self.step(Step::Sleep(pause))
    }

    fn start_tls(self) -> TlsScript {
        self.step(Step::StartTls)
    }

    fn hang_up_at_handshake(self) -> TlsScript {
        self.step(Step::HangUpAtHandshake)
    }

    fn drop_connection(self) -> TlsScript {
        self.step(Step::Drop)
    }

    /// MAIL, RCPT, DATA and the message accepted, then QUIT.
    fn then_mail(self) -> TlsScript {
        self.expect(b"MAIL FROM:<me@example.test>\r\n")
            .send(b"250 2.1.0 ok\r\n")
            .expect(b"RCPT TO:<to@example.test>\r\n")
            .send(b"250 2.1.5 ok\r\n")
            .expect(b"DATA\r\n")
            .send(b"354 go ahead\r\n")
            .step(Step::ExpectData)
            .send(b"250 2.0.0 queued\r\n")
            .expect(b"QUIT\r\n")
            .send(b"221 2.0.0 bye\r\n")
    }

    /// The certificate (`server`, `wrong`, `untrusted`: a name from tests/certs.sh).
    fn cert(mut self, name: &'static str) -> TlsScript {
        self.cert = name;
        self
    }

    /// Require a client certificate signed by this CA (a name from tests/certs.sh).
    fn client_ca(mut self, name: &'static str) -> TlsScript {
        self.client_ca = Some(name);
        self
    }

    /// Speak only TLS 1.2.
    fn tls12(mut self) -> TlsScript {
        static TLS12: [&SupportedProtocolVersion; 1] = [&rustls::version::TLS12];
        self.versions = &TLS12;
        self
    }

    fn step(mut self, step: Step) -> TlsScript {
        self.steps.push(step);
        self
    }

    fn start(self, certs: &Path) -> TlsServer {
        let config = server_config(certs, self.cert, self.client_ca, self.versions);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = thread::spawn(move || serve(&listener, self.steps, &config));
        TlsServer { port, handle }
    }
}

struct TlsServer {
    port: u16,
    handle: JoinHandle<Wire>,
}

impl TlsServer {
    fn join(self) -> Wire {
        self.handle.join().expect("the TLS test server panicked")
    }
}

/// What the client sent.
#[derive(Debug, Default)]
struct Wire {
    /// Bytes in clear text (TLS records excluded).
    clear: Vec<u8>,
    /// Bytes of the client's TLS records seen in the clear stream (a ClientHello).
    handshake_bytes: usize,
    /// Application bytes under TLS, decrypted.
    tls: Vec<u8>,
    /// Each DATA payload, `CRLF.CRLF` included.
    data: Vec<Vec<u8>>,
    /// The first difference from the script.
    mismatch: Option<String>,
    /// Why the server's handshake failed.
    handshake_error: Option<String>,
    /// The certificates the client showed (DER), its own first.
    client_chain: Vec<Vec<u8>>,
}

impl Wire {
    #[track_caller]
    fn assert_clean(&self) {
        if let Some(m) = &self.mismatch {
            panic!("{m}\nclear: {}\ntls: {}", show(&self.clear), show(&self.tls));
        }
        assert!(self.handshake_error.is_none(), "{:?}", self.handshake_error);
    }

    fn payload(&self) -> &[u8] {
        assert_eq!(self.data.len(), 1, "expected exactly one DATA payload");
        &self.data[0]
    }
}

enum Io {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ServerConnection, TcpStream>>),
    Gone,
}

struct Conn {
    io: Io,
    deadline: Instant,
    pending: Vec<u8>,
    wire: Wire,
}

enum Stop {
    Mismatch(String),
    Handshake(String),
    Done,
}

fn serve(listener: &TcpListener, steps: Vec<Step>, config: &Arc<ServerConfig>) -> Wire {
    let deadline = Instant::now() + common::LIMIT;
    listener.set_nonblocking(true).unwrap();
    let tcp = loop {
        match listener.accept() {
            Ok((tcp, _)) => break tcp,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(2));
            }
            Err(e) => return Wire { mismatch: Some(format!("no client: {e}")), ..Wire::default() },
        }
    };
    tcp.set_nonblocking(false).unwrap();
    tcp.set_nodelay(true).unwrap();
    let mut conn = Conn { io: Io::Plain(tcp), deadline, pending: Vec::new(), wire: Wire::default() };
    let result = steps.into_iter().try_for_each(|step| conn.run(step, config)).and_then(|()| conn.drain());
    match result {
        Ok(()) | Err(Stop::Done) => {}
        Err(Stop::Mismatch(m)) => {
            eprintln!("TLS test server: {m}");
            conn.wire.mismatch = Some(m);
        }
        Err(Stop::Handshake(e)) => conn.wire.handshake_error = Some(e),
    }
    conn.shutdown();
    conn.wire
}

impl Conn {
    fn run(&mut self, step: Step, config: &Arc<ServerConfig>) -> Result<(), Stop> {
        match step {
            Step::Send(bytes) => self.write(&bytes),
            Step::Expect(want) => {
                let lines = want.iter().filter(|&&b| b == b'\n').count();
                let end = self.fill_until(&want, |p| {
                    p.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(lines.max(1) - 1).map(|(i, _)| i + 1)
                })?;
                let got: Vec<u8> = self.pending.drain(..end).collect();
                if got == want {
                    Ok(())
                } else {
                    Err(Stop::Mismatch(format!("expected {}, got {}", show(&want), show(&got))))
                }
            }
            Step::ExpectData => {
                let end = self.fill_until(b"the message", |p| find(p, b"\r\n.\r\n").map(|i| i + 5))?;
                let payload = self.pending.drain(..end).collect();
                self.wire.data.push(payload);
                Ok(())
            }
            Step::Sleep(pause) => {
                thread::sleep(pause);
                Ok(())
            }
            Step::StartTls => self.start_tls(config),
            Step::HangUpAtHandshake => {
                self.await_handshake()?;
                Err(Stop::Done)
            }
            Step::Drop => {
                match std::mem::replace(&mut self.io, Io::Gone) {
                    Io::Plain(tcp) => tcp.shutdown(Shutdown::Both).ok(),
                    Io::Tls(tls) => tls.sock.shutdown(Shutdown::Both).ok(),
                    Io::Gone => None,
                };
                Err(Stop::Done)
            }
        }
    }

    /// Reads until the client's first TLS record; clear text before it stays in `wire.clear`.
    /// Returns the TLS bytes read so far.
    fn await_handshake(&mut self) -> Result<Vec<u8>, Stop> {
        let start = self.fill_until(b"a TLS handshake", |p| p.iter().position(|&b| b == TLS_HANDSHAKE))?;
        if start > 0 {
            // Clear text between STARTTLS and the handshake: recorded, and a mismatch.
            return Err(Stop::Mismatch(format!("clear text before the handshake: {}", show(&self.pending[..start]))));
        }
        let hello = std::mem::take(&mut self.pending);
        let clear_len = self.wire.clear.len() - hello.len();
        self.wire.clear.truncate(clear_len);
        self.wire.handshake_bytes += hello.len();
        Ok(hello)
    }

    fn start_tls(&mut self, config: &Arc<ServerConfig>) -> Result<(), Stop> {
        if !matches!(self.io, Io::Plain(_)) {
            return Err(Stop::Mismatch("TLS is already up".into()));
        }
        // STARTTLS or implicit TLS: the client's next bytes must be a handshake.
        let early = self.await_handshake()?;
        let Io::Plain(mut tcp) = std::mem::replace(&mut self.io, Io::Gone) else { unreachable!() };
        let mut tls = ServerConnection::new(Arc::clone(config)).unwrap();
        let mut early = early.as_slice();
        while !early.is_empty() {
            tls.read_tls(&mut early).map_err(|e| Stop::Handshake(e.to_string()))?;
            if let Err(e) = tls.process_new_packets() {
                let _ = tls.write_tls(&mut tcp);
                self.io = Io::Plain(tcp);
                return Err(Stop::Handshake(e.to_string()));
            }
        }
        while tls.is_handshaking() {
            let left = self.remaining().map_err(|e| Stop::Handshake(e.to_string()))?;
            tcp.set_read_timeout(Some(left)).ok();
            if let Err(e) = tls.complete_io(&mut tcp) {
                self.io = Io::Plain(tcp);
                return Err(Stop::Handshake(e.to_string()));
            }
        }
        self.wire.client_chain =
            tls.peer_certificates().unwrap_or_default().iter().map(|c| c.as_ref().to_vec()).collect();
        self.io = Io::Tls(Box::new(StreamOwned::new(tls, tcp)));
        Ok(())
    }

    /// After the script: the client may only close the connection.
    fn drain(&mut self) -> Result<(), Stop> {
        if !self.pending.is_empty() {
            return Err(Stop::Mismatch(format!("unexpected bytes after the script: {}", show(&self.pending))));
        }
        match self.read_more() {
            Ok(()) => Err(Stop::Mismatch(format!("unexpected bytes after the script: {}", show(&self.pending)))),
            Err(e) if matches!(e.kind(), io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset) => Ok(()),
            Err(e) => Err(Stop::Mismatch(format!("the client did not close the connection: {e}"))),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Stop> {
        let result = match &mut self.io {
            Io::Plain(tcp) => tcp.write_all(bytes),
            Io::Tls(tls) => tls.write_all(bytes).and_then(|()| tls.flush()),
            Io::Gone => Err(io::ErrorKind::NotConnected.into()),
        };
        // A write failure means the client has gone: what it sent is recorded, the script stops.
        result.map_err(|_| Stop::Done)
    }

    fn fill_until(&mut self, what: &[u8], complete: impl Fn(&[u8]) -> Option<usize>) -> Result<usize, Stop> {
        loop {
            if let Some(end) = complete(&self.pending) {
                return Ok(end);
            }
            self.read_more().map_err(|e| {
                Stop::Mismatch(format!("expected {}, but {e}; unconsumed: {}", show(what), show(&self.pending)))
            })?;
        }
    }

    fn read_more(&mut self) -> io::Result<()> {
        let mut buf = [0u8; 16 * 1024];
        let left = self.remaining()?;
        let read = match &mut self.io {
            Io::Plain(tcp) => {
                tcp.set_read_timeout(Some(left))?;
                tcp.read(&mut buf)
            }
            Io::Tls(tls) => {
                tls.sock.set_read_timeout(Some(left))?;
                tls.read(&mut buf)
            }
            Io::Gone => Err(io::ErrorKind::NotConnected.into()),
        };
        match read {
            Ok(0) => Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the client closed the connection")),
            Ok(n) => {
                self.pending.extend_from_slice(&buf[..n]);
                match self.io {
                    Io::Tls(_) => self.wire.tls.extend_from_slice(&buf[..n]),
                    _ => self.wire.clear.extend_from_slice(&buf[..n]),
                }
                Ok(())
            }
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                Err(io::Error::new(io::ErrorKind::TimedOut, "the server's time limit passed"))
            }
            Err(e) => Err(e),
        }
    }

    fn remaining(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(io::Error::new(io::ErrorKind::TimedOut, "the server's time limit passed"))
        } else {
            Ok(left)
        }
    }

    fn shutdown(&mut self) {
        match &mut self.io {
            Io::Plain(tcp) => {
                tcp.shutdown(Shutdown::Both).ok();
            }
            Io::Tls(tls) => {
                tls.conn.send_close_notify();
                let _ = tls.conn.complete_io(&mut tls.sock);
                tls.sock.shutdown(Shutdown::Both).ok();
            }
            Io::Gone => {}
        }
    }
}
