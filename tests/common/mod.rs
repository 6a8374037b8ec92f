//! A scripted fake SMTP server for the session tests, in the style of imap-next's `Mock`.
//!
//! A test writes what the server says and what it expects to hear, byte for byte:
//!
//! ```ignore
//! let server = Script::new()
//!     .send(b"220 hi\r\n")
//!     .expect(b"EHLO client.test\r\n")
//!     .send(b"250 ok\r\n")
//!     .start();
//! // ... run the client against server.port ...
//! let transcript = server.join();
//! transcript.assert_clean();
//! ```
//!
//! The server runs in a thread on 127.0.0.1:0 and serves one connection. `expect` reads what it
//! expects (as many lines as it holds) and compares; the first mismatch stops the script. After the
//! last step the server reads until the client closes: any byte the client sends then is a
//! mismatch too, so a script states the whole conversation. `join` hands back everything the
//! client sent, the DATA payloads and the mismatch, if any. Every wait is bounded by [`LIMIT`], so
//! a test cannot hang.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::{
    io::{self, Read, Write},
    net::{Shutdown, TcpListener, TcpStream},
    thread::{self, JoinHandle},
    time::{Duration, Instant},
};

/// The longest a server lives, from `start` to its last step.
pub const LIMIT: Duration = Duration::from_secs(10);

/// One step of a script.
#[derive(Debug, Clone)]
enum Step {
    /// Write these bytes.
    Send(Vec<u8>),
    /// Write these bytes `chunk` bytes at a time, pausing `interval` after each.
    Drip { bytes: Vec<u8>, chunk: usize, interval: Duration },
    /// Read as many lines as these bytes hold (or as many bytes, without LF) and compare.
    Expect(Vec<u8>),
    /// Read the message up to and including `CRLF.CRLF`, and keep it.
    ExpectData,
    /// Read `n` bytes, whatever they are.
    ReadSome(usize),
    /// Read a BDAT chunk of `n` bytes, and keep it as a payload.
    ExpectChunk(usize),
    /// Read a `BDAT n LAST` line, whatever `n`, and the chunk; keep the chunk.
    ExpectBdat,
    /// Pause.
    Sleep(Duration),
    /// Half-close: the client reads end-of-file; the server goes on reading.
    Close,
    /// Close the socket at once, unread bytes and all, and stop.
    Abort,
}

/// A script: the steps one server runs on its one connection.
#[derive(Debug, Clone, Default)]
pub struct Script(Vec<Step>);

impl Script {
    pub fn new() -> Script {
        Script::default()
    }

    /// The usual opening: a 220 greeting, `EHLO client.test`, and `ehlo_reply`.
    pub fn greeted(ehlo_reply: &[u8]) -> Script {
        Script::new().send(b"220 server.test ESMTP\r\n").expect(b"EHLO client.test\r\n").send(ehlo_reply)
    }

    pub fn send(self, bytes: &[u8]) -> Script {
        self.step(Step::Send(bytes.to_vec()))
    }

    /// One byte every `interval`.
    pub fn drip(self, bytes: &[u8], interval: Duration) -> Script {
        self.step(Step::Drip { bytes: bytes.to_vec(), chunk: 1, interval })
    }

    /// `chunk` bytes every `interval`; the transcript's `written` tells how far it got.
    pub fn send_slowly(self, bytes: &[u8], chunk: usize, interval: Duration) -> Script {
        self.step(Step::Drip { bytes: bytes.to_vec(), chunk, interval })
    }

    pub fn expect(self, bytes: &[u8]) -> Script {
        self.step(Step::Expect(bytes.to_vec()))
    }

    pub fn expect_data(self) -> Script {
        self.step(Step::ExpectData)
    }

    /// A BDAT payload of exactly `n` bytes, kept in the transcript's `data`.
    pub fn expect_chunk(self, n: usize) -> Script {
        self.step(Step::ExpectChunk(n))
    }

    /// `BDAT n LAST` and its `n` bytes, kept in the transcript's `data`.
    pub fn expect_bdat(self) -> Script {
        self.step(Step::ExpectBdat)
    }

    pub fn read_some(self, n: usize) -> Script {
        self.step(Step::ReadSome(n))
    }

    pub fn sleep(self, pause: Duration) -> Script {
        self.step(Step::Sleep(pause))
    }

    pub fn close(self) -> Script {
        self.step(Step::Close)
    }

    pub fn abort(self) -> Script {
        self.step(Step::Abort)
    }

    fn step(mut self, step: Step) -> Script {
        self.0.push(step);
        self
    }

    /// Binds 127.0.0.1:0 and runs the script on the first connection, in a thread.
    pub fn start(self) -> Server {
        self.serve(listener())
    }

    /// Runs the script on the first connection to `listener` (bound beforehand when the script
    /// needs to know its port), in a thread.
    pub fn serve(self, listener: TcpListener) -> Server {
        let port = listener.local_addr().expect("local address").port();
        let handle = thread::spawn(move || run(&listener, self.0, Instant::now() + LIMIT));
        Server { port, handle }
    }
}

/// A listener on 127.0.0.1 and a free port.
pub fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0")
}

/// Serves one connection per script, in order, on one port: the first client connection gets
/// the first script, the next one the second, and so on.
pub fn start_each(scripts: Vec<Script>) -> Servers {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    let handle = thread::spawn(move || {
        let deadline = Instant::now() + LIMIT;
        scripts.into_iter().map(|script| run(&listener, script.0, deadline)).collect()
    });
    Servers { port, handle }
}

/// Fake servers that take connections one after another.
#[derive(Debug)]
pub struct Servers {
    pub port: u16,
    handle: JoinHandle<Vec<Transcript>>,
}

impl Servers {
    /// Waits for every script to end; one transcript per connection.
    pub fn join(self) -> Vec<Transcript> {
        self.handle.join().expect("the fake server thread panicked")
    }
}

/// A running fake server.
#[derive(Debug)]
pub struct Server {
    pub port: u16,
    handle: JoinHandle<Transcript>,
}

impl Server {
    /// A session with this server as `client.test`, with a 5 s timeout; panics when it fails.
    pub fn open(&self) -> sendmail::client::Session {
        let options = sendmail::client::SessionOptions {
            timeout: Duration::from_secs(5),
            client_id: Some(sendmail::protocol::ClientId::new("client.test").unwrap()),
            ..sendmail::client::SessionOptions::default()
        };
        sendmail::client::Session::open("127.0.0.1", self.port, &options, &mut ()).unwrap()
    }

    /// Waits for the script to end (the client must have closed or be about to).
    pub fn join(self) -> Transcript {
        self.handle.join().expect("the fake server thread panicked")
    }
}

/// What happened on the server's side.
#[derive(Debug, Default)]
pub struct Transcript {
    /// Every byte the client sent, in order.
    pub received: Vec<u8>,
    /// Each `expect_data` payload, `CRLF.CRLF` included, and each `expect_chunk`.
    pub data: Vec<Vec<u8>>,
    /// The first difference between the script and what the client did.
    pub mismatch: Option<String>,
    /// Why the server stopped writing early (the client had gone), if it did.
    pub write_error: Option<String>,
    /// Bytes the server wrote.
    pub written: usize,
}

impl Transcript {
    /// The client said exactly what the script expected, and nothing more.
    pub fn assert_clean(&self) {
        if let Some(mismatch) = &self.mismatch {
            panic!("{mismatch}\nthe client sent: {}", show(&self.received));
        }
    }

    /// The one DATA payload.
    pub fn payload(&self) -> &[u8] {
        assert_eq!(self.data.len(), 1, "expected exactly one DATA payload");
        &self.data[0]
    }
}

/// Bytes as an escaped string, for messages.
pub fn show(bytes: &[u8]) -> String {
    format!("\"{}\"", bytes.escape_ascii())
}

/// Why a script stopped before its end.
enum Stop {
    /// The client did something else than the script says.
    Mismatch(String),
    /// A write failed: the client is gone.
    WriteFailed(String),
    /// The script aborted the connection.
    Aborted,
}

struct Conn {
    stream: TcpStream,
    deadline: Instant,
    /// Read but not yet consumed by a step.
    pending: Vec<u8>,
    transcript: Transcript,
}

fn run(listener: &TcpListener, steps: Vec<Step>, deadline: Instant) -> Transcript {
    let stream = match accept(listener, deadline) {
        Ok(stream) => stream,
        Err(e) => return Transcript { mismatch: Some(format!("no client connected: {e}")), ..Transcript::default() },
    };
    let mut conn = Conn { stream, deadline, pending: Vec::new(), transcript: Transcript::default() };
    let stop = steps.into_iter().try_for_each(|step| conn.run(step)).and_then(|()| conn.drain());
    match stop {
        Ok(()) | Err(Stop::Aborted) => {}
        Err(Stop::Mismatch(m)) => {
            // Shown with the test's output if it fails, whichever assertion fails first.
            eprintln!("fake server: {m}");
            conn.transcript.mismatch = Some(m);
        }
        Err(Stop::WriteFailed(e)) => conn.transcript.write_error = Some(e),
    }
    conn.stream.shutdown(Shutdown::Both).ok();
    conn.transcript
}

fn accept(listener: &TcpListener, deadline: Instant) -> io::Result<TcpStream> {
    listener.set_nonblocking(true)?;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false)?;
                stream.set_nodelay(true)?;
                return Ok(stream);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(2));
            }
            Err(e) => return Err(e),
        }
    }
}

impl Conn {
    fn run(&mut self, step: Step) -> Result<(), Stop> {
        match step {
            Step::Send(bytes) => self.write(&bytes),
            Step::Drip { bytes, chunk, interval } => bytes.chunks(chunk).try_for_each(|piece| {
                self.write(piece)?;
                self.pause(interval);
                Ok(())
            }),
            Step::Expect(want) => {
                let got = match want.iter().filter(|&&b| b == b'\n').count() {
                    0 => self.take(want.len(), &want)?,
                    lines => self.take_lines(lines, &want)?,
                };
                if got == want {
                    Ok(())
                } else {
                    Err(Stop::Mismatch(format!("expected {}, got {}", show(&want), show(&got))))
                }
            }
            Step::ExpectData => {
                let end = self.fill_until(b"the message", |p| find(p, b"\r\n.\r\n").map(|i| i + 5))?;
                let payload = self.pending.drain(..end).collect();
                self.transcript.data.push(payload);
                Ok(())
            }
            Step::ReadSome(n) => self.take(n, b"some bytes").map(drop),
            Step::ExpectBdat => {
                let line = self.take_lines(1, b"BDAT n LAST")?;
                let size = std::str::from_utf8(&line)
                    .ok()
                    .and_then(|l| l.strip_prefix("BDAT ")?.strip_suffix(" LAST\r\n")?.parse().ok())
                    .ok_or_else(|| Stop::Mismatch(format!("expected BDAT n LAST, got {}", show(&line))))?;
                self.run(Step::ExpectChunk(size))
            }
            Step::ExpectChunk(n) => {
                let chunk = self.take(n, b"a BDAT chunk")?;
                self.transcript.data.push(chunk);
                Ok(())
            }
            Step::Sleep(pause) => {
                self.pause(pause);
                Ok(())
            }
            Step::Close => {
                self.stream.shutdown(Shutdown::Write).ok();
                Ok(())
            }
            Step::Abort => Err(Stop::Aborted),
        }
    }

    /// After the script: the client may only close the connection.
    fn drain(&mut self) -> Result<(), Stop> {
        if !self.pending.is_empty() {
            return Err(Stop::Mismatch(format!("unexpected bytes after the script: {}", show(&self.pending))));
        }
        match self.read_more() {
            Ok(()) => Err(Stop::Mismatch(format!("unexpected bytes after the script: {}", show(&self.pending)))),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(()),
            // A reset is the client closing with our bytes unread: a close all the same.
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => Ok(()),
            Err(e) => Err(Stop::Mismatch(format!("the client did not close the connection: {e}"))),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Stop> {
        let failed = |e: io::Error| Stop::WriteFailed(e.to_string());
        self.stream.set_write_timeout(Some(self.remaining().map_err(failed)?)).map_err(failed)?;
        self.stream.write_all(bytes).map_err(failed)?;
        self.transcript.written += bytes.len();
        Ok(())
    }

    fn pause(&self, pause: Duration) {
        thread::sleep(pause.min(self.deadline.saturating_duration_since(Instant::now())));
    }

    /// Consumes exactly `n` bytes.
    fn take(&mut self, n: usize, what: &[u8]) -> Result<Vec<u8>, Stop> {
        self.fill_until(what, |p| (p.len() >= n).then_some(n))?;
        Ok(self.pending.drain(..n).collect())
    }

    /// Consumes `lines` lines, each ending with LF.
    fn take_lines(&mut self, lines: usize, what: &[u8]) -> Result<Vec<u8>, Stop> {
        let end = self.fill_until(what, |p| {
            p.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(lines - 1).map(|(i, _)| i + 1)
        })?;
        Ok(self.pending.drain(..end).collect())
    }

    /// Reads until `complete` finds where the awaited bytes end in `pending`.
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

    /// One read into `pending`; end-of-file is an error.
    fn read_more(&mut self) -> io::Result<()> {
        let mut buf = [0u8; 16 * 1024];
        self.stream.set_read_timeout(Some(self.remaining()?))?;
        loop {
            return match self.stream.read(&mut buf) {
                Ok(0) => Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the client closed the connection")),
                Ok(n) => {
                    self.pending.extend_from_slice(&buf[..n]);
                    self.transcript.received.extend_from_slice(&buf[..n]);
                    Ok(())
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    Err(io::Error::new(io::ErrorKind::TimedOut, "the server's time limit passed"))
                }
                Err(e) => Err(e),
            };
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
}

/// Where `needle` first occurs in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
