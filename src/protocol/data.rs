//! The DATA encoder: CRLF line ends, dot-stuffing and the final `.` line, as a stream (RFC 5321 §4.5.2).

/// Normalises line ends to CRLF: CRLF stays, a bare CR or a bare LF becomes CRLF.
///
/// Works on a stream: a CR at the end of one chunk and an LF at the start of the next make one CRLF.
#[derive(Debug, Clone, Default)]
pub struct LineEnds {
    after_cr: bool,
}

impl LineEnds {
    /// Appends `input` to `out` with its line ends normalised.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let mut state = Encoder { after_cr: self.after_cr, at_line_start: false, stuff_dots: false };
        state.push(input, out);
        self.after_cr = state.after_cr;
    }
}

/// Encodes a message for DATA: CRLF line ends, a `.` doubled at the start of a line, and one `CRLF.CRLF`.
///
/// Feed the message in any number of chunks with [`push`](Self::push), then call
/// [`finish`](Self::finish). The output never holds a bare CR or LF, and never a line that is a
/// lone `.` before the end, whatever the input (RFC 5321 §4.5.2, and the SMTP smuggling cases).
#[derive(Debug, Clone)]
pub struct DataEncoder {
    state: Encoder,
}

impl Default for DataEncoder {
    fn default() -> Self {
        DataEncoder { state: Encoder { after_cr: false, at_line_start: true, stuff_dots: true } }
    }
}

impl DataEncoder {
    /// Appends one chunk of the message, encoded, to `out`.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.state.push(input, out);
    }

    /// Ends the message: a CRLF if the last line has none, then `.` CRLF.
    pub fn finish(self, out: &mut Vec<u8>) {
        if !self.state.at_line_start {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b".\r\n");
    }
}

#[derive(Debug, Clone)]
struct Encoder {
    /// The last byte seen was a CR (already written as CRLF): an LF that follows belongs to it.
    after_cr: bool,
    /// The output ends at the start of a line.
    at_line_start: bool,
    /// Double a `.` at the start of a line.
    stuff_dots: bool,
}

impl Encoder {
    fn push(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        out.reserve(input.len() + input.len() / 32 + 4);
        while !input.is_empty() {
            if self.after_cr {
                self.after_cr = false;
                if let Some(rest) = input.strip_prefix(b"\n") {
                    input = rest;
                    continue;
                }
            }
            if self.at_line_start && self.stuff_dots && input.first() == Some(&b'.') {
                out.push(b'.');
            }
            let end = input.iter().position(|&b| b == b'\r' || b == b'\n').unwrap_or(input.len());
            let (text, rest) = input.split_at(end);
            out.extend_from_slice(text);
            if !text.is_empty() {
                self.at_line_start = false;
            }
            let Some((&line_end, rest)) = rest.split_first() else {
                break;
            };
            out.extend_from_slice(b"\r\n");
            self.at_line_start = true;
            self.after_cr = line_end == b'\r';
            input = rest;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn encode(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = DataEncoder::default();
        encoder.push(input, &mut out);
        encoder.finish(&mut out);
        out
    }

    fn encode_in_chunks(input: &[u8], size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = DataEncoder::default();
        for chunk in input.chunks(size) {
            encoder.push(chunk, &mut out);
        }
        encoder.finish(&mut out);
        out
    }

    const CASES: &[(&[u8], &[u8])] = &[
        (b"", b".\r\n"),
        (b"hello", b"hello\r\n.\r\n"),
        (b"hello\r\n", b"hello\r\n.\r\n"),
        (b"hello\n", b"hello\r\n.\r\n"),
        (b"a\nb\rc\r\nd", b"a\r\nb\r\nc\r\nd\r\n.\r\n"),
        (b"a\r\r\nb", b"a\r\n\r\nb\r\n.\r\n"),
        (b"a\n\rb", b"a\r\n\r\nb\r\n.\r\n"),
        (b"a\n\nb", b"a\r\n\r\nb\r\n.\r\n"),
        (b".", b"..\r\n.\r\n"),
        (b".\r\n", b"..\r\n.\r\n"),
        (b"a\n.\nb", b"a\r\n..\r\nb\r\n.\r\n"),
        (b"a\r\n.\r\nb", b"a\r\n..\r\nb\r\n.\r\n"),
        (b".leading\n..two\nmid.dle.\n", b"..leading\r\n...two\r\nmid.dle.\r\n.\r\n"),
        (b"a\n.", b"a\r\n..\r\n.\r\n"),
        (b"x\r.\r", b"x\r\n..\r\n.\r\n"),
        // SMTP smuggling: every variant of an early end-of-data becomes a stuffed line.
        (b"a\n.\r\nMAIL FROM:<x@y>", b"a\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n"),
        (b"a\r\n.\nMAIL", b"a\r\n..\r\nMAIL\r\n.\r\n"),
        (b"a\r.\r\nMAIL", b"a\r\n..\r\nMAIL\r\n.\r\n"),
        (b"a\r\n.\rMAIL", b"a\r\n..\r\nMAIL\r\n.\r\n"),
        (b"a\r\n\x00.\r\n", b"a\r\n\x00.\r\n.\r\n"),
    ];

    #[test]
    fn table() {
        for (input, expected) in CASES {
            assert_eq!(encode(input), *expected, "input {:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn chunking_never_changes_the_output() {
        for (input, expected) in CASES {
            for size in 1..=input.len().max(1) {
                assert_eq!(encode_in_chunks(input, size), *expected, "input {input:?} chunk {size}");
            }
        }
    }

    fn unstuff(encoded: &[u8]) -> Vec<u8> {
        let body = encoded.strip_suffix(b".\r\n").unwrap();
        let mut out = Vec::new();
        for line in body.split_inclusive(|&b| b == b'\n') {
            out.extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
        }
        out
    }

    fn normalised(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        LineEnds::default().push(input, &mut out);
        out
    }

    #[test]
    fn properties_over_random_inputs() {
        let alphabet = b"\r\n.a \x00";
        let mut seed = 0x9e37_79b9_u32;
        for _ in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let len = (seed % 24) as usize;
            let input: Vec<u8> =
                (0..len).map(|i| alphabet[((seed >> (i % 24)) as usize + i * 7) % alphabet.len()]).collect();
            let out = encode_in_chunks(&input, (seed % 5 + 1) as usize);
            for (i, &b) in out.iter().enumerate() {
                if b == b'\r' {
                    assert_eq!(out.get(i + 1), Some(&b'\n'), "bare CR in {out:?}");
                }
                if b == b'\n' {
                    assert!(i > 0 && out[i - 1] == b'\r', "bare LF in {out:?}");
                }
            }
            let end = out.windows(5).position(|w| w == b"\r\n.\r\n");
            assert!(end.is_none() || end == Some(out.len() - 5), "early end in {out:?}");
            assert!(!out.starts_with(b".\r\n") || out.len() == 3, "early end in {out:?}");
            let mut expected = normalised(&input);
            if !expected.is_empty() && !expected.ends_with(b"\r\n") {
                expected.extend_from_slice(b"\r\n");
            }
            assert_eq!(unstuff(&out), expected, "round trip of {input:?}");
        }
    }

    #[test]
    fn line_ends_alone_do_not_stuff() {
        assert_eq!(normalised(b".a\n.\rb\r\n"), b".a\r\n.\r\nb\r\n");
        let mut out = Vec::new();
        let mut ends = LineEnds::default();
        ends.push(b"a\r", &mut out);
        ends.push(b"\nb", &mut out);
        assert_eq!(out, b"a\r\nb");
    }
}
