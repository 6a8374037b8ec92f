//! What a process keeps across requests: persistent connections, and where round-robin
//! relaying starts next. A PHP-FPM worker serves many requests; a connection it keeps here
//! carries the mail of all of them, one TCP, TLS and AUTH setup for many messages.
//!
//! Connections are filed under a [`Key`] made of everything that defines their session, so a
//! script never gets a connection logged in with another script's credentials. A connection
//! comes out of the pool to carry a transaction and goes back after it; one that a forked child
//! inherited is forgotten without a byte sent (the socket is its parent's).

use std::{
    collections::HashMap,
    fmt::Write as _,
    sync::{Mutex, OnceLock},
};

use super::{
    controls::{Controls, RelayMode},
    observer::Observer,
    security::AuthOptions,
    session::{Server, Session, SessionOptions},
};
use crate::protocol::Credentials;

/// How many connections a process keeps when nothing says otherwise.
pub const DEFAULT_MAX_KEPT: usize = 16;

/// Everything that defines a session to a list of servers: for each, host, port, EHLO name,
/// TLS mode and trust settings (CA file, client certificate by its digest, pins), the source
/// address, and the login: mechanism and a digest of user and password
/// ([`Credentials::fingerprint`]), or, for a password that a token provider gives at each
/// login, a digest of the user alone. The timeout is not part of it: a kept connection takes
/// the timeout of whoever uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key(String);

impl Key {
    /// The key of a session to `servers` (in their order). `provided`: the password comes from
    /// a provider at each login, the credentials hold none yet.
    #[must_use]
    pub fn of(servers: &[Server], provided: bool) -> Key {
        let mut key = String::new();
        for server in servers {
            let SessionOptions { timeout: _, client_id, tls, tls_settings, auth, source_address } = &server.options;
            let _ = write!(
                key,
                "{}|{}|{client_id:?}|{tls:?}|{tls_settings:?}|{source_address:?}|",
                server.host, server.port
            );
            match auth {
                Some(auth) => {
                    // The user and password, or the user alone when a provider gives the password
                    // at each login: digests of the exact bytes.
                    let login = if provided {
                        format!("provider:{}", Credentials::new(auth.credentials.user(), "").fingerprint())
                    } else {
                        auth.credentials.fingerprint()
                    };
                    let AuthOptions { credentials: _, mechanism, allow_without_tls, trust_loopback } = auth;
                    let _ = write!(key, "{mechanism:?}|{allow_without_tls}|{trust_loopback}|{login};");
                }
                None => key.push_str("-;"),
            }
        }
        Key(key)
    }
}

/// A kept connection.
struct Kept {
    key: Key,
    session: Session,
    /// When it went back, for choosing the one to close when the pool is full.
    returned: std::time::Instant,
}

#[derive(Default)]
struct Pool {
    kept: Vec<Kept>,
    /// Where round-robin starts next, for each list of servers.
    next_relay: HashMap<Key, usize>,
}

fn pool() -> &'static Mutex<Pool> {
    static POOL: OnceLock<Mutex<Pool>> = OnceLock::new();
    POOL.get_or_init(Mutex::default)
}

/// Takes the connection kept under `key` that was used last, if any. Connections a forked
/// child inherited are dropped on the way, without a byte sent.
#[must_use]
pub fn take(key: &Key) -> Option<Session> {
    let mut pool = pool().lock().ok()?;
    drop_foreign(&mut pool);
    let position = pool.kept.iter().rposition(|k| &k.key == key)?;
    Some(pool.kept.remove(position).session)
}

/// Keeps a connection under `key`. When `max` are kept already, the one idle longest is closed
/// with QUIT to make room (`max` 0: nothing is kept, this one is closed).
pub fn give(key: Key, session: Session, max: usize) {
    let evicted = {
        let Ok(mut pool) = pool().lock() else {
            session.quit(&mut ());
            return;
        };
        drop_foreign(&mut pool);
        pool.kept.push(Kept { key, session, returned: std::time::Instant::now() });
        let mut evicted = Vec::new();
        while pool.kept.len() > max {
            let oldest = pool.kept.iter().enumerate().min_by_key(|(_, k)| k.returned).map(|(i, _)| i);
            match oldest {
                Some(i) => evicted.push(pool.kept.remove(i).session),
                None => break,
            }
        }
        evicted
    };
    // QUIT outside the lock: it waits for the server.
    for session in evicted {
        session.quit(&mut ());
    }
}

/// The replies to QUIT are awaited this long at most in all when the process ends.
const QUIT_WAIT_AT_EXIT: std::time::Duration = std::time::Duration::from_secs(1);

/// QUITs the connections kept under `key` (the script's `close()`), or all of them with `None`:
/// the end of the process, which waits a second at most for all the replies together.
pub fn close(key: Option<&Key>, observer: &mut dyn Observer) {
    let closing: Vec<Session> = {
        let Ok(mut pool) = pool().lock() else { return };
        drop_foreign(&mut pool);
        let (closing, kept) =
            std::mem::take(&mut pool.kept).into_iter().partition(|k| key.is_none_or(|key| &k.key == key));
        pool.kept = kept;
        closing.into_iter().map(|k: Kept| k.session).collect()
    };
    if key.is_none() {
        Session::quit_all(closing, QUIT_WAIT_AT_EXIT);
        return;
    }
    for session in closing {
        session.quit(observer);
    }
}

/// How many connections are kept now.
#[must_use]
pub fn len() -> usize {
    pool().lock().map_or(0, |p| p.kept.len())
}

/// Forgets the connections another process opened (this one is a fork of it).
fn drop_foreign(pool: &mut Pool) {
    pool.kept.retain(|k| !k.session.foreign());
}

/// The servers in the order a new connection tries them: as given for failover; for
/// round-robin, starting at the server after the one the previous connection to this list
/// started at (the rest follow, for failover).
#[must_use]
pub fn relay_order(servers: &[Server], controls: &Controls) -> Vec<Server> {
    if controls.relay_mode != RelayMode::RoundRobin || servers.len() < 2 {
        return servers.to_vec();
    }
    let start = pool().lock().map_or(0, |mut pool| {
        let next = pool.next_relay.entry(Key::of(servers, true)).or_insert(0);
        let start = *next % servers.len();
        *next = start + 1;
        start
    });
    servers.iter().skip(start).chain(servers.iter().take(start)).cloned().collect()
}

/// Whether a connection kept for a while can carry the next message: not a fork's
/// inheritance, not worn out by the per-connection limit, not closed by the server (nor holding
/// its 421), and, when it was idle at least as long as the idle check, answering NOOP. A
/// connection that fails is ended here.
#[must_use]
pub fn still_usable(mut session: Session, controls: &Controls, observer: &mut dyn Observer) -> Option<Session> {
    if session.foreign() {
        return None;
    }
    if controls.worn_out(session.messages()) {
        session.quit(observer);
        return None;
    }
    if session.hung_up() {
        session.close();
        return None;
    }
    if session.idle() < controls.idle_check {
        return Some(session);
    }
    match session.noop(observer) {
        Ok(()) => Some(session),
        Err(error) => {
            session.end(&error, observer);
            None
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::protocol::Mechanism;

    fn server(user: &[u8], password: &str) -> Server {
        let auth = AuthOptions {
            credentials: Credentials::new(user, password),
            mechanism: Some(Mechanism::Plain),
            allow_without_tls: false,
            trust_loopback: true,
        };
        Server {
            host: "mail.example.test".into(),
            port: 587,
            options: SessionOptions { auth: Some(auth), ..SessionOptions::default() },
        }
    }

    #[test]
    fn keys_tell_sessions_apart() {
        let a = server(b"user", "secret");
        assert_eq!(Key::of(std::slice::from_ref(&a), false), Key::of(&[server(b"user", "secret")], false));
        assert_ne!(Key::of(std::slice::from_ref(&a), false), Key::of(&[server(b"user", "other")], false));
        // The timeout is the caller's, not the session's.
        let mut slower = a.clone();
        slower.options.timeout = Duration::from_secs(99);
        assert_eq!(Key::of(std::slice::from_ref(&a), false), Key::of(&[slower], false));
        let mut elsewhere = a.clone();
        elsewhere.options.source_address = Some([127, 0, 0, 2].into());
        assert_ne!(Key::of(std::slice::from_ref(&a), false), Key::of(&[elsewhere], false));
        // With a token provider, users whose names differ only in bytes that are not UTF-8.
        assert_ne!(Key::of(&[server(b"us\xffer", "")], true), Key::of(&[server(b"us\xfeer", "")], true));
        assert_eq!(Key::of(&[server(b"user", "")], true), Key::of(&[server(b"user", "")], true));
        // The key never holds the password.
        assert!(!format!("{:?}", Key::of(&[a], false)).contains("secret"));
    }
}
