//! Kernels of the fast path: a blocked `x · W + b` and branch-free `exp`, sigmoid and tanh
//! written so that LLVM vectorises them with the baseline x86-64 instruction set (SSE2), no
//! `unsafe`, no target features and no allocation.
//!
//! ```
//! use forecast_neural::fast::math::{exp, sigmoid_in_place, tanh_in_place};
//! assert!((exp(1.0) - std::f32::consts::E).abs() < 1e-6);
//! let mut v = [0.0f32, 2.0, -2.0];
//! sigmoid_in_place(&mut v);
//! assert!((v[0] - 0.5).abs() < 1e-7 && (v[1] - 0.880797).abs() < 1e-6);
//! let mut t = [0.5f32];
//! tanh_in_place(&mut t);
//! assert!((t[0] - 0.5f32.tanh()).abs() < 1e-7);
//! ```

/// Output columns processed together in [`matvec_acc`]: 16 `f32` accumulators (four SSE
/// registers) stay in registers over the whole reduction.
const BLOCK: usize = 16;

/// `out += x · W` where `w` is row-major `[x.len()][out.len()]` (the layout of burn's
/// `Linear` weight: input rows, output columns).
///
/// Blocked over output columns so that the accumulators live in registers; the reduction over
/// `x` runs in index order.
#[inline(always)]
pub fn matvec_acc(w: &[f32], x: &[f32], out: &mut [f32]) {
    let n_out = out.len();
    debug_assert_eq!(w.len(), x.len() * n_out);
    let full = n_out / BLOCK * BLOCK;
    for start in (0..full).step_by(BLOCK) {
        let mut acc = [0.0f32; BLOCK];
        acc.copy_from_slice(&out[start..start + BLOCK]);
        for (k, &xk) in x.iter().enumerate() {
            let row = &w[k * n_out + start..k * n_out + start + BLOCK];
            for i in 0..BLOCK {
                acc[i] += xk * row[i];
            }
        }
        out[start..start + BLOCK].copy_from_slice(&acc);
    }
    if full < n_out {
        let rest = &mut out[full..];
        for (k, &xk) in x.iter().enumerate() {
            let row = &w[k * n_out + full..(k + 1) * n_out];
            for (o, &wi) in rest.iter_mut().zip(row) {
                *o += xk * wi;
            }
        }
    }
}

/// `out = b + x · W` (see [`matvec_acc`] for the layout).
#[inline(always)]
pub fn affine(w: &[f32], b: &[f32], x: &[f32], out: &mut [f32]) {
    out.copy_from_slice(b);
    matvec_acc(w, x, out);
}

/// `e^x` in `f32` within about 2 ulp for `x` in `[-87, 88]` (clamped outside), by
/// `e^x = 2^n · e^r` with a degree-6 polynomial for `e^r` (Cephes `expf`). Branch-free, so a
/// loop over a slice vectorises.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // 1.5 · 2^23: adding it rounds to the nearest integer, kept in the low mantissa bits.
    const SHIFTER: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let t = x * LOG2E + SHIFTER;
    let n = t - SHIFTER;
    let bits_n = t.to_bits().wrapping_sub(SHIFTER.to_bits()) as i32;
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut p = 1.987_569_2e-4f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let er = p * r * r + r + 1.0;
    let scale = f32::from_bits(((bits_n + 127) as u32) << 23);
    er * scale
}

/// The logistic function `1 / (1 + e^−x)`.
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

/// `tanh x = 1 − 2 / (e^{2x} + 1)` (absolute error below 1e-7).
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    1.0 - 2.0 / (exp(2.0 * x) + 1.0)
}

/// Applies [`sigmoid`] to every element.
#[inline(always)]
pub fn sigmoid_in_place(v: &mut [f32]) {
    for x in v {
        *x = sigmoid(*x);
    }
}

/// Applies [`tanh`] to every element.
#[inline(always)]
pub fn tanh_in_place(v: &mut [f32]) {
    for x in v {
        *x = tanh(*x);
    }
}

/// Applies `max(x, 0)` to every element.
#[inline(always)]
pub fn relu_in_place(v: &mut [f32]) {
    for x in v {
        *x = x.max(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_sigmoid_tanh_match_libm() {
        let mut worst_rel = 0.0f64;
        let mut worst_abs = 0.0f64;
        for i in -20_000..=20_000 {
            let x = i as f32 * 0.004;
            let e = exp(x) as f64;
            let r = (x as f64).exp();
            worst_rel = worst_rel.max(((e - r) / r).abs());
            worst_abs = worst_abs.max((sigmoid(x) as f64 - 1.0 / (1.0 + (-x as f64).exp())).abs());
            worst_abs = worst_abs.max((tanh(x) as f64 - (x as f64).tanh()).abs());
        }
        assert!(worst_rel < 3e-7, "exp relative error {worst_rel}");
        assert!(worst_abs < 3e-7, "sigmoid/tanh absolute error {worst_abs}");
        assert!(exp(-200.0) > 0.0 && exp(-200.0) < 1e-37);
        assert!(exp(200.0).is_finite() && exp(200.0) > 1e38);
        assert!(sigmoid(-200.0) >= 0.0 && sigmoid(-200.0) < 1e-37);
        assert_eq!(sigmoid(200.0), 1.0);
        assert!((tanh(50.0) - 1.0).abs() < 1e-7 && (tanh(-50.0) + 1.0).abs() < 1e-7);
    }

    #[test]
    fn matvec_matches_naive_for_ragged_sizes() {
        for (n_in, n_out) in [(1, 1), (3, 16), (5, 37), (32, 128), (7, 3)] {
            let w: Vec<f32> = (0..n_in * n_out)
                .map(|i| ((i * 7919) % 97) as f32 / 50.0 - 1.0)
                .collect();
            let x: Vec<f32> = (0..n_in).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..n_out).map(|i| i as f32 * 0.01).collect();
            let mut out = vec![0.0; n_out];
            affine(&w, &b, &x, &mut out);
            for j in 0..n_out {
                let r: f64 = b[j] as f64
                    + (0..n_in)
                        .map(|k| x[k] as f64 * w[k * n_out + j] as f64)
                        .sum::<f64>();
                assert!((out[j] as f64 - r).abs() < 1e-5, "{n_in}x{n_out} col {j}");
            }
        }
    }
}
