//! The header block a legacy script puts at the top of `$message` (RFC 5322 §2.2).

use std::borrow::Cow;

/// The script's own header block: its fields, and where the body starts.
#[derive(Debug, Clone, Default)]
pub struct HeaderBlock<'a> {
    raw: &'a [u8],
    fields: Vec<Field>,
}

/// One field: its name, its value unfolded, and its bytes (continuation lines included).
#[derive(Debug, Clone)]
struct Field {
    name: String,
    value: String,
    start: usize,
    end: usize,
}

impl<'a> HeaderBlock<'a> {
    /// Splits `message` into a header block and the body.
    ///
    /// The block is the run of header fields at the top. It ends at a blank line (which is
    /// dropped), or, when every field is a MIME or `X-` field (`MIME-Version`, `Content-…`,
    /// `X-…`), at the first line that is not a field, which is how mail servers read such
    /// messages. Anything else is all body: `Note: at 5` or `To: whom it may concern` followed by
    /// text stays text.
    #[must_use]
    pub fn split(message: &'a [u8]) -> (HeaderBlock<'a>, &'a [u8]) {
        let mut block = HeaderBlock::default();
        let mut pos = 0;
        while pos < message.len() {
            let rest = message.get(pos..).unwrap_or_default();
            let (line, next) = next_line(rest);
            let continuation = matches!(line.first(), Some(b' ' | b'\t'));
            if line.is_empty() {
                return block.ended_at(message, pos, pos + next);
            }
            if continuation && !block.fields.is_empty() {
                block.continue_field(line, pos + next);
            } else if let Some(field) = field(line, pos, pos + next) {
                block.fields.push(field);
            } else {
                return if block.all_mime() { block.ended_at(message, pos, pos) } else { Self::none(message) };
            }
            pos += next;
        }
        if block.all_mime() {
            block.ended_at(message, pos, pos)
        } else {
            Self::none(message)
        }
    }

    /// A block that is header fields only (a script's `$additional_headers`, without empty lines).
    ///
    /// # Errors
    /// The first line that is neither a field nor a continuation of one (an empty line too: it
    /// would end the headers).
    pub fn fields(head: &'a [u8]) -> Result<HeaderBlock<'a>, Vec<u8>> {
        let mut block = HeaderBlock { raw: head, fields: Vec::new() };
        let mut pos = 0;
        while pos < head.len() {
            let (line, next) = next_line(head.get(pos..).unwrap_or_default());
            let continuation = matches!(line.first(), Some(b' ' | b'\t'));
            if line.contains(&0) {
                return Err(line.to_vec());
            }
            if continuation && !block.fields.is_empty() {
                block.continue_field(line, pos + next);
            } else if let Some(field) = field(line, pos, pos + next) {
                block.fields.push(field);
            } else {
                return Err(line.to_vec());
            }
            pos += next;
        }
        Ok(block)
    }

    fn none(message: &'a [u8]) -> (HeaderBlock<'a>, &'a [u8]) {
        (HeaderBlock::default(), message)
    }

    fn ended_at(mut self, message: &'a [u8], end: usize, body: usize) -> (HeaderBlock<'a>, &'a [u8]) {
        if self.fields.is_empty() {
            return Self::none(message);
        }
        self.raw = message.get(..end).unwrap_or_default();
        (self, message.get(body..).unwrap_or_default())
    }

    fn continue_field(&mut self, line: &[u8], end: usize) {
        if let Some(last) = self.fields.last_mut() {
            last.value.push(' ');
            last.value.push_str(String::from_utf8_lossy(line).trim());
            last.end = end;
        }
    }

    fn all_mime(&self) -> bool {
        !self.fields.is_empty() && self.fields.iter().all(|f| is_mime(&f.name))
    }

    /// The block has a field of this name (case-insensitive).
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    /// The unfolded value of the first field of this name.
    #[must_use]
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.name.eq_ignore_ascii_case(name)).map(|f| f.value.as_str())
    }

    /// The values of every field of this name.
    pub fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.fields.iter().filter(move |f| f.name.eq_ignore_ascii_case(name)).map(|f| f.value.as_str())
    }

    /// The block's bytes without the fields of this name (Bcc must not reach the recipients).
    #[must_use]
    pub fn without(&self, name: &str) -> Cow<'a, [u8]> {
        if !self.has(name) {
            return Cow::Borrowed(self.raw);
        }
        let mut out = Vec::with_capacity(self.raw.len());
        let mut copied = 0;
        for field in self.fields.iter().filter(|f| f.name.eq_ignore_ascii_case(name)) {
            out.extend_from_slice(self.raw.get(copied..field.start).unwrap_or_default());
            copied = field.end;
        }
        out.extend_from_slice(self.raw.get(copied..).unwrap_or_default());
        Cow::Owned(out)
    }

    /// The block ends with a line end (so the blank line can follow directly).
    #[must_use]
    pub fn ends_with_line_end(&self) -> bool {
        self.raw.is_empty() || self.raw.ends_with(b"\n") || self.raw.ends_with(b"\r")
    }
}

/// A field that only a header block would start with: `MIME-Version`, `Content-…`, `X-…`.
fn is_mime(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "mime-version" || lower.starts_with("content-") || lower.starts_with("x-")
}

/// `Name: value`, with a field name of printable ASCII and no space (RFC 5322 §2.2).
fn field(line: &[u8], start: usize, end: usize) -> Option<Field> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = line.get(..colon)?;
    if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b)) {
        return None;
    }
    let value = String::from_utf8_lossy(line.get(colon + 1..)?).trim().to_owned();
    Some(Field { name: String::from_utf8_lossy(name).into_owned(), value, start, end })
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn split(message: &str) -> (String, String) {
        let (block, body) = HeaderBlock::split(message.as_bytes());
        (String::from_utf8_lossy(block.raw).into_owned(), String::from_utf8_lossy(body).into_owned())
    }

    #[test]
    fn blocks_and_bodies() {
        let cases = [
            ("Content-Type: text/html\n\n<b>x</b>", "Content-Type: text/html\n", "<b>x</b>"),
            ("X-Any: 1\r\nFolded: a\r\n b\r\n\r\nbody", "X-Any: 1\r\nFolded: a\r\n b\r\n", "body"),
            ("Odd-Name: x\n\nbody", "Odd-Name: x\n", "body"),
            (
                "MIME-Version: 1.0\nContent-Type: text/html\n<html>hi</html>",
                "MIME-Version: 1.0\nContent-Type: text/html\n",
                "<html>hi</html>",
            ),
            ("Content-Type: text/html", "Content-Type: text/html", ""),
            ("Note: meeting at 5", "", "Note: meeting at 5"),
            ("Note: meeting at 5\nSee you", "", "Note: meeting at 5\nSee you"),
            ("To: whom it may concern\nHello", "", "To: whom it may concern\nHello"),
            ("Subject: x\nFrom: y", "", "Subject: x\nFrom: y"),
            ("Dear John,\n\nHi", "", "Dear John,\n\nHi"),
            ("\nSubject: x\n", "", "\nSubject: x\n"),
            (" indented: x\n\nbody", "", " indented: x\n\nbody"),
            ("", "", ""),
        ];
        for (message, block, body) in cases {
            assert_eq!(split(message), (block.to_owned(), body.to_owned()), "{message:?}");
        }
    }

    #[test]
    fn values_unfold_and_bcc_can_be_dropped() {
        let message =
            b"Cc: a@example.com,\n  b@example.com\nBcc: hidden@example.com\nX-Mailer: m\nbcc: two@example.com\n\nbody";
        let (block, body) = HeaderBlock::split(message);
        assert_eq!(body, b"body");
        assert_eq!(block.value("cc"), Some("a@example.com, b@example.com"));
        assert_eq!(block.values("BCC").collect::<Vec<_>>(), ["hidden@example.com", "two@example.com"]);
        assert_eq!(&*block.without("bcc"), b"Cc: a@example.com,\n  b@example.com\nX-Mailer: m\n");
        assert!(matches!(block.without("reply-to"), Cow::Borrowed(_)));
    }
}
