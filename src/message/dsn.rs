//! Delivery status notification requests for a message (RFC 3461): when the sender wants
//! reports, how much of the message a report returns, and the sender's own id for them.
//!
//! These are values of the message, like its envelope sender; the protocol layer writes them as
//! MAIL and RCPT parameters (`protocol::command`) when the server offers DSN.

use thiserror::Error;

use super::Shown;

/// The longest envelope id (RFC 3461 §4.4), counted before xtext encoding.
pub const MAX_ENVID: usize = 100;

/// Why a DSN option is refused; each message names the option.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DsnError {
    /// An option key other than `notify`, `ret` and `envid`.
    #[error("unknown option {}; the options are \"notify\", \"ret\" and \"envid\"", Shown(.0))]
    UnknownOption(String),
    /// An option of the wrong type.
    #[error("\"{option}\" must be {expected}, {given} given")]
    Type {
        /// The option.
        option: &'static str,
        /// What it must be.
        expected: &'static str,
        /// The type given.
        given: String,
    },
    /// A word of `notify` that is none of the four.
    #[error("\"notify\": {} is not one of \"success\", \"failure\", \"delay\" or \"never\"", Shown(.0))]
    NotifyWord(String),
    /// `notify` without a word.
    #[error("\"notify\" must not be empty: give \"success\", \"failure\" and/or \"delay\", or \"never\" alone")]
    NotifyEmpty,
    /// `never` beside another word.
    #[error("\"notify\": \"never\" cannot be combined with \"success\", \"failure\" or \"delay\"")]
    NotifyNever,
    /// `ret` other than `full` or `hdrs`.
    #[error("\"ret\" must be \"full\" or \"hdrs\", {} given", Shown(.0))]
    Ret(String),
    /// An empty `envid`.
    #[error("\"envid\" must not be empty")]
    EnvidEmpty,
    /// An `envid` with characters other than printable ASCII.
    #[error("\"envid\" must be printable ASCII (characters 0x20 to 0x7E), {} given", Shown(.0))]
    EnvidCharacters(String),
    /// An `envid` over [`MAX_ENVID`] characters.
    #[error("\"envid\" is {0} characters long, at most 100 are allowed (RFC 3461 §4.4)")]
    EnvidLength(usize),
}

/// When reports are wanted (the RCPT `NOTIFY` parameter, RFC 3461 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notify {
    /// `NOTIFY=NEVER`: no report, not even on failure.
    Never,
    /// Reports on these events; at least one is set.
    On {
        /// `SUCCESS`: on delivery.
        success: bool,
        /// `FAILURE`: when delivery fails.
        failure: bool,
        /// `DELAY`: when delivery is delayed.
        delay: bool,
    },
}

impl Notify {
    /// Reads the words of the `notify` option (`success`, `failure`, `delay`, or `never` alone;
    /// any case; a repeated word counts once).
    ///
    /// # Errors
    /// No word, an unknown word, or `never` beside another.
    pub fn parse<'a>(words: impl IntoIterator<Item = &'a str>) -> Result<Notify, DsnError> {
        let (mut never, mut success, mut failure, mut delay, mut any) = (false, false, false, false, false);
        for word in words {
            any = true;
            match word.to_ascii_lowercase().as_str() {
                "never" => never = true,
                "success" => success = true,
                "failure" => failure = true,
                "delay" => delay = true,
                _ => return Err(DsnError::NotifyWord(word.to_owned())),
            }
        }
        match (any, never) {
            (false, _) => Err(DsnError::NotifyEmpty),
            (true, true) if success || failure || delay => Err(DsnError::NotifyNever),
            (true, true) => Ok(Notify::Never),
            (true, false) => Ok(Notify::On { success, failure, delay }),
        }
    }

    /// The words, lower case, in the order RFC 3461 lists them: for serialization.
    #[must_use]
    pub fn words(self) -> Vec<&'static str> {
        match self {
            Notify::Never => vec!["never"],
            Notify::On { success, failure, delay } => [(success, "success"), (failure, "failure"), (delay, "delay")]
                .into_iter()
                .filter_map(|(on, word)| on.then_some(word))
                .collect(),
        }
    }
}

/// How much of the message a failure report returns (the MAIL `RET` parameter, RFC 3461 §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret {
    /// `RET=FULL`: the whole message.
    Full,
    /// `RET=HDRS`: its headers only.
    Headers,
}

impl Ret {
    /// `full` or `hdrs`, any case.
    ///
    /// # Errors
    /// Anything else.
    pub fn parse(value: &str) -> Result<Ret, DsnError> {
        match value.to_ascii_lowercase().as_str() {
            "full" => Ok(Ret::Full),
            "hdrs" => Ok(Ret::Headers),
            _ => Err(DsnError::Ret(value.to_owned())),
        }
    }

    /// `full` or `hdrs`, as the option is written.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Ret::Full => "full",
            Ret::Headers => "hdrs",
        }
    }
}

/// What a message asks of the servers' delivery status notifications. Set at all, it also
/// sends each recipient's address as the original recipient (`ORCPT`), so reports name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dsn {
    /// When to report; `None`: the server's default (usually failures and delays).
    pub notify: Option<Notify>,
    /// How much of the message to return; `None`: the server's choice.
    pub ret: Option<Ret>,
    /// The sender's id for this message, returned in reports (`ENVID`).
    pub envid: Option<String>,
}

impl Dsn {
    /// Checks an envelope id: 1 to 100 printable ASCII characters (RFC 3461 §4.4).
    ///
    /// # Errors
    /// Empty, too long, or with characters outside 0x20-0x7E.
    pub fn check_envid(envid: &str) -> Result<(), DsnError> {
        if envid.is_empty() {
            return Err(DsnError::EnvidEmpty);
        }
        if !envid.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
            return Err(DsnError::EnvidCharacters(envid.to_owned()));
        }
        if envid.len() > MAX_ENVID {
            return Err(DsnError::EnvidLength(envid.len()));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn notify_words() {
        let on = |success, failure, delay| Notify::On { success, failure, delay };
        assert_eq!(Notify::parse(["success"]), Ok(on(true, false, false)));
        assert_eq!(Notify::parse(["Delay", "FAILURE"]), Ok(on(false, true, true)));
        assert_eq!(Notify::parse(["failure", "failure"]), Ok(on(false, true, false)));
        assert_eq!(Notify::parse(["never"]), Ok(Notify::Never));
        assert_eq!(Notify::parse(["NEVER", "never"]), Ok(Notify::Never));
        assert_eq!(Notify::parse([]), Err(DsnError::NotifyEmpty));
        assert_eq!(Notify::parse(["never", "success"]), Err(DsnError::NotifyNever));
        assert_eq!(Notify::parse(["sometimes"]), Err(DsnError::NotifyWord("sometimes".into())));
        assert_eq!(Notify::parse([""]), Err(DsnError::NotifyWord(String::new())));
        assert_eq!(on(true, true, true).words(), ["success", "failure", "delay"]);
        assert_eq!(Notify::Never.words(), ["never"]);
    }

    #[test]
    fn ret_values() {
        assert_eq!(Ret::parse("FULL"), Ok(Ret::Full));
        assert_eq!(Ret::parse("hdrs"), Ok(Ret::Headers));
        assert!(Ret::parse("headers").is_err());
        assert!(Ret::parse("").is_err());
    }

    #[test]
    fn envids() {
        assert!(Dsn::check_envid("QQ314159 a+b=c").is_ok());
        assert!(Dsn::check_envid(&"x".repeat(100)).is_ok());
        assert_eq!(Dsn::check_envid(&"x".repeat(101)), Err(DsnError::EnvidLength(101)));
        assert_eq!(Dsn::check_envid(""), Err(DsnError::EnvidEmpty));
        for bad in ["a\tb", "a\r\nb", "é", "\u{7f}", "a\0"] {
            assert!(matches!(Dsn::check_envid(bad), Err(DsnError::EnvidCharacters(_))), "{bad:?}");
        }
    }

    #[test]
    fn errors_name_the_option() {
        assert!(DsnError::NotifyEmpty.to_string().starts_with("\"notify\""));
        assert!(DsnError::Ret("x".into()).to_string().starts_with("\"ret\""));
        assert!(DsnError::EnvidLength(101).to_string().starts_with("\"envid\""));
        let wrong = DsnError::Type { option: "notify", expected: "an array of strings", given: "string".into() };
        assert_eq!(wrong.to_string(), "\"notify\" must be an array of strings, string given");
    }
}
