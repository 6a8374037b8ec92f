//! A connection with its read buffer: commands out, whole replies in, each within the timeout.

use std::{
    io,
    sync::Arc,
    time::{Duration, Instant},
};

use rustls::ClientConfig;

use super::{
    error::Error,
    observer::{Event, Observer},
};
use crate::{
    protocol::{parse_reply, Command, Reply, Stage},
    transport::Stream,
};

/// How much to read at once.
const READ_CHUNK: usize = 4096;

/// A connection in use by a session.
#[derive(Debug)]
pub(crate) struct Connection {
    stream: Stream,
    buf: Vec<u8>,
    timeout: Duration,
    /// Times the client waited for the server: the TCP handshake, TLS handshakes, and each
    /// reply read after a write (a pipelined group is one).
    round_trips: u32,
    /// Something was written since the last reply was read.
    awaiting: bool,
    /// When the server last answered (or the connection opened).
    last_heard: Instant,
}

impl Connection {
    pub(crate) fn new(stream: Stream, timeout: Duration) -> Connection {
        let tls = stream.tls_details().map_or(0, |t| t.round_trips());
        Connection {
            stream,
            buf: Vec::with_capacity(READ_CHUNK),
            timeout,
            round_trips: 1 + tls,
            awaiting: false,
            last_heard: Instant::now(),
        }
    }

    /// The server closed the connection, or sent something nobody asked for (a 421 before
    /// hanging up), while it was idle.
    pub(crate) fn unsettled(&self) -> bool {
        !self.buf.is_empty() || self.stream.unsettled()
    }

    /// How long since the server last answered.
    pub(crate) fn idle(&self) -> Duration {
        self.last_heard.elapsed()
    }

    /// The timeout of each reply from now on (a kept connection serves callers with their own).
    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Round trips so far (see the field).
    pub(crate) fn round_trips(&self) -> u32 {
        self.round_trips
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    pub(crate) fn stream(&self) -> &Stream {
        &self.stream
    }

    /// Sends one command and reads its reply.
    pub(crate) fn command(
        &mut self,
        command: &Command,
        stage: Stage,
        observer: &mut dyn Observer,
    ) -> Result<Reply, Error> {
        self.send(command, stage, observer)?;
        self.read_reply(stage, observer)
    }

    /// Sends several commands in one write and reads their replies, in order (RFC 2920).
    pub(crate) fn pipeline(
        &mut self,
        commands: &[(&Command, Stage)],
        observer: &mut dyn Observer,
    ) -> Result<Vec<Reply>, Error> {
        let out = encode_group(commands, 0, observer);
        self.write(&out, first_stage(commands))?;
        self.read_group(commands, observer)
    }

    /// Reads the replies to commands written by [`encode_group`] in one write, in order;
    /// after a 421 no more are read.
    pub(crate) fn read_group(
        &mut self,
        commands: &[(&Command, Stage)],
        observer: &mut dyn Observer,
    ) -> Result<Vec<Reply>, Error> {
        let mut replies = Vec::with_capacity(commands.len());
        for (_, stage) in commands {
            let reply = self.read_reply(*stage, observer)?;
            let closing = reply.closes_connection();
            replies.push(reply);
            if closing {
                // 421: the server is closing the channel; no further reply will come.
                break;
            }
        }
        Ok(replies)
    }

    /// Sends one command without waiting for its reply.
    pub(crate) fn send(&mut self, command: &Command, stage: Stage, observer: &mut dyn Observer) -> Result<(), Error> {
        let mut line = Vec::with_capacity(64);
        command.write_to(&mut line);
        let shown = command.display();
        observer.on_event(match command {
            Command::AuthResponse(_) => Event::Continued(&shown),
            _ => Event::Sent(&shown),
        });
        self.write(&line, stage)
    }

    /// Writes bytes, all of them, within the timeout.
    pub(crate) fn write(&mut self, bytes: &[u8], stage: Stage) -> Result<(), Error> {
        let deadline = Instant::now() + self.timeout;
        self.awaiting = true;
        self.stream.write_all_by(bytes, deadline).map_err(|e| self.io_error(&e, stage))
    }

    /// Reads one whole reply; the timeout covers the reply, not each read.
    pub(crate) fn read_reply(&mut self, stage: Stage, observer: &mut dyn Observer) -> Result<Reply, Error> {
        self.read_reply_within(self.timeout, stage, observer)
    }

    /// Reads one whole reply within `limit`.
    pub(crate) fn read_reply_within(
        &mut self,
        limit: Duration,
        stage: Stage,
        observer: &mut dyn Observer,
    ) -> Result<Reply, Error> {
        let deadline = Instant::now() + limit;
        if std::mem::take(&mut self.awaiting) {
            self.round_trips += 1;
        }
        loop {
            match parse_reply(&self.buf) {
                Ok(Some((reply, used))) => {
                    self.buf.drain(..used);
                    self.last_heard = Instant::now();
                    observer.on_event(Event::Received(&reply));
                    return Ok(reply);
                }
                Ok(None) => {}
                Err(source) => return Err(Error::Protocol { stage, source }),
            }
            let start = self.buf.len();
            self.buf.resize(start + READ_CHUNK, 0);
            let read = self.stream.read_by(self.buf.get_mut(start..).unwrap_or_default(), deadline);
            self.buf.truncate(start + *read.as_ref().unwrap_or(&0));
            match read {
                Ok(0) => return Err(self.refusal(None, stage).unwrap_or(Error::Closed { stage })),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                    return Err(Error::Timeout { stage, seconds: limit.as_secs_f64() })
                }
                Err(e) => return Err(self.io_error(&e, stage)),
            }
        }
    }

    /// The first exchange over TLS failed because the server refused the handshake (see
    /// [`Stream::handshake_refusal`]): `error` is `None` when the server closed the connection.
    fn refusal(&self, error: Option<&io::Error>, stage: Stage) -> Option<Error> {
        if !matches!(stage, Stage::Greeting | Stage::Ehlo) {
            return None;
        }
        self.stream.handshake_refusal(error).map(|refusal| Error::Tls { reason: refusal.to_string() })
    }

    fn io_error(&self, e: &io::Error, stage: Stage) -> Error {
        if let Some(refusal) = self.refusal(Some(e), stage) {
            return refusal;
        }
        match e.kind() {
            io::ErrorKind::TimedOut => Error::Timeout { stage, seconds: self.timeout.as_secs_f64() },
            io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
                Error::Closed { stage }
            }
            _ => Error::Io { stage, reason: e.to_string() },
        }
    }

    /// Upgrades to TLS after the server's 220 to STARTTLS (RFC 3207 §4.2). Bytes the server
    /// sent after that reply and before the handshake are an injection attack: refused.
    pub(crate) fn start_tls(&mut self, host: &str, config: Arc<ClientConfig>) -> Result<(), Error> {
        if !self.buf.is_empty() {
            return Err(Error::Tls {
                reason: "the server sent data after its reply to STARTTLS (an injection attack?)".into(),
            });
        }
        let deadline = Instant::now() + self.timeout;
        self.stream.start_tls(host, config, deadline).map_err(|e| Error::Tls { reason: e.to_string() })?;
        self.round_trips += self.stream.tls_details().map_or(0, |t| t.round_trips());
        Ok(())
    }

    /// TLS is up.
    pub(crate) fn is_tls(&self) -> bool {
        self.stream.is_tls()
    }

    /// The server is on this machine (127.0.0.0/8 or ::1).
    pub(crate) fn peer_is_loopback(&self) -> bool {
        self.stream.peer().ip().is_loopback()
    }

    /// Closes the socket.
    pub(crate) fn close(&mut self) {
        self.stream.close();
    }
}

/// Commands as one write, announced to the observer; `extra` more bytes of room (a BDAT payload
/// to append).
pub(crate) fn encode_group(commands: &[(&Command, Stage)], extra: usize, observer: &mut dyn Observer) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * commands.len() + extra);
    for (command, _) in commands {
        command.write_to(&mut out);
        observer.on_event(Event::Sent(&command.display()));
    }
    out
}

/// The stage a group's write belongs to: its first command's.
pub(crate) fn first_stage(commands: &[(&Command, Stage)]) -> Stage {
    commands.first().map_or(Stage::Mail, |(_, stage)| *stage)
}
