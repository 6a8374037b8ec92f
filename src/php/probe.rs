//! `SendMail::probe()`'s result as the PHP array of the API: `server`, `greeting`,
//! `capabilities`, `tls` (null or version, cipher, subject, issuer, names, not_after, resumed),
//! `auth` (null or mechanism, ok), `round_trips`, `time`.

use ext_php_rs::{boxed::ZBox, exception::PhpResult, types::ZendHashTable};

use crate::client::probe::Probe;

/// The probe as a PHP array.
pub fn to_array(probe: &Probe) -> PhpResult<ZBox<ZendHashTable>> {
    let mut out = ZendHashTable::new();
    out.insert("server", probe.server.as_str())?;
    out.insert("greeting", probe.greeting.as_str())?;
    let mut capabilities = ZendHashTable::new();
    for capability in &probe.capabilities {
        capabilities.push(capability.as_str())?;
    }
    out.insert("capabilities", capabilities)?;
    match &probe.tls {
        Some(tls) => {
            let mut t = ZendHashTable::new();
            t.insert("version", tls.version.as_str())?;
            t.insert("cipher", tls.cipher.as_str())?;
            let certificate = tls.certificate.as_ref();
            match certificate {
                Some(c) => {
                    t.insert("subject", c.subject.as_str())?;
                    t.insert("issuer", c.issuer.as_str())?;
                    let mut names = ZendHashTable::new();
                    for name in &c.names {
                        names.push(name.as_str())?;
                    }
                    t.insert("names", names)?;
                    t.insert("not_after", c.not_after.as_str())?;
                }
                None => {
                    t.insert("subject", ())?;
                    t.insert("issuer", ())?;
                    t.insert("names", ZendHashTable::new())?;
                    t.insert("not_after", ())?;
                }
            }
            t.insert("resumed", tls.resumed)?;
            out.insert("tls", t)?;
        }
        None => out.insert("tls", ())?,
    }
    match probe.auth {
        Some(mechanism) => {
            let mut a = ZendHashTable::new();
            a.insert("mechanism", mechanism)?;
            a.insert("ok", true)?;
            out.insert("auth", a)?;
        }
        None => out.insert("auth", ())?,
    }
    out.insert("round_trips", i64::from(probe.round_trips))?;
    out.insert("time", probe.time.as_secs_f64())?;
    Ok(out)
}
