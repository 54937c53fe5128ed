//! `jobs.list`, `executions.list` and `tasks.list` (R32, D8): label selectors, pages of
//! `limit` items, and opaque `continue` tokens. Newest first, ties by name; tasks of one
//! execution by index. A selector naming one job or execution reads only that one's children,
//! and only the items of the page returned are rendered.

use crate::error::{Error, Result};
use crate::names::{LABEL_EXECUTION, LABEL_JOB, LABEL_RUNNING_STATE};
use crate::random;
use crate::request::ListQuery;
use crate::resources::{Execution, Job, List, ListMeta, Task};
use crate::settings::limits;
use crate::state::{ExecutionState, JobState, State};
use crate::time::Micros;
use crate::view::render;
use std::collections::BinaryHeap;

/// Position of an item in list order: newest first, then name, then task index (the position a
/// continue token holds).
type SortKey = (std::cmp::Reverse<Micros>, String, u32);

fn token_for(state: &State, kind: &str, key: &Key<'_>) -> String {
    let payload = format!("{kind}|{}|{}|{}", key.0 .0, key.2, key.1);
    let check = random::draw(state.world.seed, "continue-token", &[random::draw(0, &payload, &[])]);
    let mut hex = String::with_capacity(payload.len() * 2 + 17);
    for b in payload.bytes() {
        hex.push_str(&format!("{b:02x}"));
    }
    format!("{hex}.{check:016x}")
}

fn parse_token(state: &State, kind: &str, token: &str) -> Result<Option<SortKey>> {
    if token.is_empty() {
        return Ok(None);
    }
    let invalid = || {
        Error::invalid_field(
            "query.continue",
            format!(
                "invalid continue token {:?}: pass back the metadata.continue of a previous {kind} list",
                truncate(token)
            ),
        )
    };
    let (hex, check) = token.split_once('.').ok_or_else(invalid)?;
    if hex.len() % 2 != 0 || hex.len() > 2048 {
        return Err(invalid());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(invalid)?;
    let payload = String::from_utf8(bytes).map_err(|_| invalid())?;
    let expected = random::draw(state.world.seed, "continue-token", &[random::draw(0, &payload, &[])]);
    if check != format!("{expected:016x}") {
        return Err(invalid());
    }
    let mut parts = payload.splitn(4, '|');
    let (Some(k), Some(t), Some(i), Some(name)) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    if k != kind {
        return Err(invalid());
    }
    let t: Micros = t.parse().map_err(|_| invalid())?;
    let i: u32 = i.parse().map_err(|_| invalid())?;
    Ok(Some((std::cmp::Reverse(t), name.to_string(), i)))
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Where an item sits in list order, borrowed from the state: no name is copied for the items
/// that do not make the page.
type Key<'s> = (std::cmp::Reverse<Micros>, &'s str, u32);

/// One candidate of a page, ordered by its key only.
struct Entry<'s, S> {
    key: Key<'s>,
    item: S,
}

impl<S> PartialEq for Entry<'_, S> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<S> Eq for Entry<'_, S> {}
impl<S> PartialOrd for Entry<'_, S> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<S> Ord for Entry<'_, S> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// The page being collected: the `limit + 1` first items after the token position, in a
/// max-heap, so a list costs memory for one page whatever the number of items (D22, D26).
struct Page<'s, S> {
    after: Option<SortKey>,
    limit: usize,
    best: BinaryHeap<Entry<'s, S>>,
}

impl<'s, S> Page<'s, S> {
    /// Considers one item: kept if it is after the token and among the first `limit + 1`.
    fn offer(&mut self, key: Key<'s>, item: S) {
        if let Some(a) = &self.after {
            if key <= (a.0, a.1.as_str(), a.2) {
                return;
            }
        }
        if self.best.len() > self.limit && self.best.peek().is_some_and(|top| key >= top.key) {
            return;
        }
        self.best.push(Entry { key, item });
        if self.best.len() > self.limit + 1 {
            self.best.pop();
        }
    }
}

impl<S> Page<'_, S> {
    /// An empty page after the token position of `q`, of at most `limit` items (500 without
    /// `limit` or with a larger one, D22); a bad token is refused before any work.
    fn start(state: &State, kind: &str, q: &ListQuery) -> Result<Self> {
        let after = parse_token(state, kind, &q.continue_token)?;
        // No `limit` (0) or a larger one: at most a full page, never an unbounded answer (D22).
        let limit = if q.limit == 0 { limits::MAX_PAGE } else { q.limit.min(limits::MAX_PAGE) };
        Ok(Page { after, limit, best: BinaryHeap::with_capacity(limit + 2) })
    }

    /// The list answer: the page's items in order, rendered (only these are), and a continue
    /// token when more remain.
    fn finish<T>(self, state: &State, kind: &str, list_kind: &str, render: impl Fn(S) -> Option<T>) -> List<T> {
        let limit = self.limit;
        let mut rest = self.best.into_sorted_vec();
        let mut continue_ = String::new();
        if rest.len() > limit {
            rest.truncate(limit);
            if let Some(last) = rest.last() {
                continue_ = token_for(state, kind, &last.key);
            }
        }
        List {
            api_version: "run.googleapis.com/v1".into(),
            kind: list_kind.into(),
            metadata: ListMeta { continue_, ..ListMeta::default() },
            items: rest.into_iter().filter_map(|e| render(e.item)).collect(),
            unreachable: Vec::new(),
        }
    }
}

/// `jobs.list`.
pub fn jobs(state: &State, q: &ListQuery) -> Result<List<Job>> {
    let page = job_refs(state, q)?;
    Ok(List {
        api_version: page.api_version,
        kind: page.kind,
        metadata: page.metadata,
        items: page.items.into_iter().cloned().collect(),
        unreachable: page.unreachable,
    })
}

/// `jobs.list` with the jobs where the state holds them: its JSON is [`jobs`]' and no job is
/// cloned to write it (`Simulator::call_text`).
pub fn job_refs<'s>(state: &'s State, q: &ListQuery) -> Result<List<&'s Job>> {
    let mut page = Page::start(state, "jobs", q)?;
    for (name, j) in state.jobs.iter().filter(|(_, j)| q.selector.matches(&j.job.metadata.labels)) {
        page.offer((std::cmp::Reverse(j.created), name.as_str(), 0), j);
    }
    Ok(page.finish(state, "jobs", "JobsList", |j: &'s JobState| Some(&j.job)))
}

/// The executions a selector can match: one job's when it names the job, else all.
fn candidate_executions<'s>(state: &'s State, q: &ListQuery) -> Vec<&'s ExecutionState> {
    if let Some(exec) = q.selector.exact(LABEL_EXECUTION) {
        return state.execution(exec).into_iter().collect();
    }
    match q.selector.exact(LABEL_JOB) {
        Some(job) => {
            state.job(job).map(|j| j.executions.iter().filter_map(|n| state.execution(n)).collect()).unwrap_or_default()
        }
        None => state.executions.values().collect(),
    }
}

/// `executions.list`.
pub fn executions(state: &State, q: &ListQuery) -> Result<List<Execution>> {
    let mut page = Page::start(state, "executions", q)?;
    for e in candidate_executions(state, q) {
        if q.selector.matches(&e.execution.metadata.labels) {
            page.offer((std::cmp::Reverse(e.created), e.execution.metadata.name.as_str(), 0), e);
        }
    }
    Ok(page.finish(state, "executions", "ExecutionsList", |e: &ExecutionState| Some(render::execution(state, e))))
}

/// `tasks.list`: filtered on the rendered labels, including `runningState`.
pub fn tasks(state: &State, q: &ListQuery) -> Result<List<Task>> {
    let mut page = Page::start(state, "tasks", q)?;
    for e in candidate_executions(state, q) {
        // Tasks of one execution share every label but `runningState`: match on those, with
        // that one label set per task; only the tasks of the page are rendered.
        let Some(first) = render::task(state, e, 0) else { continue };
        let mut labels = first.metadata.labels;
        for (i, t) in e.tasks.iter().enumerate() {
            match labels.get_mut(LABEL_RUNNING_STATE) {
                Some(v) => {
                    v.clear();
                    v.push_str(t.phase.as_str());
                }
                None => {
                    labels.insert(LABEL_RUNNING_STATE.into(), t.phase.as_str().into());
                }
            }
            if q.selector.matches(&labels) {
                let key = (std::cmp::Reverse(e.created), e.execution.metadata.name.as_str(), i as u32);
                page.offer(key, (e, i as u32));
            }
        }
    }
    Ok(page.finish(state, "tasks", "TasksList", |(e, i): (&ExecutionState, u32)| render::task(state, e, i)))
}
