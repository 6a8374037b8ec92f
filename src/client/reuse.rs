//! One transaction on a connection that may outlive it: the object's own (keep-alive), the
//! process's (persistent, [`pool`]), or a new one that is closed afterwards.
//!
//! Before reuse the connection is checked ([`pool::still_usable`]); a connection that turns
//! out stale before the server could have the message is replaced once, silently; after the
//! transaction a failure is cleared with RSET and the connection kept, unless the
//! per-connection limit is reached.

use std::time::Duration;

use super::{
    controls::{Controls, Pace},
    error::Error,
    observer::{Event, Observer},
    pool::{self, Key},
    session::Session,
};
use crate::message::dkim::Signer;

/// How a call's connection is used.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reuse {
    /// Idle check, per-connection limit, rate limit, relay mode.
    pub controls: Controls,
    /// The connection is the process's, kept in the pool across requests.
    pub persistent: bool,
    /// The most connections the pool keeps.
    pub max_kept: usize,
    /// The object keeps its connection across calls (when not persistent).
    pub keep_alive: bool,
}

/// One call: what it connects to and how.
#[derive(Debug)]
pub struct Call<'p> {
    /// How the connection is used.
    pub reuse: Reuse,
    /// What defines the session (see [`Key::of`]).
    pub key: Key,
    /// The deadline of each reply, for a reused connection too.
    pub timeout: Option<Duration>,
    /// Signs the message (DKIM).
    pub signer: Option<Signer>,
    /// The rate limit's slots.
    pub pace: &'p Pace,
}

impl Call<'_> {
    /// Runs `run` on a connection: `own` (the object's kept one, if it was opened for the same
    /// key and the object keeps its connection), the pool's, or a new one from `open`. The
    /// connection ends kept in `own` or the pool, or closed.
    ///
    /// # Errors
    /// `open`'s or `run`'s.
    pub fn run<T>(
        self,
        own: &mut Option<(Key, Session)>,
        observer: &mut dyn Observer,
        open: &mut dyn FnMut(&mut dyn Observer) -> Result<Session, Error>,
        run: &dyn Fn(&mut Session, &mut dyn Observer) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let Reuse { controls, persistent, keep_alive, .. } = self.reuse;
        let mine = match own.take() {
            Some((key, session)) if keep_alive && !persistent && key == self.key => Some(session),
            Some((_, other)) => {
                other.quit(observer);
                None
            }
            None => None,
        };
        let kept = if persistent { pool::take(&self.key) } else { mine };
        let had_one = kept.is_some();
        let usable = kept.and_then(|session| pool::still_usable(session, &controls, observer));
        if had_one && usable.is_none() {
            observer.on_event(Event::Reconnecting);
        }
        let (mut session, reused) = match usable {
            Some(mut session) => {
                if let Some(timeout) = self.timeout {
                    session.set_timeout(timeout);
                }
                (session, true)
            }
            None => (open(observer)?, false),
        };
        // The slot is taken once the session is ready: the limit spaces the transactions.
        self.pace.wait(controls.max_per_second);
        session.sign_with(self.signer.clone());
        let mut result = run(&mut session, observer);
        if reused && result.as_ref().err().is_some_and(Error::is_stale_connection) {
            if let Err(error) = &result {
                session.end(error, observer);
            }
            observer.on_event(Event::Reconnecting);
            session = open(observer)?;
            session.sign_with(self.signer.clone());
            result = run(&mut session, observer);
        }
        self.keep_or_end(session, &result, own, observer);
        result
    }

    /// Keeps the connection (kept or persistent, usable after RSET when the transaction
    /// failed, not worn out by the per-connection limit) or ends it.
    fn keep_or_end<T>(
        self,
        mut session: Session,
        result: &Result<T, Error>,
        own: &mut Option<(Key, Session)>,
        observer: &mut dyn Observer,
    ) {
        let Reuse { controls, persistent, max_kept, keep_alive } = self.reuse;
        let keep = (keep_alive || persistent)
            && match result {
                Ok(_) => true,
                Err(error) if error.connection_usable() => {
                    observer.on_event(Event::Resetting);
                    session.reset(observer).is_ok()
                }
                Err(_) => false,
            };
        if keep && !controls.worn_out(session.messages()) {
            if persistent {
                // The next script to use it brings its own signer.
                session.sign_with(None);
                pool::give(self.key, session, max_kept);
            } else {
                *own = Some((self.key, session));
            }
            return;
        }
        match result {
            Ok(_) => session.quit(observer),
            Err(error) => session.end(error, observer),
        }
    }
}
