//! Reading a request's input with the field at fault named: query parameters by name, JSON
//! bodies by JSON pointer. Unknown fields are refused, bodies are limited in size and must say
//! they are JSON.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest body accepted (a draft statement with many paragraphs fits well inside).
pub(crate) const MAX_BODY_BYTES: usize = 1 << 20;

/// How much of a body too large is still read and thrown away before answering 413. A client
/// over HTTP/1.1 sends its whole body before it reads the answer; closing the connection on it
/// half-way resets the socket and the client never sees the 413 at all.
const DRAINED_BYTES: usize = 16 * MAX_BODY_BYTES;

/// The body, if it is at most [`MAX_BODY_BYTES`] long.
async fn read_limited(body: axum::body::Body) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk
            .map_err(|err| ApiError::bad_request(format!("the body could not be read: {err}")))?;
        seen = seen.saturating_add(chunk.len());
        if seen <= MAX_BODY_BYTES {
            bytes.extend_from_slice(&chunk);
        } else if seen > DRAINED_BYTES {
            break;
        }
    }
    if seen > MAX_BODY_BYTES {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "input.too_large",
            format!("the body is larger than {MAX_BODY_BYTES} bytes"),
        ));
    }
    Ok(bytes)
}

/// Query parameters, deserialised with the parameter at fault named.
pub(crate) struct Query<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Query)
            .map_err(|err| {
                let field = field_name(&err);
                let message = err.into_inner().to_string();
                let field = field.or_else(|| named_field(&message)).unwrap_or_default();
                ApiError::bad_request(message).at(field)
            })
    }
}

/// A JSON body, deserialised with the field at fault named as a JSON pointer.
pub(crate) struct Body<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "input.media_type",
                "expected a body with Content-Type: application/json",
            ));
        }
        let bytes = read_limited(request.into_body()).await?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
            let pointer = pointer(err.path());
            let message = err.into_inner().to_string();
            // Some fields at fault are in the path already, some only in the message.
            let pointer = match named_field(&message) {
                Some(name) if !pointer.ends_with(&format!("/{name}")) => {
                    format!("{pointer}/{name}")
                }
                _ => pointer,
            };
            ApiError::bad_request(message).at(pointer)
        })?;
        deserializer
            .end()
            .map_err(|err| ApiError::bad_request(err.to_string()).at(""))?;
        Ok(Body(value))
    }
}

/// The parameter a query error is about, if the path names one.
fn field_name<E>(err: &serde_path_to_error::Error<E>) -> Option<String> {
    let path = err.path().to_string();
    (path != ".").then_some(path)
}

/// A path as a JSON pointer (RFC 6901): `/commitment/validity/from`, `/paragraphs/2`.
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .fold(String::new(), |pointer, part| format!("{pointer}/{part}"))
}

/// serde names an unknown or a missing field only in its message: "unknown field `x`, expected
/// …", "missing field `seq`".
fn named_field(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("missing field `"))?;
    Some(rest[..rest.find('`')?].to_owned())
}

/// A category filter, checked as a slug: a category in a stored event is taken as written, but
/// one a client asks for that can be no category is a mistake to name, not an empty answer.
pub(crate) fn category<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<coalition_core::commitment::Category>, D::Error> {
    let text: Option<String> = serde::Deserialize::deserialize(deserializer)?;
    text.map(|text| coalition_core::commitment::Category::parse(&text))
        .transpose()
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::named_field;

    #[test]
    fn an_unknown_or_missing_field_is_named() {
        assert_eq!(named_field("missing field `seq`").as_deref(), Some("seq"));
        assert_eq!(
            named_field("unknown field `colour`, expected `at`").as_deref(),
            Some("colour")
        );
        assert_eq!(named_field("invalid type: string"), None);
    }
}
