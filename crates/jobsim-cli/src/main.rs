//! `jobsim`: run Cloud Run Jobs scenarios, print or replay their event logs, explain outcomes.
//!
//! A thin face over `jobsim_core`: it reads files, calls the core, prints. Exit codes: 0 on
//! success (API errors inside a scenario are outcomes, not failures), 2 for unusable input.

use clap::{Parser, Subcommand, ValueEnum};
use jobsim_core::scenario::Scenario;
use jobsim_core::{Error, Simulator};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod serve;
mod sweep;
mod text;

/// The example scenario run when `jobsim run` gets no file.
const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/etl-retries.yaml");

#[derive(Parser)]
#[command(name = "jobsim", version = jobsim_core::VERSION, about = "A deterministic simulator of Google Cloud Run Jobs (Admin API v1)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A readable timeline.
    Text,
    /// One JSON object per step, one a line.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario file (JSON or YAML); without FILE, the built-in example.
    Run {
        /// The scenario file.
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Run a scenario and print its event log as JSON Lines.
    Events {
        /// The scenario file.
        file: PathBuf,
    },
    /// Rebuild a simulator from an event log (JSON Lines) and print its resources.
    Replay {
        /// The event log.
        events: PathBuf,
    },
    /// Run a scenario and say why each execution ended as it did (and what it cost).
    Explain {
        /// The scenario file.
        file: PathBuf,
    },
    /// Serve the Cloud Run Admin API v1 over HTTP for real clients (gcloud, googleapis, python).
    Serve(serve::ServeArgs),
    /// What-if sweep: run a scenario many times over a grid of knobs; summarize outcomes,
    /// durations and cost (or `sweep merge` the records of shards).
    Sweep(sweep::SweepArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        // The server and the sweep keep their own exit codes and output streams.
        Command::Serve(args) => serve::run(args).map_or_else(
            |(message, code)| {
                eprintln!("jobsim serve: {message}");
                ExitCode::from(code)
            },
            |()| ExitCode::SUCCESS,
        ),
        Command::Sweep(args) => sweep::main(args),
        Command::Run { file, format } => print(run(file.as_deref(), format)),
        Command::Events { file } => print(events(&file)),
        Command::Replay { events } => print(replay(&events)),
        Command::Explain { file } => print(explain(&file)),
    }
}

/// Writes a command's output to stdout (exit 0), or its error to stderr (exit 2: unusable input).
fn print(output: Result<String, String>) -> ExitCode {
    match output {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush()).is_err() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("jobsim: {message}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn scenario(path: &Path) -> Result<Scenario, String> {
    Scenario::parse(&read(path)?).map_err(|e| in_file(path, &e))
}

fn in_file(path: &Path, e: &Error) -> String {
    format!("{}: {} ({})", path.display(), e.message, e.code)
}

fn run(file: Option<&Path>, format: Format) -> Result<String, String> {
    let scenario = match file {
        Some(f) => scenario(f)?,
        None => Scenario::parse(DEFAULT_SCENARIO).map_err(|e| e.to_string())?,
    };
    let name = file.unwrap_or(Path::new("<built-in example>"));
    let run = scenario.run().map_err(|e| in_file(name, &e))?;
    let out = match format {
        Format::Json => run.jsonl(),
        Format::Text => text::render(&scenario, &run),
    };
    // The process ends right after printing: the OS takes the memory back at once, where freeing
    // a big world piece by piece costs ~8 % of a 10,000-task run's instructions (BENCHMARKS.md).
    std::mem::forget(run);
    Ok(out)
}

fn events(file: &Path) -> Result<String, String> {
    let run = scenario(file)?.run().map_err(|e| in_file(file, &e))?;
    let out = run.simulator.events_jsonl();
    std::mem::forget(run); // as in `run`: the process ends now
    Ok(out)
}

/// Replays an event log. A log `jobsim serve --data` wrote has a commit file beside it: only the
/// committed part is replayed (what a restarted server would serve), and anything after it — a
/// batch a crash interrupted, never acknowledged — is named on stderr.
fn replay(events: &Path) -> Result<String, String> {
    let (text, beyond) = jobsim_server::store::read_committed(events)?;
    if let Some(warning) = beyond {
        eprintln!("jobsim replay: {warning}");
    }
    let sim = Simulator::replay_jsonl(&text).map_err(|e| in_file(events, &e))?;
    Ok(text::resources(&sim))
}

fn explain(file: &Path) -> Result<String, String> {
    let run = scenario(file)?.run().map_err(|e| in_file(file, &e))?;
    let sim = &run.simulator;
    let mut out = String::new();
    for (line, cost) in jobsim_core::explain::all(sim.state(), sim.envelopes(1)) {
        out.push_str(&line);
        out.push('\n');
        out.push_str(&jobsim_core::explain::cost_line(&cost));
        out.push('\n');
    }
    Ok(out)
}
