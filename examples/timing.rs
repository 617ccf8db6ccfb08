use county_atlas::atlas::Atlas;
use county_atlas::scene::MapGeometry;
use std::time::Instant;
fn main() {
    let atlas = Atlas::builtin().unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let g = MapGeometry::build(&atlas);
        println!(
            "geometry {:?}: {} tris, borders {:?}, outlines {}",
            t.elapsed(),
            g.units.indices.len() / 3,
            g.borders.iter().map(|b| b.len()).collect::<Vec<_>>(),
            g.unit_outlines.len()
        );
    }
    let g = MapGeometry::build(&atlas);
    for (u, l) in atlas.units().iter().zip(&g.unit_labels).take(5) {
        println!(
            "{} {:?} {:.0}",
            u.name,
            atlas.projection().inverse(l.position),
            l.clearance
        );
    }
    for (b, l) in atlas.backdrop().iter().zip(&g.backdrop_labels) {
        println!("{} {:?}", b.name, atlas.projection().inverse(*l));
    }
}
