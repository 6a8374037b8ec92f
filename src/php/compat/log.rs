//! `$log_file` of the `smtp` class: one line per step, `M d H:i:s user[pid]: step`, appended
//! only when the file already exists (the class never created it). The file is written by
//! PHP's own functions, so `open_basedir` and the script's time zone apply as they did.

use ext_php_rs::{
    types::{ZendCallable, ZendStr, Zval},
    zend::ExecutorGlobals,
};

use crate::{
    client::{Delivery, Error},
    message::legacy_smtp::SmtpMail,
    protocol::Stage,
};

/// `FILE_APPEND | LOCK_EX` of `file_put_contents()`.
const APPEND_LOCKED: i64 = 8 | 2;

/// The steps of one `sendmail()`, as the class logged them.
pub fn steps(relay: &str, port: i64, result: &Result<Delivery, Error>, mail: &SmtpMail<'_>) -> Vec<String> {
    let mut lines = vec![format!("Trying to {relay}:{port}")];
    match result {
        Err(error) if matches!(error.stage(), Stage::Input) => {
            lines.clear();
            lines.push(format!("Error: {error}"));
        }
        Err(error) if matches!(error.stage(), Stage::Connect | Stage::Tls | Stage::Greeting) => {
            lines.push(format!("Error: Cannot connect to relay host {relay}"));
            lines.push(format!("Error: {error}"));
        }
        Err(error) => {
            lines.push(format!("Connected to relay host {relay}"));
            lines.push(format!("Error: Cannot send email to {}", String::from_utf8_lossy(mail.to)));
            lines.push(format!("Error: {error}"));
            lines.push("Disconnected from remote host".into());
        }
        Ok(delivery) => {
            lines.push(format!("Connected to relay host {relay}"));
            lines.extend(delivery.accepted.iter().map(|address| format!("E-mail has been sent to <{address}>")));
            lines.extend(
                delivery
                    .rejected
                    .iter()
                    .map(|(address, reply)| format!("Error: Cannot send email to <{address}>: {reply}")),
            );
            lines.push("Disconnected from remote host".into());
        }
    }
    lines
}

/// Appends the lines to `path` when it exists, silently as `@` would; false when it does not
/// exist or cannot be written.
pub fn append(path: &[u8], lines: &[String]) -> bool {
    let mut globals = ExecutorGlobals::get_mut();
    let reporting = globals.error_reporting;
    globals.error_reporting = 0;
    drop(globals);
    let written = write(path, lines).unwrap_or(false);
    ExecutorGlobals::get_mut().error_reporting = reporting;
    written
}

fn write(path: &[u8], lines: &[String]) -> Option<bool> {
    let call = |name: &str, args: Vec<&dyn ext_php_rs::convert::IntoZvalDyn>| {
        ZendCallable::try_from_name(name).ok()?.try_call(args).ok()
    };
    let mut path_zval = Zval::new();
    path_zval.set_zend_string(ZendStr::new(path, false));
    let path = &path_zval;
    let exists = call("file_exists", vec![path])?.bool()?;
    if !exists {
        return Some(false);
    }
    let stamp = call("date", vec![&"M d H:i:s "])?.string()?;
    let user = call("get_current_user", vec![])?.string().unwrap_or_default();
    let pid = call("getmypid", vec![])?.long().unwrap_or_default();
    let text: String = lines.iter().map(|line| format!("{stamp}{user}[{pid}]: {line}\n")).collect();
    let written = call("file_put_contents", vec![path, &text, &APPEND_LOCKED])?;
    Some(written.long().is_some())
}
