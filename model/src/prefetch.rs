//! Parallel generation of tensors that are consumed one at a time in a known order: a batch of
//! upcoming tensors (bounded in size) is generated with rayon, and each is handed out once. The
//! random models use it so that generation runs on every core while memory stays bounded
//! (a 2.7B model is never held as a whole).

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::names::Expected;

/// Elements generated per batch (about 256 MB of `f32` working set).
pub(crate) const BATCH_ELEMENTS: usize = 1 << 26;

/// Generates the bytes of one tensor; must be deterministic per tensor.
pub(crate) type Generate<'g> = dyn Fn(&Expected) -> Vec<u8> + Sync + 'g;

struct State {
    served: Vec<bool>,
    cache: HashMap<usize, Vec<u8>>,
}

/// Hands out generated tensors by position in the expected consumption order.
pub(crate) struct Prefetcher<'g> {
    items: Vec<Expected>,
    generate: &'g Generate<'g>,
    state: Mutex<State>,
}

impl<'g> Prefetcher<'g> {
    /// A prefetcher over `items`, listed in the order they will most likely be taken. Taking them
    /// in another order is correct, only slower.
    pub(crate) fn new(items: Vec<Expected>, generate: &'g Generate<'g>) -> Prefetcher<'g> {
        let served = vec![false; items.len()];
        Prefetcher {
            items,
            generate,
            state: Mutex::new(State {
                served,
                cache: HashMap::new(),
            }),
        }
    }

    /// Position of `name` in the list.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.items.iter().position(|e| e.name == name)
    }

    /// The tensor at `i`; generates it together with the following tensors not yet handed out.
    pub(crate) fn take(&self, i: usize) -> Vec<u8> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.served[i] = true;
        if let Some(bytes) = state.cache.remove(&i) {
            return bytes;
        }
        let mut batch = vec![i];
        let mut elements = self.items[i].elements();
        for j in i + 1..self.items.len() {
            if state.served[j] || state.cache.contains_key(&j) {
                continue;
            }
            elements += self.items[j].elements();
            if elements > BATCH_ELEMENTS {
                break;
            }
            batch.push(j);
        }
        let mut made: Vec<(usize, Vec<u8>)> = batch
            .par_iter()
            .map(|&j| (j, (self.generate)(&self.items[j])))
            .collect();
        let first = made.remove(0).1;
        state.cache.extend(made);
        first
    }
}
