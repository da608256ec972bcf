//! What the changing endpoints ask of a request, as axum extractors: the client's address
//! ([`Client`]), a request from the site itself ([`SameSite`]), the maintainers' token
//! ([`Maintainer`]) and a strict JSON body ([`StrictJson`]). A handler names what it needs in its
//! arguments, and each refusal is the same JSON error everywhere.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, header};
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// The client's address, when the server knows it: the peer, or the address a trusted reverse
/// proxy names in `X-Forwarded-For`.
#[derive(Clone, Copy, Debug)]
pub struct Client(pub Option<IpAddr>);

impl Client {
    pub fn of(state: &AppState, headers: &HeaderMap, extensions: &Extensions) -> Client {
        let Some(peer) = extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip()) else {
            return Client(None);
        };
        if !state.trusted_proxies.contains(&peer) {
            return Client(Some(peer));
        }
        // The proxy appends the address it saw: the last entry is the one it vouches for.
        let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).last();
        let named = forwarded.and_then(|list| list.rsplit(',').next()).and_then(|ip| ip.trim().parse().ok());
        Client(Some(named.unwrap_or(peer)))
    }

    /// The key the rate limits count this client under.
    pub fn key(self) -> IpAddr {
        self.0.unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    /// As the audit log records it.
    pub fn shown(self) -> Option<String> {
        self.0.map(|ip| ip.to_string())
    }
}

impl FromRequestParts<Arc<AppState>> for Client {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, AppError> {
        Ok(Client::of(state, &parts.headers, &parts.extensions))
    }
}

/// A request the site's own pages made: browsers say where a request comes from in
/// `Sec-Fetch-Site` and `Origin` (other clients send neither), and one from another site is
/// refused (cross-site request forgery).
pub struct SameSite;

impl SameSite {
    pub fn check(state: &AppState, headers: &HeaderMap) -> Result<SameSite, AppError> {
        if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
            && !matches!(site, "same-origin" | "none")
        {
            return Err(AppError::Forbidden(format!(
                "a {site} request cannot change the collection; use the site's own form"
            )));
        }
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            // The site's own origin: its public address when it has one (whatever Host a client
            // sends), else the Host it was reached at, over plain HTTP, or HTTPS when the reverse
            // proxy in front says so.
            let own = match &state.public_url {
                Some(url) => url.split('/').take(3).collect::<Vec<_>>().join("/"),
                None => {
                    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
                    let https = headers
                        .get("x-forwarded-proto")
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
                    format!("{}://{host}", if https { "https" } else { "http" })
                }
            };
            if !origin.eq_ignore_ascii_case(&own) {
                return Err(AppError::Forbidden("a request from another site cannot change the collection".into()));
            }
        }
        Ok(SameSite)
    }
}

impl FromRequestParts<Arc<AppState>> for SameSite {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, AppError> {
        SameSite::check(state, &parts.headers)
    }
}

/// A request with the maintainers' token (`Authorization: Bearer <token>`), compared in constant
/// time. Without a configured token maintainer actions are off (503); wrong guesses are limited
/// per client (429). The client's address comes along for the audit log.
pub struct Maintainer(pub Client);

impl FromRequestParts<Arc<AppState>> for Maintainer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, AppError> {
        let client = Client::of(state, &parts.headers, &parts.extensions);
        let Some(expected) = &state.admin_token else {
            return Err(AppError::Unavailable("maintainer actions are off: the server was started without an admin token (ADMIN_TOKEN or --admin-token-file)".into()));
        };
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().split_once(' '))
            // The scheme's name is case-insensitive (RFC 9110 §11.1).
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        if given.is_some_and(|given| bool::from(given.as_bytes().ct_eq(expected))) {
            return Ok(Maintainer(client));
        }
        if state.login_limiter.check_key(&client.key()).is_err() {
            return Err(AppError::TooManyRequests {
                message: "too many failed attempts; wait a minute".into(),
                retry_after: 60,
            });
        }
        Err(AppError::Unauthorized(if given.is_some() {
            "the maintainer token is wrong".into()
        } else {
            "this needs the maintainer token (Authorization: Bearer …)".into()
        }))
    }
}

/// A JSON body of at most `LIMIT` bytes read into `T`, refusing unknown keys: 415 for another
/// content type, 413 for too much, 408 when it does not arrive in time, 400 naming what does not
/// parse.
pub struct StrictJson<T, const LIMIT: usize>(pub T);

impl<T: DeserializeOwned, const LIMIT: usize, S: Send + Sync> FromRequest<S> for StrictJson<T, LIMIT> {
    type Rejection = AppError;

    async fn from_request(request: Request, _: &S) -> Result<Self, AppError> {
        let is_json = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
            let mime = v.split(';').next().unwrap_or("").trim();
            mime.eq_ignore_ascii_case("application/json")
        });
        if !is_json {
            return Err(AppError::UnsupportedMediaType(
                "send the body as JSON with `Content-Type: application/json`".into(),
            ));
        }
        let too_large = || AppError::PayloadTooLarge(format!("the body is larger than the {LIMIT} bytes allowed"));
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > LIMIT) {
            return Err(too_large());
        }
        let bytes = axum::body::to_bytes(request.into_body(), LIMIT)
            .await
            .map_err(|error| AppError::unread_body(&error, too_large))?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let (value, unknown) = model::strict::deserialize::<_, T>(&mut deserializer)
            .map_err(|e| AppError::BadRequest(format!("the body is not valid: {e}")))?;
        deserializer.end().map_err(|e| AppError::BadRequest(format!("the body is not valid: {e}")))?;
        if !unknown.is_empty() {
            return Err(AppError::BadRequest(format!("the body has unknown fields: {}", unknown.join(", "))));
        }
        Ok(StrictJson(value))
    }
}
