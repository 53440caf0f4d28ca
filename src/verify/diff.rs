//! A small sequence diff (Myers), to find where two texts or block
//! skeletons part and meet again.
//!
//! The common prefix and suffix are cut first, so the usual case (equal, or
//! one change) costs a linear scan. The edit distance searched is capped:
//! past the cap the whole differing middle is one hunk, which still names
//! where the first change is. Iterative; memory is quadratic in the cap only.

use std::ops::Range;

/// A changed stretch: `a[a]` became `b[b]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub a: Range<usize>,
    pub b: Range<usize>,
}

/// Largest edit distance searched for.
const MAX_EDITS: usize = 400;

/// Hunks closer than this many equal items are reported as one.
const JOIN_GAP: usize = 8;

/// The hunks that turn `a` into `b`, in order.
pub fn hunks<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Hunk> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a_mid, b_mid) = (&a[prefix..], &b[prefix..]);
    let suffix = a_mid
        .iter()
        .rev()
        .zip(b_mid.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let a_mid = &a_mid[..a_mid.len() - suffix];
    let b_mid = &b_mid[..b_mid.len() - suffix];
    if a_mid.is_empty() && b_mid.is_empty() {
        return Vec::new();
    }
    let whole = Hunk {
        a: prefix..prefix + a_mid.len(),
        b: prefix..prefix + b_mid.len(),
    };
    match edits(a_mid, b_mid) {
        Some(ops) => group(&ops, prefix),
        None => vec![whole],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal,
    Delete,
    Insert,
}

/// The shortest edit script, or `None` past [`MAX_EDITS`].
fn edits<T: PartialEq>(a: &[T], b: &[T]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let limit = MAX_EDITS.min(a.len() + b.len()) as isize;
    // trace[d][k + d]: the furthest x on diagonal k after d edits.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=limit {
        let mut v = vec![0isize; (2 * d + 1) as usize];
        for k in (-d..=d).step_by(2) {
            let prev = |kk: isize| trace[(d - 1) as usize][(kk + d - 1) as usize];
            let mut x = if d == 0 {
                0
            } else if k == -d || (k != d && prev(k - 1) < prev(k + 1)) {
                prev(k + 1)
            } else {
                prev(k - 1) + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(k + d) as usize] = x;
            if x >= n && y >= m {
                trace.push(v);
                return Some(backtrack(&trace, n, m));
            }
        }
        trace.push(v);
    }
    None
}

fn backtrack(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<Op> {
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..trace.len() as isize).rev() {
        let k = x - y;
        let prev = |kk: isize| trace[(d - 1) as usize][(kk + d - 1) as usize];
        let prev_k = if k == -d || (k != d && prev(k - 1) < prev(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = prev(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Equal);
            x -= 1;
            y -= 1;
        }
        ops.push(if x == prev_x { Op::Insert } else { Op::Delete });
        (x, y) = (prev_x, prev_y);
    }
    ops.extend((0..x).map(|_| Op::Equal));
    ops.reverse();
    ops
}

/// Groups an edit script into hunks, joining close ones.
fn group(ops: &[Op], offset: usize) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::new();
    let (mut i, mut j) = (offset, offset);
    let mut equal_run = usize::MAX;
    for op in ops {
        if *op == Op::Equal {
            i += 1;
            j += 1;
            equal_run = equal_run.saturating_add(1);
            continue;
        }
        let joins = equal_run < JOIN_GAP && !out.is_empty();
        if !joins {
            out.push(Hunk { a: i..i, b: j..j });
        }
        let h = out.last_mut().expect("pushed above");
        match op {
            Op::Delete => i += 1,
            _ => j += 1,
        }
        h.a.end = i;
        h.b.end = j;
        equal_run = 0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn equal_inputs_have_no_hunks() {
        assert!(hunks(&chars("abc"), &chars("abc")).is_empty());
    }

    #[test]
    fn one_change_is_one_hunk() {
        let h = hunks(&chars("the cat sat"), &chars("the dog sat"));
        assert_eq!(h, vec![Hunk { a: 4..7, b: 4..7 }]);
    }

    #[test]
    fn distant_changes_are_separate_hunks() {
        let a = chars("aaaaXaaaaaaaaaaaaaaaaaaaaYaaaa");
        let b = chars("aaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        let h = hunks(&a, &b);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].a, 4..5);
        assert_eq!(h[0].b, 4..4);
        assert_eq!(h[1].b.start, h[1].b.end);
    }

    #[test]
    fn a_large_difference_is_one_hunk() {
        let a: Vec<u32> = (0..2000).collect();
        let b: Vec<u32> = (5000..7000).collect();
        let h = hunks(&a, &b);
        assert_eq!(
            h,
            vec![Hunk {
                a: 0..2000,
                b: 0..2000
            }]
        );
    }
}
