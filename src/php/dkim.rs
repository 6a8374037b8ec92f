//! `SendMail::setDkim()`'s arguments: the options array read into the signer's options, and the
//! errors PHP callers expect (`ValueError` for a bad value, `TypeError` for a wrong type).

use ext_php_rs::{exception::PhpException, types::Zval, zend::ce};

use super::zapi;
use crate::{
    client::signing::{self, SignerError},
    message::dkim::{Algorithm, Signer, SignerOptions},
};

const FUNCTION: &str = "SendMail::setDkim()";
const OPTIONS: &str = "Argument #4 ($options)";

fn value_error(text: String) -> PhpException {
    PhpException::new(text, 0, ce::value_error())
}

fn type_error(option: &str, expected: &str, given: &Zval) -> PhpException {
    PhpException::new(
        format!("{FUNCTION}: {OPTIONS} \"{option}\" must be of type {expected}, {} given", zapi::type_name(given)),
        0,
        ce::type_error(),
    )
}

/// The signer for `setDkim($domain, $selector, $privateKey, $options)`.
///
/// # Errors
/// `ValueError`: a key that cannot sign (never quoted), a bad domain, selector or option value,
/// an unknown option; `TypeError`: an option of the wrong type.
pub fn signer(domain: &[u8], selector: &[u8], key: &[u8], options: Option<&Zval>) -> Result<Signer, PhpException> {
    let options = read_options(options)?;
    let domain = utf8(domain, "Argument #1 ($domain)")?;
    let selector = utf8(selector, "Argument #2 ($selector)")?;
    signing::signer(domain, selector, key, &options, zapi::open_basedir_allows).map_err(|e| match e {
        SignerError::Key(text) => value_error(format!("{FUNCTION}: Argument #3 ($privateKey) {text}")),
        SignerError::Setting(text) => value_error(format!("{FUNCTION}: {text}")),
    })
}

fn utf8<'b>(bytes: &'b [u8], argument: &str) -> Result<&'b str, PhpException> {
    std::str::from_utf8(bytes).map_err(|_| value_error(format!("{FUNCTION}: {argument} must be valid UTF-8")))
}

fn read_options(options: Option<&Zval>) -> Result<SignerOptions, PhpException> {
    let mut read = SignerOptions::default();
    let Some(table) = options.and_then(Zval::array) else { return Ok(read) };
    for (key, value) in table {
        let name = key.to_string();
        match name.as_str() {
            "algorithm" => {
                let text = value.zend_str().ok_or_else(|| type_error("algorithm", "string", value))?;
                let algorithm = Algorithm::parse(&String::from_utf8_lossy(text.as_bytes()))
                    .map_err(|e| value_error(format!("{FUNCTION}: {OPTIONS} {e}")))?;
                read.algorithm = Some(algorithm);
            }
            "headers" => {
                let list = value.array().ok_or_else(|| type_error("headers", "array", value))?;
                let mut headers = Vec::with_capacity(list.len());
                for (_, item) in list {
                    let text = item.zend_str().ok_or_else(|| type_error("headers", "array of strings", item))?;
                    headers.push(String::from_utf8_lossy(text.as_bytes()).into_owned());
                }
                read.headers = Some(headers);
            }
            "identity" => {
                let text = value.zend_str().ok_or_else(|| type_error("identity", "string", value))?;
                read.identity = Some(String::from_utf8_lossy(text.as_bytes()).into_owned());
            }
            "expire" => {
                let seconds = value.long().ok_or_else(|| type_error("expire", "int", value))?;
                let seconds = u64::try_from(seconds).ok().filter(|&s| s > 0).ok_or_else(|| {
                    value_error(format!("{FUNCTION}: {OPTIONS} \"expire\" must be a number of seconds greater than 0"))
                })?;
                read.expire = Some(seconds);
            }
            _ => {
                return Err(value_error(format!(
                    "{FUNCTION}: {OPTIONS} has an unknown option {}: use \"algorithm\", \"headers\", \"identity\" or \"expire\"",
                    crate::message::Shown(&name)
                )))
            }
        }
    }
    Ok(read)
}
