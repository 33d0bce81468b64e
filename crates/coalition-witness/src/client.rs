//! Asking witnesses for cosignatures: one `add-checkpoint` per witness, all at once, each
//! bounded by a timeout. A witness that holds another size than the client guessed answers 409
//! with its size; the client then proves consistency from that size and asks once more.

use std::time::Duration;

use coalition_ledger::Hash;
use coalition_ledger::checkpoint::split_note;
use coalition_ledger::cosignature::{Cosignature, CosignerKey};
use coalition_ledger::merkle::consistency_proof;
use coalition_ledger::witness::{AddCheckpoint, parse_size_answer};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// A witness to ask: its key and its submission prefix (`http://host:port`).
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The witness's verifier key.
    pub key: CosignerKey,
    /// The URL prefix; `/add-checkpoint` is appended.
    pub url: String,
}

/// What one witness answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A cosignature that verifies under the witness's key.
    Cosigned(Cosignature),
    /// The witness refused (its status and what it said).
    Refused {
        /// The HTTP status.
        status: u16,
        /// The body, trimmed.
        reason: String,
    },
    /// It could not be reached, or answered something that is not a valid cosignature.
    Failed(String),
    /// No answer within the timeout.
    TimedOut,
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

async fn post(client: &HttpClient, url: &str, body: String) -> Result<(u16, String), String> {
    let uri: hyper::Uri = format!("{}/add-checkpoint", url.trim_end_matches('/'))
        .parse()
        .map_err(|e| format!("bad witness URL {url:?}: {e}"))?;
    let request = hyper::Request::post(uri)
        .header(hyper::header::CONTENT_TYPE, "text/plain")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let response = client.request(request).await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// Asks one witness to cosign `note` (a checkpoint of the tree whose leaves are `leaves`),
/// guessing that it holds `guess` (0 if unknown).
pub async fn add_checkpoint(
    client: &HttpClientHandle,
    endpoint: &Endpoint,
    note: &str,
    leaves: &[Hash],
    guess: u64,
) -> Outcome {
    let Ok((text, _)) = split_note(note) else {
        return Outcome::Failed("the checkpoint is not a signed note".into());
    };
    let mut old = guess.min(leaves.len() as u64);
    for _ in 0..2 {
        let Ok(proof) = consistency_proof(leaves, old) else {
            return Outcome::Failed(format!("no proof from size {old}"));
        };
        let body = AddCheckpoint {
            old_size: old,
            proof,
            checkpoint: note.to_owned(),
        }
        .to_body();
        let (status, answer) = match post(&client.0, &endpoint.url, body).await {
            Ok(answer) => answer,
            Err(e) => return Outcome::Failed(e),
        };
        match status {
            200 => {
                let lines = answer
                    .lines()
                    .filter_map(|l| Cosignature::parse_line(l).ok());
                for line in lines {
                    if line.is_by(&endpoint.key) && line.verify(&endpoint.key, text).is_ok() {
                        return Outcome::Cosigned(line);
                    }
                }
                return Outcome::Failed(
                    "the answer holds no valid cosignature by the witness".into(),
                );
            }
            409 => match parse_size_answer(&answer) {
                Some(held) if held <= leaves.len() as u64 && held != old => old = held,
                Some(held) => {
                    return Outcome::Refused {
                        status,
                        reason: format!("the witness holds size {held}, larger than this log"),
                    };
                }
                None => return Outcome::Failed("a 409 without a size".into()),
            },
            _ => {
                return Outcome::Refused {
                    status,
                    reason: answer.trim().to_owned(),
                };
            }
        }
    }
    Outcome::Failed("the witness kept changing its size".into())
}

/// A reusable HTTP client (keep-alive connections).
#[derive(Clone)]
pub struct HttpClientHandle(HttpClient);

impl Default for HttpClientHandle {
    fn default() -> Self {
        HttpClientHandle(client())
    }
}

/// Asks every endpoint at once; each answer is bounded by `timeout`. Returns one outcome per
/// endpoint, in their order.
pub async fn gather(
    endpoints: &[Endpoint],
    note: &str,
    leaves: &[Hash],
    timeout: Duration,
) -> Vec<Outcome> {
    let client = HttpClientHandle::default();
    let asks = endpoints.iter().map(|endpoint| {
        let client = client.clone();
        async move {
            tokio::time::timeout(timeout, add_checkpoint(&client, endpoint, note, leaves, 0))
                .await
                .unwrap_or(Outcome::TimedOut)
        }
    });
    futures_util::future::join_all(asks).await
}
