//! The legacy message's transaction: MAIL, one RCPT per recipient, and the message after
//! DATA or as `BDAT n LAST`, every recipient accepted or nothing sent (unless the message goes
//! to each recipient on its own); to one recipient on a server that pipelines, in one write.

use super::{
    delivery::{head_of, sort_recipient, Delivery, Refusals, INLINE_CHUNK},
    error::Error,
    observer::{Event, Observer},
    session::{rejected, DataWriter, Session},
};
use crate::{
    message::{
        date::{message_id, now, rfc5322_date},
        legacy::{ComposeOptions, InputError, LegacyMessage, LegacyParts},
        mime::{Rendered, Segment},
    },
    protocol::{data::LineEnds, Command, MailParams, RcptParams, Reply, ReplyCode, Stage},
};

impl Session {
    /// Sends a legacy message: MAIL, one RCPT per recipient, DATA, the message. Returns the
    /// end-of-data reply with the recipients. Every recipient must be accepted, or nothing is
    /// sent; unless the message is sent to each recipient
    /// ([`LegacyMessage::deliver_to_accepted`]): then the accepted ones get it and the refused
    /// ones are listed.
    ///
    /// # Errors
    /// A refused command, a timeout, a dropped connection; or an address that needs SMTPUTF8
    /// when the server lacks it (before MAIL is sent).
    pub fn send_legacy(&mut self, message: &LegacyMessage<'_>, observer: &mut dyn Observer) -> Result<Delivery, Error> {
        self.settle(observer);
        let caps = &self.capabilities;
        if message.needs_smtputf8() && !caps.smtputf8() {
            return Err(InputError {
                argument: if message.sender().needs_smtputf8() { "from" } else { "to" },
                reason: "an address has non-ASCII characters and the server does not offer SMTPUTF8".into(),
            }
            .into());
        }
        let options = ComposeOptions {
            date: rfc5322_date(now()),
            message_id: message_id(message.sender_domain()),
            eight_bit_mime: caps.eight_bit_mime(),
        };
        let parts = message.compose(&options);
        let params = MailParams {
            eight_bit: parts.eight_bit && caps.eight_bit_mime(),
            smtputf8: message.needs_smtputf8(),
            ..MailParams::default()
        };
        let mail = Command::Mail(message.sender().clone(), params);
        let rcpts: Vec<Command> =
            message.recipients().map(|r| Command::Rcpt(r.clone(), RcptParams::default())).collect();
        // Signed, the message is made whole first: the signature covers the bytes as they go
        // out (CRLF line ends, the final CRLF), and goes before them.
        let signed = match &self.signer {
            Some(signer) => {
                let payload = chunk_payload(&parts);
                let mut whole = signer.sign(&payload).map_err(|e| Error::Signing(e.to_string()))?;
                whole.extend_from_slice(&payload);
                Some(whole)
            }
            None => None,
        };
        self.messages += 1;
        if let [rcpt] = rcpts.as_slice() {
            if self.capabilities.pipelining() {
                return self
                    .legacy_in_one_write(&mail, rcpt, &parts, signed, observer)
                    .map_err(|error| legacy_refusal(error, rcpt, message.each_recipient()));
            }
        }
        let (accepted, rejected) = self.mail_and_recipients(&mail, &rcpts, message.each_recipient(), observer)?;
        if self.capabilities.chunking() {
            self.write_chunk(&signed.unwrap_or_else(|| chunk_payload(&parts)), observer)?;
        } else {
            self.expect(&Command::Data, Stage::Data, |code| code == ReplyCode::START_MAIL_INPUT, observer)?;
            self.write_legacy_data(&parts, signed, observer)?;
        }
        self.legacy_verdict(accepted, rejected, observer)
    }

    /// A legacy message to one recipient on a server that pipelines: with one recipient the
    /// all-or-nothing rule needs no wait for the RCPT reply, so MAIL, RCPT and `BDAT n LAST`
    /// with the message go in one write (one round trip), or MAIL, RCPT and DATA (the 354 is
    /// read before the message: two).
    fn legacy_in_one_write(
        &mut self,
        mail: &Command,
        rcpt: &Command,
        parts: &LegacyParts<'_>,
        signed: Option<Vec<u8>>,
        observer: &mut dyn Observer,
    ) -> Result<Delivery, Error> {
        let rcpts = std::slice::from_ref(rcpt);
        if self.capabilities.chunking() {
            let payload = signed.unwrap_or_else(|| chunk_payload(parts));
            if payload.len() as u64 <= INLINE_CHUNK {
                let size = payload.len() as u64;
                let rendered = Rendered { segments: vec![Segment::Bytes(payload)], size, utf8_headers: false };
                return self.pipelined_chunk(mail, rcpts, &rendered, &mut [], observer);
            }
            let (accepted, rejected) = self.pipelined_envelope(mail, rcpts, false, observer)?;
            self.write_chunk(&payload, observer)?;
            return self.legacy_verdict(accepted, rejected, observer);
        }
        let (accepted, rejected) = self.pipelined_envelope(mail, rcpts, true, observer)?;
        self.write_legacy_data(parts, signed, observer)?;
        self.legacy_verdict(accepted, rejected, observer)
    }

    /// A legacy message after the server's 354: the signed bytes when signed (signature and
    /// message are one buffer by then), else the parts, streamed through the DATA encoder.
    fn write_legacy_data(
        &mut self,
        parts: &LegacyParts<'_>,
        signed: Option<Vec<u8>>,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        let Some(whole) = signed else { return self.write_message(parts, observer) };
        observer.on_event(Event::Message { head: head_of(&whole), size: whole.len() });
        let mut data = DataWriter::new(&mut self.conn, whole.len());
        data.push(&whole)?;
        data.finish()
    }

    /// The reply to the end of a legacy message.
    fn legacy_verdict(
        &mut self,
        accepted: Vec<String>,
        rejected: Refusals,
        observer: &mut dyn Observer,
    ) -> Result<Delivery, Error> {
        let reply = self.conn.read_reply(Stage::Data, observer)?;
        if !reply.is_positive() {
            return Err(Error::Rejected { stage: Stage::Data, command: ".".into(), reply });
        }
        Ok(Delivery { reply, accepted, rejected, dsn: false })
    }

    /// MAIL and every RCPT, in one write when the server offers PIPELINING (DATA waits, so a
    /// refused recipient still stops the message). Every recipient must be accepted, unless
    /// `each_recipient`: then refusals are listed, and only when all are refused is it an error.
    fn mail_and_recipients(
        &mut self,
        mail: &Command,
        rcpts: &[Command],
        each_recipient: bool,
        observer: &mut dyn Observer,
    ) -> Result<(Vec<String>, Refusals), Error> {
        let mut sorted = (Vec::new(), Vec::new());
        let mut sort = |rcpt: &Command, reply: Reply| {
            let accepted = matches!(reply.code(), ReplyCode::OK | ReplyCode::USER_NOT_LOCAL);
            if each_recipient || accepted {
                sort_recipient(rcpt, reply, &mut sorted)
            } else {
                Err(rejected(Stage::Rcpt, rcpt, reply))
            }
        };
        if self.capabilities.pipelining() {
            let mut commands = vec![(mail, Stage::Mail)];
            commands.extend(rcpts.iter().map(|r| (r, Stage::Rcpt)));
            let mut replies = self.conn.pipeline(&commands, observer)?.into_iter();
            let reply = replies.next().ok_or(Error::Closed { stage: Stage::Mail })?;
            if reply.code() != ReplyCode::OK {
                return Err(rejected(Stage::Mail, mail, reply));
            }
            for rcpt in rcpts {
                sort(rcpt, replies.next().ok_or(Error::Closed { stage: Stage::Rcpt })?)?;
            }
        } else {
            self.expect(mail, Stage::Mail, |code| code == ReplyCode::OK, observer)?;
            for rcpt in rcpts {
                let reply = self.conn.command(rcpt, Stage::Rcpt, observer)?;
                sort(rcpt, reply)?;
            }
        }
        let (accepted, rejected) = sorted;
        if accepted.is_empty() {
            return Err(Error::RecipientsRejected { rejected });
        }
        Ok((accepted, rejected))
    }

    /// Writes the message through the DATA encoder, in large buffers, ending with `.`.
    fn write_message(&mut self, parts: &LegacyParts<'_>, observer: &mut dyn Observer) -> Result<(), Error> {
        observer.on_event(Event::Message { head: &parts.head, size: parts.size() });
        let mut data = DataWriter::new(&mut self.conn, parts.size());
        for chunk in parts.chunks() {
            data.push(&chunk)?;
        }
        data.finish()
    }

    /// `BDAT n LAST` and the message right after it (RFC 3030): no wait for a 354. Two writes,
    /// so the message is not copied once more behind the command.
    fn write_chunk(&mut self, payload: &[u8], observer: &mut dyn Observer) -> Result<(), Error> {
        let command = Command::BdatLast(u64::try_from(payload.len()).unwrap_or(u64::MAX));
        self.conn.send(&command, Stage::Data, observer)?;
        observer.on_event(Event::Message { head: head_of(payload), size: payload.len() });
        self.conn.write(payload, Stage::Data)
    }
}

/// A legacy message's refusals as the legacy class reports them: its one recipient refused is
/// the RCPT that failed, and a refused message is the `.` that ended it (whether DATA or BDAT
/// carried it).
fn legacy_refusal(error: Error, rcpt: &Command, each_recipient: bool) -> Error {
    match error {
        Error::RecipientsRejected { mut rejected } if !each_recipient && rejected.len() == 1 => match rejected.pop() {
            Some((_, reply)) => Error::Rejected { stage: Stage::Rcpt, command: rcpt.display(), reply },
            None => Error::RecipientsRejected { rejected },
        },
        Error::Rejected { stage: Stage::Data, reply, .. } => {
            Error::Rejected { stage: Stage::Data, command: ".".into(), reply }
        }
        other => other,
    }
}

/// A legacy message as BDAT sends it: what DATA would deliver, CRLF line ends and a final
/// CRLF, without dot-stuffing.
fn chunk_payload(parts: &LegacyParts<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.size() + parts.size() / 16 + 2);
    let mut ends = LineEnds::default();
    for chunk in parts.chunks() {
        ends.push(&chunk, &mut out);
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}
