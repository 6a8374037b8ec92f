//! Sockets: TCP with a connect timeout and deadlines on every read and write (bound to a source
//! address when asked); TLS with rustls.

pub mod certificate;
pub mod hostname;
pub mod identity;
pub mod pin;
mod stream;
pub mod tls;

pub use identity::{ClientIdentity, IdentityError};
pub use pin::{PinError, PinnedKeys};
pub use stream::{connect, display_target, ConnectError, HandshakeError, Stream, TlsDetails};
pub use tls::{client_config, TlsError, TlsSettings};
