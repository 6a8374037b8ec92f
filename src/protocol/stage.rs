//! The stages of an SMTP session, as named in errors and exceptions.

use std::fmt;

/// Where in a session something happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Opening the TCP connection.
    Connect,
    /// TLS handshake.
    Tls,
    /// Waiting for the server's 220 greeting.
    Greeting,
    /// EHLO or HELO.
    Ehlo,
    /// AUTH.
    Auth,
    /// MAIL FROM.
    Mail,
    /// RCPT TO.
    Rcpt,
    /// DATA and the message that follows it.
    Data,
    /// QUIT.
    Quit,
    /// A command given by the caller (`do_command`).
    Command,
    /// Checking the caller's input, before anything goes on the wire.
    Input,
}

impl Stage {
    /// The lowercase name PHP users see (`getStage()`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Connect => "connect",
            Stage::Tls => "tls",
            Stage::Greeting => "greeting",
            Stage::Ehlo => "ehlo",
            Stage::Auth => "auth",
            Stage::Mail => "mail",
            Stage::Rcpt => "rcpt",
            Stage::Data => "data",
            Stage::Quit => "quit",
            Stage::Command => "command",
            Stage::Input => "input",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
