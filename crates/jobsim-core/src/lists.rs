//! `jobs.list`, `executions.list` and `tasks.list` (R32, D8): label selectors, pages of
//! `limit` items, and opaque `continue` tokens. Newest first, ties by name; tasks of one
//! execution by index. A selector naming one job or execution reads only that one's children,
//! and only the items of the page returned are rendered.

use crate::api::ListQuery;
use crate::error::{Error, Result};
use crate::executions::LABEL_JOB;
use crate::random;
use crate::render::{self, LABEL_EXECUTION, LABEL_RUNNING_STATE};
use crate::resources::{List, ListMeta};
use crate::settings::limits;
use crate::simulator::to_json;
use crate::state::{ExecutionState, State};
use crate::time::Micros;
use serde::Serialize;
use serde_json::Value;

/// Position of an item in list order: newest first, then name, then task index.
type SortKey = (std::cmp::Reverse<Micros>, String, u32);

fn token_for(state: &State, kind: &str, key: &SortKey) -> String {
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

/// Pages sorted `(key, item)` pairs after the token position. Only the items of the page are
/// rendered (`render`), so a small page of a long list costs a sort of keys, not every item.
fn page<S, T: Serialize>(
    state: &State,
    kind: &str,
    list_kind: &str,
    q: &ListQuery,
    mut items: Vec<(SortKey, S)>,
    render: impl Fn(S) -> Option<T>,
) -> Result<Value> {
    let after = parse_token(state, kind, &q.continue_token)?;
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let start = match &after {
        Some(k) => items.partition_point(|(key, _)| key <= k),
        None => 0,
    };
    let mut rest: Vec<(SortKey, S)> = items.into_iter().skip(start).collect();
    let mut continue_ = String::new();
    // No `limit` (0) or a larger one: at most a full page, never an unbounded answer (D22).
    let limit = if q.limit == 0 { limits::MAX_PAGE } else { q.limit.min(limits::MAX_PAGE) };
    if rest.len() > limit {
        rest.truncate(limit);
        if let Some((k, _)) = rest.last() {
            continue_ = token_for(state, kind, k);
        }
    }
    let list = List {
        api_version: "run.googleapis.com/v1".into(),
        kind: list_kind.into(),
        metadata: ListMeta { continue_, ..ListMeta::default() },
        items: rest.into_iter().filter_map(|(_, s)| render(s)).collect(),
        unreachable: Vec::new(),
        extra: Default::default(),
    };
    Ok(to_json(&list))
}

/// `jobs.list`.
pub fn jobs(state: &State, q: &ListQuery) -> Result<Value> {
    let items = state
        .jobs
        .iter()
        .filter(|(_, j)| q.selector.matches(&j.job.metadata.labels))
        .map(|(name, j)| ((std::cmp::Reverse(j.created), name.clone(), 0), j))
        .collect();
    page(state, "jobs", "JobsList", q, items, |j| Some(j.job.clone()))
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
pub fn executions(state: &State, q: &ListQuery) -> Result<Value> {
    let items = candidate_executions(state, q)
        .into_iter()
        .filter(|e| q.selector.matches(&e.execution.metadata.labels))
        .map(|e| ((std::cmp::Reverse(e.created), e.execution.metadata.name.clone(), 0), e))
        .collect();
    page(state, "executions", "ExecutionsList", q, items, |e| Some(render::execution(state, e)))
}

/// `tasks.list`: filtered on the rendered labels, including `runningState`.
pub fn tasks(state: &State, q: &ListQuery) -> Result<Value> {
    let mut items = Vec::new();
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
            if !q.selector.matches(&labels) {
                continue;
            }
            items.push(((std::cmp::Reverse(e.created), e.execution.metadata.name.clone(), i as u32), (e, i as u32)));
        }
    }
    page(state, "tasks", "TasksList", q, items, |(e, i)| render::task(state, e, i))
}
