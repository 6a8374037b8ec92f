//! The `smtp` class family's `sendmail()` (the class that spread through PHP code as `smtp`,
//! `Smtp`, `SMTP_mail`...): the argument layouts its callers use, and the header block it wrote
//! (MIME type, Cc, Bcc, the sender's name, Reply-To, the caller's own headers).
//!
//! The layouts differ only in what sits in which place, so they are told apart by values that
//! are valid in one layout alone: a sixth argument that is a mail type word (`HTML`, `TXT`) is
//! the name-third fork's; a sixth argument without `@` cannot be a Cc list, so it is the
//! display-name fork's sender name; anything else is the canonical layout (whose provider
//! sample adds the sender's name and a Reply-To as ninth and tenth arguments).

use super::{
    encoding::{write_mailboxes, write_named_mailbox},
    legacy::InputError,
    mailbox::{parse_mailbox_list, Mailbox},
};

/// Which layout a `sendmail()` call used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `($to, $from, $subject, $body, $mailtype, $cc, $bcc, $additional_headers, $fromUser, $replyToAddress)`.
    Canonical,
    /// `($to, $from, $subject, $body, $mailtype, $from_showname, $cc, $bcc, $additional_headers)`.
    DisplayName,
    /// `($to, $from, $fromname, $subject, $body, $mailtype, $cc, $bcc, $additional_headers)`.
    NameThird,
}

/// `sendmail()`'s arguments, as the caller's layout means them (absent ones empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmtpMail<'a> {
    /// Recipients: a comma-separated list.
    pub to: &'a [u8],
    /// The sender's address.
    pub from: &'a [u8],
    /// The sender's display name.
    pub from_name: &'a [u8],
    /// The subject: raw text in any charset, or encoded-words.
    pub subject: &'a [u8],
    /// The body.
    pub body: &'a [u8],
    /// `HTML` for an HTML body; anything else is plain text.
    pub mailtype: &'a [u8],
    /// Cc recipients: a comma-separated list.
    pub cc: &'a [u8],
    /// Bcc recipients: envelope only.
    pub bcc: &'a [u8],
    /// The caller's own header lines.
    pub headers: &'a [u8],
    /// The Reply-To address.
    pub reply_to: &'a [u8],
}

/// A mail type word (`HTML`, `TXT`, `TEXT`, `PLAIN`, any case): what a sixth argument holds in
/// the name-third layout, and never a Cc list or a name.
#[must_use]
pub fn is_mailtype_word(value: &[u8]) -> bool {
    let word = value.trim_ascii();
    ["html", "txt", "text", "plain"].iter().any(|known| word.eq_ignore_ascii_case(known.as_bytes()))
}

/// The constructor's third argument names a user (the user-first layout
/// `($relay_host, $smtp_port, $user, $pass, $auth = true)`) when it is a string that is no
/// boolean word.
#[must_use]
pub fn names_a_user(third: &[u8]) -> bool {
    let word = third.trim_ascii();
    !["", "0", "1", "true", "false", "on", "off", "yes", "no"].iter().any(|b| word.eq_ignore_ascii_case(b.as_bytes()))
}

impl<'a> SmtpMail<'a> {
    /// Reads positional arguments (an absent or `null` one as `None`; ten at most). Without a
    /// mail type, `default_mailtype` applies (`HTML` for the user-first class, else none).
    #[must_use]
    pub fn from_args(args: &[Option<&'a [u8]>], default_mailtype: &'a [u8]) -> (SmtpMail<'a>, Layout) {
        let arg = |i: usize| args.get(i).copied().flatten().unwrap_or_default();
        let passed = |i: usize| args.get(i).copied().flatten().is_some();
        let sixth = arg(5);
        let layout = if passed(5) && is_mailtype_word(sixth) {
            Layout::NameThird
        } else if !sixth.trim_ascii().is_empty() && !sixth.contains(&b'@') {
            Layout::DisplayName
        } else {
            Layout::Canonical
        };
        let mut mail = SmtpMail { to: arg(0), from: arg(1), ..SmtpMail::default() };
        let mailtype_at = match layout {
            Layout::Canonical => {
                (mail.subject, mail.body, mail.cc, mail.bcc, mail.headers) = (arg(2), arg(3), arg(5), arg(6), arg(7));
                (mail.from_name, mail.reply_to) = (arg(8), arg(9));
                4
            }
            Layout::DisplayName => {
                (mail.subject, mail.body, mail.from_name) = (arg(2), arg(3), arg(5));
                (mail.cc, mail.bcc, mail.headers) = (arg(6), arg(7), arg(8));
                4
            }
            Layout::NameThird => {
                (mail.from_name, mail.subject, mail.body) = (arg(2), arg(3), arg(4));
                (mail.cc, mail.bcc, mail.headers) = (arg(6), arg(7), arg(8));
                5
            }
        };
        mail.mailtype = if passed(mailtype_at) { arg(mailtype_at) } else { default_mailtype };
        (mail, layout)
    }

    /// The body is HTML.
    #[must_use]
    pub fn html(&self) -> bool {
        self.mailtype.trim_ascii().eq_ignore_ascii_case(b"html")
    }

    /// The header block the class wrote before the body: MIME type, the sender with its name,
    /// Reply-To, Cc and Bcc (which the legacy rule turns into recipients, and strips), then the
    /// caller's own lines. To, From (without a name), Subject, Date and Message-ID are added by
    /// the legacy rule when missing.
    ///
    /// # Errors
    /// An address list, name or header that cannot be written correctly, naming the argument.
    pub fn head(&self) -> Result<Vec<u8>, InputError> {
        let own = own_headers(self.headers);
        let has = |name: &str| own.split(|&b| b == b'\n').any(|line| starts_field(line, name));
        let mut head = Vec::with_capacity(256 + own.len());
        let charset = declared_charset(&own).or_else(|| self.guessed_charset());
        if self.html() && !has("content-type") {
            if !has("mime-version") {
                head.extend_from_slice(b"MIME-Version: 1.0\r\n");
            }
            head.extend_from_slice(b"Content-Type: text/html");
            if let Some(charset) = &charset {
                head.extend_from_slice(format!("; charset={charset}").as_bytes());
            }
            head.extend_from_slice(b"\r\n");
        }
        if !self.from_name.trim_ascii().is_empty() && !has("from") {
            let from = text(self.from, "from")?;
            let sender = Mailbox::parse(from).map_err(|e| bad("from", e.to_string()))?;
            if self.from_name.iter().any(|&b| matches!(b, b'\r' | b'\n' | 0)) {
                return Err(bad("fromUser", "the name contains CR, LF or NUL (header injection)".into()));
            }
            write_named_mailbox(&mut head, "From", self.from_name.trim_ascii(), &sender.address, charset.as_deref());
        }
        for (name, value, argument) in [("Reply-To", self.reply_to, "replyToAddress"), ("Cc", self.cc, "cc")] {
            if !value.trim_ascii().is_empty() && !has(&name.to_ascii_lowercase()) {
                write_mailboxes(&mut head, name, &address_list(value, argument)?);
            }
        }
        if !self.bcc.trim_ascii().is_empty() {
            write_mailboxes(&mut head, "Bcc", &address_list(self.bcc, "bcc")?);
        }
        head.extend_from_slice(&own);
        Ok(head)
    }

    /// The charset of an HTML body that declares none in a header: UTF-8 when everything is
    /// UTF-8 (or ASCII), else what the page's own `<meta charset>` says.
    fn guessed_charset(&self) -> Option<String> {
        let utf8 = [self.body, self.subject, self.from_name].iter().all(|part| std::str::from_utf8(part).is_ok());
        if utf8 {
            return Some("UTF-8".into());
        }
        meta_charset(self.body)
    }
}

fn bad(argument: &'static str, reason: String) -> InputError {
    InputError { argument, reason }
}

fn text<'t>(value: &'t [u8], argument: &'static str) -> Result<&'t str, InputError> {
    std::str::from_utf8(value).map_err(|_| bad(argument, "not valid UTF-8".into()))
}

/// A comma-separated address list (`;` is read as a comma, as scripts write both).
fn address_list(value: &[u8], argument: &'static str) -> Result<Vec<Mailbox>, InputError> {
    let list = text(value, argument)?.replace(';', ",");
    parse_mailbox_list(&list).map_err(|e| bad(argument, e.to_string()))
}

/// The caller's header lines with CRLF ends and no empty lines (scripts end them with `\r\n`,
/// `\n`, or not at all).
fn own_headers(headers: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(headers.len() + 8);
    for line in headers.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)) {
        for piece in line.split(|&b| b == b'\r') {
            if !piece.trim_ascii().is_empty() {
                out.extend_from_slice(piece);
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out
}

/// The line starts the field `name` (lower case).
fn starts_field(line: &[u8], name: &str) -> bool {
    line.iter()
        .position(|&b| b == b':')
        .and_then(|colon| line.get(..colon))
        .is_some_and(|field| field.trim_ascii().eq_ignore_ascii_case(name.as_bytes()))
}

/// The charset a Content-Type line among `headers` declares.
fn declared_charset(headers: &[u8]) -> Option<String> {
    let line = headers.split(|&b| b == b'\n').find(|line| starts_field(line, "content-type"))?;
    charset_after(line)
}

/// `<meta charset="gbk">` or `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`.
fn meta_charset(html: &[u8]) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower.get(from..).and_then(|rest| find(rest, b"<meta")) {
        let start = from + found;
        let end =
            lower.get(start..).and_then(|rest| rest.iter().position(|&b| b == b'>')).map_or(lower.len(), |e| start + e);
        if let Some(charset) = lower.get(start..end).and_then(charset_after) {
            return Some(charset);
        }
        from = end;
    }
    None
}

/// The value after `charset=` in a header line or tag: letters, digits, `-`, `_`, `.`, `:`.
fn charset_after(text: &[u8]) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = find(&lower, b"charset=")? + b"charset=".len();
    let value = text.get(at..)?;
    let value = value.strip_prefix(b"\"").or_else(|| value.strip_prefix(b"'")).unwrap_or(value);
    let end = value.iter().position(|b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(b))).unwrap_or(value.len());
    let charset = std::str::from_utf8(value.get(..end)?).ok()?;
    (!charset.is_empty()).then(|| charset.to_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
