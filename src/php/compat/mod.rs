//! `SendMail\Compat\Smtp`: the `smtp` class family (the English article's `SMTP` and the copies
//! that spread as `smtp`, `Smtp`, `SMTP_mail`...; global name `SMTP` when `sendmail.aliases`
//! asks for it), on the shared mailer. The argument layouts and the header block are in
//! [`crate::message::legacy_smtp`]; this file converts PHP values and keeps the public
//! properties that callers read and write.

#![allow(non_snake_case, reason = "PHP parameter names such as `$fromUser`")]

mod log;
mod properties;

use std::time::Duration;

use ext_php_rs::{
    binary_slice::BinarySlice,
    prelude::*,
    types::{ZendClassObject, Zval},
    zend::ExecutorGlobals,
};

pub use properties::install_handlers;

use super::{
    config,
    debug::Sink,
    login::Login,
    loose::{Bytes, LooseBool, LooseInt, LooseString},
    mailer::{Endpoint, Mailer, Outcome},
    objects::Fresh,
    send_mail::checked_timeout,
};
use crate::{
    client::{Delivery, Error},
    message::{
        legacy::LegacyMessage,
        legacy_smtp::{names_a_user, SmtpMail},
    },
    protocol::Credentials,
};

/// The timeout of the legacy class (`$time_out`), when php.ini sets none.
const LEGACY_TIMEOUT: i64 = 30;

/// The `smtp` class: `sendmail()` sends, `smtp_putcmd()` sends one raw command.
#[php_class]
#[php(name = "SendMail\\Compat\\Smtp")]
#[derive(Debug, Clone)]
pub struct Smtp {
    /// The server: a host, `ssl://host`, `host:port` or a URL.
    #[php(prop, name = "relay_host")]
    pub relay_host: LooseString,
    /// The server's port.
    #[php(prop, name = "smtp_port")]
    pub smtp_port: LooseInt,
    /// Seconds to wait for the connection and for each reply.
    #[php(prop, name = "time_out")]
    pub time_out: LooseInt,
    /// The HELO name (an IP address goes out as an address literal such as `[127.0.0.1]`).
    #[php(prop, name = "host_name")]
    pub host_name: LooseString,
    /// A log file that gets one line per step, when it exists.
    #[php(prop, name = "log_file")]
    pub log_file: LooseString,
    /// Print the dialogue.
    #[php(prop)]
    pub debug: LooseBool,
    /// Log in before sending.
    #[php(prop)]
    pub auth: LooseBool,
    /// The user name.
    #[php(prop)]
    pub user: LooseString,
    /// The password (shown as `********` by `var_dump()`, `print_r()`, `var_export()` and
    /// `json_encode()`).
    #[php(prop)]
    pub pass: LooseString,
    /// The last reply (all lines, joined by "\n"), or an error text.
    #[php(prop)]
    pub lastmessage: LooseString,
    /// Made with the user-first constructor, whose `sendmail()` defaults to HTML.
    html_by_default: bool,
    /// `setTimeout()` was called: it wins over `$time_out`.
    timeout_set: bool,
    mailer: Mailer,
}

impl Fresh for Smtp {
    fn fresh() -> Smtp {
        let time_out = config::read()
            .timeout
            .map_or(LEGACY_TIMEOUT, |t| i64::try_from(t.as_secs().max(1)).unwrap_or(LEGACY_TIMEOUT));
        Smtp {
            relay_host: LooseString::default(),
            smtp_port: LooseInt(25),
            time_out: LooseInt(time_out),
            host_name: LooseString::from("127.0.0.1"),
            log_file: LooseString::default(),
            debug: LooseBool(false),
            auth: LooseBool(false),
            user: LooseString::default(),
            pass: LooseString::default(),
            lastmessage: LooseString::default(),
            html_by_default: false,
            timeout_set: false,
            mailer: Mailer::default(),
        }
    }
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl Smtp {
    /// `new SMTP("smtp.example.com", 25, true, "user", "password")`, or the user-first layout
    /// `new smtp("smtp.example.com", 25, "user", "password")` (`$auth` true, HTML mail by default).
    /// Properties a subclass wrote before calling this constructor stay unless an argument
    /// gives them.
    #[php(defaults(
        relay_host = "Bytes::default()",
        smtp_port = 25,
        user = "Bytes::default()",
        pass = "Bytes::default()"
    ))]
    #[php(optional = relay_host)]
    pub fn __construct(relay_host: Bytes, smtp_port: i64, auth: Option<&Zval>, user: Bytes, pass: Bytes) -> Smtp {
        let passed = passed_arguments();
        let mut this = this_object().unwrap_or_else(Smtp::fresh);
        if passed > 0 {
            this.relay_host = LooseString(relay_host.0);
        }
        if passed > 1 {
            this.smtp_port = LooseInt(if smtp_port > 0 { smtp_port } else { 25 });
        }
        let third = auth.and_then(Zval::zend_str).map(|s| s.as_bytes().to_vec());
        match third {
            Some(named) if names_a_user(&named) => {
                // ($relay_host, $smtp_port, $user, $pass, $auth = true): the values sit one place on.
                this.user = LooseString(named);
                this.pass = if passed > 3 { LooseString(user.0) } else { this.pass };
                this.auth = LooseBool(passed <= 4 || !is_false_word(&pass.0));
                this.html_by_default = true;
            }
            _ => {
                if passed > 2 {
                    this.auth = LooseBool(auth.is_some_and(Zval::coerce_to_bool));
                }
                if passed > 3 {
                    this.user = LooseString(user.0);
                }
                if passed > 4 {
                    this.pass = LooseString(pass.0);
                }
            }
        }
        this
    }

    /// Sends one message; true when every recipient got it. Takes the canonical layout
    /// `($to, $from, $subject, $body, $mailtype, $cc, $bcc, $additional_headers, $fromUser,
    /// $replyToAddress)` and the forks with a sender name sixth or third (see the README).
    #[php(defaults(
        subject = "Bytes::default()",
        body = "Bytes::default()",
        mailtype = "Bytes::default()",
        additional_headers = "Bytes::default()",
        fromUser = "Bytes::default()",
        replyToAddress = "Bytes::default()"
    ))]
    #[php(optional = subject)]
    #[allow(clippy::too_many_arguments, reason = "the legacy method's ten parameters")]
    pub fn sendmail(
        &mut self,
        to: BinarySlice<u8>,
        from: BinarySlice<u8>,
        subject: Bytes,
        body: Bytes,
        mailtype: Bytes,
        cc: Option<Bytes>,
        bcc: Option<Bytes>,
        additional_headers: Bytes,
        fromUser: Bytes,
        replyToAddress: Bytes,
    ) -> bool {
        let passed = passed_arguments();
        let values: [Option<&[u8]>; 10] = [
            Some(&to),
            Some(&from),
            Some(&subject.0[..]),
            Some(&body.0[..]),
            Some(&mailtype.0[..]),
            cc.as_ref().map(|c| &c.0[..]),
            bcc.as_ref().map(|b| &b.0[..]),
            Some(&additional_headers.0[..]),
            Some(&fromUser.0[..]),
            Some(&replyToAddress.0[..]),
        ];
        let args: Vec<Option<&[u8]>> =
            values.iter().enumerate().map(|(i, v)| if i < passed { *v } else { None }).collect();
        let default_type: &[u8] = if self.html_by_default { b"HTML" } else { b"" };
        let (mail, _) = SmtpMail::from_args(&args, default_type);
        self.configure();
        let head = mail.head();
        let head = head.as_deref().map_err(Clone::clone);
        let output = Sink::printing(self.debug.0);
        let host_name = self.host_name.text().into_owned();
        let ep = Endpoint { smtp: &mut self.relay_host, port: &mut self.smtp_port, welcome: &host_name, output };
        let (outcome, result) = self.mailer.send_legacy(ep, mail.to, mail.from, |to, from| {
            Ok(LegacyMessage::from_parts(to, from, mail.subject, head?, mail.body)?.deliver_to_accepted())
        });
        self.log(&result, &mail);
        self.apply(outcome, &result)
    }

    /// Sends `$cmd` and CRLF on the open connection (opening one if none); true on a 2xx or 3xx reply.
    pub fn smtp_putcmd(&mut self, cmd: BinarySlice<u8>) -> bool {
        self.configure();
        let output = Sink::printing(self.debug.0);
        let host_name = self.host_name.text().into_owned();
        let ep = Endpoint { smtp: &mut self.relay_host, port: &mut self.smtp_port, welcome: &host_name, output };
        let outcome = self.mailer.command(ep, &cmd, |reply| matches!(reply.first(), Some(b'2' | b'3')));
        self.lastmessage = LooseString::from(outcome.lastmessage);
        outcome.ok
    }

    /// The dialogue of the last session, secrets masked.
    #[php(name = "getTranscript")]
    pub fn get_transcript(&self) -> String {
        self.mailer.transcript().to_owned()
    }

    /// The connect timeout and per-reply deadline, in seconds (instead of `$time_out`).
    #[php(name = "setTimeout")]
    pub fn set_timeout(self_: &mut ZendClassObject<Smtp>, seconds: f64) -> PhpResult<&mut ZendClassObject<Smtp>> {
        self_.mailer.timeout = Some(checked_timeout(seconds, "SendMail\\Compat\\Smtp::setTimeout()")?);
        self_.timeout_set = true;
        Ok(self_)
    }
}

impl Smtp {
    /// The properties a script may have changed since the last call: `$auth`, `$user`, `$pass`,
    /// `$time_out`.
    fn configure(&mut self) {
        self.mailer.auth = self.auth.0.then(|| (Login::Fixed(Credentials::new(&self.user.0, &self.pass.0)), None));
        if !self.timeout_set {
            let seconds = u64::try_from(self.time_out.0).ok().filter(|&s| s > 0).unwrap_or(30).min(86_400);
            self.mailer.timeout = Some(Duration::from_secs(seconds));
        }
    }

    /// `$lastmessage`, and the return value: true only when every recipient got the message
    /// (the others still get it when one is refused, as when the class sent each its own session).
    fn apply(&mut self, outcome: Outcome, result: &Result<Delivery, Error>) -> bool {
        match result {
            Ok(delivery) if !delivery.rejected.is_empty() => {
                let refused = delivery.rejected.iter().map(|(address, reply)| format!("<{address}>: {reply}"));
                self.lastmessage = LooseString::from(format!("refused {}", refused.collect::<Vec<_>>().join("; ")));
                false
            }
            _ => {
                self.lastmessage = LooseString::from(outcome.lastmessage);
                outcome.ok
            }
        }
    }

    /// `$log_file`: the steps of one `sendmail()`, appended when the file exists.
    fn log(&self, result: &Result<Delivery, Error>, mail: &SmtpMail<'_>) {
        if self.log_file.0.is_empty() {
            return;
        }
        let relay = self.relay_host.text();
        let lines = log::steps(&relay, self.smtp_port.0, result, mail);
        if !log::append(&self.log_file.0, &lines) && self.debug.0 {
            let warning = format!("Warning: Cannot open log file \"{}\"", self.log_file.text());
            Sink::Print.show(warning.as_bytes(), super::debug::Direction::In);
        }
    }
}

/// `true`, `false`, `1`, `0`, `on`, `off`, `yes`, `no`: false for the false ones.
fn is_false_word(value: &[u8]) -> bool {
    let word = value.trim_ascii();
    ["", "0", "false", "off", "no"].iter().any(|w| word.eq_ignore_ascii_case(w.as_bytes()))
}

/// How many arguments the running call was given (`ZEND_CALL_NUM_ARGS`).
fn passed_arguments() -> usize {
    let frame = ExecutorGlobals::get().current_execute_data;
    // SAFETY: a method runs with its own frame as `EG(current_execute_data)`.
    unsafe { frame.as_ref() }.map_or(0, |frame| unsafe { frame.This.u2.num_args } as usize)
}

/// The object being constructed as it is now (a subclass may have written properties before
/// calling the parent constructor).
fn this_object() -> Option<Smtp> {
    let frame = ExecutorGlobals::get().current_execute_data;
    // SAFETY: the constructor runs with its own frame, whose `$this` is the object.
    let this = unsafe { frame.as_mut() }?.get_self()?;
    ZendClassObject::<Smtp>::from_zend_obj(this).map(|object| Smtp { mailer: Mailer::default(), ..(**object).clone() })
}
