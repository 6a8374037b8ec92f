//! Turns the fuzzer's bytes into the values a target needs: small numbers, flags, byte strings
//! and text, plus addresses and mailboxes biased toward ones the checks accept (an arbitrary
//! string is almost never an address, and a target that only ever saw refusals would test little).

/// A cursor over fuzz input. Reads past the end give zeros and empty strings.
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    /// Reads from `data`.
    #[must_use]
    pub fn new(data: &'a [u8]) -> Self {
        Input { data }
    }

    /// One byte.
    pub fn byte(&mut self) -> u8 {
        let (&b, rest) = self.data.split_first().unwrap_or((&0, &[]));
        self.data = rest;
        b
    }

    /// A flag.
    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        let v = usize::from(self.byte()) << 8 | usize::from(self.byte());
        v % n.max(1)
    }

    /// Up to `max` cut points for splitting a stream.
    pub fn cut_points(&mut self, max: usize) -> Vec<usize> {
        let n = self.below(max + 1);
        (0..n).map(|_| self.below(1 << 16)).collect()
    }

    /// A length-prefixed byte string (one or two length bytes); long strings are possible.
    pub fn bytes(&mut self) -> &'a [u8] {
        let mut len = usize::from(self.byte());
        if len == 255 {
            len = self.below(1 << 16);
        }
        let len = len.min(self.data.len());
        let (head, rest) = self.data.split_at(len);
        self.data = rest;
        head
    }

    /// A length-prefixed string (invalid UTF-8 replaced).
    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(self.bytes()).into_owned()
    }

    /// All that is left.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }

    /// Text over an alphabet, each byte choosing a piece.
    pub fn pick_text(&mut self, pieces: &[&str]) -> String {
        self.bytes().iter().map(|&b| pieces.get(usize::from(b) % pieces.len().max(1)).copied().unwrap_or("")).collect()
    }

    /// An address: usually well-formed, sometimes arbitrary text.
    pub fn address(&mut self) -> String {
        match self.byte() % 8 {
            0 => self.text(),
            1 => format!("\"{}\"@{}", self.pick_text(&["a", " ", "\\\"", "@", "é", ","]), self.domain()),
            _ => {
                let local = self.pick_text(&["a", "b", "z", "0", ".", "+", "-", "_", "é", "'", "="]);
                let local = if local.is_empty() { "x".to_owned() } else { local };
                format!("{local}@{}", self.domain())
            }
        }
    }

    fn domain(&mut self) -> String {
        match self.byte() % 6 {
            0 => "[192.0.2.1]".into(),
            1 => "bücher.example".into(),
            _ => {
                let labels = self.pick_text(&["a", "b", "x", "0", "-", ".", "ü"]);
                format!("{}example", if labels.is_empty() { String::new() } else { format!("{labels}.") })
            }
        }
    }

    /// A display name: text biased toward quotes, specials, non-ASCII and line breaks.
    pub fn display_name(&mut self) -> Option<String> {
        match self.byte() % 4 {
            0 => None,
            1 => Some(self.text()),
            _ => Some(self.pick_text(&[
                "a",
                "B",
                " ",
                "\"",
                "\\",
                ",",
                "<",
                ">",
                "@",
                ":",
                ";",
                "=?",
                "?=",
                "é",
                "日",
                "\r\n",
                "\t",
                "\0",
                "\u{2028}",
                "w w w w w w w w",
            ])),
        }
    }

    /// A mailbox as a script writes it: `a@x`, `Name <a@x>`, `"Q, N" <a@x>`, or arbitrary text.
    pub fn mailbox_text(&mut self) -> String {
        match self.byte() % 5 {
            0 => self.text(),
            1 => self.address(),
            2 => format!("\"{}\" <{}>", self.display_name().unwrap_or_default().replace('"', "\\\""), self.address()),
            _ => format!("{} <{}>", self.display_name().unwrap_or_default(), self.address()),
        }
    }

    /// A comma-separated list of mailboxes.
    pub fn mailbox_list(&mut self) -> String {
        let n = 1 + self.below(4);
        (0..n).map(|_| self.mailbox_text()).collect::<Vec<_>>().join(", ")
    }
}
