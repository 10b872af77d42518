//! Credentials for Prometheus: a bearer token or basic auth, read from an environment
//! variable or a file, never from a command-line value (which `ps` would show).
//!
//! Files are read again on every request, so rotated tokens (Kubernetes service-account
//! tokens) are picked up without a restart.
//!
//! ```
//! use forecast_zoo::live::auth::{Auth, Secret};
//! let dir = std::env::temp_dir().join(format!("fz-auth-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("pw"), "open sesame\n").unwrap();
//! let auth = Auth::Basic { username: "Aladdin".into(), password: Secret::File(dir.join("pw")) };
//! assert_eq!(auth.header().unwrap().unwrap(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
//! ```

use std::fmt;
use std::path::PathBuf;

use super::error::{LiveError, Result};

/// Where a secret is read from.
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    /// The value of this environment variable.
    Env(String),
    /// The content of this file (one trailing line break removed).
    File(PathBuf),
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Secret::Env(v) => write!(f, "Secret::Env({v:?})"),
            Secret::File(p) => write!(f, "Secret::File({})", p.display()),
        }
    }
}

impl Secret {
    /// Reads the secret. Errors: [`LiveError::Secret`] when the variable is unset or empty,
    /// or the file cannot be read or is empty (the message names the variable or file,
    /// never the value).
    pub fn read(&self) -> Result<String> {
        let value = match self {
            Secret::Env(name) => std::env::var(name)
                .map_err(|e| LiveError::Secret(format!("environment variable `{name}`: {e}")))?,
            Secret::File(path) => std::fs::read_to_string(path)
                .map_err(|e| LiveError::Secret(format!("file {}: {e}", path.display())))?,
        };
        let value = value
            .strip_suffix('\n')
            .map(|v| v.strip_suffix('\r').unwrap_or(v))
            .unwrap_or(&value)
            .to_string();
        if value.is_empty() {
            return Err(LiveError::Secret(match self {
                Secret::Env(name) => format!("environment variable `{name}` is empty"),
                Secret::File(path) => format!("file {} is empty", path.display()),
            }));
        }
        Ok(value)
    }

    /// Picks the source from an optional variable name and an optional file (at most one).
    pub fn from_options(
        what: &str,
        env: Option<String>,
        file: Option<PathBuf>,
    ) -> Result<Option<Secret>> {
        match (env, file) {
            (Some(_), Some(_)) => Err(LiveError::invalid(
                what,
                "give either an environment variable or a file, not both",
            )),
            (Some(v), None) => Ok(Some(Secret::Env(v))),
            (None, Some(f)) => Ok(Some(Secret::File(f))),
            (None, None) => Ok(None),
        }
    }
}

/// How requests to Prometheus authenticate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic base64(user:password)`.
    Basic {
        /// The user name (not secret).
        username: String,
        /// The password.
        password: Secret,
    },
}

impl Auth {
    /// The `Authorization` header value, read now; `None` without credentials.
    pub fn header(&self) -> Result<Option<String>> {
        Ok(match self {
            Auth::None => None,
            Auth::Bearer(s) => Some(format!("Bearer {}", s.read()?)),
            Auth::Basic { username, password } => {
                let pw = password.read()?;
                Some(format!(
                    "Basic {}",
                    base64(format!("{username}:{pw}").as_bytes())
                ))
            }
        })
    }
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (i, o) in cases {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn secrets_from_env_and_file() {
        let dir = std::env::temp_dir().join(format!("fz-auth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("token");
        std::fs::write(&f, "abc123\r\n").unwrap();
        let auth = Auth::Bearer(Secret::File(f.clone()));
        assert_eq!(auth.header().unwrap().as_deref(), Some("Bearer abc123"));
        // A rotated token is read again.
        std::fs::write(&f, "def456").unwrap();
        assert_eq!(auth.header().unwrap().as_deref(), Some("Bearer def456"));

        std::fs::write(&f, "").unwrap();
        let e = auth.header().unwrap_err().to_string();
        assert!(e.contains("is empty") && e.contains("token"), "{e}");
        let e = Auth::Bearer(Secret::File(dir.join("missing")))
            .header()
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing"), "{e}");

        // The variable name is unique to this test, so no other test races on it.
        let var = "FORECAST_ZOO_TEST_AUTH_UNSET_7F3A";
        let e = Auth::Bearer(Secret::Env(var.into()))
            .header()
            .unwrap_err()
            .to_string();
        assert!(e.contains(var), "{e}");
        // PATH is always set: read it as a "password" to exercise the env path.
        let path = std::env::var("PATH").unwrap();
        let basic = Auth::Basic {
            username: "u".into(),
            password: Secret::Env("PATH".into()),
        };
        assert_eq!(
            basic.header().unwrap().unwrap(),
            format!("Basic {}", base64(format!("u:{path}").as_bytes()))
        );
        assert_eq!(Auth::None.header().unwrap(), None);
        assert!(Secret::from_options("bearer", Some("A".into()), Some(f)).is_err());
        assert_eq!(Secret::from_options("bearer", None, None).unwrap(), None);
        let _ = std::fs::remove_dir_all(dir);
    }
}
