//! `--data LOG.jsonl`: the event log on disk, so that a restarted server is the same world.
//!
//! The file is the simulator's own event log in JSON Lines (`jobsim events` / `jobsim replay`
//! read the same format). Its first event, `WorldStarted`, holds the whole world (seed,
//! project, profile, settings, workloads, faults): that is what ties the file to a world, so a
//! scenario given on restart must describe the same world or the file is refused.
//!
//! Every batch of new events is written with one `write_all` and `sync_data`'d before the
//! answer that caused it is sent, so an acknowledged write is on disk. A crash can cut only
//! the last line short (the one being written): that torn line is reported and cut off on the
//! next start. Anything else wrong (bad JSON in the middle, a gap, broken invariants, another
//! world) is refused, never repaired.

use jobsim_core::event::Envelope;
use jobsim_core::scenario::Scenario;
use jobsim_core::Simulator;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Why a log cannot be served: the CLI prints it and exits with code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// The open log file and how far the simulator's log has been written to it.
#[derive(Debug)]
pub struct Store {
    file: File,
    path: PathBuf,
    /// The sequence of the last event on disk.
    written: u64,
    /// The file's length after the last complete append (a failed one is cut back to it).
    len: u64,
}

impl Store {
    /// Opens (or creates) the log at `path` and returns the simulator it holds. A new file
    /// starts from `scenario` (its world and steps, all written before serving) or the default
    /// world; an existing one is replayed with the engine invariants checked (`Simulator::
    /// replay_jsonl`) and resumes at its last instant. `report` gets what was repaired (a torn
    /// last line).
    pub fn open(
        path: &Path,
        scenario: Option<&Scenario>,
        report: &mut dyn FnMut(String),
    ) -> Result<(Simulator, Store), Refused> {
        let shown = path.display();
        let refused = |what: String| Refused(format!("{shown}: {what}"));
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| refused(format!("cannot open: {e}")))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| refused(format!("cannot read: {e}")))?;
        // A line is complete only with its newline: anything after the last one is a write a
        // crash cut short (never acknowledged, as its fsync had not returned).
        let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        if complete < bytes.len() {
            report(format!(
                "{shown}: the last line is torn ({} bytes after byte {complete} with no newline, a write cut short \
                 by a crash); truncating it",
                bytes.len() - complete
            ));
            file.set_len(complete as u64).map_err(|e| refused(format!("cannot truncate the torn line: {e}")))?;
            file.sync_all().map_err(|e| refused(format!("cannot sync: {e}")))?;
            bytes.truncate(complete);
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| refused(format!("is not UTF-8 (byte {})", e.utf8_error().valid_up_to())))?;
        let len = text.len() as u64;
        let mut store = Store { file, path: path.to_path_buf(), written: 0, len };
        if text.trim().is_empty() {
            let sim = match scenario {
                Some(s) => s.run().map_err(|e| refused(format!("the scenario cannot run: {}", e.message)))?.simulator,
                None => Simulator::new(&serde_json::Value::Null).map_err(|e| refused(e.message))?,
            };
            // The world and the scenario's steps appear whole or not at all: written beside the
            // log, synced, then renamed over it (a crash half-way leaves the empty log).
            let mut tmp_name = path.as_os_str().to_owned();
            tmp_name.push(".tmp");
            let tmp = PathBuf::from(tmp_name);
            let first = File::create(&tmp).and_then(|f| {
                let mut first = Store { file: f, path: tmp.clone(), written: 0, len: 0 };
                first.append(sim.envelopes(1)).map(|()| first)
            });
            let first = first.map_err(|e| refused(format!("cannot write {}: {e}", tmp.display())))?;
            std::fs::rename(&tmp, path)
                .map_err(|e| refused(format!("cannot rename {} over it: {e}", tmp.display())))?;
            sync_dir(path);
            store.file =
                OpenOptions::new().append(true).open(path).map_err(|e| refused(format!("cannot reopen: {e}")))?;
            store.written = first.written;
            store.len = first.len;
            return Ok((sim, store));
        }
        let sim = Simulator::replay_jsonl(&text)
            .map_err(|e| refused(format!("cannot be replayed, so it is not served: {} ({})", e.message, e.code)))?;
        if let Some(s) = scenario {
            let (logged, given) = (serde_json::to_value(&sim.state().world), serde_json::to_value(&s.world));
            if logged.is_err() || logged.ok() != given.ok() {
                let w = &sim.state().world;
                return Err(refused(format!(
                    "was written by another world (seed {}, project {}) than the scenario's (seed {}, project {}); \
                     serve it without a scenario, or give another --data",
                    w.seed, w.project.id, s.world.seed, s.world.project.id
                )));
            }
        }
        store.written = sim.version();
        Ok((sim, store))
    }

    /// Appends the envelopes not on disk yet (one write, then `sync_data`): returns once they
    /// are durable.
    pub fn append(&mut self, envelopes: &[Envelope]) -> io::Result<()> {
        let new: Vec<&Envelope> = envelopes.iter().filter(|e| e.sequence > self.written).collect();
        let Some(last) = new.last().map(|e| e.sequence) else { return Ok(()) };
        let mut text = String::new();
        for e in new {
            text.push_str(&e.to_json().to_string());
            text.push('\n');
        }
        if let Err(e) = self.file.write_all(text.as_bytes()).and_then(|()| self.file.sync_data()) {
            // Leave no half batch behind for a later append to follow (best effort: the caller
            // stops serving after a failed append anyway).
            let _ = self.file.set_len(self.len);
            return Err(e);
        }
        self.len += text.len() as u64;
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

/// Makes a newly created file's directory entry durable too (best effort: not every platform
/// can open a directory).
fn sync_dir(path: &Path) {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
