//! The API over a real socket on 127.0.0.1, without a browser: many clients at once.

use bench::faults::{check_stored, sample_submission};
use e2e::{ADMIN_TOKEN, TestServer, fixture_content, http};
use model::api::{SubmissionReceipt, SubmissionSummary};
use std::sync::Arc;

/// A thousand contributors submit at the same moment: every one is acknowledged, and every
/// acknowledged submission is on disk, complete and valid, under its own reference.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_submissions_are_all_stored_intact() -> anyhow::Result<()> {
    let server = TestServer::start_with_assets(&fixture_content(), None).await?;
    let client = Arc::new(http::client());
    let url = server.url("/api/submissions");
    let tasks: Vec<_> = (0..1000)
        .map(|n| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move {
                let body = serde_json::to_vec(&sample_submission(n)).unwrap();
                let (status, body) =
                    http::send(&client, "POST", &url, &[("content-type", "application/json")], Some(body)).await?;
                anyhow::ensure!(status == 201, "submission {n}: {status} {}", String::from_utf8_lossy(&body));
                Ok((n, serde_json::from_slice::<SubmissionReceipt>(&body)?.id))
            })
        })
        .collect();
    let mut receipts = Vec::new();
    for task in tasks {
        receipts.push(task.await??);
    }
    let ids: std::collections::HashSet<&String> = receipts.iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), 1000, "every submission has its own reference");

    for (n, id) in &receipts {
        check_stored(&server.content(), id, *n).map_err(anyhow::Error::msg)?;
    }
    let dir = server.content().join("submissions");
    let leftovers: Vec<_> =
        std::fs::read_dir(&dir)?.flatten().filter(|e| e.file_name().to_string_lossy().starts_with(".tmp")).collect();
    assert!(leftovers.is_empty());

    let (status, body) = http::send(
        &client,
        "GET",
        &server.url("/api/admin/submissions"),
        &[("authorization", &format!("Bearer {ADMIN_TOKEN}"))],
        None,
    )
    .await?;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_slice::<Vec<SubmissionSummary>>(&body)?.len(), 1000);
    Ok(())
}

/// An approval while a full build holds the lock is searchable as soon as the build ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_approval_during_a_build_is_indexed_when_it_ends() -> anyhow::Result<()> {
    let server = TestServer::start_with_assets(&fixture_content(), None).await?;
    let client = http::client();
    let (status, body) = http::send(
        &client,
        "POST",
        &server.url("/api/submissions"),
        &[("content-type", "application/json")],
        Some(serde_json::to_vec(&sample_submission(7))?),
    )
    .await?;
    assert_eq!(status, 201);
    let id = serde_json::from_slice::<SubmissionReceipt>(&body)?.id;

    let build_lock = indexer::index::generation::WriteLock::try_acquire(&server.dir.path().join("index"))?;
    let auth = format!("Bearer {ADMIN_TOKEN}");
    let (status, body) = http::send(
        &client,
        "POST",
        &server.url(&format!("/api/admin/submissions/{id}/approve")),
        &[("content-type", "application/json"), ("authorization", &auth)],
        Some(br#"{"slug":"reading-workshop-7"}"#.to_vec()),
    )
    .await?;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(!serde_json::from_slice::<model::api::Approved>(&body)?.indexed);

    drop(build_lock);
    e2e::eventually("the approved case in search", || async {
        let (_, body) = http::send(&client, "GET", &server.url("/api/search?q=atelierul%207"), &[], None).await?;
        let found = serde_json::from_slice::<model::api::SearchResponse>(&body)?;
        Ok(found.hits.iter().any(|h| h.slug == "reading-workshop-7").then_some(()))
    })
    .await?;
    Ok(())
}
