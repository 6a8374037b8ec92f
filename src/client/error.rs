//! Errors of a session; the server's reply travels inside.

use thiserror::Error;

use crate::{
    message::legacy::InputError,
    protocol::{CommandError, Reply, ReplyError, Stage},
    transport::ConnectError,
};

/// What went wrong in a session, and at which stage.
#[derive(Debug, Error)]
pub enum Error {
    /// The caller's input cannot make a correct command or message; nothing was sent.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A command argument is invalid; nothing was sent.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// The message cannot be signed as configured (DKIM); nothing was sent.
    #[error("{0}")]
    Signing(String),
    /// No connection could be opened.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// No complete reply arrived in time.
    #[error("timed out after {seconds}s waiting for the {stage} reply")]
    Timeout {
        /// Where it happened.
        stage: Stage,
        /// The timeout.
        seconds: f64,
    },
    /// The server closed the connection.
    #[error("the server closed the connection at {stage}")]
    Closed {
        /// Where it happened.
        stage: Stage,
    },
    /// Reading or writing failed.
    #[error("network error at {stage}: {reason}")]
    Io {
        /// Where it happened.
        stage: Stage,
        /// What the operating system said.
        reason: String,
    },
    /// The server sent something that is not an SMTP reply.
    #[error("protocol error at {stage}: {source}")]
    Protocol {
        /// Where it happened.
        stage: Stage,
        /// What was wrong.
        source: ReplyError,
    },
    /// TLS failed: the handshake, the certificate, or data injected around STARTTLS. The
    /// connection is closed.
    #[error("{reason}")]
    Tls {
        /// Why.
        reason: String,
    },
    /// The client refused to go on: TLS required but unavailable, credentials without TLS, no
    /// usable AUTH mechanism. Nothing secret was sent.
    #[error("{reason}")]
    Refused {
        /// Where it happened.
        stage: Stage,
        /// Why.
        reason: String,
    },
    /// The server refused a command.
    #[error("{stage} refused: {reply}")]
    Rejected {
        /// Where it happened.
        stage: Stage,
        /// The command that was refused, as `$lastact` shows it.
        command: String,
        /// The server's reply.
        reply: Reply,
    },
    /// The server refused every recipient; nothing was sent.
    #[error("every recipient was refused: {}", summary(rejected))]
    RecipientsRejected {
        /// Each address with the server's reply.
        rejected: Vec<(String, Reply)>,
    },
}

fn summary(rejected: &[(String, Reply)]) -> String {
    rejected.iter().map(|(address, reply)| format!("<{address}> {reply}")).collect::<Vec<_>>().join("; ")
}

impl Error {
    /// The stage the error belongs to.
    #[must_use]
    pub fn stage(&self) -> Stage {
        match self {
            Error::Input(_) | Error::Command(_) | Error::Signing(_) => Stage::Input,
            Error::Connect(_) => Stage::Connect,
            Error::Tls { .. } => Stage::Tls,
            Error::Timeout { stage, .. }
            | Error::Closed { stage }
            | Error::Io { stage, .. }
            | Error::Refused { stage, .. }
            | Error::Protocol { stage, .. }
            | Error::Rejected { stage, .. } => *stage,
            Error::RecipientsRejected { .. } => Stage::Rcpt,
        }
    }

    /// The server's reply, when the server refused something.
    #[must_use]
    pub fn reply(&self) -> Option<&Reply> {
        match self {
            Error::Rejected { reply, .. } => Some(reply),
            Error::RecipientsRejected { rejected } => rejected.first().map(|(_, reply)| reply),
            _ => None,
        }
    }

    /// The kept connection had gone stale before the transaction began (the server closed it,
    /// or said 421): nothing was accepted, so the transaction can run again on a new one.
    #[must_use]
    pub fn is_stale_connection(&self) -> bool {
        match self {
            Error::Closed { stage: Stage::Mail } | Error::Io { stage: Stage::Mail, .. } => true,
            Error::Rejected { stage: Stage::Mail, reply, .. } => reply.code().0 == 421,
            _ => false,
        }
    }

    /// The connection can still carry commands: nothing was sent, or the server refused in a reply
    /// (other than 421, which closes the channel).
    #[must_use]
    pub fn connection_usable(&self) -> bool {
        match self {
            Error::Input(_) | Error::Command(_) | Error::Signing(_) | Error::Refused { .. } => true,
            Error::Rejected { reply, .. } => !reply.closes_connection(),
            Error::RecipientsRejected { rejected } => !rejected.iter().any(|(_, reply)| reply.closes_connection()),
            _ => false,
        }
    }
}
