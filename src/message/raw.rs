//! A ready-made RFC 5322 message with an explicit envelope (`SendMail::sendRaw()`, the
//! Symfony transport): checked, not rewritten, except for its line ends.
//!
//! What is fixed: bare LF and bare CR become CRLF, and a missing final line end is added (the
//! bytes a server stores are then the bytes given, in CRLF form). What is refused, because
//! fixing it would change the message the caller signed or rendered: a NUL byte, a line over
//! 998 octets (RFC 5322 §2.1.1), and a first part that is not a header block (a line that is
//! neither a field nor a continuation before the empty line that ends the headers).

use super::{address::EnvelopeAddress, legacy::InputError, mailbox::Mailbox};

/// Longest line RFC 5322 §2.1.1 allows, CRLF excluded.
const MAX_LINE: usize = 998;

/// Checked message bytes (CRLF line ends) and their envelope.
#[derive(Debug, Clone)]
pub struct RawMessage {
    bytes: Vec<u8>,
    head_len: usize,
    sender: EnvelopeAddress,
    recipients: Vec<EnvelopeAddress>,
}

impl RawMessage {
    /// Checks the envelope and the bytes; the bytes get CRLF line ends.
    ///
    /// # Errors
    /// A sender or recipient that is not an address, no recipient, or bytes that are no
    /// message (see the module documentation).
    pub fn new(message: &[u8], from: &str, recipients: &[&str]) -> Result<RawMessage, InputError> {
        let bad = |argument, reason: String| InputError { argument, reason };
        let address =
            |text: &str, argument| Mailbox::parse(text).map(|m| m.address).map_err(|e| bad(argument, e.to_string()));
        let sender = address(from, "from")?;
        let mut envelope: Vec<EnvelopeAddress> = Vec::with_capacity(recipients.len());
        for recipient in recipients {
            let recipient = address(recipient, "recipients")?;
            if !envelope.contains(&recipient) {
                envelope.push(recipient);
            }
        }
        if envelope.is_empty() {
            return Err(bad("recipients", "no recipient given".into()));
        }
        let bytes = crlf(message).map_err(|reason| bad("message", reason))?;
        let head_len = header_block(&bytes).map_err(|reason| bad("message", reason))?;
        Ok(RawMessage { bytes, head_len, sender, recipients: envelope })
    }

    /// The message with CRLF line ends, before DATA's dot-stuffing.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Its size in bytes.
    #[must_use]
    pub fn size(&self) -> u64 {
        u64::try_from(self.bytes.len()).unwrap_or(u64::MAX)
    }

    /// The envelope sender (MAIL FROM).
    #[must_use]
    pub fn sender(&self) -> &EnvelopeAddress {
        &self.sender
    }

    /// The envelope recipients (RCPT TO), each once.
    #[must_use]
    pub fn recipients(&self) -> &[EnvelopeAddress] {
        &self.recipients
    }

    /// Any 8-bit byte.
    #[must_use]
    pub fn eight_bit(&self) -> bool {
        !self.bytes.is_ascii()
    }

    /// 8-bit bytes in the header block (UTF-8 headers want SMTPUTF8).
    #[must_use]
    pub fn eight_bit_head(&self) -> bool {
        !self.bytes.get(..self.head_len).unwrap_or_default().is_ascii()
    }
}

/// The bytes with CRLF line ends and a final CRLF; a NUL or a line over 998 octets is refused.
fn crlf(message: &[u8]) -> Result<Vec<u8>, String> {
    if message.is_empty() {
        return Err("the message is empty".into());
    }
    if let Some(at) = message.iter().position(|&b| b == 0) {
        return Err(format!("the message has a NUL byte (at offset {at})"));
    }
    let mut out = Vec::with_capacity(message.len() + message.len() / 32 + 2);
    let (mut line, mut column) = (1usize, 0usize);
    let mut bytes = message.iter().peekable();
    while let Some(&b) = bytes.next() {
        match b {
            b'\r' | b'\n' => {
                if b == b'\r' && bytes.peek() == Some(&&b'\n') {
                    bytes.next();
                }
                out.extend_from_slice(b"\r\n");
                line += 1;
                column = 0;
            }
            _ => {
                column += 1;
                if column > MAX_LINE {
                    return Err(format!("line {line} is longer than 998 octets (RFC 5322 §2.1.1)"));
                }
                out.push(b);
            }
        }
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    Ok(out)
}

/// The length of the header block (up to and including the empty line, or all of a message
/// without a body); every line before it is a field or a continuation.
fn header_block(message: &[u8]) -> Result<usize, String> {
    let mut pos = 0;
    let mut number = 0;
    while pos < message.len() {
        let rest = message.get(pos..).unwrap_or_default();
        let end = rest.windows(2).position(|w| w == b"\r\n").unwrap_or(rest.len());
        let line = rest.get(..end).unwrap_or_default();
        number += 1;
        if line.is_empty() {
            if number == 1 {
                return Err("the message starts with an empty line: it has no header block".into());
            }
            return Ok(pos + 2);
        }
        let continuation = matches!(line.first(), Some(b' ' | b'\t'));
        let field = line
            .iter()
            .position(|&b| b == b':')
            .and_then(|colon| line.get(..colon))
            .is_some_and(|name| !name.is_empty() && name.iter().all(|&b| (33..=126).contains(&b)));
        if !(field || (continuation && number > 1)) {
            return Err(format!(
                "line {number} is neither a header field nor the empty line that ends the headers \
                 (a header block without the empty line before the body?)"
            ));
        }
        pos += end + 2;
    }
    Ok(message.len())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn raw(message: &[u8]) -> Result<RawMessage, InputError> {
        RawMessage::new(message, "me@example.com", &["you@example.com", "Ann <ann@example.com>", "you@example.com"])
    }

    #[test]
    fn line_ends_become_crlf_and_the_envelope_is_kept() {
        let m = raw(b"Subject: hi\nX-A: 1\r\n folded\r\rbody\n.line\nlast").unwrap();
        assert_eq!(m.bytes(), b"Subject: hi\r\nX-A: 1\r\n folded\r\n\r\nbody\r\n.line\r\nlast\r\n");
        assert_eq!(m.size(), 51);
        assert_eq!(m.sender().as_str(), "me@example.com");
        let rcpts: Vec<&str> = m.recipients().iter().map(EnvelopeAddress::as_str).collect();
        assert_eq!(rcpts, ["you@example.com", "ann@example.com"]);
        assert!(!m.eight_bit());
        let utf8 = raw("Subject: Grüße\r\n\r\nx".as_bytes()).unwrap();
        assert!(utf8.eight_bit() && utf8.eight_bit_head());
        let body8 = raw("Subject: x\r\n\r\nGrüße".as_bytes()).unwrap();
        assert!(body8.eight_bit() && !body8.eight_bit_head());
        assert_eq!(raw(b"Subject: only headers").unwrap().bytes(), b"Subject: only headers\r\n");
    }

    #[test]
    fn what_cannot_be_sent_as_given_is_refused() {
        let long = [b"Subject: x\r\n\r\n".as_slice(), &[b'a'; 999]].concat();
        for (message, says) in [
            (&b""[..], "empty"),
            (b"Subject: x\r\n\r\nnul\0here", "NUL"),
            (&long[..], "line 3 is longer than 998"),
            (b"Hello there\r\n\r\nbody", "line 1 is neither"),
            (b"Subject: x\r\nthis is the body\r\n", "line 2 is neither"),
            (b"\r\nbody", "no header block"),
            (b" continued: x\r\n\r\n", "line 1 is neither"),
        ] {
            let error = raw(message).unwrap_err();
            assert_eq!(error.argument, "message");
            assert!(error.reason.contains(says), "{message:?}: {}", error.reason);
        }
        let ok = [b"Subject: x\r\n\r\n".as_slice(), &[b'a'; 998]].concat();
        assert!(raw(&ok).is_ok());
        assert_eq!(RawMessage::new(b"S: x", "not an address", &["a@b.example"]).unwrap_err().argument, "from");
        assert_eq!(RawMessage::new(b"S: x", "a@b.example", &[]).unwrap_err().argument, "recipients");
        assert_eq!(RawMessage::new(b"S: x", "a@b.example", &["x\r\ny@z"]).unwrap_err().argument, "recipients");
    }
}
