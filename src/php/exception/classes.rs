//! The exception classes. Each PHP class is its own Rust type: ext-php-rs checks a method's
//! `$this` against the handlers of the method's Rust type, so a method written once on the parent
//! would refuse subclass objects. `exception_class!` therefore declares every getter again on each
//! class, over the same [`Details`]; PHP sees ordinary overriding methods.
//!
//! The types have no `Default`: ext-php-rs then creates objects of userland subclasses with the
//! subclass's own class entry (with `Default` it would create the parent class instead).

// ext-php-rs takes PHP parameter names from the Rust ones: `$enhancedCode`.
#![allow(non_snake_case, reason = "PHP parameter names such as `$enhancedCode`")]

use ext_php_rs::{
    boxed::ZBox,
    exception::{PhpException, PhpResult},
    prelude::*,
    types::ZendHashTable,
    zend::ce,
};

use super::{construct_this, runtime_exception, Details, Previous};
use crate::php::loose::Bytes;

/// Declares one exception class: the struct (`details` plus any extra fields) and a
/// `#[php_impl]` with the getters every class shares, the given constructor and extra methods.
macro_rules! exception_class {
    (
        $(#[$($attr:tt)*])*
        pub struct $name:ident { $($field:ident : $field_ty:ty),* $(,)? }
        temporary: $temporary:expr;
        $($methods:tt)*
    ) => {
        $(#[$($attr)*])*
        #[derive(Debug)]
        pub struct $name {
            details: Details,
            $($field: $field_ty),*
        }

        #[php_impl]
        impl $name {
            $($methods)*

            /// The SMTP reply code, 0 when there was no reply (also `getCode()`).
            pub fn get_smtp_code(&self) -> i64 {
                self.details.smtp_code
            }

            /// The RFC 3463 enhanced status code (`5.7.8`), if the server gave one.
            pub fn get_enhanced_code(&self) -> Option<String> {
                self.details.enhanced_code.clone()
            }

            /// Where it failed: connect, tls, greeting, ehlo, auth, mail, rcpt, data, quit,
            /// command or input.
            pub fn get_stage(&self) -> String {
                self.details.stage.clone()
            }

            /// The server's reply, all lines as sent ("" when there was none).
            pub fn get_reply(&self) -> String {
                self.details.reply.clone()
            }

            /// Whether trying again later may work: a 4xx reply, a timeout, a server out of reach.
            pub fn is_temporary(&self) -> bool {
                let always: bool = $temporary;
                always || self.details.transient_code()
            }
        }

        impl $name {
            /// An object for [`super::exception_for`].
            pub(super) fn from_details(details: Details, $($field: $field_ty),*) -> Self {
                $name { details, $($field),* }
            }
        }
    };
}

/// The constructor shared by the classes without extra arguments.
macro_rules! standard_exception_class {
    ($(#[$($attr:tt)*])* pub struct $name:ident; temporary: $temporary:expr;) => {
        exception_class! {
            $(#[$($attr)*])*
            pub struct $name {}
            temporary: $temporary;

            /// `new (string $message = "", int $code = 0, ?\Throwable $previous = null,
            /// string $stage = "", string $reply = "", ?string $enhancedCode = null)`:
            /// `$code` is also the SMTP reply code.
            #[php(defaults(message = "Bytes::default()", code = 0, stage = "Bytes::default()", reply = "Bytes::default()"))]
            pub fn __construct(
                message: Bytes,
                code: i64,
                previous: Previous<'_>,
                stage: Bytes,
                reply: Bytes,
                enhancedCode: Option<Bytes>,
            ) -> Self {
                construct_this(&message.0, code, previous);
                $name::from_details(Details::given(code, enhancedCode, stage, reply))
            }
        }
    };
}

standard_exception_class! {
    /// An SMTP failure: the reply code (also `getCode()`), the enhanced code, the stage and the reply.
    #[php_class]
    #[php(name = "SendMail\\Exception")]
    #[php(extends(ce = runtime_exception, stub = "\\RuntimeException"))]
    pub struct SmtpException;
    temporary: false;
}

standard_exception_class! {
    /// No connection could be opened.
    #[php_class]
    #[php(name = "SendMail\\ConnectException")]
    #[php(extends(SmtpException))]
    pub struct ConnectException;
    temporary: false;
}

standard_exception_class! {
    /// TLS failed or was refused: the handshake, the certificate, STARTTLS missing while required.
    #[php_class]
    #[php(name = "SendMail\\TlsException")]
    #[php(extends(SmtpException))]
    pub struct TlsException;
    temporary: false;
}

standard_exception_class! {
    /// Authentication failed, or was not attempted (no usable mechanism, no TLS).
    #[php_class]
    #[php(name = "SendMail\\AuthException")]
    #[php(extends(SmtpException))]
    pub struct AuthException;
    temporary: false;
}

standard_exception_class! {
    /// The server sent something that is not SMTP, closed the connection, or the network failed.
    #[php_class]
    #[php(name = "SendMail\\ProtocolException")]
    #[php(extends(SmtpException))]
    pub struct ProtocolException;
    temporary: false;
}

standard_exception_class! {
    /// No complete reply arrived in time (always temporary).
    #[php_class]
    #[php(name = "SendMail\\TimeoutException")]
    #[php(extends(SmtpException))]
    pub struct TimeoutException;
    temporary: true;
}

standard_exception_class! {
    /// The caller's input cannot make a correct command or message; nothing was sent.
    #[php_class]
    #[php(name = "SendMail\\InvalidInputException")]
    #[php(extends(SmtpException))]
    pub struct InvalidInputException;
    temporary: false;
}

exception_class! {
    /// The server refused every recipient; `getRejected()` gives each address with its reply.
    #[php_class]
    #[php(name = "SendMail\\RecipientException")]
    #[php(extends(SmtpException))]
    pub struct RecipientException { rejected: Vec<(String, String)> }
    temporary: false;

    /// `new (string $message = "", int $code = 0, ?\Throwable $previous = null,
    /// string $stage = "", string $reply = "", ?string $enhancedCode = null,
    /// ?array $rejected = null)`: `$rejected` maps addresses to reply texts.
    #[php(defaults(message = "Bytes::default()", code = 0, stage = "Bytes::default()", reply = "Bytes::default()"))]
    pub fn __construct(
        message: Bytes,
        code: i64,
        previous: Previous<'_>,
        stage: Bytes,
        reply: Bytes,
        enhancedCode: Option<Bytes>,
        rejected: Option<&ZendHashTable>,
    ) -> PhpResult<Self> {
        let rejected = match rejected {
            Some(table) => rejected_list(table)?,
            None => Vec::new(),
        };
        construct_this(&message.0, code, previous);
        Ok(RecipientException { details: Details::given(code, enhancedCode, stage, reply), rejected })
    }

    /// The refused recipients: address => the server's reply.
    pub fn get_rejected(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut table = ZendHashTable::new();
        for (address, reply) in &self.rejected {
            table.insert(address.as_str(), reply.as_str())?;
        }
        Ok(table)
    }
}

/// `$rejected` of the constructor: string keys (or int keys, as strings) to string values.
fn rejected_list(table: &ZendHashTable) -> PhpResult<Vec<(String, String)>> {
    table
        .iter()
        .map(|(address, reply)| match reply.str() {
            Some(reply) => Ok((address.to_string(), reply.to_owned())),
            None => Err(PhpException::new(
                "SendMail\\RecipientException::__construct(): Argument #7 ($rejected) must map addresses to strings"
                    .to_owned(),
                0,
                ce::type_error(),
            )),
        })
        .collect()
}
