//! `SendMail\Receipt`: what the server said about a sent message.

use ext_php_rs::{boxed::ZBox, prelude::*, types::ZendHashTable};

use super::startup::finish_startup;
use crate::client::Delivery;

/// The server's answer to one message: queue id, reply, accepted and refused recipients,
/// whether the DSN parameters went with it.
#[php_class]
#[php(name = "SendMail\\Receipt")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
// Registered last: its builder hook finishes the classes registered before it (startup.rs).
#[php(modifier = finish_startup)]
#[derive(Debug, Clone, Default)]
pub struct Receipt {
    queue_id: String,
    reply: String,
    accepted: Vec<String>,
    rejected: Vec<(String, String)>,
    dsn: bool,
}

impl From<&Delivery> for Receipt {
    fn from(delivery: &Delivery) -> Receipt {
        Receipt {
            queue_id: delivery.reply.queue_id().unwrap_or_default(),
            reply: delivery.reply.to_string(),
            accepted: delivery.accepted.clone(),
            rejected: delivery.rejected.iter().map(|(a, r)| (a.clone(), r.to_string())).collect(),
            dsn: delivery.dsn,
        }
    }
}

#[php_impl]
impl Receipt {
    /// The queue id from the end-of-data reply, "" when the server gives none.
    #[php(getter)]
    pub fn get_queue_id(&self) -> String {
        self.queue_id.clone()
    }

    /// The reply to the end of data.
    #[php(getter)]
    pub fn get_reply(&self) -> String {
        self.reply.clone()
    }

    /// The recipients the server accepted.
    #[php(getter)]
    pub fn get_accepted(&self) -> Vec<String> {
        self.accepted.clone()
    }

    /// The recipients the server refused: address => reply.
    #[php(getter)]
    pub fn get_rejected(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut table = ZendHashTable::new();
        for (address, reply) in &self.rejected {
            table.insert(address.as_str(), reply.as_str())?;
        }
        Ok(table)
    }

    /// The DSN parameters (RFC 3461) went with the message: `dsn()` was called on it and the
    /// server offers DSN.
    #[php(getter)]
    pub fn get_dsn(&self) -> bool {
        self.dsn
    }
}
