//! `SendMail\mail()`: PHP's `mail()` contract, sent through the php.ini server.

use ext_php_rs::{error::php_error, flags::ErrorType, types::Zval};

use super::{
    config,
    loose::{LooseInt, LooseString},
    mailer::{Endpoint, Mailer},
};
use crate::{message::mailbox::Mailbox, transport::hostname::hostname};

/// `SendMail\mail()` once its arguments are converted: false with an E_WARNING that says why.
pub fn run(
    to: &[u8],
    subject: &[u8],
    message: &[u8],
    additional_headers: Option<&Zval>,
    additional_params: &str,
) -> bool {
    match send(to, subject, message, additional_headers, additional_params) {
        Ok(()) => true,
        Err(reason) => {
            php_error(&ErrorType::Warning, &reason);
            false
        }
    }
}

fn send(to: &[u8], subject: &[u8], body: &[u8], headers: Option<&Zval>, params: &str) -> Result<(), String> {
    let headers = header_block(headers)?;
    let ini = config::read();
    let sender = envelope_sender(params, &headers, ini.from.as_deref())?;
    // The headers go first, as a header block the legacy rule merges with To and Subject.
    let mut message = headers.clone().into_bytes();
    message.extend_from_slice(if headers.is_empty() { b"" } else { b"\r\n" });
    message.extend_from_slice(body);
    let mut smtp = LooseString::default();
    let mut port = LooseInt(i64::from(ini.port));
    let welcome = ini.helo.clone().or_else(hostname).unwrap_or_default();
    let mut mailer = Mailer::default();
    let ep = Endpoint { smtp: &mut smtp, port: &mut port, welcome: &welcome, debug: false };
    // The sender is the envelope sender, and the From header when the headers have none.
    let outcome = mailer.send(ep, to, sender.as_bytes(), subject, &message);
    if outcome.ok {
        Ok(())
    } else {
        Err(format!("could not send: {}", outcome.lastmessage))
    }
}

/// `$additional_headers` as CRLF-separated lines: a string as given, or an array of
/// `name => value` (a value may be a list of values for repeated headers).
fn header_block(headers: Option<&Zval>) -> Result<String, String> {
    let Some(headers) = headers.filter(|h| !h.is_null()) else {
        return Ok(String::new());
    };
    if let Some(text) = headers.str() {
        let text = text.trim_end_matches(['\r', '\n']);
        return Ok(if text.is_empty() { String::new() } else { format!("{text}\r\n") });
    }
    let Some(array) = headers.array() else {
        return Err("Argument #4 ($additional_headers) must be of type array|string".into());
    };
    let mut out = String::new();
    for (key, value) in array {
        let name = key.to_string();
        let values: Vec<String> = match value.array() {
            Some(list) => list.values().map(|v| v.coerce_to_string().unwrap_or_default()).collect(),
            None => vec![value.coerce_to_string().unwrap_or_default()],
        };
        for value in values {
            if name.contains([':', '\r', '\n', ' ']) || value.contains(['\r', '\n', '\0']) {
                return Err(format!("header {name:?} has an invalid name or a line break in its value"));
            }
            out.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    Ok(out)
}

/// The envelope sender: `-f address` (or `-faddress`), else `sendmail.from`, else the From header.
fn envelope_sender(params: &str, headers: &str, ini_from: Option<&str>) -> Result<String, String> {
    let mut words = params.split_whitespace();
    while let Some(word) = words.next() {
        if let Some(rest) = word.strip_prefix("-f") {
            let address = if rest.is_empty() { words.next().unwrap_or_default() } else { rest };
            return Ok(address.trim_matches(['<', '>', '\'', '"']).to_owned());
        }
    }
    if let Some(from) = ini_from {
        return Ok(from.to_owned());
    }
    let header_from = headers.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("from").then(|| value.trim().to_owned())
    });
    match header_from.and_then(|v| Mailbox::parse(&v).ok()) {
        Some(mailbox) => Ok(mailbox.address.to_string()),
        None => Err("no sender: set sendmail.from in php.ini, add a From header, or pass -f sender".into()),
    }
}
