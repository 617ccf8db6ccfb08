//! `county-atlas profile NAME|ADCODE`: a county's profile.

use county_atlas::analysis::profile::{CountyProfile, Detail};
use county_atlas::atlas::{Atlas, NameMatch};
use county_atlas::i18n::Lang;
use county_atlas::spatial::SpatialIndex;
use std::io::Write;

pub fn run(
    atlas: &Atlas,
    lang: Lang,
    query: &str,
    details: bool,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let resolved = atlas.resolve(query)?;
    let index = SpatialIndex::build(atlas);
    let profile = CountyProfile::build(atlas, &index, resolved.unit);
    if json {
        return super::write_json(out, &profile);
    }
    if let NameMatch::FormerName { former_name, year }
    | NameMatch::FormerAdcode { former_name, year } = &resolved.matched
    {
        let year = year.map(|y| y.to_string()).unwrap_or_default();
        match lang {
            Lang::Zh => writeln!(
                out,
                "({former_name} 现为 {},{year}年更名或调整)\n",
                profile.name
            )?,
            Lang::En => writeln!(
                out,
                "({former_name} is now {} ({}), changed in {year})\n",
                profile.name_en, profile.name
            )?,
        }
    }
    out.write_all(
        profile
            .to_text(
                lang,
                if details {
                    Detail::WithNotes
                } else {
                    Detail::Brief
                },
            )
            .as_bytes(),
    )?;
    Ok(())
}
