//! Non-negative least squares (Lawson & Hanson, 1974, algorithm NNLS) for stacking weights.
//!
//! Solves `min ‖A β − y‖²` subject to `β ≥ 0`, where the columns of `A` are member forecasts.
//! The problem is tiny (one column per ensemble member), so the normal equations of the
//! passive set are solved by Gaussian elimination with partial pivoting.

/// Solves NNLS for the column-major `cols` (each of length `y.len()`).
pub fn nnls(cols: &[&[f64]], y: &[f64]) -> Vec<f64> {
    let k = cols.len();
    let gram: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| dot(cols[i], cols[j])).collect())
        .collect();
    let aty: Vec<f64> = cols.iter().map(|c| dot(c, y)).collect();
    let mut beta = vec![0.0; k];
    let mut passive = vec![false; k];
    let tol = 1e-10 * aty.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    for _outer in 0..(3 * k + 10) {
        // Gradient w = Aᵀ(y − Aβ).
        let w: Vec<f64> = (0..k)
            .map(|i| aty[i] - (0..k).map(|j| gram[i][j] * beta[j]).sum::<f64>())
            .collect();
        let candidate = (0..k)
            .filter(|&i| !passive[i] && w[i] > tol)
            .max_by(|&a, &b| w[a].total_cmp(&w[b]));
        let Some(j) = candidate else { break };
        passive[j] = true;
        for _inner in 0..(3 * k + 10) {
            let z = solve_passive(&gram, &aty, &passive);
            if (0..k).all(|i| !passive[i] || z[i] > 0.0) {
                beta = z;
                break;
            }
            // Step towards z until a passive coefficient hits zero.
            let mut alpha = f64::INFINITY;
            for i in 0..k {
                if passive[i] && z[i] <= 0.0 {
                    alpha = alpha.min(beta[i] / (beta[i] - z[i]));
                }
            }
            for i in 0..k {
                beta[i] += alpha * (z[i] - beta[i]);
                if passive[i] && beta[i] <= 1e-15 {
                    passive[i] = false;
                    beta[i] = 0.0;
                }
            }
        }
    }
    beta
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Least squares restricted to the passive set (others zero).
fn solve_passive(gram: &[Vec<f64>], aty: &[f64], passive: &[bool]) -> Vec<f64> {
    let idx: Vec<usize> = (0..passive.len()).filter(|&i| passive[i]).collect();
    let n = idx.len();
    let mut a: Vec<Vec<f64>> = idx
        .iter()
        .map(|&i| {
            let mut row: Vec<f64> = idx.iter().map(|&j| gram[i][j]).collect();
            row.push(aty[i]);
            row
        })
        .collect();
    // Tiny ridge keeps collinear members (identical forecasts) solvable.
    for (r, row) in a.iter_mut().enumerate() {
        row[r] += 1e-12 * (1.0 + row[r].abs());
    }
    for c in 0..n {
        let p = (c..n)
            .max_by(|&x, &y| a[x][c].abs().total_cmp(&a[y][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        let piv = a[c][c];
        if piv.abs() < 1e-300 {
            continue;
        }
        for r in 0..n {
            if r != c {
                let f = a[r][c] / piv;
                if f != 0.0 {
                    let pivot_row = a[c].clone();
                    for (x, p) in a[r][c..].iter_mut().zip(&pivot_row[c..]) {
                        *x -= f * p;
                    }
                }
            }
        }
    }
    let mut z = vec![0.0; passive.len()];
    for (r, &i) in idx.iter().enumerate() {
        z[i] = if a[r][r].abs() < 1e-300 {
            0.0
        } else {
            a[r][n] / a[r][r]
        };
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_a_negative_coefficient_to_zero() {
        // y = 2a exactly; b is anti-correlated and must get 0, not a negative weight.
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [4.0, 3.0, 2.0, 1.0];
        let y = [2.0, 4.0, 6.0, 8.0];
        let beta = nnls(&[&a, &b], &y);
        assert!(
            (beta[0] - 2.0).abs() < 1e-9 && beta[1].abs() < 1e-12,
            "{beta:?}"
        );
    }
}
