//! The topology as bytes, so that `build-geodata` can compute it once and ship it in
//! `geodata/topology.bin` (building it takes some 40 ms of sorting at every start). What is
//! stored is structure only: where each arc's vertices lie in the unit shapes, the sides, and
//! each ring's arcs. The vertices come from the shapes at load time, and a fingerprint of
//! their exact bits guards against shapes the bytes were not made from.
//!
//! Layout (little-endian): `CATOPO1\0`, fingerprint u64, arc count u32; per arc: unit,
//! polygon, ring, start, length (u32 each), flags u8 (1 reversed, 2 closed, 4 two-sided),
//! side a u32, side b u32; unit count u32; per unit its polygon count, per polygon its ring
//! count, per ring its arc count and each use as `arc << 1 | reversed` (all u32).

use super::{Arc, ArcSpan, ArcUse, Topology};
use geo::MultiPolygon;

const MAGIC: &[u8; 8] = b"CATOPO1\0";

impl Topology {
    /// A fingerprint of the exact coordinate bits of `geographic` shapes (the ones the
    /// topology is built from): stored topology is only used for the shapes it was made of.
    pub fn fingerprint(geographic: &[&MultiPolygon<f64>]) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut mix = |word: u64| {
            hash = (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
        };
        mix(geographic.len() as u64);
        for shape in geographic {
            mix(shape.0.len() as u64);
            for polygon in &shape.0 {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    mix(ring.0.len() as u64);
                    for c in &ring.0 {
                        mix(c.x.to_bits());
                        mix(c.y.to_bits());
                    }
                }
            }
        }
        hash
    }

    /// The topology as bytes, for the shapes whose [`Topology::fingerprint`] is `fingerprint`.
    pub fn to_bytes(&self, fingerprint: u64) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&fingerprint.to_le_bytes());
        let put = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
        put(&mut out, self.arcs.len() as u32);
        for (arc, span) in self.arcs.iter().zip(&self.spans) {
            for v in [span.unit, span.polygon, span.ring, span.start, span.length] {
                put(&mut out, v);
            }
            out.push(
                u8::from(span.reversed)
                    | u8::from(arc.closed) << 1
                    | u8::from(arc.sides.1.is_some()) << 2,
            );
            put(&mut out, arc.sides.0);
            put(&mut out, arc.sides.1.unwrap_or(0));
        }
        put(&mut out, self.rings.len() as u32);
        for polygons in &self.rings {
            put(&mut out, polygons.len() as u32);
            for rings in polygons {
                put(&mut out, rings.len() as u32);
                for uses in rings {
                    put(&mut out, uses.len() as u32);
                    for u in uses {
                        put(&mut out, u.arc << 1 | u32::from(u.reversed));
                    }
                }
            }
        }
        out
    }

    /// The stored topology of `projected` shapes, if `bytes` were made from `geographic`
    /// (same fingerprint) and are whole; `None` otherwise (build it instead).
    pub fn from_bytes(
        bytes: &[u8],
        geographic: &[&MultiPolygon<f64>],
        projected: &[&MultiPolygon<f64>],
    ) -> Option<Topology> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC
            || reader.u64()? != Self::fingerprint(geographic)
            || geographic.len() != projected.len()
        {
            return None;
        }
        let arc_count = reader.u32()? as usize;
        let mut arcs = Vec::with_capacity(arc_count.min(bytes.len()));
        let mut spans = Vec::with_capacity(arc_count.min(bytes.len()));
        for _ in 0..arc_count {
            let [unit, polygon, ring, start, length] = [
                reader.u32()?,
                reader.u32()?,
                reader.u32()?,
                reader.u32()?,
                reader.u32()?,
            ];
            let flags = reader.take(1)?[0];
            let (side_a, side_b) = (reader.u32()?, reader.u32()?);
            let span = ArcSpan {
                unit,
                polygon,
                ring,
                start,
                length,
                reversed: flags & 1 != 0,
            };
            let closed = flags & 2 != 0;
            arcs.push(Arc {
                points: span_points(projected, &span, closed)?,
                sides: (side_a, (flags & 4 != 0).then_some(side_b)),
                closed,
            });
            spans.push(span);
        }
        let unit_count = reader.u32()? as usize;
        if unit_count != projected.len() {
            return None;
        }
        let mut rings = Vec::with_capacity(unit_count);
        for shape in projected {
            let polygon_count = reader.u32()? as usize;
            if polygon_count != shape.0.len() {
                return None;
            }
            let mut polygons = Vec::with_capacity(polygon_count);
            for polygon in &shape.0 {
                let ring_count = reader.u32()? as usize;
                if ring_count != 1 + polygon.interiors().len() {
                    return None;
                }
                let mut polygon_rings = Vec::with_capacity(ring_count);
                for _ in 0..ring_count {
                    let use_count = reader.u32()? as usize;
                    let mut uses = Vec::with_capacity(use_count.min(arcs.len()));
                    for _ in 0..use_count {
                        let v = reader.u32()?;
                        if (v >> 1) as usize >= arcs.len() {
                            return None;
                        }
                        uses.push(ArcUse {
                            arc: v >> 1,
                            reversed: v & 1 != 0,
                        });
                    }
                    polygon_rings.push(uses);
                }
                polygons.push(polygon_rings);
            }
            rings.push(polygons);
        }
        (reader.at == bytes.len()).then_some(Topology { arcs, rings, spans })
    }

    /// The stored topology if `stored` holds one made from `geographic`, else one built now.
    pub fn load_or_build(
        stored: Option<&[u8]>,
        geographic: &[&MultiPolygon<f64>],
        projected: &[&MultiPolygon<f64>],
    ) -> Topology {
        stored
            .and_then(|bytes| Self::from_bytes(bytes, geographic, projected))
            .unwrap_or_else(|| Self::build(geographic, projected))
    }
}

/// An arc's vertices, in its canonical order, from the ring its span lies in.
fn span_points(
    projected: &[&MultiPolygon<f64>],
    span: &ArcSpan,
    closed: bool,
) -> Option<Vec<[f64; 2]>> {
    let polygon = projected
        .get(span.unit as usize)?
        .0
        .get(span.polygon as usize)?;
    let ring = match span.ring {
        0 => polygon.exterior(),
        r => polygon.interiors().get(r as usize - 1)?,
    };
    // The ring without its closing repeat.
    let n = ring.0.len().checked_sub(1).filter(|&n| n >= 2)?;
    let (start, length) = (span.start as usize, span.length as usize);
    if start >= n || length == 0 || length > n {
        return None;
    }
    let at = |i: usize| {
        let c = ring.0[i % n];
        [c.x, c.y]
    };
    Some(if closed {
        // A closed arc is the whole ring turned to start at `start`, run backwards if
        // reversed.
        (0..n)
            .map(|i| {
                at(if span.reversed {
                    start + n - i
                } else {
                    start + i
                })
            })
            .collect()
    } else {
        let mut points: Vec<[f64; 2]> = (0..=length).map(|i| at(start + i)).collect();
        if span.reversed {
            points.reverse();
        }
        points
    })
}

/// Reads little-endian numbers; `None` past the end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::shapes;
    use super::*;

    /// The topology of `shapes` (geographic and projected alike) and its stored bytes.
    fn built_and_stored(shapes: &[&MultiPolygon<f64>]) -> (Topology, Vec<u8>) {
        let built = Topology::build(shapes, shapes);
        let bytes = built.to_bytes(Topology::fingerprint(shapes));
        (built, bytes)
    }

    #[test]
    fn stored_topology_reads_back_equal_to_the_built_one() {
        let shapes = shapes();
        let refs: Vec<&MultiPolygon<f64>> = shapes.iter().collect();
        let (built, bytes) = built_and_stored(&refs);
        assert_eq!(
            Topology::from_bytes(&bytes, &refs, &refs),
            Some(built.clone())
        );
        assert_eq!(Topology::load_or_build(Some(&bytes), &refs, &refs), built);
    }

    #[test]
    fn other_shapes_or_damaged_bytes_are_not_read() {
        let shapes = shapes();
        let refs: Vec<&MultiPolygon<f64>> = shapes.iter().collect();
        let (built, bytes) = built_and_stored(&refs);
        // One vertex moved by a micrometre changes the fingerprint.
        let mut moved = shapes.clone();
        moved[0].0[0].exterior_mut(|ring| ring.0[2].x += 1e-6);
        let moved_refs: Vec<&MultiPolygon<f64>> = moved.iter().collect();
        assert_eq!(Topology::from_bytes(&bytes, &moved_refs, &moved_refs), None);
        assert_ne!(
            Topology::load_or_build(Some(&bytes), &moved_refs, &moved_refs),
            built,
            "built afresh for the moved shapes"
        );
        for cut in [0, 7, 16, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(Topology::from_bytes(&bytes[..cut], &refs, &refs), None);
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Topology::from_bytes(&longer, &refs, &refs), None);
    }
}
