//! `SendMail\Compat\Smtp`: the English article's `SMTP` class (global alias `SMTP` when
//! `sendmail.aliases` asks for it), on the same mailer, with its AUTH LOGIN made safe.

use ext_php_rs::{binary_slice::BinarySlice, prelude::*, types::ZendClassObject};

use super::{
    loose::{Bytes, LooseBool, LooseInt, LooseString},
    mailer::{Endpoint, Mailer, Outcome},
    send_mail::checked_timeout,
};
use crate::protocol::Credentials;

/// The legacy `SMTP` class: `sendmail()` sends, `smtp_putcmd()` sends one raw command.
#[php_class]
#[php(name = "SendMail\\Compat\\Smtp")]
#[derive(Debug, Clone)]
pub struct Smtp {
    /// The server's port.
    #[php(prop, name = "smtp_port")]
    pub smtp_port: LooseInt,
    /// The HELO name (an IP address goes out as an address literal such as `[127.0.0.1]`).
    #[php(prop, name = "host_name")]
    pub host_name: LooseString,
    /// The server.
    #[php(prop, name = "relay_host")]
    pub relay_host: LooseString,
    /// Log in before sending.
    #[php(prop)]
    pub auth: LooseBool,
    /// The user name.
    #[php(prop)]
    pub user: LooseString,
    /// The last reply (all lines, joined by "\n"), or an error text.
    #[php(prop)]
    pub lastmessage: LooseString,
    password: String,
    mailer: Mailer,
}

impl Smtp {
    fn fresh() -> Smtp {
        Smtp {
            smtp_port: LooseInt(25),
            host_name: LooseString::from("127.0.0.1"),
            relay_host: LooseString::default(),
            auth: LooseBool(false),
            user: LooseString::default(),
            lastmessage: LooseString::default(),
            password: String::new(),
            mailer: Mailer::default(),
        }
    }
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl Smtp {
    /// `new SMTP("smtp.example.com", 25, true, "user", "password")`.
    #[php(defaults(
        relay_host = "\"\".to_owned()",
        smtp_port = 25,
        auth = false,
        user = "\"\".to_owned()",
        pass = "\"\".to_owned()"
    ))]
    pub fn __construct(relay_host: String, smtp_port: i64, auth: bool, user: String, pass: String) -> Smtp {
        Smtp {
            smtp_port: LooseInt(smtp_port),
            relay_host: LooseString::from(relay_host),
            auth: LooseBool(auth),
            user: LooseString::from(user),
            password: pass,
            ..Smtp::fresh()
        }
    }

    /// Sends one message; true when the server accepted it.
    #[php(defaults(subject = "\"\".to_owned()", body = "\"\".to_owned()"))]
    pub fn sendmail(&mut self, to: BinarySlice<u8>, from: BinarySlice<u8>, subject: Bytes, body: Bytes) -> bool {
        self.configure_auth();
        let host_name = self.host_name.text().into_owned();
        let ep = Endpoint { smtp: &mut self.relay_host, port: &mut self.smtp_port, welcome: &host_name, debug: false };
        let outcome = self.mailer.send(ep, &to, &from, &subject.0, &body.0);
        self.apply(outcome)
    }

    /// Sends `$cmd` and CRLF on the open connection (opening one if none); true on a 2xx or 3xx reply.
    pub fn smtp_putcmd(&mut self, cmd: BinarySlice<u8>) -> bool {
        self.configure_auth();
        let host_name = self.host_name.text().into_owned();
        let ep = Endpoint { smtp: &mut self.relay_host, port: &mut self.smtp_port, welcome: &host_name, debug: false };
        let outcome = self.mailer.command(ep, &cmd, |reply| matches!(reply.first(), Some(b'2' | b'3')));
        self.apply(outcome)
    }

    /// The dialogue of the last session, secrets masked.
    #[php(name = "getTranscript")]
    pub fn get_transcript(&self) -> String {
        self.mailer.transcript().to_owned()
    }

    /// The connect timeout and per-reply deadline, in seconds.
    #[php(name = "setTimeout")]
    pub fn set_timeout(self_: &mut ZendClassObject<Smtp>, seconds: f64) -> PhpResult<&mut ZendClassObject<Smtp>> {
        self_.mailer.timeout = Some(checked_timeout(seconds, "SendMail\\Compat\\Smtp::setTimeout()")?);
        Ok(self_)
    }
}

impl Smtp {
    /// `$auth` and `$user` may change after construction; the password stays inside.
    fn configure_auth(&mut self) {
        self.mailer.auth = self.auth.0.then(|| (Credentials::new(&self.user.text(), &self.password), None));
    }

    fn apply(&mut self, outcome: Outcome) -> bool {
        self.lastmessage = LooseString::from(outcome.lastmessage);
        outcome.ok
    }
}
