//! `SendMail\Exception` (extends `\RuntimeException`) and its subclasses (`classes`), and
//! [`exception_for`] / [`exception_object`], which turn a [`crate::client::Error`] into the
//! matching one.
//!
//! ext-php-rs installs its own `create_object` on each class, so the engine's
//! `zend_default_exception_new` never runs: the PHP constructor and [`exception_object`] set
//! `file`, `line` and `trace` themselves (`zend`), as PHP would have.
//!
//! Use from a `#[php_impl]` method:
//!
//! ```ignore
//! pub fn send_message(&mut self, message: &Message) -> PhpResult<Receipt> {
//!     let delivery = self.mailer.deliver(message).map_err(|error| exception_for(&error))?;
//!     Ok(Receipt::from(&delivery))
//! }
//! ```

mod classes;
mod zend;

pub use classes::{
    AuthException, ConnectException, InvalidInputException, ProtocolException, RecipientException, SmtpException,
    TimeoutException, TlsException,
};

use ext_php_rs::{
    class::RegisteredClass,
    convert::{FromZvalMut, IntoZval},
    exception::PhpException,
    flags::DataType,
    types::{ZendClassObject, ZendObject, ZendStr, Zval},
    zend::{ce, ClassEntry, ExecutorGlobals},
};

use super::{loose::Bytes, zapi};
use crate::{client::Error, transport::ConnectError};

/// The parent class: `\RuntimeException`, or `\Exception` should SPL's symbol be missing.
fn runtime_exception() -> &'static ClassEntry {
    zapi::runtime_exception_ce().unwrap_or_else(ext_php_rs::zend::ce::exception)
}

/// What every exception of the extension carries besides message and code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// The SMTP reply code, 0 when there was no reply.
    smtp_code: i64,
    /// The RFC 3463 code of the reply (`5.7.8`).
    enhanced_code: Option<String>,
    /// `connect`, `tls`, `greeting`, `ehlo`, `auth`, `mail`, `rcpt`, `data`, `quit`, `command`, `input`.
    stage: String,
    /// The whole reply, every line as the server sent it.
    reply: String,
    /// The server could not be reached (refused, unreachable, timed out, no answer from the
    /// resolver): it may be back later.
    unreachable: bool,
}

impl Details {
    /// What a client error says, minus the message.
    fn of(error: &Error) -> Details {
        let reply = error.reply();
        Details {
            smtp_code: reply.map_or(0, |reply| i64::from(reply.code().0)),
            enhanced_code: reply.and_then(crate::protocol::Reply::enhanced_code).map(|code| code.to_string()),
            stage: error.stage().as_str().to_owned(),
            reply: reply.map(ToString::to_string).unwrap_or_default(),
            unreachable: match error {
                Error::Connect(ConnectError::Connect { .. }) => true,
                Error::Connect(ConnectError::Resolve { reason, .. }) => {
                    reason.contains("no answer from the resolver") || reason.contains("Temporary failure")
                }
                _ => false,
            },
        }
    }

    /// What a PHP caller gave the constructor (text fields in any bytes, read as UTF-8).
    fn given(code: i64, enhanced_code: Option<Bytes>, stage: Bytes, reply: Bytes) -> Details {
        let text = |bytes: Bytes| String::from_utf8_lossy(&bytes.0).into_owned();
        Details {
            smtp_code: code,
            enhanced_code: enhanced_code.map(text),
            stage: text(stage),
            reply: text(reply),
            unreachable: false,
        }
    }

    /// A 4xx reply, or a server out of reach: the same attempt may succeed later.
    fn transient_code(&self) -> bool {
        self.unreachable || (400..500).contains(&self.smtp_code)
    }
}

/// `?\Throwable $previous`: null, or an object that implements `Throwable`.
pub struct Previous<'a>(Option<&'a mut ZendObject>);

impl<'a> FromZvalMut<'a> for Previous<'a> {
    const TYPE: DataType = DataType::object("Throwable");
    const NULLABLE: bool = true;

    fn from_zval_mut(zval: &'a mut Zval) -> Option<Self> {
        if zval.is_null() {
            return Some(Previous(None));
        }
        let object = zval.object_mut()?;
        object.instance_of(ce::throwable()).then_some(Previous(Some(object)))
    }

    fn from_missing() -> Option<Self> {
        Some(Previous(None))
    }
}

/// What `Exception::__construct()` does to `$this` (message, code, previous), plus the file,
/// line and trace of the `new` expression, which PHP sets when it creates the object.
fn construct_this(message: &[u8], code: i64, previous: Previous<'_>) {
    let frame = ExecutorGlobals::get().current_execute_data;
    // SAFETY: a constructor runs with its own frame as `EG(current_execute_data)`; the frame and
    // its `$this` stay valid for the whole call, and nothing else borrows them here.
    let Some(this) = (unsafe { frame.as_mut() }).and_then(|frame| frame.get_self()) else {
        return;
    };
    set_message_and_code(this, message, code);
    if let Previous(Some(previous)) = previous {
        let mut value = Zval::new();
        value.set_object(previous);
        zend::set_exception_property(this, "previous", &mut value);
    }
    if zend::location_unset(this) {
        let frame = zend::construction_frame(this);
        zend::fill_location(this, frame);
    }
}

fn set_message_and_code(object: &mut ZendObject, message: &[u8], code: i64) {
    let mut value = Zval::new();
    value.set_zend_string(ZendStr::new(message, false));
    zend::set_exception_property(object, "message", &mut value);
    value.set_long(code);
    zend::set_exception_property(object, "code", &mut value);
}

/// The exception a client error becomes, as a PHP object, thrown or not (`sendBatch()` returns
/// them). Build it inside the `#[php_impl]` method that reports the error: its file, line and
/// trace are those of the PHP call running now, as for PHP's own exceptions. `None` only when
/// the classes are not registered (outside PHP).
///
/// Message: the error's text. Code and `getSmtpCode()`: the reply code, 0 without a reply.
/// `getStage()`: `error.stage()`. `getReply()`: the whole reply; `getEnhancedCode()`: its RFC 3463
/// code. The class:
///
/// | error | class |
/// |---|---|
/// | `Connect`, `Refused` at connect | `SendMail\ConnectException` |
/// | `Tls`, `Rejected` or `Refused` at tls | `SendMail\TlsException` |
/// | `Rejected` or `Refused` at auth | `SendMail\AuthException` |
/// | `RecipientsRejected`, `Rejected` at rcpt | `SendMail\RecipientException` (`getRejected()`: each address => reply) |
/// | `Timeout` | `SendMail\TimeoutException` |
/// | `Protocol`, `Closed`, `Io` | `SendMail\ProtocolException` |
/// | `Input`, `Command`, `Refused` at input | `SendMail\InvalidInputException` |
/// | `Rejected` or `Refused` at any other stage | `SendMail\Exception` |
#[must_use]
#[allow(dead_code, reason = "the binding's sending methods use it")]
pub fn exception_object(error: &Error) -> Option<Zval> {
    let details = Details::of(error);
    let message = error.to_string();
    let code = details.smtp_code;
    match error {
        Error::Connect(_) => build(ConnectException::from_details(details), &message, code),
        Error::Tls { .. } => build(TlsException::from_details(details), &message, code),
        Error::Refused { stage, .. } | Error::Rejected { stage, .. } => match (error, stage) {
            (_, crate::protocol::Stage::Auth) => build(AuthException::from_details(details), &message, code),
            (_, crate::protocol::Stage::Tls) => build(TlsException::from_details(details), &message, code),
            (Error::Refused { .. }, crate::protocol::Stage::Input) => {
                build(InvalidInputException::from_details(details), &message, code)
            }
            (Error::Refused { .. }, crate::protocol::Stage::Connect) => {
                build(ConnectException::from_details(details), &message, code)
            }
            (Error::Rejected { command, reply, .. }, crate::protocol::Stage::Rcpt) => {
                // One refused recipient (legacy send(), or a 421): the address from its command.
                let address = command.trim_start_matches("RCPT TO:<").split('>').next().unwrap_or_default().to_owned();
                build(RecipientException::from_details(details, vec![(address, reply.to_string())]), &message, code)
            }
            _ => build(SmtpException::from_details(details), &message, code),
        },
        Error::RecipientsRejected { rejected } => {
            let rejected = rejected.iter().map(|(address, reply)| (address.clone(), reply.to_string())).collect();
            build(RecipientException::from_details(details, rejected), &message, code)
        }
        Error::Timeout { .. } => build(TimeoutException::from_details(details), &message, code),
        Error::Protocol { .. } | Error::Closed { .. } | Error::Io { .. } => {
            build(ProtocolException::from_details(details), &message, code)
        }
        Error::Input(_) | Error::Command(_) | Error::Signing(_) => {
            build(InvalidInputException::from_details(details), &message, code)
        }
    }
}

/// The `SendMail\*Exception` for a client error, for a `#[php_impl]` method to return as
/// `Err(exception_for(&error))` from its `PhpResult<T>`; ext-php-rs then throws the object built by
/// [`exception_object`] (class, message, codes, stage, reply, and the caller's file, line and
/// trace). Build it in the method that returns it, not ahead of time: the location is taken
/// when it is built.
#[must_use]
pub fn exception_for(error: &Error) -> PhpException {
    let message = error.to_string();
    let code = error.reply().map_or(0, |reply| i32::from(reply.code().0));
    if ExecutorGlobals::has_exception() {
        // PHP code the call ran (a password closure, a logger) threw: that exception goes to
        // the caller as it is, and this one is never thrown.
        return PhpException::new(message, code, runtime_exception());
    }
    match exception_object(error) {
        Some(object) => PhpException::new(message, code, runtime_exception()).with_object(object),
        None => PhpException::new(message, code, runtime_exception()),
    }
}

/// A thrown-to-be exception object: the Rust data, then message, code and location.
fn build<T: RegisteredClass>(value: T, message: &str, code: i64) -> Option<Zval> {
    if !T::get_metadata().has_ce() {
        return None;
    }
    let mut object = ZendClassObject::new(value);
    set_message_and_code(&mut object.std, message.as_bytes(), code);
    let frame = ExecutorGlobals::get().current_execute_data;
    zend::fill_location(&mut object.std, frame);
    object.into_zval(false).ok()
}
