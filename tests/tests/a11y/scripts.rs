//! The scripts the accessibility test runs in the page (WebDriver `execute`).

pub const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)}))))
  .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));
"#;

/// The focused element's outline and its contrast against the first opaque background behind
/// it (the outline is drawn outside the element, over its parent).
pub const FOCUS_RING: &str = r#"
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const rgba = c => { const m = /rgba?\(([^)]+)\)/.exec(c); if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(x => x).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
let bg = [255, 255, 255, 1];
for (let n = el.parentElement; n; n = n.parentElement) {
  const c = rgba(getComputedStyle(n).backgroundColor); if (c && c[3] > 0) { bg = c; break; } }
const s = getComputedStyle(el);
const oc = rgba(s.outlineColor) || [0, 0, 0, 0];
const a = lum(oc), b = lum(bg);
return {element: el.tagName.toLowerCase() + ' "' + (el.textContent || el.value || el.name || '').trim().slice(0, 30) + '"',
  href: el.getAttribute('href'), style: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,
  color: s.outlineColor, background: 'rgb(' + bg.slice(0, 3).join(', ') + ')',
  ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), main: !!document.getElementById('main')};
"#;

/// The elements that stick out to the right at 320 px (outside a scroll container of their own).
pub const TOO_WIDE: &str = r#"
const out = [];
for (const e of document.querySelectorAll('body *')) {
  const box = e.closest('.table-scroll');
  if (box && box !== e) continue;
  const r = e.getBoundingClientRect();
  if (r.right > 320.5) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' to ' + Math.round(r.right) + ' px');
}
return out.slice(0, 8).join(', ');
"#;
