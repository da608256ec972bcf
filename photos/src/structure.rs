//! Checks of a file's structure, made on its bytes before any decoder sees them: that it is whole,
//! that it is nothing but an image (no web page, script, PDF or ZIP archive riding along), and that an
//! animation is short.
//!
//! Each check reads only lengths and markers, with every offset bounds-checked, so it costs
//! microseconds whatever the file claims.

use crate::{Format, MAX_FRAMES, PhotoError};

/// Text that makes a file something else too when a browser or another program is handed it, with
/// what a contributor is told it is. Matched without regard to ASCII case.
const EMBEDDED: [(&[u8], &str); 6] = [
    (b"<script", "a script"),
    (b"<?php", "a script"),
    (b"<html", "a web page"),
    (b"<!doctype", "a web page"),
    (b"<svg", "an SVG drawing"),
    (b"%PDF-", "a PDF"),
];
/// The signature of a ZIP archive's end-of-central-directory record, which ZIP readers look for in
/// the last [`ZIP_EOCD_REACH`] bytes of a file, whatever comes before.
const ZIP_EOCD: &[u8] = b"PK\x05\x06";
/// How far from the end a ZIP reader searches: the 22-byte record and a comment of up to 64 KiB.
const ZIP_EOCD_REACH: usize = 64 * 1024 + 22;
/// What bytes after the end of the image are called.
const TRAILING: &str = "data after the image";

/// Refuses a file that is cut short, is also another kind of file, or is too long an animation.
pub(crate) fn check(bytes: &[u8], format: Format) -> Result<(), PhotoError> {
    if let Some(what) = embedded(bytes) {
        return Err(PhotoError::Polyglot(what));
    }
    match format {
        Format::Jpeg => jpeg(bytes),
        Format::Png => png(bytes),
        Format::Webp => webp(bytes),
    }
}

/// What other kind of file the bytes also are, if any.
fn embedded(bytes: &[u8]) -> Option<&'static str> {
    let tail = &bytes[bytes.len().saturating_sub(ZIP_EOCD_REACH)..];
    if tail.windows(ZIP_EOCD.len()).any(|window| window == ZIP_EOCD) {
        return Some("a ZIP archive");
    }
    // Every marker starts with `<` or `%`, so only those positions are compared.
    bytes.iter().enumerate().filter(|&(_, &byte)| byte == b'<' || byte == b'%').find_map(|(at, _)| {
        let rest = &bytes[at..];
        EMBEDDED
            .iter()
            .find(|(marker, _)| rest.len() >= marker.len() && rest[..marker.len()].eq_ignore_ascii_case(marker))
            .map(|&(_, what)| what)
    })
}

/// A JPEG ends with the end-of-image marker, though some writers pad it with zeros. A phone's
/// photo may hold a second JPEG (an MPF gain map) after the first one's marker; it ends the same
/// way, so it passes.
fn jpeg(bytes: &[u8]) -> Result<(), PhotoError> {
    let end = bytes.iter().rposition(|&byte| byte != 0).map_or(0, |last| last + 1);
    if bytes[..end].ends_with(&[0xFF, 0xD9]) { Ok(()) } else { Err(PhotoError::Truncated) }
}

/// A PNG is its 8-byte signature and chunks (length, type, data, CRC) up to and including `IEND`,
/// and nothing after. An APNG's `acTL` chunk gives its number of frames.
fn png(bytes: &[u8]) -> Result<(), PhotoError> {
    let mut at = 8;
    loop {
        let header = bytes.get(at..at + 8).ok_or(PhotoError::Truncated)?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let data_start = at + 8;
        let end = data_start.checked_add(length).and_then(|end| end.checked_add(4)).ok_or(PhotoError::Truncated)?;
        if end > bytes.len() {
            return Err(PhotoError::Truncated);
        }
        let data = &bytes[data_start..data_start + length];
        if kind == b"acTL"
            && let Some(frames) = data.get(..4).map(|n| u32::from_be_bytes([n[0], n[1], n[2], n[3]]))
            && frames > MAX_FRAMES
        {
            return Err(PhotoError::TooManyFrames { frames });
        }
        if kind == b"IEND" {
            return if end == bytes.len() { Ok(()) } else { Err(PhotoError::Polyglot(TRAILING)) };
        }
        at = end;
    }
}

/// A WebP is a RIFF file whose header gives the length of the rest: a file shorter than that is cut
/// short, a longer one carries something after the image (one pad byte is tolerated). An animated
/// WebP has one `ANMF` chunk per frame.
fn webp(bytes: &[u8]) -> Result<(), PhotoError> {
    let size = bytes.get(4..8).ok_or(PhotoError::Truncated)?;
    let riff_end = (u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize).saturating_add(8);
    if bytes.len() < riff_end {
        return Err(PhotoError::Truncated);
    }
    if bytes.len() > riff_end + 1 {
        return Err(PhotoError::Polyglot(TRAILING));
    }
    // Chunks after "RIFF", the size and "WEBP": a four-byte type, a little-endian length, the data
    // and a pad byte when the length is odd.
    let mut at = 12;
    let mut frames: u32 = 0;
    while at < riff_end {
        let header = bytes.get(at..at + 8).ok_or(PhotoError::Truncated)?;
        let length = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        if &header[..4] == b"ANMF" {
            frames = frames.saturating_add(1);
        }
        at = (at + 8).checked_add(length).and_then(|end| end.checked_add(length % 2)).ok_or(PhotoError::Truncated)?;
        if at > riff_end + 1 {
            return Err(PhotoError::Truncated);
        }
    }
    if frames > MAX_FRAMES { Err(PhotoError::TooManyFrames { frames }) } else { Ok(()) }
}
