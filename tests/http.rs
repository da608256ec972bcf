//! The API over a real socket on 127.0.0.1, without a browser: many clients at once.

use e2e::{ADMIN_TOKEN, TestServer, fixture_content, http};
use model::api::{SubmissionReceipt, SubmissionSummary};
use model::submission::{Contact, Sections, Submission};
use std::sync::Arc;

fn submission(n: usize) -> Submission {
    let mut submission = Submission {
        lang: model::Lang::Ro,
        title: format!("Atelier de lectură numărul {n}"),
        summary: format!("Copiii citesc împreună la bibliotecă, atelierul {n}."),
        sections: Sections {
            context: format!("Context pentru atelierul {n}."),
            what_was_done: format!("S-au citit {n} cărți."),
            ..Sections::default()
        },
        contact: Contact { name: format!("Bibliotecar {n}"), email: format!("b{n}@biblioteca.ro") },
        ..Submission::default()
    };
    submission.meta.countries = vec!["RO".into()];
    submission.meta.period.start = "2024".into();
    submission.meta.lead_organisation =
        model::case::Organisation { name: format!("Biblioteca {n}"), kind: "public-library".into() };
    submission.meta.themes = vec!["reading".into()];
    submission
}

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
                let body = serde_json::to_vec(&submission(n)).unwrap();
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

    let dir = server.content().join("submissions");
    for (n, id) in &receipts {
        let mut problems = Vec::new();
        let case = indexer::content::read_case(&dir.join(id), id, "submission", &mut problems)?
            .unwrap_or_else(|| panic!("{id}: {problems:?}"));
        assert_eq!(problems, []);
        assert_eq!(case.texts[0].front.title, format!("Atelier de lectură numărul {n}"), "{id} holds its own text");
        let record = std::fs::read_to_string(dir.join(id).join("submission.toml"))?;
        assert!(record.contains(&format!("b{n}@biblioteca.ro")), "{record}");
    }
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

/// Searches run while full rebuilds switch generations under the server: none fails, and the
/// server ends on the newest generation.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn searches_never_fail_while_the_index_is_rebuilt() -> anyhow::Result<()> {
    let server = TestServer::start_with_assets(&fixture_content(), None).await?;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let base = format!("http://{}", server.addr);
    let searchers: Vec<_> = (0..4)
        .map(|_| {
            let (stop, base) = (stop.clone(), base.clone());
            tokio::spawn(async move {
                let client = http::client();
                let (mut ok, mut failed) = (0usize, Vec::new());
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    match http::send(&client, "GET", &format!("{base}/api/search?q=biblioteca"), &[], None).await {
                        Ok((200, body))
                            if serde_json::from_slice::<model::api::SearchResponse>(&body)
                                .is_ok_and(|r| r.total > 0) =>
                        {
                            ok += 1
                        }
                        other => failed.push(format!("{other:?}")),
                    }
                }
                (ok, failed)
            })
        })
        .collect();

    let content = server.content();
    let index = server.dir.path().join("index");
    for _ in 0..10 {
        let (content, index) = (content.clone(), index.clone());
        let id = tokio::task::spawn_blocking(move || {
            let collection = indexer::content::load(&content, &|_, _| {}).unwrap();
            indexer::index::generation::build(&collection, &index, &|_, _| {}).unwrap().generation.id
        })
        .await?;
        e2e::eventually("the server on the new generation", || async {
            Ok((server.state.engine().info().id == id).then_some(()))
        })
        .await?;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut ok, mut failed) = (0, Vec::new());
    for searcher in searchers {
        let (o, f) = searcher.await?;
        ok += o;
        failed.extend(f);
    }
    println!("{ok} searches across 10 rebuilds, {} failed", failed.len());
    assert!(failed.is_empty(), "{failed:?}");
    assert!(ok > 100);
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
        Some(serde_json::to_vec(&submission(7))?),
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
    assert_eq!(serde_json::from_slice::<model::api::Approved>(&body)?.indexed, false);

    drop(build_lock);
    e2e::eventually("the approved case in search", || async {
        let (_, body) = http::send(&client, "GET", &server.url("/api/search?q=atelierul%207"), &[], None).await?;
        let found = serde_json::from_slice::<model::api::SearchResponse>(&body)?;
        Ok(found.hits.iter().any(|h| h.slug == "reading-workshop-7").then_some(()))
    })
    .await?;
    Ok(())
}
