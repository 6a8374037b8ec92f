//! Batches: messages over N connections in parallel, one std thread and one kept session per
//! connection. Threads never touch PHP: results come back over a channel to the caller's
//! thread. A message whose connection died before the server took any part of it is retried
//! once on another connection; never one the server may already have accepted.

use std::{
    collections::VecDeque,
    sync::{mpsc, Arc, Mutex},
    thread,
};

use super::{
    controls::{Controls, Pace},
    delivery::Delivery,
    error::Error,
    session::{Server, Session},
};
use crate::{
    message::{dkim::Signer, email::Email, legacy::LegacyMessage, mime::Stamp},
    protocol::{Reply, Stage},
};

/// One message of a batch.
#[derive(Debug)]
pub enum Job {
    /// A legacy `send()` message.
    Legacy {
        /// `$to`.
        to: String,
        /// `$from`.
        from: String,
        /// `$subject`.
        subject: Vec<u8>,
        /// `$message`.
        message: Vec<u8>,
    },
    /// A built message.
    Email(Box<Email>, Stamp),
}

/// What became of one message.
#[derive(Debug)]
pub enum Outcome {
    /// A legacy message, accepted for every recipient: the end-of-data reply and the recipients.
    Legacy(Reply, Vec<String>),
    /// A built message.
    Email(Delivery),
}

/// A finished message: its index in the batch and its result.
#[derive(Debug)]
pub struct Finished {
    /// Position of the job in the batch.
    pub index: usize,
    /// The result.
    pub result: Result<Outcome, Error>,
}

struct Queue {
    jobs: Mutex<VecDeque<(usize, Arc<Job>, bool)>>,
}

impl Queue {
    fn pop(&self) -> Option<(usize, Arc<Job>, bool)> {
        self.jobs.lock().ok()?.pop_front()
    }

    fn retry(&self, index: usize, job: Arc<Job>) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.push_back((index, job, true));
        }
    }
}

/// How many connections a batch of `jobs` messages opens when the caller allows `connections`.
#[must_use]
pub fn connection_count(jobs: usize, connections: usize) -> usize {
    connections.clamp(1, jobs.max(1))
}

/// Starts the batch, one thread and connection per entry of `logins`: the servers that
/// connection tries, each with the credentials it logs in with (the same list, or one with its
/// own token per connection). Every job yields exactly one [`Finished`] on the returned
/// channel, in completion order; none do without a connection.
/// `signer` signs every message (DKIM); `controls` renew each connection after its limit of
/// messages, and the connections take turns in `pace` under the rate limit.
#[must_use]
pub fn run(
    logins: Vec<Vec<Server>>,
    jobs: Vec<Job>,
    signer: Option<Signer>,
    controls: Controls,
    pace: Pace,
) -> mpsc::Receiver<Finished> {
    let (sender, receiver) = mpsc::channel();
    let queue = Arc::new(Queue {
        jobs: Mutex::new(jobs.into_iter().map(Arc::new).enumerate().map(|(i, j)| (i, j, false)).collect()),
    });
    for servers in logins {
        let (queue, sender, signer, pace) = (Arc::clone(&queue), sender.clone(), signer.clone(), pace.clone());
        thread::spawn(move || {
            Worker { servers: &servers, sender: &sender, signer, controls, pace, session: None, owed: None }
                .run(&queue);
        });
    }
    receiver
}

/// One connection's state.
struct Worker<'a> {
    servers: &'a [Server],
    sender: &'a mpsc::Sender<Finished>,
    /// Signs every message (DKIM).
    signer: Option<Signer>,
    controls: Controls,
    pace: Pace,
    session: Option<Session>,
    /// The job whose message is out on the session, its verdict still to be read.
    owed: Option<usize>,
}

impl Worker<'_> {
    fn run(mut self, queue: &Queue) {
        while let Some((index, job, retried)) = queue.pop() {
            let result = match self.send(&job) {
                Ok(Some(outcome)) => Ok(outcome),
                Ok(None) => {
                    self.owed = Some(index);
                    continue;
                }
                Err(error) if !retried && safe_to_retry(&error) => {
                    queue.retry(index, job);
                    continue;
                }
                Err(error) => Err(error),
            };
            if !self.report(index, result) {
                break;
            }
        }
        if let Some(mut session) = self.session.take() {
            session.settle(&mut ());
            self.flush(&mut session);
            session.quit(&mut ());
        }
    }

    /// Sends one job on the kept session, or a new one. `Ok(None)`: a built message is out and
    /// its verdict will be read behind the next envelope (one round trip per message).
    fn send(&mut self, job: &Job) -> Result<Option<Outcome>, Error> {
        if let Some(mut worn) = self.session.take_if(|s| self.controls.worn_out(s.messages())) {
            // The connection carried its share: the verdict still owed is read, then QUIT.
            worn.settle(&mut ());
            self.flush(&mut worn);
            worn.quit(&mut ());
        }
        let mut session = match self.session.take() {
            Some(session) => session,
            None => {
                let mut session = Session::open_any(self.servers, &mut ())?;
                session.sign_with(self.signer.clone());
                session
            }
        };
        // Once the session is ready: the limit spaces the starts of the transactions.
        self.pace.wait(self.controls.max_per_second);
        let result = match job {
            Job::Legacy { to, from, subject, message } => {
                LegacyMessage::new(to, from, subject, message).map_err(Error::from).and_then(|legacy| {
                    let delivery = session.send_legacy(&legacy, &mut ())?;
                    Ok(Some(Outcome::Legacy(delivery.reply, delivery.accepted)))
                })
            }
            Job::Email(email, stamp) => {
                session.send_email_pipelined(email, stamp, &mut ()).map(|sent| sent.map(Outcome::Email))
            }
        };
        self.flush(&mut session);
        self.session = self.keep(session, &result);
        result
    }

    /// The session to keep after a job: after success, or after a refusal once RSET worked.
    fn keep<T>(&mut self, mut session: Session, result: &Result<T, Error>) -> Option<Session> {
        match result {
            Ok(_) => Some(session),
            Err(error) if error.connection_usable() => {
                let reset = session.reset(&mut ());
                self.flush(&mut session);
                reset.ok().map(|()| session)
            }
            Err(error) => {
                session.abandon_owed();
                self.flush(&mut session);
                session.end(error, &mut ());
                None
            }
        }
    }

    /// Reports the owed message once the session has read its verdict.
    fn flush(&mut self, session: &mut Session) {
        if let (Some(result), Some(index)) = (session.take_settled(), self.owed) {
            self.owed = None;
            self.report(index, result.map(Outcome::Email));
        }
    }

    fn report(&self, index: usize, result: Result<Outcome, Error>) -> bool {
        self.sender.send(Finished { index, result }).is_ok()
    }
}

/// The connection failed before the server could have accepted the message: no server reply
/// to the end of data was pending, so sending it again cannot make a copy.
fn safe_to_retry(error: &Error) -> bool {
    match error {
        Error::Connect(_) | Error::Tls { .. } => true,
        Error::Closed { stage } | Error::Io { stage, .. } | Error::Timeout { stage, .. } => {
            matches!(stage, Stage::Greeting | Stage::Ehlo | Stage::Tls | Stage::Mail | Stage::Rcpt)
        }
        Error::Rejected { stage: Stage::Greeting, .. } => true,
        Error::Rejected { reply, stage: Stage::Mail | Stage::Rcpt, .. } => reply.closes_connection(),
        _ => false,
    }
}
