//! `--data LOG.jsonl`: the event log on disk, so that a restarted server is the same world.
//!
//! The file is the simulator's own event log in JSON Lines (`jobsim events` / `jobsim replay`
//! read the same format). Its first event, `WorldStarted`, holds the whole world (seed,
//! project, profile, settings, workloads, faults): that is what ties the file to a world, so a
//! scenario given on restart must describe the same world or the file is refused.
//!
//! **A batch is on disk whole or not at all.** A request's events (or a timer firing's) are one
//! batch: appended with one `write_all` and `sync_data`'d, then the log's new length and last
//! sequence are written over the one record of the commit file beside it (`LOG.jsonl.commit`)
//! and `sync_data`'d — and only then is the answer sent. Linux may cut a write short at a page
//! boundary when SIGKILL arrives, so the log alone could end in *complete* lines of a batch
//! that was never acknowledged (a request half done: a state that never existed). On the next
//! start everything after the committed length is reported and cut off. The log itself stays
//! plain JSON Lines (no markers), so `jobsim replay` reads it as before. The record is 64 bytes
//! at offset 0, inside one page and one sector, so it is never torn itself.
//!
//! **One server per log**: the log file is locked (`File::try_lock`, an advisory `flock` on
//! Linux) for the life of the [`Store`]; a second server on it is refused. The log is never
//! renamed or replaced, so the lock is on the inode every server opens.
//!
//! A log with no commit file (written before it existed, or copied without it) is served as
//! before: every complete line counts, a torn last line is reported and cut off, and the commit
//! file is created. Anything else wrong (bad JSON in the middle, a gap, broken invariants,
//! another world, a log shorter than its commit) is refused, never repaired.

use jobsim_core::event::Envelope;
use jobsim_core::scenario::Scenario;
use jobsim_core::Simulator;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Why a log cannot be served: the CLI prints it and exits with code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// The size of the commit record: fixed, so each commit overwrites the whole previous one.
const RECORD_BYTES: usize = 64;

/// What the commit file records: the log's length after the last acknowledged batch and the
/// sequence of its last event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Commit {
    bytes: u64,
    sequence: u64,
}

impl Commit {
    fn record(self) -> String {
        let text = format!("jobsim serve commit: bytes {} sequence {}", self.bytes, self.sequence);
        format!("{text:<width$}\n", width = RECORD_BYTES - 1)
    }

    fn parse(text: &str) -> Option<Commit> {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["jobsim", "serve", "commit:", "bytes", b, "sequence", s] => {
                Some(Commit { bytes: b.parse().ok()?, sequence: s.parse().ok()? })
            }
            _ => None,
        }
    }
}

/// The commit file of a log: `LOG.jsonl.commit`.
pub fn commit_path(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".commit");
    PathBuf::from(name)
}

/// The open, locked log file, its commit file, and how far the simulator's log is committed.
#[derive(Debug)]
pub struct Store {
    file: File,
    commit: File,
    path: PathBuf,
    /// The sequence of the last committed event.
    written: u64,
    /// The log's committed length (a failed append is cut back to it).
    len: u64,
}

impl Store {
    /// Opens (or creates) the log at `path`, locks it, and returns the simulator it holds. A
    /// new log starts from `scenario` (its world and steps, committed as one batch before
    /// serving) or the default world; an existing one is cut back to its last commit, then
    /// replayed with the engine invariants checked (`Simulator::replay_jsonl`), and resumes at
    /// its last instant. `report` gets what was repaired (an uncommitted batch, a torn line).
    pub fn open(
        path: &Path,
        scenario: Option<&Scenario>,
        report: &mut dyn FnMut(String),
    ) -> Result<(Simulator, Store), Refused> {
        let shown = path.display();
        let refused = |what: String| Refused(format!("{shown}: {what}"));
        // A missing log whose commit file records acknowledged bytes lost them: refuse it before
        // anything is created, so the refusal leaves the directory as it found it.
        if !path.exists() {
            if let Some(c) = read_commit(&commit_path(path)).map_err(refused)?.filter(|c| c.bytes > 0) {
                return Err(refused(format!(
                    "is missing, but its commit file {} records {} acknowledged bytes; not served (remove the \
                     commit file to start a new log)",
                    commit_path(path).display(),
                    c.bytes
                )));
            }
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| refused(format!("cannot open: {e}")))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(refused(
                    "is in use by another jobsim serve (it holds the lock on this file); stop that server, or give \
                     another --data"
                        .into(),
                ))
            }
            Err(TryLockError::Error(e)) => return Err(refused(format!("cannot lock: {e}"))),
        }
        let commit_file = commit_path(path);
        let committed = read_commit(&commit_file).map_err(refused)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| refused(format!("cannot read: {e}")))?;
        let keep = committed_len(&bytes, committed, &commit_file).map_err(refused)?;
        if keep < bytes.len() {
            report(format!("{shown}: {}; truncating to byte {keep}", describe_beyond(&bytes, keep, committed)));
            file.set_len(keep as u64).map_err(|e| refused(format!("cannot truncate: {e}")))?;
            file.sync_all().map_err(|e| refused(format!("cannot sync: {e}")))?;
            bytes.truncate(keep);
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| refused(format!("is not UTF-8 (byte {})", e.utf8_error().valid_up_to())))?;
        let sim = if text.trim().is_empty() {
            match scenario {
                Some(s) => s.run().map_err(|e| refused(format!("the scenario cannot run: {}", e.message)))?.simulator,
                None => Simulator::new(&serde_json::Value::Null).map_err(|e| refused(e.message))?,
            }
        } else {
            let sim = Simulator::replay_jsonl(&text)
                .map_err(|e| refused(format!("cannot be replayed, so it is not served: {} ({})", e.message, e.code)))?;
            if let Some(s) = scenario {
                let (logged, given) = (serde_json::to_value(&sim.state().world), serde_json::to_value(&s.world));
                if logged.is_err() || logged.ok() != given.ok() {
                    let w = &sim.state().world;
                    return Err(refused(format!(
                        "was written by another world (seed {}, project {}) than the scenario's (seed {}, project \
                         {}); serve it without a scenario, or give another --data",
                        w.seed, w.project.id, s.world.seed, s.world.project.id
                    )));
                }
            }
            if let Some(c) = committed.filter(|c| c.sequence != sim.version()) {
                return Err(refused(format!(
                    "its commit file {} records event {} at byte {}, but the log's last event there is {}; not served",
                    commit_file.display(),
                    c.sequence,
                    c.bytes,
                    sim.version()
                )));
            }
            sim
        };
        let (len, written) = (text.len() as u64, if text.trim().is_empty() { 0 } else { sim.version() });
        let now = Commit { bytes: len, sequence: written };
        let commit = match committed {
            // The commit file is created whole (beside it, synced, renamed), so that an existing
            // one always holds a record.
            None => create_commit(&commit_file, now),
            Some(_) => OpenOptions::new().write(true).open(&commit_file).and_then(|mut f| {
                if Some(now) != committed {
                    write_commit(&mut f, now)?;
                }
                Ok(f)
            }),
        }
        .map_err(|e| refused(format!("cannot write {}: {e}", commit_file.display())))?;
        let mut store = Store { file, commit, path: path.to_path_buf(), written, len };
        // A new log: the world and the scenario's steps are its first batch, committed whole or
        // not at all (a crash half-way leaves a log that is cut back to empty and starts afresh).
        if written == 0 {
            sync_dir(path);
            store.append(sim.envelopes(1)).map_err(|e| refused(format!("cannot write: {e}")))?;
        }
        Ok((sim, store))
    }

    /// Appends the envelopes not on disk yet as one batch (one write, `sync_data`, then the
    /// commit record, `sync_data`): returns once they are durable and committed.
    pub fn append(&mut self, envelopes: &[Envelope]) -> io::Result<()> {
        let new: Vec<&Envelope> = envelopes.iter().filter(|e| e.sequence > self.written).collect();
        let Some(last) = new.last().map(|e| e.sequence) else { return Ok(()) };
        let mut text = String::new();
        for e in new {
            text.push_str(&e.to_json().to_string());
            text.push('\n');
        }
        let commit = Commit { bytes: self.len + text.len() as u64, sequence: last };
        let result = self
            .file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.sync_data())
            .and_then(|()| write_commit(&mut self.commit, commit));
        if let Err(e) = result {
            // Leave no half batch behind for a later append to follow (best effort: the caller
            // stops serving after a failed append, and a restart cuts back to the commit anyway).
            let _ = self.file.set_len(self.len);
            return Err(e);
        }
        self.len = commit.bytes;
        self.written = last;
        Ok(())
    }

    /// The sequence of the last event on disk.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A log as `jobsim replay` reads it, changing nothing: the text its commit file covers (every
/// complete line when it has none) and, when more follows, what that is — a batch a crash
/// interrupted, which a restarted server would drop.
pub fn read_committed(path: &Path) -> Result<(String, Option<String>), String> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    let commit_file = commit_path(path);
    let committed = read_commit(&commit_file).map_err(|e| format!("{shown}: {e}"))?;
    let keep = committed_len(&bytes, committed, &commit_file).map_err(|e| format!("{shown}: {e}"))?;
    let beyond = (keep < bytes.len())
        .then(|| format!("{shown}: {}; replaying the first {keep} bytes", describe_beyond(&bytes, keep, committed)));
    let text = String::from_utf8(bytes[..keep].to_vec())
        .map_err(|e| format!("{shown}: is not UTF-8 (byte {})", e.utf8_error().valid_up_to()))?;
    Ok((text, beyond))
}

/// The commit record beside a log, if there is one.
fn read_commit(commit_file: &Path) -> Result<Option<Commit>, String> {
    match std::fs::read(commit_file) {
        Ok(bytes) => std::str::from_utf8(&bytes).ok().and_then(Commit::parse).map(Some).ok_or_else(|| {
            format!("its commit file {} is not a commit record (tampered?); not served", commit_file.display())
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", commit_file.display())),
    }
}

/// How many bytes of `log` count: those its commit covers, or, without a commit file, every
/// complete line (a line is complete only with its newline; anything after the last one is a
/// write a crash cut short).
fn committed_len(log: &[u8], committed: Option<Commit>, commit_file: &Path) -> Result<usize, String> {
    match committed {
        Some(c) => committed_prefix(log, c, commit_file),
        None => Ok(log.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)),
    }
}

/// What lies after byte `keep` of `log`, in words.
fn describe_beyond(log: &[u8], keep: usize, committed: Option<Commit>) -> String {
    match committed {
        Some(_) => describe_dropped(&log[keep..]),
        None => format!(
            "the last line is torn ({} bytes after byte {keep} with no newline, a write cut short by a crash)",
            log.len() - keep
        ),
    }
}

/// How many bytes of `log` the commit covers, or why the two disagree (the log lost
/// acknowledged writes, or the commit points inside a line).
fn committed_prefix(log: &[u8], c: Commit, commit_file: &Path) -> Result<usize, String> {
    let shown = commit_file.display();
    let end = usize::try_from(c.bytes).ok().filter(|n| *n <= log.len()).ok_or_else(|| {
        format!(
            "holds {} bytes, but its commit file {shown} records {} acknowledged bytes: acknowledged writes are \
             missing, so it is not served (remove the commit file to serve the log as it is)",
            log.len(),
            c.bytes
        )
    })?;
    if end > 0 && log.get(end - 1) != Some(&b'\n') {
        return Err(format!("its commit file {shown} records byte {end}, which is not the end of a line; not served"));
    }
    Ok(end)
}

/// Says what lies after the last commit: the batch a crash interrupted (never acknowledged).
fn describe_dropped(tail: &[u8]) -> String {
    let lines: Vec<&[u8]> = tail.split_inclusive(|b| *b == b'\n').collect();
    let whole: Vec<&[u8]> = lines.iter().copied().filter(|l| l.ends_with(b"\n")).collect();
    let torn = lines.last().filter(|l| !l.ends_with(b"\n")).map_or(0, |l| l.len());
    let sequence = |line: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(line).ok().and_then(|v| v.get("sequence").and_then(|s| s.as_u64()))
    };
    let range = match (whole.first().and_then(|l| sequence(l)), whole.last().and_then(|l| sequence(l))) {
        (Some(a), Some(b)) if a == b => format!(" (event {a})"),
        (Some(a), Some(b)) => format!(" (events {a}–{b})"),
        _ => String::new(),
    };
    format!(
        "{} bytes after the last commit belong to a batch that was never committed nor acknowledged (a crash \
         during a request): {} whole line(s){range} and {} bytes of a torn line — a request half done, dropped \
         whole",
        tail.len(),
        whole.len(),
        torn
    )
}

/// Overwrites the commit record (offset 0, fixed size) and makes it durable.
fn write_commit(file: &mut File, commit: Commit) -> io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    file.write_all(commit.record().as_bytes())?;
    file.sync_data()
}

/// Creates the commit file whole: the record is written beside it, synced, renamed over it.
fn create_commit(path: &Path, commit: Commit) -> io::Result<File> {
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    let mut f = File::create(&tmp)?;
    write_commit(&mut f, commit)?;
    std::fs::rename(&tmp, path)?;
    sync_dir(path);
    Ok(f)
}

/// Makes a newly created file's directory entry durable too (best effort: not every platform
/// can open a directory).
fn sync_dir(path: &Path) {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
