//! Debug lines (`>> ` client, `<< ` server) through PHP's output layer, as the legacy class
//! printed them: HTML-escaped with `<br />` for web pages, plain in the CLI.

use ext_php_rs::zend::{output_write, php_sapi_name};

/// Which way a debug line goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the server (`<< `).
    In,
    /// From the client (`>> `).
    Out,
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
