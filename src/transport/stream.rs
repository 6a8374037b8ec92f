//! A TCP stream with TCP_NODELAY, a connect timeout, and reads and writes bounded by deadlines.

use std::{
    io::{self, Read, Write},
    net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs},
    time::{Duration, Instant},
};

use thiserror::Error;

/// Why no connection could be opened.
#[derive(Debug, Error)]
pub enum ConnectError {
    /// The host name did not resolve.
    #[error("resolve {host}: {reason}")]
    Resolve {
        /// The host name.
        host: String,
        /// The resolver's answer.
        reason: String,
    },
    /// Every address of the host refused or timed out; the last error is kept.
    #[error("connect to {target}: {reason}")]
    Connect {
        /// `host:port` as given.
        target: String,
        /// What the operating system said, or "timed out".
        reason: String,
    },
}

/// An open connection to the server.
#[derive(Debug)]
pub struct Stream {
    tcp: TcpStream,
    peer: SocketAddr,
}

/// Opens a TCP connection to `host:port`, trying each resolved address in turn; `timeout`
/// bounds them all together (name resolution itself has no timeout in the standard library). TCP_NODELAY is set: every write here is a whole command or a whole buffer.
///
/// # Errors
/// The host does not resolve, or no address accepts the connection in time.
pub fn connect(host: &str, port: u16, timeout: Duration) -> Result<Stream, ConnectError> {
    let target = display_target(host, port);
    let addresses: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| ConnectError::Resolve {
            host: host.to_owned(),
            reason: os_reason(&e),
        })?
        .collect();
    let deadline = Instant::now() + timeout;
    let mut last = String::from("no address");
    for addr in addresses {
        let Ok(left) = remaining(deadline) else {
            last = "timed out".into();
            break;
        };
        match TcpStream::connect_timeout(&addr, left) {
            Ok(tcp) => {
                tcp.set_nodelay(true).ok();
                return Ok(Stream { tcp, peer: addr });
            }
            Err(e) => last = os_reason(&e),
        }
    }
    Err(ConnectError::Connect { target, reason: last })
}

/// `host:port`, with brackets around an IPv6 address.
#[must_use]
pub fn display_target(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// The OS error text without the `(os error N)` suffix.
fn os_reason(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::TimedOut || e.kind() == io::ErrorKind::WouldBlock {
        return "timed out".into();
    }
    let text = e.to_string();
    match text.find(" (os error") {
        Some(cut) => text.get(..cut).unwrap_or(&text).to_owned(),
        None => text,
    }
}

impl Stream {
    /// Reads what is available into `buf`, waiting until `deadline` at most.
    /// `Ok(0)` means the server closed the connection.
    ///
    /// # Errors
    /// `TimedOut` when the deadline passes, or the socket's error.
    pub fn read_by(&mut self, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
        let remaining = remaining(deadline)?;
        self.tcp.set_read_timeout(Some(remaining))?;
        match self.tcp.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(io::ErrorKind::TimedOut.into()),
            other => other,
        }
    }

    /// Writes all of `bytes`, giving up at `deadline`.
    ///
    /// # Errors
    /// `TimedOut` when the deadline passes, or the socket's error.
    pub fn write_all_by(&mut self, mut bytes: &[u8], deadline: Instant) -> io::Result<()> {
        while !bytes.is_empty() {
            self.tcp.set_write_timeout(Some(remaining(deadline)?))?;
            match self.tcp.write(bytes) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => bytes = bytes.get(n..).unwrap_or_default(),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Err(io::ErrorKind::TimedOut.into()),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The server's address.
    #[must_use]
    pub fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// This side's address, for an EHLO address literal.
    #[must_use]
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.tcp.local_addr().ok()
    }

    /// Closes both directions now.
    pub fn close(&self) {
        self.tcp.shutdown(Shutdown::Both).ok();
    }
}

fn remaining(deadline: Instant) -> io::Result<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        Err(io::ErrorKind::TimedOut.into())
    } else {
        Ok(left)
    }
}
