//! `SendMail\mail()`: PHP's `mail()` contract, sent through the php.ini server.

use ext_php_rs::{
    error::php_error,
    flags::ErrorType,
    types::{ArrayKey, Zval},
};

use super::{
    config,
    debug::Sink,
    loose::{LooseInt, LooseString},
    mailer::{Endpoint, Mailer},
    zapi,
};
use crate::{
    message::{header_block::HeaderBlock, mailbox::Mailbox, Shown},
    transport::hostname::hostname,
};

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
    let sender = envelope_sender(params, &String::from_utf8_lossy(&headers), ini.from.as_deref())?;
    // The headers go first, as a header block the legacy rule merges with To and Subject.
    let mut message = headers.clone();
    message.extend_from_slice(if headers.is_empty() { b"" } else { b"\r\n" });
    message.extend_from_slice(body);
    let mut smtp = LooseString::default();
    let mut port = LooseInt(i64::from(ini.port));
    let welcome = ini.helo.clone().or_else(hostname).unwrap_or_default();
    let mut mailer = Mailer::default();
    let ep = Endpoint { smtp: &mut smtp, port: &mut port, welcome: &welcome, output: Sink::Off };
    // The sender is the envelope sender, and the From header when the headers have none.
    let outcome = mailer.send(ep, to, sender.as_bytes(), subject, &message);
    if outcome.ok {
        Ok(())
    } else {
        Err(format!("could not send: {}", outcome.lastmessage))
    }
}

/// `$additional_headers` as CRLF-separated lines: a string as given, or an array of
/// `name => value` (a value may be a list of values for repeated headers). As with PHP's
/// `mail()`, names must be field names and values strings without line breaks; a string
/// block must not hold an empty line (which would end the headers early) or a NUL.
fn header_block(headers: Option<&Zval>) -> Result<Vec<u8>, String> {
    const ARG: &str = "Argument #4 ($additional_headers)";
    let Some(headers) = headers.filter(|h| !h.is_null()) else {
        return Ok(Vec::new());
    };
    if let Some(text) = headers.zend_str() {
        let mut text = text.as_bytes();
        while let Some(rest) = text.strip_suffix(b"\n").or_else(|| text.strip_suffix(b"\r")) {
            text = rest;
        }
        if text.contains(&0) {
            return Err(format!("{ARG} must not contain NUL bytes"));
        }
        let normalised = String::from_utf8_lossy(text).replace("\r\n", "\n").replace('\r', "\n");
        if normalised.starts_with('\n') || normalised.contains("\n\n") {
            return Err(format!("{ARG} has an empty line, which would end the headers early"));
        }
        if let Err(line) = HeaderBlock::fields(text) {
            let line = String::from_utf8_lossy(&line);
            return Err(format!("{ARG}: {} is not a header line (Name: value)", Shown(&line)));
        }
        let mut out = text.to_vec();
        if !out.is_empty() {
            out.extend_from_slice(b"\r\n");
        }
        return Ok(out);
    }
    let Some(array) = headers.array() else {
        return Err(format!("{ARG} must be of type array|string, {} given", zapi::type_name(headers)));
    };
    let mut out = Vec::new();
    for (key, value) in array {
        let ArrayKey::String(name) = key else {
            return Err(format!("{ARG}: header names must be strings, {key} given"));
        };
        let name = name.to_string();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            return Err(format!("{ARG}: {} is not a valid header name", Shown(&name)));
        }
        let values: Vec<&Zval> = match value.array() {
            Some(list) => list.values().collect(),
            None => vec![value],
        };
        for value in values {
            let Some(text) = value.zend_str() else {
                return Err(format!(
                    "{ARG}: header {name} must be of type array|string, {} given",
                    zapi::type_name(value)
                ));
            };
            let text = text.as_bytes();
            if text.iter().any(|&b| matches!(b, b'\r' | b'\n' | 0)) {
                return Err(format!("{ARG}: header {name} has a line break or a NUL in its value"));
            }
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(text);
            out.extend_from_slice(b"\r\n");
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
