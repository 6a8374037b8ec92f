//! The legacy `send($to, $from, $subject, $message)` message, with the legacy header rule kept.
//!
//! The legacy class prepended `To`, `From` and `Subject` lines unless the message already had them,
//! so scripts put their own headers (often `Content-Type`) at the top of `$message`. That rule stays;
//! what was wrong with it (no blank line before the body, no `Date`/`Message-ID`, raw 8-bit text)
//! is fixed here.

use std::borrow::Cow;

use thiserror::Error;

use super::{
    address::EnvelopeAddress,
    encoding::{write_mailboxes, write_unstructured, QuotedPrintable},
    header_block::HeaderBlock,
    mailbox::{parse_mailbox_list, Mailbox},
};

/// Body bytes handed out per chunk, so nothing copies the whole message at once.
const CHUNK: usize = 64 * 1024;
/// Longest line RFC 5322 §2.1.1 allows, CRLF excluded.
const MAX_LINE: usize = 998;

/// An argument of `send()` that cannot make a correct message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid ${argument}: {reason}")]
pub struct InputError {
    /// The PHP argument name, without `$`.
    pub argument: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

/// How the body goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// As given (7bit, or 8bit where the headers say so).
    AsIs,
    /// Quoted-printable, because the body is 8-bit and the server lacks 8BITMIME, or has long lines.
    QuotedPrintable,
}

/// What the session knows when the message is composed.
#[derive(Debug, Clone)]
pub struct ComposeOptions {
    /// The `Date:` value to add when the message has none.
    pub date: String,
    /// The `Message-ID:` value to add when the message has none.
    pub message_id: String,
    /// The server offers 8BITMIME.
    pub eight_bit_mime: bool,
}

/// A checked legacy message: its envelope and its parts.
#[derive(Debug, Clone)]
pub struct LegacyMessage<'a> {
    to: Vec<Mailbox>,
    /// `$to`, then the addresses of the message's own Cc and Bcc headers, each once.
    recipients: Vec<EnvelopeAddress>,
    from: Mailbox,
    subject: &'a [u8],
    block: HeaderBlock<'a>,
    body: &'a [u8],
    /// Deliver to the recipients the server accepts even when it refuses some (the `smtp` class
    /// family, which sent each recipient its own session); else all or nothing.
    each_recipient: bool,
}

/// The message ready to write: a composed head, then the body (to be encoded as `body_encoding` says).
#[derive(Debug, Clone)]
pub struct LegacyParts<'a> {
    /// Added headers, the message's own header block, and the blank line.
    pub head: Vec<u8>,
    /// The body as the caller gave it.
    pub body: &'a [u8],
    /// How the body is encoded on the wire.
    pub body_encoding: BodyEncoding,
    /// The message holds 8-bit bytes on the wire (so MAIL FROM wants `BODY=8BITMIME`).
    pub eight_bit: bool,
}

impl<'a> LegacyMessage<'a> {
    /// Checks the four arguments of the legacy `send()`.
    ///
    /// # Errors
    /// An address that is not an address, or CR, LF or NUL in `$to`, `$from` or `$subject`.
    pub fn new(to: &'a str, from: &'a str, subject: &'a [u8], message: &'a [u8]) -> Result<Self, InputError> {
        let (block, body) = HeaderBlock::split(strip_terminator(message));
        Self::assemble(to, from, subject, block, body)
    }

    /// A message whose header block and body come apart (the `smtp` class family): `head` is
    /// header fields only, `body` is all body.
    ///
    /// # Errors
    /// As [`new`](Self::new), and a line of `head` that is not a header field (`$additional_headers`).
    pub fn from_parts(
        to: &'a str,
        from: &'a str,
        subject: &'a [u8],
        head: &'a [u8],
        body: &'a [u8],
    ) -> Result<Self, InputError> {
        let block = HeaderBlock::fields(head).map_err(|line| InputError {
            argument: "additional_headers",
            reason: format!("{} is not a header line (Name: value)", super::Shown(&String::from_utf8_lossy(&line))),
        })?;
        Self::assemble(to, from, subject, block, body)
    }

    /// Delivers to the recipients the server accepts even when it refuses some.
    #[must_use]
    pub fn deliver_to_accepted(mut self) -> Self {
        self.each_recipient = true;
        self
    }

    /// Whether refused recipients leave the message to the others (see
    /// [`deliver_to_accepted`](Self::deliver_to_accepted)).
    #[must_use]
    pub fn each_recipient(&self) -> bool {
        self.each_recipient
    }

    fn assemble(
        to: &'a str,
        from: &'a str,
        subject: &'a [u8],
        block: HeaderBlock<'a>,
        body: &'a [u8],
    ) -> Result<Self, InputError> {
        let bad = |argument, reason: String| InputError { argument, reason };
        let to = parse_mailbox_list(to).map_err(|e| bad("to", e.to_string()))?;
        let mut from_list = parse_mailbox_list(from).map_err(|e| bad("from", e.to_string()))?;
        if from_list.len() != 1 {
            return Err(bad("from", "give exactly one sender address".into()));
        }
        let from = from_list.remove(0);
        if subject.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(bad("subject", "the subject contains CR, LF or NUL (header injection)".into()));
        }
        let mut copies = Vec::new();
        for name in ["Cc", "Bcc"] {
            for value in block.values(name).filter(|v| !v.trim().is_empty()) {
                let list = parse_mailbox_list(value).map_err(|e| bad("message", format!("its {name} header: {e}")))?;
                copies.extend(list);
            }
        }
        let mut recipients: Vec<EnvelopeAddress> = Vec::with_capacity(to.len() + copies.len());
        for mailbox in to.iter().chain(&copies) {
            if !recipients.contains(&mailbox.address) {
                recipients.push(mailbox.address.clone());
            }
        }
        Ok(LegacyMessage { to, recipients, from, subject, block, body, each_recipient: false })
    }

    /// The envelope sender.
    #[must_use]
    pub fn sender(&self) -> &EnvelopeAddress {
        &self.from.address
    }

    /// The envelope recipients: `$to`, then the Cc and Bcc headers of the message, each once.
    pub fn recipients(&self) -> impl Iterator<Item = &EnvelopeAddress> {
        self.recipients.iter()
    }

    /// Any envelope address needs SMTPUTF8.
    #[must_use]
    pub fn needs_smtputf8(&self) -> bool {
        self.from.address.needs_smtputf8() || self.recipients().any(EnvelopeAddress::needs_smtputf8)
    }

    /// The sender's domain, for the Message-ID.
    #[must_use]
    pub fn sender_domain(&self) -> &str {
        self.from.address.as_str().rsplit_once('@').map_or("localhost", |(_, d)| d)
    }

    /// Composes the head and decides the body's encoding.
    #[must_use]
    pub fn compose(&self, options: &ComposeOptions) -> LegacyParts<'a> {
        let has = |name: &str| self.block.has(name);
        let own = self.block.without("bcc");
        let mut head = Vec::with_capacity(256 + own.len());
        if !has("to") {
            write_mailboxes(&mut head, "To", &self.to);
        }
        if !has("from") {
            write_mailboxes(&mut head, "From", std::slice::from_ref(&self.from));
        }
        if !has("subject") && !self.subject.is_empty() {
            write_unstructured(&mut head, "Subject", self.subject, self.charset().as_deref());
        }
        if !has("date") {
            push_header(&mut head, "Date", &options.date);
        }
        if !has("message-id") {
            push_header(&mut head, "Message-ID", &options.message_id);
        }
        let body_encoding = self.body_headers(&mut head, options.eight_bit_mime);
        head.extend_from_slice(&own);
        if !self.block.ends_with_line_end() {
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(b"\r\n");
        let body_eight_bit = body_encoding == BodyEncoding::AsIs && !self.body.is_ascii();
        let eight_bit = body_eight_bit || !head.is_ascii();
        LegacyParts { head, body: self.body, body_encoding, eight_bit }
    }

    /// Adds MIME headers a bare 8-bit or long-lined body needs, and says how to encode it.
    fn body_headers(&self, head: &mut Vec<u8>, eight_bit_mime: bool) -> BodyEncoding {
        let eight_bit = !self.body.is_ascii();
        let long_lines = has_long_line(self.body) || self.body.contains(&0);
        if !eight_bit && !long_lines {
            return BodyEncoding::AsIs;
        }
        let encoding = if long_lines || !eight_bit_mime { BodyEncoding::QuotedPrintable } else { BodyEncoding::AsIs };
        let transfer = if encoding == BodyEncoding::QuotedPrintable { "quoted-printable" } else { "8bit" };
        let has = |name: &str| self.block.has(name);
        if has("content-transfer-encoding") {
            return BodyEncoding::AsIs;
        }
        match self.block.value("content-type") {
            None => {
                let charset = if std::str::from_utf8(self.body).is_ok() { "UTF-8" } else { "unknown-8bit" };
                if !has("mime-version") {
                    push_header(head, "MIME-Version", "1.0");
                }
                push_header(head, "Content-Type", &format!("text/plain; charset={charset}"));
            }
            Some(ct) if ct.trim_start().to_ascii_lowercase().starts_with("text/") => {}
            Some(_) => return BodyEncoding::AsIs,
        }
        push_header(head, "Content-Transfer-Encoding", transfer);
        encoding
    }

    /// The charset the message's own Content-Type names, if any.
    fn charset(&self) -> Option<String> {
        let ct = self.block.value("content-type")?;
        let lower = ct.to_ascii_lowercase();
        let start = lower.find("charset=")? + "charset=".len();
        let value = ct.get(start..)?.trim_start_matches('"');
        let end = value.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:".contains(c))).unwrap_or(value.len());
        let charset = value.get(..end)?;
        (!charset.is_empty()).then(|| charset.to_owned())
    }
}

impl LegacyParts<'_> {
    /// The message in chunks, before DATA encoding: the head, then the body in pieces.
    pub fn chunks(&self) -> impl Iterator<Item = Cow<'_, [u8]>> + '_ {
        let qp = (self.body_encoding == BodyEncoding::QuotedPrintable).then(QuotedPrintable::default);
        std::iter::once(Cow::Borrowed(self.head.as_slice())).chain(BodyChunks { rest: self.body, qp })
    }

    /// Size on the wire before dot-stuffing (a lower bound when the body is quoted-printable).
    #[must_use]
    pub fn size(&self) -> usize {
        self.head.len() + self.body.len()
    }
}

/// The body in pieces of at most [`CHUNK`] input bytes, quoted-printable encoded when asked.
struct BodyChunks<'a> {
    rest: &'a [u8],
    qp: Option<QuotedPrintable>,
}

impl<'a> Iterator for BodyChunks<'a> {
    type Item = Cow<'a, [u8]>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            let mut tail = Vec::new();
            self.qp.take()?.finish(&mut tail);
            return Some(Cow::Owned(tail));
        }
        let (piece, rest) = self.rest.split_at(CHUNK.min(self.rest.len()));
        self.rest = rest;
        let Some(encoder) = self.qp.as_mut() else {
            return Some(Cow::Borrowed(piece));
        };
        let mut out = Vec::with_capacity(piece.len() * 3 / 2);
        encoder.push(piece, &mut out);
        Some(Cow::Owned(out))
    }
}

/// Removes the `.` line a legacy script put at the end as its own terminator (with any line
/// ends around it), keeping the line end before it.
fn strip_terminator(message: &[u8]) -> &[u8] {
    let trimmed = trim_line_end(message);
    let Some(before_dot) = trimmed.strip_suffix(b".") else {
        return message;
    };
    if before_dot.is_empty() || before_dot.ends_with(b"\n") || before_dot.ends_with(b"\r") {
        before_dot
    } else {
        message
    }
}

fn trim_line_end(text: &[u8]) -> &[u8] {
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    text.strip_suffix(b"\r").unwrap_or(text)
}

fn has_long_line(body: &[u8]) -> bool {
    body.split(|&b| b == b'\n' || b == b'\r').any(|line| line.len() > MAX_LINE)
}

fn push_header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
