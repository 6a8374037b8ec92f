//! `SendMail` (alias `send_mail`): the legacy drop-in. Converts PHP values, calls the client,
//! and keeps the legacy properties as scripts expect them.

use std::time::Duration;

use ext_php_rs::{
    binary_slice::BinarySlice,
    exception::PhpException,
    prelude::*,
    types::{ZendClassObject, Zval},
    zend::ce,
};

use super::{
    debug::{show, DebugEcho, Direction},
    loose::{LooseBool, LooseInt, LooseString},
    zapi,
};
use crate::{
    client::{checked_port, parse_target, Error, Event, Observer, Session, SessionOptions},
    message::legacy::{InputError, LegacyMessage},
    protocol::{ClientId, Reply},
    transport::hostname::hostname,
};

/// Timeout when `default_socket_timeout` is unset, zero or negative (never wait for ever).
const FALLBACK_TIMEOUT: Duration = Duration::from_secs(60);

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
    /// The server, as given to the constructor.
    #[php(prop)]
    pub smtp: LooseString,
    /// The server's port.
    #[php(prop)]
    pub port: LooseInt,
    timeout: Option<Duration>,
    /// The `$smtp` whose port (if it names one) `$port` last took, so a changed `$smtp` such as
    /// `"host:2525"` brings its port along, while a changed `$port` alone is kept.
    port_taken_from: Vec<u8>,
    session: OpenSession,
}

/// A connection left open by `do_command()`; QUIT when the object goes away.
#[derive(Debug, Default)]
struct OpenSession(Option<Session>);

/// A clone gets its own connection when it needs one.
impl Clone for OpenSession {
    fn clone(&self) -> Self {
        OpenSession(None)
    }
}

impl Drop for OpenSession {
    fn drop(&mut self) {
        if let Some(session) = self.0.take() {
            session.quit(&mut ());
        }
    }
}

impl SendMail {
    /// A fresh object, as the constructor leaves it before reading its arguments.
    fn fresh() -> Self {
        SendMail {
            lastmessage: LooseString::default(),
            lastact: LooseString::default(),
            welcome: LooseString::from(hostname().unwrap_or_default()),
            debug: LooseBool(false),
            smtp: LooseString::default(),
            port: LooseInt(25),
            timeout: None,
            port_taken_from: Vec::new(),
            session: OpenSession::default(),
        }
    }
}

/// Records what `$lastact` must say while printing debug lines.
struct Tracker {
    echo: DebugEcho,
    last_sent: String,
    /// After a failure: the QUIT that follows must not replace the failing command.
    frozen: bool,
}

impl Observer for Tracker {
    fn on_event(&mut self, event: Event<'_>) {
        if !self.frozen {
            match &event {
                Event::Connecting(_) => self.last_sent = "connect".into(),
                Event::Sent(line) => (*line).clone_into(&mut self.last_sent),
                Event::Message { .. } => self.last_sent = ".".into(),
                Event::Ending => self.frozen = true,
                Event::Received(_) | Event::Failed(_) => {}
            }
        }
        self.echo.on_event(event);
    }
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl SendMail {
    /// `new SendMail("mail.example.com")`, `"host:2525"` or `"[::1]:25"`; `$welcome` is the EHLO
    /// name (this machine's host name when empty); `$debug` prints the dialogue.
    #[php(defaults(smtp = "\"\".to_owned()", welcome = "\"\".to_owned()", debug = false))]
    pub fn __construct(smtp: String, welcome: String, debug: bool) -> PhpResult<Self> {
        let target = parse_target(&smtp).map_err(|e| {
            value_error(&format!(
                "SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as \"mail.example.com\" or \"127.0.0.1:2525\": {e}"
            ))
        })?;
        let mut this = SendMail {
            port_taken_from: smtp.clone().into_bytes(),
            smtp: LooseString::from(smtp),
            debug: LooseBool(debug),
            ..SendMail::fresh()
        };
        if !welcome.is_empty() {
            this.welcome = LooseString::from(welcome);
        }
        if let Some(port) = target.port {
            this.port = LooseInt(i64::from(port));
        }
        Ok(this)
    }

    /// Sends one message; true when the server accepted it for every recipient.
    pub fn send(
        &mut self,
        to: BinarySlice<u8>,
        from: BinarySlice<u8>,
        subject: BinarySlice<u8>,
        message: BinarySlice<u8>,
    ) -> bool {
        let mut tracker = self.tracker();
        if let Some(session) = self.session.0.take() {
            session.quit(&mut tracker);
        }
        tracker.last_sent.clear();
        let result = self.try_send(&to, &from, &subject, &message, &mut tracker);
        match result {
            Ok(reply) => {
                self.lastact = LooseString::from("QUIT");
                self.lastmessage = LooseString::from(reply.to_string());
                true
            }
            Err(error) => {
                self.fail(&error, &mut tracker);
                false
            }
        }
    }

    /// Sends a raw command on the open connection (opening one if none) and checks that the
    /// reply starts with `$code`.
    pub fn do_command(&mut self, command: BinarySlice<u8>, code: &Zval) -> PhpResult<bool> {
        let code = match (code.zend_str(), code.long()) {
            (Some(text), _) => text.as_bytes().to_vec(),
            (None, Some(number)) => number.to_string().into_bytes(),
            _ => {
                let given = code.get_type();
                return Err(PhpException::new(
                    format!("SendMail::do_command(): Argument #2 ($code) must be of type string|int, {given:?} given"),
                    0,
                    ce::type_error(),
                ));
            }
        };
        Ok(self.run_command(&command, &code))
    }
    /// Prints a debug line when `$debug` is on: `<< ` for "in" (server), `>> ` otherwise.
    pub fn show_debug(&self, message: BinarySlice<u8>, inout: String) {
        if self.debug.0 {
            show(&message, if inout == "in" { Direction::In } else { Direction::Out });
        }
    }

    /// The connect timeout and the deadline for each reply, in seconds.
    #[php(name = "setTimeout")]
    pub fn set_timeout(
        self_: &mut ZendClassObject<SendMail>,
        seconds: f64,
    ) -> PhpResult<&mut ZendClassObject<SendMail>> {
        if !(seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0) {
            return Err(value_error(
                "SendMail::setTimeout(): Argument #1 ($seconds) must be greater than 0 and at most 86400",
            ));
        }
        self_.timeout = Some(Duration::from_secs_f64(seconds));
        Ok(self_)
    }
}

impl SendMail {
    /// `do_command()` once its arguments are checked.
    fn run_command(&mut self, command: &[u8], code: &[u8]) -> bool {
        let mut tracker = self.tracker();
        let mut session = match self.session.0.take() {
            Some(session) => session,
            None => match self.open(&mut tracker) {
                Ok(session) => session,
                Err(error) => {
                    self.fail(&error, &mut tracker);
                    return false;
                }
            },
        };
        match session.raw_command(command, &mut tracker) {
            Ok((reply, display)) => {
                self.lastact = LooseString::from(display);
                self.lastmessage = LooseString::from(reply.to_string());
                if !reply.closes_connection() {
                    self.session.0 = Some(session);
                }
                self.lastmessage.0.starts_with(code)
            }
            Err(error) => {
                self.fail(&error, &mut tracker);
                if error.connection_usable() {
                    self.session.0 = Some(session);
                }
                false
            }
        }
    }

    fn tracker(&self) -> Tracker {
        Tracker {
            echo: DebugEcho { enabled: self.debug.0 },
            last_sent: self.lastact.text().into_owned(),
            frozen: false,
        }
    }

    fn try_send(
        &mut self,
        to: &[u8],
        from: &[u8],
        subject: &[u8],
        message: &[u8],
        tracker: &mut Tracker,
    ) -> Result<Reply, Error> {
        let to = utf8(to, "to")?;
        let from = utf8(from, "from")?;
        let message = LegacyMessage::new(to, from, subject, message)?;
        let mut session = self.open(tracker)?;
        match session.send_legacy(&message, tracker) {
            Ok(reply) => {
                session.quit(tracker);
                Ok(reply)
            }
            Err(error) => {
                session.end(&error, tracker);
                Err(error)
            }
        }
    }

    fn open(&mut self, tracker: &mut Tracker) -> Result<Session, Error> {
        let input = |argument, reason: String| Error::Input(InputError { argument, reason });
        let target = parse_target(&self.smtp.text()).map_err(|e| input("smtp", e.0))?;
        if self.smtp.0 != self.port_taken_from {
            if let Some(port) = target.port {
                self.port = LooseInt(i64::from(port));
            }
            self.port_taken_from.clone_from(&self.smtp.0);
        }
        let port = checked_port(self.port.0).map_err(|e| input("port", e.0))?;
        let welcome = self.welcome.text();
        let client_id = if welcome.is_empty() {
            None
        } else {
            Some(ClientId::new(&welcome)?)
        };
        let options = SessionOptions {
            timeout: self.timeout(),
            client_id,
        };
        Session::open(&target.host, port, &options, tracker)
    }

    fn timeout(&self) -> Duration {
        self.timeout.unwrap_or_else(|| {
            let seconds = zapi::ini_string("default_socket_timeout").and_then(|v| v.trim().parse::<f64>().ok());
            match seconds {
                Some(s) if s.is_finite() && s > 0.0 => Duration::from_secs_f64(s.min(86_400.0)),
                _ => FALLBACK_TIMEOUT,
            }
        })
    }

    /// Sets `$lastact` and `$lastmessage` after a failure, and prints it in debug mode.
    fn fail(&mut self, error: &Error, tracker: &mut Tracker) {
        let lastact = std::mem::take(&mut tracker.last_sent);
        self.lastact = LooseString::from(lastact);
        let text = match error.reply() {
            Some(reply) => reply.to_string(),
            None => {
                let text = error.to_string();
                tracker.on_event(Event::Failed(&text));
                text
            }
        };
        self.lastmessage = LooseString::from(text);
    }
}

/// Creates `SendMail` objects, also for userland subclasses: the object gets the subclass's
/// class entry and starts initialised, so a subclass constructor that never calls the parent's
/// still has a working object (as with PHP's own classes).
pub extern "C" fn create_object(ce: *mut ext_php_rs::ffi::zend_class_entry) -> *mut ext_php_rs::ffi::zend_object {
    // SAFETY: the engine passes the class entry being instantiated: `SendMail` or a subclass,
    // whose objects all carry a `SendMail` inside.
    let mut object = unsafe {
        ZendClassObject::<SendMail>::new_uninit(ce.cast_const().cast::<ext_php_rs::zend::ClassEntry>().as_ref())
    };
    object.initialize(SendMail::fresh());
    let raw = object.into_raw();
    // SAFETY: `into_raw` hands over a valid object, now owned by the engine.
    unsafe { &raw mut (*raw).std }
}

fn utf8<'a>(bytes: &'a [u8], argument: &'static str) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|_| {
        Error::Input(InputError {
            argument,
            reason: "not valid UTF-8".into(),
        })
    })
}

fn value_error(message: &str) -> PhpException {
    PhpException::new(message.to_owned(), 0, ce::value_error())
}
