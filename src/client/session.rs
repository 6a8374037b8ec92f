//! A session: greeting, EHLO (HELO when EHLO is refused), transactions and QUIT (RFC 5321 §3).

use std::time::{Duration, Instant};

use super::{
    connection::Connection,
    error::Error,
    observer::{Event, Observer},
    security::{AuthOptions, TlsMode},
};
use crate::{
    message::dkim::Signer,
    protocol::{Capabilities, ClientId, Command, DataEncoder, Reply, ReplyCode, Stage},
    transport::{connect, display_target, hostname::hostname, TlsSettings},
};

/// The longest wait for the reply to QUIT: the message is already accepted by then.
const QUIT_WAIT: Duration = Duration::from_secs(5);
/// Encoded message bytes gathered before each write.
const WRITE_BUFFER: usize = 128 * 1024;

/// How to open a session: everything that makes two sessions alike. `Debug` shows every field,
/// secrets redacted (credentials, the client key: see their own `Debug`).
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Connect timeout, and the deadline for each whole reply.
    pub timeout: Duration,
    /// The EHLO name; `None` uses this machine's host name, or an address literal.
    pub client_id: Option<ClientId>,
    /// When to use TLS.
    pub tls: TlsMode,
    /// How to check the server's certificate.
    pub tls_settings: TlsSettings,
    /// Log in after EHLO (and TLS).
    pub auth: Option<AuthOptions>,
    /// Bind the local end to this address before connecting (any port).
    pub source_address: Option<std::net::IpAddr>,
}

/// One server to try, with everything needed to open a session to it.
#[derive(Debug, Clone)]
pub struct Server {
    /// Host name or IP address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// How to talk to it.
    pub options: SessionOptions,
}

/// An open SMTP session, greeted and introduced with EHLO or HELO (and TLS and AUTH as asked).
#[derive(Debug)]
pub struct Session {
    pub(super) conn: Connection,
    pub(super) capabilities: Capabilities,
    /// The last raw command got a 334: the next raw line answers an AUTH challenge.
    sasl_pending: bool,
    /// A message is out and the server's reply to it not yet read.
    pub(super) owed: Option<super::delivery::Owed>,
    /// The outcome of that message, once read.
    pub(super) settled: Option<Result<super::delivery::Delivery, Error>>,
    /// `host:port` of the server.
    pub(super) server: String,
    /// The server's greeting.
    pub(super) greeting: Option<Reply>,
    /// The SASL mechanism this session logged in with.
    pub(super) auth_mechanism: Option<&'static str>,
    /// Signs each message sent on this session (DKIM).
    pub(super) signer: Option<Signer>,
    /// The process that opened the connection: a forked child must never talk on it.
    pid: u32,
    /// Messages this session began to send.
    pub(super) messages: u32,
}

impl Session {
    /// Connects (TLS first on 465 or in implicit mode), reads the 220 greeting, introduces the
    /// client, upgrades with STARTTLS as the mode asks, and logs in when credentials are given.
    ///
    /// # Errors
    /// Connection or TLS failure, a greeting other than 220, EHLO and HELO refused, TLS required
    /// but unavailable, or AUTH refused.
    pub fn open(
        host: &str,
        port: u16,
        options: &SessionOptions,
        observer: &mut dyn Observer,
    ) -> Result<Session, Error> {
        let server = display_target(host, port);
        observer.on_event(Event::Connecting(&server));
        let mut stream = connect(host, port, options.timeout, options.source_address)?;
        if options.tls.implicit_on(port) {
            Session::implicit_tls(&mut stream, host, &options.tls_settings, Instant::now() + options.timeout)?;
        }
        let mut session = Session {
            conn: Connection::new(stream, options.timeout),
            capabilities: Capabilities::default(),
            sasl_pending: false,
            owed: None,
            settled: None,
            server,
            greeting: None,
            auth_mechanism: None,
            signer: None,
            pid: std::process::id(),
            messages: 0,
        };
        match session.introduce(host, port, options, observer) {
            Ok(()) => Ok(session),
            Err(error) => {
                session.end(&error, observer);
                Err(error)
            }
        }
    }

    /// Opens a session with the first server that works; the next one is tried after a
    /// connect, TLS or greeting failure, never after a server took part in a transaction.
    ///
    /// # Errors
    /// The last server's error, or the first error that is not worth trying another server for.
    pub fn open_any(servers: &[Server], observer: &mut dyn Observer) -> Result<Session, Error> {
        let mut last = None;
        for server in servers {
            match Session::open(&server.host, server.port, &server.options, observer) {
                Ok(session) => return Ok(session),
                Err(error) if matches!(error.stage(), Stage::Connect | Stage::Tls | Stage::Greeting) => {
                    last = Some(error);
                }
                Err(error) => return Err(error),
            }
        }
        Err(last.unwrap_or_else(|| Error::Refused { stage: Stage::Connect, reason: "no SMTP server given".into() }))
    }

    /// Greeting, EHLO, STARTTLS and EHLO again when due, AUTH when asked.
    fn introduce(
        &mut self,
        host: &str,
        port: u16,
        options: &SessionOptions,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        let greeting = self.conn.read_reply(Stage::Greeting, observer)?;
        if greeting.code() != ReplyCode::SERVICE_READY {
            return Err(Error::Rejected { stage: Stage::Greeting, command: "connect".into(), reply: greeting });
        }
        self.greeting = Some(greeting);
        let client_id = options.client_id.clone().unwrap_or_else(|| default_client_id(&self.conn));
        let helo_allowed = options.tls != TlsMode::Required || self.conn.is_tls();
        self.hello(&client_id, helo_allowed, observer)?;
        if self.wants_starttls(options.tls)? {
            self.starttls(host, &options.tls_settings, observer)?;
            self.hello(&client_id, true, observer)?;
        }
        if let Some(auth) = &options.auth {
            self.authenticate(auth, crate::protocol::Peer { host, port }, observer)?;
        }
        Ok(())
    }

    /// EHLO, or HELO when the server answers EHLO with 5xx (RFC 5321 §3.2). Not after 421 or a
    /// drop, and not when TLS is required and not up yet (HELO cannot lead to STARTTLS).
    fn hello(&mut self, client_id: &ClientId, helo_allowed: bool, observer: &mut dyn Observer) -> Result<(), Error> {
        let ehlo = Command::Ehlo(client_id.clone());
        let reply = self.conn.command(&ehlo, Stage::Ehlo, observer)?;
        if reply.code() == ReplyCode::OK {
            self.capabilities = Capabilities::from_ehlo(&reply);
            return Ok(());
        }
        if !reply.code().is_permanent() || !helo_allowed {
            return Err(rejected(Stage::Ehlo, &ehlo, reply));
        }
        let helo = Command::Helo(client_id.clone());
        self.expect(&helo, Stage::Ehlo, |code| code == ReplyCode::OK, observer)?;
        self.capabilities = Capabilities::default();
        Ok(())
    }

    /// Sends a command and checks its reply code.
    pub(super) fn expect(
        &mut self,
        command: &Command,
        stage: Stage,
        accept: fn(ReplyCode) -> bool,
        observer: &mut dyn Observer,
    ) -> Result<Reply, Error> {
        let reply = self.conn.command(command, stage, observer)?;
        if accept(reply.code()) {
            Ok(reply)
        } else {
            Err(rejected(stage, command, reply))
        }
    }

    /// What the server announced in its EHLO reply (empty after HELO).
    #[must_use]
    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// Messages this session began to send.
    #[must_use]
    pub fn messages(&self) -> u32 {
        self.messages
    }

    /// The server hung up or spoke (a 421) while the session was idle: it cannot carry a
    /// message. Seen without waiting, so a kept connection the server dropped is replaced
    /// before a message is sent on it.
    #[must_use]
    pub fn hung_up(&self) -> bool {
        self.conn.unsettled()
    }

    /// How long since the server last answered.
    #[must_use]
    pub fn idle(&self) -> Duration {
        self.conn.idle()
    }

    /// The deadline of each reply from now on.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.conn.set_timeout(timeout);
    }

    /// The connection was opened by another process (this one is a fork of it): the socket is
    /// shared with that process and must not carry a byte from here, not even QUIT.
    #[must_use]
    pub fn foreign(&self) -> bool {
        self.pid != std::process::id()
    }

    /// Signs the messages sent from now on with `signer` (DKIM), or no more with `None`.
    pub fn sign_with(&mut self, signer: Option<Signer>) {
        self.signer = signer;
    }

    /// Sends a caller's raw command and returns the reply, whatever its code.
    ///
    /// # Errors
    /// An empty command or one with NUL; a timeout or a dropped connection.
    pub fn raw_command(&mut self, text: &[u8], observer: &mut dyn Observer) -> Result<(Reply, String), Error> {
        self.settle(observer);
        let command = if self.sasl_pending { Command::raw_secret(text)? } else { Command::raw(text)? };
        let reply = self.conn.command(&command, Stage::Command, observer)?;
        self.sasl_pending = reply.code().0 == 334;
        Ok((reply, command.display()))
    }

    /// RSET: forget a failed transaction, keep the connection (RFC 5321 §4.1.1.5).
    ///
    /// # Errors
    /// The server refused, or the connection failed.
    pub fn reset(&mut self, observer: &mut dyn Observer) -> Result<(), Error> {
        self.settle(observer);
        self.expect(&Command::Rset, Stage::Command, |code| code == ReplyCode::OK, observer).map(|_| ())
    }

    /// NOOP: the connection still works (checked before reusing an idle connection).
    ///
    /// # Errors
    /// The server refused, or the connection failed.
    pub fn noop(&mut self, observer: &mut dyn Observer) -> Result<(), Error> {
        self.settle(observer);
        self.expect(&Command::Noop, Stage::Command, |code| code == ReplyCode::OK, observer).map(|_| ())
    }

    /// QUIT, a short wait for the reply, and close. Errors here do not matter any more.
    pub fn quit(self, observer: &mut dyn Observer) {
        self.quit_counted(observer);
    }

    /// QUIT as [`quit`](Self::quit) does; the session's round trips, the QUIT included.
    pub fn quit_counted(mut self, observer: &mut dyn Observer) -> u32 {
        if self.foreign() {
            return self.conn.round_trips();
        }
        if self.conn.send(&Command::Quit, Stage::Quit, observer).is_ok() {
            let wait = QUIT_WAIT.min(self.conn.timeout());
            let _ = self.conn.read_reply_within(wait, Stage::Quit, observer);
        }
        self.conn.close();
        self.conn.round_trips()
    }

    /// QUITs many sessions together (the end of the process): QUIT goes out on each, then the
    /// replies are awaited against one deadline, `wait` in all, whatever their number.
    pub fn quit_all(sessions: Vec<Session>, wait: Duration) {
        let deadline = Instant::now() + wait;
        let asked: Vec<(Session, bool)> = sessions
            .into_iter()
            .map(|mut session| {
                session.set_timeout(wait);
                let sent = !session.foreign() && session.conn.send(&Command::Quit, Stage::Quit, &mut ()).is_ok();
                (session, sent)
            })
            .collect();
        for (mut session, sent) in asked {
            let left = deadline.saturating_duration_since(Instant::now());
            if sent && !left.is_zero() {
                let _ = session.conn.read_reply_within(left, Stage::Quit, &mut ());
            }
            if !session.foreign() {
                session.conn.close();
            }
        }
    }

    /// Closes the connection without a word (the server hung up, or spoke out of turn).
    pub fn close(mut self) {
        if !self.foreign() {
            self.conn.close();
        }
    }

    /// Ends a session after an error: QUIT when the server can still hear it, else just close.
    pub fn end(mut self, error: &Error, observer: &mut dyn Observer) {
        observer.on_event(Event::Ending);
        if self.foreign() {
            return;
        }
        if error.connection_usable() {
            self.quit(observer);
        } else {
            self.conn.close();
        }
    }
}

pub(super) fn rejected(stage: Stage, command: &Command, reply: Reply) -> Error {
    Error::Rejected { stage, command: command.display(), reply }
}

/// The message on its way out, gathered into large writes: after DATA dot-stuffed and ended
/// with `.`; after `BDAT n LAST` as is, exactly `n` bytes (RFC 3030).
pub(super) struct DataWriter<'c> {
    conn: &'c mut Connection,
    framing: Framing,
    out: Vec<u8>,
}

enum Framing {
    Dot(DataEncoder),
    /// Bytes still owed to the BDAT size.
    Chunk(u64),
}

impl<'c> DataWriter<'c> {
    /// A writer for the payload of DATA.
    pub(super) fn new(conn: &'c mut Connection, size_hint: usize) -> DataWriter<'c> {
        let capacity = WRITE_BUFFER.min(size_hint + size_hint / 16 + 16);
        DataWriter { conn, framing: Framing::Dot(DataEncoder::default()), out: Vec::with_capacity(capacity) }
    }

    /// A writer for the payload of `BDAT size LAST`; the bytes pushed must be CRLF-clean and
    /// add up to `size`.
    pub(super) fn chunk(conn: &'c mut Connection, size: u64) -> DataWriter<'c> {
        let capacity = WRITE_BUFFER.min(usize::try_from(size).unwrap_or(WRITE_BUFFER) + 64);
        DataWriter { conn, framing: Framing::Chunk(size), out: Vec::with_capacity(capacity) }
    }

    /// Adds message bytes; writes when the buffer is full.
    ///
    /// # Errors
    /// A write failure, or more bytes than a BDAT size announced (the connection must then be
    /// dropped: the server is owed nothing more).
    pub(super) fn push(&mut self, bytes: &[u8]) -> Result<(), Error> {
        match &mut self.framing {
            Framing::Dot(encoder) => encoder.push(bytes, &mut self.out),
            Framing::Chunk(left) => {
                let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
                if len > *left {
                    return Err(size_changed());
                }
                *left -= len;
                self.out.extend_from_slice(bytes);
            }
        }
        if self.out.len() >= WRITE_BUFFER {
            self.conn.write(&self.out, Stage::Data)?;
            self.out.clear();
        }
        Ok(())
    }

    /// Ends the message (with `.` after DATA) and writes what is left.
    ///
    /// # Errors
    /// A write failure, or fewer bytes than a BDAT size announced (nothing more is written:
    /// the server waits for the rest and must not get a message cut short).
    pub(super) fn finish(mut self) -> Result<(), Error> {
        match self.framing {
            Framing::Dot(encoder) => encoder.finish(&mut self.out),
            Framing::Chunk(0) => {}
            Framing::Chunk(_) => return Err(size_changed()),
        }
        self.conn.write(&self.out, Stage::Data)
    }
}

fn size_changed() -> Error {
    Error::Io { stage: Stage::Data, reason: "the message changed size while it was sent (an attachment file?)".into() }
}

/// This machine's host name when it is a valid EHLO name, else the local address as a literal.
fn default_client_id(conn: &Connection) -> ClientId {
    hostname().and_then(|name| ClientId::new(&name).ok()).unwrap_or_else(|| {
        let ip = conn.stream().local_addr().map_or(std::net::Ipv4Addr::LOCALHOST.into(), |a| a.ip());
        ClientId::literal(ip)
    })
}
