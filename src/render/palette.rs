//! The colours of each level, in light and dark mode, worked out from the
//! one colour `book.toml` gives it, so that its text reaches WCAG AA
//! contrast (4.5:1) on every background the theme draws it on.
//!
//! [`level_css`] is pure: `Mark`s in, a stylesheet out, written as
//! `assets/levels.css`; templates use the classes `lv-<id>`, which set
//! `--lv-fg` (text and glyph), `--lv-bg` (a chip's fill) and `--lv-solid`
//! (the colour as given, for borders and shading).

use std::fmt::Write as _;

use crate::config::{Mark, Term};
use crate::model::LevelId;

/// An sRGB colour, 0-255 per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub(crate) u8, pub(crate) u8, pub(crate) u8);

impl Rgb {
    /// `#rrggbb`; `None` for anything else.
    pub(crate) fn parse(hex: &str) -> Option<Rgb> {
        let hex = hex.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(channel(0)?, channel(2)?, channel(4)?))
    }

    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// `self` over `base` at `amount` (0 to 1).
    fn mix(self, base: Rgb, amount: f64) -> Rgb {
        let blend = |a: u8, b: u8| (f64::from(a) * amount + f64::from(b) * (1.0 - amount)).round() as u8;
        Rgb(blend(self.0, base.0), blend(self.1, base.1), blend(self.2, base.2))
    }

    /// Relative luminance, as WCAG defines it.
    fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub(crate) fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The contrast every level's text must reach: WCAG AA for body text.
pub(crate) const MIN_CONTRAST: f64 = 4.5;

/// One colour scheme of the default theme: the backgrounds a level's text
/// is drawn on (page, sidebar, cards), and the colour to move towards for
/// more contrast.
struct Scheme {
    backgrounds: [Rgb; 3],
    toward: Rgb,
    /// How much of the level's colour a chip's fill takes.
    fill: f64,
}

/// Kept in step with `--bg`, `--bg-soft` and `--bg-raised` in `style.css`.
const LIGHT: Scheme = Scheme {
    backgrounds: [Rgb(0xfc, 0xfc, 0xfb), Rgb(0xf3, 0xf4, 0xf2), Rgb(0xff, 0xff, 0xff)],
    toward: Rgb(0, 0, 0),
    fill: 0.13,
};
const DARK: Scheme = Scheme {
    backgrounds: [Rgb(0x15, 0x18, 0x1d), Rgb(0x1c, 0x20, 0x27), Rgb(0x1f, 0x24, 0x2b)],
    toward: Rgb(0xff, 0xff, 0xff),
    fill: 0.24,
};

/// A level's colours in one scheme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shades {
    /// Text and glyph.
    pub(crate) fg: Rgb,
    /// A chip's fill.
    pub(crate) bg: Rgb,
}

fn shades(color: Rgb, scheme: &Scheme) -> Shades {
    let bg = color.mix(scheme.backgrounds[0], scheme.fill);
    let on = [bg, scheme.backgrounds[0], scheme.backgrounds[1], scheme.backgrounds[2]];
    let enough = |fg: Rgb| on.iter().all(|&b| contrast(fg, b) >= MIN_CONTRAST);
    // Move towards black (light) or white (dark) in small steps until the
    // text reads on every background; all the way is always enough.
    let fg = (0..=20).map(|step| scheme.toward.mix(color, f64::from(step) / 20.0)).find(|&c| enough(c));
    Shades { fg: fg.unwrap_or(scheme.toward), bg }
}

/// A level's colours in light and dark mode.
pub(crate) fn level_shades(mark: &Mark) -> (Shades, Shades) {
    let color = Rgb::parse(&mark.color).unwrap_or(Rgb(0x57, 0x60, 0x6a));
    (shades(color, &LIGHT), shades(color, &DARK))
}

/// The stylesheet of the levels' classes, `assets/levels.css`: each
/// colour as `light-dark()`, so it follows the page's colour scheme (the
/// system's, the reader's pick, or light on paper). Level ids are checked
/// when `book.toml` is read (lowercase letters, digits, `-`, `_`), so they
/// are safe in a selector.
pub(crate) fn level_css(levels: &[Term<LevelId>]) -> String {
    let mut css = String::new();
    for level in levels {
        let (light, dark) = level_shades(&level.mark);
        let _ = write!(
            css,
            ".lv-{}{{--lv-fg:light-dark({},{});--lv-bg:light-dark({},{});--lv-solid:{}}}",
            level.id.as_str(),
            light.fg.hex(),
            dark.fg.hex(),
            light.bg.hex(),
            dark.bg.hex(),
            level.mark.color
        );
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast(Rgb(0, 0, 0), Rgb(255, 255, 255)) - 21.0).abs() < 0.01);
        assert!((contrast(Rgb(0x77, 0x77, 0x77), Rgb(255, 255, 255)) - 4.48).abs() < 0.01);
    }

    #[test]
    fn default_marks_read_in_both_schemes() {
        for (hex, _) in crate::config::DEFAULT_MARKS {
            let color = Rgb::parse(hex).unwrap();
            for scheme in [&LIGHT, &DARK] {
                let s = shades(color, scheme);
                assert!(contrast(s.fg, s.bg) >= MIN_CONTRAST, "{hex}");
            }
        }
    }

    #[test]
    fn css_has_a_class_per_level_with_both_schemes() {
        let config = crate::config::parse_config(
            "[playbook]\nlevels = [{ id = \"impact\", name = \"Impact\" }, { id = \"optics\", name = \"Optics\", color = \"#ff0\" }]\n",
        )
        .unwrap();
        let css = level_css(&config.playbook.levels);
        assert!(css.starts_with(".lv-impact{--lv-fg:light-dark(#"), "{css}");
        assert!(css.contains(".lv-optics{"), "{css}");
        assert!(css.contains("--lv-solid:#ffff00}"), "{css}");
    }

    proptest! {
        /// Whatever colour an author picks, even white on light or black on
        /// dark, a level's text reads on all the theme's backgrounds.
        #[test]
        fn any_colour_reaches_aa(r in any::<u8>(), g in any::<u8>(), b in any::<u8>()) {
            for scheme in [&LIGHT, &DARK] {
                let s = shades(Rgb(r, g, b), scheme);
                for bg in scheme.backgrounds.iter().copied().chain([s.bg]) {
                    prop_assert!(contrast(s.fg, bg) >= MIN_CONTRAST, "{:?} on {:?}", s.fg, bg);
                }
            }
        }
    }
}
