//! SASL for AUTH (RFC 4954): PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195) and XOAUTH2, as an
//! exchange of values: the client's lines and the server's 334 challenges. No I/O.

use std::fmt;

use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use md5::Md5;
use thiserror::Error;

use super::{command::Command, reply::Reply};

/// The most challenges one exchange answers; a server that keeps asking is cut off.
pub const MAX_ROUNDS: u8 = 4;

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
}

impl Mechanism {
    /// Chosen in this order when the caller names none: the password-protecting one first.
    /// XOAUTH2 is never chosen by itself: its secret is a token, not a password.
    pub const PREFERENCE: [Mechanism; 3] = [Mechanism::CramMd5, Mechanism::Plain, Mechanism::Login];

    /// The name in EHLO and AUTH.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::CramMd5 => "CRAM-MD5",
            Mechanism::XOAuth2 => "XOAUTH2",
        }
    }

    /// The mechanism of this name (case-insensitive).
    #[must_use]
    pub fn parse(name: &str) -> Option<Mechanism> {
        [Mechanism::Plain, Mechanism::Login, Mechanism::CramMd5, Mechanism::XOAuth2]
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

/// One AUTH exchange in progress.
#[derive(Debug)]
pub struct Exchange<'a> {
    mechanism: Mechanism,
    credentials: &'a Credentials,
    rounds: u8,
}

impl<'a> Exchange<'a> {
    /// Starts an exchange: the AUTH command to send first.
    #[must_use]
    pub fn start(mechanism: Mechanism, credentials: &'a Credentials) -> (Exchange<'a>, Command) {
        let initial = match mechanism {
            Mechanism::Plain => Some(plain(credentials)),
            Mechanism::XOAuth2 => Some(xoauth2(credentials)),
            Mechanism::Login | Mechanism::CramMd5 => None,
        };
        let exchange = Exchange { mechanism, credentials, rounds: 0 };
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
        let text = challenge.lines().first().map_or("", |l| l.trim());
        let line = match self.mechanism {
            Mechanism::Plain if self.rounds == 1 => plain(self.credentials),
            Mechanism::Login if self.rounds == 1 => STANDARD.encode(&self.credentials.user),
            Mechanism::Login if self.rounds == 2 => STANDARD.encode(&self.credentials.secret),
            Mechanism::CramMd5 if self.rounds == 1 => cram_md5(self.credentials, text)?,
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

    fn challenge(text: &str) -> Reply {
        Reply::new(ReplyCode(334), vec![text.to_owned()])
    }

    #[test]
    fn plain_sends_everything_at_once() {
        let creds = Credentials::new("tim", "tanstaaftanstaaf");
        let (_, cmd) = Exchange::start(Mechanism::Plain, &creds);
        assert_eq!(wire(&cmd), "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n");
        assert_eq!(cmd.display(), "AUTH PLAIN ****");
    }

    #[test]
    fn login_answers_two_prompts() {
        let creds = Credentials::new("tim", "secret");
        let (mut ex, cmd) = Exchange::start(Mechanism::Login, &creds);
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
        let (mut ex, cmd) = Exchange::start(Mechanism::CramMd5, &creds);
        assert_eq!(wire(&cmd), "AUTH CRAM-MD5\r\n");
        let (reply, _) =
            parse_reply(b"334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n").unwrap().unwrap();
        let answer = ex.respond(&reply).unwrap();
        assert_eq!(wire(&answer), "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n");
        assert_eq!(ex.respond(&challenge("!!notbase64")), Ok(Command::AuthResponse(String::new())));
        let mut fresh = Exchange::start(Mechanism::CramMd5, &creds).0;
        assert_eq!(fresh.respond(&challenge("!!notbase64")), Err(AuthError::BadChallenge));
    }

    #[test]
    fn xoauth2_sends_the_token_and_acknowledges_an_error() {
        let creds = Credentials::new("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
        let (mut ex, cmd) = Exchange::start(Mechanism::XOAuth2, &creds);
        assert_eq!(
            wire(&cmd),
            "AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==\r\n"
        );
        assert_eq!(wire(&ex.respond(&challenge("eyJzdGF0dXMiOiI0MDEifQ==")).unwrap()), "\r\n");
    }

    #[test]
    fn rounds_are_bounded() {
        let creds = Credentials::new("u", "p");
        let (mut ex, _) = Exchange::start(Mechanism::Login, &creds);
        for _ in 0..MAX_ROUNDS {
            assert!(ex.respond(&challenge("")).is_ok());
        }
        assert_eq!(ex.respond(&challenge("")), Err(AuthError::TooManyRounds));
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let creds = Credentials::new("user", "hunter2");
        assert!(!format!("{creds:?}").contains("hunter2"));
        let (_, cmd) = Exchange::start(Mechanism::Plain, &creds);
        assert!(!cmd.display().contains(&plain(&creds)));
        assert!(!format!("{:?}", Exchange::start(Mechanism::Login, &creds).0).contains("hunter2"));
    }

    #[test]
    fn mechanism_names() {
        assert_eq!(Mechanism::parse("cram-md5"), Some(Mechanism::CramMd5));
        assert_eq!(Mechanism::parse(" XOAUTH2 "), Some(Mechanism::XOAuth2));
        assert_eq!(Mechanism::parse("GSSAPI"), None);
    }
}
