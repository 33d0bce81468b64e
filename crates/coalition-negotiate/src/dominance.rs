//! A static dominance index: a k-d tree over a set of utility vectors that answers "does any
//! point of the set make this point redundant?" without comparing it with every point.
//!
//! The tree splits the points at the median of one coordinate after another until a leaf
//! holds at most [`LEAF`] points, and keeps each node's bounding box (least and greatest value
//! per coordinate). A query for `p` first tries the few points that pruned the latest queries
//! (queries come in the tree's leaf order, so neighbours follow each other, and a handful of
//! strong points prune most neighbours), then
//! skips a node whose greatest corner falls short of `p` in some coordinate (no point in it is
//! at least as good for everyone), accepts a node whose least corner already prunes `p`
//! (every point in it does), and otherwise descends, the child with the better box first. Points close to `p` on the frontier are the only ones whose boxes
//! survive both tests, so a query touches few leaves even when `p` is not dominated and the
//! set holds tens of thousands of points: the cost follows the frontier's local shape instead
//! of the size of the set, the idea of Jaszkiewicz & Lust's ND-tree (2018) applied to a set
//! known in advance.
//!
//! "Prunes" is the frontier's relation ([`prunes`]): at least as good for everyone within
//! [`TOLERANCE`], and better by more than it for some party that cannot reach its cap any
//! more.

use crate::TOLERANCE;

/// Points per leaf: small enough that leaf boxes are tight, large enough to amortise a node.
const LEAF: usize = 8;

/// How many recent pruning points a query tries before the tree.
const RECENT: usize = 32;

/// Whether `q` makes `p` redundant: at least as good for everyone and strictly better for
/// some party that `p` can no longer push to its cap (`ms`: the most still to gain).
#[inline]
pub(crate) fn prunes(q: &[f64], p: &[f64], ms: &[f64], cap: &[f64]) -> bool {
    let mut strict = false;
    for j in 0..p.len() {
        if q[j] < p[j] - TOLERANCE {
            return false;
        }
        if q[j] > p[j] + TOLERANCE && p[j] + ms[j] < cap[j] - TOLERANCE {
            strict = true;
        }
    }
    strict
}

/// One node: points `start..end` of the reordered set; children `left`, `left + 1` (none
/// for a leaf).
#[derive(Debug, Clone, Copy)]
struct Node {
    start: u32,
    end: u32,
    /// Index of the first child, 0 for a leaf (the root is node 0, never a child).
    left: u32,
}

/// The index over one set of points (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct DominanceTree {
    dims: usize,
    /// The ids of the points, in the tree's leaf order (neighbours in space are close here).
    ids: Vec<u32>,
    /// The points, reordered so that every node's points are contiguous: `dims` per point.
    points: Vec<f64>,
    nodes: Vec<Node>,
    /// Per node, `dims` least values then `dims` greatest values.
    boxes: Vec<f64>,
    /// Scratch: node indices still to visit.
    stack: Vec<u32>,
    /// Scratch for a query point `p`: `p − tolerance`, then `p + tolerance` where a strict
    /// advantage counts (`+∞` where it does not, since the party is at its cap).
    limits: Vec<f64>,
    /// The points that pruned the latest queries (`dims` each, most recent last): queries
    /// come in leaf order, and neighbours are often pruned by the same few strong points.
    recent: Vec<f64>,
}

impl DominanceTree {
    /// Rebuilds the tree over `ids` (indices of `dims`-wide points in the flat `utilities`),
    /// reusing the buffers.
    pub(crate) fn rebuild(&mut self, utilities: &[f64], dims: usize, ids: &[u32]) {
        self.dims = dims;
        self.nodes.clear();
        self.boxes.clear();
        self.points.clear();
        self.recent.clear();
        self.ids.clear();
        self.ids.extend_from_slice(ids);
        if ids.is_empty() || dims == 0 {
            return;
        }
        // Split top down, cycling through the coordinates (cheaper than finding the widest
        // one, and as good on frontiers, whose points spread over every coordinate).
        let mut order = std::mem::take(&mut self.ids);
        self.nodes.push(Node {
            start: 0,
            end: ids.len() as u32,
            left: 0,
        });
        let mut pending = vec![(0u32, 0usize)];
        while let Some((n, depth)) = pending.pop() {
            let Node { start, end, .. } = self.nodes[n as usize];
            if (end - start) as usize <= LEAF {
                continue;
            }
            let slice = &mut order[start as usize..end as usize];
            let axis = depth % dims;
            let mid = slice.len() / 2;
            slice.select_nth_unstable_by(mid, |&a, &b| {
                utilities[a as usize * dims + axis].total_cmp(&utilities[b as usize * dims + axis])
            });
            let left = self.nodes.len() as u32;
            self.nodes[n as usize].left = left;
            let split = start + mid as u32;
            self.nodes.push(Node {
                start,
                end: split,
                left: 0,
            });
            self.nodes.push(Node {
                start: split,
                end,
                left: 0,
            });
            pending.push((left, depth + 1));
            pending.push((left + 1, depth + 1));
        }
        for &i in &order {
            let i = i as usize;
            self.points
                .extend_from_slice(&utilities[i * dims..(i + 1) * dims]);
        }
        self.ids = order;
        // Boxes bottom up: children come after their parent, so walk the nodes backwards.
        self.boxes.resize(self.nodes.len() * 2 * dims, 0.0);
        for n in (0..self.nodes.len()).rev() {
            let node = self.nodes[n];
            // Children sit after their parent: split there.
            let (own, after) = self.boxes[n * 2 * dims..].split_at_mut(2 * dims);
            let (lo, hi) = own.split_at_mut(dims);
            lo.fill(f64::INFINITY);
            hi.fill(f64::NEG_INFINITY);
            let mut widen = |l: &[f64], h: &[f64]| {
                for j in 0..dims {
                    lo[j] = lo[j].min(l[j]);
                    hi[j] = hi[j].max(h[j]);
                }
            };
            if node.left == 0 {
                let points = &self.points[node.start as usize * dims..node.end as usize * dims];
                for q in points.chunks_exact(dims) {
                    widen(q, q);
                }
            } else {
                let first = (node.left as usize - n - 1) * 2 * dims;
                for child in after[first..first + 4 * dims].chunks_exact(2 * dims) {
                    widen(&child[..dims], &child[dims..]);
                }
            }
        }
        // Queries visit `left` first: make it the child with the better box (the larger sum
        // of its corners), where a point that prunes the query is likelier.
        for n in 0..self.nodes.len() {
            let left = self.nodes[n].left as usize;
            if left == 0 {
                continue;
            }
            let score =
                |c: usize| -> f64 { self.boxes[c * 2 * dims..(c + 1) * 2 * dims].iter().sum() };
            if score(left + 1) > score(left) {
                self.nodes.swap(left, left + 1);
                let (a, b) = self.boxes.split_at_mut((left + 1) * 2 * dims);
                a[left * 2 * dims..].swap_with_slice(&mut b[..2 * dims]);
            }
        }
    }

    /// The ids passed to the last [`DominanceTree::rebuild`], in leaf order.
    pub(crate) fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// Whether some point of the set prunes `p` (`ms`: what `p` can still gain; `cap`: the
    /// caps).
    pub(crate) fn prunes_any(&mut self, p: &[f64], ms: &[f64], cap: &[f64]) -> bool {
        let dims = self.dims;
        if self.nodes.is_empty() {
            return false;
        }
        self.limits.resize(2 * dims, 0.0);
        let (floor, above) = self.limits.split_at_mut(dims);
        for j in 0..dims {
            floor[j] = p[j] - TOLERANCE;
            above[j] = if p[j] + ms[j] < cap[j] - TOLERANCE {
                p[j] + TOLERANCE
            } else {
                f64::INFINITY
            };
        }
        let (floor, above) = (&*floor, &*above);
        // Whether `q` prunes p; for a box's least corner, whether every point in it does.
        let prunes_p = |q: &[f64]| {
            let mut strict = false;
            for ((q, f), a) in q.iter().zip(floor).zip(above) {
                if q < f {
                    return false;
                }
                strict |= q > a;
            }
            strict
        };
        if self.recent.chunks_exact(dims).rev().any(prunes_p) {
            return true;
        }
        let stack = &mut self.stack;
        stack.clear();
        stack.push(0);
        while let Some(n) = stack.pop() {
            let node = self.nodes[n as usize];
            let (lo, hi) =
                self.boxes[n as usize * 2 * dims..(n as usize + 1) * 2 * dims].split_at(dims);
            if hi.iter().zip(floor).any(|(h, f)| h < f) {
                continue;
            }
            if prunes_p(lo) {
                return true;
            }
            if node.left == 0 {
                let points = &self.points[node.start as usize * dims..node.end as usize * dims];
                if let Some(q) = points.chunks_exact(dims).find(|q| prunes_p(q)) {
                    if self.recent.len() >= RECENT * dims {
                        self.recent.drain(..dims);
                    }
                    self.recent.extend_from_slice(q);
                    return true;
                }
                continue;
            }
            stack.push(node.left + 1);
            stack.push(node.left);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic cloud of `count` points in `dims` dimensions, some repeated exactly.
    fn cloud(count: usize, dims: usize, seed: u64) -> Vec<f64> {
        let mut state = seed;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64 * 20.0).floor() / 20.0
        };
        (0..count * dims).map(|_| next()).collect()
    }

    #[test]
    fn the_tree_answers_as_comparing_with_every_point_does() {
        for (dims, seed) in [(3, 1), (4, 2), (5, 3), (7, 4)] {
            let count = 600;
            let u = cloud(count, dims, seed);
            let ids: Vec<u32> = (0..count as u32).collect();
            let mut tree = DominanceTree::default();
            tree.rebuild(&u, dims, &ids);
            let ms = vec![0.0; dims];
            // A cap that binds for some points: at 0.9 on the first coordinate.
            let mut cap = vec![f64::INFINITY; dims];
            cap[0] = 0.9;
            let mut kept = 0;
            for p in u.chunks_exact(dims) {
                for cap in [&vec![f64::INFINITY; dims], &cap] {
                    let brute = u.chunks_exact(dims).any(|q| prunes(q, p, &ms, cap));
                    assert_eq!(tree.prunes_any(p, &ms, cap), brute, "{p:?}");
                    kept += usize::from(!brute);
                }
            }
            assert!(
                kept > 0 && kept < 2 * count,
                "some points are kept, some pruned"
            );
        }
    }
}
