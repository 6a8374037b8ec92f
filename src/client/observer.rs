//! What a session reports as it goes, for debug output and transcripts.

use crate::protocol::Reply;

/// One step of a session.
#[derive(Debug)]
pub enum Event<'a> {
    /// Opening a connection to `host:port`.
    Connecting(&'a str),
    /// A command line went out (without CRLF; secrets masked).
    Sent(&'a str),
    /// A line answering an AUTH challenge went out (masked): part of the AUTH command before it.
    Continued(&'a str),
    /// A reply came in.
    Received(&'a Reply),
    /// The message went out: its head (headers and the blank line) and its size in bytes.
    Message {
        /// Headers as sent, ending with the blank line.
        head: &'a [u8],
        /// Size of head and body.
        size: usize,
    },
    /// The session failed; the text says why.
    Failed(&'a str),
    /// The session is being ended after a failure (a QUIT may follow).
    Ending,
    /// A kept connection could not carry the message (it failed its check, or turned out
    /// stale before the server could have the message): a new connection follows.
    Reconnecting,
    /// RSET after a failed transaction, to keep the connection (not the caller's command).
    Resetting,
}

/// Receives the events of a session.
pub trait Observer {
    /// Called for each event, in order.
    fn on_event(&mut self, event: Event<'_>);
}

/// An observer that ignores everything.
impl Observer for () {
    fn on_event(&mut self, _: Event<'_>) {}
}
