// Legibility measured, not eyeballed: WCAG 2 contrast ratios of text in a page or frame (Playwright locators).
//   const m = await contrasts(frameLocator, ['h1', '.error-text']);  // {sel: {ratio, bgLum} | null}
//   assertLegible(m, 4.5, 'error state');                           // AA for normal-size text
//   await contrasts(page, ['.x'], { pseudo: '::after' });            // text of a pseudo-element (decoration contentText)
//   await contrasts(page, ['.x'], { overlay: '.y' });                // .y's background is painted under .x (a sibling layer)
import assert from 'node:assert/strict';

/**
 * Contrast of the text of each selector's first visible element against the background behind it (the first
 * non-transparent background up the tree), with the WCAG 2 relative-luminance formula.
 */
export async function contrasts(frame, selectors, { pseudo, overlay } = {}) {
  return frame.locator('body').evaluate(
    (_, [sels, pseudo, overlay]) => {
      const parse = (c) => {
        const m = /rgba?\(([^)]+)\)/.exec(c);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1]
          .split(/[ ,/]+/)
          .filter(Boolean)
          .map(Number);
        return { r, g, b, a };
      };
      const lum = ({ r, g, b }) => {
        const f = (v) => {
          v /= 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const over = (fg, bg) => ({
        r: fg.r * fg.a + bg.r * (1 - fg.a),
        g: fg.g * fg.a + bg.g * (1 - fg.a),
        b: fg.b * fg.a + bg.b * (1 - fg.a),
        a: 1,
      });
      // Background actually painted behind el: composite the translucent layers from the root down.
      const background = (el) => {
        const layers = [];
        // Text of a pseudo-element (`pseudo: '::after'`, e.g. an editor decoration's contentText) sits on its own
        // background first.
        const own = pseudo ? parse(getComputedStyle(el, pseudo).backgroundColor) : null;
        if (own && own.a > 0) layers.push(own);
        for (let e = el; e && !(own && own.a === 1); e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c && c.a > 0) layers.push(c);
          if (c && c.a === 1) break;
        }
        let bg = { r: 255, g: 255, b: 255, a: 1 };
        for (const l of layers.reverse()) bg = over(l, bg);
        // A layer painted under the text by a sibling (the editor draws decoration backgrounds in an overlay).
        const under = overlay && [...document.querySelectorAll(overlay)].find((e) => e.getClientRects().length > 0);
        const u = under && parse(getComputedStyle(under).backgroundColor);
        return u && u.a > 0 ? over(u, bg) : bg;
      };
      const out = {};
      for (const sel of sels) {
        const el = [...document.querySelectorAll(sel)].find((e) => e.getClientRects().length > 0);
        if (!el) {
          out[sel] = null;
          continue;
        }
        const bg = background(el);
        const fg = over(parse(getComputedStyle(el, pseudo ?? null).color), bg);
        const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        out[sel] = {
          ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100,
          bgLum: Math.round(lum(bg) * 1000) / 1000,
        };
      }
      return out;
    },
    [selectors, pseudo, overlay],
  );
}

export function assertLegible(measured, min, what) {
  for (const [sel, m] of Object.entries(measured)) {
    assert.ok(m, `${what}: nothing visible for ${sel}`);
    assert.ok(m.ratio >= min, `${what}: ${sel} has contrast ${m.ratio} (< ${min})`);
  }
}
