//! Starting `serve`: one worker thread per target plus the HTTP server.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use super::client::{PromClient, RangeSource};
use super::config::ServeConfig;
use super::error::{LiveError, Result};
use super::process::unix_now;
use super::server::{AppState, HttpServer};
use super::target::Target;
use crate::registry::Registry;

/// HTTP worker threads.
const HTTP_THREADS: usize = 4;

/// A running `serve`.
#[derive(Debug)]
pub struct Running {
    http: HttpServer,
    stop: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

/// Starts every target against the configured Prometheus, and the HTTP server.
pub fn start(cfg: ServeConfig, registry: Registry) -> Result<Running> {
    let client: Arc<dyn RangeSource> = Arc::new(PromClient::new(cfg.client.clone())?);
    start_with_source(cfg, registry, client)
}

/// Like [`start`] with another source of range queries (tests use a fake).
pub fn start_with_source(
    cfg: ServeConfig,
    registry: Registry,
    source: Arc<dyn RangeSource>,
) -> Result<Running> {
    let mut targets = Vec::with_capacity(cfg.targets.len());
    for t in cfg.targets {
        targets.push(Target::new(t, Arc::clone(&source), registry.clone())?);
    }
    let state = Arc::new(AppState {
        targets: targets.iter().map(Target::status).collect(),
        heartbeat_limits: targets
            .iter()
            .map(|t| {
                let c = t.config();
                5.0 * c.interval.as_secs_f64().max(c.max_backoff as f64) + 60.0
            })
            .collect(),
        started: unix_now(),
    });
    let http = HttpServer::start(&cfg.listen, state, HTTP_THREADS)?;
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for t in targets {
        let name = t.config().name.clone();
        let stop = Arc::clone(&stop);
        let h = std::thread::Builder::new()
            .name(format!("target-{name}"))
            .spawn(move || t.run(stop))
            .map_err(|e| LiveError::Io {
                what: format!("starting the worker of target {name}"),
                message: e.to_string(),
            })?;
        workers.push(h);
    }
    Ok(Running {
        http,
        stop,
        workers,
    })
}

impl Running {
    /// The HTTP server's address.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.http.addr()
    }

    /// Blocks while the workers run (until [`Running::shutdown`] from another handle, or
    /// forever).
    pub fn wait(self) {
        for w in self.workers {
            let _ = w.join();
        }
        self.http.shutdown();
    }

    /// Stops the workers and the HTTP server.
    pub fn shutdown(self) {
        self.stop.store(true, Ordering::Relaxed);
        self.wait();
    }
}
