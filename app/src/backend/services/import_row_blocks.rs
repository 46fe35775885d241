//! A batch's rows as a preview or a commit holds them: compressed in blocks of [`BLOCK_ROWS`]
//! rows, each block inflated only while its rows are read. 100,000 rows of a 14 MB CSV hold
//! about 5 MB so, not the 17 MiB of their text with its offsets (nor the 90 MB of a
//! `Vec<Vec<String>>`); reading them all costs one inflate of each block (about 0.05 s).

use super::ServiceError;
use serde::Deserialize;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

/// Rows per compressed block: enough for deflate to find the repeats between rows (company
/// suffixes, regions, industries), few enough that reading one row inflates little.
const BLOCK_ROWS: usize = 256;

/// A block's rows laid out as bytes: per row its cell count, per cell its length and its UTF-8
/// text (counts and lengths as little-endian u32).
type Layout = Vec<u8>;

/// A block's rows, inflated.
type Block = Arc<Vec<Vec<String>>>;

/// The rows, in order: full blocks compressed, the rows after them laid out but not yet
/// compressed. A row is given as its own cells.
#[derive(Default)]
pub struct Rows {
    blocks: Vec<Box<[u8]>>,
    open: Layout,
    len: usize,
    /// The last block inflated, for reads of one row after another in the same block.
    last: Mutex<Option<(usize, Block)>>,
}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows").field("len", &self.len).field("blocks", &self.blocks.len()).finish()
    }
}

impl Rows {
    /// How many rows.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Row `i`'s cells, copied out; None past the last row.
    pub fn get(&self, i: usize) -> Option<Vec<String>> {
        if i >= self.len {
            return None;
        }
        let (block, at) = (i / BLOCK_ROWS, i % BLOCK_ROWS);
        let mut last = self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let rows = match &*last {
            Some((held, rows)) if *held == block => rows.clone(),
            _ => {
                let rows = Arc::new(self.block(block)?);
                *last = Some((block, rows.clone()));
                rows
            }
        };
        rows.get(at).cloned()
    }

    /// Every row's cells in order, each block inflated once as it is reached.
    pub fn iter(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        (0..self.blocks.len() + 1).flat_map(|b| self.block(b).unwrap_or_default())
    }

    /// Adds a row after the others.
    /// Errors: `Internal` for a cell or row past 4 GiB (files are at most 30 MB) and if
    /// compressing fails (it cannot: the output is memory).
    pub fn push(&mut self, cells: &[String]) -> Result<(), ServiceError> {
        let too_big = |_| ServiceError::Internal("import row past 4 GiB".into());
        self.open.extend_from_slice(&u32::try_from(cells.len()).map_err(too_big)?.to_le_bytes());
        for cell in cells {
            self.open.extend_from_slice(&u32::try_from(cell.len()).map_err(too_big)?.to_le_bytes());
            self.open.extend_from_slice(cell.as_bytes());
        }
        self.len += 1;
        if self.len.is_multiple_of(BLOCK_ROWS) {
            let internal = |e: std::io::Error| ServiceError::Internal(e.to_string());
            let mut packer = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            packer.write_all(&self.open).map_err(internal)?;
            self.blocks.push(packer.finish().map_err(internal)?.into_boxed_slice());
            self.open.clear();
        }
        Ok(())
    }

    /// Block `b`'s rows (the last one: the rows not yet compressed); None past them, or should a
    /// block not read back (it cannot: written above, in memory).
    fn block(&self, b: usize) -> Option<Vec<Vec<String>>> {
        match self.blocks.get(b) {
            Some(packed) => {
                let mut layout = Vec::with_capacity(packed.len() * 4);
                flate2::read::DeflateDecoder::new(&packed[..]).read_to_end(&mut layout).ok()?;
                read_layout(&layout)
            }
            None if b == self.blocks.len() => read_layout(&self.open),
            None => None,
        }
    }

    /// Gives back the room grown past what is held.
    fn shrink_to_fit(&mut self) {
        self.blocks.shrink_to_fit();
        self.open.shrink_to_fit();
    }
}

/// The rows of a block's [`Layout`]; None if it is cut short or a cell is not UTF-8.
fn read_layout(mut bytes: &[u8]) -> Option<Vec<Vec<String>>> {
    fn take_u32(bytes: &mut &[u8]) -> Option<usize> {
        let (head, rest) = bytes.split_first_chunk::<4>()?;
        *bytes = rest;
        Some(u32::from_le_bytes(*head) as usize)
    }
    let mut rows = Vec::new();
    while !bytes.is_empty() {
        let cells = take_u32(&mut bytes)?;
        let mut row = Vec::with_capacity(cells);
        for _ in 0..cells {
            let len = take_u32(&mut bytes)?;
            let (cell, rest) = bytes.split_at_checked(len)?;
            row.push(std::str::from_utf8(cell).ok()?.to_string());
            bytes = rest;
        }
        rows.push(row);
    }
    Some(rows)
}

impl<'de> Deserialize<'de> for Rows {
    /// A JSON list of lists of cell texts, each row added as it is read (never all as strings).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Each;
        impl<'de> serde::de::Visitor<'de> for Each {
            type Value = Rows;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of rows of cell texts")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Rows, A::Error> {
                let mut rows = Rows::default();
                while let Some(cells) = seq.next_element::<Vec<String>>()? {
                    rows.push(&cells).map_err(serde::de::Error::custom)?;
                }
                rows.shrink_to_fit();
                Ok(rows)
            }
        }
        d.deserialize_seq(Each)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(n: usize) -> Vec<Vec<String>> {
        (0..n)
            .map(|i| match i % 7 {
                3 => vec![],
                5 => vec![String::new(), "备注\"引号\"\n第二行".into()],
                _ => vec![format!("南京华芯{i}科技有限公司"), "江苏省南京市".into(), (i * 13).to_string()],
            })
            .collect()
    }

    #[test]
    fn rows_read_back_in_order_and_one_by_one_across_blocks() {
        for n in [0, 1, BLOCK_ROWS - 1, BLOCK_ROWS, BLOCK_ROWS + 1, 3 * BLOCK_ROWS + 17] {
            let want = sample(n);
            let mut rows = Rows::default();
            for row in &want {
                rows.push(row).unwrap();
            }
            assert_eq!((rows.len(), rows.is_empty()), (n, n == 0));
            assert_eq!(rows.iter().collect::<Vec<_>>(), want, "{n} rows in order");
            // Forwards, backwards and jumping between blocks.
            let order: Vec<usize> = (0..n).chain((0..n).rev()).chain((0..n).step_by(BLOCK_ROWS / 2 + 1)).collect();
            for i in order {
                assert_eq!(rows.get(i).as_ref(), Some(&want[i]), "row {i} of {n}");
            }
            assert_eq!(rows.get(n), None);
        }
    }

    #[test]
    fn rows_are_held_compressed() {
        let want = sample(10 * BLOCK_ROWS);
        let mut rows = Rows::default();
        for row in &want {
            rows.push(row).unwrap();
        }
        let text: usize = want.iter().flatten().map(String::len).sum();
        let held: usize = rows.blocks.iter().map(|b| b.len()).sum::<usize>() + rows.open.len();
        assert!(held * 3 < text, "{held} bytes held for {text} bytes of text");
    }

    #[test]
    fn rows_read_from_json_as_stored() {
        let want = sample(BLOCK_ROWS + 3);
        let rows: Rows = serde_json::from_str(&serde_json::to_string(&want).unwrap()).unwrap();
        assert_eq!(rows.iter().collect::<Vec<_>>(), want);
    }
}
