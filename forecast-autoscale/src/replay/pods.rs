//! Pod bookkeeping of the replay: ready pods and starting pods with their ready times.

use std::collections::VecDeque;

/// Allocated replicas: `ready` pods plus starting ones (ready times, oldest first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodPool {
    ready: u32,
    starting: VecDeque<i64>,
}

impl PodPool {
    /// A pool of `ready` ready pods.
    pub fn new(ready: u32) -> Self {
        PodPool {
            ready,
            starting: VecDeque::new(),
        }
    }

    /// Ready pods.
    pub fn ready(&self) -> u32 {
        self.ready
    }

    /// Allocated pods (ready + starting).
    pub fn allocated(&self) -> u32 {
        self.ready + self.starting.len() as u32
    }

    /// Marks every starting pod whose ready time is `<= now` as ready.
    pub fn activate(&mut self, now: i64) {
        while self.starting.front().is_some_and(|&t| t <= now) {
            self.starting.pop_front();
            self.ready += 1;
        }
    }

    /// Sets the allocated count to `desired`: new pods become ready at `ready_at`; removals
    /// take the newest starting pods first, then ready ones.
    pub fn scale_to(&mut self, desired: u32, ready_at: i64) {
        let mut alloc = self.allocated();
        while alloc < desired {
            self.starting.push_back(ready_at);
            alloc += 1;
        }
        while alloc > desired {
            if self.starting.pop_back().is_none() {
                self.ready -= 1;
            }
            alloc -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starting_pods_are_removed_first() {
        let mut p = PodPool::new(2);
        p.scale_to(5, 60);
        assert_eq!((p.ready(), p.allocated()), (2, 5));
        p.activate(59);
        assert_eq!(p.ready(), 2);
        p.scale_to(3, 100);
        assert_eq!((p.ready(), p.allocated()), (2, 3));
        p.activate(60);
        assert_eq!((p.ready(), p.allocated()), (3, 3));
        p.scale_to(1, 200);
        assert_eq!((p.ready(), p.allocated()), (1, 1));
    }
}
