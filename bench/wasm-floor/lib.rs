//! How many wasm bytes each face of jobsim costs: the engine driven by typed requests, then the
//! JSON API, options, replay/snapshots and scenarios (YAML) added one by one through cargo
//! features. Built and measured by `bench/wasm-floor.sh` with the package's own build steps; the
//! figures are in BENCHMARKS.md. Not shipped: a measuring stick, not a product.

use jobsim_core::request::{ListQuery, Read, Request, Write};
use jobsim_core::resources::{Container, ExecutionTemplateSpec, Job, TaskTemplateSpec};
use jobsim_core::settings::World;
use jobsim_core::Simulator;
use wasm_bindgen::prelude::*;

/// A simulator driven by typed requests only: no JSON is read unless a feature adds a reader.
#[wasm_bindgen]
pub struct Floor(Simulator);

fn thrown(e: jobsim_core::Error) -> JsValue {
    JsValue::from_str(&e.to_string())
}

#[wasm_bindgen]
impl Floor {
    /// A default world with this seed.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u64) -> Floor {
        let world = World { seed, ..World::default() };
        Floor(Simulator::with_world(world))
    }

    fn request(&mut self, request: Request) -> Result<String, JsValue> {
        self.0.request(request).map(|r| r.to_json_text()).map_err(thrown)
    }

    /// `jobs.create` of a one-container job.
    pub fn create(&mut self, name: &str, image: &str, tasks: i32, retries: i32) -> Result<String, JsValue> {
        let mut task = TaskTemplateSpec::default();
        task.spec.max_retries = Some(retries);
        task.spec.containers = vec![Container { image: image.into(), ..Container::default() }];
        let mut template = ExecutionTemplateSpec::default();
        template.spec.task_count = tasks;
        template.spec.template = Some(task);
        let mut job = Job::default();
        job.metadata.name = name.into();
        job.spec.template = Some(template);
        self.request(Request::Write(Write::CreateJob { body: Box::new(job), dry_run: false }))
    }

    /// `jobs.run`.
    pub fn run(&mut self, name: &str) -> Result<String, JsValue> {
        self.request(Request::Write(Write::RunJob { name: name.into(), request: Default::default() }))
    }

    /// `executions.cancel`.
    pub fn cancel(&mut self, name: &str) -> Result<String, JsValue> {
        self.request(Request::Write(Write::CancelExecution { name: name.into() }))
    }

    /// `executions.get`.
    pub fn execution(&mut self, name: &str) -> Result<String, JsValue> {
        self.request(Request::Read(Read::GetExecution { name: name.into() }))
    }

    /// `jobs.list` and `tasks.list`, first page.
    pub fn lists(&mut self) -> Result<String, JsValue> {
        let jobs = self.request(Request::Read(Read::ListJobs(ListQuery::default())))?;
        let tasks = self.request(Request::Read(Read::ListTasks(ListQuery::default())))?;
        Ok(jobs + &tasks)
    }

    /// The clock.
    pub fn advance(&mut self, micros: i64) -> Result<usize, JsValue> {
        self.0.advance_micros(micros).map_err(thrown)
    }

    /// The clock, until no timer is left.
    pub fn run_until_idle(&mut self) -> Result<usize, JsValue> {
        self.0.run_until_idle().map_err(thrown)
    }

    /// `jobsim explain`.
    pub fn explain(&self, execution: &str) -> Result<String, JsValue> {
        self.0.explain(execution).map_err(thrown)
    }

    /// The event log as JSON Lines.
    pub fn events(&self) -> String {
        self.0.events_jsonl()
    }

    /// The JSON API: `call(method, paramsJson)`.
    #[cfg(feature = "api")]
    pub fn call(&mut self, method: &str, params: &str) -> Result<String, JsValue> {
        let params: serde_json::Value = serde_json::from_str(params).map_err(|e| JsValue::from_str(&e.to_string()))?;
        self.0.call_text(method, &params).map_err(thrown)
    }

    /// A simulator from the options object (seed, profile, start, world settings).
    #[cfg(feature = "options")]
    pub fn with_options(options: &str) -> Result<Floor, JsValue> {
        let options: serde_json::Value =
            serde_json::from_str(options).map_err(|e| JsValue::from_str(&e.to_string()))?;
        Simulator::new(&options).map(Floor).map_err(thrown)
    }

    /// A simulator rebuilt from an event log.
    #[cfg(feature = "replay")]
    pub fn replay(log: &str) -> Result<Floor, JsValue> {
        Simulator::replay_jsonl(log).map(Floor).map_err(thrown)
    }

    /// The snapshot, as JSON text.
    #[cfg(feature = "replay")]
    pub fn snapshot(&self) -> String {
        self.0.snapshot().to_string()
    }

    /// A whole scenario (JSON or YAML) run to its JSON Lines outcomes.
    #[cfg(feature = "scenario")]
    pub fn run_scenario(text: &str) -> Result<String, JsValue> {
        jobsim_core::run_scenario(text).map_err(thrown)
    }
}
