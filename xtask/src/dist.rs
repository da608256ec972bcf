//! `dist/`: the built app as the server serves it. The pages themselves are rendered by the
//! server; `dist/` holds what they link.
//!
//! ```text
//! dist/assets.json                    the hashed names below, read by the server at start
//! dist/assets/app-<hash>.js            the reader's islands: wasm-bindgen's glue and the loader
//! dist/assets/app-<hash>_bg.wasm       (search and case pages)
//! dist/assets/studio-<hash>.js, studio-<hash>_bg.wasm
//!                                      the studio's islands (submission form, review)
//! dist/assets/style-<hash>.css
//! dist/sw.js, manifest.webmanifest, icon.svg
//! dist/**/*.br, *.gz                   precompressed copies
//! ```
//!
//! Names carry a hash of the content, so the server can cache assets as immutable. The folder is
//! built beside `dist/` and renamed into place, so a server never meets half of a build; the
//! previous build's files are kept in it, so a server started before the build still finds
//! the files its pages link.

use crate::{run_command, target_dir, tools};
use anyhow::{Context, Result};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::Path;

/// Sizes of what the build wrote: (file, raw, gzip, brotli).
pub struct Sizes {
    /// What a reader's pages load besides their HTML: the style and the reader's islands.
    pub files: Vec<(String, usize, usize, usize)>,
    /// The studio's islands, loaded only on the submission and review pages.
    pub studio: Vec<(String, usize, usize, usize)>,
}

impl Sizes {
    pub fn print(&self) {
        for (title, files) in [("reader (besides the page)", &self.files), ("studio (submit, admin)", &self.studio)] {
            println!("{title:<32} {:>10} {:>10} {:>10}", "raw", "gzip", "brotli");
            let mut total = (0, 0, 0);
            for (name, raw, gzip, brotli) in files {
                println!("{name:<32} {raw:>10} {gzip:>10} {brotli:>10}");
                total = (total.0 + raw, total.1 + gzip, total.2 + brotli);
            }
            println!("{:<32} {:>10} {:>10} {:>10}  ({} requests)", "total", total.0, total.1, total.2, files.len());
        }
    }
}

/// A bound bundle: its script's and wasm's hashed names and bytes.
struct Bundle {
    script_name: String,
    script: String,
    wasm_name: String,
    wasm: Vec<u8>,
}

/// Wakes the page's islands once the page has painted and the browser is idle (so neither the
/// wasm nor its start competes with the first paint): loads the wasm, starts the reactive system (`hydrate`), then hydrates
/// each `<leptos-island>` with the function the wasm exports under its `data-component` name.
/// An island's server-rendered children (`<leptos-children>`) hand their owner to the islands
/// inside them first, as leptos's own loader does.
const ISLANDS_LOADER: &str = r#"
async function __wake_islands() {
  await __wbg_init();
  const mod = await import(import.meta.url);
  mod.hydrate();
  const owners = [];
  const walk = (node) => {
    for (const child of node.children) {
      const tag = child.tagName;
      if (tag === "LEPTOS-ISLAND") {
        const wake = mod[child.dataset.component];
        if (owners.length) owners[owners.length - 1]?.();
        if (wake) wake(child); else console.warn(`no island ${child.dataset.component} in this bundle`);
        walk(child);
      } else if (tag === "LEPTOS-CHILDREN") {
        owners.push(child.$$on_hydrate);
        walk(child);
        owners.pop();
      } else {
        walk(child);
      }
    }
  };
  walk(document.body);
  performance.mark("islands-awake");
}
const __when_idle = () =>
  "requestIdleCallback" in window ? requestIdleCallback(__wake_islands, { timeout: 3000 }) : setTimeout(__wake_islands, 200);
// Once a frame of the page has been painted (at once in a tab that is not shown).
if (document.visibilityState === "hidden") __when_idle();
else requestAnimationFrame(() => requestAnimationFrame(__when_idle));
"#;

/// Builds one bundle of the app crate's islands in release and binds it with wasm-bindgen.
fn bundle(target: &Path, name: &str, islands: &str, quiet: bool) -> Result<Bundle> {
    let mut cargo = crate::cargo();
    cargo
        .env("CARGO_TARGET_DIR", target)
        .args(["build", "-p", "app", "--lib", "--target", "wasm32-unknown-unknown", "--profile", "wasm-release"])
        .args(["--features", &format!("hydrate,{islands}")]);
    if quiet {
        cargo.arg("--quiet");
    }
    run_command(&mut cargo)?;
    let built = target.join("wasm32-unknown-unknown/wasm-release/app.wasm");
    let bound = target.join("bindgen").join(name);
    let _ = fs::remove_dir_all(&bound);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&built)
        .web(true)?
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .omit_default_module_path(false)
        .out_name(name)
        .generate(&bound)
        .context("wasm-bindgen failed")?;
    let wasm = fs::read(bound.join(format!("{name}_bg.wasm")))?;
    let wasm_name = format!("{name}-{}_bg.wasm", hash(&wasm));
    // The glue loads the wasm by name; point it at the hashed name, and wake the islands.
    let mut script = fs::read_to_string(bound.join(format!("{name}.js")))?;
    let default_name = format!("'{name}_bg.wasm'");
    anyhow::ensure!(
        script.contains(&default_name),
        "the wasm-bindgen glue no longer names {name}_bg.wasm; update xtask/src/dist.rs"
    );
    script = script.replace(&default_name, &format!("'{wasm_name}'"));
    script.push_str(ISLANDS_LOADER);
    let script_name = format!("{name}-{}.js", hash(script.as_bytes()));
    anyhow::ensure!(!bound.join("snippets").exists(), "the bundle has JavaScript snippets; copy them into dist/assets");
    Ok(Bundle { script_name, script, wasm_name, wasm })
}

pub fn build(root: &Path) -> Result<Sizes> {
    build_quietly(root, false)
}

/// [`build`] while `native` runs (a build of the server, say), the two cargo builds side by side:
/// each has stretches that keep only one core busy (the wasm's link-time optimisation, the
/// largest crates' code generation), so together they finish sooner than one after the other.
/// The wasm build keeps its own target folder (`target/wasm`), so neither waits for the other's
/// lock; the two share no artifacts anyway (other target, other profile).
pub fn build_beside<T: Send>(root: &Path, native: impl FnOnce() -> Result<T> + Send) -> Result<(Sizes, T)> {
    std::thread::scope(|scope| {
        let app = scope.spawn(|| build_quietly(root, true));
        let native = native();
        let sizes = app.join().map_err(|_| anyhow::anyhow!("the app's build panicked"))?;
        Ok((sizes?, native?))
    })
}

fn build_quietly(root: &Path, quiet: bool) -> Result<Sizes> {
    tools::ensure_wasm_target()?;
    let target = target_dir(root).join("wasm");
    let reader = bundle(&target, "app", "reader", quiet)?;
    let studio = bundle(&target, "studio", "studio", quiet)?;

    let dist = root.join("dist");
    let building = root.join(format!("dist.building-{}", std::process::id()));
    let _ = fs::remove_dir_all(&building);
    let assets = building.join("assets");
    fs::create_dir_all(&assets)?;
    let style = fs::read(root.join("app/style.css"))?;
    let style_name = format!("style-{}.css", hash(&style));
    write_compressed(&assets.join(&style_name), &style)?;

    // The service worker precaches the reader's files and the offline page (the studio's files
    // are cached when first used); its version changes whenever a file does.
    let asset_list: Vec<String> = [&style_name, &reader.script_name, &reader.wasm_name]
        .iter()
        .map(|name| format!("\"/assets/{name}\""))
        .collect();
    let worker = fs::read_to_string(root.join("app/sw.js"))?
        .replace("{{version}}", &hash(asset_list.concat().as_bytes()))
        .replace("{{assets}}", &format!("[{}]", asset_list.join(", ")));
    write_compressed(&building.join("sw.js"), worker.as_bytes())?;
    for file in ["manifest.webmanifest", "icon.svg"] {
        write_compressed(&building.join(file), &fs::read(root.join("app").join(file))?)?;
    }

    let mut sizes = Sizes { files: vec![measure(&style_name, &style)], studio: Vec::new() };
    for (bundle, list) in [(&reader, &mut sizes.files), (&studio, &mut sizes.studio)] {
        write_compressed(&assets.join(&bundle.script_name), bundle.script.as_bytes())?;
        write_compressed(&assets.join(&bundle.wasm_name), &bundle.wasm)?;
        list.push(measure(&bundle.script_name, bundle.script.as_bytes()));
        list.push(measure(&bundle.wasm_name, &bundle.wasm));
    }
    let manifest = serde_json::json!({
        "style": style_name,
        "reader": { "script": reader.script_name, "wasm": reader.wasm_name },
        "studio": { "script": studio.script_name, "wasm": studio.wasm_name },
    });
    fs::write(building.join("assets.json"), serde_json::to_string_pretty(&manifest)? + "\n")?;

    // The previous build's files stay beside the new ones: a server started before this build
    // (it read the names at start) and pages already in readers' hands keep finding them.
    if let Ok(text) = fs::read_to_string(dist.join("assets.json"))
        && let Ok(previous) = serde_json::from_str::<serde_json::Value>(&text)
    {
        let names = [
            &previous["style"],
            &previous["reader"]["script"],
            &previous["reader"]["wasm"],
            &previous["studio"]["script"],
            &previous["studio"]["wasm"],
        ];
        for name in names.into_iter().filter_map(serde_json::Value::as_str) {
            for file in [name.to_owned(), format!("{name}.br"), format!("{name}.gz")] {
                let (from, to) = (dist.join("assets").join(&file), assets.join(&file));
                if from.is_file() && !to.exists() {
                    fs::copy(&from, &to)?;
                }
            }
        }
    }

    // Into place: the old folder moves aside, the new one takes its name.
    let old = root.join(format!("dist.old-{}", std::process::id()));
    if dist.exists() {
        fs::rename(&dist, &old).with_context(|| format!("cannot move {} aside", dist.display()))?;
    }
    fs::rename(&building, &dist).with_context(|| format!("cannot move the new build to {}", dist.display()))?;
    let _ = fs::remove_dir_all(&old);
    Ok(sizes)
}

/// A short content hash for file names.
fn hash(bytes: &[u8]) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:016x}", hasher.finish())[..12].to_owned()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes).expect("writing to memory");
    }
    out
}

fn measure(name: &str, bytes: &[u8]) -> (String, usize, usize, usize) {
    (name.to_owned(), bytes.len(), gzip(bytes).len(), brotli(bytes).len())
}

/// Writes `path` and its `.gz` and `.br` copies.
fn write_compressed(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes)?;
    let name = path.file_name().expect("a file").to_string_lossy();
    fs::write(path.with_file_name(format!("{name}.gz")), gzip(bytes))?;
    fs::write(path.with_file_name(format!("{name}.br")), brotli(bytes))?;
    Ok(())
}
