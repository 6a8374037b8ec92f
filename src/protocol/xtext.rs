//! The encodings of DSN parameter values: xtext (RFC 3461 §4) for ENVID and ORCPT, and the
//! ASCII form of an internationalized ORCPT address (RFC 6533 §3).

use std::fmt::Write as _;

/// xtext (RFC 3461 §4): `!` to `~` as they are, except `+` and `=`; every other byte (space,
/// controls, 8-bit) as `+XX` in upper-case hex.
#[must_use]
pub fn xtext(value: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value {
        if (b'!'..=b'~').contains(&b) && b != b'+' && b != b'=' {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "+{b:02X}");
        }
    }
    out
}

/// `utf-8-addr-xtext` (RFC 6533 §3): ASCII only; printable ASCII as it is except `+`, `=` and
/// `\`, every other character as `\x{HEX}` of its code point (at least two upper-case digits).
#[must_use]
pub fn utf8_addr_xtext(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if ('!'..='~').contains(&c) && !matches!(c, '+' | '=' | '\\') {
            out.push(c);
        } else {
            let _ = write!(out, "\\x{{{:02X}}}", u32::from(c));
        }
    }
    out
}

/// The `ORCPT` value for a recipient (RFC 3461 §4.2): `rfc822;` and the xtext of an ASCII
/// address, `utf-8;` and the `utf-8-addr-xtext` of one with non-ASCII characters (RFC 6533).
#[must_use]
pub fn original_recipient(address: &str) -> String {
    if address.is_ascii() {
        format!("rfc822;{}", xtext(address.as_bytes()))
    } else {
        format!("utf-8;{}", utf8_addr_xtext(address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xtext_as_rfc_3461_says() {
        let cases: [(&[u8], &str); 9] = [
            (b"+", "+2B"),
            (b"=", "+3D"),
            (b" ", "+20"),
            (b"user+tag@example.com", "user+2Btag@example.com"),
            (b"a=b", "a+3Db"),
            (b"QQ314159", "QQ314159"),
            (b"!~\"<>()", "!~\"<>()"),
            (b"\r\n\t\x7f", "+0D+0A+09+7F"),
            ("é".as_bytes(), "+C3+A9"),
        ];
        for (input, expected) in cases {
            assert_eq!(xtext(input), expected, "{input:?}");
        }
    }

    #[test]
    fn utf8_addresses_in_ascii() {
        assert_eq!(utf8_addr_xtext("jörg@example.test"), "j\\x{F6}rg@example.test");
        assert_eq!(utf8_addr_xtext("a+b=c\\d e"), "a\\x{2B}b\\x{3D}c\\x{5C}d\\x{20}e");
        assert_eq!(utf8_addr_xtext("😀@例え.jp"), "\\x{1F600}@\\x{4F8B}\\x{3048}.jp");
    }

    #[test]
    fn orcpt_values() {
        assert_eq!(original_recipient("a+b=c@example.com"), "rfc822;a+2Bb+3Dc@example.com");
        assert_eq!(original_recipient("\"a b\"@example.com"), "rfc822;\"a+20b\"@example.com");
        assert_eq!(original_recipient("jörg@example.test"), "utf-8;j\\x{F6}rg@example.test");
    }
}
