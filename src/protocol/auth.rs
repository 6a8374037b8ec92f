//! SASL for AUTH (RFC 4954): PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195), XOAUTH2 and
//! OAUTHBEARER (RFC 7628), as an exchange of values: the client's lines and the server's 334
//! challenges. No I/O.

use std::fmt;

use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use md5::Md5;
use thiserror::Error;

use super::{command::Command, reply::Reply};

/// The most challenges one exchange answers; a server that keeps asking is cut off.
pub const MAX_ROUNDS: u8 = 4;

/// The longest command line, CRLF included (RFC 5321 §4.5.3.1.4): an AUTH line with its initial
/// response longer than this must not be sent (RFC 4954 §4).
pub const MAX_COMMAND_LINE: usize = 512;

/// A SASL mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    /// `PLAIN`: user and password in one base64 line (RFC 4616).
    Plain,
    /// `LOGIN`: user, then password, each after a prompt.
    Login,
    /// `CRAM-MD5`: an HMAC-MD5 of the server's challenge; the password never crosses (RFC 2195).
    CramMd5,
    /// `XOAUTH2`: an OAuth 2.0 bearer token in place of the password (Google, Microsoft).
    XOAuth2,
    /// `OAUTHBEARER`: an OAuth 2.0 bearer token, the standard way (RFC 7628).
    OAuthBearer,
}

impl Mechanism {
    /// Chosen in this order when the caller names none: the password-protecting one first.
    /// XOAUTH2 and OAUTHBEARER are never chosen by themselves: their secret is a token, not a
    /// password.
    pub const PREFERENCE: [Mechanism; 3] = [Mechanism::CramMd5, Mechanism::Plain, Mechanism::Login];

    /// The name in EHLO and AUTH.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::CramMd5 => "CRAM-MD5",
            Mechanism::XOAuth2 => "XOAUTH2",
            Mechanism::OAuthBearer => "OAUTHBEARER",
        }
    }

    /// The mechanism of this name (case-insensitive).
    #[must_use]
    pub fn parse(name: &str) -> Option<Mechanism> {
        [Mechanism::Plain, Mechanism::Login, Mechanism::CramMd5, Mechanism::XOAuth2, Mechanism::OAuthBearer]
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// A user name and a password (or, for XOAUTH2, a token). `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    user: Vec<u8>,
    secret: Vec<u8>,
}

impl Credentials {
    /// Credentials from a user name and a password or token, as bytes: a password in a
    /// script's own charset goes out as the script wrote it.
    #[must_use]
    pub fn new(user: impl AsRef<[u8]>, secret: impl AsRef<[u8]>) -> Credentials {
        Credentials { user: user.as_ref().to_vec(), secret: secret.as_ref().to_vec() }
    }

    /// The user name.
    #[must_use]
    pub fn user(&self) -> &[u8] {
        &self.user
    }

    /// A digest of user and secret that tells credentials apart without revealing the secret:
    /// HMAC-SHA-256 under a key made at random once per process, so the digest cannot be
    /// checked against guesses outside the process.
    #[must_use]
    pub fn fingerprint(&self) -> String {
        use ring::{hmac, rand::SecureRandom};
        static KEY: std::sync::OnceLock<hmac::Key> = std::sync::OnceLock::new();
        let key = KEY.get_or_init(|| {
            let mut bytes = [0u8; 32];
            // Without randomness the key is a fixed one: the digest still never shows the secret.
            let _ = ring::rand::SystemRandom::new().fill(&mut bytes);
            hmac::Key::new(hmac::HMAC_SHA256, &bytes)
        });
        let mut context = hmac::Context::with_key(key);
        context.update(&u64::try_from(self.user.len()).unwrap_or(u64::MAX).to_be_bytes());
        context.update(&self.user);
        context.update(&self.secret);
        context.sign().as_ref().iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &String::from_utf8_lossy(&self.user))
            .field("secret", &"****")
            .finish()
    }
}

/// Why an exchange cannot go on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthError {
    /// The server kept sending challenges.
    #[error("the server sent more than {MAX_ROUNDS} AUTH challenges")]
    TooManyRounds,
    /// A CRAM-MD5 challenge that is not base64.
    #[error("the server's AUTH challenge is not base64")]
    BadChallenge,
}

/// The server an OAUTHBEARER response names (RFC 7628 §3.1: `host` and `port`).
#[derive(Debug, Clone, Copy)]
pub struct Peer<'a> {
    /// The host name (or address) connected to.
    pub host: &'a str,
    /// The port.
    pub port: u16,
}

/// One AUTH exchange in progress.
#[derive(Debug)]
pub struct Exchange<'a> {
    mechanism: Mechanism,
    credentials: &'a Credentials,
    rounds: u8,
    /// An initial response too long for the AUTH line: sent after the server's first 334.
    deferred: Option<String>,
}

impl<'a> Exchange<'a> {
    /// Starts an exchange: the AUTH command to send first. An initial response that would make
    /// the AUTH line longer than 512 octets is not sent inline (RFC 4954 §4): it answers the
    /// server's empty 334 instead. (OAuth access tokens are often 1,000 to 2,500 characters.)
    #[must_use]
    pub fn start(mechanism: Mechanism, credentials: &'a Credentials, peer: Peer<'_>) -> (Exchange<'a>, Command) {
        let initial = match mechanism {
            Mechanism::Plain => Some(plain(credentials)),
            Mechanism::XOAuth2 => Some(xoauth2(credentials)),
            Mechanism::OAuthBearer => Some(oauthbearer(credentials, peer)),
            Mechanism::Login | Mechanism::CramMd5 => None,
        };
        // "AUTH " + name + " " + response + CRLF.
        let inline_len = |r: &String| 5 + mechanism.name().len() + 1 + r.len() + 2;
        let (initial, deferred) = match initial {
            Some(response) if inline_len(&response) > MAX_COMMAND_LINE => (None, Some(response)),
            other => (other, None),
        };
        let exchange = Exchange { mechanism, credentials, rounds: 0, deferred };
        (exchange, Command::Auth { mechanism: mechanism.name(), initial })
    }

    /// The answer to a 334 challenge.
    ///
    /// # Errors
    /// Too many challenges, or a CRAM-MD5 challenge that is not base64.
    pub fn respond(&mut self, challenge: &Reply) -> Result<Command, AuthError> {
        self.rounds += 1;
        if self.rounds > MAX_ROUNDS {
            return Err(AuthError::TooManyRounds);
        }
        if let Some(initial) = self.deferred.take() {
            return Ok(Command::AuthResponse(initial));
        }
        let text = challenge.lines().first().map_or("", |l| l.trim());
        let line = match self.mechanism {
            Mechanism::Plain if self.rounds == 1 => plain(self.credentials),
            Mechanism::Login if self.rounds == 1 => STANDARD.encode(&self.credentials.user),
            Mechanism::Login if self.rounds == 2 => STANDARD.encode(&self.credentials.secret),
            Mechanism::CramMd5 if self.rounds == 1 => cram_md5(self.credentials, text)?,
            // OAUTHBEARER's error: a 334 with a JSON body, answered with a lone %x01 (RFC 7628
            // §3.2.3); the server then sends its final 5xx.
            Mechanism::OAuthBearer => STANDARD.encode(b"\x01"),
            // An XOAUTH2 error arrives as a 334 with a JSON body; the client answers with an empty
            // line and the server then sends its final 5xx. Any other extra challenge: the same.
            _ => String::new(),
        };
        Ok(Command::AuthResponse(line))
    }
}

fn plain(credentials: &Credentials) -> String {
    STANDARD.encode([b"\0", &credentials.user[..], b"\0", &credentials.secret[..]].concat())
}

fn xoauth2(credentials: &Credentials) -> String {
    STANDARD
        .encode([b"user=", &credentials.user[..], b"\x01auth=Bearer ", &credentials.secret[..], b"\x01\x01"].concat())
}

/// `n,a=user,` ^A `host=` ^A `port=` ^A `auth=Bearer token` ^A ^A (RFC 7628 §3.1).
fn oauthbearer(credentials: &Credentials, peer: Peer<'_>) -> String {
    let gs2 = [b"n,a=", &escape_saslname(&credentials.user)[..], b","].concat();
    let fields = format!("\x01host={}\x01port={}\x01auth=Bearer ", peer.host, peer.port);
    STANDARD.encode([&gs2[..], fields.as_bytes(), &credentials.secret[..], b"\x01\x01"].concat())
}

/// A saslname of RFC 5801 §4: `,` as `=2C` and `=` as `=3D`.
fn escape_saslname(user: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(user.len());
    for &b in user {
        match b {
            b',' => out.extend_from_slice(b"=2C"),
            b'=' => out.extend_from_slice(b"=3D"),
            _ => out.push(b),
        }
    }
    out
}

fn cram_md5(credentials: &Credentials, challenge: &str) -> Result<String, AuthError> {
    let challenge = STANDARD.decode(challenge).map_err(|_| AuthError::BadChallenge)?;
    let mut mac = Hmac::<Md5>::new_from_slice(&credentials.secret).map_err(|_| AuthError::BadChallenge)?;
    mac.update(&challenge);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(STANDARD.encode([&credentials.user[..], b" ", hex.as_bytes()].concat()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::protocol::{reply::parse_reply, ReplyCode};

    fn wire(cmd: &Command) -> String {
        let mut out = Vec::new();
        cmd.write_to(&mut out);
        String::from_utf8(out).unwrap()
    }

    const PEER: Peer<'static> = Peer { host: "smtp.example.com", port: 587 };

    #[track_caller]
    fn unreachable_command(command: &Command) -> String {
        assert!(matches!(command, Command::Auth { .. }), "not an AUTH command: {}", command.display());
        String::new()
    }

    fn challenge(text: &str) -> Reply {
        Reply::new(ReplyCode(334), vec![text.to_owned()])
    }

    #[test]
    fn plain_sends_everything_at_once() {
        let creds = Credentials::new("tim", "tanstaaftanstaaf");
        let (_, cmd) = Exchange::start(Mechanism::Plain, &creds, PEER);
        assert_eq!(wire(&cmd), "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n");
        assert_eq!(cmd.display(), "AUTH PLAIN ****");
    }

    #[test]
    fn login_answers_two_prompts() {
        let creds = Credentials::new("tim", "secret");
        let (mut ex, cmd) = Exchange::start(Mechanism::Login, &creds, PEER);
        assert_eq!(wire(&cmd), "AUTH LOGIN\r\n");
        let user = ex.respond(&challenge("VXNlcm5hbWU6")).unwrap();
        assert_eq!(wire(&user), "dGlt\r\n");
        let pass = ex.respond(&challenge("UGFzc3dvcmQ6")).unwrap();
        assert_eq!(wire(&pass), "c2VjcmV0\r\n");
        assert_eq!(pass.display(), "****");
    }

    #[test]
    fn cram_md5_matches_rfc_2195() {
        let creds = Credentials::new("tim", "tanstaaftanstaaf");
        let (mut ex, cmd) = Exchange::start(Mechanism::CramMd5, &creds, PEER);
        assert_eq!(wire(&cmd), "AUTH CRAM-MD5\r\n");
        let (reply, _) =
            parse_reply(b"334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n").unwrap().unwrap();
        let answer = ex.respond(&reply).unwrap();
        assert_eq!(wire(&answer), "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n");
        assert_eq!(ex.respond(&challenge("!!notbase64")), Ok(Command::AuthResponse(String::new())));
        let mut fresh = Exchange::start(Mechanism::CramMd5, &creds, PEER).0;
        assert_eq!(fresh.respond(&challenge("!!notbase64")), Err(AuthError::BadChallenge));
    }

    #[test]
    fn xoauth2_sends_the_token_and_acknowledges_an_error() {
        let creds = Credentials::new("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
        let (mut ex, cmd) = Exchange::start(Mechanism::XOAuth2, &creds, PEER);
        assert_eq!(
            wire(&cmd),
            "AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==\r\n"
        );
        assert_eq!(wire(&ex.respond(&challenge("eyJzdGF0dXMiOiI0MDEifQ==")).unwrap()), "\r\n");
    }

    #[test]
    fn oauthbearer_matches_rfc_7628_and_answers_an_error_with_a_lone_01() {
        // RFC 7628 §4.1, the initial client response.
        let creds = Credentials::new("user@example.com", "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
        let peer = Peer { host: "server.example.com", port: 143 };
        let (mut ex, cmd) = Exchange::start(Mechanism::OAuthBearer, &creds, peer);
        assert_eq!(
            wire(&cmd),
            "AUTH OAUTHBEARER bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB\r\n"
        );
        assert_eq!(cmd.display(), "AUTH OAUTHBEARER ****");
        // RFC 7628 §4.3: the server's error challenge, then the client's %x01.
        let error = "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=";
        assert_eq!(wire(&ex.respond(&challenge(error)).unwrap()), "AQ==\r\n");
        // RFC 5801: a user name with ',' or '=' is escaped in the GS2 header.
        let odd = Credentials::new("a,b=c", "t");
        let (_, cmd) = Exchange::start(Mechanism::OAuthBearer, &odd, peer);
        let initial = match cmd {
            Command::Auth { initial, .. } => initial.unwrap(),
            other => unreachable_command(&other),
        };
        assert!(STANDARD.decode(initial).unwrap().starts_with(b"n,a=a=2Cb=3Dc,\x01host="));
    }

    #[test]
    fn a_long_initial_response_waits_for_the_server_334() {
        // An access token of 2,000 characters: the AUTH line would be far over 512 octets.
        let token = "x".repeat(2000);
        for mechanism in [Mechanism::XOAuth2, Mechanism::OAuthBearer, Mechanism::Plain] {
            let creds = Credentials::new("someone@example.com", &token);
            let (mut ex, cmd) = Exchange::start(mechanism, &creds, PEER);
            assert_eq!(wire(&cmd), format!("AUTH {}\r\n", mechanism.name()));
            let answer = wire(&ex.respond(&challenge("")).unwrap());
            assert!(answer.len() > 2500 && answer.ends_with("\r\n"), "{mechanism:?}");
            let decoded = STANDARD.decode(answer.trim_end()).unwrap();
            assert!(decoded.windows(token.len()).any(|w| w == token.as_bytes()));
        }
        // The longest inline line is 512 octets, CRLF included; one more byte defers it.
        let fits = |secret_len: usize| {
            let creds = Credentials::new("u", "s".repeat(secret_len));
            let (_, cmd) = Exchange::start(Mechanism::Plain, &creds, PEER);
            wire(&cmd)
        };
        let longest = (0..600)
            .filter(|&n| fits(n).len() <= MAX_COMMAND_LINE && fits(n).starts_with("AUTH PLAIN "))
            .max()
            .unwrap();
        // base64 grows four characters at a time: the longest inline line is 509 to 512 octets.
        assert!((509..=MAX_COMMAND_LINE).contains(&fits(longest).len()), "{}", fits(longest).len());
        assert_eq!(fits(longest + 3), "AUTH PLAIN\r\n");
    }

    #[test]
    fn rounds_are_bounded() {
        let creds = Credentials::new("u", "p");
        let (mut ex, _) = Exchange::start(Mechanism::Login, &creds, PEER);
        for _ in 0..MAX_ROUNDS {
            assert!(ex.respond(&challenge("")).is_ok());
        }
        assert_eq!(ex.respond(&challenge("")), Err(AuthError::TooManyRounds));
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let creds = Credentials::new("user", "hunter2");
        assert!(!format!("{creds:?}").contains("hunter2"));
        let (_, cmd) = Exchange::start(Mechanism::Plain, &creds, PEER);
        assert!(!cmd.display().contains(&plain(&creds)));
        assert!(!format!("{:?}", Exchange::start(Mechanism::Login, &creds, PEER).0).contains("hunter2"));
    }

    #[test]
    fn fingerprints_tell_credentials_apart_and_hide_the_secret() {
        let a = Credentials::new("user", "hunter2");
        assert_eq!(a.fingerprint(), Credentials::new("user", "hunter2").fingerprint());
        assert_ne!(a.fingerprint(), Credentials::new("user", "hunter3").fingerprint());
        assert_ne!(a.fingerprint(), Credentials::new("other", "hunter2").fingerprint());
        // The user's length is hashed first: "ab"+"c" is not "a"+"bc".
        assert_ne!(Credentials::new("ab", "c").fingerprint(), Credentials::new("a", "bc").fingerprint());
        assert_eq!(a.fingerprint().len(), 32);
        assert!(!a.fingerprint().contains("hunter2"));
    }

    #[test]
    fn mechanism_names() {
        assert_eq!(Mechanism::parse("cram-md5"), Some(Mechanism::CramMd5));
        assert_eq!(Mechanism::parse(" XOAUTH2 "), Some(Mechanism::XOAuth2));
        assert_eq!(Mechanism::parse("GSSAPI"), None);
    }
}
