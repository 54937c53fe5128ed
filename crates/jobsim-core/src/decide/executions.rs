//! Executions from the API side: `jobs.run` with overrides (R16–R19), `executions.cancel` (R28)
//! and `executions.delete` (R29, D10). What happens to a running execution over time is in
//! `scheduler.rs`.

use crate::command::Context;
use crate::error::{Error, ErrorCode, FieldViolation, Result};
use crate::event::Event;
use crate::names::{
    self, ANN_CREATOR, ANN_LAST_MODIFIER, ANN_OPERATION_ID, LABEL_JOB, LABEL_JOB_GENERATION,
    LABEL_JOB_RESOURCE_VERSION, LABEL_JOB_UID, LABEL_LOCATION,
};
use crate::resources::{
    ContainerOverride, EnvVar, Execution, ExecutionSpec, Job, ObjectMeta, Overrides, OwnerReference, RunJobRequest,
    TaskTemplateSpec,
};
use crate::settings::limits;
use crate::state::State;
use crate::time::{format_timestamp, parse_resource_version, resource_version};

/// Effective parallelism (D9): `min(parallelism if > 0 else maxParallelism, taskCount)`.
pub fn effective_parallelism(state: &State, parallelism: i32, task_count: i32) -> i32 {
    let wanted = if parallelism > 0 {
        parallelism
    } else {
        state.world.settings.max_parallelism.map_or(task_count, |m| m.min(i32::MAX as u32) as i32)
    };
    wanted.clamp(1, task_count.max(1))
}

/// The ordinal of a job's next execution, or the count reached when `executionCount` (int32)
/// cannot grow any more (D26).
pub fn next_ordinal(created: u32) -> std::result::Result<u32, u32> {
    if created >= i32::MAX as u32 {
        return Err(created);
    }
    Ok(created + 1)
}

/// Every bad field of `jobs.run` overrides against the job's execution spec (R11, R17, D23),
/// all at once (D2), and the container each `containerOverrides[i]` applies to.
pub fn check_overrides<'o>(
    spec: &ExecutionSpec,
    o: &'o Overrides,
) -> (Vec<(usize, &'o ContainerOverride)>, Vec<FieldViolation>) {
    let mut bad = Vec::new();
    let mut violation = |field: String, description: String| bad.push(FieldViolation { field, description });
    if !(0..=limits::MAX_TASK_COUNT).contains(&o.task_count) {
        violation(
            "overrides.taskCount".into(),
            format!("must be between 1 and {}, got {}", limits::MAX_TASK_COUNT, o.task_count),
        );
    }
    if o.timeout_seconds < 0 || i64::from(o.timeout_seconds) > limits::MAX_TIMEOUT_SECONDS {
        violation(
            "overrides.timeoutSeconds".into(),
            format!("must be between 1 and {} seconds, got {}", limits::MAX_TIMEOUT_SECONDS, o.timeout_seconds),
        );
    }
    let containers = spec.task_spec().map_or(&[][..], |t| &t.containers[..]);
    let mut targets = Vec::new();
    for (i, co) in o.container_overrides.iter().enumerate() {
        if co.clear_args && !co.args.is_empty() {
            violation(format!("overrides.containerOverrides[{i}].args"), "must be empty when clearArgs is true".into());
        }
        // R17: by name; the only container whatever the name says; else 400.
        let target = if containers.len() == 1 {
            Some(0)
        } else {
            containers.iter().position(|c| !co.name.is_empty() && c.name == co.name)
        };
        match target {
            Some(t) => targets.push((t, co)),
            None if co.name.is_empty() => violation(
                format!("overrides.containerOverrides[{i}].name"),
                format!("Required: the job has {} containers; name the one to override", containers.len()),
            ),
            None => violation(
                format!("overrides.containerOverrides[{i}].name"),
                format!("no container named {:?} in the job", co.name),
            ),
        }
    }
    let mut rules = Vec::new();
    for (i, co) in o.container_overrides.iter().enumerate() {
        crate::field_rules::env(&co.env, &format!("overrides.containerOverrides[{i}]"), &mut rules);
    }
    bad.extend(rules);
    (targets, bad)
}

/// Applies `jobs.run` overrides to an execution spec (R17), reporting every bad field.
fn apply_overrides(spec: &mut ExecutionSpec, request: &RunJobRequest) -> Result<()> {
    let Some(o) = &request.overrides else { return Ok(()) };
    let (targets, bad) = check_overrides(spec, o);
    if !bad.is_empty() {
        return Err(Error::invalid(bad));
    }
    let ts = &mut spec.template.get_or_insert_with(TaskTemplateSpec::default).spec;
    if o.task_count > 0 {
        spec.task_count = o.task_count;
        if spec.parallelism > spec.task_count {
            spec.parallelism = spec.task_count;
        }
    }
    if o.timeout_seconds > 0 {
        ts.timeout_seconds = Some(i64::from(o.timeout_seconds));
    }
    if o.delay_execution {
        spec.delay_execution = true;
    }
    for (t, co) in targets {
        let Some(c) = ts.containers.get_mut(t) else { continue };
        if co.clear_args {
            c.args.clear();
        } else if !co.args.is_empty() {
            c.args = co.args.clone();
        }
        for e in &co.env {
            match c.env.iter_mut().find(|x| x.name == e.name) {
                Some(existing) => *existing = EnvVar { ..e.clone() },
                None => c.env.push(e.clone()),
            }
        }
    }
    Ok(())
}

/// The execution resource as created from a job (R18): metadata, labels, spec with the
/// effective parallelism. `request` carries overrides (already validated by `run`).
pub fn build(state: &State, job: &Job, name: &str, spec: Option<ExecutionSpec>, ctx: &Context) -> Execution {
    let project = &state.world.project;
    let template = job.spec.template.clone().unwrap_or_default();
    let mut spec = spec.unwrap_or(template.spec);
    spec.parallelism = effective_parallelism(state, spec.parallelism, spec.task_count);
    let tmeta = template.metadata.unwrap_or_default();
    let mut meta = ObjectMeta {
        name: name.to_string(),
        namespace: project.number.clone(),
        self_link: names::self_link(&project.number, "executions", name),
        generation: 1,
        uid: ctx.uuid(),
        resource_version: resource_version(ctx.now),
        creation_timestamp: format_timestamp(ctx.now),
        labels: tmeta.labels,
        annotations: tmeta.annotations,
        ..ObjectMeta::default()
    };
    let jm = &job.metadata;
    meta.labels.insert(LABEL_LOCATION.into(), project.region.clone());
    meta.labels.insert(LABEL_JOB.into(), jm.name.clone());
    meta.labels.insert(LABEL_JOB_GENERATION.into(), jm.generation.to_string());
    meta.labels.insert(LABEL_JOB_UID.into(), jm.uid.clone());
    let job_rv = parse_resource_version(&jm.resource_version).unwrap_or(ctx.now);
    meta.labels.insert(LABEL_JOB_RESOURCE_VERSION.into(), job_rv.to_string());
    meta.annotations.insert(ANN_CREATOR.into(), project.caller.clone());
    meta.annotations.insert(ANN_LAST_MODIFIER.into(), project.caller.clone());
    meta.annotations.insert(ANN_OPERATION_ID.into(), ctx.uuid());
    meta.owner_references = vec![OwnerReference {
        api_version: "serving.knative.dev/v1".into(),
        kind: "Job".into(),
        name: jm.name.clone(),
        uid: jm.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }];
    Execution {
        api_version: "run.googleapis.com/v1".into(),
        kind: "Execution".into(),
        metadata: meta,
        spec,
        status: None,
    }
}

/// `jobs.run` (R16–R19, D2): checks, overrides, a fresh `{job}-{suffix}` name (R3).
pub fn run(state: &State, name: &str, request: &RunJobRequest, ctx: &Context) -> Result<Vec<Event>> {
    let project = &state.world.project;
    let job_state = state
        .job(name)
        .filter(|j| !j.deleting)
        .ok_or_else(|| Error::not_found(name, "JOB", &project.region, &project.id))?;
    let job = &job_state.job;
    let mut spec = job.spec.template.clone().unwrap_or_default().spec;
    apply_overrides(&mut spec, request)?;
    let ready = job.status.as_ref().and_then(|s| s.conditions.iter().find(|c| c.type_ == "Ready"));
    if let Some(r) = ready.filter(|r| r.status == "False") {
        return Err(Error::new(
            ErrorCode::FailedPrecondition,
            format!("Job '{name}' is not ready: {} {}", r.reason, r.message).trim_end().to_string(),
        ));
    }
    let max = state.world.settings.max_running_executions as usize;
    if state.running_executions() >= max {
        return Err(Error::new(
            ErrorCode::ResourceExhausted,
            format!("Too many executions are already running ({max}); wait for some to finish."),
        ));
    }
    let ordinal = next_ordinal(job_state.execution_ordinal).map_err(|e| {
        Error::new(
            ErrorCode::ResourceExhausted,
            format!("Job '{name}' has created {e} executions; {e} is the most (int32)."),
        )
    })?;
    let mut exec_name = format!("{name}-{}", ctx.suffix());
    while state.executions.contains_key(&exec_name) {
        exec_name = format!("{name}-{}", ctx.suffix());
    }
    let execution = build(state, job, &exec_name, Some(spec), ctx);
    Ok(vec![Event::ExecutionCreated { execution: Box::new(execution), ordinal, token: None }])
}

fn not_found(state: &State, name: &str) -> Error {
    let p = &state.world.project;
    Error::not_found(name, "EXECUTION", &p.region, &p.id)
}

/// `executions.cancel` (R28, D4): a terminal execution is returned unchanged.
pub fn cancel(state: &State, name: &str) -> Result<Vec<Event>> {
    let e = state.execution(name).ok_or_else(|| not_found(state, name))?;
    if e.is_terminal() {
        return Ok(Vec::new());
    }
    // A cancelled execution is terminal too: it counts toward the retention limit (R31).
    let mut events = crate::decide::scheduler::retention(state, &e.job, name);
    events.push(Event::ExecutionCancelled { execution: name.to_string() });
    events.extend(crate::decide::scheduler::token_readiness_after_end(state, e, None));
    Ok(events)
}

/// `executions.delete` (R29, D10): cancel if running — which decides a token job's `Ready`
/// as a cancel does (D19) — then remove.
pub fn delete(state: &State, name: &str) -> Result<Vec<Event>> {
    let e = state.execution(name).ok_or_else(|| not_found(state, name))?;
    let mut events = Vec::new();
    if !e.is_terminal() {
        events.push(Event::ExecutionCancelled { execution: name.to_string() });
        events.extend(crate::decide::scheduler::token_readiness_after_end(state, e, None));
    }
    events.push(Event::ExecutionDeleted { execution: name.to_string() });
    Ok(events)
}
