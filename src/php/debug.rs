//! Debug lines (`>> ` client, `<< ` server) through PHP's output layer, as the legacy class
//! printed them: HTML-escaped with `<br />` for web pages, plain in the CLI.

use std::ptr::NonNull;

use ext_php_rs::{
    types::{ZendObject, ZendStr, Zval},
    zend::{output_write, php_sapi_name, ExecutorGlobals},
};

/// Which way a debug line goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the server (`<< `).
    In,
    /// From the client (`>> `).
    Out,
}

/// Where the dialogue lines of a call go when no logger takes them.
#[derive(Debug, Clone, Copy)]
pub enum Sink {
    /// Nowhere (`$debug` off).
    Off,
    /// Printed, `>> `/`<< ` lines (`$debug` on).
    Print,
    /// To `$this->show_debug($line, $inout)` of a userland subclass that overrides it (every
    /// line, as the legacy class called it; the override decides what to show).
    Method(NonNull<ZendObject>),
}

impl Sink {
    /// `Print` when `debug`, else `Off`.
    pub fn printing(debug: bool) -> Sink {
        if debug {
            Sink::Print
        } else {
            Sink::Off
        }
    }

    /// Shows one line; false when the method threw (the exception stays pending for PHP), after
    /// which the call stops showing lines.
    pub fn show(&self, line: &[u8], direction: Direction) -> bool {
        match self {
            Sink::Off => true,
            Sink::Print => {
                show(line, direction);
                true
            }
            Sink::Method(object) => {
                let mut text = Zval::new();
                text.set_zend_string(ZendStr::new(line, false));
                let inout = if direction == Direction::In { "in" } else { "out" };
                // SAFETY: the object is the `$this` of the running method call, alive for its
                // whole duration; PHP runs its method on this thread.
                let object = unsafe { object.as_ref() };
                object.try_call_method("show_debug", vec![&text, &inout]).is_ok() && !ExecutorGlobals::has_exception()
            }
        }
    }
}

/// Prints one debug message through the output layer, so `ob_start()` captures it.
pub fn show(message: &[u8], direction: Direction) {
    let prefix: &[u8] = if direction == Direction::In { b"<< " } else { b">> " };
    let mut line = prefix.to_vec();
    line.extend_from_slice(message);
    if !line.ends_with(b"\n") {
        line.push(b'\n');
    }
    if is_cli() {
        let _ = output_write(&line);
    } else {
        let _ = output_write(&html(&line));
    }
}

fn is_cli() -> bool {
    matches!(php_sapi_name().as_deref(), Some("cli" | "phpdbg" | "embed"))
}

/// `htmlspecialchars()` then `nl2br()`.
fn html(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 16);
    for &b in text {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\'' => out.extend_from_slice(b"&#039;"),
            b'\n' => out.extend_from_slice(b"<br />\n"),
            _ => out.push(b),
        }
    }
    out
}
