//! The legacy `send($to, $from, $subject, $message)` message, with the legacy header rule kept.
//!
//! The legacy class prepended `To`, `From` and `Subject` lines unless the message already had them,
//! so scripts put their own headers (often `Content-Type`) at the top of `$message`. That rule stays;
//! what was wrong with it (no blank line before the body, no `Date`/`Message-ID`, raw 8-bit text)
//! is fixed here.

use std::borrow::Cow;

use thiserror::Error;

use super::{
    encoding::{display_name, write_unstructured, QuotedPrintable},
    mailbox::{parse_mailbox_list, Mailbox},
};
use crate::protocol::EnvelopeAddress;

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
    from: Mailbox,
    subject: &'a [u8],
    header_block: &'a [u8],
    body: &'a [u8],
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
        let bad = |argument, reason: String| InputError { argument, reason };
        let to = parse_mailbox_list(to).map_err(|e| bad("to", e.to_string()))?;
        let mut from_list = parse_mailbox_list(from).map_err(|e| bad("from", e.to_string()))?;
        if from_list.len() != 1 {
            return Err(bad("from", "give exactly one sender address".into()));
        }
        let from = from_list.remove(0);
        if subject.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(bad(
                "subject",
                "the subject contains CR, LF or NUL (header injection)".into(),
            ));
        }
        let message = strip_terminator(message);
        let (header_block, body) = split_header_block(message);
        Ok(LegacyMessage {
            to,
            from,
            subject,
            header_block,
            body,
        })
    }

    /// The envelope sender.
    #[must_use]
    pub fn sender(&self) -> &EnvelopeAddress {
        &self.from.address
    }

    /// The envelope recipients, in the order given.
    pub fn recipients(&self) -> impl Iterator<Item = &EnvelopeAddress> {
        self.to.iter().map(|m| &m.address)
    }

    /// Any envelope address needs SMTPUTF8.
    #[must_use]
    pub fn needs_smtputf8(&self) -> bool {
        self.from.address.needs_smtputf8() || self.recipients().any(EnvelopeAddress::needs_smtputf8)
    }

    /// The sender's domain, for the Message-ID.
    #[must_use]
    pub fn sender_domain(&self) -> &str {
        self.from
            .address
            .as_str()
            .rsplit_once('@')
            .map_or("localhost", |(_, d)| d)
    }

    /// Composes the head and decides the body's encoding.
    #[must_use]
    pub fn compose(&self, options: &ComposeOptions) -> LegacyParts<'a> {
        let has = |name: &str| has_header(self.header_block, name);
        let mut head = Vec::with_capacity(256 + self.header_block.len());
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
        head.extend_from_slice(self.header_block);
        head.extend_from_slice(b"\r\n");
        let body_eight_bit = body_encoding == BodyEncoding::AsIs && !self.body.is_ascii();
        let eight_bit = body_eight_bit || !head.is_ascii();
        LegacyParts {
            head,
            body: self.body,
            body_encoding,
            eight_bit,
        }
    }

    /// Adds MIME headers a bare 8-bit or long-lined body needs, and says how to encode it.
    fn body_headers(&self, head: &mut Vec<u8>, eight_bit_mime: bool) -> BodyEncoding {
        let eight_bit = !self.body.is_ascii();
        let long_lines = has_long_line(self.body);
        if !eight_bit && !long_lines {
            return BodyEncoding::AsIs;
        }
        let encoding = if long_lines || !eight_bit_mime {
            BodyEncoding::QuotedPrintable
        } else {
            BodyEncoding::AsIs
        };
        let transfer = if encoding == BodyEncoding::QuotedPrintable {
            "quoted-printable"
        } else {
            "8bit"
        };
        let has = |name: &str| has_header(self.header_block, name);
        if has("content-transfer-encoding") {
            return BodyEncoding::AsIs;
        }
        match header_value(self.header_block, "content-type") {
            None => {
                let charset = if std::str::from_utf8(self.body).is_ok() {
                    "UTF-8"
                } else {
                    "unknown-8bit"
                };
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
        let ct = header_value(self.header_block, "content-type")?;
        let lower = ct.to_ascii_lowercase();
        let start = lower.find("charset=")? + "charset=".len();
        let value = ct.get(start..)?.trim_start_matches('"');
        let end = value
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:".contains(c)))
            .unwrap_or(value.len());
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

/// Removes the `.` line a legacy script put at the end as its own terminator.
fn strip_terminator(message: &[u8]) -> &[u8] {
    for end in [&b"\r\n.\r\n"[..], b"\n.\n", b"\r\n.", b"\n."] {
        if let Some(rest) = message.strip_suffix(end) {
            let keep = if end.starts_with(b"\r\n") { 2 } else { 1 };
            return message.get(..rest.len() + keep).unwrap_or(message);
        }
    }
    if message == b"." || message == b".\n" || message == b".\r\n" {
        return &[];
    }
    message
}

/// Splits a message that starts with its own header block (header lines, then a blank line).
/// The block keeps its last line end; the body starts after the blank line.
fn split_header_block(message: &[u8]) -> (&[u8], &[u8]) {
    let mut pos = 0;
    let mut seen_field = false;
    while pos < message.len() {
        let rest = message.get(pos..).unwrap_or_default();
        let (line, next) = next_line(rest);
        if line.is_empty() {
            return if seen_field {
                (
                    message.get(..pos).unwrap_or_default(),
                    rest.get(next..).unwrap_or_default(),
                )
            } else {
                (&[], message)
            };
        }
        let continuation = matches!(line.first(), Some(b' ' | b'\t')) && seen_field;
        if !continuation && !is_field(line) {
            return (&[], message);
        }
        seen_field = true;
        pos += next;
    }
    (&[], message)
}

/// The line at the start of `rest` without its line end, and where the next line starts.
fn next_line(rest: &[u8]) -> (&[u8], usize) {
    match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
        None => (rest, rest.len()),
        Some(i) => {
            let crlf = rest.get(i..i + 2) == Some(b"\r\n");
            (rest.get(..i).unwrap_or_default(), i + if crlf { 2 } else { 1 })
        }
    }
}

/// `Name: value`, with a field name of printable ASCII and no space (RFC 5322 §2.2).
fn is_field(line: &[u8]) -> bool {
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line
            .get(..colon)
            .is_some_and(|n| n.iter().all(|&b| (33..=126).contains(&b))),
        _ => false,
    }
}

fn header_lines(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    block
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .flat_map(|l| l.split(|&b| b == b'\r'))
}

/// The block has a field with this name (case-insensitive).
fn has_header(block: &[u8], name: &str) -> bool {
    header_value(block, name).is_some()
}

/// The value of the first field with this name (its first line only).
fn header_value(block: &[u8], name: &str) -> Option<String> {
    header_lines(block).find_map(|line| {
        let colon = line.iter().position(|&b| b == b':')?;
        let field = line.get(..colon)?;
        let value = line.get(colon + 1..)?;
        field
            .eq_ignore_ascii_case(name.as_bytes())
            .then(|| String::from_utf8_lossy(value).trim().to_owned())
    })
}

fn has_long_line(body: &[u8]) -> bool {
    body.split(|&b| b == b'\n' || b == b'\r')
        .any(|line| line.len() > MAX_LINE)
}

fn push_header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// `To: a@x, Name <b@y>`, folded after commas when long.
fn write_mailboxes(out: &mut Vec<u8>, name: &str, list: &[Mailbox]) {
    out.extend_from_slice(name.as_bytes());
    out.push(b':');
    let mut column = name.len() + 1;
    for (i, mailbox) in list.iter().enumerate() {
        let text = match &mailbox.name {
            Some(display) => format!("{} <{}>", display_name(display), mailbox.address),
            None => mailbox.address.to_string(),
        };
        let separator = if i + 1 < list.len() { "," } else { "" };
        if i > 0 && column + text.len() + 2 > 78 {
            out.extend_from_slice(b"\r\n");
            column = 0;
        }
        out.push(b' ');
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(separator.as_bytes());
        column += text.len() + 1 + separator.len();
    }
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
