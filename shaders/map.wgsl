// The map's pipelines: filled shapes, anti-aliased lines of constant pixel width, and point
// symbols. One file so the three share the view transform and colour handling.
//
// Coordinates: "scene" metres (Albers, relative to the scene origin) → pixels of the
// viewport (y down) → clip space. Colours arrive in the target's own encoding, so the
// shader never converts them: linear for sRGB targets (which encode on store and blend in
// linear light), sRGB-encoded for the others (which blend encoded values, as egui, resvg and
// SVG and PDF viewers do). The tables' texture format and the CPU's uniforms see to it.

struct View {
    // Scene point at the centre of the viewport, metres.
    centre: vec2<f32>,
    // Viewport size, physical pixels.
    viewport: vec2<f32>,
    // Where the frame's top-left corner lies in the target, physical pixels: hatches start
    // there, so that a frame drawn in strips shows one pattern, not one per strip.
    hatch_origin: vec2<f32>,
    // Metres per physical pixel.
    metres_per_pixel: f32,
    // Physical pixels per logical point (line widths are in points).
    pixels_per_point: f32,
    // Fill opacity, 0..1.
    fill_opacity: f32,
    _pad: u32,
    // Hatch colours (the target's encoding, straight alpha).
    no_data_hatch: vec4<f32>,
    overlay_hatch: vec4<f32>,
};

// Per-shape state bits, in the flags table.
const HOVERED: u32 = 1u;
const SELECTED: u32 = 2u;
const OVERLAY_HATCH: u32 = 4u;
const OVERLAY_OUTLINE: u32 = 8u;
const MUTED: u32 = 16u;
const NO_DATA: u32 = 32u;
const OVERLAY_WIDE: u32 = 64u;

const NO_OWNER: u32 = 0xffffffffu;
const TABLE_WIDTH: u32 = 256u;

@group(0) @binding(0) var<uniform> view: View;
@group(1) @binding(0) var colours: texture_2d<f32>;
@group(1) @binding(1) var flags: texture_2d<u32>;

fn table_coord(index: u32) -> vec2<i32> {
    return vec2<i32>(i32(index % TABLE_WIDTH), i32(index / TABLE_WIDTH));
}

fn shape_flags(index: u32) -> u32 {
    return textureLoad(flags, table_coord(index), 0).r;
}

fn scene_to_pixels(p: vec2<f32>) -> vec2<f32> {
    let d = (p - view.centre) / view.metres_per_pixel;
    return vec2<f32>(d.x + view.viewport.x * 0.5, view.viewport.y * 0.5 - d.y);
}

fn pixels_to_clip(p: vec2<f32>) -> vec4<f32> {
    return vec4<f32>(p.x / view.viewport.x * 2.0 - 1.0, 1.0 - p.y / view.viewport.y * 2.0, 0.0, 1.0);
}

// Diagonal stripes in screen space: 1 on a stripe, 0 between, anti-aliased.
fn stripes(pixel: vec2<f32>, spacing: f32, width: f32, direction: f32) -> f32 {
    let t = (pixel.x + direction * pixel.y) / spacing;
    let d = abs(fract(t) - 0.5) * spacing;
    return clamp(width * 0.5 - d + 0.5, 0.0, 1.0);
}

// A square grid of dots in screen space: 1 on a dot, 0 between, anti-aliased.
fn dots(pixel: vec2<f32>, spacing: f32, radius: f32) -> f32 {
    let d = length(fract(pixel / spacing) - vec2<f32>(0.5)) * spacing;
    return clamp(radius - d + 0.5, 0.0, 1.0);
}

// ---------------------------------------------------------------- fills

struct FillOut {
    @builtin(position) position: vec4<f32>,
    @location(0) @interpolate(flat) colour: vec4<f32>,
    @location(1) @interpolate(flat) state: u32,
};

// The shape's colour and flags are looked up per vertex, not per fragment: a province fills
// millions of fragments but has a few hundred thousand vertices (software rasterisers feel it).
@vertex
fn vs_fill(@location(0) position: vec2<f32>, @location(1) owner: u32) -> FillOut {
    var out: FillOut;
    out.position = pixels_to_clip(scene_to_pixels(position));
    out.colour = textureLoad(colours, table_coord(owner), 0);
    out.state = shape_flags(owner);
    return out;
}

// Plain fills: the shape's colour. Everything per-shape that costs per fragment (hatches,
// highlight, muting) is drawn by `fs_fill_overlay` over the few shapes that need it.
@fragment
fn fs_fill(in: FillOut) -> @location(0) vec4<f32> {
    return vec4<f32>(in.colour.rgb, in.colour.a * view.fill_opacity);
}

// `top` composited over `below`, both with straight alpha.
fn over(top: vec4<f32>, below: vec4<f32>) -> vec4<f32> {
    let alpha = top.a + below.a * (1.0 - top.a);
    if alpha <= 0.0 {
        return vec4<f32>(0.0);
    }
    let rgb = (top.rgb * top.a + below.rgb * below.a * (1.0 - top.a)) / alpha;
    return vec4<f32>(rgb, alpha);
}

// Drawn again over flagged shapes only: hatches, hover highlight, muting.
@fragment
fn fs_fill_overlay(in: FillOut) -> @location(0) vec4<f32> {
    let state = in.state;
    let ppp = view.pixels_per_point;
    var overlay = vec4<f32>(0.0);
    if (state & MUTED) != 0u {
        // A light grey wash (98% white in sRGB terms on the usual non-sRGB targets).
        overlay = vec4<f32>(0.98, 0.98, 0.98, 0.7);
    }
    if (state & HOVERED) != 0u {
        overlay = vec4<f32>(1.0, 1.0, 1.0, 0.25);
    }
    if (state & NO_DATA) != 0u {
        let s = stripes(in.position.xy - view.hatch_origin, 7.0 * ppp, 1.2 * ppp, -1.0) * view.no_data_hatch.a;
        overlay = over(vec4<f32>(view.no_data_hatch.rgb, s), overlay);
    }
    if (state & OVERLAY_WIDE) != 0u {
        // A whole prefecture named: dots, so that no county reads as named itself.
        let s = dots(in.position.xy - view.hatch_origin, 8.0 * ppp, 1.4 * ppp) * view.overlay_hatch.a;
        overlay = over(vec4<f32>(view.overlay_hatch.rgb, s), overlay);
    }
    if (state & OVERLAY_HATCH) != 0u {
        let s = stripes(in.position.xy - view.hatch_origin, 9.0 * ppp, 1.6 * ppp, 1.0) * view.overlay_hatch.a;
        overlay = over(vec4<f32>(view.overlay_hatch.rgb, s), overlay);
    }
    if overlay.a <= 0.0 {
        discard;
    }
    return overlay;
}

// ---------------------------------------------------------------- lines

struct LineStyle {
    colour: vec4<f32>,
    // Width in logical points.
    width: f32,
    // Draw a segment only if its owner's flags share a bit with this mask (0: always).
    mask: u32,
    _pad: vec2<f32>,
};

@group(2) @binding(0) var<uniform> line: LineStyle;

struct LineOut {
    @builtin(position) position: vec4<f32>,
    // x, y: the fragment in the segment's own frame, pixels (x along from a, y across);
    // z: the segment's length; w: the line's half width. z and w are the same at every
    // corner, so interpolating them changes nothing: one input rather than four is cheaper
    // to set up and interpolate on software rasterisers.
    @location(0) local: vec4<f32>,
};

// Each segment is drawn as a quad around its capsule (the segment swept by a disc), so that
// consecutive segments join with round joins and the edge is anti-aliased by distance.
// Segments arrive as instances (`vs_line`: the corner is the vertex index of a 4-vertex strip)
// or are read from a storage buffer (`vs_line_pulled`: six vertices per segment, the two
// triangles of its quad; the vertex index says which segment and which corner).
@vertex
fn vs_line(
    @builtin(vertex_index) corner: u32,
    @location(0) a: vec2<f32>,
    @location(1) b: vec2<f32>,
    @location(2) owner: u32,
) -> LineOut {
    return line_corner(corner, a, b, owner);
}

// The segments as words, five per segment (a.x, a.y, b.x, b.y as f32 bits; owner): an array of
// a struct would be padded to 24 bytes, and the buffer is the renderer's 20-byte `Segment`s.
@group(3) @binding(0) var<storage, read> segments: array<u32>;

@vertex
fn vs_line_pulled(@builtin(vertex_index) vertex: u32) -> LineOut {
    // The strip's corners 0 1 2 3 as two triangles: 0 1 2, 2 1 3.
    var quad = array<u32, 6>(0u, 1u, 2u, 2u, 1u, 3u);
    let at = (vertex / 6u) * 5u;
    let a = bitcast<vec2<f32>>(vec2<u32>(segments[at], segments[at + 1u]));
    let b = bitcast<vec2<f32>>(vec2<u32>(segments[at + 2u], segments[at + 3u]));
    return line_corner(quad[vertex % 6u], a, b, segments[at + 4u]);
}

// Corner 0..3 of segment a–b's quad (bit 0: the b end; bit 1: the left side).
fn line_corner(corner: u32, a: vec2<f32>, b: vec2<f32>, owner: u32) -> LineOut {
    var out: LineOut;
    if line.mask != 0u && (owner == NO_OWNER || (shape_flags(owner) & line.mask) == 0u) {
        out.position = vec4<f32>(2.0, 2.0, 2.0, 1.0);
        return out;
    }
    let pa = scene_to_pixels(a);
    let pb = scene_to_pixels(b);
    let half_width = max(line.width * view.pixels_per_point, 0.5) * 0.5;
    let reach = half_width + 1.0;
    let delta = pb - pa;
    let length = length(delta);
    var along = vec2<f32>(1.0, 0.0);
    if length > 1e-6 {
        along = delta / length;
    }
    let across = vec2<f32>(-along.y, along.x);
    let x = select(-reach, length + reach, (corner & 1u) == 1u);
    let y = select(-reach, reach, (corner & 2u) == 2u);
    out.position = pixels_to_clip(pa + along * x + across * y);
    out.local = vec4<f32>(x, y, length, half_width);
    return out;
}

@fragment
fn fs_line(in: LineOut) -> @location(0) vec4<f32> {
    var coverage: f32;
    if line.colour.a >= 1.0 {
        // Opaque: the capsule, by distance to the segment from (0, 0) to (length, 0) in its
        // own frame; consecutive capsules make round joins.
        let nearest = vec2<f32>(clamp(in.local.x, 0.0, in.local.z), 0.0);
        let d = distance(in.local.xy, nearest);
        coverage = clamp(in.local.w + 0.5 - d, 0.0, 1.0);
    } else {
        // Translucent: capsules would overlap at every vertex and blend twice there, beading
        // the line where its vertices are dense. Butt ends, anti-aliased over half a pixel
        // each way, abut instead (the gap at a bend is a sliver at these lines' widths).
        let across = clamp(in.local.w + 0.5 - abs(in.local.y), 0.0, 1.0);
        let along = clamp(in.local.x + 0.5, 0.0, 1.0) * clamp(in.local.z - in.local.x + 0.5, 0.0, 1.0);
        coverage = across * along;
    }
    if coverage <= 0.0 {
        discard;
    }
    return vec4<f32>(line.colour.rgb, line.colour.a * coverage);
}

// ---------------------------------------------------------------- points

struct PointOut {
    @builtin(position) position: vec4<f32>,
    @location(0) offset: vec2<f32>,
    @location(1) @interpolate(flat) radius: f32,
    @location(2) @interpolate(flat) shape: u32,
    @location(3) @interpolate(flat) fill: vec4<f32>,
};

struct PointStyle {
    // The halo around every symbol.
    outline: vec4<f32>,
};

@group(2) @binding(1) var<uniform> point: PointStyle;

// Points arrive in viewport pixels (clustered on the CPU) with a radius in pixels, a shape
// (0 circle, 1 square, 2 triangle, 3 diamond; plus 4 for hollow) and a colour.
@vertex
fn vs_point(
    @builtin(vertex_index) corner: u32,
    @location(0) centre: vec2<f32>,
    @location(1) radius: f32,
    @location(2) shape: u32,
    @location(3) fill: vec4<f32>,
) -> PointOut {
    var out: PointOut;
    // The triangle reaches 1.2 radii from its centre.
    let reach = radius * 1.25 + 1.5;
    let offset = vec2<f32>(select(-reach, reach, (corner & 1u) == 1u), select(-reach, reach, (corner & 2u) == 2u));
    out.position = pixels_to_clip(centre + offset);
    out.offset = offset;
    out.radius = radius;
    out.shape = shape;
    out.fill = fill;
    return out;
}

// Signed distance (pixels, negative inside) from `p` to a shape of radius `r`, with the
// proportions of `scene::points::SymbolShape::polygon`. Polygons use the largest distance to
// their edges' lines: exact inside, a little short outside near corners, enough for the
// anti-aliased edge.
fn shape_distance(p: vec2<f32>, r: f32, shape: u32) -> f32 {
    switch shape {
        case 1u: {
            return max(abs(p.x), abs(p.y)) - 0.85 * r;
        }
        case 2u: {
            // Circumradius 1.2 r, so the inradius is 0.6 r; y is down and the tip up.
            let inradius = 0.6 * r;
            let bottom = p.y - inradius;
            let sides = max(dot(p, vec2<f32>(0.8660254, -0.5)), dot(p, vec2<f32>(-0.8660254, -0.5))) - inradius;
            return max(bottom, sides);
        }
        case 3u: {
            return (abs(p.x) + abs(p.y) - 1.15 * r) * 0.70710678;
        }
        default: {
            return length(p) - r;
        }
    }
}

@fragment
fn fs_point(in: PointOut) -> @location(0) vec4<f32> {
    let hollow = in.shape >= 4u;
    let d = shape_distance(in.offset, in.radius, in.shape % 4u);
    let outer = clamp(0.5 - d, 0.0, 1.0);
    if outer <= 0.0 {
        discard;
    }
    let halo = 1.5 * view.pixels_per_point;
    // Inside the halo: the fill (a filled shape), or a ring of it (hollow).
    var body = clamp(-d - halo + 0.5, 0.0, 1.0);
    if hollow {
        let ring = 2.2 * view.pixels_per_point;
        body = body * clamp(d + halo + ring + 0.5, 0.0, 1.0);
        // Inside the ring, a thin halo again, then nothing.
        let inside = clamp(-d - halo - ring - halo + 0.5, 0.0, 1.0);
        let colour = mix(point.outline, in.fill, body);
        return vec4<f32>(colour.rgb, colour.a * outer * (1.0 - inside));
    }
    let colour = mix(point.outline, in.fill, body);
    return vec4<f32>(colour.rgb, colour.a * outer);
}
