//! `serialize()` / `unserialize()` of a `SendMail\Message`, so queues (Symfony Messenger,
//! Laravel queues, a job table) can carry it: an array of plain values, versioned. Every part
//! is checked again when it comes back, with the same rules as the builder methods, so data
//! altered in the queue cannot make a message the builder would refuse. File attachments
//! travel as paths: the file is read when the message is sent, by the process that sends it.

use std::{os::unix::ffi::OsStrExt, sync::Arc};

use ext_php_rs::{
    boxed::ZBox,
    exception::PhpResult,
    types::{ZendHashTable, ZendStr, Zval},
};

use super::{dsn_options, file_attachment, invalid, Message};
use crate::message::{
    dsn::Dsn,
    email::{Attachment, Email, Source},
    mailbox::Mailbox,
    mime::Stamp,
};

/// The format version; `unserialize()` refuses others.
const VERSION: i64 = 1;

/// The message as an array of plain values.
pub fn to_array(message: &Message) -> PhpResult<ZBox<ZendHashTable>> {
    let email = &message.email;
    let mut out = ZendHashTable::new();
    out.insert("version", VERSION)?;
    match &email.from {
        Some(from) => out.insert("from", mailbox(from)?)?,
        None => out.insert("from", ())?,
    }
    match &email.sender {
        Some(sender) => out.insert("sender", mailbox(sender)?)?,
        None => out.insert("sender", ())?,
    }
    match &email.return_path {
        Some(address) => out.insert("returnPath", address.to_string())?,
        None => out.insert("returnPath", ())?,
    }
    for (key, list) in [("to", &email.to), ("cc", &email.cc), ("bcc", &email.bcc), ("replyTo", &email.reply_to)] {
        let mut items = ZendHashTable::new();
        for m in list {
            items.push(mailbox(m)?)?;
        }
        out.insert(key, items)?;
    }
    for (key, value) in [("subject", &email.subject), ("text", &email.text), ("html", &email.html)] {
        match value {
            Some(text) => out.insert(key, text.as_str())?,
            None => out.insert(key, ())?,
        }
    }
    let mut headers = ZendHashTable::new();
    for (name, value) in &email.headers {
        let mut pair = ZendHashTable::new();
        pair.push(name.as_str())?;
        pair.push(value.as_str())?;
        headers.push(pair)?;
    }
    out.insert("headers", headers)?;
    let mut attachments = ZendHashTable::new();
    for attachment in &email.attachments {
        attachments.push(attachment_array(attachment)?)?;
    }
    out.insert("attachments", attachments)?;
    match &email.dsn {
        Some(dsn) => out.insert("dsn", dsn_array(dsn)?)?,
        None => out.insert("dsn", ())?,
    }
    match &message.stamp {
        Some(stamp) => {
            out.insert("date", stamp.date.as_str())?;
            out.insert("messageId", stamp.message_id.as_str())?;
        }
        None => {
            out.insert("date", ())?;
            out.insert("messageId", ())?;
        }
    }
    Ok(out)
}

fn mailbox(m: &Mailbox) -> PhpResult<ZBox<ZendHashTable>> {
    let mut item = ZendHashTable::new();
    item.insert("address", m.address.to_string())?;
    match &m.name {
        Some(name) => item.insert("name", name.as_str())?,
        None => item.insert("name", ())?,
    }
    Ok(item)
}

/// The options as `dsn()` takes them, only those that were set.
fn dsn_array(dsn: &Dsn) -> PhpResult<ZBox<ZendHashTable>> {
    let mut item = ZendHashTable::new();
    if let Some(notify) = dsn.notify {
        let mut words = ZendHashTable::new();
        for word in notify.words() {
            words.push(word)?;
        }
        item.insert("notify", words)?;
    }
    if let Some(ret) = dsn.ret {
        item.insert("ret", ret.as_str())?;
    }
    if let Some(envid) = &dsn.envid {
        item.insert("envid", envid.as_str())?;
    }
    Ok(item)
}

fn attachment_array(attachment: &Attachment) -> PhpResult<ZBox<ZendHashTable>> {
    let mut item = ZendHashTable::new();
    item.insert("name", attachment.name.as_str())?;
    item.insert("contentType", attachment.content_type.as_str())?;
    match &attachment.content_id {
        Some(cid) => item.insert("contentId", cid.as_str())?,
        None => item.insert("contentId", ())?,
    }
    match &attachment.source {
        Source::Data(bytes) => {
            let mut data = Zval::new();
            data.set_zend_string(ZendStr::new(bytes, false));
            item.insert("data", data)?;
        }
        Source::File { path, .. } => {
            let mut file = Zval::new();
            file.set_zend_string(ZendStr::new(path.as_os_str().as_bytes(), false));
            item.insert("path", file)?;
        }
    }
    Ok(item)
}

/// A message from such an array, every part checked again.
pub fn from_array(data: &ZendHashTable) -> PhpResult<Message> {
    let bad = |what: &str| invalid("__unserialize", &format!("the serialized message is damaged ({what})"));
    if data.get("version").and_then(Zval::long) != Some(VERSION) {
        return Err(bad("unknown version"));
    }
    let text = |key: &str| -> PhpResult<Option<String>> {
        match data.get(key) {
            None => Err(bad(key)),
            Some(v) if v.is_null() => Ok(None),
            Some(v) => v.str().map(|s| Some(s.to_owned())).ok_or_else(|| bad(key)),
        }
    };
    let from = match data.get("from") {
        Some(v) if v.is_null() => None,
        Some(v) => Some(mailbox_from(v, "from").map_err(|_| bad("from"))??),
        None => return Err(bad("from")),
    };
    // Absent in a payload of an older version of the extension: none.
    let sender = match data.get("sender") {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) => Some(mailbox_from(v, "sender").map_err(|_| bad("sender"))??),
    };
    let return_path = match data.get("returnPath") {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) => {
            let address = v.str().ok_or_else(|| bad("returnPath"))?;
            Some(Email::mailbox("returnPath", address, None).map_err(|e| invalid("__unserialize", &e))?.address)
        }
    };
    let mut email = Email { from, sender, return_path, ..Email::default() };
    for (key, field) in [("to", "to"), ("cc", "cc"), ("bcc", "bcc"), ("replyTo", "replyTo")] {
        let list = data.get(key).and_then(Zval::array).ok_or_else(|| bad(key))?;
        let mut out = Vec::with_capacity(list.len());
        for item in list.values() {
            out.push(mailbox_from(item, field).map_err(|_| bad(key))??);
        }
        match key {
            "to" => email.to = out,
            "cc" => email.cc = out,
            "bcc" => email.bcc = out,
            _ => email.reply_to = out,
        }
    }
    email.subject = text("subject")?;
    if let Some(subject) = &email.subject {
        Email::text_value("subject", subject).map_err(|e| invalid("__unserialize", &e))?;
    }
    email.text = text("text")?;
    email.html = text("html")?;
    let headers = data.get("headers").and_then(Zval::array).ok_or_else(|| bad("headers"))?;
    for pair in headers.values() {
        let pair = pair.array().ok_or_else(|| bad("headers"))?;
        let (Some(name), Some(value)) = (pair.get_index(0).and_then(Zval::str), pair.get_index(1).and_then(Zval::str))
        else {
            return Err(bad("headers"));
        };
        Email::check_header(name, value).map_err(|e| invalid("__unserialize", &e))?;
        email.headers.push((name.to_owned(), value.to_owned()));
    }
    let attachments = data.get("attachments").and_then(Zval::array).ok_or_else(|| bad("attachments"))?;
    for item in attachments.values() {
        let item = item.array().ok_or_else(|| bad("attachments"))?;
        let field = |key: &str| item.get(key).and_then(Zval::str).map(str::to_owned);
        let (Some(name), Some(content_type)) = (field("name"), field("contentType")) else {
            return Err(bad("attachments"));
        };
        let content_id = field("contentId");
        let attachment = if let Some(path) = item.get("path").and_then(Zval::zend_str) {
            file_attachment("__unserialize", path.as_bytes(), Some(name), Some(content_type), content_id)?
        } else {
            let data = item.get("data").and_then(Zval::zend_str).ok_or_else(|| bad("attachments"))?;
            Email::check_attachment(&name, &content_type, content_id.as_deref())
                .map_err(|e| invalid("__unserialize", &e))?;
            Attachment { name, content_type, source: Source::Data(Arc::from(data.as_bytes())), content_id }
        };
        email.attachments.push(attachment);
    }
    // Absent in a payload of an older version of the extension: none.
    email.dsn = match data.get("dsn") {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) => {
            let options = v.array().ok_or_else(|| bad("dsn"))?;
            Some(dsn_options(options).map_err(|e| invalid("__unserialize", &format!("dsn(): {e}")))?)
        }
    };
    let stamp = match (text("date")?, text("messageId")?) {
        (Some(date), Some(message_id)) => {
            Email::check_header("Date", &date).map_err(|e| invalid("__unserialize", &e))?;
            Email::check_header("Message-ID", &message_id).map_err(|e| invalid("__unserialize", &e))?;
            Some(Stamp { date, message_id })
        }
        _ => None,
    };
    Ok(Message { email, stamp })
}

/// `['address' => …, 'name' => …|null]`, checked as the address methods check it; the outer
/// error says the shape is wrong, the inner one what the builder refuses.
fn mailbox_from(value: &Zval, field: &'static str) -> Result<PhpResult<Mailbox>, ()> {
    let item = value.array().ok_or(())?;
    let address = item.get("address").and_then(Zval::str).ok_or(())?;
    let name = match item.get("name") {
        Some(v) if v.is_null() => None,
        Some(v) => Some(v.str().ok_or(())?),
        None => return Err(()),
    };
    Ok(Email::mailbox(field, address, name).map_err(|e| invalid("__unserialize", &e)))
}
