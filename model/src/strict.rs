//! Strict deserialisation: every key the types do not know is reported, with its path, instead
//! of being ignored or stopping at the first one (as `deny_unknown_fields` would). Used for every
//! file and submission a person writes, so that a typo such as `tittle` is caught.

use serde::Deserialize;
use serde::de::Deserializer;

/// Deserialises `T`, returning it with the paths of all unknown keys (e.g. `partners[2].rol`).
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<(T, Vec<String>), D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut unknown = Vec::new();
    let value = serde_ignored::deserialize(deserializer, |path| unknown.push(path_string(&path)))?;
    Ok((value, unknown))
}

fn path_string(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", path_string(parent)),
        Path::Map { parent, key } => {
            let parent = path_string(parent);
            if parent.is_empty() { key.to_string() } else { format!("{parent}.{key}") }
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => path_string(parent),
    }
}
