//! `SendMail` (alias `send_mail`): the legacy drop-in plus the modern settings. Converts PHP
//! values and hands the work to the shared mailer.
#![allow(non_snake_case, reason = "PHP parameter names such as `$privateKey`")]

use std::{os::unix::ffi::OsStrExt, path::PathBuf, time::Duration};

use ext_php_rs::{
    binary_slice::BinarySlice,
    boxed::ZBox,
    class::RegisteredClass,
    exception::PhpException,
    prelude::*,
    types::{ZendClassObject, ZendHashTable, Zval},
    zend::ce,
};

use super::{
    batch::Messages,
    config,
    debug::{show, Direction, Sink},
    exception::exception_for,
    login::{Login, TokenProvider},
    loose::{Bytes, LooseBool, LooseInt, LooseString},
    mailer::{Endpoint, Logger, Mailer, Outcome},
    message::Message,
    receipt::Receipt,
    zapi,
};
use crate::{
    client::{identity, parse_ip, pool, Error, RelayMode, TlsMode},
    message::{legacy::InputError, parse_mailbox_list, raw::RawMessage, Shown},
    protocol::{Credentials, Mechanism},
    transport::{hostname::hostname, IdentityError, PinnedKeys},
};

/// The SMTP client. Public properties are those of the legacy `send_mail` class.
#[php_class]
#[php(name = "SendMail")]
#[derive(Debug, Clone)]
pub struct SendMail {
    /// The last reply, all lines joined by "\n", or an error text.
    #[php(prop)]
    pub lastmessage: LooseString,
    /// The last command sent, without CRLF.
    #[php(prop)]
    pub lastact: LooseString,
    /// The EHLO/HELO name.
    #[php(prop)]
    pub welcome: LooseString,
    /// Print the dialogue.
    #[php(prop)]
    pub debug: LooseBool,
    /// The server, as given to the constructor (a URL password shows as `****`).
    #[php(prop)]
    pub smtp: LooseString,
    /// The server's port.
    #[php(prop)]
    pub port: LooseInt,
    pub(super) mailer: Mailer,
}

impl super::objects::Fresh for SendMail {
    /// A fresh object, as the constructor leaves it before reading its arguments.
    fn fresh() -> Self {
        SendMail {
            lastmessage: LooseString::default(),
            lastact: LooseString::default(),
            welcome: LooseString::from(hostname().unwrap_or_default()),
            debug: LooseBool(false),
            smtp: LooseString::default(),
            port: LooseInt(25),
            mailer: Mailer::default(),
        }
    }
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl SendMail {
    /// `new SendMail("mail.example.com")`, `"host:2525"`, `"[::1]:25"`, a URL
    /// (`smtp://user:pass@host:587?tls=required`, `smtps://host`) or a failover list
    /// (`host1;host2:2525`); `$welcome` is the EHLO name (this machine's host name when empty);
    /// `$debug` prints the dialogue.
    #[php(defaults(smtp = "Bytes::default()", welcome = "Bytes::default()", debug = false))]
    pub fn __construct(smtp: Bytes, welcome: Bytes, debug: bool) -> PhpResult<Self> {
        let mut this = SendMail {
            smtp: LooseString(smtp.0),
            debug: LooseBool(debug),
            ..<SendMail as super::objects::Fresh>::fresh()
        };
        let ini = config::read();
        this.mailer.prepare(&mut this.smtp, &mut this.port, &ini).map_err(|e| {
            value_error(&format!(
                "SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as \"mail.example.com\" or \"127.0.0.1:2525\": {e}"
            ))
        })?;
        if !welcome.0.is_empty() {
            this.welcome = LooseString(welcome.0);
        } else if let Some(helo) = ini.helo {
            this.welcome = LooseString::from(helo);
        }
        Ok(this)
    }

    /// Sends one message; true when the server accepted it for every recipient.
    pub fn send(
        self_: &mut ZendClassObject<SendMail>,
        to: BinarySlice<u8>,
        from: BinarySlice<u8>,
        subject: BinarySlice<u8>,
        message: BinarySlice<u8>,
    ) -> bool {
        let outcome = SendMail::with_mailer(self_, |mailer, ep| mailer.send(ep, &to, &from, &subject, &message));
        self_.apply(outcome)
    }

    /// Sends a `SendMail\Message`; the receipt lists accepted and refused recipients. Throws a
    /// `SendMail\Exception` subclass when nothing was delivered.
    #[php(name = "sendMessage")]
    pub fn send_message(
        self_: &mut ZendClassObject<SendMail>,
        message: &mut ZendClassObject<Message>,
    ) -> PhpResult<Receipt> {
        let stamp = message.stamp().clone();
        let email = message.email();
        let (outcome, result) = SendMail::with_mailer(self_, |mailer, ep| mailer.send_email(ep, email, &stamp));
        self_.apply(outcome);
        match result {
            Ok(delivery) => Ok(Receipt::from(&delivery)),
            Err(error) => Err(exception_for(&error)),
        }
    }

    /// Sends ready-made RFC 5322 bytes (a message rendered elsewhere: Symfony, a queue, a
    /// signed message) to `$recipients` (a list, or a comma-separated string) with `$from` as
    /// the envelope sender. Line ends become CRLF; a NUL, a line over 998 octets or bytes that
    /// do not start with a header block are an `InvalidInputException`. The receipt lists
    /// accepted and refused recipients.
    #[php(name = "sendRaw")]
    pub fn send_raw(
        self_: &mut ZendClassObject<SendMail>,
        message: BinarySlice<u8>,
        from: BinarySlice<u8>,
        recipients: &Zval,
    ) -> PhpResult<Receipt> {
        let raw = raw_message(&message, &from, recipients).map_err(|e| exception_for(&Error::from(e)))?;
        let (outcome, result) = SendMail::with_mailer(self_, |mailer, ep| mailer.send_raw(ep, &raw));
        self_.apply(outcome);
        match result {
            Ok(delivery) => Ok(Receipt::from(&delivery)),
            Err(error) => Err(exception_for(&error)),
        }
    }

    /// Connects, greets, says EHLO, does TLS and AUTH as configured, then QUIT: no mail. Returns
    /// what the server offers and how it went (`server`, `greeting`, `capabilities`, `tls`,
    /// `auth`, `round_trips`, `time`); a failure is the exception a send would throw.
    pub fn probe(self_: &mut ZendClassObject<SendMail>) -> PhpResult<ZBox<ZendHashTable>> {
        let (outcome, result) = SendMail::with_mailer(self_, |mailer, ep| mailer.probe(ep));
        self_.apply(outcome);
        let probe = result.map_err(|error| exception_for(&error))?;
        super::probe::to_array(&probe)
    }

    /// Sends many messages over `$connections` parallel connections (each kept open for its
    /// share). Accepts `SendMail\Message` objects and legacy arrays (`['to' => …, 'from' => …,
    /// 'subject' => …, 'message' => …]`); returns, under the input's keys, a `SendMail\Receipt` or
    /// the `SendMail\Exception` for each. `$progress($done, $total)` runs as messages finish.
    #[php(name = "sendBatch")]
    #[php(defaults(connections = 4))]
    pub fn send_batch(
        &mut self,
        messages: Messages,
        connections: i64,
        progress: Option<&Zval>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let connections = usize::try_from(connections)
            .ok()
            .filter(|c| (1..=64).contains(c))
            .ok_or_else(|| value_error("SendMail::sendBatch(): Argument #2 ($connections) must be between 1 and 64"))?;
        let items = messages.items()?;
        let welcome = self.welcome.text().into_owned();
        let ep = Endpoint { smtp: &mut self.smtp, port: &mut self.port, welcome: &welcome, output: Sink::Off };
        let servers = self.mailer.servers(ep).map_err(|e| exception_for(&e))?;
        let signer = self.mailer.signer().map_err(|e| exception_for(&e))?;
        let (controls, pace) = self.mailer.controls();
        // A password closure may reach this object again: it runs from a copy of the login.
        let login = self.mailer.auth.as_ref().map(|(login, _)| login.clone());
        let batch = super::batch::Batch { connections, progress, signer, controls, pace };
        super::batch::send_batch(&servers, items, batch, |servers| {
            let ordered = pool::relay_order(servers, &controls);
            match &login {
                Some(login) => login.resolve(&ordered),
                None => Ok(ordered),
            }
        })
    }

    /// Sends a raw command on the open connection (opening one if none) and checks that the
    /// reply starts with `$code`.
    pub fn do_command(self_: &mut ZendClassObject<SendMail>, command: BinarySlice<u8>, code: &Zval) -> bool {
        // `string|int $code`: the argument rules leave one of the two.
        let code = match code.long() {
            Some(number) => number.to_string().into_bytes(),
            None => code.zend_str().map(|text| text.as_bytes().to_vec()).unwrap_or_default(),
        };
        let outcome =
            SendMail::with_mailer(self_, |mailer, ep| mailer.command(ep, &command, |reply| reply.starts_with(&code)));
        self_.apply(outcome)
    }

    /// Prints a debug line when `$debug` is on: `<< ` for "in" (server), `>> ` otherwise.
    pub fn show_debug(&self, message: BinarySlice<u8>, inout: Bytes) {
        if self.debug.0 {
            show(&message, if inout.0 == b"in" { Direction::In } else { Direction::Out });
        }
    }

    /// The connect timeout and the deadline for each reply, in seconds.
    #[php(name = "setTimeout")]
    pub fn set_timeout(
        self_: &mut ZendClassObject<SendMail>,
        seconds: f64,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        self_.mailer.timeout = Some(checked_timeout(seconds, "SendMail::setTimeout()")?);
        Ok(self_)
    }

    /// "auto" (default): implicit TLS on 465, else STARTTLS when offered; "required": TLS or
    /// nothing; "implicit": TLS from the first byte; "off": never TLS.
    #[php(name = "setTls")]
    pub fn set_tls(self_: &mut ZendClassObject<SendMail>, mode: Bytes) -> PhpResult<&mut ZendClassObject<SendMail>> {
        let mode: TlsMode = String::from_utf8_lossy(&mode.0)
            .parse()
            .map_err(|e| value_error(&format!("SendMail::setTls(): Argument #1 ($mode): {e}")))?;
        self_.mailer.tls = Some(mode);
        Ok(self_)
    }

    /// Trust only the CA certificates in this PEM file (a private CA) instead of the system's.
    #[php(name = "setCaFile")]
    pub fn set_ca_file(
        self_: &mut ZendClassObject<SendMail>,
        path: Bytes,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        self_.mailer.ca_file = Some(readable_file(&path.0, "SendMail::setCaFile()")?);
        Ok(self_)
    }

    /// Check the server's certificate and name (default true). False accepts any certificate:
    /// for test relays only, never for a real server.
    #[php(name = "setVerifyPeer")]
    pub fn set_verify_peer(self_: &mut ZendClassObject<SendMail>, verify: bool) -> &mut ZendClassObject<SendMail> {
        self_.mailer.verify_peer = Some(verify);
        self_
    }

    /// Mutual TLS: show this certificate (a chain, the client's own first) and prove it with
    /// its private key when the server asks. Each is PEM text or the path of a PEM file; RSA,
    /// ECDSA or Ed25519 keys (PKCS#8, PKCS#1 or SEC1). A key that is not the certificate's is a
    /// `ValueError` here. Without it, php.ini's `sendmail.client_cert` and `client_key`.
    #[php(name = "setClientCertificate")]
    pub fn set_client_certificate(
        self_: &mut ZendClassObject<SendMail>,
        cert: Bytes,
        key: Bytes,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        const FUNCTION: &str = "SendMail::setClientCertificate()";
        let identity = identity::identity(&cert.0, &key.0, zapi::open_basedir_allows, zapi::open_basedir_allows)
            .map_err(|e| match e {
                IdentityError::Certificate(text) => value_error(&format!("{FUNCTION}: Argument #1 ($cert) {text}")),
                IdentityError::Key(text) => value_error(&format!("{FUNCTION}: Argument #2 ($key) {text}")),
            })?;
        self_.mailer.client_identity = Some(identity);
        Ok(self_)
    }

    /// Accept only a server whose certificate's public key is one of these, in curl's syntax
    /// `sha256//BASE64[;sha256//BASE64...]` (the SHA-256 of its SubjectPublicKeyInfo). Checked
    /// besides the usual verification, or alone after `setVerifyPeer(false)`.
    #[php(name = "setPinnedPublicKey")]
    pub fn set_pinned_public_key(
        self_: &mut ZendClassObject<SendMail>,
        pins: Bytes,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        let pins = PinnedKeys::parse(&String::from_utf8_lossy(&pins.0))
            .map_err(|e| value_error(&format!("SendMail::setPinnedPublicKey(): Argument #1 ($pins) {e}")))?;
        self_.mailer.pinned_keys = Some(pins);
        Ok(self_)
    }

    /// Connect from this local address (IPv4 or IPv6; any port): only the server's addresses of
    /// the same family are tried.
    #[php(name = "setSourceAddress")]
    pub fn set_source_address(
        self_: &mut ZendClassObject<SendMail>,
        ip: Bytes,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        let text = String::from_utf8_lossy(&ip.0);
        let address = parse_ip(&text).ok_or_else(|| {
            value_error(&format!(
                "SendMail::setSourceAddress(): Argument #1 ($ip) must be an IPv4 or IPv6 address, {} given",
                Shown(&text)
            ))
        })?;
        self_.mailer.source_address = Some(address);
        Ok(self_)
    }

    /// Log in: PLAIN, LOGIN, CRAM-MD5, XOAUTH2 or OAUTHBEARER (the password is then the OAuth2
    /// access token); the strongest the server offers when no mechanism is given. A `Closure`
    /// as `$password` is called with no arguments each time a new connection logs in (before it
    /// is opened; once per connection of `sendBatch()`) and returns the password or token.
    #[php(name = "setAuth")]
    pub fn set_auth<'a>(
        self_: &'a mut ZendClassObject<SendMail>,
        user: Bytes,
        password: &Zval,
        mechanism: Option<Bytes>,
    ) -> PhpResult<&'a mut ZendClassObject<SendMail>> {
        let mechanism = mechanism.map(|m| String::from_utf8_lossy(&m.0).into_owned());
        let mechanism = parse_mechanism(mechanism.as_deref(), "SendMail::setAuth(): Argument #3 ($mechanism)")?;
        let login = if let Some(text) = password.zend_str() {
            Login::Fixed(Credentials::new(&user.0, text.as_bytes()))
        } else if password.object().is_some_and(|o| zapi::closure_ce().is_some_and(|closure| o.instance_of(closure))) {
            Login::Provider { user: user.0, provider: TokenProvider::new(password) }
        } else {
            return Err(PhpException::new(
                format!(
                    "SendMail::setAuth(): Argument #2 ($password) must be of type Closure|string, {} given",
                    zapi::type_name(password)
                ),
                0,
                ce::type_error(),
            ));
        };
        self_.mailer.auth = Some((login, mechanism));
        Ok(self_)
    }

    /// Sign every message with DKIM (RFC 6376): the signing domain, the selector and the private
    /// key (PEM text, or the path of a PEM file; RSA of 2048 to 4096 bits, or Ed25519).
    /// `$options`: `"algorithm"`, `"headers"`, `"identity"`, `"expire"`. A key that cannot sign
    /// is a `ValueError` here, never an unsigned message later.
    #[php(name = "setDkim")]
    pub fn set_dkim<'a>(
        self_: &'a mut ZendClassObject<SendMail>,
        domain: Bytes,
        selector: Bytes,
        privateKey: Bytes,
        options: Option<&Zval>,
    ) -> PhpResult<&'a mut ZendClassObject<SendMail>> {
        self_.mailer.dkim = Some(super::dkim::signer(&domain.0, &selector.0, &privateKey.0, options)?);
        Ok(self_)
    }

    /// Allow credentials without TLS to a server that is not on this machine (default false).
    #[php(name = "allowInsecureAuth")]
    pub fn allow_insecure_auth(
        self_: &mut ZendClassObject<SendMail>,
        allow: Option<bool>,
    ) -> &mut ZendClassObject<SendMail> {
        self_.mailer.allow_insecure_auth = allow.unwrap_or(true);
        self_
    }

    /// `fn(string $line, string $direction)` receives each dialogue line (`"in"` from the server,
    /// `"out"` from the client, secrets masked) instead of debug output; null removes it.
    #[php(name = "setLogger")]
    pub fn set_logger<'a>(
        self_: &'a mut ZendClassObject<SendMail>,
        logger: Option<&Zval>,
    ) -> PhpResult<&'a mut ZendClassObject<SendMail>> {
        self_.mailer.logger = match logger {
            None => None,
            Some(l) if l.is_null() => None,
            Some(l) if l.is_callable() => Some(Logger::new(l)),
            Some(l) => {
                return Err(PhpException::new(
                    format!(
                        "SendMail::setLogger(): Argument #1 ($logger) must be a valid callback or null, {} given",
                        zapi::type_name(l)
                    ),
                    0,
                    ce::type_error(),
                ))
            }
        };
        Ok(self_)
    }

    /// Keep one connection across `send()` and `sendMessage()` calls (default false): RSET
    /// after a failure, NOOP before reuse after an idle spell, a new connection when the server
    /// closed it; QUIT on `close()` or when the object goes away.
    #[php(name = "setKeepAlive")]
    pub fn set_keep_alive(self_: &mut ZendClassObject<SendMail>, on: bool) -> &mut ZendClassObject<SendMail> {
        self_.mailer.keep_alive = on;
        self_
    }

    /// Keep connections open across the requests this PHP process serves (a PHP-FPM worker),
    /// as PDO's persistent connections do (default false, or php.ini `sendmail.persistent`).
    /// The process keeps each connection under everything that defines its session (servers,
    /// TLS settings, EHLO name, user and a digest of the password), so scripts with other
    /// settings never share one; a forked child opens its own; QUIT when the process ends.
    #[php(name = "setPersistent")]
    pub fn set_persistent(self_: &mut ZendClassObject<SendMail>, on: bool) -> &mut ZendClassObject<SendMail> {
        self_.mailer.persistent = Some(on);
        self_
    }

    /// At most this many messages per second from this object (spaced evenly; across the
    /// connections of `sendBatch()` too). 0: no limit (the default).
    #[php(name = "setRateLimit")]
    pub fn set_rate_limit(
        self_: &mut ZendClassObject<SendMail>,
        perSecond: f64,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        if !(perSecond.is_finite() && (0.0..=1_000_000.0).contains(&perSecond)) {
            return Err(value_error(
                "SendMail::setRateLimit(): Argument #1 ($perSecond) must be from 0 (no limit) to 1000000",
            ));
        }
        self_.mailer.max_per_second = Some(perSecond);
        Ok(self_)
    }

    /// A new connection after this many messages (kept and persistent connections, and each
    /// connection of `sendBatch()`). 0: no limit (the default).
    #[php(name = "setMaxPerConnection")]
    pub fn set_max_per_connection(
        self_: &mut ZendClassObject<SendMail>,
        messages: i64,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        let messages = u32::try_from(messages).map_err(|_| {
            value_error(
                "SendMail::setMaxPerConnection(): Argument #1 ($messages) must be from 0 (no limit) to 4294967295",
            )
        })?;
        self_.mailer.max_per_connection = Some(messages);
        Ok(self_)
    }

    /// A kept or persistent connection idle at least this many seconds gets a NOOP before it
    /// carries the next message (default 5; 0: before every message).
    #[php(name = "setIdleCheck")]
    pub fn set_idle_check(
        self_: &mut ZendClassObject<SendMail>,
        seconds: f64,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        if !(seconds.is_finite() && (0.0..=86_400.0).contains(&seconds)) {
            return Err(value_error("SendMail::setIdleCheck(): Argument #1 ($seconds) must be from 0 to 86400"));
        }
        self_.mailer.idle_check = Some(Duration::from_secs_f64(seconds));
        Ok(self_)
    }

    /// How a list of servers (`host1;host2`) is used: "failover" (default: the first that
    /// works) or "roundrobin" (each new connection starts at the next server, then fails over).
    #[php(name = "setRelayMode")]
    pub fn set_relay_mode(
        self_: &mut ZendClassObject<SendMail>,
        mode: Bytes,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        let mode: RelayMode = String::from_utf8_lossy(&mode.0)
            .parse()
            .map_err(|e| value_error(&format!("SendMail::setRelayMode(): Argument #1 ($mode): {e}")))?;
        self_.mailer.relay_mode = Some(mode);
        Ok(self_)
    }

    /// The dialogue of the last session, `>> ` client and `<< ` server lines, secrets masked.
    #[php(name = "getTranscript")]
    pub fn get_transcript(&self) -> String {
        self.mailer.transcript().to_owned()
    }

    /// QUIT and close a connection left open by `do_command()`.
    pub fn close(self_: &mut ZendClassObject<SendMail>) {
        SendMail::with_mailer(self_, |mailer, ep| mailer.close(ep.output));
    }
}

impl SendMail {
    /// Runs `call` on the mailer with the legacy properties. The call works on a detached
    /// mailer (the settings as they are, the connection taken out), so PHP code that runs during
    /// the call (a logger, an overridden `show_debug()`) and reaches this object again changes
    /// its settings for the next call and never touches the mailer in use.
    fn with_mailer<R>(self_: &mut ZendClassObject<SendMail>, call: impl FnOnce(&mut Mailer, Endpoint<'_>) -> R) -> R {
        let output = if zapi::overrides(&self_.std, "show_debug", SendMail::get_metadata().ce()) {
            Sink::Method(std::ptr::NonNull::from(&mut self_.std))
        } else {
            Sink::printing(self_.debug.0)
        };
        let welcome = self_.welcome.text().into_owned();
        let mut mailer = self_.mailer.detach();
        let this: &mut SendMail = self_;
        let result =
            call(&mut mailer, Endpoint { smtp: &mut this.smtp, port: &mut this.port, welcome: &welcome, output });
        self_.mailer.reattach(mailer);
        result
    }

    fn apply(&mut self, outcome: Outcome) -> bool {
        self.lastact = LooseString::from(outcome.lastact);
        self.lastmessage = LooseString::from(outcome.lastmessage);
        outcome.ok
    }
}

/// A `ValueError` with this message.
pub fn value_error(message: &str) -> PhpException {
    PhpException::new(message.to_owned(), 0, ce::value_error())
}

/// A timeout in seconds (0 < seconds <= 86400), or a `ValueError` from `function`.
pub fn checked_timeout(seconds: f64, function: &str) -> PhpResult<Duration> {
    if seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0 {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(value_error(&format!("{function}: Argument #1 ($seconds) must be greater than 0 and at most 86400")))
    }
}

/// A SASL mechanism name, or a `ValueError` that names the argument.
pub fn parse_mechanism(name: Option<&str>, argument: &str) -> PhpResult<Option<Mechanism>> {
    match name {
        None | Some("") => Ok(None),
        Some(name) => Mechanism::parse(name).map(Some).ok_or_else(|| {
            value_error(&format!(
                "{argument} must be PLAIN, LOGIN, CRAM-MD5, XOAUTH2 or OAUTHBEARER, {} given",
                Shown(name)
            ))
        }),
    }
}

/// A path to a regular, readable file (no stream wrappers), or a `ValueError`. The path is
/// bytes, as file names on disk are (a GBK name works).
pub fn readable_file(path: &[u8], function: &str) -> PhpResult<PathBuf> {
    let shown = String::from_utf8_lossy(path);
    if path.windows(3).any(|w| w == b"://") {
        return Err(value_error(&format!("{function}: {} must be a file path, not a stream URL", Shown(&shown))));
    }
    if path.contains(&0) {
        return Err(value_error(&format!("{function}: {} must not contain NUL bytes", Shown(&shown))));
    }
    if !zapi::open_basedir_allows(path) {
        return Err(value_error(&format!(
            "{function}: {} is outside the directories open_basedir allows",
            Shown(&shown)
        )));
    }
    let path = PathBuf::from(std::ffi::OsStr::from_bytes(path));
    match std::fs::File::open(&path) {
        Ok(file) if file.metadata().is_ok_and(|m| m.is_file()) => Ok(path),
        Ok(_) => Err(value_error(&format!("{function}: {} is not a regular file", path.display()))),
        Err(e) => Err(value_error(&format!("{function}: {}: {e}", path.display()))),
    }
}

/// `sendRaw()`'s arguments as a checked message: `$recipients` a list of strings or one
/// comma-separated string.
fn raw_message(message: &[u8], from: &[u8], recipients: &Zval) -> Result<RawMessage, InputError> {
    let bad = |argument, reason: String| InputError { argument, reason };
    let from = std::str::from_utf8(from).map_err(|_| bad("from", "not valid UTF-8".into()))?;
    let mut list = Vec::new();
    if let Some(text) = recipients.zend_str() {
        let text = text.as_str().map_err(|_| bad("recipients", "not valid UTF-8".into()))?;
        let parsed = parse_mailbox_list(text).map_err(|e| bad("recipients", e.to_string()))?;
        list.extend(parsed.into_iter().map(|m| m.address.to_string()));
    } else if let Some(array) = recipients.array() {
        for (key, value) in array {
            let text = value.zend_str().and_then(|s| s.as_str().ok()).ok_or_else(|| {
                bad("recipients", format!("[{key}] must be a string of UTF-8 text, {} given", zapi::type_name(value)))
            })?;
            list.push(text.to_owned());
        }
    }
    let refs: Vec<&str> = list.iter().map(String::as_str).collect();
    RawMessage::new(message, from, &refs)
}
