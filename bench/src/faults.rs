//! Fault drills over the real binaries: full rebuilds under a stream of searches, the indexer
//! killed (SIGKILL) at random moments and right after it switches generations, then rerun, the
//! server killed during a stream of submissions and restarted. Each returns what it saw; the
//! tests hold the reports to zero errors at a small scale and `cargo xtask bench` prints them at
//! full scale.

use crate::client::{self, Agent};
use crate::process::{ADMIN_TOKEN, Binaries, Memory, ServerProcess};
use anyhow::{Context, Result, bail};
use model::api::{SearchResponse, Stats, SubmissionReceipt};
use model::submission::{Contact, Sections, Submission};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Where a drill works: its own index, logs and copy of the content go under `work`.
pub struct Drill<'a> {
    pub binaries: &'a Binaries,
    /// The content folder indexed (read only, except by [`server_kills`], which copies it).
    pub content: &'a Path,
    pub work: &'a Path,
    /// Searches the searchers repeat; each must find something in `content`.
    pub queries: &'a [String],
}

impl Drill<'_> {
    fn index(&self) -> PathBuf {
        self.work.join("index")
    }

    fn start_server(&self, content: &Path) -> Result<ServerProcess> {
        self.start_server_with(content, &[])
    }

    fn start_server_with(&self, content: &Path, flags: &[String]) -> Result<ServerProcess> {
        ServerProcess::start_with(
            &self.binaries.server,
            content,
            &self.index(),
            // The drills exercise the API, not the app.
            None,
            &self.work.join("server.log"),
            flags,
        )
    }
}

/// Searches tallied by [`Searchers`].
#[derive(Debug, Default)]
pub struct Tally {
    pub ok: u64,
    /// Each failed search: a status other than 200, a body that does not parse, or a total that
    /// differs from the one the same query had before (a half-built index would show).
    pub failures: Vec<String>,
}

/// Threads that search the server in a loop until stopped.
pub struct Searchers {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<Tally>>,
}

impl Searchers {
    /// `threads` searchers, each going round `queries`; every query's total is taken once first.
    pub fn start(base: &str, queries: &[String], threads: usize) -> Result<Searchers> {
        let agent = client::agent();
        let mut expected = HashMap::new();
        for q in queries {
            let response = search(&agent, base, q)?;
            anyhow::ensure!(response.total > 0, "the drill query {q:?} finds nothing");
            expected.insert(q.clone(), response.total);
        }
        let expected = Arc::new(expected);
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..threads)
            .map(|offset| {
                let (stop, expected, base, queries) =
                    (stop.clone(), expected.clone(), base.to_owned(), queries.to_vec());
                std::thread::spawn(move || {
                    let agent = client::agent();
                    let mut tally = Tally::default();
                    for q in queries.iter().cycle().skip(offset) {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        match search(&agent, &base, q) {
                            Ok(response) if response.total == expected[q] => tally.ok += 1,
                            Ok(response) => {
                                tally.failures.push(format!("{q:?}: {} hits, not {}", response.total, expected[q]))
                            }
                            Err(error) => tally.failures.push(format!("{q:?}: {error:#}")),
                        }
                    }
                    tally
                })
            })
            .collect();
        Ok(Searchers { stop, threads })
    }

    pub fn finish(self) -> Tally {
        self.stop.store(true, Ordering::Relaxed);
        let mut all = Tally::default();
        for thread in self.threads {
            let tally = thread.join().unwrap_or_else(|_| Tally { ok: 0, failures: vec!["a searcher panicked".into()] });
            all.ok += tally.ok;
            all.failures.extend(tally.failures);
        }
        all
    }
}

fn search(agent: &Agent, base: &str, q: &str) -> Result<SearchResponse> {
    let query = model::api::SearchParams { q: q.to_owned(), ..Default::default() }.to_query();
    let (status, body) = client::get(agent, &format!("{base}/api/search?{query}"))?;
    anyhow::ensure!(status == 200, "status {status}: {}", String::from_utf8_lossy(&body));
    Ok(serde_json::from_slice(&body)?)
}

fn stats(agent: &Agent, base: &str) -> Result<Stats> {
    let (status, body) = client::get(agent, &format!("{base}/api/stats"))?;
    anyhow::ensure!(status == 200, "/api/stats answered {status}");
    Ok(serde_json::from_slice(&body)?)
}

fn current_generation(index: &Path) -> Result<String> {
    Ok(std::fs::read_to_string(index.join("CURRENT"))?.trim().to_owned())
}

/// Waits until the server serves `generation`.
fn wait_for_generation(agent: &Agent, base: &str, generation: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while stats(agent, base)?.generation != generation {
        if Instant::now() > deadline {
            bail!("the server did not move to {generation} within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// What [`rebuilds_under_search`] saw.
#[derive(Debug)]
pub struct RebuildReport {
    pub cases: u64,
    pub rebuilds: usize,
    pub searches: Tally,
    pub seconds: f64,
    /// The server's exit after SIGTERM at the end.
    pub clean_exit: bool,
}

/// Runs `rebuilds` full builds one after the other while `searchers` threads search the server;
/// after each build, waits for the server to serve the new generation.
pub fn rebuilds_under_search(drill: &Drill<'_>, rebuilds: usize, searchers: usize) -> Result<RebuildReport> {
    let index = drill.index();
    drill.binaries.build_index(drill.content, &index)?;
    let server = drill.start_server(drill.content)?;
    let base = format!("http://{}", server.addr);
    let agent = client::agent();
    let cases = stats(&agent, &base)?.cases;
    let running = Searchers::start(&base, drill.queries, searchers)?;
    let started = Instant::now();
    for _ in 0..rebuilds {
        drill.binaries.build_index(drill.content, &index)?;
        wait_for_generation(&agent, &base, &current_generation(&index)?)?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let searches = running.finish();
    let clean_exit = server.stop()?.success();
    Ok(RebuildReport { cases, rebuilds, searches, seconds, clean_exit })
}

/// What [`indexer_kills`] saw.
#[derive(Debug, Default)]
pub struct KillReport {
    pub kills: usize,
    /// Builds killed before they switched the serving generation.
    pub before_switch: usize,
    /// Builds killed after switching, while removing old generations.
    pub after_switch: usize,
    /// Builds that finished before the signal came.
    pub finished: usize,
    /// After each kill: the generation `CURRENT` names opens and holds every case.
    pub intact_after_kill: usize,
    pub searches: Tally,
    /// Cases in the content, and in the index the rerun built.
    pub cases: u64,
    pub cases_after_rerun: u64,
    /// What was left in the index folder after the rerun, besides the two newest generations.
    pub leftovers: Vec<String>,
}

/// Kills full builds with SIGKILL while the server serves and searchers search — every other one
/// at a random moment of its run, the others as soon as `CURRENT` names their generation —
/// checks the serving index after each, then reruns the build to the end.
pub fn indexer_kills(drill: &Drill<'_>, kills: usize, seed: u64) -> Result<KillReport> {
    let index = drill.index();
    let build_time = drill.binaries.build_index(drill.content, &index)?;
    let server = drill.start_server(drill.content)?;
    let base = format!("http://{}", server.addr);
    let agent = client::agent();
    let cases = stats(&agent, &base)?.cases;
    let running = Searchers::start(&base, drill.queries, 2)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut report = KillReport { kills, cases, ..KillReport::default() };
    for kill in 0..kills {
        let before = current_generation(&index)?;
        let mut child = drill.binaries.indexer_command(drill.content, &index).spawn()?;
        if kill % 2 == 0 {
            // Anywhere in the run: reading, indexing, merging, writing, switching, cleaning up.
            std::thread::sleep(build_time.mul_f64(rng.random_range(0.0..1.1)));
        } else {
            // Right after the switch, while the build removes old generations: the moment a
            // random kill rarely hits, as the build itself is most of the run.
            while child.try_wait()?.is_none() && current_generation(&index)? == before {
                std::thread::sleep(Duration::from_micros(200));
            }
        }
        if child.try_wait()?.is_some() {
            report.finished += 1;
        } else {
            child.kill()?;
            child.wait()?;
            if current_generation(&index)? == before {
                report.before_switch += 1;
            } else {
                report.after_switch += 1;
            }
        }
        let serving = indexer::Engine::open(&index).context("opening the index after a kill")?;
        if serving.num_cases() == cases {
            report.intact_after_kill += 1;
        }
        wait_for_generation(&agent, &base, &current_generation(&index)?)?;
    }
    drill.binaries.build_index(drill.content, &index)?;
    let generation = current_generation(&index)?;
    wait_for_generation(&agent, &base, &generation)?;
    report.cases_after_rerun = stats(&agent, &base)?.cases;
    report.searches = running.finish();
    drop(server);
    // Generation folders are named in build order: keep the newest two, the rest is left over.
    let mut names: Vec<String> =
        std::fs::read_dir(&index)?.flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let generations: Vec<&String> = names.iter().filter(|name| name.starts_with("gen-")).collect();
    let newest_two = &generations[generations.len().saturating_sub(2)..];
    for name in &names {
        if !matches!(name.as_str(), "CURRENT" | "build.lock") && !newest_two.contains(&name) {
            report.leftovers.push(name.clone());
        }
    }
    Ok(report)
}

/// A valid Romanian submission, told apart from the others by `n` (title, contact, organisation).
pub fn sample_submission(n: usize) -> Submission {
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

/// Checks that submission `id` is on disk under `content`, complete, valid and holding
/// [`sample_submission`]`(n)`; says what is wrong otherwise.
pub fn check_stored(content: &Path, id: &str, n: usize) -> std::result::Result<(), String> {
    let dir = content.join("submissions").join(id);
    let mut problems = Vec::new();
    let case = collection::read_case(&dir, id, "submission", &mut problems)
        .map_err(|error| format!("{id}: {error}"))?
        .ok_or_else(|| format!("{id}: {problems:?}"))?;
    if !problems.is_empty() {
        return Err(format!("{id}: {problems:?}"));
    }
    if case.texts[0].front.title != format!("Atelier de lectură numărul {n}") {
        return Err(format!("{id} holds {:?}, not submission {n}", case.texts[0].front.title));
    }
    let record = std::fs::read_to_string(dir.join("submission.toml")).map_err(|error| format!("{id}: {error}"))?;
    if !record.contains(&format!("b{n}@biblioteca.ro")) {
        return Err(format!("{id}: its record is not submission {n}'s"));
    }
    Ok(())
}

/// What [`server_kills`] saw.
#[derive(Debug, Default)]
pub struct ServerKillReport {
    pub kills: usize,
    pub sent: usize,
    /// Submissions answered 201 with a reference.
    pub acknowledged: usize,
    /// Acknowledged submissions missing or damaged after the restarts.
    pub lost: Vec<String>,
    /// Folders in the submissions folder, other than temporary ones, that are not a complete,
    /// valid submission (found after each kill, before the restart).
    pub partial: Vec<String>,
    /// Temporary folders left by writes the kill interrupted (invisible to reviewers), and how
    /// many remained after the restart cleaned up.
    pub interrupted_writes: usize,
    pub temporaries_after_restart: usize,
    /// Acknowledged submissions listed in the maintainers' queue after the last restart.
    pub listed: usize,
}

/// Streams submissions from `clients` threads at the server, kills it with SIGKILL `kills` times
/// at random moments and restarts it, then checks every acknowledged submission.
pub fn server_kills(drill: &Drill<'_>, kills: usize, clients: usize, seed: u64) -> Result<ServerKillReport> {
    let content = drill.work.join("content");
    let _ = std::fs::remove_dir_all(&content);
    crate::files::copy_dir(drill.content, &content)?;
    drill.binaries.build_index(&content, &drill.index())?;
    let submissions = content.join("submissions");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut report = ServerKillReport { kills, ..ServerKillReport::default() };
    let next = Arc::new(AtomicUsize::new(0));
    let mut acknowledged: Vec<(usize, String)> = Vec::new();
    for _ in 0..kills {
        let server = drill.start_server(&content)?;
        report.temporaries_after_restart += temporaries(&submissions);
        let stop = Arc::new(AtomicBool::new(false));
        let senders: Vec<JoinHandle<(usize, Vec<(usize, String)>)>> = (0..clients)
            .map(|_| {
                let (stop, next, url) = (stop.clone(), next.clone(), server.url("/api/submissions"));
                std::thread::spawn(move || {
                    let agent = client::agent();
                    let (mut sent, mut receipts) = (0, Vec::new());
                    while !stop.load(Ordering::Relaxed) {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let body = serde_json::to_vec(&sample_submission(n)).expect("serialises");
                        sent += 1;
                        // Refused connections and cut-off answers are not acknowledgements.
                        if let Ok((201, answer)) = client::post_json(&agent, &url, &body)
                            && let Ok(receipt) = serde_json::from_slice::<SubmissionReceipt>(&answer)
                        {
                            receipts.push((n, receipt.id));
                        }
                    }
                    (sent, receipts)
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(rng.random_range(150..900)));
        server.kill()?;
        stop.store(true, Ordering::Relaxed);
        for sender in senders {
            let (sent, receipts) = sender.join().map_err(|_| anyhow::anyhow!("a sender panicked"))?;
            report.sent += sent;
            acknowledged.extend(receipts);
        }
        // Before any restart: what a reviewer would see must be whole.
        for entry in std::fs::read_dir(&submissions).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".tmp-") {
                report.interrupted_writes += 1;
                continue;
            }
            if !entry.path().is_dir() {
                continue;
            }
            let mut problems = Vec::new();
            match collection::read_case(&entry.path(), &name, "submission", &mut problems) {
                Ok(Some(_)) if problems.is_empty() && entry.path().join("submission.toml").is_file() => {}
                _ => report.partial.push(format!("{name}: {problems:?}")),
            }
        }
    }
    report.acknowledged = acknowledged.len();
    let server = drill.start_server(&content)?;
    report.temporaries_after_restart += temporaries(&submissions);
    for (n, id) in &acknowledged {
        if let Err(problem) = check_stored(&content, id, *n) {
            report.lost.push(problem);
        }
    }
    let agent = client::agent();
    let (status, body) = client::get_with(
        &agent,
        &server.url("/api/admin/submissions"),
        &[("authorization", &format!("Bearer {ADMIN_TOKEN}"))],
    )?;
    anyhow::ensure!(status == 200, "the review queue answered {status}");
    let listed: Vec<model::api::SubmissionSummary> = serde_json::from_slice(&body)?;
    let listed: std::collections::HashSet<&str> = listed.iter().map(|s| s.id.as_str()).collect();
    report.listed = acknowledged.iter().filter(|(_, id)| listed.contains(id.as_str())).count();
    server.stop()?;
    Ok(report)
}

fn temporaries(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(".tmp-"))
        .count()
}

/// What [`approvals`] saw, in milliseconds per approval.
#[derive(Debug, Default)]
pub struct ApprovalReport {
    pub cases: u64,
    /// The approve request, from sending to its answer.
    pub approve_ms: Vec<f64>,
    /// From sending the approval to the first search that finds the case.
    pub searchable_ms: Vec<f64>,
}

/// Submits `count` cases and approves each one with the maintainers' token, timing how long each
/// takes to become searchable, over the index and content copy [`server_kills`] left (copied and
/// indexed first when there is none).
pub fn approvals(drill: &Drill<'_>, count: usize) -> Result<ApprovalReport> {
    let content = drill.work.join("content");
    if !content.is_dir() {
        crate::files::copy_dir(drill.content, &content)?;
        drill.binaries.build_index(&content, &drill.index())?;
    }
    let server = drill.start_server(&content)?;
    let base = format!("http://{}", server.addr);
    let agent = client::agent();
    let mut report = ApprovalReport { cases: stats(&agent, &base)?.cases, ..ApprovalReport::default() };
    let auth = format!("Bearer {ADMIN_TOKEN}");
    for i in 0..count {
        let n = 900_000 + i;
        let body = serde_json::to_vec(&sample_submission(n))?;
        let (status, answer) = client::post_json(&agent, &server.url("/api/submissions"), &body)?;
        anyhow::ensure!(status == 201, "submission {n}: {status} {}", String::from_utf8_lossy(&answer));
        let id = serde_json::from_slice::<SubmissionReceipt>(&answer)?.id;
        let slug = format!("bench-approval-{n}");
        let approval = serde_json::to_vec(&model::api::Approval { slug: slug.clone() })?;
        let started = Instant::now();
        let mut response = agent
            .post(&server.url(&format!("/api/admin/submissions/{id}/approve")))
            .header("content-type", "application/json")
            .header("authorization", &auth)
            .send(&approval[..])?;
        let status = response.status().as_u16();
        let answer = response.body_mut().read_to_vec()?;
        anyhow::ensure!(status == 200, "approving {id}: {status} {}", String::from_utf8_lossy(&answer));
        report.approve_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let deadline = started + Duration::from_secs(30);
        loop {
            if search(&agent, &base, &format!("atelierul {n}"))?.hits.iter().any(|hit| hit.slug == slug) {
                report.searchable_ms.push(started.elapsed().as_secs_f64() * 1000.0);
                break;
            }
            if Instant::now() > deadline {
                bail!("{slug} was not searchable 30 s after its approval");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    server.stop()?;
    Ok(report)
}

/// The three ways a client holds a connection without finishing with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stall {
    /// Sends the request line and some headers, never the blank line that ends them.
    PartialHeaders,
    /// Sends whole headers promising a JSON body, then a few bytes of it.
    UnfinishedBody,
    /// Asks for the JSON export and never reads the answer.
    UnreadExport,
}

impl Stall {
    pub const ALL: [Stall; 3] = [Stall::PartialHeaders, Stall::UnfinishedBody, Stall::UnreadExport];

    pub fn name(self) -> &'static str {
        match self {
            Stall::PartialHeaders => "partial headers",
            Stall::UnfinishedBody => "unfinished bodies",
            Stall::UnreadExport => "unread exports",
        }
    }

    fn request(self) -> &'static [u8] {
        match self {
            Stall::PartialHeaders => b"GET /api/search?q=library HTTP/1.1\r\nHost: drill\r\nX-Slow: ",
            Stall::UnfinishedBody => {
                b"POST /api/submissions HTTP/1.1\r\nHost: drill\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"title\": \""
            }
            Stall::UnreadExport => b"GET /api/export.json HTTP/1.1\r\nHost: drill\r\n\r\n",
        }
    }

    /// Whether a connection the server has cut is opened again: the partial ones are, as an
    /// attacker keeping up the pressure would; an export's answer is left unread, never retried.
    fn reopened(self) -> bool {
        self != Stall::UnreadExport
    }
}

/// Searches timed by [`timed_searches`].
#[derive(Debug, Default)]
pub struct Timed {
    pub times: Vec<Duration>,
    pub failures: Vec<String>,
}

/// `clients` threads searching `queries` for `seconds`, each search on a new connection (as a
/// new visitor's first request: a client already connected would not meet the connection limit).
pub fn timed_searches(base: &str, queries: &[String], clients: usize, seconds: f64) -> Timed {
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let threads: Vec<JoinHandle<Timed>> = (0..clients)
        .map(|offset| {
            let (base, queries) = (base.to_owned(), queries.to_vec());
            std::thread::spawn(move || {
                let agent = client::agent();
                let mut timed = Timed::default();
                for q in queries.iter().cycle().skip(offset) {
                    if Instant::now() > until {
                        break;
                    }
                    let query = model::api::SearchParams { q: q.clone(), ..Default::default() }.to_query();
                    let started = Instant::now();
                    let answer =
                        client::get_with(&agent, &format!("{base}/api/search?{query}"), &[("connection", "close")]);
                    match answer {
                        Ok((200, body)) if serde_json::from_slice::<SearchResponse>(&body).is_ok() => {
                            timed.times.push(started.elapsed())
                        }
                        Ok((status, body)) => timed
                            .failures
                            .push(format!("{q:?}: {status} {}", String::from_utf8_lossy(&body[..body.len().min(200)]))),
                        Err(error) => timed.failures.push(format!("{q:?}: {error:#}")),
                    }
                }
                timed
            })
        })
        .collect();
    let mut all = Timed::default();
    for thread in threads {
        match thread.join() {
            Ok(timed) => {
                all.times.extend(timed.times);
                all.failures.extend(timed.failures);
            }
            Err(_) => all.failures.push("a searcher panicked".into()),
        }
    }
    all
}

/// One kind of stalled connection in [`stalled_connections`]: how many were held at the end and
/// how many the server cut off (each then opened again, for the kinds that are).
#[derive(Debug, Default, Clone, Copy)]
pub struct Held {
    pub open_at_end: usize,
    pub cut_by_server: usize,
    pub refused: usize,
}

/// What [`stalled_connections`] saw.
#[derive(Debug)]
pub struct StallReport {
    pub cases: u64,
    pub per_kind: usize,
    pub seconds: f64,
    pub max_connections: Option<usize>,
    /// Searches before any stalled connection, and while they were held.
    pub unloaded: Timed,
    pub loaded: Timed,
    /// For [`Stall::ALL`] in order.
    pub held: [Held; 3],
    /// The server's memory and threads before the stalled connections, and the most seen while
    /// they were held.
    pub memory_before: Memory,
    pub threads_before: u64,
    pub memory_during: Memory,
    pub threads_during: u64,
    /// `/healthz` after the stalled connections were let go.
    pub healthy_after: bool,
}

/// Holds `per_kind` connections of each [`Stall`] open against the server while `clients`
/// threads search for `seconds` (on new connections), after the same searching without them:
/// the connections the server cuts off are opened again at once, as an attacker would. With
/// `max_connections` (fewer than the stalled ones), the server is started with that limit.
pub fn stalled_connections(
    drill: &Drill<'_>,
    per_kind: usize,
    clients: usize,
    seconds: f64,
    max_connections: Option<usize>,
) -> Result<StallReport> {
    // Ours and the server's (a child inherits the raised limit): 3 × per_kind sockets each.
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    drill.binaries.build_index(drill.content, &drill.index())?;
    let flags: Vec<String> =
        max_connections.map(|max| vec!["--max-connections".to_owned(), max.to_string()]).unwrap_or_default();
    let server = drill.start_server_with(drill.content, &flags)?;
    let base = format!("http://{}", server.addr);
    let cases = stats(&client::agent(), &base)?.cases;
    let unloaded = timed_searches(&base, drill.queries, clients, seconds);
    let memory_before = server.memory()?;
    let threads_before = threads(server.pid())?;

    let stop = Arc::new(AtomicBool::new(false));
    let holders: Vec<JoinHandle<Held>> = Stall::ALL
        .into_iter()
        .map(|kind| {
            let (stop, addr) = (stop.clone(), server.addr);
            std::thread::spawn(move || hold(addr, kind, per_kind, &stop))
        })
        .collect();
    // Let every holder connect before the searching starts.
    std::thread::sleep(Duration::from_secs(1));
    let (mut memory_during, mut threads_during) = (server.memory()?, threads(server.pid())?);
    let watching = {
        let (stop, pid) = (stop.clone(), server.pid());
        std::thread::spawn(move || {
            let mut most = (Memory::of(pid).ok(), 0);
            while !stop.load(Ordering::Relaxed) {
                if let Ok(memory) = Memory::of(pid)
                    && most.0.is_none_or(|seen| memory.resident_kib > seen.resident_kib)
                {
                    most.0 = Some(memory);
                }
                most.1 = most.1.max(threads(pid).unwrap_or(0));
                std::thread::sleep(Duration::from_millis(100));
            }
            most
        })
    };
    let loaded = timed_searches(&base, drill.queries, clients, seconds);
    stop.store(true, Ordering::Relaxed);
    let mut held = [Held::default(); 3];
    for (slot, holder) in held.iter_mut().zip(holders) {
        *slot = holder.join().map_err(|_| anyhow::anyhow!("a holder panicked"))?;
    }
    if let Ok((Some(memory), most_threads)) = watching.join() {
        if memory.resident_kib > memory_during.resident_kib {
            memory_during = memory;
        }
        threads_during = threads_during.max(most_threads);
    }
    let (status, _) = client::get(&client::agent(), &format!("{base}/healthz"))?;
    server.stop()?;
    Ok(StallReport {
        cases,
        per_kind,
        seconds,
        max_connections,
        unloaded,
        loaded,
        held,
        memory_before,
        threads_before,
        memory_during,
        threads_during,
        healthy_after: status == 200,
    })
}

/// Keeps `count` connections of `kind` open until `stop`, opening again each one the server cuts
/// off when the kind is [`Stall::reopened`].
fn hold(addr: std::net::SocketAddr, kind: Stall, count: usize, stop: &AtomicBool) -> Held {
    use std::io::Write;
    let mut held = Held::default();
    let open = |held: &mut Held| -> Option<std::net::TcpStream> {
        let stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok();
        let stream = stream.and_then(|mut stream| stream.write_all(kind.request()).ok().map(|()| stream));
        if stream.is_none() {
            held.refused += 1;
        }
        stream
    };
    let mut streams: Vec<Option<std::net::TcpStream>> = (0..count).map(|_| open(&mut held)).collect();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(250));
        if !kind.reopened() {
            continue;
        }
        for stream in &mut streams {
            let cut = match stream {
                Some(stream) => {
                    let _ = stream.set_nonblocking(true);
                    let mut byte = [0; 1];
                    // Anything the server sent (an answer, its end) means it is done with it.
                    !matches!(stream.peek(&mut byte), Err(error) if error.kind() == std::io::ErrorKind::WouldBlock)
                }
                None => true,
            };
            if cut && !stop.load(Ordering::Relaxed) {
                held.cut_by_server += usize::from(stream.is_some());
                *stream = open(&mut held);
            }
        }
    }
    held.open_at_end = streams.iter().flatten().count();
    held
}

/// The threads of process `pid`, from `/proc`.
pub fn threads(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|line| line.starts_with("Threads:")).context("no Threads line")?;
    Ok(line["Threads:".len()..].trim().parse()?)
}

/// What [`approvals_during_builds`] saw.
#[derive(Debug, Default)]
pub struct BuildApprovalReport {
    pub cases: u64,
    pub builds: usize,
    /// Approvals answered 200, and of them the ones answered while a build held the index.
    pub approved: usize,
    pub approved_while_building: usize,
    /// Checks of every approval made so far, one round after each build's switch.
    pub checks: usize,
    /// Approved cases not searchable after a switch (slug, and after which build).
    pub lost: Vec<String>,
}

/// Runs `builds` full builds of a copy of the content one after another while the server serves
/// it, and approves a submission during each, at moments taken in turn: as the build starts
/// (before it has its lock), at a random moment of its reading (as long as `indexer check`
/// takes), at a random moment of the whole build, and as soon as it has switched generations.
/// After each build's switch, every case approved so far must be searchable.
pub fn approvals_during_builds(drill: &Drill<'_>, builds: usize, seed: u64) -> Result<BuildApprovalReport> {
    let content = drill.work.join("content-approvals");
    let _ = std::fs::remove_dir_all(&content);
    crate::files::copy_dir(drill.content, &content)?;
    let index = drill.work.join("index-approvals");
    let _ = std::fs::remove_dir_all(&index);
    let build_time = drill.binaries.build_index(&content, &index)?;
    let started = Instant::now();
    let checked =
        std::process::Command::new(&drill.binaries.indexer).arg("check").arg("--content").arg(&content).output()?;
    anyhow::ensure!(
        checked.status.success(),
        "the content does not check: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let read_time = started.elapsed();
    let server =
        ServerProcess::start(&drill.binaries.server, &content, &index, None, &drill.work.join("server-approvals.log"))?;
    let base = format!("http://{}", server.addr);
    let agent = client::agent();
    let mut report = BuildApprovalReport { cases: stats(&agent, &base)?.cases, builds, ..Default::default() };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut approved: Vec<(usize, String)> = Vec::new();
    for build in 0..builds {
        let n = 800_000 + build;
        let id = submit(&agent, &server, n)?;
        let before = current_generation(&index)?;
        let mut child = drill.binaries.indexer_command(&content, &index).spawn()?;
        match build % 4 {
            0 => {}
            1 => std::thread::sleep(read_time.mul_f64(rng.random_range(0.0..1.0))),
            2 => std::thread::sleep(build_time.mul_f64(rng.random_range(0.0..1.1))),
            _ => {
                while child.try_wait()?.is_none() && current_generation(&index)? == before {
                    std::thread::sleep(Duration::from_micros(200));
                }
            }
        }
        let building = child.try_wait()?.is_none();
        let slug = format!("drill-approval-{n}");
        approve(&agent, &server, &id, &slug)?;
        report.approved += 1;
        report.approved_while_building += usize::from(building);
        approved.push((n, slug));
        let status = child.wait()?;
        anyhow::ensure!(status.success(), "build {build} failed: {status}");
        wait_for_generation(&agent, &base, &current_generation(&index)?)?;
        for (n, slug) in &approved {
            report.checks += 1;
            if !searchable_within(&agent, &base, &format!("atelierul {n}"), slug, Duration::from_secs(10))? {
                report.lost.push(format!("{slug} after build {}", build + 1));
            }
        }
    }
    server.stop()?;
    Ok(report)
}

fn submit(agent: &Agent, server: &ServerProcess, n: usize) -> Result<String> {
    let body = serde_json::to_vec(&sample_submission(n))?;
    let (status, answer) = client::post_json(agent, &server.url("/api/submissions"), &body)?;
    anyhow::ensure!(status == 201, "submission {n}: {status} {}", String::from_utf8_lossy(&answer));
    Ok(serde_json::from_slice::<SubmissionReceipt>(&answer)?.id)
}

fn approve(agent: &Agent, server: &ServerProcess, id: &str, slug: &str) -> Result<()> {
    let approval = serde_json::to_vec(&model::api::Approval { slug: slug.to_owned() })?;
    let mut response = agent
        .post(&server.url(&format!("/api/admin/submissions/{id}/approve")))
        .header("content-type", "application/json")
        .header("authorization", &format!("Bearer {ADMIN_TOKEN}"))
        .send(&approval[..])?;
    let status = response.status().as_u16();
    let answer = response.body_mut().read_to_vec()?;
    anyhow::ensure!(status == 200, "approving {id}: {status} {}", String::from_utf8_lossy(&answer));
    Ok(())
}

/// Whether a search for `q` finds `slug` within `wait` (the server adds a case approved during a
/// build once the build has switched).
fn searchable_within(agent: &Agent, base: &str, q: &str, slug: &str, wait: Duration) -> Result<bool> {
    let deadline = Instant::now() + wait;
    loop {
        if search(agent, base, q)?.hits.iter().any(|hit| hit.slug == slug) {
            return Ok(true);
        }
        if Instant::now() > deadline {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
