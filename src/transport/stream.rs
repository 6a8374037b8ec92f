//! A TCP stream with TCP_NODELAY, a connect timeout, and reads and writes bounded by deadlines;
//! TLS on top of it, from the first byte or after STARTTLS.

use std::{
    io::{self, Read, Write},
    net::{IpAddr, Shutdown, SocketAddr, TcpStream, ToSocketAddrs},
    sync::Arc,
    time::{Duration, Instant},
};

use rustls::{ClientConfig, ClientConnection, StreamOwned};
use socket2::{Domain, Protocol, Socket, Type};
use thiserror::Error;

use super::tls::{describe, server_name, TlsError};

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

/// The negotiated TLS session, for `probe()`.
#[derive(Debug, Clone)]
pub struct TlsDetails {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The cipher suite, e.g. `TLS13_AES_256_GCM_SHA384`.
    pub cipher: String,
    /// The server's own certificate, DER.
    pub certificate: Option<Vec<u8>>,
    /// The handshake resumed an earlier session.
    pub resumed: bool,
}

impl TlsDetails {
    /// Round trips the handshake took: TLS 1.3 one, TLS 1.2 two (one when resumed).
    #[must_use]
    pub fn round_trips(&self) -> u32 {
        if self.version == "TLSv1.2" && !self.resumed {
            2
        } else {
            1
        }
    }
}

/// An open connection to the server.
#[derive(Debug)]
pub struct Stream {
    inner: Inner,
    peer: SocketAddr,
    /// Where TLS stands, once started: what a refusal right after the handshake is read with.
    tls_state: TlsState,
}

/// What the handshake left for reading the server's first answer over TLS.
#[derive(Debug, Default)]
struct TlsState {
    /// The name TLS was started for.
    host: String,
    /// The client had a certificate to show.
    certificate_offered: bool,
    /// Application data has come over TLS.
    data_seen: bool,
}

#[derive(Debug)]
enum Inner {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
    /// After a failed TLS handshake: nothing more may cross.
    Closed,
}

/// Why a TLS handshake failed.
#[derive(Debug, Error)]
pub enum HandshakeError {
    /// The configuration or the server name.
    #[error(transparent)]
    Setup(#[from] TlsError),
    /// The handshake itself: certificate, protocol, or the network.
    #[error("TLS handshake with {host} failed: {reason}")]
    Failed {
        /// The server name.
        host: String,
        /// Why.
        reason: String,
    },
}

/// Opens a TCP connection to `host:port`, trying each resolved address in turn; `timeout`
/// bounds them all together (name resolution included). TCP_NODELAY is set: every write here
/// is a whole command or a whole buffer. With `source`, the local end is bound to that address
/// (any port) first, and only the server's addresses of the same family are tried.
///
/// # Errors
/// The host does not resolve, no address of the source's family, the source address cannot be
/// bound, or no address accepts the connection in time.
pub fn connect(host: &str, port: u16, timeout: Duration, source: Option<IpAddr>) -> Result<Stream, ConnectError> {
    let target = display_target(host, port);
    let deadline = Instant::now() + timeout;
    let addresses = resolve(host, port, timeout, |name, port| {
        (name.as_str(), port).to_socket_addrs().map(Iterator::collect).map_err(|e| os_reason(&e))
    })?;
    let usable: Vec<SocketAddr> =
        addresses.iter().copied().filter(|addr| source.is_none_or(|ip| ip.is_ipv4() == addr.is_ipv4())).collect();
    if let (Some(ip), true) = (source, usable.is_empty() && !addresses.is_empty()) {
        return Err(ConnectError::Connect { target, reason: family_mismatch(ip, host) });
    }
    let mut last = String::from("no address");
    for addr in usable {
        let Ok(left) = remaining(deadline) else {
            last = "timed out".into();
            break;
        };
        match open(addr, source, left) {
            Ok(tcp) => {
                tcp.set_nodelay(true).ok();
                return Ok(Stream { inner: Inner::Plain(tcp), peer: addr, tls_state: TlsState::default() });
            }
            Err(reason) => last = reason,
        }
    }
    Err(ConnectError::Connect { target, reason: last })
}

/// One TCP connection attempt, from `source` (port 0: any) when given.
fn open(addr: SocketAddr, source: Option<IpAddr>, timeout: Duration) -> Result<TcpStream, String> {
    let Some(ip) = source else {
        return TcpStream::connect_timeout(&addr, timeout).map_err(|e| os_reason(&e));
    };
    let socket =
        Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP)).map_err(|e| os_reason(&e))?;
    socket
        .bind(&SocketAddr::new(ip, 0).into())
        .map_err(|e| format!("cannot use the source address {ip}: {}", os_reason(&e)))?;
    socket.connect_timeout(&addr.into(), timeout).map_err(|e| os_reason(&e))?;
    Ok(socket.into())
}

/// Why a source address cannot reach any of the host's addresses.
fn family_mismatch(source: IpAddr, host: &str) -> String {
    let (own, other) = if source.is_ipv4() { ("IPv4", "IPv6") } else { ("IPv6", "IPv4") };
    format!("the source address {source} is {own}, and {host} has only {other} addresses")
}

/// A host's addresses within `timeout`. An IP address needs no lookup; a name is looked up on
/// a thread of its own, so a resolver that does not answer cannot hold the caller past the
/// timeout (the lookup is left to finish in the background).
fn resolve(
    host: &str,
    port: u16,
    timeout: Duration,
    lookup: impl FnOnce(String, u16) -> Result<Vec<SocketAddr>, String> + Send + 'static,
) -> Result<Vec<SocketAddr>, ConnectError> {
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let failed = |reason: String| ConnectError::Resolve { host: host.to_owned(), reason };
    let (sender, receiver) = std::sync::mpsc::channel();
    let name = host.to_owned();
    std::thread::Builder::new()
        .name("sendmail-resolve".into())
        .spawn(move || {
            let _ = sender.send(lookup(name, port));
        })
        .map_err(|e| failed(format!("cannot start the lookup: {e}")))?;
    match receiver.recv_timeout(timeout) {
        Ok(result) => result.map_err(failed),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            Err(failed(format!("no answer from the resolver within {}s", timeout.as_secs_f64())))
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(failed("the lookup failed".into())),
    }
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
    /// Runs the TLS handshake as client and returns the encrypted stream. `host` is the name
    /// (or IP address) the certificate must be valid for.
    ///
    /// # Errors
    /// A bad server name, a refused certificate, a protocol error, a timeout or a dropped link.
    pub fn start_tls(
        &mut self,
        host: &str,
        config: Arc<ClientConfig>,
        deadline: Instant,
    ) -> Result<(), HandshakeError> {
        let Inner::Plain(mut tcp) = std::mem::replace(&mut self.inner, Inner::Closed) else {
            return Err(HandshakeError::Failed { host: host.to_owned(), reason: "TLS is already up".into() });
        };
        let failed = |reason: String| HandshakeError::Failed { host: host.to_owned(), reason };
        let certificate_offered = config.client_auth_cert_resolver.has_certs();
        let mut conn = ClientConnection::new(config, server_name(host)?).map_err(|e| failed(e.to_string()))?;
        while conn.is_handshaking() {
            let left = remaining(deadline).map_err(|_| failed("timed out".into()))?;
            tcp.set_read_timeout(Some(left)).ok();
            tcp.set_write_timeout(Some(left)).ok();
            if let Err(e) = conn.complete_io(&mut tcp) {
                tcp.shutdown(Shutdown::Both).ok();
                return Err(failed(handshake_reason(&e, host)));
            }
        }
        self.inner = Inner::Tls(Box::new(StreamOwned::new(conn, tcp)));
        self.tls_state = TlsState { host: host.to_owned(), certificate_offered, data_seen: false };
        Ok(())
    }

    /// The handshake failure behind an error of the first exchange over TLS: in TLS 1.3 the
    /// client's handshake is over before the server has checked the client (its certificate
    /// above all), so the server's refusal comes with the first read. It is a TLS alert
    /// (`error`), or, from servers that send none, the connection closed (`error` is `None`)
    /// or reset before anything came over TLS 1.3. `None` for any other error.
    #[must_use]
    pub fn handshake_refusal(&self, error: Option<&io::Error>) -> Option<HandshakeError> {
        let Inner::Tls(tls) = &self.inner else { return None };
        let state = &self.tls_state;
        let failed = |reason: String| Some(HandshakeError::Failed { host: state.host.clone(), reason });
        if let Some(alert) = error.and_then(super::tls::alert_received) {
            return failed(describe(alert, &state.host));
        }
        let dropped = error.is_none_or(|e| {
            matches!(
                e.kind(),
                io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted | io::ErrorKind::BrokenPipe
            )
        });
        let tls13 = tls.conn.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3);
        if dropped && tls13 && !state.data_seen {
            return failed(super::tls::closed_at_handshake_end(state.certificate_offered));
        }
        None
    }

    /// TLS is up.
    #[must_use]
    pub fn is_tls(&self) -> bool {
        matches!(self.inner, Inner::Tls(_))
    }

    /// The negotiated TLS version, e.g. `TLSv1.3`.
    #[must_use]
    pub fn tls_version(&self) -> Option<String> {
        match &self.inner {
            Inner::Tls(tls) => tls.conn.protocol_version().map(|v| format!("{v:?}").replace("_", ".")),
            Inner::Plain(_) | Inner::Closed => None,
        }
    }

    /// What was negotiated, once TLS is up: version, cipher suite, the server's certificate
    /// (DER) and whether the session was resumed.
    #[must_use]
    pub fn tls_details(&self) -> Option<TlsDetails> {
        let Inner::Tls(tls) = &self.inner else { return None };
        let conn = &tls.conn;
        Some(TlsDetails {
            version: conn.protocol_version().map(|v| format!("{v:?}").replace('_', "."))?,
            cipher: conn.negotiated_cipher_suite().map(|c| format!("{:?}", c.suite())).unwrap_or_default(),
            certificate: conn.peer_certificates().and_then(|c| c.first()).map(|c| c.as_ref().to_vec()),
            resumed: conn.handshake_kind() == Some(rustls::HandshakeKind::Resumed),
        })
    }

    fn tcp(&self) -> io::Result<&TcpStream> {
        match &self.inner {
            Inner::Plain(tcp) => Ok(tcp),
            Inner::Tls(tls) => Ok(&tls.sock),
            Inner::Closed => Err(io::ErrorKind::NotConnected.into()),
        }
    }

    /// Whether the server closed the connection or sent something since it was last read (on
    /// an idle SMTP connection: a 421 before hanging up), seen without waiting.
    #[must_use]
    pub fn unsettled(&self) -> bool {
        let Ok(tcp) = self.tcp() else { return true };
        if tcp.set_nonblocking(true).is_err() {
            return true;
        }
        let peeked = tcp.peek(&mut [0u8; 1]);
        let restored = tcp.set_nonblocking(false).is_ok();
        !restored || !matches!(peeked, Err(e) if e.kind() == io::ErrorKind::WouldBlock)
    }

    /// Reads what is available into `buf`, waiting until `deadline` at most.
    /// `Ok(0)` means the server closed the connection.
    ///
    /// # Errors
    /// `TimedOut` when the deadline passes, or the socket's error.
    pub fn read_by(&mut self, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
        let left = remaining(deadline)?;
        self.tcp()?.set_read_timeout(Some(left))?;
        let read = match &mut self.inner {
            Inner::Plain(tcp) => tcp.read(buf),
            Inner::Tls(tls) => {
                let read = tls.read(buf);
                self.tls_state.data_seen |= read.as_ref().is_ok_and(|&n| n > 0);
                read
            }
            Inner::Closed => Err(io::ErrorKind::NotConnected.into()),
        };
        match read {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(io::ErrorKind::TimedOut.into()),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(0),
            other => other,
        }
    }

    /// Writes all of `bytes`, giving up at `deadline`.
    ///
    /// # Errors
    /// `TimedOut` when the deadline passes, or the socket's error.
    pub fn write_all_by(&mut self, mut bytes: &[u8], deadline: Instant) -> io::Result<()> {
        while !bytes.is_empty() {
            self.tcp()?.set_write_timeout(Some(remaining(deadline)?))?;
            let written = match &mut self.inner {
                Inner::Plain(tcp) => tcp.write(bytes),
                Inner::Tls(tls) => tls.write(bytes),
                Inner::Closed => Err(io::ErrorKind::NotConnected.into()),
            };
            match written {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => bytes = bytes.get(n..).unwrap_or_default(),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Err(io::ErrorKind::TimedOut.into()),
                Err(e) => return Err(e),
            }
        }
        if let Inner::Tls(tls) = &mut self.inner {
            tls.sock.set_write_timeout(Some(remaining(deadline)?))?;
            tls.flush()?;
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
        self.tcp().ok()?.local_addr().ok()
    }

    /// Closes both directions now (after a TLS close_notify when TLS is up).
    pub fn close(&mut self) {
        if let Inner::Tls(tls) = &mut self.inner {
            tls.conn.send_close_notify();
            let _ = tls.conn.complete_io(&mut tls.sock);
        }
        if let Ok(tcp) = self.tcp() {
            tcp.shutdown(Shutdown::Both).ok();
        }
    }
}

/// The rustls error inside an I/O error, described, or the I/O error itself.
fn handshake_reason(e: &io::Error, host: &str) -> String {
    if let Some(tls) = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
        return describe(tls, host);
    }
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => "timed out".into(),
        io::ErrorKind::UnexpectedEof => "the server closed the connection".into(),
        _ => os_reason(e),
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn an_ip_address_needs_no_lookup() {
        let addresses = resolve("::1", 25, Duration::from_secs(1), |_, _| panic!("looked up")).unwrap();
        assert_eq!(addresses, [SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], 25))]);
    }

    #[test]
    fn a_resolver_that_does_not_answer_is_given_up_at_the_timeout() {
        let start = Instant::now();
        let error = resolve("mail.example.test", 25, Duration::from_millis(200), |_, _| {
            std::thread::sleep(Duration::from_secs(3));
            Ok(Vec::new())
        })
        .unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(2), "waited {:?}", start.elapsed());
        assert_eq!(error.to_string(), "resolve mail.example.test: no answer from the resolver within 0.2s");
    }

    #[test]
    fn the_local_end_is_bound_to_the_source_address() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let source = IpAddr::from([127, 0, 0, 2]);
        let stream = connect("127.0.0.1", port, Duration::from_secs(2), Some(source)).unwrap();
        let (_, client) = listener.accept().unwrap();
        assert_eq!(client.ip(), source);
        assert_eq!(stream.local_addr().map(|a| a.ip()), Some(source));
        // Without one, the system picks 127.0.0.1.
        connect("127.0.0.1", port, Duration::from_secs(2), None).unwrap();
        assert_eq!(listener.accept().unwrap().1.ip(), IpAddr::from([127, 0, 0, 1]));
    }

    #[test]
    fn a_source_address_of_the_other_family_is_not_tried() {
        let v6 = "::1".parse().unwrap();
        let error = connect("127.0.0.1", 25, Duration::from_secs(1), Some(v6)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "connect to 127.0.0.1:25: the source address ::1 is IPv6, and 127.0.0.1 has only IPv4 addresses"
        );
        let v4 = IpAddr::from([127, 0, 0, 1]);
        let error = connect("::1", 25, Duration::from_secs(1), Some(v4)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "connect to [::1]:25: the source address 127.0.0.1 is IPv4, and ::1 has only IPv6 addresses"
        );
    }

    #[test]
    fn a_source_address_this_machine_does_not_have_is_said_so() {
        // TEST-NET-1 (RFC 5737): never an address of this machine, so bind() fails and nothing is sent.
        let error = connect("127.0.0.1", 25, Duration::from_secs(1), Some(IpAddr::from([192, 0, 2, 1]))).unwrap_err();
        assert_eq!(
            error.to_string(),
            "connect to 127.0.0.1:25: cannot use the source address 192.0.2.1: Cannot assign requested address"
        );
    }

    #[test]
    fn a_lookup_error_is_reported_with_the_host() {
        let error = resolve("nowhere.test", 25, Duration::from_secs(1), |_, _| Err("Name or service not known".into()))
            .unwrap_err();
        assert_eq!(error.to_string(), "resolve nowhere.test: Name or service not known");
    }
}
