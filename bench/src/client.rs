//! A blocking HTTP/1.1 client with keep-alive (ureq), as a script or a browser tab would use.

use anyhow::Result;
use std::time::Duration;

pub use ureq::Agent;

/// An agent that keeps connections open, reports every status as a status (not an error) and
/// gives up on a request after 30 s.
pub fn agent() -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .max_idle_connections_per_host(64)
        .build()
        .new_agent()
}

/// `GET url`: the status and the body.
pub fn get(agent: &Agent, url: &str) -> Result<(u16, Vec<u8>)> {
    get_with(agent, url, &[])
}

/// `GET url` with extra headers.
pub fn get_with(agent: &Agent, url: &str, headers: &[(&str, &str)]) -> Result<(u16, Vec<u8>)> {
    let mut request = agent.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.call()?;
    let status = response.status().as_u16();
    Ok((status, response.body_mut().read_to_vec()?))
}

/// `POST url` with a JSON body.
pub fn post_json(agent: &Agent, url: &str, body: &[u8]) -> Result<(u16, Vec<u8>)> {
    let mut response = agent.post(url).header("content-type", "application/json").send(body)?;
    let status = response.status().as_u16();
    Ok((status, response.body_mut().read_to_vec()?))
}
