//! `photos::process` on images made here with the `image` crate's encoders, and on hostile files
//! crafted from them byte by byte: no binary fixtures.

use std::io::Cursor;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use photos::{Format, MAX_BYTES, PhotoError, process};
use proptest::prelude::*;

// # Making images

/// A colourful gradient, so the encoders have something to compress.
fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8]))
}

fn encode(image: impl Into<DynamicImage>, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    // `write_to` uses the lossless encoder for WebP, the only one the `image` crate has.
    image.into().write_to(&mut Cursor::new(&mut bytes), format).expect("encoding a test image");
    bytes
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encode(gradient(width, height), ImageFormat::Png)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(gradient(width, height), ImageFormat::Jpeg)
}

fn webp(width: u32, height: u32) -> Vec<u8> {
    encode(gradient(width, height), ImageFormat::WebP)
}

/// A PNG chunk: length, type, data and the CRC of type and data.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(&crc.finalize().to_be_bytes());
    chunk
}

/// The PNG signature and the length and type of the IHDR chunk, which every PNG starts with.
const PNG_IHDR_END: usize = 8 + 8 + 13 + 4;

/// A JPEG APP1 segment of EXIF: a big-endian TIFF header, IFD0 with the orientation and a pointer to
/// a GPS IFD holding a latitude reference, then a readable coordinate to search the output for.
fn exif_segment(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    // GPSInfo, a LONG offset to the GPS IFD right after this IFD (8 + 2 + 2 × 12 + 4 = 38).
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(GPS_MARKER);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&tiff);
    segment
}

const GPS_MARKER: &[u8] = b"GPS 48.858370 N 2.294481 E";

/// The JPEG with an EXIF segment right after its start-of-image marker.
fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut bytes = jpeg[..2].to_vec();
    bytes.extend_from_slice(&exif_segment(orientation));
    bytes.extend_from_slice(&jpeg[2..]);
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

fn decoded(jpeg: &[u8]) -> DynamicImage {
    image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).expect("an output is a JPEG")
}

/// The three sizes of a 1800 × 1200 photo, checked by decoding each one.
fn assert_three_sizes(bytes: &[u8], name: &str) {
    let processed = process(bytes, name).unwrap_or_else(|error| panic!("{name} {error}"));
    assert_eq!((processed.width, processed.height), (1800, 1200));
    let sizes: Vec<(u32, u32)> = processed.sizes.iter().map(|sized| (sized.width, sized.height)).collect();
    assert_eq!(sizes, [(480, 320), (960, 640), (1600, 1067)]);
    for sized in &processed.sizes {
        let image = decoded(&sized.jpeg);
        assert_eq!((image.width(), image.height()), (sized.width, sized.height));
    }
}

// # Photos that are accepted

#[test]
fn a_png_gives_three_sizes() {
    assert_three_sizes(&png(1800, 1200), "photo.png");
}

#[test]
fn a_jpeg_gives_three_sizes() {
    assert_three_sizes(&jpeg(1800, 1200), "IMG_0001.JPG");
}

#[test]
fn a_webp_gives_three_sizes() {
    assert_three_sizes(&webp(1800, 1200), "photo.webp");
}

#[test]
fn a_photo_narrower_than_every_width_is_written_at_its_own() {
    let processed = process(&png(300, 200), "small.png").unwrap();
    assert_eq!((processed.width, processed.height), (300, 200));
    assert_eq!(processed.sizes.len(), 1);
    assert_eq!((processed.sizes[0].width, processed.sizes[0].height), (300, 200));
}

#[test]
fn a_name_without_a_known_extension_is_fine() {
    assert!(process(&jpeg(300, 200), "photo").is_ok());
    assert!(process(&jpeg(300, 200), "photo.heic").is_ok());
}

#[test]
fn transparency_is_laid_over_white() {
    let clear = RgbaImage::from_pixel(300, 200, Rgba([255, 0, 0, 0]));
    let processed = process(&encode(clear, ImageFormat::Png), "clear.png").unwrap();
    let image = decoded(&processed.sizes[0].jpeg).into_rgb8();
    assert!(image.pixels().all(|pixel| pixel.0.iter().all(|&channel| channel >= 250)), "not white");
}

#[test]
fn exif_and_gps_are_not_copied() {
    let input = with_exif(&jpeg(1000, 800), 1);
    assert!(contains(&input, b"Exif") && contains(&input, GPS_MARKER));
    let processed = process(&input, "holiday.jpg").unwrap();
    assert_eq!(processed.sizes.len(), 2);
    for sized in &processed.sizes {
        assert!(!contains(&sized.jpeg, b"Exif"), "an EXIF segment was written");
        assert!(!contains(&sized.jpeg, GPS_MARKER), "the GPS payload was copied");
        assert!(!contains(&sized.jpeg, &[0xFF, 0xE1]), "an APP1 segment was written");
    }
}

#[test]
fn exif_orientation_six_turns_the_photo_upright() {
    let processed = process(&with_exif(&jpeg(400, 300), 6), "sideways.jpg").unwrap();
    assert_eq!((processed.width, processed.height), (300, 400));
    assert_eq!((processed.sizes[0].width, processed.sizes[0].height), (300, 400));
}

#[test]
fn a_second_jpeg_after_the_first_as_phones_write_gain_maps_is_accepted() {
    let mut bytes = jpeg(600, 400);
    bytes.extend_from_slice(&jpeg(300, 200));
    assert_eq!(process(&bytes, "pixel.jpg").unwrap().sizes.len(), 1);
}

// # Files that are refused

#[test]
fn a_png_claiming_fifty_thousand_pixels_a_side_is_refused_at_once() {
    let mut ihdr = 50_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    bomb.extend(png_chunk(b"IHDR", &ihdr));
    // A zlib stream of nothing: real compressed rows would not be read anyway.
    bomb.extend(png_chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    bomb.extend(png_chunk(b"IEND", &[]));
    let started = Instant::now();
    assert_eq!(process(&bomb, "bomb.png"), Err(PhotoError::TooManyPixels { width: 50_000, height: 50_000 }));
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
}

#[test]
fn a_jpeg_claiming_thirty_thousand_pixels_a_side_is_refused() {
    let mut bytes = jpeg(300, 200);
    // The baseline frame header: marker, length, precision, then height and width.
    let sof = bytes.windows(2).position(|window| window == [0xFF, 0xC0]).expect("a baseline JPEG");
    bytes[sof + 5..sof + 9].copy_from_slice(&[0x75, 0x30, 0x75, 0x30]);
    assert_eq!(process(&bytes, "huge.jpg"), Err(PhotoError::TooManyPixels { width: 30_000, height: 30_000 }));
}

#[test]
fn a_photo_under_two_hundred_pixels_a_side_is_refused() {
    assert_eq!(process(&png(150, 300), "thumb.png"), Err(PhotoError::TooSmall { width: 150, height: 300 }));
}

#[test]
fn a_jpeg_cut_in_half_is_truncated() {
    let bytes = jpeg(600, 400);
    assert_eq!(process(&bytes[..bytes.len() / 2], "half.jpg"), Err(PhotoError::Truncated));
}

#[test]
fn a_png_without_its_end_is_truncated() {
    let bytes = png(600, 400);
    assert_eq!(process(&bytes[..bytes.len() - 20], "cut.png"), Err(PhotoError::Truncated));
}

#[test]
fn a_webp_shorter_than_its_header_says_is_truncated() {
    let bytes = webp(600, 400);
    assert_eq!(process(&bytes[..bytes.len() - 10], "cut.webp"), Err(PhotoError::Truncated));
}

#[test]
fn a_png_with_a_web_page_appended_is_refused() {
    let mut bytes = png(300, 200);
    bytes.extend_from_slice(b"<HTML><body onload=alert(1)></body></HTML>");
    assert_eq!(process(&bytes, "page.png"), Err(PhotoError::Polyglot("a web page")));
}

#[test]
fn a_jpeg_with_a_zip_archive_appended_is_refused() {
    let mut bytes = jpeg(300, 200);
    // An empty archive's end-of-central-directory record: signature, then 18 zero bytes.
    bytes.extend_from_slice(b"PK\x05\x06");
    bytes.extend_from_slice(&[0; 18]);
    assert_eq!(process(&bytes, "archive.jpg"), Err(PhotoError::Polyglot("a ZIP archive")));
}

#[test]
fn a_webp_with_bytes_after_the_image_is_refused() {
    let mut bytes = webp(300, 200);
    bytes.extend_from_slice(&[7; 64]);
    assert_eq!(process(&bytes, "tail.webp"), Err(PhotoError::Polyglot("data after the image")));
}

#[test]
fn a_png_with_a_script_in_a_text_chunk_is_refused() {
    let mut bytes = png(300, 200);
    bytes.splice(PNG_IHDR_END..PNG_IHDR_END, png_chunk(b"tEXt", b"Comment\0<?php system($_GET['c']); ?>"));
    assert_eq!(process(&bytes, "shell.png"), Err(PhotoError::Polyglot("a script")));
}

#[test]
fn jpeg_bytes_named_png_are_refused() {
    assert_eq!(
        process(&jpeg(300, 200), "photo.png"),
        Err(PhotoError::WrongExtension { name: "photo.png".into(), actual: Format::Jpeg })
    );
}

#[test]
fn a_gif_is_an_unknown_format() {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[0x2C, 0x01, 0xC8, 0x00, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x3B]);
    assert_eq!(process(&gif, "anim.gif"), Err(PhotoError::UnknownFormat));
}

#[test]
fn an_empty_file_is_refused() {
    assert_eq!(process(&[], "photo.jpg"), Err(PhotoError::Empty));
}

#[test]
fn a_file_over_eight_megabytes_is_refused() {
    let mut bytes = jpeg(300, 200);
    bytes.resize(MAX_BYTES + 1, 0);
    assert_eq!(process(&bytes, "big.jpg"), Err(PhotoError::TooLarge { bytes: MAX_BYTES + 1 }));
}

#[test]
fn an_apng_of_a_thousand_frames_is_refused() {
    let mut bytes = png(300, 200);
    let mut actl = 1000u32.to_be_bytes().to_vec();
    actl.extend_from_slice(&0u32.to_be_bytes());
    bytes.splice(PNG_IHDR_END..PNG_IHDR_END, png_chunk(b"acTL", &actl));
    assert_eq!(process(&bytes, "anim.png"), Err(PhotoError::TooManyFrames { frames: 1000 }));
}

// # Damaged files never panic

static SMALL: LazyLock<[(Vec<u8>, &str); 3]> =
    LazyLock::new(|| [(png(240, 200), "p.png"), (jpeg(240, 200), "j.jpg"), (webp(240, 200), "w.webp")]);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn cut_files_are_refused_or_processed_without_panicking(which in 0..3usize, keep in 0.0..1.0f64) {
        let (bytes, name) = &SMALL[which];
        let cut = &bytes[..(bytes.len() as f64 * keep) as usize];
        if let Ok(processed) = process(cut, name) {
            prop_assert!(!processed.sizes.is_empty());
        }
    }

    #[test]
    fn flipped_bytes_are_refused_or_processed_without_panicking(
        which in 0..3usize,
        flips in prop::collection::vec((any::<prop::sample::Index>(), 1..=255u8), 1..8),
    ) {
        let (bytes, name) = &SMALL[which];
        let mut bytes = bytes.clone();
        for (at, mask) in flips {
            let at = at.index(bytes.len());
            bytes[at] ^= mask;
        }
        if let Ok(processed) = process(&bytes, name) {
            prop_assert!(!processed.sizes.is_empty());
        }
    }
}
