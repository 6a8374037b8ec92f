//! What both PHP classes share: settings beyond the legacy properties, the connection kept by
//! raw commands, the transcript, and the calls into the client with their outcome for
//! `$lastact` and `$lastmessage`.

use std::{net::IpAddr, path::PathBuf, time::Duration};

use ext_php_rs::{
    types::{ZendCallable, Zval},
    zend::ExecutorGlobals,
};

use super::{
    config::{self, IniClientCert, IniDkim, IniSettings},
    debug::{Direction, Sink},
    login::Login,
    loose::{LooseInt, LooseString},
    zapi,
};
use crate::{
    client::{
        checked_port, identity, parse_targets,
        pool::{self, Key},
        probe::{self, Probe},
        redact,
        reuse::{Call, Reuse},
        signing::{self, SignerError},
        AuthOptions, Controls, Delivery, Error, Event, Observer, Pace, RelayMode, Server, Session, SessionOptions,
        Target, TlsMode,
    },
    message::{
        dkim::Signer,
        email::Email,
        legacy::{InputError, LegacyMessage},
        mime::Stamp,
        raw::RawMessage,
    },
    protocol::{ClientId, Credentials, Mechanism},
    transport::{ClientIdentity, IdentityError, PinnedKeys, TlsSettings},
};

/// The signer of php.ini's `sendmail.dkim_*` (made once for each key, see
/// [`signing::cached`]). A key file the script named with `ini_set()` obeys open_basedir, as
/// PHP's own path settings do when changed at run time; the one php.ini names does not.
fn ini_signer(dkim: &IniDkim) -> Result<Signer, String> {
    let missing =
        |name: &str| format!("php.ini sendmail.dkim_{name} is not set, but the other sendmail.dkim_* settings are");
    let domain = dkim.domain.as_deref().ok_or_else(|| missing("domain"))?;
    let selector = dkim.selector.as_deref().ok_or_else(|| missing("selector"))?;
    let key = dkim.key.as_deref().ok_or_else(|| missing("key"))?;
    signing::cached(domain, selector, key.as_bytes(), zapi::ini_path_allowed("sendmail.dkim_key", key)).map_err(|e| {
        match e {
            SignerError::Key(text) => format!("php.ini sendmail.dkim_key {text}"),
            SignerError::Setting(text) => format!("php.ini sendmail.dkim_domain/dkim_selector: {text}"),
        }
    })
}

/// The client certificate of php.ini's `sendmail.client_cert` and `sendmail.client_key` (made
/// once for each certificate and key, see [`identity::cached`]). Files named with `ini_set()`
/// obey open_basedir; those php.ini names do not (as for the DKIM key).
fn ini_identity(settings: &IniClientCert) -> Result<ClientIdentity, String> {
    let missing = |name: &str, other: &str| {
        format!("php.ini sendmail.{name} is not set, but sendmail.{other} is: mutual TLS needs both")
    };
    let cert = settings.cert.as_deref().ok_or_else(|| missing("client_cert", "client_key"))?;
    let key = settings.key.as_deref().ok_or_else(|| missing("client_key", "client_cert"))?;
    identity::cached(
        cert.as_bytes(),
        key.as_bytes(),
        zapi::ini_path_allowed("sendmail.client_cert", cert),
        zapi::ini_path_allowed("sendmail.client_key", key),
    )
    .map_err(|e| match e {
        IdentityError::Certificate(text) => format!("php.ini sendmail.client_cert {text}"),
        IdentityError::Key(text) => format!("php.ini sendmail.client_key {text}"),
    })
}

/// Why there is no server to talk to.
const NO_SERVER: &str = "no SMTP server given (pass one, or set sendmail.host in php.ini)";

/// Timeout when `default_socket_timeout` is unset, zero or negative (never wait for ever).
const FALLBACK_TIMEOUT: Duration = Duration::from_secs(60);

/// The legacy properties a call reads (and, for the port, updates).
pub struct Endpoint<'a> {
    /// `$smtp`: host, URL or list; a URL password in it is masked once read.
    pub smtp: &'a mut LooseString,
    /// `$port`.
    pub port: &'a mut LooseInt,
    /// The EHLO name.
    pub welcome: &'a str,
    /// Where the dialogue goes (when no logger takes it).
    pub output: Sink,
}

/// What a call leaves in `$lastact` and `$lastmessage`.
#[derive(Debug)]
pub struct Outcome {
    /// It worked.
    pub ok: bool,
    /// The last command sent (masked).
    pub lastact: String,
    /// The reply, or the error text.
    pub lastmessage: String,
}

/// The most a transcript keeps: the end of a long-lived kept connection's dialogue.
const TRANSCRIPT_MAX: usize = 64 * 1024;

/// Settings, the kept connection and the transcript of one PHP object.
#[derive(Debug, Default)]
pub struct Mailer {
    /// `setTimeout()`.
    pub timeout: Option<Duration>,
    /// `setTls()`.
    pub tls: Option<TlsMode>,
    /// `setVerifyPeer()`.
    pub verify_peer: Option<bool>,
    /// `setCaFile()`.
    pub ca_file: Option<PathBuf>,
    /// `setClientCertificate()`: without it, php.ini's `sendmail.client_cert`/`client_key`.
    pub client_identity: Option<ClientIdentity>,
    /// `setPinnedPublicKey()`.
    pub pinned_keys: Option<PinnedKeys>,
    /// `setSourceAddress()`: wins over a URL's `source_ip=`.
    pub source_address: Option<IpAddr>,
    /// `setAuth()`.
    pub auth: Option<(Login, Option<Mechanism>)>,
    /// `allowInsecureAuth()`.
    pub allow_insecure_auth: bool,
    /// `setLogger()`: called with each dialogue line and its direction, instead of echo.
    pub logger: Option<Logger>,
    /// `setKeepAlive()`: one connection across sends.
    pub keep_alive: bool,
    /// `setDkim()`: signs every message; without it, php.ini's `sendmail.dkim_*` do.
    pub dkim: Option<Signer>,
    /// `setPersistent()`: connections kept by the process, across requests.
    pub persistent: Option<bool>,
    /// `setRateLimit()`: messages per second (0: no limit).
    pub max_per_second: Option<f64>,
    /// `setMaxPerConnection()`: messages per connection (0: no limit).
    pub max_per_connection: Option<u32>,
    /// `setIdleCheck()`.
    pub idle_check: Option<Duration>,
    /// `setRelayMode()`.
    pub relay_mode: Option<RelayMode>,
    /// The rate limit's slots, shared with the mailer of a call in progress.
    pace: Pace,
    /// How the connection of the last call was used (setters, URL and php.ini together).
    reuse: Reuse,
    /// What the last call's session was defined by (for `close()` of a persistent one).
    last_key: Option<Key>,
    /// `$smtp` parsed, secrets included, and the (masked) text it was parsed from.
    targets: Vec<Target>,
    parsed_from: Option<Vec<u8>>,
    /// The connection this object keeps (keep-alive, raw commands), with what defined it.
    kept: Option<(Key, Session)>,
    transcript: String,
}

/// A clone starts without a connection, without a transcript and with a rate limit of its own.
impl Clone for Mailer {
    fn clone(&self) -> Self {
        Mailer {
            timeout: self.timeout,
            tls: self.tls,
            verify_peer: self.verify_peer,
            ca_file: self.ca_file.clone(),
            client_identity: self.client_identity.clone(),
            pinned_keys: self.pinned_keys.clone(),
            source_address: self.source_address,
            auth: self.auth.clone(),
            allow_insecure_auth: self.allow_insecure_auth,
            logger: self.logger.clone(),
            keep_alive: self.keep_alive,
            dkim: self.dkim.clone(),
            persistent: self.persistent,
            max_per_second: self.max_per_second,
            max_per_connection: self.max_per_connection,
            idle_check: self.idle_check,
            relay_mode: self.relay_mode,
            pace: Pace::new(),
            reuse: self.reuse,
            last_key: None,
            targets: self.targets.clone(),
            parsed_from: self.parsed_from.clone(),
            kept: None,
            transcript: String::new(),
        }
    }
}

impl Mailer {
    /// The mailer one call works with: the settings as they are now, and the connection state
    /// (kept connection, transcript) taken out of `self` until [`reattach`](Self::reattach).
    /// PHP code that runs during the call (a logger, an overridden `show_debug()`) and reaches
    /// the object again then changes its settings for the next call, and never touches the
    /// mailer in use.
    pub fn detach(&mut self) -> Mailer {
        let mut working = self.clone();
        working.kept = self.kept.take();
        working.transcript = std::mem::take(&mut self.transcript);
        working.last_key = self.last_key.take();
        working.pace = self.pace.clone();
        working
    }

    /// Takes back the connection state of a [`detach`](Self::detach)ed mailer after its call.
    /// A connection that PHP code opened meanwhile on `self` is closed: the call's own wins.
    pub fn reattach(&mut self, mut working: Mailer) {
        if let Some((_, stray)) = self.kept.take() {
            stray.quit(&mut ());
        }
        self.kept = working.kept.take();
        self.transcript = std::mem::take(&mut working.transcript);
        self.last_key = working.last_key.take();
        self.reuse = working.reuse;
        self.targets = std::mem::take(&mut working.targets);
        self.parsed_from = working.parsed_from.take();
    }
}

impl Drop for Mailer {
    fn drop(&mut self) {
        if let Some((_, session)) = self.kept.take() {
            session.quit(&mut ());
        }
    }
}

impl Mailer {
    /// Sends a legacy message: over a new connection and then QUIT, or over the kept one.
    pub fn send(&mut self, ep: Endpoint<'_>, to: &[u8], from: &[u8], subject: &[u8], message: &[u8]) -> Outcome {
        self.send_legacy(ep, to, from, |to, from| LegacyMessage::new(to, from, subject, message)).0
    }

    /// Sends the legacy message `build` makes of `$to` and `$from` (checked to be UTF-8); the
    /// outcome for the legacy properties, and the result.
    pub fn send_legacy<'m>(
        &mut self,
        ep: Endpoint<'_>,
        to: &'m [u8],
        from: &'m [u8],
        build: impl FnOnce(&'m str, &'m str) -> Result<LegacyMessage<'m>, InputError>,
    ) -> (Outcome, Result<Delivery, Error>) {
        let mut tracker = Tracker::new(ep.output, self.logger.as_ref());
        let result = utf8(to, "to")
            .and_then(|to| Ok((to, utf8(from, "from")?)))
            .and_then(|(to, from)| build(to, from).map_err(Error::from))
            .and_then(|message| self.transact(ep, &mut tracker, |session, t| session.send_legacy(&message, t)));
        let done = self.done_word();
        let outcome = self.finish(&result, tracker, |delivery| (done.to_owned(), delivery.reply.to_string()));
        (outcome, result)
    }

    /// Sends a built message; the outcome for the legacy properties, and the result.
    pub fn send_email(&mut self, ep: Endpoint<'_>, email: &Email, stamp: &Stamp) -> (Outcome, Result<Delivery, Error>) {
        let mut tracker = Tracker::new(ep.output, self.logger.as_ref());
        let result = email
            .check_ready()
            .map_err(|e| Error::Input(InputError { argument: "message", reason: e.to_string() }))
            .and_then(|()| self.transact(ep, &mut tracker, |session, t| session.send_email(email, stamp, t)));
        let done = self.done_word();
        let outcome = self.finish(&result, tracker, |delivery| (done.to_owned(), delivery.reply.to_string()));
        (outcome, result)
    }

    /// Sends ready-made message bytes with an explicit envelope; the outcome for the legacy
    /// properties, and the result.
    pub fn send_raw(&mut self, ep: Endpoint<'_>, raw: &RawMessage) -> (Outcome, Result<Delivery, Error>) {
        let mut tracker = Tracker::new(ep.output, self.logger.as_ref());
        let result = self.transact(ep, &mut tracker, |session, t| session.send_raw(raw, t));
        let done = self.done_word();
        let outcome = self.finish(&result, tracker, |delivery| (done.to_owned(), delivery.reply.to_string()));
        (outcome, result)
    }

    /// Opens a session as a send would (TLS and AUTH as configured), reports it and QUITs.
    pub fn probe(&mut self, ep: Endpoint<'_>) -> (Outcome, Result<Probe, Error>) {
        let mut tracker = Tracker::new(ep.output, self.logger.as_ref());
        let result = self
            .servers(ep)
            .and_then(|servers| self.logins(&servers))
            .and_then(|servers| probe::probe(&servers, &mut tracker));
        let outcome = self.finish(&result, tracker, |p| ("QUIT".to_owned(), p.greeting.clone()));
        (outcome, result)
    }

    /// `$lastact` after a successful transaction: QUIT, or the end of data when the object
    /// keeps the connection. A persistent connection is the process's: the script sees QUIT,
    /// as it always did (an unchanged legacy script must not notice php.ini's setting).
    fn done_word(&self) -> &'static str {
        if self.keep_alive {
            "."
        } else {
            "QUIT"
        }
    }

    /// Runs one transaction, on the connection [`Call::run`] chooses: the object's kept one,
    /// the process's (persistent), or a new one.
    fn transact<T>(
        &mut self,
        ep: Endpoint<'_>,
        tracker: &mut Tracker,
        run: impl Fn(&mut Session, &mut dyn Observer) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let servers = self.servers(ep)?;
        let key = Key::of(&servers, self.password_provided());
        let call = Call {
            reuse: self.reuse,
            key: key.clone(),
            timeout: servers.first().map(|s| s.options.timeout),
            signer: self.signer()?,
            pace: &self.pace,
        };
        tracker.last_sent.clear();
        let mut kept = self.kept.take();
        let result = call.run(&mut kept, tracker, &mut |observer| self.log_in(&servers, observer), &run);
        self.kept = kept;
        self.last_key = Some(key);
        result
    }

    /// The controls of the last [`servers`](Self::servers) call, and the rate limit's slots: a
    /// batch's connections share them.
    #[must_use]
    pub fn controls(&self) -> (Controls, Pace) {
        (self.reuse.controls, self.pace.clone())
    }

    /// The password comes from a closure at each login (the connection's key then names the
    /// user and mechanism alone).
    fn password_provided(&self) -> bool {
        matches!(&self.auth, Some((Login::Provider { .. }, _)))
    }

    /// What signs the messages of a call: `setDkim()`'s signer, else php.ini's. A php.ini key
    /// that cannot sign (or a setting missing beside the others) is an error of the send: a
    /// host that asked for signatures never sends a message without one.
    ///
    /// # Errors
    /// The php.ini DKIM settings are incomplete or unusable.
    pub fn signer(&self) -> Result<Option<Signer>, Error> {
        if self.dkim.is_some() {
            return Ok(self.dkim.clone());
        }
        let Some(dkim) = config::read_dkim() else { return Ok(None) };
        ini_signer(&dkim).map(Some).map_err(Error::Signing)
    }

    /// Sends a raw command on the kept connection (opening one if none); `ok` when `accept`
    /// likes the reply.
    pub fn command(&mut self, ep: Endpoint<'_>, command: &[u8], accept: impl Fn(&[u8]) -> bool) -> Outcome {
        let mut tracker = Tracker::new(ep.output, self.logger.as_ref());
        // A connection a forked child inherited is its parent's: dropped without a byte.
        let (key, mut session) = match self.kept.take().filter(|(_, s)| !s.foreign()) {
            Some(kept) => kept,
            None => match self.open(ep, &mut tracker) {
                Ok(opened) => opened,
                Err(error) => return self.finish::<()>(&Err(error), tracker, |()| (String::new(), String::new())),
            },
        };
        let result = session.raw_command(command, &mut tracker);
        let keep = match &result {
            Ok((reply, _)) => !reply.closes_connection(),
            Err(error) => error.connection_usable(),
        };
        if keep {
            self.kept = Some((key, session));
        }
        let mut outcome = self.finish(&result, tracker, |(reply, shown)| (shown.clone(), reply.to_string()));
        if outcome.ok {
            outcome.ok = accept(outcome.lastmessage.as_bytes());
        }
        outcome
    }

    /// QUIT and close the kept connection, if any, and the process's persistent connections
    /// to the servers of the last call (with this object's settings).
    pub fn close(&mut self, output: Sink) {
        let mut tracker = Tracker::new(output, self.logger.as_ref());
        if let Some((_, session)) = self.kept.take() {
            session.quit(&mut tracker);
        }
        if let Some(key) = self.last_key.take().filter(|_| self.reuse.persistent) {
            pool::close(Some(&key), &mut tracker);
        }
        self.record(tracker.transcript, false);
    }

    /// Adds a call's dialogue to the transcript, or starts it anew with a new session. A kept
    /// connection's transcript keeps only its last [`TRANSCRIPT_MAX`] bytes, whole lines.
    fn record(&mut self, dialogue: String, new_session: bool) {
        if new_session {
            self.transcript = dialogue;
        } else {
            self.transcript.push_str(&dialogue);
        }
        if self.transcript.len() > TRANSCRIPT_MAX {
            let mut cut = self.transcript.len() - TRANSCRIPT_MAX * 3 / 4;
            while !self.transcript.is_char_boundary(cut) {
                cut += 1;
            }
            let start = self.transcript.get(cut..).and_then(|rest| rest.find('\n')).map_or(cut, |i| cut + i + 1);
            self.transcript.replace_range(..start, "");
        }
    }

    /// The dialogue of the last session, secrets masked.
    #[must_use]
    pub fn transcript(&self) -> &str {
        &self.transcript
    }

    /// Turns a result into `$lastact`/`$lastmessage` and keeps the transcript.
    fn finish<T>(
        &mut self,
        result: &Result<T, Error>,
        mut tracker: Tracker,
        success: impl Fn(&T) -> (String, String),
    ) -> Outcome {
        let outcome = match result {
            Ok(value) => {
                let (lastact, lastmessage) = success(value);
                Outcome { ok: true, lastact, lastmessage }
            }
            Err(error) => {
                let lastmessage = match error.reply() {
                    Some(reply) => reply.to_string(),
                    None => {
                        let text = error.to_string();
                        tracker.on_event(Event::Failed(&text));
                        text
                    }
                };
                Outcome { ok: false, lastact: failing_command(error, &mut tracker), lastmessage }
            }
        };
        self.record(tracker.transcript, tracker.new_session);
        outcome
    }

    /// Opens a session with the first server of `$smtp` that works.
    fn open(&mut self, ep: Endpoint<'_>, tracker: &mut Tracker) -> Result<(Key, Session), Error> {
        let servers = self.servers(ep)?;
        let key = Key::of(&servers, self.password_provided());
        Ok((key, self.log_in(&servers, tracker)?))
    }

    /// Opens a new session: a password closure is asked first, once for this connection.
    fn log_in(&self, servers: &[Server], observer: &mut dyn Observer) -> Result<Session, Error> {
        let ordered = pool::relay_order(servers, &self.reuse.controls);
        Session::open_any(&self.logins(&ordered)?, observer)
    }

    /// The servers as the next new connection logs in to them (see [`Login::resolve`]).
    ///
    /// # Errors
    /// The password closure threw or returned no string; its exception is pending.
    fn logins(&self, servers: &[Server]) -> Result<Vec<Server>, Error> {
        match &self.auth {
            Some((login, _)) => login.resolve(servers),
            None => Ok(servers.to_vec()),
        }
    }

    /// The servers to try, each with its options: explicit setters win over the URL, the URL
    /// over the defaults.
    pub fn servers(&mut self, ep: Endpoint<'_>) -> Result<Vec<Server>, Error> {
        let input = |argument, reason: String| Error::Input(InputError { argument, reason });
        let ini = config::read();
        let from_ini = ep.smtp.0.is_empty();
        if from_ini {
            let server = ini.server.clone().ok_or_else(|| input("smtp", NO_SERVER.into()))?;
            self.targets =
                parse_targets(&server).map_err(|e| input("smtp", format!("php.ini sendmail.host/dsn: {}", e.0)))?;
            self.parsed_from = None;
        } else {
            self.sync_targets(ep.smtp, ep.port).map_err(|reason| input("smtp", reason))?;
        }
        let port = if from_ini { ini.port } else { checked_port(ep.port.0).map_err(|e| input("port", e.0))? };
        let client_identity = self.client_identity()?;
        let ca_file = match &self.ca_file {
            Some(path) => Some(path.clone()),
            None => ini_ca_file()?,
        };
        let default_timeout = self.timeout.or(ini.timeout).unwrap_or_else(ini_timeout);
        self.reuse = self.reuse_with(&ini);
        self.targets
            .iter()
            .map(|target| {
                let helo = target.helo.as_deref().unwrap_or(ep.welcome);
                let client_id = match helo.parse::<std::net::IpAddr>() {
                    _ if helo.is_empty() => None,
                    Ok(ip) => Some(ClientId::literal(ip)),
                    Err(_) => Some(ClientId::new(helo)?),
                };
                let tls = match self.tls.or(target.tls).or(ini.tls).unwrap_or_default() {
                    // TLS required, and the URL says smtps://: TLS from the first byte meets it.
                    TlsMode::Required if target.tls == Some(TlsMode::Implicit) => TlsMode::Implicit,
                    tls => tls,
                };
                // One server named by `$smtp`: its port is `$port` (set from `$smtp` when that names
                // one). Otherwise each server keeps its own port; `smtps://` without one means 465.
                let port = match (self.targets.len(), target.port) {
                    (1, _) if !from_ini => port,
                    (_, Some(own)) => own,
                    (_, None) if target.tls == Some(TlsMode::Implicit) => 465,
                    (_, None) => port,
                };
                let options = SessionOptions {
                    timeout: self.timeout.or(target.timeout).unwrap_or(default_timeout),
                    client_id,
                    tls,
                    tls_settings: TlsSettings {
                        skip_verify: !self.verify_peer.or(target.verify_peer).unwrap_or(true),
                        ca_file: ca_file.clone(),
                        client_identity: client_identity.clone(),
                        pinned_keys: self.pinned_keys.clone(),
                    },
                    auth: self.auth_for(target, &ini),
                    source_address: self.source_address.or(target.source_ip),
                };
                Ok(Server { host: target.host.clone(), port, options })
            })
            .collect()
    }

    /// How the call connects: each setter wins over the URL (the first server of a list that
    /// sets the option), the URL over php.ini and the defaults.
    fn reuse_with(&self, ini: &IniSettings) -> Reuse {
        fn url<T>(targets: &[Target], option: impl Fn(&Target) -> Option<T>) -> Option<T> {
            targets.iter().find_map(option)
        }
        let targets = &self.targets;
        let defaults = Controls::default();
        let controls = Controls {
            idle_check: self.idle_check.or_else(|| url(targets, |t| t.ping_threshold)).unwrap_or(defaults.idle_check),
            max_per_connection: self
                .max_per_connection
                .or_else(|| url(targets, |t| t.restart_threshold))
                .filter(|&n| n > 0),
            max_per_second: self.max_per_second.or_else(|| url(targets, |t| t.max_per_second)).filter(|&r| r > 0.0),
            relay_mode: self.relay_mode.or_else(|| url(targets, |t| t.relay_mode)).unwrap_or(defaults.relay_mode),
        };
        Reuse {
            controls,
            persistent: self.persistent.or_else(|| url(targets, |t| t.persistent)).unwrap_or(ini.persistent),
            max_kept: ini.max_persistent,
            keep_alive: self.keep_alive,
        }
    }

    /// The client certificate: `setClientCertificate()`'s, else php.ini's. php.ini settings
    /// that cannot be used (one without the other, an unreadable file, a key that is not the
    /// certificate's) fail the send: a host that asked for mutual TLS never connects without.
    ///
    /// # Errors
    /// The php.ini client certificate settings are incomplete or unusable.
    fn client_identity(&self) -> Result<Option<ClientIdentity>, Error> {
        if self.client_identity.is_some() {
            return Ok(self.client_identity.clone());
        }
        let Some(settings) = config::read_client_cert() else { return Ok(None) };
        ini_identity(&settings).map(Some).map_err(|reason| Error::Tls { reason })
    }

    fn auth_for(&self, target: &Target, ini: &IniSettings) -> Option<AuthOptions> {
        let (credentials, mechanism) = match (&self.auth, &target.user, &ini.credentials) {
            (Some((login, mechanism)), _, _) => (login.unresolved(), *mechanism),
            (None, Some(user), _) => {
                (Credentials::new(user, target.password.as_deref().unwrap_or_default()), target.mechanism)
            }
            (None, None, Some((user, password))) => (Credentials::new(user, password), target.mechanism),
            (None, None, None) => return None,
        };
        Some(AuthOptions { credentials, mechanism, allow_without_tls: self.allow_insecure_auth, trust_loopback: true })
    }

    /// Parses `$smtp` again when it changed: a URL password is kept here and masked in the
    /// property, and a single server's port becomes `$port`.
    fn sync_targets(&mut self, smtp: &mut LooseString, port: &mut LooseInt) -> Result<(), String> {
        if self.parsed_from.as_deref() == Some(smtp.0.as_slice()) {
            return Ok(());
        }
        let text = String::from_utf8(smtp.0.clone()).map_err(|_| "not valid UTF-8".to_owned())?;
        let targets = parse_targets(&text).map_err(|e| e.0)?;
        if let [only] = targets.as_slice() {
            if let Some(p) = only.port {
                *port = LooseInt(i64::from(p));
            } else if only.tls == Some(TlsMode::Implicit) && port.0 == 25 {
                // `smtps://host` or `ssl://host` without a port: 465, unless the script gave
                // its own (`new SMTP("ssl://host", 2465)`).
                *port = LooseInt(465);
            }
        }
        let shown = redact(&text);
        *smtp = LooseString::from(shown.as_str());
        self.parsed_from = Some(shown.into_bytes());
        self.targets = targets;
        Ok(())
    }

    /// Checks `$smtp` at construction, so a bad value is a `ValueError` there; an empty one
    /// needs a server in php.ini.
    pub fn prepare(&mut self, smtp: &mut LooseString, port: &mut LooseInt, ini: &IniSettings) -> Result<(), String> {
        if smtp.0.is_empty() {
            let server = ini.server.as_deref().ok_or_else(|| NO_SERVER.to_owned())?;
            return parse_targets(server).map(|_| ()).map_err(|e| format!("php.ini sendmail.host/dsn: {}", e.0));
        }
        self.sync_targets(smtp, port)
    }
}

/// The command that failed: the refused one (with PIPELINING, later commands may already have
/// gone out), else the last one sent.
fn failing_command(error: &Error, tracker: &mut Tracker) -> String {
    match error {
        Error::Rejected { command, .. } => command.clone(),
        _ => std::mem::take(&mut tracker.last_sent),
    }
}

/// `sendmail.cafile`, when set. A file the script named with `ini_set()` obeys open_basedir,
/// as `setCaFile()` does; the one php.ini names is the administrator's.
///
/// # Errors
/// A file set at run time outside the directories open_basedir allows.
fn ini_ca_file() -> Result<Option<PathBuf>, Error> {
    let Some(path) = zapi::ini_string("sendmail.cafile").filter(|path| !path.trim().is_empty()) else {
        return Ok(None);
    };
    if !zapi::ini_path_allowed("sendmail.cafile", &path)(path.as_bytes()) {
        return Err(Error::Tls {
            reason: "php.ini sendmail.cafile names a file outside the directories open_basedir allows".into(),
        });
    }
    Ok(Some(PathBuf::from(path)))
}

/// `default_socket_timeout`, as PHP's own sockets use it.
fn ini_timeout() -> Duration {
    let seconds = zapi::ini_string("default_socket_timeout").and_then(|v| v.trim().parse::<f64>().ok());
    match seconds {
        Some(s) if s.is_finite() && s > 0.0 => Duration::from_secs_f64(s.min(86_400.0)),
        _ => FALLBACK_TIMEOUT,
    }
}

fn utf8<'a>(bytes: &'a [u8], argument: &'static str) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|_| Error::Input(InputError { argument, reason: "not valid UTF-8".into() }))
}

/// A PHP callable that receives the dialogue, one line at a time.
#[derive(Debug)]
pub struct Logger(Zval);

impl Logger {
    /// Keeps a reference to the callable.
    pub fn new(callable: &Zval) -> Logger {
        Logger(callable.shallow_clone())
    }

    /// The callable, for the garbage collector.
    pub fn zval_mut(&mut self) -> &mut Zval {
        &mut self.0
    }

    /// Calls it with the line and `"in"` or `"out"`; false when it threw (the exception stays
    /// pending for PHP) or cannot be called.
    fn call(&self, line: &str, direction: Direction) -> bool {
        let direction = if direction == Direction::In { "in" } else { "out" };
        let Ok(callable) = ZendCallable::new(&self.0) else {
            return false;
        };
        callable.try_call(vec![&line, &direction]).is_ok() && !ExecutorGlobals::has_exception()
    }
}

impl Clone for Logger {
    fn clone(&self) -> Logger {
        Logger(self.0.shallow_clone())
    }
}

/// Records `$lastact`, the transcript, and prints debug lines (or hands them to the logger).
struct Tracker {
    logger: Option<Logger>,
    output: Sink,
    last_sent: String,
    transcript: String,
    new_session: bool,
    /// After a failure: the QUIT that follows must not replace the failing command.
    frozen: bool,
    /// The last command was BDAT: the message that follows ends without a `.`.
    chunked: bool,
}

impl Tracker {
    fn new(output: Sink, logger: Option<&Logger>) -> Tracker {
        Tracker {
            logger: logger.cloned(),
            output,
            last_sent: String::new(),
            transcript: String::new(),
            new_session: false,
            frozen: false,
            chunked: false,
        }
    }

    fn line(&mut self, text: &[u8], direction: Direction) {
        let prefix = if direction == Direction::In { "<< " } else { ">> " };
        self.transcript.push_str(prefix);
        self.transcript.push_str(&String::from_utf8_lossy(text));
        self.transcript.push('\n');
        match &self.logger {
            Some(logger) if !logger.call(&String::from_utf8_lossy(text), direction) => self.logger = None,
            Some(_) => {}
            None if !self.output.show(text, direction) => self.output = Sink::Off,
            None => {}
        }
    }
}

impl Observer for Tracker {
    fn on_event(&mut self, event: Event<'_>) {
        // `$lastact` follows the commands sent, except those that clean up after a failure
        // (QUIT after it, RSET); a new connection replacing a kept one is followed again.
        if matches!(event, Event::Reconnecting) {
            self.frozen = false;
        }
        if !self.frozen {
            match &event {
                Event::Connecting(_) => self.last_sent = "connect".into(),
                Event::Sent(line) => (*line).clone_into(&mut self.last_sent),
                Event::Message { .. } => self.last_sent = ".".into(),
                Event::Ending | Event::Resetting => self.frozen = true,
                Event::Continued(_) | Event::Received(_) | Event::Failed(_) | Event::Reconnecting => {}
            }
        }
        match event {
            Event::Connecting(target) => {
                if !self.new_session {
                    self.new_session = true;
                    self.transcript.clear();
                }
                self.line(format!("connect to {target}").as_bytes(), Direction::Out);
            }
            Event::Sent(line) => {
                self.chunked = line.starts_with("BDAT ");
                self.line(line.as_bytes(), Direction::Out);
            }
            Event::Continued(line) => self.line(line.as_bytes(), Direction::Out),
            Event::Received(reply) => {
                for line in reply.to_string().lines() {
                    self.line(line.as_bytes(), Direction::In);
                }
            }
            Event::Message { head, size } => {
                for line in head.split(|&b| b == b'\n') {
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    if !line.is_empty() {
                        self.line(line, Direction::Out);
                    }
                }
                self.line(format!("[message: {size} bytes]").as_bytes(), Direction::Out);
                if !self.chunked {
                    self.line(b".", Direction::Out);
                }
            }
            Event::Failed(text) => self.line(text.as_bytes(), Direction::In),
            Event::Ending | Event::Reconnecting | Event::Resetting => {}
        }
    }
}
