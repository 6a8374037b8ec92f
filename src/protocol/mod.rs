//! SMTP without I/O: replies, commands, EHLO capabilities and the DATA encoder (RFC 5321).
#![forbid(unsafe_code)]

pub mod auth;
pub mod capabilities;
pub mod command;
pub mod data;
pub mod reply;
pub mod stage;
pub mod xtext;

pub use crate::message::address::{AddressError, EnvelopeAddress};
pub use auth::{AuthError, Credentials, Exchange, Mechanism, Peer};
pub use capabilities::Capabilities;
pub use command::{ClientId, Command, CommandError, MailParams, RcptParams};
pub use data::DataEncoder;
pub use reply::{parse_reply, EnhancedCode, Reply, ReplyCode, ReplyError};
pub use stage::Stage;
