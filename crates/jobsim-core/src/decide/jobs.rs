//! The jobs control plane: validation (R1, R11, D1), defaults (R10), server metadata (R9, R13),
//! and the decisions of `jobs.create`, `jobs.replaceJob` and `jobs.delete` (R30).

use crate::command::Context;
use crate::decide::executions;
use crate::error::{Error, ErrorCode, FieldViolation, Result};
use crate::event::{Event, TokenKind};
use crate::names;
use crate::names::{
    is_valid_name, ANN_CREATOR, ANN_EXECUTION_ENVIRONMENT, ANN_LAST_MODIFIER, ANN_LAUNCH_STAGE, ANN_OPERATION_ID,
    LABEL_LAST_UPDATED, LABEL_LOCATION,
};
use crate::resources::{ExecutionTemplateSpec, Job, JobStatus, ObjectMeta, ResourceRequirements, TaskTemplateSpec};
use crate::settings::limits;
use crate::state::State;
use crate::time::{format_timestamp, next_write, parse_resource_version, resource_version, Micros};

/// Annotation: operation id, new on every mutation.
const NAME_RULE: &str = "must use only lowercase alphanumeric characters and dashes, cannot begin or end with a dash, and cannot be longer than 63 characters";

/// Every violation of a job body, all at once (D2); `path_name` is the name the job will have.
pub fn validate(state: &State, body: &Job, path_name: &str) -> Vec<FieldViolation> {
    let mut v = Vec::new();
    crate::field_rules::job(body, &mut v);
    let mut bad = |field: &str, description: String| v.push(FieldViolation { field: field.to_string(), description });
    if !body.api_version.is_empty() && body.api_version != "run.googleapis.com/v1" {
        bad("apiVersion", format!("must be \"run.googleapis.com/v1\", got {:?}", body.api_version));
    }
    if !body.kind.is_empty() && body.kind != "Job" {
        bad("kind", format!("must be \"Job\", got {:?}", body.kind));
    }
    let name = path_name;
    if name.is_empty() {
        bad("metadata.name", "Required: a job needs a name".into());
    } else if !is_valid_name(name) {
        bad("metadata.name", format!("Invalid resource name [{name}]: the name {NAME_RULE}."));
    }
    let ns = &body.metadata.namespace;
    let project = &state.world.project;
    if !ns.is_empty() && *ns != project.id && *ns != project.number {
        bad(
            "metadata.namespace",
            format!("must be the project id {:?} or number {:?}, got {ns:?}", project.id, project.number),
        );
    }
    let spec = &body.spec;
    if !spec.start_execution_token.is_empty() && !spec.run_execution_token.is_empty() {
        bad("spec", "at most one of startExecutionToken and runExecutionToken may be set".into());
    }
    for (field, token) in [
        ("spec.startExecutionToken", &spec.start_execution_token),
        ("spec.runExecutionToken", &spec.run_execution_token),
    ] {
        if token.is_empty() {
            continue;
        }
        if name.len() + token.len() >= limits::MAX_NAME_LEN {
            bad(
                field,
                format!(
                    "the job name and the token together must be fewer than 63 characters (they are {})",
                    name.len() + token.len()
                ),
            );
        } else if !is_valid_name(token) {
            bad(
                field,
                "must use only lowercase alphanumeric characters and dashes, and cannot begin or end with a dash"
                    .into(),
            );
        }
    }
    let Some(template) = &spec.template else {
        bad("spec.template", "Required: a job needs an execution template".into());
        return v;
    };
    let es = &template.spec;
    let task_count = if es.task_count == 0 { 1 } else { es.task_count };
    if !(0..=limits::MAX_TASK_COUNT).contains(&es.task_count) {
        bad(
            "spec.template.spec.taskCount",
            format!("must be between 1 and {}, got {}", limits::MAX_TASK_COUNT, es.task_count),
        );
    }
    if es.parallelism < 0 {
        bad("spec.template.spec.parallelism", format!("must not be negative, got {}", es.parallelism));
    } else if es.parallelism > task_count && (1..=limits::MAX_TASK_COUNT).contains(&task_count) {
        bad(
            "spec.template.spec.parallelism",
            format!("must be less than or equal to taskCount ({task_count}), got {}", es.parallelism),
        );
    }
    let Some(tt) = &es.template else {
        bad("spec.template.spec.template", "Required: an execution needs a task template".into());
        return v;
    };
    let ts = &tt.spec;
    if let Some(r) = ts.max_retries {
        if !(0..=limits::MAX_RETRIES).contains(&r) {
            bad(
                "spec.template.spec.template.spec.maxRetries",
                format!("must be between 0 and {}, got {r}", limits::MAX_RETRIES),
            );
        }
    }
    if let Some(t) = ts.timeout_seconds {
        if !(1..=limits::MAX_TIMEOUT_SECONDS).contains(&t) {
            bad(
                "spec.template.spec.template.spec.timeoutSeconds",
                format!("must be between 1 and {} seconds (168h), got {t}", limits::MAX_TIMEOUT_SECONDS),
            );
        }
    }
    if ts.containers.is_empty() {
        bad("spec.template.spec.template.spec.containers", "Required: at least one container".into());
    } else if ts.containers.len() > limits::MAX_CONTAINERS {
        bad(
            "spec.template.spec.template.spec.containers",
            format!("at most {} containers, got {}", limits::MAX_CONTAINERS, ts.containers.len()),
        );
    }
    for (i, c) in ts.containers.iter().enumerate().take(limits::MAX_CONTAINERS) {
        if c.image.trim().is_empty() {
            bad(
                &format!("spec.template.spec.template.spec.containers[{i}].image"),
                "Required: a container needs an image".into(),
            );
        }
    }
    v
}

/// The job body with defaults filled in (R10); metadata is left to the caller.
pub fn with_defaults(state: &State, body: &Job) -> Job {
    let mut job = body.clone();
    job.api_version = "run.googleapis.com/v1".into();
    job.kind = "Job".into();
    let template = job.spec.template.get_or_insert_with(ExecutionTemplateSpec::default);
    let tmeta = template.metadata.get_or_insert_with(ObjectMeta::default);
    tmeta.annotations.entry(ANN_EXECUTION_ENVIRONMENT.into()).or_insert_with(|| "gen2".into());
    let es = &mut template.spec;
    if es.task_count == 0 {
        es.task_count = 1;
    }
    let ts = &mut es.template.get_or_insert_with(TaskTemplateSpec::default).spec;
    ts.max_retries.get_or_insert(crate::settings::limits::DEFAULT_MAX_RETRIES);
    ts.timeout_seconds.get_or_insert(crate::settings::limits::DEFAULT_TIMEOUT_SECONDS);
    if ts.service_account_name.is_empty() {
        ts.service_account_name = format!("{}-compute@developer.gserviceaccount.com", state.world.project.number);
    }
    for c in &mut ts.containers {
        let limits = &mut c.resources.get_or_insert_with(ResourceRequirements::default).limits;
        limits.entry("cpu".into()).or_insert_with(|| "1000m".into());
        limits.entry("memory".into()).or_insert_with(|| "512Mi".into());
    }
    job
}

/// Strips what a client may send but the server owns (status and output-only metadata).
fn client_metadata(body: &Job, name: &str) -> ObjectMeta {
    let mut meta = ObjectMeta {
        name: name.to_string(),
        labels: body.metadata.labels.clone(),
        annotations: body.metadata.annotations.clone(),
        ..ObjectMeta::default()
    };
    meta.annotations.remove(ANN_LAUNCH_STAGE);
    meta
}

/// The job `jobs.create` would store (also the `dryRun=all` answer), or why not.
fn prepare_create(state: &State, body: &Job, ctx: &Context) -> Result<Job> {
    let name = body.metadata.name.clone();
    let violations = validate(state, body, &name);
    if !violations.is_empty() {
        return Err(Error::invalid(violations));
    }
    if state.jobs.contains_key(&name) {
        return Err(Error::new(ErrorCode::AlreadyExists, format!("Resource '{name}' already exists.")));
    }
    check_token_name(state, &name, body)?;
    if state.jobs.len() >= limits::MAX_JOBS {
        return Err(Error::new(
            ErrorCode::ResourceExhausted,
            format!("Quota exceeded: at most {} jobs per project and region.", limits::MAX_JOBS),
        ));
    }
    let project = &state.world.project;
    let now = format_timestamp(ctx.now);
    let mut job = with_defaults(state, body);
    let mut meta = client_metadata(body, &name);
    meta.namespace = project.number.clone();
    meta.self_link = names::self_link(&project.number, "jobs", &name);
    meta.generation = 1;
    meta.uid = ctx.uuid();
    meta.resource_version = resource_version(ctx.now);
    meta.creation_timestamp = now.clone();
    meta.labels.insert(LABEL_LOCATION.into(), project.region.clone());
    meta.labels.insert(LABEL_LAST_UPDATED.into(), now);
    meta.annotations.insert(ANN_CREATOR.into(), project.caller.clone());
    meta.annotations.insert(ANN_LAST_MODIFIER.into(), project.caller.clone());
    meta.annotations.insert(ANN_OPERATION_ID.into(), ctx.uuid());
    job.metadata = meta;
    job.status = Some(JobStatus::default());
    Ok(job)
}

/// `jobs.create` (R9): the job, plus a token execution when the spec carries a token (R15).
pub fn create(state: &State, body: &Job, ctx: &Context) -> Result<Vec<Event>> {
    let job = prepare_create(state, body, ctx)?;
    let mut events = Vec::new();
    let token = token_execution(state, &job, ctx);
    events.push(Event::JobCreated { job: Box::new(job) });
    events.extend(token);
    Ok(events)
}

/// Refuses a token whose execution name `{job}-{token}` is taken by another job's execution
/// (D20): execution names are unique per namespace, so the job would otherwise adopt it.
fn check_token_name(state: &State, job: &str, body: &Job) -> Result<()> {
    let Some(name) = crate::names::current_token_execution(body, job) else { return Ok(()) };
    match state.execution(&name) {
        Some(e) if e.job != job => Err(Error::new(
            ErrorCode::AlreadyExists,
            format!(
                "Resource '{name}' already exists: the execution token would name an execution of job '{}'.",
                e.job
            ),
        )),
        _ => Ok(()),
    }
}

/// The execution a token asks for, if the token is new (R15, D7).
fn token_execution(state: &State, job: &Job, ctx: &Context) -> Option<Event> {
    let (kind, token) = if !job.spec.start_execution_token.is_empty() {
        (TokenKind::Start, &job.spec.start_execution_token)
    } else if !job.spec.run_execution_token.is_empty() {
        (TokenKind::Run, &job.spec.run_execution_token)
    } else {
        return None;
    };
    let name = format!("{}-{token}", job.metadata.name);
    if state.executions.contains_key(&name) {
        return None;
    }
    let ordinal = executions::next_ordinal(state.job(&job.metadata.name).map_or(0, |j| j.execution_ordinal));
    let execution = executions::build(state, job, &name, None, ctx);
    Some(Event::ExecutionCreated { execution: Box::new(execution), ordinal: ordinal.ok()?, token: Some(kind) })
}

/// The job `jobs.replaceJob` would store (also the `dryRun=all` answer), or why not (R13, R14, D6).
fn prepare_replace(state: &State, name: &str, body: &Job, ctx: &Context) -> Result<Job> {
    let project = &state.world.project;
    let Some(current) = state.job(name) else {
        return Err(Error::not_found(name, "JOB", &project.region, &project.id));
    };
    let mut violations = Vec::new();
    if !body.metadata.name.is_empty() && body.metadata.name != name {
        violations.push(FieldViolation {
            field: "metadata.name".into(),
            description: format!("must match the name in the path ({name:?}), got {:?}", body.metadata.name),
        });
    }
    violations.extend(validate(state, body, name));
    if !violations.is_empty() {
        return Err(Error::invalid(violations));
    }
    if current.deleting {
        return Err(Error::new(
            ErrorCode::FailedPrecondition,
            format!("Job '{name}' is being deleted and cannot be replaced."),
        ));
    }
    let stored_version = &current.job.metadata.resource_version;
    let given_version = &body.metadata.resource_version;
    if !given_version.is_empty() && given_version != stored_version {
        return Err(Error::new(
            ErrorCode::Aborted,
            format!(
                "The resourceVersion {given_version:?} of job '{name}' is stale (current: {stored_version:?}); read the job again and retry."
            ),
        ));
    }
    check_token_name(state, name, body)?;
    let now = format_timestamp(ctx.now);
    let defaulted = with_defaults(state, body);
    let old = &current.job;
    let mut meta = old.metadata.clone();
    let client = client_metadata(body, name);
    meta.labels = client.labels;
    meta.annotations = client.annotations;
    meta.labels.insert(LABEL_LOCATION.into(), project.region.clone());
    meta.labels.insert(LABEL_LAST_UPDATED.into(), now);
    let creator = old.metadata.annotations.get(ANN_CREATOR).cloned().unwrap_or_else(|| project.caller.clone());
    meta.annotations.insert(ANN_CREATOR.into(), creator);
    meta.annotations.insert(ANN_LAST_MODIFIER.into(), project.caller.clone());
    meta.annotations.insert(ANN_OPERATION_ID.into(), ctx.uuid());
    if defaulted.spec != old.spec {
        // int32 in the v1 schema: a job at the maximum cannot change its spec again (D26).
        meta.generation = meta.generation.checked_add(1).ok_or_else(|| {
            Error::new(
                ErrorCode::ResourceExhausted,
                format!(
                    "Job '{name}' is at metadata.generation {}, the int32 maximum; its spec cannot change again.",
                    i32::MAX
                ),
            )
        })?;
    }
    // Strictly after the current version, even at the same instant (D17).
    let last = parse_resource_version(&old.metadata.resource_version).unwrap_or(Micros::MIN);
    meta.resource_version = resource_version(next_write(last, ctx.now));
    Ok(Job { metadata: meta, status: old.status.clone(), ..defaulted })
}

/// `jobs.replaceJob`: the new job, plus a token execution when the token is new (R15).
pub fn replace(state: &State, name: &str, body: &Job, ctx: &Context) -> Result<Vec<Event>> {
    let job = prepare_replace(state, name, body, ctx)?;
    let token = token_execution(state, &job, ctx);
    let mut events = vec![Event::JobReplaced { job: Box::new(job) }];
    events.extend(token);
    Ok(events)
}

/// Checks `jobs.delete` (R30, D2) and returns the job's executions still running.
fn check_delete<'s>(state: &'s State, name: &str, force: bool) -> Result<Vec<&'s str>> {
    let project = &state.world.project;
    let Some(job) = state.job(name) else {
        return Err(Error::not_found(name, "JOB", &project.region, &project.id));
    };
    let running: Vec<&str> = job
        .executions
        .iter()
        .filter(|e| state.execution(e).is_some_and(|x| !x.is_terminal()))
        .map(String::as_str)
        .collect();
    if !running.is_empty() && !force && !job.deleting {
        return Err(Error::new(
            ErrorCode::FailedPrecondition,
            format!(
                "Job '{name}' has {} running execution(s) ({}); cancel them or delete with force=true.",
                running.len(),
                running.join(", ")
            ),
        ));
    }
    Ok(running)
}

/// `jobs.delete`: force-cancels running executions, then starts the asynchronous deletion.
pub fn delete(state: &State, name: &str, force: bool) -> Result<Vec<Event>> {
    let running = check_delete(state, name, force)?;
    if state.job(name).is_some_and(|j| j.deleting) {
        return Ok(Vec::new());
    }
    let mut events: Vec<Event> =
        running.into_iter().map(|e| Event::ExecutionCancelled { execution: e.to_string() }).collect();
    events.push(Event::JobDeletionStarted { name: name.to_string() });
    Ok(events)
}
