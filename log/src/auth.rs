//! The admin bearer token: loaded once, compared in constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The shortest token accepted, so that a guessable one is refused at startup.
pub const MIN_TOKEN_LEN: usize = 16;

/// The configured admin token, kept as its SHA-256 so that every comparison
/// takes the same time whatever the length of what was sent.
#[derive(Clone)]
pub struct Token(Option<[u8; 32]>);

impl Token {
    /// From `--token-file` (first line) or else `KOEKJE_LOG_TOKEN`; `None`
    /// inside when neither is set, which disables the admin endpoints.
    pub fn load(file: Option<&str>, env: Option<String>) -> Result<Token, String> {
        let raw = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("--token-file {path}: {e}"))?;
                Some(text.lines().next().unwrap_or("").trim().to_string())
            }
            None => env.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
        };
        match raw {
            None => Ok(Token(None)),
            Some(t) if t.len() < MIN_TOKEN_LEN => {
                Err(format!("the admin token must be at least {MIN_TOKEN_LEN} characters"))
            }
            Some(t) => Ok(Token(Some(Sha256::digest(t.as_bytes()).into()))),
        }
    }

    /// True when a token is configured.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// True when the `Authorization` header value is `Bearer <the token>`.
    pub fn allows(&self, header: Option<&[u8]>) -> bool {
        let (Some(want), Some(h)) = (self.0, header) else {
            return false;
        };
        let Some(sent) = h.strip_prefix(b"Bearer ") else {
            return false;
        };
        let got: [u8; 32] = Sha256::digest(sent).into();
        bool::from(want.ct_eq(&got))
    }
}
