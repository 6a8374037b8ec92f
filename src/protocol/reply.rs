//! Server replies: codes, enhanced status codes and an incremental, capped parser (RFC 5321 §4.2, RFC 3463).

use std::fmt;

use thiserror::Error;

/// Longest reply line accepted, CRLF included. RFC 5321 §4.5.3.1.5 says 512; real servers send more.
pub const MAX_LINE: usize = 8 * 1024;
/// Largest reply accepted, all lines together, so a hostile server cannot make the client grow.
pub const MAX_REPLY: usize = 64 * 1024;

/// A three-digit SMTP reply code (RFC 5321 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReplyCode(pub u16);

impl ReplyCode {
    /// 220: the greeting, and the reply to STARTTLS.
    pub const SERVICE_READY: ReplyCode = ReplyCode(220);
    /// 221: the reply to QUIT.
    pub const CLOSING: ReplyCode = ReplyCode(221);
    /// 250: requested action completed.
    pub const OK: ReplyCode = ReplyCode(250);
    /// 251: recipient not local, will forward.
    pub const USER_NOT_LOCAL: ReplyCode = ReplyCode(251);
    /// 354: start mail input.
    pub const START_MAIL_INPUT: ReplyCode = ReplyCode(354);
    /// 421: service not available, closing the channel.
    pub const SERVICE_UNAVAILABLE: ReplyCode = ReplyCode(421);

    /// The first digit: 2 success, 3 intermediate, 4 transient failure, 5 permanent failure.
    #[must_use]
    pub fn class(self) -> u16 {
        self.0 / 100
    }

    /// 2yz: the command succeeded.
    #[must_use]
    pub fn is_positive(self) -> bool {
        self.class() == 2
    }

    /// 4yz: the command failed, and may succeed later.
    #[must_use]
    pub fn is_transient(self) -> bool {
        self.class() == 4
    }

    /// 5yz: the command failed for good.
    #[must_use]
    pub fn is_permanent(self) -> bool {
        self.class() == 5
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

/// An enhanced status code such as `5.7.8` (RFC 3463 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnhancedCode {
    /// 2, 4 or 5.
    pub class: u8,
    /// The subject, 0 to 999.
    pub subject: u16,
    /// The detail, 0 to 999.
    pub detail: u16,
}

impl EnhancedCode {
    /// Parses the code at the start of a reply line's text, if there is one.
    #[must_use]
    pub fn parse_prefix(text: &str) -> Option<EnhancedCode> {
        let token = text.split(' ').next()?;
        let mut parts = token.split('.');
        let class = number(parts.next()?, 1)?;
        let subject = number(parts.next()?, 3)?;
        let detail = number(parts.next()?, 3)?;
        if parts.next().is_some() || !matches!(class, 2 | 4 | 5) {
            return None;
        }
        Some(EnhancedCode { class: u8::try_from(class).ok()?, subject, detail })
    }
}

fn number(digits: &str, max_len: usize) -> Option<u16> {
    if digits.is_empty() || digits.len() > max_len || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// One complete server reply, all its lines (RFC 5321 §4.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    code: ReplyCode,
    lines: Vec<String>,
}

impl Reply {
    /// A reply from a code and its lines of text (without the code).
    #[must_use]
    pub fn new(code: ReplyCode, lines: Vec<String>) -> Reply {
        Reply { code, lines }
    }

    /// The reply code.
    #[must_use]
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// The text of each line, without the code and separator.
    #[must_use]
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The enhanced status code of the first line, when its class matches the reply code's.
    #[must_use]
    pub fn enhanced_code(&self) -> Option<EnhancedCode> {
        let enhanced = EnhancedCode::parse_prefix(self.lines.first()?)?;
        (u16::from(enhanced.class) == self.code.class()).then_some(enhanced)
    }

    /// The text of all lines joined by `\n`, without codes.
    #[must_use]
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The reply code is 2yz.
    #[must_use]
    pub fn is_positive(&self) -> bool {
        self.code.is_positive()
    }

    /// The queue id in a reply to the end of data, as common servers write it: `queued as ID`
    /// (Postfix and most), `id=ID` (Exim), `<ID>`-less `OK ID …` is not guessed.
    #[must_use]
    pub fn queue_id(&self) -> Option<String> {
        let text = self.lines.last()?;
        let lower = text.to_ascii_lowercase();
        let start = ["queued as ", "id="].iter().find_map(|marker| lower.find(marker).map(|i| i + marker.len()))?;
        let id: String = text
            .get(start..)?
            .trim_start_matches(['<', ' '])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "-._@".contains(*c))
            .collect();
        let id = id.trim_end_matches('.').to_owned();
        (!id.is_empty()).then_some(id)
    }

    /// The server closes the channel after this reply: 221 (to QUIT) or 421 (RFC 5321 §3.8).
    #[must_use]
    pub fn closes_connection(&self) -> bool {
        self.code == ReplyCode::CLOSING || self.code == ReplyCode::SERVICE_UNAVAILABLE
    }
}

/// Every line as the server sent it (`250-first`, `250 last`), joined by `\n`.
impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.lines.len().saturating_sub(1);
        for (i, line) in self.lines.iter().enumerate() {
            let sep = if i == last { ' ' } else { '-' };
            if i > 0 {
                f.write_str("\n")?;
            }
            if line.is_empty() && i == last {
                write!(f, "{}", self.code)?;
            } else {
                write!(f, "{}{sep}{line}", self.code)?;
            }
        }
        Ok(())
    }
}

/// Why bytes from the server are not a reply.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReplyError {
    /// A line does not start with a three-digit code and a separator.
    #[error("malformed reply line: {0:?}")]
    Malformed(String),
    /// The lines of one multi-line reply carry different codes.
    #[error("reply lines carry different codes ({first} then {then})")]
    MixedCodes {
        /// The code of the first line.
        first: ReplyCode,
        /// The code that differed.
        then: ReplyCode,
    },
    /// A line is longer than [`MAX_LINE`].
    #[error("reply line longer than {MAX_LINE} bytes")]
    LineTooLong,
    /// The reply is longer than [`MAX_REPLY`].
    #[error("reply longer than {MAX_REPLY} bytes")]
    ReplyTooLong,
}

/// Parses one reply from the start of `buf`.
///
/// `Ok(None)` means more bytes are needed; `Ok(Some((reply, n)))` means the reply used the first `n`
/// bytes, and whatever follows (a pipelined reply) is left for the next call. A line may end in CRLF
/// or a bare LF.
///
/// # Errors
/// A malformed line, codes that differ between lines, or a line or reply over the caps.
pub fn parse_reply(buf: &[u8]) -> Result<Option<(Reply, usize)>, ReplyError> {
    let mut pos = 0;
    let mut code: Option<ReplyCode> = None;
    let mut lines = Vec::new();
    loop {
        let rest = buf.get(pos..).unwrap_or_default();
        let Some(newline) = rest.iter().position(|&b| b == b'\n') else {
            return incomplete(rest.len(), pos + rest.len());
        };
        if newline + 1 > MAX_LINE {
            return Err(ReplyError::LineTooLong);
        }
        pos += newline + 1;
        if pos > MAX_REPLY {
            return Err(ReplyError::ReplyTooLong);
        }
        let raw = rest.get(..newline).unwrap_or_default();
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let (line_code, last, text) = parse_line(raw)?;
        match code {
            Some(first) if first != line_code => return Err(ReplyError::MixedCodes { first, then: line_code }),
            _ => code = Some(line_code),
        }
        lines.push(text);
        if last {
            return Ok(Some((Reply { code: line_code, lines }, pos)));
        }
    }
}

fn incomplete(line_len: usize, total: usize) -> Result<Option<(Reply, usize)>, ReplyError> {
    if line_len >= MAX_LINE {
        Err(ReplyError::LineTooLong)
    } else if total > MAX_REPLY {
        Err(ReplyError::ReplyTooLong)
    } else {
        Ok(None)
    }
}

/// One line: its code, whether it is the last line, and its text.
fn parse_line(raw: &[u8]) -> Result<(ReplyCode, bool, String), ReplyError> {
    let malformed = || ReplyError::Malformed(shorten(raw));
    let (digits, rest) = raw.split_at_checked(3).ok_or_else(malformed)?;
    let valid = matches!(digits, [b'2'..=b'5', b'0'..=b'9', b'0'..=b'9']);
    if !valid {
        return Err(malformed());
    }
    let code = digits.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    let (last, text) = match rest.split_first() {
        None => (true, &[][..]),
        Some((b' ', text)) => (true, text),
        Some((b'-', text)) => (false, text),
        Some(_) => return Err(malformed()),
    };
    Ok((ReplyCode(code), last, String::from_utf8_lossy(text).into_owned()))
}

fn shorten(raw: &[u8]) -> String {
    let cut = raw.get(..80).unwrap_or(raw);
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if cut.len() < raw.len() {
        text.push('…');
    }
    text
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn parse_all(input: &[u8]) -> (Reply, usize) {
        parse_reply(input).unwrap().unwrap()
    }

    #[test]
    fn single_and_multi_line_replies() {
        let cases: &[(&[u8], u16, &[&str], usize)] = &[
            (b"220 mail.example ESMTP\r\n", 220, &["mail.example ESMTP"], 24),
            (b"250 OK\n", 250, &["OK"], 7),
            (b"250\r\n", 250, &[""], 5),
            (b"250-a\r\n250-b\r\n250 c\r\n", 250, &["a", "b", "c"], 21),
            (b"220-one\r\n220 two\r\n250 next", 220, &["one", "two"], 18),
            (b"354 go ahead\r\n", 354, &["go ahead"], 14),
        ];
        for (input, code, lines, used) in cases {
            let (reply, n) = parse_all(input);
            assert_eq!(reply.code(), ReplyCode(*code), "{input:?}");
            assert_eq!(reply.lines(), *lines, "{input:?}");
            assert_eq!(n, *used, "{input:?}");
        }
    }

    #[test]
    fn incomplete_input_needs_more() {
        for input in [&b""[..], b"25", b"250 OK", b"250-a\r\n", b"250-a\r\n250 b"] {
            assert_eq!(parse_reply(input), Ok(None), "{input:?}");
        }
    }

    #[test]
    fn malformed_lines_are_errors() {
        for input in [&b"hello\r\n"[..], b"25\r\n", b"250x\r\n", b"150 x\r\n", b"650 x\r\n", b"2a0 x\r\n"] {
            assert!(matches!(parse_reply(input), Err(ReplyError::Malformed(_))), "{input:?}");
        }
    }

    #[test]
    fn mixed_codes_are_errors() {
        let err = parse_reply(b"250-a\r\n550 b\r\n").unwrap_err();
        assert_eq!(err, ReplyError::MixedCodes { first: ReplyCode(250), then: ReplyCode(550) });
    }

    #[test]
    fn caps_hold_with_and_without_line_ends() {
        let long_line = vec![b'A'; MAX_LINE + 10];
        assert_eq!(parse_reply(&long_line), Err(ReplyError::LineTooLong));
        let mut with_end = b"250 ".to_vec();
        with_end.extend(vec![b'x'; MAX_LINE]);
        with_end.extend(b"\r\n");
        assert_eq!(parse_reply(&with_end), Err(ReplyError::LineTooLong));
        let endless: Vec<u8> = b"250-continuation\r\n".repeat(MAX_REPLY / 18 + 2);
        assert_eq!(parse_reply(&endless), Err(ReplyError::ReplyTooLong));
        let endless_open = &endless[..MAX_REPLY + 5];
        assert_eq!(parse_reply(endless_open), Err(ReplyError::ReplyTooLong));
    }

    #[test]
    fn enhanced_codes() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"250 2.0.0 Ok: queued as ABC\r\n", Some("2.0.0")),
            (b"535 5.7.8 Authentication failed\r\n", Some("5.7.8")),
            (b"452 4.5.3 Too many recipients\r\n", Some("4.5.3")),
            (b"550 4.1.1 class does not match\r\n", None),
            (b"250 Ok\r\n", None),
            (b"250 2.0 short\r\n", None),
            (b"250 2.0.0.0 long\r\n", None),
            (b"250 2.1000.0 subject too long\r\n", None),
        ];
        for (input, expected) in cases {
            let (reply, _) = parse_all(input);
            assert_eq!(reply.enhanced_code().map(|c| c.to_string()).as_deref(), *expected, "{input:?}");
        }
    }

    #[test]
    fn queue_ids() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"250 2.0.0 Ok: queued as C46411C5097E0\r\n", Some("C46411C5097E0")),
            (b"250 OK id=1vQ3aB-0001Xy-Lm\r\n", Some("1vQ3aB-0001Xy-Lm")),
            (b"250 Queued as <abc.def@mail.example>.\r\n", Some("abc.def@mail.example")),
            (b"250 2.0.0 OK 1732960000 x12si\r\n", None),
            (b"250 Ok\r\n", None),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_all(input).0.queue_id().as_deref(), *expected, "{input:?}");
        }
    }

    #[test]
    fn display_gives_back_the_wire_lines() {
        let (reply, _) = parse_all(b"250-mail.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
        assert_eq!(reply.to_string(), "250-mail.example\n250-PIPELINING\n250 8BITMIME");
        let (bare, _) = parse_all(b"250\r\n");
        assert_eq!(bare.to_string(), "250");
    }

    #[test]
    fn corpus_fed_in_chunks_gives_the_same_replies() {
        let corpus: &[u8] = b"220-mail.example ESMTP\r\n220 ready\r\n250-mail.example\r\n250-SIZE 1000\r\n\
250 8BITMIME\r\n250 2.1.0 Ok\r\n550 5.1.1 <x@y>: no\n354 End data with <CR><LF>.<CR><LF>\r\n\
250 2.0.0 Ok: queued as 12345\r\n221 2.0.0 Bye\r\n";
        let expected = replies_of(corpus);
        assert_eq!(expected.len(), 7);
        let mut seed = 0x2545_f491_u32;
        for chunk in [1, 2, 3, 5, 7, 13, 60, 0] {
            let size = |seed: &mut u32| {
                if chunk > 0 {
                    return chunk;
                }
                *seed ^= *seed << 13;
                *seed ^= *seed >> 17;
                *seed ^= *seed << 5;
                (*seed % 9 + 1) as usize
            };
            let mut fed = Vec::new();
            let mut got = Vec::new();
            let mut offset = 0;
            while offset < corpus.len() {
                let take = size(&mut seed).min(corpus.len() - offset);
                fed.extend_from_slice(&corpus[offset..offset + take]);
                offset += take;
                while let Some((reply, used)) = parse_reply(&fed).unwrap() {
                    got.push(reply);
                    fed.drain(..used);
                }
            }
            assert_eq!(got, expected, "chunk size {chunk}");
        }
    }

    fn replies_of(mut buf: &[u8]) -> Vec<Reply> {
        let mut out = Vec::new();
        while let Some((reply, used)) = parse_reply(buf).unwrap() {
            out.push(reply);
            buf = &buf[used..];
        }
        out
    }
}
