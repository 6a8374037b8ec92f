//! Header and body encodings: RFC 2047 encoded-words, header folding, quoted-printable (RFC 2045 §6.7).

use base64::{engine::general_purpose::STANDARD, Engine};

use super::{address::EnvelopeAddress, mailbox::Mailbox};

/// Longest encoded-word (RFC 2047 §2).
const MAX_ENCODED_WORD: usize = 75;
/// Longest run without a space that folding can keep under the 998-octet line limit.
const MAX_WORD: usize = 900;
/// Preferred header line length (RFC 5322 §2.1.1).
const FOLD_AT: usize = 78;
/// Longest quoted-printable line, the soft-break `=` included (RFC 2045 §6.7 rule 5).
const QP_LINE: usize = 76;

/// Writes `Name: value` and CRLF for an unstructured value (Subject and the like).
///
/// ASCII text is folded at spaces; other text becomes RFC 2047 `B` encoded-words in `charset`
/// when it is valid UTF-8 or a charset is known, and is passed through unchanged otherwise.
pub fn write_unstructured(out: &mut Vec<u8>, name: &str, value: &[u8], charset: Option<&str>) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b":");
    // ASCII goes as it is, encoded-words included: a script that wrote `=?UTF-8?B?...?=`
    // itself wants them decoded once, by the reader, not encoded a second time.
    let needs_encoding = !value.is_ascii();
    match (needs_encoding, std::str::from_utf8(value), charset) {
        (false, Ok(text), _) if text.split(' ').all(|word| word.len() <= MAX_WORD) => {
            fold_words(out, name.len() + 1, text);
        }
        (false, Ok(text), _) => encoded_words(out, name.len() + 1, text, "UTF-8"),
        (true, Ok(text), _) => encoded_words(out, name.len() + 1, text, "UTF-8"),
        (true, Err(_), Some(charset)) => encoded_bytes(out, name.len() + 1, value, charset),
        _ if value.split(|&b| b == b' ').all(|word| word.len() <= MAX_WORD) => {
            fold_bytes(out, name.len() + 1, value);
        }
        // 8-bit bytes in no known charset, in a run too long for one line (RFC 1428).
        _ => encoded_bytes(out, name.len() + 1, value, "UNKNOWN-8BIT"),
    }
    out.extend_from_slice(b"\r\n");
}

/// Text that a reader would decode as an encoded-word, so it must be encoded itself.
fn looks_encoded(value: &[u8]) -> bool {
    value.windows(2).any(|w| w == b"=?")
}

/// An RFC 2047 §2 encoded-word: `=?charset?B?text?=` or `=?charset?Q?text?=`, at most 75
/// characters... or longer, as scripts that encode a whole subject in one word write it.
fn is_encoded_word(word: &str) -> bool {
    let Some(inner) = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?=")) else {
        return false;
    };
    let mut parts = inner.splitn(3, '?');
    let (Some(charset), Some(encoding), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let token =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?.=".contains(&b));
    let charset = charset.split('*').next().unwrap_or_default();
    token(charset)
        && matches!(encoding, "B" | "b" | "Q" | "q")
        && text.bytes().all(|b| b.is_ascii_graphic() && b != b'?')
}

/// A display name a script wrote with encoded-words of its own (`=?UTF-8?B?...?=`, possibly
/// between plain words): a valid phrase (RFC 2047 §5), to be sent as it is.
fn is_encoded_phrase(name: &str) -> bool {
    let atom = |w: &str| w.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c));
    let words: Vec<&str> = name.split_ascii_whitespace().collect();
    words.iter().any(|w| is_encoded_word(w))
        && words.iter().all(|w| is_encoded_word(w) || (atom(w) && !w.contains("=?")))
}

/// Folds ASCII text at spaces so lines stay under 78 characters where a space allows.
fn fold_words(out: &mut Vec<u8>, column: usize, text: &str) {
    fold_bytes(out, column, text.as_bytes());
}

/// Folds text at spaces so lines stay under 78 characters where a space allows.
fn fold_bytes(out: &mut Vec<u8>, mut column: usize, text: &[u8]) {
    for (i, word) in text.split(|&b| b == b' ').enumerate() {
        if i > 0 && column + 1 + word.len() > FOLD_AT && column > 1 {
            out.extend_from_slice(b"\r\n");
            column = 0;
        }
        out.push(b' ');
        out.extend_from_slice(word);
        column += 1 + word.len();
    }
}

/// Writes UTF-8 text as `=?UTF-8?B?...?=` words, split between characters, one per folded line.
fn encoded_words(out: &mut Vec<u8>, column: usize, text: &str, charset: &str) {
    let mut room = max_payload(charset, column);
    let mut chunk_start = 0;
    let mut chunk_len = 0;
    for (i, c) in text.char_indices() {
        if chunk_len + c.len_utf8() > room && chunk_len > 0 {
            write_word(out, chunk_start == 0, charset, text.as_bytes().get(chunk_start..i).unwrap_or_default());
            room = max_payload(charset, 0);
            chunk_start = i;
            chunk_len = 0;
        }
        chunk_len += c.len_utf8();
    }
    write_word(out, chunk_start == 0, charset, text.as_bytes().get(chunk_start..).unwrap_or_default());
}

/// Writes bytes of a known non-UTF-8 charset as encoded-words (the charset's characters may be
/// split between words; readers join adjacent words before decoding, RFC 2047 §6.2).
fn encoded_bytes(out: &mut Vec<u8>, column: usize, value: &[u8], charset: &str) {
    let first = max_payload(charset, column).max(3).min(value.len());
    let (head, rest) = value.split_at(first);
    write_word(out, true, charset, head);
    for chunk in rest.chunks(max_payload(charset, 0).max(3)) {
        write_word(out, false, charset, chunk);
    }
}

/// Raw bytes that fit in one encoded-word on a line that already holds `column` characters.
fn max_payload(charset: &str, column: usize) -> usize {
    let frame = charset.len() + 7;
    let width = MAX_ENCODED_WORD.min(FOLD_AT.saturating_sub(column + 1));
    width.saturating_sub(frame) / 4 * 3
}

fn write_word(out: &mut Vec<u8>, first: bool, charset: &str, bytes: &[u8]) {
    if !first {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b" =?");
    out.extend_from_slice(charset.as_bytes());
    out.extend_from_slice(b"?B?");
    out.extend_from_slice(STANDARD.encode(bytes).as_bytes());
    out.extend_from_slice(b"?=");
}

/// Display names longer than this become encoded-words, which fold between words.
const LONG_NAME: usize = 60;

/// A display name for an address header: as is when it is plain ASCII, quoted when it holds
/// specials, encoded-words when it is not ASCII or long (RFC 5322 §3.2.5, RFC 2047 §5). A long
/// name comes as several encoded-words on folded lines.
#[must_use]
pub fn display_name(name: &str) -> String {
    if name.is_ascii() && is_encoded_phrase(name) {
        return name.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
    }
    if !name.is_ascii() || looks_encoded(name.as_bytes()) || name.len() > LONG_NAME {
        let mut out = Vec::new();
        encoded_words(&mut out, 0, name, "UTF-8");
        let text = String::from_utf8_lossy(&out).into_owned();
        return text.trim_start().to_owned();
    }
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || " !#$%&'*+-/=?^_`{|}~".contains(c));
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// `To: a@x, Name <b@y>`, folded after commas when long.
pub fn write_mailboxes(out: &mut Vec<u8>, name: &str, list: &[Mailbox]) {
    out.extend_from_slice(name.as_bytes());
    out.push(b':');
    let mut column = name.len() + 1;
    for (i, mailbox) in list.iter().enumerate() {
        let text = match &mailbox.name {
            Some(display) => format!("{} <{}>", display_name(display), mailbox.address),
            None => mailbox.address.to_string(),
        };
        let separator = if i + 1 < list.len() { "," } else { "" };
        // A long display name is already folded: its first and last lines count.
        let first_line = text.find("\r\n").unwrap_or(text.len());
        if i > 0 && column + first_line + 2 > FOLD_AT {
            out.extend_from_slice(b"\r\n");
            column = 0;
        }
        out.push(b' ');
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(separator.as_bytes());
        column = match text.rfind("\r\n") {
            Some(last) => text.len() - last - 2 + separator.len(),
            None => column + text.len() + 1 + separator.len(),
        };
    }
    out.extend_from_slice(b"\r\n");
}

/// `From: Name <address>` for a name in any charset: UTF-8 as [`display_name`] writes it, other
/// bytes as encoded-words in `charset` (`UNKNOWN-8BIT` when none is known, RFC 1428).
pub fn write_named_mailbox(
    out: &mut Vec<u8>,
    header: &str,
    name: &[u8],
    address: &EnvelopeAddress,
    charset: Option<&str>,
) {
    if let Ok(name) = std::str::from_utf8(name) {
        let mailbox = Mailbox { name: Some(name.to_owned()), address: address.clone() };
        write_mailboxes(out, header, std::slice::from_ref(&mailbox));
        return;
    }
    out.extend_from_slice(header.as_bytes());
    out.push(b':');
    encoded_bytes(out, header.len() + 1, name, charset.unwrap_or("UNKNOWN-8BIT"));
    out.extend_from_slice(format!(" <{address}>\r\n").as_bytes());
}

/// A streaming quoted-printable encoder for text: line ends become hard CRLF breaks.
#[derive(Debug, Clone, Default)]
pub struct QuotedPrintable {
    column: usize,
    pending_space: Option<u8>,
    after_cr: bool,
}

impl QuotedPrintable {
    /// Encodes one chunk of the body into `out`.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        for &b in input {
            if std::mem::take(&mut self.after_cr) && b == b'\n' {
                continue;
            }
            match b {
                b'\r' | b'\n' => {
                    self.flush_space(out, true);
                    out.extend_from_slice(b"\r\n");
                    self.column = 0;
                    self.after_cr = b == b'\r';
                }
                b' ' | b'\t' => {
                    self.flush_space(out, false);
                    self.pending_space = Some(b);
                }
                33..=60 | 62..=126 => {
                    self.flush_space(out, false);
                    self.literal(b, out);
                }
                _ => {
                    self.flush_space(out, false);
                    self.encoded(b, out);
                }
            }
        }
    }

    /// Ends the body: a space or tab at the very end is encoded.
    pub fn finish(mut self, out: &mut Vec<u8>) {
        self.flush_space(out, true);
    }

    fn flush_space(&mut self, out: &mut Vec<u8>, line_ends: bool) {
        if let Some(space) = self.pending_space.take() {
            if line_ends {
                self.encoded(space, out);
            } else {
                self.literal(space, out);
            }
        }
    }

    fn literal(&mut self, b: u8, out: &mut Vec<u8>) {
        self.soft_break_for(1, out);
        out.push(b);
        self.column += 1;
    }

    fn encoded(&mut self, b: u8, out: &mut Vec<u8>) {
        self.soft_break_for(3, out);
        out.extend_from_slice(&[b'=', hex_digit(b >> 4), hex_digit(b & 15)]);
        self.column += 3;
    }

    fn soft_break_for(&mut self, width: usize, out: &mut Vec<u8>) {
        if self.column + width > QP_LINE - 1 {
            out.extend_from_slice(b"=\r\n");
            self.column = 0;
        }
    }
}

/// The upper-case hex digit of a nibble (0-15).
fn hex_digit(nibble: u8) -> u8 {
    let n = nibble & 15;
    if n < 10 {
        b'0' + n
    } else {
        b'A' + (n - 10)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn header(value: &[u8], charset: Option<&str>) -> String {
        let mut out = Vec::new();
        write_unstructured(&mut out, "Subject", value, charset);
        String::from_utf8_lossy(&out).into_owned()
    }

    fn qp(input: &[u8]) -> String {
        let mut out = Vec::new();
        let mut enc = QuotedPrintable::default();
        enc.push(input, &mut out);
        enc.finish(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn ascii_subjects_stay_readable_and_fold() {
        assert_eq!(header(b"Hello world", None), "Subject: Hello world\r\n");
        assert_eq!(header(b"", None), "Subject: \r\n");
        let long = "word ".repeat(30);
        let folded = header(long.trim_end().as_bytes(), None);
        assert!(folded.split("\r\n").all(|line| line.len() <= 78), "{folded}");
        assert_eq!(folded.replace("\r\n", ""), format!("Subject: {}\r\n", long.trim_end()).replace("\r\n", ""));
    }

    #[test]
    fn a_word_too_long_to_fold_is_encoded() {
        let long = "x".repeat(1200);
        let out = header(long.as_bytes(), None);
        assert!(out.starts_with("Subject: =?UTF-8?B?"), "{out}");
        assert!(out.split("\r\n").all(|line| line.len() <= 78));
    }

    #[test]
    fn non_ascii_subjects_are_encoded_words() {
        assert_eq!(header("Grüße".as_bytes(), None), "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n");
        let long = "日本語のメール件名はとても長くなることがありますので折り返しが必要です".repeat(2);
        let out = header(long.as_bytes(), None);
        for line in out.trim_end().split("\r\n") {
            assert!(line.len() <= 78, "{line}");
        }
        let decoded: Vec<u8> = out
            .trim_end()
            .split("=?UTF-8?B?")
            .skip(1)
            .flat_map(|w| STANDARD.decode(w.split("?=").next().unwrap()).unwrap())
            .collect();
        assert_eq!(String::from_utf8(decoded).unwrap(), long);
    }

    #[test]
    fn subjects_a_script_encoded_itself_go_as_they_are() {
        for subject in
            ["=?UTF-8?B?5L2g5aW9?=", "Re: =?UTF-8?B?5L2g5aW9?= (2)", "=?gb2312?B?xOO6ww==?=", "=?x?Q?trick?="]
        {
            assert_eq!(header(subject.as_bytes(), None), format!("Subject: {subject}\r\n"));
        }
        let long = format!("=?UTF-8?B?{}?=", "5L2g5aW9".repeat(20));
        assert_eq!(header(long.as_bytes(), None), format!("Subject: {long}\r\n"));
    }

    #[test]
    fn non_utf8_subjects_use_the_known_charset_or_pass_through() {
        let gbk = b"\xc4\xe3\xba\xc3";
        assert_eq!(header(gbk, Some("gb2312")), "Subject: =?gb2312?B?xOO6ww==?=\r\n");
        let mut raw = Vec::new();
        write_unstructured(&mut raw, "Subject", gbk, None);
        assert_eq!(raw, b"Subject: \xc4\xe3\xba\xc3\r\n");
    }

    #[test]
    fn display_names() {
        assert_eq!(display_name("Ann Lee"), "Ann Lee");
        assert_eq!(display_name("Doe, John"), "\"Doe, John\"");
        assert_eq!(display_name("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(display_name("Zoë"), "=?UTF-8?B?Wm/Dqw==?=");
        // Encoded by the script already: as it is, never quoted or encoded again.
        assert_eq!(display_name("=?UTF-8?B?5byg5LiJ?="), "=?UTF-8?B?5byg5LiJ?=");
        assert_eq!(display_name("Shop =?UTF-8?Q?Z=C3=B6e?="), "Shop =?UTF-8?Q?Z=C3=B6e?=");
        // Not a valid encoded-word, or beside specials: encoded, so the reader shows it literally.
        assert_eq!(display_name("=?x?"), "=?UTF-8?B?PT94Pw==?=");
        assert!(display_name("=?UTF-8?B?5byg5LiJ?=, Inc").starts_with("=?UTF-8?B?"));
    }

    #[test]
    fn quoted_printable() {
        let cases: &[(&[u8], &str)] = &[
            (b"plain", "plain"),
            (b"a=b", "a=3Db"),
            ("Grüße".as_bytes(), "Gr=C3=BC=C3=9Fe"),
            (b"trailing \nspace\t\r\nend ", "trailing=20\r\nspace=09\r\nend=20"),
            (b"a\rb\nc\r\nd", "a\r\nb\r\nc\r\nd"),
            (b"in the middle ok", "in the middle ok"),
        ];
        for (input, expected) in cases {
            assert_eq!(qp(input), *expected, "{input:?}");
        }
        let long = qp("é".repeat(100).as_bytes());
        assert!(long.split("\r\n").all(|line| line.len() <= 76), "{long}");
        assert!(long.split("\r\n").all(|line| !line.contains("=C3=\r\n")));
    }
}
