//! A message built from parts (`SendMail\Message`): addresses, subject, text, HTML, attachments,
//! inline images and extra headers, each checked when it is added (RFC 5322, RFC 2045-2047).

use std::{path::PathBuf, sync::Arc};

use thiserror::Error;

use super::{
    address::EnvelopeAddress,
    dsn::Dsn,
    mailbox::{Mailbox, MailboxError},
};

/// Headers the builder writes itself; `header()` may not set them.
const OWN_HEADERS: &[&str] = &[
    "from",
    "sender",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "subject",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "return-path",
];

/// Why a part cannot go into a message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    /// An address or display name is not valid.
    #[error("{field}: {source}")]
    Address {
        /// `from`, `to`, `cc`, `bcc` or `replyTo`.
        field: &'static str,
        /// Why.
        source: MailboxError,
    },
    /// CR, LF, NUL, U+2028/U+2029 or another control character in header text.
    #[error("{0}: CR, LF, NUL and other control characters are not allowed (header injection)")]
    ControlCharacter(String),
    /// A header name that is not one (RFC 5322 §2.2), or one the builder owns.
    #[error("header name {shown}: {reason}", shown = super::Shown(.0), reason = .1)]
    HeaderName(String, &'static str),
    /// An attachment name, Content-ID or content type that is not usable.
    #[error("{0}")]
    Attachment(String),
    /// The message cannot be sent as it is.
    #[error("{0}")]
    Incomplete(&'static str),
}

/// Where an attachment's bytes come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Bytes given by the caller.
    Data(Arc<[u8]>),
    /// A regular file, read in chunks when the message is written.
    File {
        /// Its path.
        path: PathBuf,
        /// Its size when it was attached.
        size: u64,
    },
}

impl Source {
    /// The size in bytes.
    #[must_use]
    pub fn len(&self) -> u64 {
        match self {
            Source::Data(data) => data.len() as u64,
            Source::File { size, .. } => *size,
        }
    }

    /// Empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An attachment, or an inline part referenced by Content-ID.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The file name shown to the recipient.
    pub name: String,
    /// Its media type, e.g. `application/pdf`.
    pub content_type: String,
    /// Its bytes.
    pub source: Source,
    /// For an inline part (`embed()`): the Content-ID, without angle brackets.
    pub content_id: Option<String>,
}

/// A message under construction.
#[derive(Debug, Clone, Default)]
pub struct Email {
    /// The author (From, and MAIL FROM unless a return path is set).
    pub from: Option<Mailbox>,
    /// The `Sender:` header: who sent the message on the author's behalf (RFC 5322 §3.6.2).
    pub sender: Option<Mailbox>,
    /// The envelope sender (MAIL FROM), where bounces go; never a header.
    pub return_path: Option<EnvelopeAddress>,
    /// To.
    pub to: Vec<Mailbox>,
    /// Cc.
    pub cc: Vec<Mailbox>,
    /// Bcc: envelope only, never a header.
    pub bcc: Vec<Mailbox>,
    /// Reply-To.
    pub reply_to: Vec<Mailbox>,
    /// The subject.
    pub subject: Option<String>,
    /// The plain-text body.
    pub text: Option<String>,
    /// The HTML body.
    pub html: Option<String>,
    /// Attachments and inline parts, in the order added.
    pub attachments: Vec<Attachment>,
    /// Extra headers, in the order added.
    pub headers: Vec<(String, String)>,
    /// Delivery status notifications asked for (RFC 3461); sent only to servers offering DSN.
    pub dsn: Option<Dsn>,
}

impl Email {
    /// Checks a mailbox for one of the address fields.
    ///
    /// # Errors
    /// An invalid address, or control characters in the display name.
    pub fn mailbox(field: &'static str, address: &str, name: Option<&str>) -> Result<Mailbox, EmailError> {
        let bad = |source| EmailError::Address { field, source };
        // Control characters first: trimming would hide a trailing CR or LF.
        check_text(field, address)?;
        let address = EnvelopeAddress::parse(address.trim()).map_err(|e| bad(e.into()))?;
        if let Some(name) = name {
            check_text(field, name)?;
        }
        Ok(Mailbox { name: name.filter(|n| !n.trim().is_empty()).map(|n| n.trim().to_owned()), address })
    }

    /// Checks header text (subject, header values, names): no control characters.
    ///
    /// # Errors
    /// CR, LF, NUL, U+2028, U+2029 or another control character other than TAB.
    pub fn text_value(what: &str, value: &str) -> Result<(), EmailError> {
        check_text(what, value)
    }

    /// Checks an extra header.
    ///
    /// # Errors
    /// A name that is not a field name or that the builder owns, or control characters.
    pub fn check_header(name: &str, value: &str) -> Result<(), EmailError> {
        let valid = !name.is_empty() && name.len() <= 76 && name.bytes().all(|b| (33..=126).contains(&b) && b != b':');
        if !valid {
            return Err(EmailError::HeaderName(name.to_owned(), "not a header field name"));
        }
        if OWN_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(EmailError::HeaderName(
                name.to_owned(),
                "set by from(), to(), cc(), bcc(), replyTo(), subject() and the body methods",
            ));
        }
        check_text(name, value)
    }

    /// Checks an attachment's name, content type and Content-ID.
    ///
    /// # Errors
    /// Control characters in the name or Content-ID, or a content type that is not `type/subtype`.
    pub fn check_attachment(name: &str, content_type: &str, content_id: Option<&str>) -> Result<(), EmailError> {
        if name.is_empty() || name.chars().any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}') {
            return Err(EmailError::Attachment(format!(
                "attachment name {} is empty or has control characters",
                super::Shown(name)
            )));
        }
        if content_type.len() > 255 || !is_media_type(content_type) {
            return Err(EmailError::Attachment(format!(
                "{} is not a content type such as application/pdf",
                super::Shown(content_type)
            )));
        }
        if let Some(cid) = content_id {
            let valid = !cid.is_empty()
                && cid.len() <= 250
                && cid
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && !b"<>\"\\()[],;: ".contains(&b) || b == b'@' || b == b'.');
            if !valid {
                return Err(EmailError::Attachment(format!(
                    "Content-ID {} must be at most 250 characters of printable ASCII without <>, spaces or quotes",
                    super::Shown(cid)
                )));
            }
        }
        Ok(())
    }

    /// Every envelope recipient (To, Cc, Bcc), each once.
    #[must_use]
    pub fn recipients(&self) -> Vec<&EnvelopeAddress> {
        let mut all: Vec<&EnvelopeAddress> = Vec::new();
        for mailbox in self.to.iter().chain(&self.cc).chain(&self.bcc) {
            if !all.contains(&&mailbox.address) {
                all.push(&mailbox.address);
            }
        }
        all
    }

    /// The message can be sent: a sender, a recipient.
    ///
    /// # Errors
    /// No sender or no recipient.
    pub fn check_ready(&self) -> Result<(), EmailError> {
        if self.from.is_none() {
            return Err(EmailError::Incomplete("the message has no sender: call from()"));
        }
        if self.to.is_empty() && self.cc.is_empty() && self.bcc.is_empty() {
            return Err(EmailError::Incomplete("the message has no recipient: call to(), cc() or bcc()"));
        }
        Ok(())
    }

    /// The envelope sender: the return path when set, else the author.
    #[must_use]
    pub fn envelope_sender(&self) -> Option<&EnvelopeAddress> {
        self.return_path.as_ref().or_else(|| self.from.as_ref().map(|m| &m.address))
    }

    /// The value of an extra header (case-insensitive), e.g. a caller's own `Date`.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn check_text(what: &str, value: &str) -> Result<(), EmailError> {
    if value.chars().any(|c| (c.is_control() && c != '\t') || c == '\u{2028}' || c == '\u{2029}') {
        return Err(EmailError::ControlCharacter(what.to_owned()));
    }
    Ok(())
}

/// `type/subtype`, each an RFC 2045 token.
fn is_media_type(value: &str) -> bool {
    let token =
        |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b));
    value.split_once('/').is_some_and(|(t, s)| token(t) && token(s))
}

/// A content type for a file name, from its extension; `application/octet-stream` otherwise.
#[must_use]
pub fn guess_content_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "txt" | "text" | "log" => "text/plain",
        "htm" | "html" => "text/html",
        "csv" => "text/csv",
        "ics" => "text/calendar",
        "css" => "text/css",
        "xml" => "application/xml",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "tar" => "application/x-tar",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "ico" => "image/vnd.microsoft.icon",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "eml" => "message/rfc822",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn header_injection_is_refused_everywhere() {
        for bad in ["a\r\nBcc: x@evil.test", "a\nb", "a\rb", "a\0b", "a\u{2028}b", "a\u{2029}b", "a\u{7}b"] {
            assert!(Email::text_value("subject", bad).is_err(), "{bad:?}");
            assert!(Email::check_header("X-Test", bad).is_err(), "{bad:?}");
            assert!(Email::mailbox("to", "a@example.com", Some(bad)).is_err(), "{bad:?}");
            assert!(Email::mailbox("to", &format!("a{bad}@example.com"), None).is_err(), "{bad:?}");
            assert!(Email::mailbox("to", &format!("a@example.com{bad}"), None).is_err(), "{bad:?}");
            assert!(Email::check_attachment(&format!("f{bad}.pdf"), "application/pdf", None).is_err(), "{bad:?}");
        }
        assert!(Email::text_value("subject", "tab\tok").is_ok());
    }

    #[test]
    fn header_names() {
        assert!(Email::check_header("X-Campaign", "42").is_ok());
        assert!(Email::check_header("Date", "Mon, 30 Nov 2026 09:00:00 +0000").is_ok());
        for bad in ["", "X Campaign", "X:Y", "Bcc", "content-type", "FROM", "Ä"] {
            assert!(Email::check_header(bad, "v").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn attachments_and_types() {
        assert!(Email::check_attachment("report.pdf", "application/pdf", None).is_ok());
        assert!(Email::check_attachment("logo.png", "image/png", Some("logo@example")).is_ok());
        assert!(Email::check_attachment("x", "pdf", None).is_err());
        assert!(Email::check_attachment("x", "text/plain", Some("<bad>")).is_err());
        assert!(Email::check_attachment("", "text/plain", None).is_err());
        assert_eq!(guess_content_type("Report.PDF"), "application/pdf");
        assert_eq!(guess_content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn recipients_are_deduplicated_and_include_bcc() {
        let mb = |a: &str| Email::mailbox("to", a, None).unwrap();
        let email = Email {
            to: vec![mb("a@x.test")],
            cc: vec![mb("b@x.test"), mb("a@x.test")],
            bcc: vec![mb("c@x.test")],
            ..Email::default()
        };
        let rcpts: Vec<&str> = email.recipients().iter().map(|a| a.as_str()).collect();
        assert_eq!(rcpts, ["a@x.test", "b@x.test", "c@x.test"]);
    }
}
