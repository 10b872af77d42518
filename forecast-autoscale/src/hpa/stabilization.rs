//! Stabilisation of HPA recommendations (spec §2.5): the legacy 300 s scale-down window and
//! the asymmetric up/down windows of `behavior`.

use serde::{Deserialize, Serialize};

/// Stored recommendations `(replicas, time)` of one HPA.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recommendations {
    recs: Vec<(u32, i64)>,
}

impl Recommendations {
    /// Forgets every recommendation.
    pub fn clear(&mut self) {
        self.recs.clear();
    }

    /// True before the first recommendation is stored.
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// Stores `(replicas, now)` without stabilising (the HPA does this for the current
    /// replica count the first time it sees a target).
    pub fn seed(&mut self, replicas: u32, now: i64) {
        self.recs.push((replicas, now));
    }

    /// Legacy path (`stabilizeRecommendation`): the max of `desired` and every recommendation
    /// not older than `window` seconds; stores `desired`, reusing one old slot.
    pub fn stabilize_legacy(&mut self, desired: u32, now: i64, window: i64) -> u32 {
        let cutoff = now - window;
        let mut max_rec = desired;
        let mut old: Option<usize> = None;
        for (i, &(r, t)) in self.recs.iter().enumerate() {
            if t < cutoff {
                old = Some(i);
            } else if r > max_rec {
                max_rec = r;
            }
        }
        match old {
            Some(i) => self.recs[i] = (desired, now),
            None => self.recs.push((desired, now)),
        }
        max_rec
    }

    /// `behavior` path (`stabilizeRecommendationWithBehaviors`): scale up only to the lowest
    /// recommendation within the up window, down only to the highest within the down window.
    pub fn stabilize_with_behavior(
        &mut self,
        current: u32,
        desired: u32,
        now: i64,
        up_window: i64,
        down_window: i64,
    ) -> u32 {
        let (up_cut, down_cut) = (now - up_window, now - down_window);
        let (mut up, mut down) = (desired, desired);
        let mut old: Option<usize> = None;
        for (i, &(r, t)) in self.recs.iter().enumerate() {
            if t > up_cut {
                up = up.min(r);
            }
            if t > down_cut {
                down = down.max(r);
            }
            if t < up_cut && t < down_cut {
                old = Some(i);
            }
        }
        let mut rec = current;
        if rec < up {
            rec = up;
        }
        if rec > down {
            rec = down;
        }
        match old {
            Some(i) => self.recs[i] = (desired, now),
            None => self.recs.push((desired, now)),
        }
        rec
    }
}
