//! `jobsim serve`: the Cloud Run Admin API v1 over HTTP, for real, unmodified clients (gcloud,
//! googleapis, google-api-python-client).
//!
//! Only transport lives here: the route table, validation and answers are the core's
//! (`jobsim_core::http`), shared with the wasm `sim.handle`. This crate adds what a process
//! needs: a socket (hyper 1.x on tokio), one `Simulator` behind a mutex, the wall clock
//! ([`wall`]) with a task that fires timers on their own, the log on disk ([`store`]: locked,
//! each request's batch committed whole), limits,
//! timeouts and a graceful shutdown.

pub mod store;
pub mod wall;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use jobsim_core::http::{handle_in, ClockMode, HttpAnswer, MAX_BODY_BYTES};
use jobsim_core::scenario::Scenario;
use jobsim_core::time::Micros;
use jobsim_core::Simulator;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use store::{Refused, Store};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use wall::WallClock;

/// How long a client may take to send a request's headers (also the keep-alive idle limit:
/// hyper starts this timer when it waits for the next request on a connection).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send a request's body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long shutdown waits for requests in flight before closing their connections.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What `jobsim serve` was asked for.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind (`127.0.0.1` unless asked otherwise).
    pub host: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Wall (with its speed) or manual clock.
    pub clock: ClockMode,
    /// The durable event log, if any.
    pub data: Option<PathBuf>,
    /// The world and steps applied before serving.
    pub scenario: Option<Scenario>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 8080,
            clock: ClockMode::Wall { speed: 1.0 },
            data: None,
            scenario: None,
        }
    }
}

/// Why the server could not start; the CLI exits with [`StartError::exit_code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartError {
    /// 2 for unusable input (a refused log, a bad option), 1 for the system (bind failed).
    pub exit_code: u8,
    /// What went wrong, in a sentence.
    pub message: String,
}

impl StartError {
    fn input(message: impl Into<String>) -> Self {
        StartError { exit_code: 2, message: message.into() }
    }
    fn system(message: impl Into<String>) -> Self {
        StartError { exit_code: 1, message: message.into() }
    }
}

impl From<Refused> for StartError {
    fn from(r: Refused) -> Self {
        StartError::input(r.0)
    }
}

/// The one simulator and what moves and keeps it.
struct World {
    sim: Simulator,
    mode: ClockMode,
    wall: Option<WallClock>,
    store: Option<Store>,
    /// Set when the log could not be written: nothing more is answered (an answer would
    /// acknowledge what is not durable).
    broken: Option<String>,
}

impl World {
    /// Brings virtual time up to the wall clock (no-op in manual mode). `full`: the clock is
    /// moved to the wall's instant (a write is decided at it; a `ClockMoved` event may be
    /// recorded); otherwise only the timers due by then fire, each at its own instant, so that
    /// a read — whose answer does not depend on "now" — records nothing when nothing is due
    /// (no event, no fsync per GET).
    fn catch_up(&mut self, full: bool) {
        let Some(target) = self.wall.as_ref().map(WallClock::target) else { return };
        let result = if full {
            let now = self.sim.now_micros();
            if target > now {
                self.sim.advance_micros(target - now).map(|_| ())
            } else {
                Ok(())
            }
        } else {
            self.fire_timers_until(target)
        };
        if let Err(e) = result {
            // The runaway guard (D26) or the end of time: what was recorded is kept and the
            // next catch-up goes on from there.
            eprintln!("jobsim serve: the wall clock could not move the simulator: {e}");
        }
    }

    /// Fires the timers due at or before `target`, each at its instant (no `ClockMoved`).
    fn fire_timers_until(&mut self, target: Micros) -> Result<(), jobsim_core::Error> {
        while let Some(due) = self.sim.state().timers.first().map(|((due, _), _)| *due) {
            if due > target {
                break;
            }
            let before = self.sim.version();
            self.sim.advance_micros(due.saturating_sub(self.sim.now_micros()).max(0))?;
            if self.sim.version() == before {
                break;
            }
        }
        Ok(())
    }

    /// Writes the events not on disk yet; after a failure, nothing more is answered.
    fn persist(&mut self) -> Result<(), String> {
        if let Some(store) = &mut self.store {
            let from = store.written() + 1;
            if let Err(e) = store.append(self.sim.envelopes(from)) {
                let why = format!("cannot write the event log {}: {e}", store.path().display());
                eprintln!("jobsim serve: {why}; refusing every further request");
                self.broken = Some(why.clone());
                return Err(why);
            }
        }
        if let Some(w) = &mut self.wall {
            w.rebase(self.sim.now_micros());
        }
        Ok(())
    }

    fn answer(&mut self, method: &str, url: &str, body: Option<&str>) -> HttpAnswer {
        if let Some(why) = &self.broken {
            return HttpAnswer::status(503, "UNAVAILABLE", why);
        }
        // Reads of the v1 API only fire due timers; writes and the control routes see the
        // wall clock's instant as "now".
        let full = method != "GET" || !url.starts_with("/apis/");
        self.catch_up(full);
        let answer = handle_in(&mut self.sim, self.mode, method, url, body);
        match self.persist() {
            Ok(()) => answer,
            Err(why) => HttpAnswer::status(503, "UNAVAILABLE", &why),
        }
    }

    /// The wall time until the next timer is due (in wall mode).
    fn next_wake(&self) -> Option<Duration> {
        let wall = self.wall.as_ref()?;
        let due = self.sim.state().timers.first().map(|((due, _), _)| *due)?;
        Some(wall.until(due))
    }
}

struct Shared {
    world: Mutex<World>,
    /// Wakes the timer task after a request (it may have scheduled an earlier timer).
    wake: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, World> {
        // A panic while holding the lock cannot leave a half-applied write (the core applies a
        // command whole or not at all), so a poisoned lock is still a consistent world.
        self.world.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A bound server, ready to [`Server::run`].
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl Server {
    /// Opens the log (or runs the scenario), then binds. Must be called inside a tokio runtime.
    pub async fn bind(config: Config) -> Result<Server, StartError> {
        if let ClockMode::Wall { speed } = config.clock {
            if !(speed.is_finite() && speed > 0.0 && speed <= 1e9) {
                return Err(StartError::input(format!("--speed must be a number above 0 (at most 1e9), got {speed}")));
            }
        }
        let (sim, store) = match &config.data {
            Some(path) => {
                let (sim, store) =
                    Store::open(path, config.scenario.as_ref(), &mut |m| eprintln!("jobsim serve: {m}"))?;
                (sim, Some(store))
            }
            None => match &config.scenario {
                Some(s) => (s.run().map_err(|e| StartError::input(e.message))?.simulator, None),
                None => (Simulator::new(&serde_json::Value::Null).map_err(|e| StartError::input(e.message))?, None),
            },
        };
        let listener = TcpListener::bind((config.host.as_str(), config.port))
            .await
            .map_err(|e| StartError::system(format!("cannot listen on {}:{}: {e}", config.host, config.port)))?;
        let addr = listener.local_addr().map_err(|e| StartError::system(e.to_string()))?;
        let wall = match config.clock {
            ClockMode::Wall { speed } => Some(WallClock::start(speed, sim.now_micros())),
            ClockMode::Manual => None,
        };
        let world = World { sim, mode: config.clock, wall, store, broken: None };
        Ok(Server { listener, shared: Arc::new(Shared { world: Mutex::new(world), wake: Notify::new() }), addr })
    }

    /// The address bound (the port chosen for `--port 0`).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish (at most
    /// [`SHUTDOWN_GRACE`]).
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let graceful = GracefulShutdown::new();
        let timers = tokio::spawn(fire_timers(self.shared.clone()));
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let _ = stream.set_nodelay(true);
                    let shared = self.shared.clone();
                    let service = hyper::service::service_fn(move |req| serve_request(shared.clone(), req));
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(HEADER_TIMEOUT)
                        .serve_connection(TokioIo::new(stream), service);
                    let conn = graceful.watch(conn);
                    tokio::spawn(async move {
                        let _ = conn.await;
                    });
                }
                () = &mut shutdown => break,
            }
        }
        drop(self.listener);
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
        timers.abort();
    }
}

/// Wall mode: fires timers when they are due, with no request needed.
async fn fire_timers(shared: Arc<Shared>) {
    loop {
        let wait = {
            let mut world = shared.lock();
            if world.wall.is_none() {
                return;
            }
            if world.broken.is_none() {
                world.catch_up(false);
                let _ = world.persist();
            }
            world.next_wake().unwrap_or(Duration::from_secs(3600))
        };
        tokio::select! {
            () = tokio::time::sleep(wait.max(Duration::from_millis(1))) => {}
            () = shared.wake.notified() => {}
        }
    }
}

async fn serve_request(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = req.method().as_str().to_owned();
    let url = req.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let declared =
        req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Ok(reply(HttpAnswer::too_large(declared), true));
    }
    let body = match tokio::time::timeout(BODY_TIMEOUT, Limited::new(req.into_body(), MAX_BODY_BYTES).collect()).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return Ok(reply(HttpAnswer::too_large(None), true));
        }
        Ok(Err(e)) => {
            return Ok(reply(
                HttpAnswer::status(400, "INVALID_ARGUMENT", &format!("cannot read the request body: {e}")),
                true,
            ))
        }
        Err(_) => {
            let message = format!("the request body did not arrive within {} s", BODY_TIMEOUT.as_secs());
            return Ok(reply(HttpAnswer::status(408, "DEADLINE_EXCEEDED", &message), true));
        }
    };
    let text = match std::str::from_utf8(&body) {
        Ok(t) => t,
        Err(e) => {
            let message = format!("Invalid JSON payload received. The body is not UTF-8 (byte {}).", e.valid_up_to());
            return Ok(reply(HttpAnswer::status(400, "INVALID_ARGUMENT", &message), false));
        }
    };
    let (answer, version_moved) = {
        let mut world = shared.lock();
        let before = world.sim.version();
        let answer = world.answer(&method, &url, (!text.is_empty()).then_some(text));
        (answer, world.sim.version() != before)
    };
    if version_moved {
        shared.wake.notify_one();
    }
    Ok(reply(answer, false))
}

fn reply(answer: HttpAnswer, close: bool) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(answer.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
    if close {
        // The body was not read: the connection cannot carry another request.
        response.headers_mut().insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Resolves when the process gets SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `jobsim serve`: binds, prints the one startup line (`listening` gets it), serves until
/// SIGINT / SIGTERM. A host that is not loopback gets a warning on stderr: there is no auth.
pub fn serve(config: Config, listening: impl FnOnce(String)) -> Result<(), StartError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| StartError::system(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let server = Server::bind(config).await?;
        let addr = server.local_addr();
        if !addr.ip().is_loopback() {
            eprintln!(
                "jobsim serve: warning: listening on {} — not loopback, and an emulator has no auth: anyone who can \
                 reach it can change the world",
                addr.ip()
            );
        }
        listening(format!("jobsim serve: listening on http://{addr}"));
        server.run(shutdown_signal()).await;
        Ok(())
    })
}

/// A server on its own thread and runtime (tests, embedding): stops on [`Running::stop`] or drop.
pub struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops gracefully and waits for the thread.
    pub fn stop(mut self) {
        self.shut();
    }

    fn shut(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shut();
    }
}

/// Starts a server on a thread of its own; returns once it listens.
pub fn spawn(config: Config) -> Result<Running, StartError> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(r) => r,
            Err(e) => {
                let _ = ready_tx.send(Err(StartError::system(e.to_string())));
                return;
            }
        };
        runtime.block_on(async move {
            match Server::bind(config).await {
                Ok(server) => {
                    let _ = ready_tx.send(Ok(server.local_addr()));
                    server
                        .run(async {
                            let _ = stop_rx.await;
                        })
                        .await;
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            }
        });
    });
    let addr = ready_rx.recv().map_err(|_| StartError::system("the server thread ended before it listened"))??;
    Ok(Running { addr, stop: Some(stop_tx), thread: Some(thread) })
}
