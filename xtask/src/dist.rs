//! `dist/`: the built app as the server serves it.
//!
//! ```text
//! dist/index.html                   the reader's shell; the server fills in `<!--head-->` per page
//! dist/studio.html                  the shell of the submission form and the review
//! dist/assets/app-<hash>.js          wasm-bindgen's glue, starting the app when loaded
//! dist/assets/app-<hash>_bg.wasm     the reader bundle (search and case pages)
//! dist/assets/studio-<hash>.js, studio-<hash>_bg.wasm
//! dist/assets/style-<hash>.css
//! dist/assets/*.br, *.gz             precompressed copies
//! ```
//!
//! Names carry a hash of the content, so the server can cache assets as immutable.

use crate::{run_command, target_dir, tools};
use anyhow::{Context, Result};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Sizes of what the build wrote: (file, raw, gzip, brotli).
pub struct Sizes {
    /// What a reader's first visit loads: the shell, the style, the reader bundle.
    pub files: Vec<(String, usize, usize, usize)>,
    /// The studio bundle, loaded only on the submission and review pages.
    pub studio: Vec<(String, usize, usize, usize)>,
}

impl Sizes {
    pub fn print(&self) {
        for (title, files) in [("first load", &self.files), ("studio (submit, admin)", &self.studio)] {
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

/// Builds one bundle of the app crate in release and binds it with wasm-bindgen.
fn bundle(target: &Path, name: &str, features: &[&str]) -> Result<Bundle> {
    run_command(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "-p", "app", "--target", "wasm32-unknown-unknown", "--profile", "wasm-release"])
            .args(features),
    )?;
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
    // The glue loads the wasm by name; point it at the hashed name, and start the app on load.
    let mut script = fs::read_to_string(bound.join(format!("{name}.js")))?;
    let default_name = format!("'{name}_bg.wasm'");
    anyhow::ensure!(
        script.contains(&default_name),
        "the wasm-bindgen glue no longer names {name}_bg.wasm; update xtask/src/dist.rs"
    );
    script = script.replace(&default_name, &format!("'{wasm_name}'"));
    script.push_str("\n__wbg_init();\n");
    let script_name = format!("{name}-{}.js", hash(script.as_bytes()));
    anyhow::ensure!(!bound.join("snippets").exists(), "the bundle has JavaScript snippets; copy them into dist/assets");
    Ok(Bundle { script_name, script, wasm_name, wasm })
}

pub fn build(root: &Path) -> Result<Sizes> {
    tools::ensure_wasm_target()?;
    let target = target_dir(root);
    let reader = bundle(&target, "app", &[])?;
    let studio = bundle(&target, "studio", &["--no-default-features", "--features", "studio"])?;

    let dist = root.join("dist");
    let _ = fs::remove_dir_all(&dist);
    let assets = dist.join("assets");
    fs::create_dir_all(&assets)?;
    let style = fs::read(root.join("app/style.css"))?;
    let style_name = format!("style-{}.css", hash(&style));
    write_compressed(&assets.join(&style_name), &style)?;

    // The icon is inlined in the shell: browsers would otherwise ask for /favicon.ico on load.
    let icon = fs::read_to_string(root.join("app/icon.svg"))?;
    let icon_url = format!(
        "data:image/svg+xml,{}",
        icon.trim().replace('"', "'").replace('#', "%23").replace('<', "%3C").replace('>', "%3E")
    );
    let template = fs::read_to_string(root.join("app/index.html"))?.replace("{{icon}}", &icon_url);
    let shell = |bundle: &Bundle| {
        template
            .replace("{{style}}", &style_name)
            .replace("{{script}}", &bundle.script_name)
            .replace("{{wasm}}", &bundle.wasm_name)
    };
    // The service worker precaches the reader's files (the studio's are cached when first used);
    // its version changes whenever a file does.
    let asset_names =
        [&style_name, &reader.script_name, &reader.wasm_name, &studio.script_name, &studio.wasm_name][..3].to_vec();
    let asset_list: Vec<String> = asset_names.iter().map(|name| format!("\"/assets/{name}\"")).collect();
    let worker = fs::read_to_string(root.join("app/sw.js"))?
        .replace("{{version}}", &hash(asset_list.concat().as_bytes()))
        .replace("{{assets}}", &format!("[{}]", asset_list.join(", ")));
    write_compressed(&dist.join("sw.js"), worker.as_bytes())?;
    for file in ["manifest.webmanifest", "icon.svg"] {
        write_compressed(&dist.join(file), &fs::read(root.join("app").join(file))?)?;
    }

    let mut sizes = Sizes { files: Vec::new(), studio: Vec::new() };
    for (html_name, bundle, list) in
        [("index.html", &reader, &mut sizes.files), ("studio.html", &studio, &mut sizes.studio)]
    {
        let html = shell(bundle);
        fs::write(dist.join(html_name), &html)?;
        list.push(measure(html_name, html.as_bytes()));
        if html_name == "index.html" {
            list.push(measure(&style_name, &style));
        }
        write_compressed(&assets.join(&bundle.script_name), bundle.script.as_bytes())?;
        write_compressed(&assets.join(&bundle.wasm_name), &bundle.wasm)?;
        list.push(measure(&bundle.script_name, bundle.script.as_bytes()));
        list.push(measure(&bundle.wasm_name, &bundle.wasm));
    }
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
