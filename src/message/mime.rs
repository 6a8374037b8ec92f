//! MIME for a built message (RFC 2045-2047, RFC 2231): text and HTML as alternatives, inline
//! parts as related, attachments as mixed. The result is a list of segments: bytes ready to go,
//! and attachment sources to base64-encode as they stream, so no attachment is ever held whole.

use base64::{engine::general_purpose::STANDARD, Engine};

use super::{
    email::{Attachment, Email, Source},
    encoding::{write_mailboxes, write_unstructured, QuotedPrintable},
};

/// Input bytes per base64 line: 57 bytes make 76 characters (RFC 2045 §6.8).
pub const BASE64_LINE_INPUT: usize = 57;

/// One piece of the message, in order.
#[derive(Debug)]
pub enum Segment<'a> {
    /// Bytes as they go out (before DATA's dot-stuffing).
    Bytes(Vec<u8>),
    /// An attachment's bytes, to be base64-encoded in 76-column lines, each ending in CRLF.
    Base64(&'a Source),
}

/// What the message is stamped with when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The `Date:` value (a caller's own `Date` header wins).
    pub date: String,
    /// The `Message-ID:` value (a caller's own wins); also seeds the MIME boundaries.
    pub message_id: String,
}

/// The message as segments, and its exact size.
#[derive(Debug)]
pub struct Rendered<'a> {
    /// The segments, in order.
    pub segments: Vec<Segment<'a>>,
    /// Size in bytes before dot-stuffing.
    pub size: u64,
    /// Any header holds 8-bit bytes (UTF-8 addresses): needs SMTPUTF8.
    pub utf8_headers: bool,
}

impl Stamp {
    /// Now, and a new Message-ID in the sender's domain.
    #[must_use]
    pub fn new(email: &Email) -> Stamp {
        let domain =
            email.from.as_ref().and_then(|f| f.address.as_str().rsplit_once('@')).map_or("localhost", |(_, d)| d);
        Stamp { date: super::date::rfc5322_date(super::date::now()), message_id: super::date::message_id(domain) }
    }
}

/// The size of `n` bytes once base64-encoded in lines of 76 characters plus CRLF.
#[must_use]
pub fn base64_size(n: u64) -> u64 {
    let lines = n.div_ceil(BASE64_LINE_INPUT as u64);
    n.div_ceil(3) * 4 + lines * 2
}

/// Encodes whole 57-byte groups (and a last partial one) as base64 lines with CRLF.
pub fn base64_lines(input: &[u8], out: &mut Vec<u8>) {
    for line in input.chunks(BASE64_LINE_INPUT) {
        out.extend_from_slice(STANDARD.encode(line).as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

/// Renders the message: headers, then the MIME tree.
#[must_use]
pub fn render<'a>(email: &'a Email, stamp: &Stamp) -> Rendered<'a> {
    let message_id = email.header("message-id").unwrap_or(&stamp.message_id).to_owned();
    let mut writer =
        Writer { segments: Vec::new(), current: Vec::new(), seed: fnv(message_id.as_bytes()), boundaries: 0 };
    writer.headers(email, stamp);
    let tree = tree(email);
    writer.node(&tree);
    // A message is whole lines: a body without a last line end gets one.
    if !writer.current.is_empty() && !writer.current.ends_with(b"\r\n") {
        writer.current.extend_from_slice(b"\r\n");
    }
    writer.flush();
    let size = writer
        .segments
        .iter()
        .map(|s| match s {
            Segment::Bytes(b) => b.len() as u64,
            Segment::Base64(source) => base64_size(source.len()),
        })
        .sum();
    let utf8_headers = email
        .from
        .iter()
        .chain(&email.sender)
        .chain(&email.to)
        .chain(&email.cc)
        .chain(&email.reply_to)
        .any(|m| m.address.needs_smtputf8());
    Rendered { segments: writer.segments, size, utf8_headers }
}

/// The MIME structure of a message.
enum Node<'a> {
    Text(&'a str, &'static str),
    Attachment(&'a Attachment),
    Multipart(&'static str, Vec<Node<'a>>),
}

fn tree(email: &Email) -> Node<'_> {
    let (inline, attached): (Vec<&Attachment>, Vec<&Attachment>) =
        email.attachments.iter().partition(|a| a.content_id.is_some() && email.html.is_some());
    let html = email.html.as_deref().map(|html| {
        let part = Node::Text(html, "text/html");
        if inline.is_empty() {
            part
        } else {
            let mut parts = vec![part];
            parts.extend(inline.iter().map(|a| Node::Attachment(a)));
            Node::Multipart("related", parts)
        }
    });
    let text = email.text.as_deref().map(|t| Node::Text(t, "text/plain"));
    let body = match (text, html) {
        (Some(text), Some(html)) => Some(Node::Multipart("alternative", vec![text, html])),
        (Some(one), None) | (None, Some(one)) => Some(one),
        (None, None) if attached.is_empty() => Some(Node::Text("", "text/plain")),
        (None, None) => None,
    };
    if attached.is_empty() {
        return body.unwrap_or(Node::Text("", "text/plain"));
    }
    let mut parts: Vec<Node<'_>> = body.into_iter().collect();
    parts.extend(attached.iter().map(|a| Node::Attachment(a)));
    Node::Multipart("mixed", parts)
}

struct Writer<'a> {
    segments: Vec<Segment<'a>>,
    current: Vec<u8>,
    seed: u64,
    boundaries: u32,
}

impl<'a> Writer<'a> {
    fn headers(&mut self, email: &Email, stamp: &Stamp) {
        let out = &mut self.current;
        if let Some(from) = &email.from {
            write_mailboxes(out, "From", std::slice::from_ref(from));
        }
        if let Some(sender) = &email.sender {
            write_mailboxes(out, "Sender", std::slice::from_ref(sender));
        }
        for (name, list) in [("To", &email.to), ("Cc", &email.cc), ("Reply-To", &email.reply_to)] {
            if !list.is_empty() {
                write_mailboxes(out, name, list);
            }
        }
        if let Some(subject) = &email.subject {
            write_unstructured(out, "Subject", subject.as_bytes(), None);
        }
        if email.header("date").is_none() {
            header(out, "Date", &stamp.date);
        }
        if email.header("message-id").is_none() {
            header(out, "Message-ID", &stamp.message_id);
        }
        for (name, value) in &email.headers {
            write_unstructured(out, name, value.as_bytes(), None);
        }
        header(out, "MIME-Version", "1.0");
    }

    fn node(&mut self, node: &Node<'a>) {
        match node {
            Node::Text(text, media_type) => self.text(text, media_type),
            Node::Attachment(attachment) => self.attachment(attachment),
            Node::Multipart(subtype, parts) => self.multipart(subtype, parts),
        }
    }

    fn multipart(&mut self, subtype: &str, parts: &[Node<'a>]) {
        self.boundaries += 1;
        let boundary = format!("=_{:016x}.{}", self.seed, self.boundaries);
        header(&mut self.current, "Content-Type", &format!("multipart/{subtype};\r\n boundary=\"{boundary}\""));
        self.current.extend_from_slice(b"\r\n");
        // The CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1), so a body's
        // own last line end survives.
        for (i, part) in parts.iter().enumerate() {
            let lead: &[u8] = if i == 0 { b"" } else { b"\r\n" };
            self.current.extend_from_slice(lead);
            self.current.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            self.node(part);
        }
        self.current.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    }

    /// A text part: 7bit when it is short-lined ASCII without `=_` (so no boundary can occur in
    /// it), else quoted-printable; always CRLF line ends and a final CRLF.
    fn text(&mut self, text: &str, media_type: &str) {
        let plain =
            text.is_ascii() && !text.contains("=_") && text.lines().all(|l| l.len() <= 998) && !text.contains('\0');
        header(&mut self.current, "Content-Type", &format!("{media_type}; charset=UTF-8"));
        header(&mut self.current, "Content-Transfer-Encoding", if plain { "7bit" } else { "quoted-printable" });
        self.current.extend_from_slice(b"\r\n");
        if plain {
            crlf_lines(text, &mut self.current);
        } else {
            let mut qp = QuotedPrintable::default();
            qp.push(text.as_bytes(), &mut self.current);
            qp.finish(&mut self.current);
        }
    }

    fn attachment(&mut self, attachment: &'a Attachment) {
        let name_param = match quoted_or_encoded(&attachment.name) {
            quoted if quoted.len() <= LONG_PARAM => format!(" name={quoted}"),
            _ => format!("\r\n {}", continuations("name", &attachment.name)),
        };
        header(&mut self.current, "Content-Type", &format!("{};{name_param}", attachment.content_type));
        header(&mut self.current, "Content-Transfer-Encoding", "base64");
        let disposition = if attachment.content_id.is_some() { "inline" } else { "attachment" };
        header(
            &mut self.current,
            "Content-Disposition",
            &format!("{disposition};\r\n {}", filename_param(&attachment.name)),
        );
        if let Some(cid) = &attachment.content_id {
            header(&mut self.current, "Content-ID", &format!("<{cid}>"));
        }
        self.current.extend_from_slice(b"\r\n");
        match &attachment.source {
            Source::Data(data) if data.len() <= 64 * 1024 => base64_lines(data, &mut self.current),
            source => {
                self.flush();
                self.segments.push(Segment::Base64(source));
            }
        }
    }

    fn flush(&mut self) {
        if !self.current.is_empty() {
            self.segments.push(Segment::Bytes(std::mem::take(&mut self.current)));
        }
    }
}

/// Text with every line end (CRLF, CR, LF) as CRLF.
fn crlf_lines(text: &str, out: &mut Vec<u8>) {
    let mut rest = text.as_bytes();
    while let Some(i) = rest.iter().position(|&b| b == b'\r' || b == b'\n') {
        out.extend_from_slice(rest.get(..i).unwrap_or_default());
        out.extend_from_slice(b"\r\n");
        let skip = if rest.get(i..i + 2) == Some(b"\r\n") { 2 } else { 1 };
        rest = rest.get(i + skip..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
}

fn header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// A `name=` parameter value: quoted ASCII, or an RFC 2047 encoded-word for other text (what
/// mail readers understand in Content-Type).
fn quoted_or_encoded(name: &str) -> String {
    if name.is_ascii() {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        format!("\"=?UTF-8?B?{}?=\"", STANDARD.encode(name))
    }
}

/// Parameter values longer than this are split into RFC 2231 continuations.
const LONG_PARAM: usize = 60;

/// `filename="…"` for ASCII names, `filename*=UTF-8''…` (RFC 2231 §4) for others; long names
/// in continuations.
fn filename_param(name: &str) -> String {
    if name.is_ascii() && name.len() <= LONG_PARAM {
        return format!("filename={}", quoted_or_encoded(name));
    }
    let encoded = percent_encoded(name);
    if encoded.len() <= LONG_PARAM {
        return format!("filename*=UTF-8''{encoded}");
    }
    continuations("filename", name)
}

/// The value percent-encoded as RFC 2231 extended values are.
fn percent_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `param*0*=UTF-8''…;` CRLF ` param*1*=…` (RFC 2231 §3-4): pieces of at most `LONG_PARAM`
/// characters, never splitting a `%XX` escape, one per folded line.
fn continuations(param: &str, value: &str) -> String {
    let encoded = percent_encoded(value);
    let mut pieces = Vec::new();
    let mut rest = encoded.as_str();
    while !rest.is_empty() {
        let mut cut = rest.len().min(LONG_PARAM);
        // Back off to the start of an escape that the cut would split.
        if let Some(percent) = rest.get(cut.saturating_sub(2)..cut).and_then(|tail| tail.find('%')) {
            cut = cut - 2 + percent;
        }
        let (piece, after) = rest.split_at(cut.max(1));
        pieces.push(piece);
        rest = after;
    }
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            let charset = if i == 0 { "UTF-8''" } else { "" };
            format!("{param}*{i}*={charset}{piece}")
        })
        .collect::<Vec<_>>()
        .join(";\r\n ")
}

/// FNV-1a, to derive boundaries from the message id (deterministic output for a given id).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests;
