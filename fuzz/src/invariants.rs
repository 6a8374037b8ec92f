//! The invariants the fuzz targets (`fuzz/fuzz_targets/`) and the property tests
//! (`tests/properties.rs`, which includes this file) assert. Every check panics on a violation,
//! which is what both libFuzzer and proptest want.
//!
//! Reference models here (line-end normalisation, dot-unstuffing, quoted-printable and base64
//! decoding) are written independently of the library so that a bug there cannot hide itself.

use base64::{engine::general_purpose::STANDARD, Engine};
use sendmail::{
    client::{parse_targets, redact},
    message::{
        email::{Attachment, Email, Source},
        encoding::{display_name, write_mailboxes, write_unstructured, QuotedPrintable},
        legacy::{BodyEncoding, ComposeOptions},
        mime::{base64_lines, render, Segment, Stamp},
        LegacyMessage, Mailbox,
    },
    protocol::{
        data::LineEnds,
        parse_reply,
        reply::{MAX_LINE, MAX_REPLY},
        Capabilities, Command, DataEncoder, Reply, ReplyError,
    },
};

/// Longest line RFC 5322 §2.1.1 allows, CRLF excluded.
pub const MAX_MESSAGE_LINE: usize = 998;

// ---------------------------------------------------------------------------------------------
// Line ends and the DATA encoder
// ---------------------------------------------------------------------------------------------

/// Every CR is followed by LF and every LF follows a CR.
pub fn assert_crlf_clean(out: &[u8], what: &str) {
    for (i, &b) in out.iter().enumerate() {
        if b == b'\r' {
            assert_eq!(out.get(i + 1), Some(&b'\n'), "{what}: bare CR at {i} in {:?}", show(out));
        }
        if b == b'\n' {
            assert!(i > 0 && out.get(i - 1) == Some(&b'\r'), "{what}: bare LF at {i} in {:?}", show(out));
        }
    }
}

/// Reference model: CRLF stays, a lone CR or a lone LF becomes CRLF.
#[must_use]
pub fn normalise(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + 8);
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        match b {
            b'\r' => {
                out.extend_from_slice(b"\r\n");
                i += if input.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            }
            b'\n' => {
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Splits `input` into chunks at the given cut points (taken modulo the length, any order).
#[must_use]
pub fn split_at_points<'a>(input: &'a [u8], points: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> =
        points.iter().map(|p| if input.is_empty() { 0 } else { p % (input.len() + 1) }).collect();
    cuts.push(0);
    cuts.push(input.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2).filter_map(|w| input.get(w[0]..w[1])).collect()
}

/// Runs the DATA encoder over the chunks.
#[must_use]
pub fn data_encode<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = DataEncoder::default();
    for chunk in chunks {
        encoder.push(chunk, &mut out);
    }
    encoder.finish(&mut out);
    out
}

/// Undoes dot-stuffing and drops the final `.` line.
#[must_use]
pub fn unstuff(encoded: &[u8]) -> Vec<u8> {
    let body = encoded.strip_suffix(b".\r\n").unwrap_or_else(|| panic!("no final dot line in {:?}", show(encoded)));
    let mut out = Vec::with_capacity(body.len());
    for line in body.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
    }
    out
}

/// The DATA encoder's output for `input` (given whole) obeys every invariant:
/// no bare CR or LF, `CRLF.CRLF` only at the very end, and un-stuffing gives back the input
/// with its line ends normalised (and a last CRLF added when it had none).
pub fn assert_data_output(input: &[u8], out: &[u8]) {
    assert_crlf_clean(out, "DATA");
    assert!(out.ends_with(b"\r\n.\r\n") || out == b".\r\n", "DATA: bad ending {:?}", show(out));
    if let Some(early) = out.windows(5).position(|w| w == b"\r\n.\r\n") {
        assert_eq!(early, out.len() - 5, "DATA: CRLF.CRLF before the end in {:?}", show(out));
    }
    assert!(!out.starts_with(b".\r\n") || out.len() == 3, "DATA: the first line ends the data: {:?}", show(out));
    let mut expected = normalise(input);
    if !expected.is_empty() && !expected.ends_with(b"\r\n") {
        expected.extend_from_slice(b"\r\n");
    }
    assert_bytes(&unstuff(out), &expected, "DATA: un-stuffing does not give back the input");
}

/// The DATA encoder, fed `input` cut at `points`, gives the same output as fed whole, and that
/// output obeys [`assert_data_output`]. [`LineEnds`] alone is the reference normalisation.
pub fn check_data_encoder(input: &[u8], points: &[usize]) {
    let chunks = split_at_points(input, points);
    let whole = data_encode([input]);
    let pieces = data_encode(chunks.iter().copied());
    assert_bytes(&pieces, &whole, &format!("DATA: chunking changed the output (cuts {points:?})"));
    assert_data_output(input, &whole);

    let mut ends = LineEnds::default();
    let mut normalised = Vec::new();
    for chunk in &chunks {
        ends.push(chunk, &mut normalised);
    }
    assert_bytes(&normalised, &normalise(input), "LineEnds differs from the reference model");
}

// ---------------------------------------------------------------------------------------------
// Replies and EHLO
// ---------------------------------------------------------------------------------------------

/// How a stream of bytes ended for the reply parser.
#[derive(Debug, PartialEq)]
pub enum StreamEnd {
    /// Waiting for more bytes.
    Pending,
    /// The parser refused the bytes.
    Failed(ReplyError),
}

/// Parses every reply in `buf` as one buffer.
#[must_use]
pub fn replies_whole(buf: &[u8]) -> (Vec<Reply>, StreamEnd) {
    let mut replies = Vec::new();
    let mut offset = 0;
    loop {
        let rest = buf.get(offset..).unwrap_or_default();
        match parse_reply(rest) {
            Ok(Some((reply, used))) => {
                assert_reply_result(rest, &reply, used);
                replies.push(reply);
                offset += used;
            }
            Ok(None) => {
                assert_pending(rest);
                return (replies, StreamEnd::Pending);
            }
            Err(e) => return (replies, StreamEnd::Failed(e)),
        }
    }
}

/// Feeds `chunks` one by one into a growing buffer, as a connection does.
#[must_use]
pub fn replies_incremental(chunks: &[&[u8]]) -> (Vec<Reply>, StreamEnd) {
    let mut replies = Vec::new();
    let mut fed: Vec<u8> = Vec::new();
    for chunk in chunks {
        fed.extend_from_slice(chunk);
        loop {
            match parse_reply(&fed) {
                Ok(Some((reply, used))) => {
                    assert_reply_result(&fed, &reply, used);
                    replies.push(reply);
                    fed.drain(..used);
                }
                Ok(None) => {
                    assert_pending(&fed);
                    break;
                }
                Err(e) => return (replies, StreamEnd::Failed(e)),
            }
        }
    }
    (replies, StreamEnd::Pending)
}

/// `Ok(Some((reply, used)))`: `used` is within the buffer and the cap, ends a line, and the
/// reply has a line for every line it used.
fn assert_reply_result(buf: &[u8], reply: &Reply, used: usize) {
    assert!(used > 0 && used <= buf.len(), "used {used} of {} bytes", buf.len());
    assert!(used <= MAX_REPLY, "a reply of {used} bytes passed the cap");
    assert_eq!(buf.get(used - 1), Some(&b'\n'), "a reply does not end at a line end");
    let line_count = buf.get(..used).unwrap_or_default().iter().filter(|&&b| b == b'\n').count();
    assert_eq!(reply.lines().len(), line_count, "lines in the reply");
    let code = reply.code().to_string();
    for (i, line) in buf.get(..used).unwrap_or_default().split_inclusive(|&b| b == b'\n').enumerate() {
        assert!(line.len() <= MAX_LINE, "a line of {} bytes passed the cap", line.len());
        assert!(line.starts_with(code.as_bytes()), "line {i} of a {code} reply: {:?}", show(line));
        let last = i + 1 == reply.lines().len();
        let sep = line.get(3).copied();
        let ok = if last { matches!(sep, Some(b' ' | b'\r' | b'\n')) } else { sep == Some(b'-') };
        assert!(ok, "line {i} of {} has separator {sep:?}", reply.lines().len());
    }
    assert!((2..=5).contains(&reply.code().class()), "code {}", reply.code());
}

/// `Ok(None)`: the parser may wait only while it holds less than the caps.
fn assert_pending(buf: &[u8]) {
    assert!(buf.len() <= MAX_REPLY, "waiting for more with {} bytes held", buf.len());
    let open_line = buf.len() - buf.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    assert!(open_line < MAX_LINE, "waiting for more in a line of {open_line} bytes");
}

/// The reply parser never panics, keeps its caps, and gives the same replies (and the same
/// error) whatever the cut points of the stream.
pub fn check_reply_stream(buf: &[u8], points: &[usize]) {
    let (whole, whole_end) = replies_whole(buf);
    let chunks = split_at_points(buf, points);
    let (pieces, pieces_end) = replies_incremental(&chunks);
    assert_eq!(pieces, whole, "replies differ when the stream is cut at {points:?}");
    let cap = |e: &ReplyError| matches!(e, ReplyError::LineTooLong | ReplyError::ReplyTooLong);
    match (&whole_end, &pieces_end) {
        (StreamEnd::Failed(a), StreamEnd::Failed(b)) if cap(a) && cap(b) => {}
        (a, b) => assert_eq!(a, b, "the stream ends differently when cut at {points:?}"),
    }
    for reply in &whole {
        let _ = (reply.to_string(), reply.text(), reply.enhanced_code(), reply.queue_id());
        let _ = Capabilities::from_ehlo(reply);
    }
}

/// A reply written from its code and lines parses back to the same reply, whatever follows it,
/// and so does its `Display` form with CRLF. When `other` = (line, code) gives one line another
/// code, the parser refuses the reply with `MixedCodes`.
pub fn check_reply_round_trip(code: u16, lines: &[String], other: Option<(usize, u16)>, bare_lf: bool, after: &[u8]) {
    let eol: &[u8] = if bare_lf { b"\n" } else { b"\r\n" };
    let mut wire = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let sep = if i + 1 == lines.len() { ' ' } else { '-' };
        let line_code = match other {
            Some((at, other)) if at == i => other,
            _ => code,
        };
        wire.extend_from_slice(format!("{line_code:03}{sep}{line}").as_bytes());
        wire.extend_from_slice(eol);
    }
    if let Some((at, then)) = other.filter(|&(at, then)| at < lines.len() && then != code) {
        let (first, then) = if at == 0 { (then, code) } else { (code, then) };
        let first = sendmail::protocol::ReplyCode(first);
        let then = sendmail::protocol::ReplyCode(then);
        let expected = if lines.len() > 1 { Err(ReplyError::MixedCodes { first, then }) } else { parse_reply(&wire) };
        assert_eq!(parse_reply(&wire), expected, "mixed codes in {:?}", show(&wire));
        return;
    }
    let used_wire = wire.len();
    wire.extend_from_slice(after);
    let expected = Reply::new(sendmail::protocol::ReplyCode(code), lines.to_vec());
    let parsed = parse_reply(&wire);
    assert_eq!(parsed, Ok(Some((expected.clone(), used_wire))), "round trip of {:?}", show(&wire));
    let shown = format!("{expected}\r\n").replace('\n', "\r\n").replace("\r\r\n", "\r\n");
    let again = parse_reply(shown.as_bytes());
    assert_eq!(again, Ok(Some((expected, shown.len()))), "Display round trip of {shown:?}");
}

/// The keyword of an EHLO line as the parser reads it (before `=`), if any.
fn keyword_of(line: &str) -> Option<&str> {
    let word = line.split_ascii_whitespace().next()?;
    Some(word.split_once('=').map_or(word, |(k, _)| k))
}

/// Every line after the first announces its keyword (case-insensitively), with the parameters of
/// its first occurrence; the greeting line is no keyword; SIZE and AUTH read what was announced.
pub fn check_ehlo(reply: &Reply) {
    let caps = Capabilities::from_ehlo(reply);
    let extension_lines = reply.lines().get(1..).unwrap_or_default();
    for line in extension_lines {
        let Some(keyword) = keyword_of(line) else { continue };
        assert!(caps.has(keyword), "keyword {keyword:?} of line {line:?} not found");
        assert!(caps.has(&keyword.to_ascii_lowercase()) && caps.has(&keyword.to_ascii_uppercase()));
        let first = extension_lines.iter().find(|l| keyword_of(l).is_some_and(|k| k.eq_ignore_ascii_case(keyword)));
        let expected: Vec<String> = first
            .map(|l| {
                let mut words = l.split_ascii_whitespace();
                let head = words.next().and_then(|w| w.split_once('=')).map(|(_, p)| p.to_owned());
                head.into_iter().chain(words.map(str::to_owned)).collect()
            })
            .unwrap_or_default();
        assert_eq!(caps.params(keyword), Some(expected.as_slice()), "params of {keyword:?}");
    }
    if let Some(greeting) = reply.lines().first().and_then(|l| keyword_of(l)) {
        if !extension_lines.iter().any(|l| keyword_of(l).is_some_and(|k| k.eq_ignore_ascii_case(greeting))) {
            assert!(!caps.has(greeting), "the greeting line's {greeting:?} was read as a keyword");
        }
    }
    let mechanisms = caps.auth_mechanisms();
    for (i, m) in mechanisms.iter().enumerate() {
        assert_eq!(*m, m.to_ascii_uppercase(), "AUTH mechanism not upper-case");
        assert!(!mechanisms.get(..i).unwrap_or_default().contains(m), "AUTH mechanism {m} twice");
    }
    for line in extension_lines {
        let mut words = line.split_ascii_whitespace();
        if words.next().is_some_and(|w| w.eq_ignore_ascii_case("AUTH")) {
            for m in words {
                assert!(mechanisms.contains(&m.to_ascii_uppercase()), "AUTH mechanism {m} lost");
            }
        }
    }
    if let Some(params) = caps.params("SIZE") {
        let expected = params.first().and_then(|p| p.parse().ok()).unwrap_or(0);
        assert_eq!(caps.size(), Some(expected));
    } else {
        assert_eq!(caps.size(), None);
    }
    let _ = (caps.pipelining(), caps.chunking(), caps.starttls(), caps.eight_bit_mime(), caps.smtputf8());
}

// ---------------------------------------------------------------------------------------------
// Raw commands
// ---------------------------------------------------------------------------------------------

/// `Command::raw` refuses a NUL or a command with nothing but line ends, and otherwise writes
/// CRLF-clean lines, each ending in CRLF, none of them empty (an empty line is a command to the
/// server, whose reply would put every later reply one command behind), keeping the text.
pub fn check_raw_command(input: &[u8]) {
    let text: Vec<u8> = input.iter().copied().filter(|&b| b != b'\r' && b != b'\n').collect();
    let Ok(command) = Command::raw(input) else {
        assert!(text.is_empty() || text.contains(&0), "Command::raw refused {:?}", show(input));
        return;
    };
    assert!(!text.is_empty() && !text.contains(&0), "Command::raw took {:?}", show(input));
    let mut out = Vec::new();
    command.write_to(&mut out);
    assert_crlf_clean(&out, "raw command");
    assert!(out.ends_with(b"\r\n"), "raw command without its CRLF: {:?}", show(&out));
    assert!(!out.starts_with(b"\r\n"), "raw command starts with an empty line: {:?}", show(&out));
    let empty_line = out.windows(4).any(|w| w == b"\r\n\r\n");
    assert!(!empty_line, "raw command with an empty line: {:?}", show(&out));
    let sent: Vec<u8> = out.iter().copied().filter(|&b| b != b'\r' && b != b'\n').collect();
    assert_bytes(&sent, &text, "raw command text changed");
    let _ = command.display();
}

// ---------------------------------------------------------------------------------------------
// Header and body encodings
// ---------------------------------------------------------------------------------------------

/// The lines of a CRLF-clean text, without their CRLF (no empty last item).
fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.strip_suffix(b"\r\n").unwrap_or(text).split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// One header field as written: CRLF-clean, ending in CRLF, starting with `Name:`, every further
/// line a continuation (starting with a space or tab), every line at most 998 octets.
pub fn assert_header_field(out: &[u8], name: &str) {
    assert_crlf_clean(out, name);
    assert!(out.ends_with(b"\r\n"), "{name}: no final CRLF");
    assert!(out.starts_with(format!("{name}:").as_bytes()), "{name}: {:?}", show(out));
    for (i, line) in lines(out).enumerate() {
        if i > 0 {
            assert!(matches!(line.first(), Some(b' ' | b'\t')), "{name}: line {i} starts a new field: {:?}", show(out));
        }
        assert!(line.len() <= MAX_MESSAGE_LINE, "{name}: a line of {} octets", line.len());
    }
}

/// Decodes the `=?cs?B?…?=` words of an unfolded value and joins their bytes.
fn decode_words(value: &str, charset: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let open = format!("=?{charset}?B?");
    for word in value.split(' ').filter(|w| !w.is_empty()) {
        let payload = word.strip_prefix(open.as_str())?.strip_suffix("?=")?;
        out.extend(STANDARD.decode(payload).ok()?);
    }
    Some(out)
}

/// `write_unstructured` keeps a value without CR, LF or NUL in one field (no injection), with
/// lines of at most 998 octets, and the value reads back unchanged (folded, or as encoded-words
/// in UTF-8, the given charset, or UNKNOWN-8BIT).
pub fn check_unstructured(name: &str, value: &[u8], charset: Option<&str>) {
    let mut out = Vec::new();
    write_unstructured(&mut out, name, value, charset);
    let utf8 = std::str::from_utf8(value).is_ok();
    assert_header_field(&out, name);
    let unfolded = String::from_utf8_lossy(out.strip_suffix(b"\r\n").unwrap_or(&out)).replace("\r\n", "");
    let after_name = unfolded.get(name.len() + 1..).unwrap_or_default();
    let encoded_charset = if utf8 { "UTF-8" } else { charset.unwrap_or("UNKNOWN-8BIT") };
    // ASCII (encoded-words a caller wrote included) and 8-bit text in no known charset are
    // folded as they are, unless a word is too long to fold; other text is encoded.
    let long_word = value.split(|&b| b == b' ').any(|word| word.len() > 900);
    let encoded = if value.is_ascii() || (!utf8 && charset.is_none()) { long_word } else { true };
    let decoded = if encoded {
        decode_words(after_name, encoded_charset).unwrap_or_else(|| panic!("bad encoded words {after_name:?}"))
    } else {
        unfolded_bytes(&out, name)
    };
    assert_bytes(&decoded, value, &format!("{name}: the value does not read back"));
}

/// The value of a field written as `Name: value` CRLF, unfolded (its CRLFs removed).
fn unfolded_bytes(field: &[u8], name: &str) -> Vec<u8> {
    let body = field.get(name.len() + 1..field.len().saturating_sub(2)).unwrap_or_default();
    let mut joined = Vec::new();
    let mut i = 0;
    while let Some(&b) = body.get(i) {
        if body.get(i..i + 2) == Some(b"\r\n") {
            i += 2;
        } else {
            joined.push(b);
            i += 1;
        }
    }
    assert_eq!(joined.first(), Some(&b' '), "{name}: no space after the colon");
    joined.split_off(1)
}

/// A display name the checks accept holds no line break but folds (CRLF and a space), keeps
/// its lines within 998 octets, and reads back: as is, quoted, or encoded.
pub fn check_display_name(name: &str) {
    if Email::text_value("name", name).is_err() {
        return;
    }
    let folded = display_name(name);
    assert_crlf_clean(folded.as_bytes(), "display name");
    for line in folded.split("\r\n").skip(1) {
        assert!(line.starts_with(' '), "display name {folded:?} breaks a line without folding");
    }
    assert!(folded.split("\r\n").all(|l| l.len() <= MAX_MESSAGE_LINE), "display name line over 998 octets");
    let shown = folded.replace("\r\n", "");
    let back = if let Some(quoted) = shown.strip_prefix('"') {
        let inner = quoted.strip_suffix('"').unwrap_or_else(|| panic!("unbalanced quotes in {shown:?}"));
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.push(chars.next().unwrap_or_else(|| panic!("dangling backslash in {shown:?}"))),
                '"' => panic!("unescaped quote in {shown:?}"),
                c => out.push(c),
            }
        }
        out
    } else if shown.starts_with("=?UTF-8?B?") {
        let bytes = decode_words(&shown, "UTF-8").unwrap_or_else(|| panic!("bad encoded words {shown:?}"));
        String::from_utf8(bytes).unwrap_or_else(|_| panic!("encoded words not UTF-8: {shown:?}"))
    } else {
        assert!(shown.is_ascii() && !shown.contains(['"', ',', '<', '>', '@', ':', ';', '\\']), "{shown:?}");
        shown.clone()
    };
    assert_eq!(back, name, "display name does not read back from {shown:?}");
}

/// `write_mailboxes` writes one field, continuation lines only, each at most 998 octets.
pub fn check_mailboxes(name: &str, list: &[Mailbox]) {
    let mut out = Vec::new();
    write_mailboxes(&mut out, name, list);
    assert_header_field(&out, name);
    for mailbox in list {
        assert!(
            String::from_utf8_lossy(&out).contains(mailbox.address.as_str()),
            "{name}: address {} missing from {:?}",
            mailbox.address,
            show(&out)
        );
    }
}

/// Reference quoted-printable decoder (RFC 2045 §6.7): soft breaks vanish, `=XX` is a byte.
fn qp_decode(encoded: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = encoded.get(i) {
        if b == b'=' {
            if encoded.get(i + 1..i + 3) == Some(b"\r\n") {
                i += 3;
                continue;
            }
            let hex = encoded.get(i + 1..i + 3).unwrap_or_else(|| panic!("QP: dangling = in {:?}", show(encoded)));
            let text = std::str::from_utf8(hex).unwrap_or_default();
            let byte = u8::from_str_radix(text, 16).unwrap_or_else(|_| panic!("QP: bad escape {text:?}"));
            assert_eq!(text, text.to_ascii_uppercase(), "QP: lower-case hex");
            out.push(byte);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}

/// Quoted-printable output: lines of at most 76 characters, printable ASCII only, no space or tab
/// before a line end, the same whatever the chunking, and it decodes to the normalised input.
pub fn check_quoted_printable(input: &[u8], points: &[usize]) {
    let encode = |chunks: &[&[u8]]| {
        let mut out = Vec::new();
        let mut qp = QuotedPrintable::default();
        for chunk in chunks {
            qp.push(chunk, &mut out);
        }
        qp.finish(&mut out);
        out
    };
    let whole = encode(&[input]);
    let pieces = encode(&split_at_points(input, points));
    assert_bytes(&pieces, &whole, "QP: chunking changed the output");
    assert_quoted_printable(input, &whole);
}

/// `encoded` is `input` in quoted-printable: CRLF-clean lines of at most 76 printable characters,
/// no space or tab before a line end, decoding to the input with normalised line ends.
pub fn assert_quoted_printable(input: &[u8], encoded: &[u8]) {
    assert_crlf_clean(encoded, "QP");
    for line in encoded.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(line.len() <= 76, "QP: a line of {} characters: {:?}", line.len(), show(line));
        assert!(line.iter().all(|&b| (33..=126).contains(&b) || b == b' ' || b == b'\t'), "QP: {:?}", show(line));
        assert!(!line.ends_with(b" ") && !line.ends_with(b"\t"), "QP: white space before a line end");
    }
    assert_bytes(&qp_decode(encoded), &normalise(input), "QP: does not decode to the input");
}

// ---------------------------------------------------------------------------------------------
// Whole messages
// ---------------------------------------------------------------------------------------------

/// The names of the fields that start lines in a CRLF-clean header section (before the blank
/// line); a line that neither continues a field nor has a `Name:` is reported as `!line`.
fn field_names(section: &[u8]) -> Vec<String> {
    lines(section)
        .filter(|l| !matches!(l.first(), Some(b' ' | b'\t')))
        .map(|l| match l.iter().position(|&b| b == b':') {
            Some(colon) => String::from_utf8_lossy(l.get(..colon).unwrap_or_default()).into_owned(),
            None => format!("!{}", String::from_utf8_lossy(l)),
        })
        .collect()
}

/// The header section (up to and including the CRLF before the blank line) and the rest.
fn split_head(message: &[u8]) -> (&[u8], &[u8]) {
    if message.starts_with(b"\r\n") {
        return (&[], message.get(2..).unwrap_or_default());
    }
    match message.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (message.get(..i + 2).unwrap_or_default(), message.get(i + 4..).unwrap_or_default()),
        None => (message, &[]),
    }
}

/// A fixed stamp, so rendering is deterministic.
#[must_use]
pub fn fixed_stamp() -> Stamp {
    Stamp { date: "Mon, 30 Nov 2026 09:00:00 +0000".into(), message_id: "<fuzz.1@example.test>".into() }
}

/// Fields a message has at most once (RFC 5322 §3.6, RFC 2045 §3-4).
const SINGLE_FIELDS: &[&str] = &[
    "Date",
    "From",
    "Sender",
    "Reply-To",
    "To",
    "Cc",
    "Message-ID",
    "Subject",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
];

/// The fields a rendered message must have, in order.
fn expected_fields(email: &Email) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    if email.from.is_some() {
        names.push("From".into());
    }
    for (name, list) in [("To", &email.to), ("Cc", &email.cc), ("Reply-To", &email.reply_to)] {
        if !list.is_empty() {
            names.push(name.into());
        }
    }
    if email.subject.is_some() {
        names.push("Subject".into());
    }
    if email.header("date").is_none() {
        names.push("Date".into());
    }
    if email.header("message-id").is_none() {
        names.push("Message-ID".into());
    }
    names.extend(email.headers.iter().map(|(n, _)| n.clone()));
    names.push("MIME-Version".into());
    names.push("Content-Type".into());
    let single_text = email.attachments.is_empty() && !(email.text.is_some() && email.html.is_some());
    if single_text {
        names.push("Content-Transfer-Encoding".into());
    }
    names
}

/// The rendered bytes of an email (attachments base64-encoded in lines).
#[must_use]
pub fn rendered_bytes(email: &Email) -> Vec<u8> {
    let rendered = render(email, &fixed_stamp());
    let mut out = Vec::new();
    for segment in &rendered.segments {
        match segment {
            Segment::Bytes(b) => out.extend_from_slice(b),
            Segment::Base64(Source::Data(data)) => base64_lines(data, &mut out),
            Segment::Base64(Source::File { .. }) => {}
        }
    }
    assert_eq!(rendered.size, out.len() as u64, "render: the announced size is wrong");
    out
}

/// Every line is at most 998 octets (RFC 5322 §2.1.1).
fn assert_line_lengths(message: &[u8]) {
    for (i, line) in lines(message).enumerate() {
        assert!(line.len() <= MAX_MESSAGE_LINE, "line {i} has {} octets: {:?}", line.len(), show(line));
    }
}

/// A rendered message: CRLF-clean whole lines of at most 998 octets, exactly the expected header
/// fields in order (so no user value started a field of its own), and the DATA encoder keeps it.
pub fn check_email(email: &Email) {
    let out = rendered_bytes(email);
    assert_crlf_clean(&out, "message");
    assert!(out.ends_with(b"\r\n"), "message: not whole lines");
    assert_line_lengths(&out);
    let (head, _) = split_head(&out);
    assert!(!head.contains(&0), "NUL in the header section");
    let names = field_names(head);
    assert_eq!(names, expected_fields(email), "header fields of {:?}", show(head));
    for single in SINGLE_FIELDS {
        let count = names.iter().filter(|n| n.eq_ignore_ascii_case(single)).count();
        assert!(count <= 1, "{count} {single} fields in {:?}", show(head));
    }
    assert!(!names.iter().any(|n| n.eq_ignore_ascii_case("bcc")), "a Bcc field in {:?}", show(head));
    let data = data_encode([out.as_slice()]);
    assert_data_output(&out, &data);
}

/// A legacy message: if `send()` accepts the arguments, the composed message, DATA-encoded in
/// its chunks, obeys the DATA invariants. When `own_names` is given (the message starts with a
/// header block of exactly those fields), the header section has exactly the added fields, the
/// own ones (Bcc dropped), and nothing a value of `$to`, `$from` or `$subject` could start; and
/// every line is at most 998 octets (the body's too, unless the message names its own
/// Content-Transfer-Encoding).
pub fn check_legacy(
    to: &str,
    from: &str,
    subject: &[u8],
    message: &[u8],
    eight_bit_mime: bool,
    own_names: Option<&[&str]>,
) {
    let Ok(legacy) = LegacyMessage::new(to, from, subject, message) else {
        return;
    };
    let _ = (legacy.sender(), legacy.recipients().count(), legacy.needs_smtputf8(), legacy.sender_domain());
    let options = ComposeOptions {
        date: "Mon, 30 Nov 2026 09:00:00 +0000".into(),
        message_id: "<fuzz.1@example.test>".into(),
        eight_bit_mime,
    };
    let parts = legacy.compose(&options);
    let chunks: Vec<Vec<u8>> = parts.chunks().map(|c| c.into_owned()).collect();
    let plain: Vec<u8> = chunks.concat();
    let out = data_encode(chunks.iter().map(Vec::as_slice));
    assert_data_output(&plain, &out);
    let head = normalise(&parts.head);
    assert!(head.ends_with(b"\r\n\r\n"), "legacy: head without its blank line: {:?}", show(&head));
    assert_bytes(chunks.first().map_or(&[][..], Vec::as_slice), &parts.head, "legacy: the first chunk is not the head");
    let body_out = chunks.get(1..).unwrap_or_default().concat();
    match parts.body_encoding {
        BodyEncoding::QuotedPrintable => assert_quoted_printable(parts.body, &body_out),
        BodyEncoding::AsIs => assert_bytes(&body_out, parts.body, "legacy: the body changed"),
    }

    let Some(own) = own_names else { return };
    let (section, _) = split_head(&head);
    assert_line_lengths(section);
    if !own.iter().any(|o| o.eq_ignore_ascii_case("content-transfer-encoding")) {
        // The message says nothing of its encoding: long lines go quoted-printable.
        assert_line_lengths(&normalise(&plain));
    }
    let names = field_names(section);
    let has_own = |n: &str| own.iter().any(|o| o.eq_ignore_ascii_case(n));
    let count = |n: &str| names.iter().filter(|m| m.eq_ignore_ascii_case(n)).count();
    let added =
        ["To", "From", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"];
    for name in &names {
        let known = added.iter().any(|a| a.eq_ignore_ascii_case(name)) || has_own(name);
        assert!(known && !name.eq_ignore_ascii_case("bcc"), "legacy: unexpected field {name:?} in {:?}", show(section));
    }
    for name in ["To", "From", "Date", "Message-ID"] {
        let expected = usize::from(!has_own(name)) + own.iter().filter(|o| o.eq_ignore_ascii_case(name)).count();
        assert_eq!(count(name), expected, "legacy: {name} fields in {:?}", show(section));
    }
    let own_subjects = own.iter().filter(|o| o.eq_ignore_ascii_case("subject")).count();
    let subjects = own_subjects + usize::from(own_subjects == 0 && !subject.is_empty());
    assert_eq!(count("Subject"), subjects, "legacy: Subject fields in {:?}", show(section));
}

// ---------------------------------------------------------------------------------------------
// Server targets
// ---------------------------------------------------------------------------------------------

/// `parse_targets` and `redact` never panic; a redacted `$smtp` parses to the same servers, with
/// every URL password replaced by `****`, and never holds a password.
pub fn check_targets(smtp: &str) {
    let redacted = redact(smtp);
    let parsed = parse_targets(smtp);
    let Ok(targets) = parsed else { return };
    let again = parse_targets(&redacted).unwrap_or_else(|e| panic!("redacted {redacted:?} does not parse: {e}"));
    assert_eq!(again.len(), targets.len(), "redact changed the number of servers: {redacted:?}");
    for (t, r) in targets.iter().zip(&again) {
        assert_eq!((&t.host, t.port, &t.user), (&r.host, r.port, &r.user), "redact changed a server");
        let expected = t.password.as_ref().map(|_| "****".to_owned());
        assert_eq!(r.password, expected, "redact left a password in {redacted:?}");
    }
}

/// A URL with a password that starts with `marker`: neither the error text nor `redact` ever
/// shows the marker.
pub fn check_password_hidden(smtp: &str, marker: &str) {
    let redacted = redact(smtp);
    assert!(!redacted.contains(marker), "redact({smtp:?}) = {redacted:?} shows the password");
    if let Err(e) = parse_targets(smtp) {
        assert!(!e.0.contains(marker), "the error for {smtp:?} shows the password: {}", e.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Building messages from fuzz input
// ---------------------------------------------------------------------------------------------

/// The checked parts of an email, as a caller hands them to the builder.
#[derive(Debug, Clone, Default)]
pub struct EmailInput {
    /// (address, display name) for From.
    pub from: Option<(String, Option<String>)>,
    /// To, Cc, Bcc, Reply-To: (address, display name).
    pub lists: [Vec<(String, Option<String>)>; 4],
    /// Subject.
    pub subject: Option<String>,
    /// Text body.
    pub text: Option<String>,
    /// HTML body.
    pub html: Option<String>,
    /// (name, content type, bytes, Content-ID).
    pub attachments: Vec<(String, String, Vec<u8>, Option<String>)>,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
}

/// Builds an [`Email`] the way `SendMail\Message` does: each part is checked, and a part that
/// fails its check is left out (as the PHP method would have thrown).
#[must_use]
pub fn build_email(input: &EmailInput) -> Email {
    let mailbox =
        |field, (address, name): &(String, Option<String>)| Email::mailbox(field, address, name.as_deref()).ok();
    let mut email = Email { from: input.from.as_ref().and_then(|m| mailbox("from", m)), ..Email::default() };
    let [to, cc, bcc, reply_to] = &input.lists;
    email.to = to.iter().filter_map(|m| mailbox("to", m)).collect();
    email.cc = cc.iter().filter_map(|m| mailbox("cc", m)).collect();
    email.bcc = bcc.iter().filter_map(|m| mailbox("bcc", m)).collect();
    email.reply_to = reply_to.iter().filter_map(|m| mailbox("replyTo", m)).collect();
    email.subject = input.subject.clone().filter(|s| Email::text_value("subject", s).is_ok());
    email.text = input.text.clone();
    email.html = input.html.clone();
    for (name, value) in &input.headers {
        if Email::check_header(name, value).is_ok() {
            // As `Message::header()`: a Date or Message-ID replaces an earlier one.
            if name.eq_ignore_ascii_case("date") || name.eq_ignore_ascii_case("message-id") {
                email.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            }
            email.headers.push((name.clone(), value.clone()));
        }
    }
    for (name, content_type, data, cid) in &input.attachments {
        if Email::check_attachment(name, content_type, cid.as_deref()).is_ok() {
            email.attachments.push(Attachment {
                name: name.clone(),
                content_type: content_type.clone(),
                source: Source::Data(data.as_slice().into()),
                content_id: cid.clone(),
            });
        }
    }
    email
}

/// Equal bytes, shown readably when not.
pub fn assert_bytes(got: &[u8], expected: &[u8], what: &str) {
    assert!(got == expected, "{what}\n     got: {:?}\nexpected: {:?}", show(got), show(expected));
}

/// Bytes as a readable string for messages.
#[must_use]
pub fn show(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.len() > 600 {
        format!("{}…({} bytes)", text.chars().take(600).collect::<String>(), bytes.len())
    } else {
        text.into_owned()
    }
}
