//! Differencing `(1−B)^d (1−B^m)^D`.

/// Coefficients `c_1..c_{d+mD}` of `(1−B)^d(1−B^m)^D = 1 + Σ c_k B^k`.
pub fn diff_poly(d: usize, sd: usize, m: usize) -> Vec<f64> {
    let mut poly = vec![1.0];
    let mul = |poly: &mut Vec<f64>, lag: usize| {
        let mut next = vec![0.0; poly.len() + lag];
        for (i, c) in poly.iter().enumerate() {
            next[i] += c;
            next[i + lag] -= c;
        }
        *poly = next;
    };
    for _ in 0..d {
        mul(&mut poly, 1);
    }
    for _ in 0..sd {
        mul(&mut poly, m);
    }
    poly[1..].to_vec()
}

/// Applies `1 + Σ c_k B^k` to `x`, writing `x_t + Σ c_k x_{t−k}` for `t ≥ len(c)` into `out`
/// (length `x.len() − c.len()`).
pub fn apply(x: &[f64], c: &[f64], out: &mut Vec<f64>) {
    let k = c.len();
    out.clear();
    if x.len() <= k {
        return;
    }
    let nz: Vec<(usize, f64)> = c
        .iter()
        .enumerate()
        .filter(|(_, v)| **v != 0.0)
        .map(|(i, &v)| (i + 1, v))
        .collect();
    out.extend((k..x.len()).map(|t| {
        let mut s = x[t];
        for &(lag, v) in &nz {
            s += v * x[t - lag];
        }
        s
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poly_and_apply() {
        assert_eq!(diff_poly(1, 0, 1), vec![-1.0]);
        assert_eq!(diff_poly(1, 1, 3), vec![-1.0, 0.0, -1.0, 1.0]);
        let mut out = Vec::new();
        apply(&[1.0, 4.0, 9.0, 16.0], &diff_poly(2, 0, 1), &mut out);
        assert_eq!(out, vec![2.0, 2.0]);
    }
}
