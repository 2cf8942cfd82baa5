/**
 * The look the dashboard pages share: a header bar, system typography, level colours with at least 4.5:1 contrast
 * for their text (WCAG AA), visible focus rings, and one column on a phone.
 */
export const THEME_CSS = `
:root{color-scheme:light dark;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;--bg:#fff;--fg:#1b1d24;--muted:#596070;--line:#d8dbe2;--card:#f7f8fa;--accent:#2451d6;--cold:#3f6fb5;--warm:#b45309;--hot:#c81e1e}
@media (prefers-color-scheme:dark){:root{--bg:#14161b;--fg:#e8eaf0;--muted:#a3a9b7;--line:#2e323c;--card:#1c1f26;--accent:#8fb0ff;--cold:#7aa2e0;--warm:#f0a04b;--hot:#ff7b7b}}
body{margin:0;background:var(--bg);color:var(--fg)}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.bar{display:flex;align-items:center;gap:1rem;flex-wrap:wrap;padding:.75rem 1.5rem;border-bottom:1px solid var(--line)}
.bar .brand{font-weight:700;letter-spacing:.02em;text-decoration:none;color:var(--fg)}
.bar nav{display:flex;gap:1rem;margin-left:auto;font-size:.9rem}
.wrap{max-width:72rem;margin:0 auto;padding:1.25rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.25rem 0}
h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
.muted{color:var(--muted)}
.level{display:inline-block;border-radius:1rem;padding:.05rem .6rem;color:#fff;font-size:.78rem;font-weight:600;text-transform:uppercase;letter-spacing:.05em}
.level-cold{background:#3a64a8}.level-warm{background:#a84a06}.level-hot{background:#b91c1c}
.topics{display:inline-flex;flex-wrap:wrap;gap:.3rem;list-style:none;padding:0;margin:0}
.topic{display:inline-block;border:1px solid var(--line);border-radius:2rem;padding:0 .55rem;font-size:.8rem;color:var(--fg);text-decoration:none;background:var(--card)}
.score{font-variant-numeric:tabular-nums;font-weight:700}
.notice{border:1px solid var(--line);background:var(--card);border-radius:.5rem;padding:.6rem .9rem;margin:.75rem 0}
.pager{display:flex;gap:1rem;margin:1rem 0}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){.wrap{padding:1rem}.bar{padding:.6rem 1rem}.bar nav{margin-left:0}}
`;

/** The header bar of every dashboard page, with the way out. */
export function renderBar(dashboardPath: string): string {
  return `<header class="bar"><a class="brand" href="${dashboardPath}">Inkling</a><nav aria-label="Main"><a href="${dashboardPath}">Leads</a><a href="${dashboardPath}/accounts">Accounts</a><a href="${dashboardPath}/model">Model</a><a href="${dashboardPath}/logout">Log out</a></nav></header>`;
}
