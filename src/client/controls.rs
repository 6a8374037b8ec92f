//! The controls of a sender at scale: how often a connection is checked and renewed, how fast
//! messages go, and how connections spread over a list of relays.

use std::{
    fmt,
    str::FromStr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// A connection idle this long gets a NOOP before it carries a message (unless set otherwise).
pub const DEFAULT_IDLE_CHECK: Duration = Duration::from_secs(5);

/// How the servers of a list are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum RelayMode {
    /// Always the first one that works, in the order given.
    #[default]
    Failover,
    /// Each new connection starts at the next server of the list, then fails over as in
    /// [`RelayMode::Failover`].
    RoundRobin,
}

impl FromStr for RelayMode {
    type Err = String;

    fn from_str(mode: &str) -> Result<RelayMode, String> {
        match mode.to_ascii_lowercase().as_str() {
            "failover" => Ok(RelayMode::Failover),
            "roundrobin" => Ok(RelayMode::RoundRobin),
            _ => Err(format!("{} is not a relay mode (failover, roundrobin)", crate::message::Shown(mode))),
        }
    }
}

impl fmt::Display for RelayMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RelayMode::Failover => "failover",
            RelayMode::RoundRobin => "roundrobin",
        })
    }
}

/// How connections are used and how fast messages go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Controls {
    /// A connection idle at least this long is checked with NOOP before it is used again.
    pub idle_check: Duration,
    /// A connection is closed after this many messages (`None`: never for that reason).
    pub max_per_connection: Option<u32>,
    /// At most this many messages start per second (`None`: no limit).
    pub max_per_second: Option<f64>,
    /// Which server of a list a new connection tries first.
    pub relay_mode: RelayMode,
}

impl Default for Controls {
    fn default() -> Controls {
        Controls {
            idle_check: DEFAULT_IDLE_CHECK,
            max_per_connection: None,
            max_per_second: None,
            relay_mode: RelayMode::Failover,
        }
    }
}

impl Controls {
    /// A connection that carried `messages` messages is done.
    #[must_use]
    pub fn worn_out(&self, messages: u32) -> bool {
        self.max_per_connection.is_some_and(|max| messages >= max)
    }
}

/// A rate limit: message starts spaced at least `1 / rate` seconds apart. Shared by the
/// connections of a batch; each takes the next free slot and waits for it outside the lock.
#[derive(Debug, Clone, Default)]
pub struct Pace(Arc<Mutex<Option<Instant>>>);

impl Pace {
    /// A limiter of its own (a clone shares the slots; this does not).
    #[must_use]
    pub fn new() -> Pace {
        Pace::default()
    }

    /// Waits for the next slot at `per_second` messages per second (no wait without a limit).
    pub fn wait(&self, per_second: Option<f64>) {
        let Some(rate) = per_second.filter(|r| r.is_finite() && *r > 0.0) else { return };
        let interval = Duration::from_secs_f64((1.0 / rate).min(86_400.0));
        let slot = {
            let Ok(mut next) = self.0.lock() else { return };
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + interval);
            slot
        };
        let wait = slot.saturating_duration_since(Instant::now());
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn relay_modes() {
        assert_eq!("RoundRobin".parse::<RelayMode>().unwrap(), RelayMode::RoundRobin);
        assert_eq!("failover".parse::<RelayMode>().unwrap(), RelayMode::Failover);
        assert_eq!("random".parse::<RelayMode>().unwrap_err(), "\"random\" is not a relay mode (failover, roundrobin)");
    }

    #[test]
    fn a_pace_spaces_the_starts() {
        let pace = Pace::new();
        let start = Instant::now();
        for _ in 0..5 {
            pace.wait(Some(50.0));
        }
        // Four intervals of 20 ms after the first start.
        assert!(start.elapsed() >= Duration::from_millis(80), "{:?}", start.elapsed());
        let free = Pace::new();
        let start = Instant::now();
        for _ in 0..5 {
            free.wait(None);
        }
        assert!(start.elapsed() < Duration::from_millis(50));
    }

    #[test]
    fn worn_out() {
        let controls = Controls { max_per_connection: Some(2), ..Controls::default() };
        assert!(!controls.worn_out(1));
        assert!(controls.worn_out(2));
        assert!(!Controls::default().worn_out(u32::MAX));
    }
}
