//! `jobsim serve`: the arguments, read into a `jobsim_server::Config`; the server does the rest.

use clap::{Args, ValueEnum};
use jobsim_core::http::ClockMode;
use jobsim_server::Config;
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum Clock {
    /// Virtual time follows the wall clock × --speed; timers fire on their own.
    Wall,
    /// Time moves only by the control endpoints (/jobsim/v1/clock:advance, …).
    Manual,
}

/// `jobsim serve [SCENARIO] [--host] [--port] [--clock] [--speed] [--data]`.
#[derive(Args)]
pub struct ServeArgs {
    /// A scenario file (JSON or YAML): the world (seed, profile, project, settings, workloads,
    /// faults) and steps applied before serving. Without it, the default world.
    scenario: Option<PathBuf>,
    /// Address to listen on. Anything but loopback is reachable by others, with no auth.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on; 0 picks a free one (printed on the startup line).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// How virtual time moves.
    #[arg(long, value_enum, default_value = "wall")]
    clock: Clock,
    /// Virtual seconds per wall second (--clock wall).
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// The durable event log (JSON Lines): every accepted write is fsync'd to it before it is
    /// answered; a restart on the same file resumes the same world.
    #[arg(long)]
    data: Option<PathBuf>,
}

/// Serves until SIGINT / SIGTERM; `Err` is the message and the exit code.
pub fn run(args: ServeArgs) -> Result<(), (String, u8)> {
    let scenario = args.scenario.as_deref().map(crate::scenario).transpose().map_err(|m| (m, 2))?;
    let clock = match args.clock {
        Clock::Wall => ClockMode::Wall { speed: args.speed },
        Clock::Manual => ClockMode::Manual,
    };
    let config = Config { host: args.host, port: args.port, clock, data: args.data, scenario };
    jobsim_server::serve(config, |line| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    })
    .map_err(|e| (e.message, e.exit_code))
}
