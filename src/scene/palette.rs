//! ColorBrewer colour schemes (Cynthia Brewer, colorbrewer2.org), from the `colorous` crate:
//! sequential and diverging schemes sampled along their gradients, qualitative ones taken
//! colour by colour. Any scheme can be reversed.

use super::theme::Rgba;
use serde::{Deserialize, Serialize};

/// What a scheme is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SchemeKind {
    /// Light to dark: ordered values.
    Sequential,
    /// Two hues from a neutral middle: values on either side of a midpoint.
    Diverging,
    /// Distinct hues: categories.
    Qualitative,
}

macro_rules! schemes {
    ($($variant:ident = $name:literal, $kind:ident, $source:ident, $cb_safe:literal;)*) => {
        /// A ColorBrewer scheme.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Palette {
            $(
                #[doc = concat!("ColorBrewer ", $name, " (", stringify!($kind), ").")]
                $variant,
            )*
        }

        impl Palette {
            /// Every scheme, sequential first, then diverging, then qualitative.
            pub const ALL: &'static [Palette] = &[$(Palette::$variant),*];

            /// Its ColorBrewer name, e.g. "YlOrRd".
            pub fn name(self) -> &'static str {
                match self { $(Palette::$variant => $name),* }
            }

            /// Sequential, diverging or qualitative.
            pub fn kind(self) -> SchemeKind {
                match self { $(Palette::$variant => SchemeKind::$kind),* }
            }

            /// Whether ColorBrewer marks the scheme colour-blind safe.
            pub fn colour_blind_safe(self) -> bool {
                match self { $(Palette::$variant => $cb_safe),* }
            }

            fn source(self) -> Source {
                match self { $(Palette::$variant => schemes!(@source $kind, $source)),* }
            }
        }
    };
    (@source Qualitative, $source:ident) => { Source::Discrete(&colorous::$source) };
    (@source $kind:ident, $source:ident) => { Source::Gradient(colorous::$source) };
}

enum Source {
    Gradient(colorous::Gradient),
    Discrete(&'static [colorous::Color]),
}

schemes! {
    YlOrRd = "YlOrRd", Sequential, YELLOW_ORANGE_RED, true;
    YlOrBr = "YlOrBr", Sequential, YELLOW_ORANGE_BROWN, true;
    YlGnBu = "YlGnBu", Sequential, YELLOW_GREEN_BLUE, true;
    YlGn = "YlGn", Sequential, YELLOW_GREEN, true;
    OrRd = "OrRd", Sequential, ORANGE_RED, true;
    PuBuGn = "PuBuGn", Sequential, PURPLE_BLUE_GREEN, true;
    PuBu = "PuBu", Sequential, PURPLE_BLUE, true;
    PuRd = "PuRd", Sequential, PURPLE_RED, true;
    RdPu = "RdPu", Sequential, RED_PURPLE, true;
    BuGn = "BuGn", Sequential, BLUE_GREEN, true;
    BuPu = "BuPu", Sequential, BLUE_PURPLE, true;
    GnBu = "GnBu", Sequential, GREEN_BLUE, true;
    Blues = "Blues", Sequential, BLUES, true;
    Greens = "Greens", Sequential, GREENS, true;
    Greys = "Greys", Sequential, GREYS, true;
    Oranges = "Oranges", Sequential, ORANGES, true;
    Purples = "Purples", Sequential, PURPLES, true;
    Reds = "Reds", Sequential, REDS, true;
    RdBu = "RdBu", Diverging, RED_BLUE, true;
    RdYlBu = "RdYlBu", Diverging, RED_YELLOW_BLUE, true;
    PuOr = "PuOr", Diverging, PURPLE_ORANGE, true;
    PRGn = "PRGn", Diverging, PURPLE_GREEN, true;
    BrBG = "BrBG", Diverging, BROWN_GREEN, true;
    PiYG = "PiYG", Diverging, PINK_GREEN, true;
    RdGy = "RdGy", Diverging, RED_GREY, false;
    RdYlGn = "RdYlGn", Diverging, RED_YELLOW_GREEN, false;
    Spectral = "Spectral", Diverging, SPECTRAL, false;
    Set2 = "Set2", Qualitative, SET2, false;
    Dark2 = "Dark2", Qualitative, DARK2, false;
    Paired = "Paired", Qualitative, PAIRED, false;
    Set1 = "Set1", Qualitative, SET1, false;
    Set3 = "Set3", Qualitative, SET3, false;
    Accent = "Accent", Qualitative, ACCENT, false;
    Pastel1 = "Pastel1", Qualitative, PASTEL1, false;
    Pastel2 = "Pastel2", Qualitative, PASTEL2, false;
}

impl Default for Palette {
    /// YlOrRd: sequential and colour-blind safe.
    fn default() -> Self {
        Palette::YlOrRd
    }
}

impl std::str::FromStr for Palette {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Palette::ALL
            .iter()
            .copied()
            .find(|p| p.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown palette '{s}': use a ColorBrewer name such as YlOrRd, Blues, RdBu or Set2"))
    }
}

impl Palette {
    /// Colour `i` of `n` classes (`reversed` runs the scheme the other way).
    pub fn colour(self, i: usize, n: usize, reversed: bool) -> Rgba {
        let i = if reversed {
            n.saturating_sub(1).saturating_sub(i)
        } else {
            i
        };
        let c = match self.source() {
            Source::Discrete(colours) => colours[i % colours.len()],
            Source::Gradient(gradient) => {
                let t = if n <= 1 {
                    0.5
                } else {
                    i as f64 / (n - 1) as f64
                };
                // Sequential schemes start a little above their palest colour, which would
                // vanish against the paper-white background.
                let t = if self.kind() == SchemeKind::Sequential {
                    0.12 + 0.88 * t
                } else {
                    t
                };
                gradient.eval_continuous(t)
            }
        };
        [c.r, c.g, c.b, 255]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(c: Rgba) -> f64 {
        0.3 * f64::from(c[0]) + 0.59 * f64::from(c[1]) + 0.11 * f64::from(c[2])
    }

    #[test]
    fn sequential_schemes_darken_and_reverse() {
        for palette in Palette::ALL
            .iter()
            .filter(|p| p.kind() == SchemeKind::Sequential)
        {
            let (light, dark) = (palette.colour(0, 5, false), palette.colour(4, 5, false));
            assert!(
                luminance(light) > luminance(dark) + 60.0,
                "{}",
                palette.name()
            );
            assert_eq!(palette.colour(0, 5, true), dark);
        }
    }

    #[test]
    fn names_parse_back_and_the_default_is_colour_blind_safe() {
        for palette in Palette::ALL {
            assert_eq!(palette.name().parse::<Palette>(), Ok(*palette));
        }
        assert!(Palette::default().colour_blind_safe());
        assert!("ylorrd".parse::<Palette>().is_ok());
        assert!("Rainbow".parse::<Palette>().is_err());
    }

    #[test]
    fn qualitative_schemes_give_distinct_colours() {
        let colours: Vec<Rgba> = (0..5).map(|i| Palette::Set2.colour(i, 5, false)).collect();
        for (i, a) in colours.iter().enumerate() {
            assert!(colours[i + 1..].iter().all(|b| a != b));
        }
    }
}
