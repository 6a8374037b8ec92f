//! What `probe()` shows of the server's certificate: subject, issuer, names and expiry, read
//! from its DER (RFC 5280 §4.1). Only reading for display: the certificate was verified by
//! rustls during the handshake. Anything unexpected gives `None`, never a panic.

/// The parts of an X.509 certificate a person checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The subject, `C=DE, O=Example, CN=mail.example.com` (in certificate order).
    pub subject: String,
    /// The issuer, the same way.
    pub issuer: String,
    /// The subject alternative names: DNS names, then IP addresses, as they appear.
    pub names: Vec<String>,
    /// The end of validity, `2036-11-30T12:44:01Z`.
    pub not_after: String,
}

/// One DER element: its tag and contents.
#[derive(Debug, Clone, Copy)]
struct Element<'a> {
    tag: u8,
    body: &'a [u8],
}

/// Reads DER elements one after another.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn next(&mut self) -> Option<Element<'a>> {
        let (&tag, rest) = self.0.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return None;
            }
            let (bytes, rest) = rest.split_at_checked(count)?;
            (bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b)), rest)
        };
        let (body, rest) = rest.split_at_checked(len)?;
        self.0 = rest;
        Some(Element { tag, body })
    }

    fn expect(&mut self, tag: u8) -> Option<Element<'a>> {
        self.next().filter(|e| e.tag == tag)
    }
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const OCTET_STRING: u8 = 0x04;
const BOOLEAN: u8 = 0x01;

/// Reads the certificate's subject, issuer, alternative names and expiry.
#[must_use]
pub fn read(der: &[u8]) -> Option<CertificateInfo> {
    let certificate = Reader(der).expect(SEQUENCE)?;
    let tbs = Reader(certificate.body).expect(SEQUENCE)?;
    let mut fields = Reader(tbs.body);
    let mut field = fields.next()?;
    if field.tag == 0xa0 {
        field = fields.next()?; // the version, [0] EXPLICIT: then the serial number
    }
    let _serial = field;
    fields.expect(SEQUENCE)?; // signature algorithm
    let issuer = name(fields.expect(SEQUENCE)?.body)?;
    let validity = fields.expect(SEQUENCE)?;
    let mut times = Reader(validity.body);
    times.next()?; // notBefore
    let not_after = time(times.next()?)?;
    let subject = name(fields.expect(SEQUENCE)?.body)?;
    fields.expect(SEQUENCE)?; // subjectPublicKeyInfo
    let mut names = Vec::new();
    while let Some(element) = fields.next() {
        if element.tag == 0xa3 {
            names = alternative_names(Reader(element.body).expect(SEQUENCE)?.body)?;
        }
    }
    Some(CertificateInfo { subject, issuer, names, not_after })
}

/// A Name: its attributes in order, `KEY=value` joined by `, `.
fn name(body: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    let mut rdns = Reader(body);
    while let Some(rdn) = rdns.next() {
        if rdn.tag != SET {
            return None;
        }
        let mut attributes = Reader(rdn.body);
        while let Some(attribute) = attributes.next() {
            let mut pair = Reader(attribute.body);
            let oid = pair.expect(OID)?;
            let value = pair.next()?;
            parts.push(format!("{}={}", attribute_name(oid.body), string(value)));
        }
    }
    Some(parts.join(", "))
}

/// The short name of a naming attribute (RFC 4514 §3), or its dotted OID.
fn attribute_name(oid: &[u8]) -> String {
    match oid {
        [0x55, 0x04, 0x03] => "CN".into(),
        [0x55, 0x04, 0x06] => "C".into(),
        [0x55, 0x04, 0x07] => "L".into(),
        [0x55, 0x04, 0x08] => "ST".into(),
        [0x55, 0x04, 0x09] => "STREET".into(),
        [0x55, 0x04, 0x0a] => "O".into(),
        [0x55, 0x04, 0x0b] => "OU".into(),
        [0x55, 0x04, 0x05] => "serialNumber".into(),
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC".into(),
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress".into(),
        other => dotted(other),
    }
}

/// An OID in dotted form (X.690 §8.19).
fn dotted(oid: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for &b in oid {
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = value.min(80) / 40;
                arcs.extend([first, value - first * 40]);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// A directory string as text: UTF-8, printable, IA5, Latin-1 (teletex), UCS-2 (BMP); other
/// encodings as `#` and hex (RFC 4514 §2.4).
fn string(value: Element<'_>) -> String {
    match value.tag {
        0x0c | 0x13 | 0x16 | 0x12 | 0x1a => String::from_utf8_lossy(value.body).into_owned(),
        0x14 => value.body.iter().map(|&b| char::from(b)).collect(),
        0x1e => {
            let units: Vec<u16> = value
                .body
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p.first().copied().unwrap_or(0), p.get(1).copied().unwrap_or(0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => format!("#{}", value.body.iter().map(|b| format!("{b:02x}")).collect::<String>()),
    }
}

/// UTCTime or GeneralizedTime as `YYYY-MM-DDTHH:MM:SSZ`.
fn time(value: Element<'_>) -> Option<String> {
    let text = std::str::from_utf8(value.body).ok()?;
    let digits = text.strip_suffix('Z')?;
    let full = match (value.tag, digits.len()) {
        (0x17, 12) => {
            let year: u32 = digits.get(..2)?.parse().ok()?;
            format!("{}{digits}", if year < 50 { "20" } else { "19" })
        }
        (0x18, 14) => digits.to_owned(),
        _ => return None,
    };
    if !full.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let part = |range: std::ops::Range<usize>| full.get(range);
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        part(0..4)?,
        part(4..6)?,
        part(6..8)?,
        part(8..10)?,
        part(10..12)?,
        part(12..14)?
    ))
}

/// The DNS names and IP addresses of the subjectAltName extension (RFC 5280 §4.2.1.6).
fn alternative_names(extensions: &[u8]) -> Option<Vec<String>> {
    let mut list = Reader(extensions);
    while let Some(extension) = list.next() {
        let mut parts = Reader(extension.body);
        let oid = parts.expect(OID)?;
        if oid.body != [0x55, 0x1d, 0x11] {
            continue;
        }
        let mut value = parts.next()?;
        if value.tag == BOOLEAN {
            value = parts.next()?;
        }
        if value.tag != OCTET_STRING {
            return None;
        }
        let names = Reader(value.body).expect(SEQUENCE)?;
        let mut out = Vec::new();
        let mut general = Reader(names.body);
        while let Some(name) = general.next() {
            match name.tag {
                0x82 => out.push(String::from_utf8_lossy(name.body).into_owned()),
                0x87 => match name.body.len() {
                    4 => out.push(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(name.body).ok()?).to_string()),
                    16 => out.push(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(name.body).ok()?).to_string()),
                    _ => {}
                },
                _ => {}
            }
        }
        return Some(out);
    }
    Some(Vec::new())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use base64::{engine::general_purpose::STANDARD, Engine};

    use super::*;

    /// A self-signed test certificate (no key kept): `openssl req -utf8 -x509 -subj
    /// "/C=DE/O=Zoë Test/CN=mail.example.test"` with DNS and IP alternative names.
    const CERT: &str = concat!(
        "MIICBDCCAaugAwIBAgICEjQwCgYIKoZIzj0EAwIwPTELMAkGA1UEBhMCREUxEjAQBgNVBAoMCVpvw6sgVGVzdDEaMBgGA1UEAwwR",
        "bWFpbC5leGFtcGxlLnRlc3QwHhcNMjYxMjAzMTI0NDAxWhcNMzYxMTMwMTI0NDAxWjA9MQswCQYDVQQGEwJERTESMBAGA1UECgwJ",
        "Wm/DqyBUZXN0MRowGAYDVQQDDBFtYWlsLmV4YW1wbGUudGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABHDSV6ot3RvehYb0",
        "9rQ+UQR6AJVj56BiGcAE8RX8pOm0fYAOIgrEAwgkrh+s94bi3bKWfcbTocbzSMvJMypg1bajgZowgZcwHQYDVR0OBBYEFI5q0ZLC",
        "svzmVa7D8Khvo+td2QmqMB8GA1UdIwQYMBaAFI5q0ZLCsvzmVa7D8Khvo+td2QmqMA8GA1UdEwEB/wQFMAMBAf8wRAYDVR0RBD0w",
        "O4IRbWFpbC5leGFtcGxlLnRlc3SCDiouZXhhbXBsZS50ZXN0hwR/AAABhxAAAAAAAAAAAAAAAAAAAAABMAoGCCqGSM49BAMCA0cA",
        "MEQCIFXMPc0MGgtkk/RFZaudlAM8lhhVoLya4XhRv5U0f78XAiAzt+reGaMDYkzQGTEE332v0JylJdHvREtHaYIvoqRtaA==",
    );

    #[test]
    fn reads_what_openssl_shows() {
        let der = STANDARD.decode(CERT).unwrap();
        let info = read(&der).unwrap();
        assert_eq!(info.subject, "C=DE, O=Zoë Test, CN=mail.example.test");
        assert_eq!(info.issuer, info.subject);
        assert_eq!(info.names, ["mail.example.test", "*.example.test", "127.0.0.1", "::1"]);
        assert_eq!(info.not_after, "2036-11-30T12:44:01Z");
    }

    #[test]
    fn anything_broken_is_none_not_a_panic() {
        let der = STANDARD.decode(CERT).unwrap();
        for cut in 0..der.len() {
            let _ = read(der.get(..cut).unwrap());
        }
        for i in 0..der.len() {
            let mut flipped = der.clone();
            if let Some(byte) = flipped.get_mut(i) {
                *byte ^= 0xff;
            }
            let _ = read(&flipped);
        }
        assert!(read(b"").is_none() && read(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert_eq!(dotted(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]), "1.2.840.113549");
    }
}
