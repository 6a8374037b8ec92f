//! `SendMail::sendBatch()`: PHP values in, jobs to the client's batch threads, results back in
//! the input's keys. Every PHP call (progress callback, exception objects) happens here, on the
//! PHP thread.

use ext_php_rs::{
    boxed::ZBox,
    convert::{FromZval, IntoZval},
    exception::PhpResult,
    flags::DataType,
    types::ArrayKey,
    types::{ZendCallable, ZendClassObject, ZendHashTable, Zval},
};

use super::{
    exception::{exception_for, exception_object},
    message::Message,
    receipt::Receipt,
    send_mail::value_error,
};
use crate::{
    client::{
        batch::{self, Finished, Job, Outcome},
        Controls, Delivery, Error, Pace, Server,
    },
    message::{dkim::Signer, legacy::InputError},
};

/// The `$messages` argument: an array or a Traversable, declared `iterable`. Traversables are
/// turned into arrays with `iterator_to_array()` (ext-php-rs's own iterable conversion leaves
/// the engine's iterator unfreed).
pub struct Messages<'a>(&'a Zval);

impl<'a> FromZval<'a> for Messages<'a> {
    const TYPE: DataType = DataType::Iterable;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        (zval.is_array() || zval.is_object()).then_some(Messages(zval))
    }
}

impl Messages<'_> {
    /// Every (key, value) pair, in order.
    pub fn items(&self) -> PhpResult<Vec<(Zval, Zval)>> {
        let array_zval;
        let array = match self.0.array() {
            Some(array) => array,
            None => {
                let to_array = ZendCallable::try_from_name("iterator_to_array")
                    .map_err(|e| value_error(&format!("SendMail::sendBatch(): {e}")))?;
                let preserve_keys = true;
                array_zval = to_array
                    .try_call(vec![self.0, &preserve_keys])
                    .map_err(|e| value_error(&format!("SendMail::sendBatch(): Argument #1 ($messages): {e}")))?;
                array_zval
                    .array()
                    .ok_or_else(|| value_error("SendMail::sendBatch(): Argument #1 ($messages) must be iterable"))?
            }
        };
        let mut items = Vec::with_capacity(array.len());
        for (key, value) in array {
            let mut key_zval = Zval::new();
            match key {
                ArrayKey::Long(i) => key_zval.set_long(i),
                ArrayKey::String(s) => key_zval.set_string(&s, false)?,
                ArrayKey::Str(s) => key_zval.set_string(s, false)?,
                other => key_zval.set_string(&other.to_string(), false)?,
            }
            items.push((key_zval, value.shallow_clone()));
        }
        Ok(items)
    }
}

/// A key of the input, kept for the result.
enum Key {
    Index(i64),
    Name(String),
}

/// How a batch runs.
pub struct Batch<'a> {
    /// Parallel connections at most.
    pub connections: usize,
    /// `$progress($done, $total)`.
    pub progress: Option<&'a Zval>,
    /// Signs every message (DKIM).
    pub signer: Option<Signer>,
    /// Per-connection limit and rate limit.
    pub controls: Controls,
    /// The rate limit's slots, shared with the object's own sends.
    pub pace: Pace,
}

/// Converts the messages, runs the batch, and builds the result array. `log_in` gives the
/// servers as one connection logs in to them (a password closure runs there): it is called
/// here, once per connection, before any connection opens, as the batch threads must not call
/// PHP.
pub fn send_batch(
    servers: &[Server],
    messages: Vec<(Zval, Zval)>,
    batch: Batch<'_>,
    log_in: impl Fn(&[Server]) -> Result<Vec<Server>, Error>,
) -> PhpResult<ZBox<ZendHashTable>> {
    let Batch { connections, progress, signer, controls, pace } = batch;
    let total = messages.len();
    let mut keys = Vec::with_capacity(total);
    let mut jobs = Vec::with_capacity(total);
    let mut results: Vec<Option<Result<Outcome, Error>>> = Vec::with_capacity(total);
    let mut job_slots = Vec::new();
    for (key, mut value) in messages {
        keys.push(match key.long() {
            Some(i) => Key::Index(i),
            None => Key::Name(key.coerce_to_string().unwrap_or_default()),
        });
        match job_of(&mut value) {
            Ok(job) => {
                job_slots.push(results.len());
                jobs.push(job);
                results.push(None);
            }
            Err(error) => results.push(Some(Err(error))),
        }
    }
    let mut done = results.iter().filter(|r| r.is_some()).count();
    let callable = match progress.filter(|p| !p.is_null()) {
        Some(p) => Some(ZendCallable::new(p).map_err(|_| {
            value_error("SendMail::sendBatch(): Argument #3 ($progress) must be a valid callback or null")
        })?),
        None => None,
    };
    let report = |done: usize| -> PhpResult<()> {
        if let Some(callable) = &callable {
            let (done, total) = (i64::try_from(done).unwrap_or(i64::MAX), i64::try_from(total).unwrap_or(i64::MAX));
            callable
                .try_call(vec![&done, &total])
                .map_err(|e| value_error(&format!("SendMail::sendBatch(): progress callback: {e}")))?;
        }
        Ok(())
    };
    if done > 0 {
        report(done)?;
    }
    if !jobs.is_empty() {
        let logins = (0..batch::connection_count(jobs.len(), connections))
            .map(|_| log_in(servers))
            .collect::<Result<Vec<_>, Error>>()
            .map_err(|error| exception_for(&error))?;
        for Finished { index, result } in batch::run(logins, jobs, signer, controls, pace) {
            if let Some(slot) = job_slots.get(index).and_then(|&i| results.get_mut(i)) {
                *slot = Some(result);
            }
            done += 1;
            report(done)?;
        }
    }
    let mut table = ZendHashTable::new();
    for (key, result) in keys.into_iter().zip(results) {
        let value = match result {
            Some(Ok(outcome)) => receipt_zval(&outcome)?,
            Some(Err(error)) => exception_object(&error).unwrap_or_default(),
            None => exception_object(&Error::Refused {
                stage: crate::protocol::Stage::Connect,
                reason: "the batch ended before this message was sent".into(),
            })
            .unwrap_or_default(),
        };
        match key {
            Key::Index(i) => table.insert_at_index(i, value)?,
            Key::Name(name) => table.insert(name.as_str(), value)?,
        }
    }
    Ok(table)
}

/// A `SendMail\Message` or a legacy array `['to' => …, 'from' => …, 'subject' => …, 'message' => …]`.
fn job_of(value: &mut Zval) -> Result<Job, Error> {
    let invalid = |reason: String| Error::Input(InputError { argument: "messages", reason });
    if let Some(object) = value.object_mut() {
        let message = ZendClassObject::<Message>::from_zend_obj_mut(object)
            .ok_or_else(|| invalid("each message must be a SendMail\\Message or an array".into()))?;
        let stamp = message.stamp().clone();
        message.email().check_ready().map_err(|e| invalid(e.to_string()))?;
        return Ok(Job::Email(Box::new(message.email().clone()), stamp));
    }
    let array = value.array().ok_or_else(|| invalid("each message must be a SendMail\\Message or an array".into()))?;
    let field = |name: &str| -> Result<Vec<u8>, Error> {
        array
            .get(name)
            .and_then(|v| {
                v.zend_str().map(|s| s.as_bytes().to_vec()).or_else(|| v.coerce_to_string().map(String::into_bytes))
            })
            .ok_or_else(|| invalid(format!("a legacy message array needs '{name}'")))
    };
    let text = |name: &str| -> Result<String, Error> {
        String::from_utf8(field(name)?).map_err(|_| invalid(format!("'{name}' is not valid UTF-8")))
    };
    Ok(Job::Legacy {
        to: text("to")?,
        from: text("from")?,
        subject: field("subject").unwrap_or_default(),
        message: field("message")?,
    })
}

fn receipt_zval(outcome: &Outcome) -> PhpResult<Zval> {
    let receipt = match outcome {
        Outcome::Email(delivery) => Receipt::from(delivery),
        Outcome::Legacy(reply, recipients) => Receipt::from(&Delivery {
            reply: reply.clone(),
            accepted: recipients.clone(),
            rejected: Vec::new(),
            dsn: false,
        }),
    };
    Ok(receipt.into_zval(false)?)
}
