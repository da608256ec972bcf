//! JSON in the browser: parsed and written by the browser's own `JSON` object, with values
//! converted by serde-wasm-bindgen. This keeps a JSON parser out of the wasm bundle (about 40 KB
//! less than `serde_json` here).

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Reads `text` as a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// Writes `value` as JSON text.
pub fn to_string<T: Serialize>(value: &T) -> Option<String> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = value.serialize(&serializer).ok()?;
    js_sys::JSON::stringify(&value).ok()?.as_string()
}
