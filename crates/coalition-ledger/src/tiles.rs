//! The Merkle tree's hashes as C2SP tlog-tiles (hash tiles only): tile `L/N` holds the hashes
//! of up to 256 consecutive nodes at level `8·L` of the RFC 9162 tree, each the root of a
//! complete subtree of `256^L` leaves; a tile with fewer than 256 is partial (`L/N.p/W`). A
//! leaf hash is `SHA-256(0x00 ‖ canonical bytes)`, which tells nothing of an event's content,
//! so the tiles of a log may be shown to anyone who may know its size.

use crate::hash::Hash;
use crate::merkle;

/// How many hashes a full tile holds.
pub const TILE_WIDTH: u64 = 256;

/// The highest tile level served (256^4 leaves would be four billion entries).
pub const MAX_LEVEL: u8 = 4;

/// One tile named by its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TileName {
    /// The tile level (level `8·L` of the tree).
    pub level: u8,
    /// The tile's index at its level.
    pub index: u64,
    /// The width of a partial tile (`.p/W`, 1 to 255); none for a full tile.
    pub partial: Option<u64>,
}

/// Why a tile path names no tile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TilePathError(String);

impl TileName {
    /// Parses `L/N[.p/W]` with `N` in C2SP's three-digit elements (`x001/x234/067`).
    pub fn parse(path: &str) -> Result<TileName, TilePathError> {
        let bad = |why: &str| TilePathError(format!("tile path {path:?}: {why}"));
        let (level, rest) = path
            .split_once('/')
            .ok_or_else(|| bad("expected LEVEL/INDEX"))?;
        let level = match level.as_bytes() {
            [d @ b'0'..=b'9'] => d - b'0',
            _ => return Err(bad("the level is one digit")),
        };
        if level > MAX_LEVEL {
            return Err(bad(&format!("levels go up to {MAX_LEVEL}")));
        }
        let (index, partial) = match rest.split_once(".p/") {
            Some((index, width)) => (index, Some(width)),
            None => (rest, None),
        };
        let elements: Vec<&str> = index.split('/').collect();
        let mut n: u64 = 0;
        for (i, element) in elements.iter().enumerate() {
            let digits = if i + 1 < elements.len() {
                element
                    .strip_prefix('x')
                    .ok_or_else(|| bad("every index element but the last starts with x"))?
            } else {
                element
            };
            if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("index elements are three digits"));
            }
            let value: u64 = digits
                .parse()
                .map_err(|_| bad("index elements are digits"))?;
            n = n
                .checked_mul(1000)
                .and_then(|n| n.checked_add(value))
                .ok_or_else(|| bad("index too large"))?;
        }
        let partial = partial
            .map(|text| match text.parse::<u64>() {
                Ok(w) if (1..TILE_WIDTH).contains(&w) && w.to_string() == text => Ok(w),
                _ => Err(bad("a partial width is 1 to 255")),
            })
            .transpose()?;
        let name = TileName {
            level,
            index: n,
            partial,
        };
        if name.path() != path {
            return Err(bad("not in canonical form"));
        }
        Ok(name)
    }

    /// The tile's path, `L/N[.p/W]`.
    pub fn path(&self) -> String {
        let mut elements = Vec::new();
        let mut n = self.index;
        loop {
            elements.push(n % 1000);
            n /= 1000;
            if n == 0 {
                break;
            }
        }
        let index: Vec<String> = elements
            .iter()
            .rev()
            .enumerate()
            .map(|(i, e)| {
                if i + 1 < elements.len() {
                    format!("x{e:03}")
                } else {
                    format!("{e:03}")
                }
            })
            .collect();
        let mut path = format!("{}/{}", self.level, index.join("/"));
        if let Some(width) = self.partial {
            path.push_str(&format!(".p/{width}"));
        }
        path
    }
}

/// How many complete nodes a tree of `size` leaves has at tile level `level`.
fn nodes_at(size: u64, level: u8) -> u64 {
    size >> (8 * u32::from(level))
}

/// Every tile a tree of `size` leaves has: the full ones and, at each level, the partial one.
pub fn tiles_of(size: u64) -> Vec<TileName> {
    let mut names = Vec::new();
    for level in 0..=MAX_LEVEL {
        let nodes = nodes_at(size, level);
        if nodes == 0 {
            break;
        }
        for index in 0..nodes / TILE_WIDTH {
            names.push(TileName {
                level,
                index,
                partial: None,
            });
        }
        let rest = nodes % TILE_WIDTH;
        if rest > 0 {
            names.push(TileName {
                level,
                index: nodes / TILE_WIDTH,
                partial: Some(rest),
            });
        }
    }
    names
}

/// The tile's bytes (its hashes, 32 bytes each) in the tree over `leaves`, or none if that tree
/// has no such tile (a full tile of a tree too small for it, or a partial tile of another width).
pub fn tile(leaves: &[Hash], name: &TileName) -> Option<Vec<u8>> {
    let nodes = nodes_at(leaves.len() as u64, name.level);
    let first = name.index.checked_mul(TILE_WIDTH)?;
    let width = match name.partial {
        None if nodes >= first + TILE_WIDTH => TILE_WIDTH,
        Some(width) if nodes.checked_sub(first) == Some(width) => width,
        _ => return None,
    };
    let span = 1usize << (8 * u32::from(name.level));
    let mut bytes = Vec::with_capacity(width as usize * 32);
    for node in first..first + width {
        let start = node as usize * span;
        let hash = if span == 1 {
            leaves[start]
        } else {
            merkle::root(&leaves[start..start + span])
        };
        bytes.extend_from_slice(hash.as_bytes());
    }
    Some(bytes)
}

/// The leaf hashes of a tree of `size` leaves read back from its level-0 tiles, in order.
pub fn leaves_from(
    size: u64,
    level_zero: &[(TileName, Vec<u8>)],
) -> Result<Vec<Hash>, TilePathError> {
    let mut leaves = Vec::with_capacity(size as usize);
    for (name, bytes) in level_zero {
        if name.level != 0 || bytes.len() % 32 != 0 {
            return Err(TilePathError(format!(
                "tile {} is not a leaf tile",
                name.path()
            )));
        }
        let expected = name.partial.unwrap_or(TILE_WIDTH) as usize * 32;
        if bytes.len() != expected {
            return Err(TilePathError(format!(
                "tile {} holds {} bytes, expected {expected}",
                name.path(),
                bytes.len()
            )));
        }
        for chunk in bytes.chunks_exact(32) {
            let mut hash = [0u8; 32];
            hash.copy_from_slice(chunk);
            leaves.push(Hash(hash));
        }
    }
    if leaves.len() as u64 != size {
        return Err(TilePathError(format!(
            "the leaf tiles hold {} hashes for a tree of {size}",
            leaves.len()
        )));
    }
    Ok(leaves)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| merkle::leaf_hash(&(i as u64).to_be_bytes()))
            .collect()
    }

    #[test]
    fn paths_are_c2sp_three_digit_elements() {
        for (name, path) in [
            ((0, 0, None), "0/000"),
            ((0, 1234067, None), "0/x001/x234/067"),
            ((1, 5, Some(7)), "1/005.p/7"),
        ] {
            let name = TileName {
                level: name.0,
                index: name.1,
                partial: name.2,
            };
            assert_eq!(name.path(), path);
            assert_eq!(TileName::parse(path), Ok(name));
        }
        for bad in [
            "0/0",
            "0/1234",
            "0/001/002",
            "9/000",
            "0/000.p/0",
            "0/000.p/256",
            "x/000",
            "0/000.p/07",
        ] {
            assert!(TileName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tiles_give_back_the_leaves_and_the_higher_levels_are_subtree_roots() {
        let all = leaves(256 * 2 + 3);
        let names = tiles_of(all.len() as u64);
        let paths: Vec<String> = names.iter().map(TileName::path).collect();
        assert_eq!(paths, ["0/000", "0/001", "0/002.p/3", "1/000.p/2"]);
        let zero: Vec<(TileName, Vec<u8>)> = names
            .iter()
            .filter(|n| n.level == 0)
            .map(|n| (*n, tile(&all, n).expect("a tile of this tree")))
            .collect();
        assert_eq!(leaves_from(all.len() as u64, &zero), Ok(all.clone()));
        let one = tile(&all, &names[3]).expect("level 1");
        assert_eq!(&one[..32], merkle::root(&all[..256]).as_bytes());
        assert_eq!(&one[32..], merkle::root(&all[256..512]).as_bytes());
        // A tile the tree does not have is none, full or of another width.
        assert!(
            tile(
                &all,
                &TileName {
                    level: 0,
                    index: 2,
                    partial: None
                }
            )
            .is_none()
        );
        assert!(
            tile(
                &all,
                &TileName {
                    level: 0,
                    index: 2,
                    partial: Some(4)
                }
            )
            .is_none()
        );
    }
}
