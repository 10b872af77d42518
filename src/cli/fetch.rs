//! `forecast-zoo fetch`: Prometheus `query_range` history written as CSV (the project's
//! layouts) or JSON. Also the Prometheus connection options shared with `serve`.

use std::path::PathBuf;
use std::time::Duration;

use forecast_zoo::live::LiveError;
use forecast_zoo::live::auth::{Auth, Secret};
use forecast_zoo::live::client::{ClientConfig, DEFAULT_MAX_POINTS, PromClient, RangeSource};
use forecast_zoo::live::duration::{parse_duration, parse_time};
use forecast_zoo::live::fetch::{write_csv, write_json};
use forecast_zoo::live::process::unix_now;

use super::common::{CliError, CliResult, create, finish, input_err, is_json};

impl From<LiveError> for CliError {
    fn from(e: LiveError) -> Self {
        if e.is_input_error() {
            CliError::Input(e.to_string())
        } else {
            CliError::Internal(e.to_string())
        }
    }
}

/// How to reach Prometheus. Secrets come from an environment variable or a file only.
#[derive(Debug, Clone, clap::Args)]
pub struct PromArgs {
    /// Prometheus base URL, e.g. http://127.0.0.1:9090 (no credentials in it).
    #[arg(long, value_name = "URL")]
    pub prometheus: Option<String>,
    /// Read a bearer token from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub bearer_token_env: Option<String>,
    /// Read a bearer token from this file (read again on every request).
    #[arg(long, value_name = "FILE")]
    pub bearer_token_file: Option<PathBuf>,
    /// Basic-auth user name (the password comes from --basic-auth-password-env/-file).
    #[arg(long, value_name = "USER")]
    pub basic_auth_user: Option<String>,
    /// Read the basic-auth password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub basic_auth_password_env: Option<String>,
    /// Read the basic-auth password from this file.
    #[arg(long, value_name = "FILE")]
    pub basic_auth_password_file: Option<PathBuf>,
    /// PEM file of extra CA certificates to trust besides the system roots.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Timeout of one HTTP request, e.g. 30s.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub timeout: i64,
    /// Most points per series in one request (Prometheus refuses more than 11000).
    #[arg(long, default_value_t = DEFAULT_MAX_POINTS)]
    pub max_points_per_request: usize,
}

impl PromArgs {
    /// The client settings; `--prometheus` is required here.
    pub fn client_config(&self) -> CliResult<ClientConfig> {
        let url = self
            .prometheus
            .clone()
            .ok_or_else(|| input_err("--prometheus URL is required"))?;
        let mut c = ClientConfig::new(url);
        let bearer = Secret::from_options(
            "--bearer-token-env/--bearer-token-file",
            self.bearer_token_env.clone(),
            self.bearer_token_file.clone(),
        )?;
        let password = Secret::from_options(
            "--basic-auth-password-env/--basic-auth-password-file",
            self.basic_auth_password_env.clone(),
            self.basic_auth_password_file.clone(),
        )?;
        c.auth = match (bearer, &self.basic_auth_user, password) {
            (Some(_), Some(_), _) => {
                return Err(input_err(
                    "give either a bearer token or basic auth, not both",
                ));
            }
            (Some(t), None, None) => Auth::Bearer(t),
            (None, Some(u), Some(p)) => Auth::Basic {
                username: u.clone(),
                password: p,
            },
            (None, Some(_), None) => {
                return Err(input_err(
                    "--basic-auth-user needs --basic-auth-password-env or --basic-auth-password-file",
                ));
            }
            (_, None, Some(_)) => {
                return Err(input_err("a basic-auth password needs --basic-auth-user"));
            }
            (None, None, None) => Auth::None,
        };
        c.ca_file = self.ca_file.clone();
        c.timeout = Duration::from_secs(self.timeout as u64);
        c.max_points = self.max_points_per_request;
        Ok(c)
    }
}

/// Options of `fetch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    prom: PromArgs,
    /// PromQL expression.
    #[arg(long)]
    query: String,
    /// Start: RFC3339, Unix seconds, now or now-<duration> (e.g. now-1d).
    #[arg(long)]
    start: String,
    /// End (same forms as --start).
    #[arg(long, default_value = "now")]
    end: String,
    /// Resolution, e.g. 15s or 5m.
    #[arg(long, value_parser = parse_duration)]
    step: i64,
    /// Output file: .json for the query_range JSON, else CSV (long layout
    /// __name__,timestamp,value,labels…; timestamp,value for one unlabelled series);
    /// stdout CSV when absent.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Output format on stdout: csv or json.
    #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
    format: String,
}

/// Runs `fetch`.
pub fn run(a: Args, quiet: bool) -> CliResult {
    let now = unix_now() as i64;
    let start = parse_time(&a.start, now).map_err(|e| input_err(format!("--start: {e}")))?;
    let end = parse_time(&a.end, now).map_err(|e| input_err(format!("--end: {e}")))?;
    let client = PromClient::new(a.prom.client_config()?)?;
    let series = client.query_range(&a.query, start, end, a.step)?;
    let json = match &a.output {
        Some(p) => is_json(p),
        None => a.format == "json",
    };
    match &a.output {
        Some(p) => {
            let mut w = create(p)?;
            if json {
                write_json(&mut w, &series)?;
            } else {
                write_csv(&mut w, &series)?;
            }
            finish(w, p)?;
        }
        None => {
            let out = std::io::stdout().lock();
            if json {
                write_json(out, &series)?;
            } else {
                write_csv(out, &series)?;
            }
        }
    }
    if !quiet {
        let points: usize = series.iter().map(|s| s.raw.len()).sum();
        eprintln!("fetched {} series, {points} points", series.len());
    }
    Ok(())
}
