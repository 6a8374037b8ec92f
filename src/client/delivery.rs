//! Sending a built message: the envelope from its addresses (Bcc included), each recipient's
//! reply kept, SIZE checked before DATA, SMTPUTF8 or punycode, attachments streamed from disk.

use std::{
    fs::File,
    io::{Read, Seek, SeekFrom},
};

use super::{
    connection::{encode_group, first_stage},
    error::Error,
    observer::{Event, Observer},
    session::{DataWriter, Session},
};
use crate::{
    message::{
        address::EnvelopeAddress,
        dkim::Signer,
        dsn::Dsn,
        email::{Email, Source},
        legacy::InputError,
        mailbox::Mailbox,
        mime::{base64_lines, render, Rendered, Segment, Stamp, BASE64_LINE_INPUT},
        raw::RawMessage,
    },
    protocol::{Command, MailParams, RcptParams, Reply, ReplyCode, Stage},
};

/// Attachment bytes read per step: a whole number of base64 lines.
const READ_CHUNK: usize = BASE64_LINE_INPUT * 1150;

/// Messages up to this size go with their envelope in one write when the server offers
/// CHUNKING and PIPELINING; larger ones wait for the envelope's replies first.
pub(super) const INLINE_CHUNK: u64 = 1024 * 1024;

/// Refused recipients with the server's replies.
pub(super) type Refusals = Vec<(String, Reply)>;

/// What the server did with a message.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The reply to the end of data.
    pub reply: Reply,
    /// Recipients the server accepted.
    pub accepted: Vec<String>,
    /// Recipients the server refused, with its reply.
    pub rejected: Vec<(String, Reply)>,
    /// The DSN parameters (RFC 3461) went with the message: it asked for them and the server
    /// offers DSN.
    pub dsn: bool,
}

/// What goes out for one message: its envelope and its bytes.
struct Outgoing<'r, 'f> {
    sender: EnvelopeAddress,
    recipients: Vec<EnvelopeAddress>,
    rendered: Rendered<'r>,
    /// The body holds 8-bit bytes (MAIL gets `BODY=8BITMIME` when the server offers it, as
    /// it does for UTF-8 headers under SMTPUTF8).
    eight_bit: bool,
    /// The attachment files, open.
    files: Vec<(&'f Source, File)>,
    /// The notifications the message asks for; sent when the server offers DSN.
    dsn: Option<&'r Dsn>,
}

/// A message sent up to its last byte.
enum Sent {
    /// The whole exchange is over (one pipelined group with BDAT).
    Done(Delivery),
    /// The server's verdict on the message is still to be read.
    Owed(Owed),
}

/// A message whose last byte went out; the server's reply to it is still to be read.
#[derive(Debug)]
pub(super) struct Owed {
    accepted: Vec<String>,
    rejected: Refusals,
    /// The DSN parameters went out.
    dsn: bool,
    /// What ended the message, for an error: `.` or `BDAT n LAST`.
    end: String,
}

impl Owed {
    /// The delivery, given the server's reply to the end of the message.
    fn verdict(self, reply: Result<Reply, Error>) -> Result<Delivery, Error> {
        let reply = reply?;
        if !reply.is_positive() {
            return Err(Error::Rejected { stage: Stage::Data, command: self.end, reply });
        }
        Ok(Delivery { reply, accepted: self.accepted, rejected: self.rejected, dsn: self.dsn })
    }
}

/// The group ends with a whole message (`BDAT n LAST` and its bytes).
fn carries_message(commands: &[(&Command, Stage)]) -> bool {
    commands.iter().any(|(command, _)| matches!(command, Command::BdatLast(_)))
}

/// A connection that failed while the replies to a whole message were awaited: a failure at
/// the end of data, whatever reply was due.
fn message_out(error: Error) -> Error {
    let data = Stage::Data;
    match error {
        Error::Closed { stage: Stage::Mail | Stage::Rcpt } => Error::Closed { stage: data },
        Error::Io { stage: Stage::Mail | Stage::Rcpt, reason } => Error::Io { stage: data, reason },
        Error::Timeout { stage: Stage::Mail | Stage::Rcpt, seconds } => Error::Timeout { stage: data, seconds },
        other => other,
    }
}

fn input(reason: String) -> Error {
    Error::Input(InputError { argument: "message", reason })
}

impl Session {
    /// Sends a built message. Refused recipients are reported, the others still get the message;
    /// when every recipient is refused nothing is sent.
    ///
    /// # Errors
    /// An incomplete message, an address the server cannot take, a message over the server's
    /// SIZE, an unreadable attachment, a refused MAIL, DATA or message, or a network failure.
    pub fn send_email(&mut self, email: &Email, stamp: &Stamp, observer: &mut dyn Observer) -> Result<Delivery, Error> {
        self.settle(observer);
        match self.begin_email(email, stamp, observer)? {
            Sent::Done(delivery) => Ok(delivery),
            Sent::Owed(owed) => {
                let reply = self.conn.read_reply(Stage::Data, observer);
                owed.verdict(reply)
            }
        }
    }

    /// As [`send_email`](Self::send_email), but when the server offers PIPELINING the reply to
    /// the end of the message is not waited for: it is read before the replies to the next
    /// message's envelope, which goes out right behind the message (RFC 2920 §3.1 lets message
    /// content start a group), so each message costs one round trip. `Ok(None)`: the message is
    /// out and its outcome comes from [`take_settled`](Self::take_settled) once known — after
    /// the next message's envelope, or [`settle`](Self::settle).
    ///
    /// # Errors
    /// As [`send_email`](Self::send_email).
    pub fn send_email_pipelined(
        &mut self,
        email: &Email,
        stamp: &Stamp,
        observer: &mut dyn Observer,
    ) -> Result<Option<Delivery>, Error> {
        if !self.capabilities.pipelining() {
            return self.send_email(email, stamp, observer).map(Some);
        }
        match self.begin_email(email, stamp, observer)? {
            Sent::Done(delivery) => Ok(Some(delivery)),
            Sent::Owed(owed) => {
                self.owed = Some(owed);
                Ok(None)
            }
        }
    }

    /// Reads the verdict on a message sent by [`send_email_pipelined`](Self::send_email_pipelined)
    /// if one is still owed; [`take_settled`](Self::take_settled) then has it.
    pub fn settle(&mut self, observer: &mut dyn Observer) {
        if let Some(owed) = self.owed.take() {
            let reply = self.conn.read_reply(Stage::Data, observer);
            self.settled = Some(owed.verdict(reply));
        }
    }

    /// The outcome of the message sent by [`send_email_pipelined`](Self::send_email_pipelined),
    /// once its reply was read.
    pub fn take_settled(&mut self) -> Option<Result<Delivery, Error>> {
        self.settled.take()
    }

    /// The connection is being given up: a verdict still owed will never come. The message may
    /// have been accepted, so it is reported as lost at DATA (never to be sent again).
    pub fn abandon_owed(&mut self) {
        if self.owed.take().is_some() {
            self.settled = Some(Err(Error::Closed { stage: Stage::Data }));
        }
    }

    /// Everything up to the last byte of the message; the verdict is read by the caller, unless
    /// the whole exchange was one pipelined group.
    fn begin_email(&mut self, email: &Email, stamp: &Stamp, observer: &mut dyn Observer) -> Result<Sent, Error> {
        email.check_ready().map_err(|e| input(e.to_string()))?;
        let ascii;
        let email = match self.ascii_copy(email)? {
            Some(copy) => {
                ascii = copy;
                &ascii
            }
            None => email,
        };
        let files = open_files(email)?;
        let sender = email.envelope_sender().cloned().ok_or_else(|| input("no sender".into()))?;
        let rendered = render(email, stamp);
        let recipients: Vec<EnvelopeAddress> = email.recipients().into_iter().cloned().collect();
        let dsn = email.dsn.as_ref();
        // The MIME writer encodes every body 7bit or quoted-printable.
        self.begin(Outgoing { sender, recipients, rendered, eight_bit: false, files, dsn }, observer)
    }

    /// A message, its envelope and its files, up to its last byte: SIZE checked, MAIL with the
    /// parameters the server takes, the recipients, then the message after DATA or as
    /// `BDAT n LAST` (in one write with the envelope when the server pipelines and it is small).
    /// DSN parameters go only to a server that offers DSN: another would refuse MAIL or RCPT
    /// (RFC 5321 §4.1.1.11), and the message matters more than its reports.
    fn begin(&mut self, out: Outgoing<'_, '_>, observer: &mut dyn Observer) -> Result<Sent, Error> {
        let Outgoing { sender, recipients, mut rendered, eight_bit, mut files, dsn } = out;
        self.messages += 1;
        if let Some(signer) = &self.signer {
            sign(signer, &mut rendered, &mut files)?;
        }
        let caps = &self.capabilities;
        if let Some(limit) = caps.size().filter(|&l| l > 0 && rendered.size > l) {
            return Err(Error::Refused {
                stage: Stage::Mail,
                reason: format!("the message is {} bytes, over the server's SIZE limit of {limit}", rendered.size),
            });
        }
        let smtputf8 = caps.smtputf8()
            && (rendered.utf8_headers || sender.needs_smtputf8() || recipients.iter().any(|a| a.needs_smtputf8()));
        let dsn = dsn.filter(|_| caps.dsn());
        let params = MailParams {
            eight_bit: caps.eight_bit_mime() && (eight_bit || smtputf8),
            smtputf8,
            size: caps.size().map(|_| usize::try_from(rendered.size).unwrap_or(usize::MAX)),
            ret: dsn.and_then(|d| d.ret),
            envid: dsn.and_then(|d| d.envid.clone()),
        };
        let mail = Command::Mail(sender, params);
        let rcpt_params = RcptParams { notify: dsn.and_then(|d| d.notify), orcpt: dsn.is_some() };
        let rcpts: Vec<Command> = recipients.into_iter().map(|r| Command::Rcpt(r, rcpt_params.clone())).collect();
        let dsn = dsn.is_some();
        let (chunking, pipelining) = (caps.chunking(), caps.pipelining());
        if chunking && pipelining && rendered.size <= INLINE_CHUNK {
            return self.pipelined_chunk(&mail, &rcpts, &rendered, &mut files, observer).map(|mut delivery| {
                delivery.dsn = dsn;
                Sent::Done(delivery)
            });
        }
        let (accepted, rejected) = if pipelining {
            self.pipelined_envelope(&mail, &rcpts, !chunking, observer)?
        } else {
            self.expect(&mail, Stage::Mail, |code| code == ReplyCode::OK, observer)?;
            let (accepted, rejected) = self.recipients(&rcpts, observer)?;
            if accepted.is_empty() {
                return Err(Error::RecipientsRejected { rejected });
            }
            if !chunking {
                self.expect(&Command::Data, Stage::Data, |code| code == ReplyCode::START_MAIL_INPUT, observer)?;
            }
            (accepted, rejected)
        };
        self.write_segments(&rendered.segments, &mut files, rendered.size, chunking, observer)?;
        let end = if chunking { Command::BdatLast(rendered.size).display() } else { ".".into() };
        Ok(Sent::Owed(Owed { accepted, rejected, dsn, end }))
    }

    /// Sends ready-made RFC 5322 bytes with an explicit envelope: line ends made CRLF, checked
    /// by [`RawMessage`], dot-stuffed after DATA or sent as `BDAT n LAST`. Refused recipients
    /// are reported, the others still get the message.
    ///
    /// # Errors
    /// As [`send_email`](Self::send_email); 8-bit bytes for a server without 8BITMIME; an
    /// address that needs SMTPUTF8 (a non-ASCII local part) when the server lacks it.
    pub fn send_raw(&mut self, raw: &RawMessage, observer: &mut dyn Observer) -> Result<Delivery, Error> {
        self.settle(observer);
        let caps = &self.capabilities;
        if raw.eight_bit() && !caps.eight_bit_mime() && !caps.smtputf8() {
            return Err(input(
                "the message has 8-bit bytes and the server offers neither 8BITMIME nor SMTPUTF8".into(),
            ));
        }
        let ascii = |address: &EnvelopeAddress| -> Result<EnvelopeAddress, Error> {
            if caps.smtputf8() || !address.needs_smtputf8() {
                return Ok(address.clone());
            }
            address
                .to_ascii()
                .ok_or_else(|| input(format!("<{address}> needs SMTPUTF8, which the server does not offer")))
        };
        let sender = ascii(raw.sender())?;
        let recipients = raw.recipients().iter().map(ascii).collect::<Result<Vec<_>, _>>()?;
        let rendered = Rendered {
            segments: vec![Segment::Bytes(raw.bytes().to_vec())],
            size: raw.size(),
            utf8_headers: raw.eight_bit_head(),
        };
        let out = Outgoing { sender, recipients, rendered, eight_bit: raw.eight_bit(), files: Vec::new(), dsn: None };
        match self.begin(out, observer)? {
            Sent::Done(delivery) => Ok(delivery),
            Sent::Owed(owed) => {
                let reply = self.conn.read_reply(Stage::Data, observer);
                owed.verdict(reply)
            }
        }
    }

    /// MAIL, every RCPT, `BDAT n LAST` and the whole message in one write (RFC 2920, RFC 3030),
    /// then the replies in order: one round trip. When every recipient is refused the server
    /// discards the chunk.
    pub(super) fn pipelined_chunk(
        &mut self,
        mail: &Command,
        rcpts: &[Command],
        rendered: &Rendered<'_>,
        files: &mut [(&Source, File)],
        observer: &mut dyn Observer,
    ) -> Result<Delivery, Error> {
        let bdat = Command::BdatLast(rendered.size);
        let mut commands = vec![(mail, Stage::Mail)];
        commands.extend(rcpts.iter().map(|r| (r, Stage::Rcpt)));
        commands.push((&bdat, Stage::Data));
        let size = usize::try_from(rendered.size).unwrap_or(usize::MAX);
        // The commands and the message in one buffer, the message encoded straight into it.
        let mut out = encode_group(&commands, size, observer);
        observer.on_event(Event::Message { head: message_head(&rendered.segments), size });
        let start = out.len();
        for_each_piece(&rendered.segments, files, |piece| {
            out.extend_from_slice(piece);
            Ok(())
        })?;
        if out.len() - start != size {
            return Err(input("the message changed size while it was read (an attachment file?)".into()));
        }
        let mut replies = self.pipeline(&commands, &out, observer)?.into_iter();
        check_mail(mail, replies.next())?;
        let (accepted, rejected) = sort_recipients(rcpts, &mut replies)?;
        let reply = replies.next().ok_or(Error::Closed { stage: Stage::Data })?;
        if accepted.is_empty() {
            return Err(Error::RecipientsRejected { rejected });
        }
        if !reply.is_positive() {
            return Err(Error::Rejected { stage: Stage::Data, command: bdat.display(), reply });
        }
        Ok(Delivery { reply, accepted, rejected, dsn: false })
    }

    /// MAIL, every RCPT and (with `data`) DATA in one write (RFC 2920), then their replies in
    /// order. Returns when the server is ready for the message; when no recipient was accepted
    /// but DATA was, the empty message is ended at once so the server has nothing to deliver.
    pub(super) fn pipelined_envelope(
        &mut self,
        mail: &Command,
        rcpts: &[Command],
        data: bool,
        observer: &mut dyn Observer,
    ) -> Result<(Vec<String>, Refusals), Error> {
        let mut commands = vec![(mail, Stage::Mail)];
        commands.extend(rcpts.iter().map(|r| (r, Stage::Rcpt)));
        if data {
            commands.push((&Command::Data, Stage::Data));
        }
        let out = encode_group(&commands, 0, observer);
        let replies = self.pipeline(&commands, &out, observer)?;
        // The server is in its data phase when every reply came and the last is a 354, whatever
        // it said before (a broken server may take DATA after refusing MAIL).
        let in_data = data
            && replies.len() == commands.len()
            && replies.last().is_some_and(|r| r.code() == ReplyCode::START_MAIL_INPUT);
        let mut replies = replies.into_iter();
        let envelope = check_mail(mail, replies.next()).and_then(|()| sort_recipients(rcpts, &mut replies));
        let failure = match &envelope {
            Err(_) => true,
            Ok((accepted, _)) => accepted.is_empty() || (data && !in_data),
        };
        if !failure {
            return envelope;
        }
        if in_data {
            // End the empty message at once: the server has nothing to deliver, and the next
            // command is not taken for message text. Its reply does not change the outcome.
            self.conn.write(b".\r\n", Stage::Data)?;
            self.conn.read_reply(Stage::Data, observer)?;
        }
        let (_, rejected) = envelope?;
        match replies.next() {
            Some(reply) if !in_data && rejected.len() < rcpts.len() => {
                Err(Error::Rejected { stage: Stage::Data, command: "DATA".into(), reply })
            }
            None if data && rejected.len() < rcpts.len() => Err(Error::Closed { stage: Stage::Data }),
            _ => Err(Error::RecipientsRejected { rejected }),
        }
    }

    /// A group written as `out` (commands, and a BDAT payload), then the commands' replies. A
    /// verdict still owed on the previous message is read first: it comes before these replies.
    /// When that read fails the connection is gone: a connection closed at MAIL for this message
    /// (safe to send again), unless the group carried the whole message (then at DATA: the
    /// server may have it).
    fn pipeline(
        &mut self,
        commands: &[(&Command, Stage)],
        out: &[u8],
        observer: &mut dyn Observer,
    ) -> Result<Vec<Reply>, Error> {
        let owed = self.owed.take();
        let written = self.conn.write(out, first_stage(commands));
        if let Some(owed) = owed {
            if let Err(error) = written {
                self.settled = Some(Err(Error::Closed { stage: Stage::Data }));
                return Err(error);
            }
            let reply = self.conn.read_reply(Stage::Data, observer);
            let broken = reply.is_err();
            self.settled = Some(owed.verdict(reply));
            if broken {
                // A group that carried a whole message may have delivered it all the same.
                let stage = if carries_message(commands) { Stage::Data } else { Stage::Mail };
                return Err(Error::Closed { stage });
            }
        } else {
            written?;
        }
        let replies = self.conn.read_group(commands, observer);
        if carries_message(commands) {
            // The whole message went out with the envelope: without its replies nobody knows
            // whether the server took it, so the failure is the message's, never a stale
            // connection's (which would send it again).
            return replies.map_err(message_out);
        }
        replies
    }

    /// One RCPT per recipient; each reply kept. A 421 ends the transaction at once.
    fn recipients(&mut self, rcpts: &[Command], observer: &mut dyn Observer) -> Result<(Vec<String>, Refusals), Error> {
        let mut sorted = (Vec::new(), Vec::new());
        for rcpt in rcpts {
            let reply = self.conn.command(rcpt, Stage::Rcpt, observer)?;
            sort_recipient(rcpt, reply, &mut sorted)?;
        }
        Ok(sorted)
    }

    /// Without SMTPUTF8 on the server: a copy with punycode domains, or an error for an
    /// address whose local part is not ASCII. `None` when nothing needs changing.
    fn ascii_copy(&self, email: &Email) -> Result<Option<Email>, Error> {
        let all = || {
            email
                .from
                .iter()
                .chain(&email.sender)
                .chain(&email.to)
                .chain(&email.cc)
                .chain(&email.bcc)
                .chain(&email.reply_to)
        };
        let return_path_ascii = email.return_path.as_ref().is_none_or(|a| !a.needs_smtputf8());
        if self.capabilities.smtputf8() || (return_path_ascii && all().all(|m| !m.address.needs_smtputf8())) {
            return Ok(None);
        }
        let convert = |list: &[Mailbox]| -> Result<Vec<Mailbox>, Error> {
            list.iter()
                .map(|m| {
                    let address = m.address.to_ascii().ok_or_else(|| {
                        input(format!("<{}> needs SMTPUTF8, which the server does not offer", m.address))
                    })?;
                    Ok(Mailbox { name: m.name.clone(), address })
                })
                .collect()
        };
        let mut copy = email.clone();
        let one = |mailbox: &Option<Mailbox>| -> Result<Option<Mailbox>, Error> {
            match mailbox {
                Some(m) => Ok(convert(std::slice::from_ref(m))?.pop()),
                None => Ok(None),
            }
        };
        copy.from = one(&email.from)?;
        copy.sender = one(&email.sender)?;
        copy.return_path = match &email.return_path {
            Some(address) => Some(
                address
                    .to_ascii()
                    .ok_or_else(|| input(format!("<{address}> needs SMTPUTF8, which the server does not offer")))?,
            ),
            None => None,
        };
        copy.to = convert(&email.to)?;
        copy.cc = convert(&email.cc)?;
        copy.bcc = convert(&email.bcc)?;
        copy.reply_to = convert(&email.reply_to)?;
        Ok(Some(copy))
    }

    /// The segments through the DATA encoder, or as the payload of `BDAT n LAST` (`chunk`);
    /// attachment files are read and encoded in chunks.
    fn write_segments(
        &mut self,
        segments: &[Segment<'_>],
        files: &mut [(&Source, File)],
        size: u64,
        chunk: bool,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        observer.on_event(Event::Message {
            head: message_head(segments),
            size: usize::try_from(size).unwrap_or(usize::MAX),
        });
        let mut data = if chunk {
            let command = Command::BdatLast(size);
            observer.on_event(Event::Sent(&command.display()));
            let mut line = Vec::with_capacity(32);
            command.write_to(&mut line);
            self.conn.write(&line, Stage::Data)?;
            DataWriter::chunk(&mut self.conn, size)
        } else {
            DataWriter::new(&mut self.conn, usize::try_from(size).unwrap_or(usize::MAX))
        };
        for_each_piece(segments, files, |piece| data.push(piece))?;
        data.finish()
    }
}

/// Puts a DKIM signature before the message: a first pass over every piece (attachments read
/// from disk as they go, never held whole) hashes what the second pass will send.
fn sign(signer: &Signer, rendered: &mut Rendered<'_>, files: &mut [(&Source, File)]) -> Result<(), Error> {
    let mut signing = signer.start();
    let mut size = 0u64;
    for_each_piece(&rendered.segments, files, |piece| {
        signing.write(piece);
        size += piece.len() as u64;
        Ok(())
    })?;
    if size != rendered.size {
        return Err(input("the message changed size while it was read (an attachment file?)".into()));
    }
    for (source, file) in files.iter_mut() {
        file.seek(SeekFrom::Start(0)).map_err(|e| match source {
            Source::File { path, .. } => input(format!("attachment {}: {e}", path.display())),
            Source::Data(_) => input(e.to_string()),
        })?;
    }
    let header = signing.finish().map_err(|e| Error::Signing(e.to_string()))?;
    rendered.size += header.len() as u64;
    match rendered.segments.first_mut() {
        Some(Segment::Bytes(head)) => {
            head.splice(0..0, header);
        }
        _ => rendered.segments.insert(0, Segment::Bytes(header)),
    }
    Ok(())
}

/// The header block of a rendered message, for the debug output.
fn message_head<'s>(segments: &'s [Segment<'_>]) -> &'s [u8] {
    match segments.first() {
        Some(Segment::Bytes(bytes)) => head_of(bytes),
        _ => &[],
    }
}

/// The header block of message bytes, up to and with the blank line (all of it when there is none).
pub(super) fn head_of(message: &[u8]) -> &[u8] {
    let end = message.windows(4).position(|w| w == b"\r\n\r\n").map_or(message.len(), |i| i + 4);
    message.get(..end).unwrap_or_default()
}

/// The pipelined reply to MAIL must be 250.
fn check_mail(mail: &Command, reply: Option<Reply>) -> Result<(), Error> {
    let reply = reply.ok_or(Error::Closed { stage: Stage::Mail })?;
    if reply.code() == ReplyCode::OK {
        Ok(())
    } else {
        Err(Error::Rejected { stage: Stage::Mail, command: mail.display(), reply })
    }
}

/// The pipelined RCPT replies: recipients accepted and refused. A 421 ends the transaction.
fn sort_recipients(
    rcpts: &[Command],
    replies: &mut impl Iterator<Item = Reply>,
) -> Result<(Vec<String>, Refusals), Error> {
    let mut sorted = (Vec::new(), Vec::new());
    for rcpt in rcpts {
        let reply = replies.next().ok_or(Error::Closed { stage: Stage::Rcpt })?;
        sort_recipient(rcpt, reply, &mut sorted)?;
    }
    Ok(sorted)
}

/// One RCPT's reply: the recipient accepted or refused; a 421 ends the transaction.
pub(super) fn sort_recipient(
    rcpt: &Command,
    reply: Reply,
    (accepted, rejected): &mut (Vec<String>, Refusals),
) -> Result<(), Error> {
    let Command::Rcpt(address, _) = rcpt else { return Ok(()) };
    match reply.code() {
        ReplyCode::OK | ReplyCode::USER_NOT_LOCAL => accepted.push(address.to_string()),
        ReplyCode::SERVICE_UNAVAILABLE => {
            return Err(Error::Rejected { stage: Stage::Rcpt, command: rcpt.display(), reply })
        }
        _ => rejected.push((address.to_string(), reply)),
    }
    Ok(())
}

/// The message in pieces, as rendered: bytes as they are, attachments base64-encoded in runs
/// of whole lines, files read as they go.
fn for_each_piece(
    segments: &[Segment<'_>],
    files: &mut [(&Source, File)],
    mut sink: impl FnMut(&[u8]) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut encoded = Vec::with_capacity(READ_CHUNK / 3 * 4 + READ_CHUNK / 28);
    for segment in segments {
        match segment {
            Segment::Bytes(bytes) => sink(bytes)?,
            Segment::Base64(Source::Data(bytes)) => {
                for chunk in bytes.chunks(READ_CHUNK) {
                    encoded.clear();
                    base64_lines(chunk, &mut encoded);
                    sink(&encoded)?;
                }
            }
            Segment::Base64(source @ Source::File { path, .. }) => {
                let file = files
                    .iter_mut()
                    .find(|(s, _)| std::ptr::eq(*s, *source))
                    .map(|(_, f)| f)
                    .ok_or_else(|| input("attachment file missing".into()))?;
                let mut buf = vec![0u8; READ_CHUNK];
                let mut reader = file.take(source.len());
                let mut left = source.len();
                while left > 0 {
                    let n = fill(&mut reader, &mut buf).map_err(|e| Error::Io {
                        stage: Stage::Data,
                        reason: format!("reading {}: {e}", path.display()),
                    })?;
                    if n == 0 {
                        return Err(Error::Io {
                            stage: Stage::Data,
                            reason: format!("{} became shorter while it was sent", path.display()),
                        });
                    }
                    left -= n as u64;
                    encoded.clear();
                    base64_lines(buf.get(..n).unwrap_or_default(), &mut encoded);
                    sink(&encoded)?;
                }
            }
        }
    }
    Ok(())
}

/// Opens every attachment file, in order, before anything is sent: a file that went away or
/// became unreadable is an error now, not half a message.
fn open_files(email: &Email) -> Result<Vec<(&Source, File)>, Error> {
    email
        .attachments
        .iter()
        .filter_map(|a| match &a.source {
            source @ Source::File { path, .. } => Some((source, path)),
            Source::Data(_) => None,
        })
        .map(|(source, path)| {
            let file = File::open(path).map_err(|e| input(format!("attachment {}: {e}", path.display())))?;
            let now = file.metadata().map_err(|e| input(format!("attachment {}: {e}", path.display())))?.len();
            if now != source.len() {
                return Err(input(format!(
                    "attachment {} changed size since it was attached ({} bytes then, {now} now)",
                    path.display(),
                    source.len()
                )));
            }
            Ok((source, file))
        })
        .collect()
}

/// Reads until `buf` is full or the file ends; returns how much was read.
fn fill(file: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(buf.get_mut(filled..).unwrap_or_default()) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The message as bytes, exactly as it would be sent (before DATA's dot-stuffing), attachments
/// read from disk; for `toString()`.
///
/// # Errors
/// An attachment file that cannot be read.
pub fn message_bytes(email: &Email, stamp: &Stamp) -> Result<Vec<u8>, Error> {
    let rendered = render(email, stamp);
    let mut files = open_files(email)?;
    let mut out = Vec::with_capacity(usize::try_from(rendered.size).unwrap_or(0));
    for_each_piece(&rendered.segments, &mut files, |piece| {
        out.extend_from_slice(piece);
        Ok(())
    })
    .map_err(|e| match e {
        Error::Io { reason, .. } => input(reason),
        other => other,
    })?;
    Ok(out)
}
