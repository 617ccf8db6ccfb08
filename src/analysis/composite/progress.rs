//! Progress between two years (进步县): the same definition computed for an earlier year, and
//! each county's change in score and rank. Ranks compare under any normalisation; scores
//! compare across years only where the normalisation's range spans them (`scope =
//! "all-years"`, a target, or a base year), which [`Progress::scores_compare`] says.

use super::compute::IndexResult;
use super::definition::{IndexDefinition, Normalisation, Scope};
use serde::Serialize;

/// A county's change since the earlier year.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Change {
    /// Its score then.
    pub score_from: f64,
    /// Its rank then.
    pub rank_from: usize,
    /// Score now − score then.
    pub score_change: f64,
    /// Rank then − rank now: positive where it moved up.
    pub rank_change: i64,
}

impl Change {
    /// Its rank now (its rank then less the places it moved up).
    pub fn rank_now(&self) -> i64 {
        self.rank_from as i64 - self.rank_change
    }
}

/// The changes since `from_year`.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// The earlier year.
    pub from_year: i32,
    /// Per county (scored both years).
    pub per_unit: Vec<Option<Change>>,
    /// Whether score changes mean anything (else only ranks do).
    pub scores_compare: bool,
}

impl Progress {
    /// The changes from `then` (the definition computed for `from_year`) to `now`.
    pub fn new(
        def: &IndexDefinition,
        from_year: i32,
        now: &IndexResult,
        then: &IndexResult,
    ) -> Self {
        let per_unit = (0..now.score.len())
            .map(|u| {
                let (s1, r1) = (now.score[u]?, now.rank[u]?);
                let (s0, r0) = (then.score[u]?, then.rank[u]?);
                Some(Change {
                    score_from: s0,
                    rank_from: r0,
                    score_change: s1 - s0,
                    rank_change: r0 as i64 - r1 as i64,
                })
            })
            .collect();
        let scores_compare = def.method.scope == Scope::AllYears
            || matches!(
                def.method.normalisation,
                Normalisation::Target | Normalisation::BaseYear
            );
        Progress {
            from_year,
            per_unit,
            scores_compare,
        }
    }

    /// The counties (by index, among those `member` accepts) that moved up most, best
    /// first (at most `n`).
    pub fn most_improved(&self, n: usize, member: impl Fn(usize) -> bool) -> Vec<(usize, Change)> {
        let mut moved: Vec<(usize, Change)> = self
            .per_unit
            .iter()
            .enumerate()
            .filter(|(u, _)| member(*u))
            .filter_map(|(u, c)| Some((u, (*c)?)))
            .filter(|(_, c)| c.rank_change > 0)
            .collect();
        moved.sort_by(|a, b| {
            b.1.rank_change
                .cmp(&a.1.rank_change)
                .then(b.1.score_change.total_cmp(&a.1.score_change))
        });
        moved.truncate(n);
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_moving_up_count_as_progress() {
        let def = IndexDefinition::parse(
            "name = \"x\"\nyear = 2020\n[[indicator]]\nlayer = \"a\"\ndimension = \"d\"\n",
            &|_| true,
        )
        .unwrap();
        let data = |v: [f64; 3]| super::super::IndexData {
            values: vec![v.iter().map(|x| Some(*x)).collect()],
            regions: vec![Some(0); 3],
            ..Default::default()
        };
        let now = super::super::compute(&def, &data([1.0, 3.0, 2.0])).unwrap();
        let then = super::super::compute(&def, &data([3.0, 1.0, 2.0])).unwrap();
        let p = Progress::new(&def, 2015, &now, &then);
        assert_eq!(p.per_unit[1].unwrap().rank_change, 2, "3rd to 1st");
        assert_eq!(p.per_unit[0].unwrap().rank_change, -2);
        assert_eq!(
            p.most_improved(5, |_| true)
                .iter()
                .map(|(u, _)| *u)
                .collect::<Vec<_>>(),
            vec![1]
        );
        assert!(!p.scores_compare, "min-max within each year");
    }
}
