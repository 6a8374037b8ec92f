//! `SendMail\Message`: a fluent builder for real messages. Each method checks its input at
//! once (an exception names the method and the problem), so a message that builds can be sent.

#![allow(non_snake_case, reason = "PHP parameter names such as `$contentType`")]

mod serial;

use std::{os::unix::ffi::OsStrExt, path::Path, sync::Arc};

use ext_php_rs::{
    binary_slice::BinarySlice,
    boxed::ZBox,
    exception::PhpException,
    prelude::*,
    types::{ZendClassObject, ZendHashTable, Zval},
};

use super::{exception::exception_for, zapi};
use crate::{
    client::{message_bytes, Error},
    message::{
        dsn::{Dsn, DsnError, Notify, Ret},
        email::{guess_content_type, Attachment, Email, Source},
        mailbox::Mailbox,
        mime::Stamp,
    },
    protocol::Stage,
};

/// A message: addresses, subject, text and HTML bodies, attachments, inline images, headers.
#[php_class]
#[php(name = "SendMail\\Message")]
#[derive(Debug, Clone, Default)]
pub struct Message {
    email: Email,
    /// Date and Message-ID, fixed the first time the message is rendered or sent, so
    /// `toString()` shows the bytes that go out.
    stamp: Option<Stamp>,
}

type This = ZendClassObject<Message>;

/// The `InvalidInputException` for input a message cannot take, naming the method.
fn invalid(method: &str, error: &dyn std::fmt::Display) -> PhpException {
    exception_for(&Error::Refused { stage: Stage::Input, reason: format!("SendMail\\Message::{method}(): {error}") })
}

/// Message text must be UTF-8: the InvalidInputException otherwise names the argument.
fn utf8(method: &str, argument: &str, bytes: &[u8]) -> PhpResult<String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        invalid(
            method,
            &format!(
                "{argument} is not valid UTF-8 (byte {} is not; convert it with mb_convert_encoding())",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// A mailbox for one of the address methods, from the caller's bytes.
fn mailbox(method: &'static str, address: &[u8], name: Option<&[u8]>) -> PhpResult<Mailbox> {
    let address = utf8(method, "$address", address)?;
    let name = name.map(|n| utf8(method, "$name", n)).transpose()?;
    Email::mailbox(method, &address, name.as_deref()).map_err(|e| invalid(method, &e))
}

#[php_impl]
impl Message {
    /// An empty message.
    pub fn __construct() -> Message {
        Message::default()
    }

    /// The author: From and the envelope sender.
    pub fn from<'a>(
        self_: &'a mut This,
        address: BinarySlice<u8>,
        name: Option<BinarySlice<u8>>,
    ) -> PhpResult<&'a mut This> {
        let mailbox = mailbox("from", &address, name.as_ref().map(|n| &n[..]))?;
        self_.email.from = Some(mailbox);
        Ok(self_)
    }

    /// The `Sender:` header: who sends the message on the author's behalf (a list manager,
    /// a secretary), when that is not the author.
    pub fn sender<'a>(
        self_: &'a mut This,
        address: BinarySlice<u8>,
        name: Option<BinarySlice<u8>>,
    ) -> PhpResult<&'a mut This> {
        let mailbox = mailbox("sender", &address, name.as_ref().map(|n| &n[..]))?;
        self_.email.sender = Some(mailbox);
        Ok(self_)
    }

    /// The envelope sender (MAIL FROM), where bounces go: no header is written for it.
    /// Without it the author's address is the envelope sender.
    pub fn return_path<'a>(self_: &'a mut This, address: BinarySlice<u8>) -> PhpResult<&'a mut This> {
        let mailbox = mailbox("returnPath", &address, None)?;
        self_.email.return_path = Some(mailbox.address);
        Ok(self_)
    }

    /// Adds a To recipient.
    pub fn to<'a>(
        self_: &'a mut This,
        address: BinarySlice<u8>,
        name: Option<BinarySlice<u8>>,
    ) -> PhpResult<&'a mut This> {
        let mailbox = mailbox("to", &address, name.as_ref().map(|n| &n[..]))?;
        self_.email.to.push(mailbox);
        Ok(self_)
    }

    /// Adds a Cc recipient.
    pub fn cc<'a>(
        self_: &'a mut This,
        address: BinarySlice<u8>,
        name: Option<BinarySlice<u8>>,
    ) -> PhpResult<&'a mut This> {
        let mailbox = mailbox("cc", &address, name.as_ref().map(|n| &n[..]))?;
        self_.email.cc.push(mailbox);
        Ok(self_)
    }

    /// Adds a Bcc recipient: envelope only, never in a header.
    pub fn bcc<'a>(
        self_: &'a mut This,
        address: BinarySlice<u8>,
        name: Option<BinarySlice<u8>>,
    ) -> PhpResult<&'a mut This> {
        let mailbox = mailbox("bcc", &address, name.as_ref().map(|n| &n[..]))?;
        self_.email.bcc.push(mailbox);
        Ok(self_)
    }

    /// Adds a Reply-To address.
    pub fn reply_to<'a>(
        self_: &'a mut This,
        address: BinarySlice<u8>,
        name: Option<BinarySlice<u8>>,
    ) -> PhpResult<&'a mut This> {
        let mailbox = mailbox("replyTo", &address, name.as_ref().map(|n| &n[..]))?;
        self_.email.reply_to.push(mailbox);
        Ok(self_)
    }

    /// The subject (any UTF-8; encoded as RFC 2047 when needed).
    pub fn subject<'a>(self_: &'a mut This, subject: BinarySlice<u8>) -> PhpResult<&'a mut This> {
        let subject = utf8("subject", "$subject", &subject)?;
        Email::text_value("subject", &subject).map_err(|e| invalid("subject", &e))?;
        self_.email.subject = Some(subject);
        Ok(self_)
    }

    /// The plain-text body.
    pub fn text<'a>(self_: &'a mut This, body: BinarySlice<u8>) -> PhpResult<&'a mut This> {
        self_.email.text = Some(utf8("text", "$body", &body)?);
        Ok(self_)
    }

    /// The HTML body (with a text body, the two become alternatives).
    pub fn html<'a>(self_: &'a mut This, body: BinarySlice<u8>) -> PhpResult<&'a mut This> {
        self_.email.html = Some(utf8("html", "$body", &body)?);
        Ok(self_)
    }

    /// Attaches a file, read from disk when the message is sent (never held whole).
    pub fn attach<'a>(
        self_: &'a mut This,
        path: BinarySlice<u8>,
        name: Option<BinarySlice<u8>>,
        contentType: Option<BinarySlice<u8>>,
    ) -> PhpResult<&'a mut This> {
        let name = optional_text("attach", "$name", name.as_deref())?;
        let content_type = optional_text("attach", "$contentType", contentType.as_deref())?;
        let attachment = file_attachment("attach", &path, name, content_type, None)?;
        self_.email.attachments.push(attachment);
        Ok(self_)
    }

    /// Attaches bytes under a file name.
    pub fn attach_data<'a>(
        self_: &'a mut This,
        data: BinarySlice<u8>,
        name: BinarySlice<u8>,
        contentType: Option<BinarySlice<u8>>,
    ) -> PhpResult<&'a mut This> {
        let name = utf8("attachData", "$name", &name)?;
        let content_type = optional_text("attachData", "$contentType", contentType.as_deref())?
            .unwrap_or_else(|| guess_content_type(&name).to_owned());
        Email::check_attachment(&name, &content_type, None).map_err(|e| invalid("attachData", &e))?;
        let bytes: &[u8] = &data;
        let source = Source::Data(Arc::from(bytes));
        self_.email.attachments.push(Attachment { name, content_type, source, content_id: None });
        Ok(self_)
    }

    /// An inline image for the HTML body, referenced there as `cid:$cid`.
    pub fn embed<'a>(
        self_: &'a mut This,
        path: BinarySlice<u8>,
        cid: BinarySlice<u8>,
        contentType: Option<BinarySlice<u8>>,
    ) -> PhpResult<&'a mut This> {
        let cid = utf8("embed", "$cid", &cid)?;
        let content_type = optional_text("embed", "$contentType", contentType.as_deref())?;
        let attachment = file_attachment("embed", &path, None, content_type, Some(cid))?;
        self_.email.attachments.push(attachment);
        Ok(self_)
    }

    /// Adds a header (`X-…`, `List-Unsubscribe`, or `Date`/`Message-ID` to replace the generated ones).
    pub fn header<'a>(self_: &'a mut This, name: BinarySlice<u8>, value: BinarySlice<u8>) -> PhpResult<&'a mut This> {
        let (name, value) = (utf8("header", "$name", &name)?, utf8("header", "$value", &value)?);
        Email::check_header(&name, &value).map_err(|e| invalid("header", &e))?;
        if name.eq_ignore_ascii_case("date") || name.eq_ignore_ascii_case("message-id") {
            self_.email.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        }
        self_.email.headers.push((name, value));
        Ok(self_)
    }

    /// Asks for delivery status notifications (RFC 3461): `notify` (a list of `success`,
    /// `failure`, `delay`, or `never` alone), `ret` (`full` or `hdrs`), `envid` (the sender's
    /// id, printable ASCII, at most 100 characters). Sent only to servers that offer DSN; the
    /// receipt's `$dsn` says whether they were. Replaces an earlier call's options.
    pub fn dsn<'a>(self_: &'a mut This, options: &ZendHashTable) -> PhpResult<&'a mut This> {
        self_.email.dsn = Some(dsn_options(options).map_err(|e| invalid("dsn", &e))?);
        Ok(self_)
    }

    /// `serialize()`: every part as plain values (file attachments as their paths), so a
    /// queue can carry the message. Date and Message-ID are fixed now, if they were not yet:
    /// the copy that comes out of the queue renders (and is sent) as this one.
    #[php(name = "__serialize")]
    pub fn serialize(&mut self) -> PhpResult<ZBox<ZendHashTable>> {
        self.stamp();
        serial::to_array(self)
    }

    /// `unserialize()`: the parts, checked again as the builder checks them.
    #[php(name = "__unserialize")]
    pub fn unserialize(&mut self, data: &ZendHashTable) -> PhpResult<()> {
        *self = serial::from_array(data)?;
        Ok(())
    }

    /// The message as it would be sent (RFC 5322; Bcc not included).
    #[php(name = "toString")]
    pub fn render(&mut self) -> PhpResult<String> {
        let stamp = self.stamp().clone();
        let bytes = message_bytes(&self.email, &stamp).map_err(|e| invalid("toString", &e))?;
        String::from_utf8(bytes).map_err(|_| invalid("toString", &"the message is not text"))
    }
}

impl Message {
    /// The message's fixed Date and Message-ID (made on first use).
    pub fn stamp(&mut self) -> &Stamp {
        let email = &self.email;
        self.stamp.get_or_insert_with(|| Stamp::new(email))
    }

    /// The message itself.
    pub fn email(&self) -> &Email {
        &self.email
    }
}

/// `dsn()`'s options as the core's value: the PHP types checked here, the values by the core.
fn dsn_options(options: &ZendHashTable) -> Result<Dsn, DsnError> {
    let wrong = |option, expected, value: &Zval| DsnError::Type { option, expected, given: zapi::type_name(value) };
    // Bytes that are not UTF-8 become U+FFFD, which no option takes: the value is refused.
    let text = |value: &Zval| value.zend_str().map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned());
    let mut dsn = Dsn::default();
    for (key, value) in options {
        match key.to_string().as_str() {
            "notify" => {
                let list = value.array().ok_or_else(|| wrong("notify", "an array of strings", value))?;
                let words = list
                    .values()
                    .map(|word| text(word).ok_or_else(|| wrong("notify", "an array of strings", word)))
                    .collect::<Result<Vec<String>, DsnError>>()?;
                dsn.notify = Some(Notify::parse(words.iter().map(String::as_str))?);
            }
            "ret" => {
                let ret = text(value).ok_or_else(|| wrong("ret", "a string", value))?;
                dsn.ret = Some(Ret::parse(&ret)?);
            }
            "envid" => {
                let envid = text(value).ok_or_else(|| wrong("envid", "a string", value))?;
                Dsn::check_envid(&envid)?;
                dsn.envid = Some(envid);
            }
            other => return Err(DsnError::UnknownOption(other.to_owned())),
        }
    }
    Ok(dsn)
}

/// An optional text argument: UTF-8, or the InvalidInputException naming it.
fn optional_text(method: &str, argument: &str, bytes: Option<&&[u8]>) -> PhpResult<Option<String>> {
    bytes.map(|b| utf8(method, argument, b)).transpose()
}

/// A file attachment: a regular, readable file (no stream wrappers), checked now. The path is
/// bytes, as file names on disk are.
fn file_attachment(
    method: &str,
    path: &[u8],
    name: Option<String>,
    content_type: Option<String>,
    content_id: Option<String>,
) -> PhpResult<Attachment> {
    let fail = |why: String| invalid(method, &why);
    let shown = String::from_utf8_lossy(path);
    if path.windows(3).any(|w| w == b"://")
        || path.starts_with(b"phar:")
        || path.starts_with(b"php:")
        || path.contains(&0)
    {
        return Err(fail(format!("{} must be a file path, not a stream URL", crate::message::Shown(&shown))));
    }
    if !super::zapi::open_basedir_allows(path) {
        return Err(fail(format!("{shown} is outside the directories open_basedir allows")));
    }
    let path = Path::new(std::ffi::OsStr::from_bytes(path));
    let file = std::fs::File::open(path).map_err(|e| fail(format!("{shown}: {e}")))?;
    let meta = file.metadata().map_err(|e| fail(format!("{shown}: {e}")))?;
    if !meta.is_file() {
        return Err(fail(format!("{shown} is not a regular file")));
    }
    let name = name
        .unwrap_or_else(|| path.file_name().map_or_else(|| "attachment".into(), |n| n.to_string_lossy().into_owned()));
    let content_type = content_type.unwrap_or_else(|| guess_content_type(&name).to_owned());
    Email::check_attachment(&name, &content_type, content_id.as_deref()).map_err(|e| invalid(method, &e))?;
    let source = Source::File { path: path.into(), size: meta.len() };
    Ok(Attachment { name, content_type, source, content_id })
}
