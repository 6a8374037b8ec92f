//! What `setAuth()` keeps: a fixed password, or a `Closure` that gives the password or OAuth2
//! token for each new login. The closure runs here, on the PHP thread, before the connection
//! that needs it is opened (so no socket waits on PHP code, and none is left open when it
//! throws); the client only ever sees the resolved secret, one per connection.

use std::fmt;

use ext_php_rs::{
    exception::PhpException,
    types::{ZendCallable, Zval},
    zend::{ce, ExecutorGlobals},
};

use super::zapi;
use crate::{
    client::{Error, Server},
    protocol::{Credentials, Stage},
};

/// The user and where the password comes from.
#[derive(Clone)]
pub enum Login {
    /// A password (or token) given once.
    Fixed(Credentials),
    /// A user name, and a closure asked for the password or token at each new connection.
    Provider {
        /// The user name.
        user: Vec<u8>,
        /// The closure.
        provider: TokenProvider,
    },
}

impl fmt::Debug for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Login::Fixed(credentials) => credentials.fmt(f),
            Login::Provider { user, .. } => f
                .debug_struct("Credentials")
                .field("user", &String::from_utf8_lossy(user))
                .field("secret", &"<closure>")
                .finish(),
        }
    }
}

impl Login {
    /// The credentials as they stand without asking the closure: a provider's have no secret
    /// yet (see [`Login::resolve`]).
    #[must_use]
    pub fn unresolved(&self) -> Credentials {
        match self {
            Login::Fixed(credentials) => credentials.clone(),
            Login::Provider { user, .. } => Credentials::new(user, ""),
        }
    }

    /// The servers as one new connection will use them: with a provider, the closure is
    /// called once and its secret goes into every server's login. A fixed password needs no
    /// call.
    ///
    /// # Errors
    /// The closure threw, or returned no string: that exception (the closure's own, or a
    /// `TypeError`) is pending in PHP, and the error says so for `$lastmessage`.
    pub fn resolve(&self, servers: &[Server]) -> Result<Vec<Server>, Error> {
        let Login::Provider { user, provider } = self else {
            return Ok(servers.to_vec());
        };
        let secret = provider.call()?;
        let credentials = Credentials::new(user, secret);
        Ok(servers
            .iter()
            .cloned()
            .map(|mut server| {
                if let Some(auth) = server.options.auth.as_mut() {
                    auth.credentials = credentials.clone();
                }
                server
            })
            .collect())
    }
}

/// A PHP `Closure` that returns a password or token.
pub struct TokenProvider(Zval);

impl TokenProvider {
    /// Keeps a reference to the closure.
    #[must_use]
    pub fn new(closure: &Zval) -> TokenProvider {
        TokenProvider(closure.shallow_clone())
    }

    /// The closure, for the garbage collector.
    pub fn zval_mut(&mut self) -> &mut Zval {
        &mut self.0
    }

    /// Calls the closure with no arguments; its string (or `Stringable`) result.
    fn call(&self) -> Result<Vec<u8>, Error> {
        let failed = |why: &str| Error::Refused { stage: Stage::Auth, reason: format!("the password closure {why}") };
        let callable = ZendCallable::new(&self.0).map_err(|_| failed("cannot be called"))?;
        let result = callable.try_call(vec![]);
        if ExecutorGlobals::has_exception() {
            return Err(failed("threw an exception"));
        }
        let value = result.map_err(|_| failed("cannot be called"))?;
        if let Some(text) = value.zend_str() {
            return Ok(text.as_bytes().to_vec());
        }
        if let Some(object) = value.object().filter(|o| o.instance_of(ce::stringable())) {
            let text = object.try_call_method("__toString", vec![]);
            if ExecutorGlobals::has_exception() {
                return Err(failed("threw an exception"));
            }
            if let Some(text) = text.ok().as_ref().and_then(Zval::zend_str) {
                return Ok(text.as_bytes().to_vec());
            }
        }
        let given = zapi::type_name(&value);
        PhpException::new(
            format!(
                "The $password closure of SendMail::setAuth() must return a string or Stringable, {given} returned"
            ),
            0,
            ce::type_error(),
        )
        .throw();
        Err(failed(&format!("returned {given}, not a string")))
    }
}

impl Clone for TokenProvider {
    fn clone(&self) -> TokenProvider {
        TokenProvider(self.0.shallow_clone())
    }
}
