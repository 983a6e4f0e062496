//! A tiny OAuth2 authorization server for the tests, on loopback over plain HTTP (the
//! server under test runs with `outbound_allow_private`): `POST /token` exchanges the one
//! known refresh token for a new access token (`at-1`, `at-2`, …), `POST /introspect`
//! (RFC 7662, as Dovecot's `oauth2` passdb asks with `introspection_mode = post`) says
//! whether a token is active and whose it is. Tokens can be revoked.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const REFRESH_TOKEN: &str = "rt-test-refresh";
pub const CLIENT_ID: &str = "ruad-test-client";
pub const CLIENT_SECRET: &str = "cs-test-secret";

#[derive(Default)]
pub struct State {
    /// Form fields of every token request.
    pub token_requests: Vec<HashMap<String, String>>,
    /// Issued access tokens and whether they are still active.
    pub tokens: HashMap<String, bool>,
    pub introspections: usize,
}

pub struct TokenServer {
    pub port: u16,
    pub state: Arc<Mutex<State>>,
    _thread: std::thread::JoinHandle<()>,
}

impl TokenServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn token_requests(&self) -> usize {
        self.state.lock().unwrap().token_requests.len()
    }

    pub fn revoke_all(&self) {
        for active in self.state.lock().unwrap().tokens.values_mut() {
            *active = false;
        }
    }

    pub fn start(user: &'static str) -> TokenServer {
        let state = Arc::new(Mutex::new(State::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let state = shared.clone();
                    tokio::spawn(async move {
                        let _ = serve(stream, state, user).await;
                    });
                }
            });
        });
        TokenServer {
            port,
            state,
            _thread: thread,
        }
    }
}

fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

async fn serve(
    mut stream: tokio::net::TcpStream,
    state: Arc<Mutex<State>>,
    user: &str,
) -> std::io::Result<()> {
    loop {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if stream.read(&mut byte).await? == 0 {
                return Ok(());
            }
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head).to_string();
        let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0u8; length];
        stream.read_exact(&mut body).await?;
        let fields = form(&body);
        let (status, answer) = {
            let mut s = state.lock().unwrap();
            if path.starts_with("/token") {
                s.token_requests.push(fields.clone());
                let good = fields.get("grant_type").map(String::as_str) == Some("refresh_token")
                    && fields.get("refresh_token").map(String::as_str) == Some(REFRESH_TOKEN)
                    && fields.get("client_id").map(String::as_str) == Some(CLIENT_ID)
                    && fields.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET);
                if good {
                    let token = format!("at-{}", s.token_requests.len());
                    s.tokens.insert(token.clone(), true);
                    (
                        "200 OK",
                        serde_json::json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600})
                            .to_string(),
                    )
                } else {
                    (
                        "400 Bad Request",
                        serde_json::json!({"error": "invalid_grant", "error_description": "unknown refresh token"})
                            .to_string(),
                    )
                }
            } else if path.starts_with("/introspect") {
                s.introspections += 1;
                let token = fields.get("token").cloned().unwrap_or_default();
                let active = s.tokens.get(&token).copied().unwrap_or(false);
                let answer = if active {
                    serde_json::json!({"active": "true", "username": user})
                } else {
                    serde_json::json!({"active": "false"})
                };
                ("200 OK", answer.to_string())
            } else {
                ("404 Not Found", "{}".to_string())
            }
        };
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}",
            answer.len()
        );
        stream.write_all(response.as_bytes()).await?;
    }
}
