//! What a server offers in its EHLO reply (RFC 5321 §4.1.1.1 and the extension RFCs).

use super::reply::Reply;

/// The extensions an EHLO reply announced. Keywords compare case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    keywords: Vec<(String, Vec<String>)>,
}

impl Capabilities {
    /// Reads the extension lines of an EHLO reply (every line after the first).
    #[must_use]
    pub fn from_ehlo(reply: &Reply) -> Capabilities {
        let keywords = reply
            .lines()
            .iter()
            .skip(1)
            .filter_map(|line| {
                let mut words = line.split_ascii_whitespace();
                let keyword = words.next()?;
                let (keyword, first_param) = match keyword.split_once('=') {
                    Some((k, p)) => (k, Some(p)),
                    None => (keyword, None),
                };
                let params = first_param.into_iter().chain(words).map(str::to_owned).collect();
                Some((keyword.to_ascii_uppercase(), params))
            })
            .collect();
        Capabilities { keywords }
    }

    /// Every extension as announced: `KEYWORD` or `KEYWORD params`.
    #[must_use]
    pub fn list(&self) -> Vec<String> {
        self.keywords
            .iter()
            .map(|(k, p)| if p.is_empty() { k.clone() } else { format!("{k} {}", p.join(" ")) })
            .collect()
    }

    /// The server announced `keyword`.
    #[must_use]
    pub fn has(&self, keyword: &str) -> bool {
        self.params(keyword).is_some()
    }

    /// The parameters of `keyword`, if announced.
    #[must_use]
    pub fn params(&self, keyword: &str) -> Option<&[String]> {
        self.keywords.iter().find(|(k, _)| k.eq_ignore_ascii_case(keyword)).map(|(_, p)| p.as_slice())
    }

    /// 8BITMIME (RFC 6152).
    #[must_use]
    pub fn eight_bit_mime(&self) -> bool {
        self.has("8BITMIME")
    }

    /// SMTPUTF8 (RFC 6531).
    #[must_use]
    pub fn smtputf8(&self) -> bool {
        self.has("SMTPUTF8")
    }

    /// PIPELINING (RFC 2920).
    #[must_use]
    pub fn pipelining(&self) -> bool {
        self.has("PIPELINING")
    }

    /// CHUNKING: the BDAT command (RFC 3030).
    #[must_use]
    pub fn chunking(&self) -> bool {
        self.has("CHUNKING")
    }

    /// DSN: delivery status notification parameters on MAIL and RCPT (RFC 3461).
    #[must_use]
    pub fn dsn(&self) -> bool {
        self.has("DSN")
    }

    /// STARTTLS (RFC 3207).
    #[must_use]
    pub fn starttls(&self) -> bool {
        self.has("STARTTLS")
    }

    /// The SIZE limit in bytes (RFC 1870): `Some(0)` means announced without a limit.
    #[must_use]
    pub fn size(&self) -> Option<u64> {
        let params = self.params("SIZE")?;
        Some(params.first().and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// The SASL mechanisms offered by AUTH (RFC 4954), upper-case.
    #[must_use]
    pub fn auth_mechanisms(&self) -> Vec<String> {
        let mut mechanisms: Vec<String> = Vec::new();
        for (keyword, params) in &self.keywords {
            if keyword == "AUTH" {
                for m in params.iter().map(|p| p.to_ascii_uppercase()) {
                    if !mechanisms.contains(&m) {
                        mechanisms.push(m);
                    }
                }
            }
        }
        mechanisms
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::protocol::reply::parse_reply;

    fn caps(wire: &[u8]) -> Capabilities {
        Capabilities::from_ehlo(&parse_reply(wire).unwrap().unwrap().0)
    }

    #[test]
    fn reads_keywords_and_parameters() {
        let c = caps(
            b"250-mail.example Hello\r\n250-pipelining\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n\
250-AUTH PLAIN login\r\n250-AUTH=LOGIN CRAM-MD5\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n",
        );
        assert!(c.pipelining() && c.eight_bit_mime() && c.starttls() && c.smtputf8());
        assert_eq!(c.size(), Some(10_240_000));
        assert_eq!(c.auth_mechanisms(), ["PLAIN", "LOGIN", "CRAM-MD5"]);
        assert!(!c.has("CHUNKING"));
    }

    #[test]
    fn the_greeting_line_is_not_a_keyword() {
        let c = caps(b"250-8BITMIME is my name\r\n250 SIZE\r\n");
        assert!(!c.eight_bit_mime());
        assert_eq!(c.size(), Some(0));
        assert_eq!(caps(b"250 only.the.name\r\n"), Capabilities::default());
    }
}
