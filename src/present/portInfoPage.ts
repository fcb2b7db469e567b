// The Show Port Information page as HTML: the registry's full entry, this machine's live status and
// the actions that apply. Pure (no vscode import): the panel in providers/portInfo.ts supplies the translated
// strings' `t`, the live facts and the command links, and tests read the HTML as it is.
import type { PortInfo } from '../data/registry';
import { formatPlain, type Translate } from '../model/translate';

export type LiveFacts =
  | { kind: 'off'; reason: string }
  | { kind: 'unknown' }
  | { kind: 'free' }
  | { kind: 'busy'; holders: Array<{ owner: string; address: string; protocol: string }> };

export interface PageAction {
  label: string;
  /** A `command:` URI the webview allows, or an https link. */
  href: string;
}

export interface PortInfoPageModel {
  info: PortInfo;
  /** The best short name (team, common use, IANA), shown in the heading. */
  name?: string;
  live: LiveFacts;
  actions: readonly PageAction[];
  /** Whether `portolan.watchPorts` lists the port. */
  watched: boolean;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML text or attribute value: nothing in it can become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function list(items: readonly string[]): string {
  return `<ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul>`;
}

function liveSection(live: LiveFacts, t: Translate): string {
  switch (live.kind) {
    case 'off':
      return `<p>${escapeHtml(live.reason)}</p>`;
    case 'unknown':
      return `<p>${escapeHtml(t('Reading this machine’s sockets…'))}</p>`;
    case 'free':
      return `<p class="state free">${escapeHtml(t('Free on this machine: nothing listens on it.'))}</p>`;
    case 'busy':
      return (
        `<p class="state busy">${escapeHtml(t('In use on this machine:'))}</p>` +
        list(
          live.holders.map(
            (h) =>
              `${escapeHtml(h.owner)} <span class="muted">${escapeHtml(`${h.address} · ${h.protocol}`)}</span>`,
          ),
        )
      );
  }
}

/** The whole page. Its Content-Security-Policy allows no script and only the one style with `nonce`. */
export function portInfoHtml(
  model: PortInfoPageModel,
  options: { nonce: string; t?: Translate; language?: string },
): string {
  const t = options.t ?? formatPlain;
  const { info } = model;
  const protocol = info.protocol ?? 'tcp';
  const heading = model.name ? `${info.port}/${protocol} · ${model.name}` : `${info.port}/${protocol}`;
  const sections: string[] = [];
  sections.push(`<h1>${escapeHtml(heading)}</h1>`);
  sections.push(`<h2>${escapeHtml(t('On this machine'))}</h2>`, liveSection(model.live, t));
  if (model.watched) {
    sections.push(
      `<p class="muted">${escapeHtml(t('Watched: the Ports view lists it even when it is free.'))}</p>`,
    );
  }
  if (model.actions.length > 0) {
    sections.push(
      `<p class="actions">${model.actions
        .map((a) => `<a href="${escapeHtml(a.href)}">${escapeHtml(a.label)}</a>`)
        .join(' ')}</p>`,
    );
  }
  const uses: string[] = [];
  if (info.team) {
    uses.push(
      `<strong>${escapeHtml(info.team)}</strong> <span class="muted">${escapeHtml(t('(your team’s name, from portolan.customPorts)'))}</span>`,
    );
  }
  for (const use of info.common) {
    uses.push(escapeHtml(use.detail ? `${use.label} — ${use.detail}` : use.label));
  }
  if (uses.length > 0) {
    sections.push(`<h2>${escapeHtml(t('Commonly used by'))}</h2>`, list(uses));
  }
  sections.push(`<h2>${escapeHtml(t('IANA registry'))}</h2>`);
  if (info.iana.length > 0) {
    sections.push(
      `<table><thead><tr><th>${escapeHtml(t('Service'))}</th><th>${escapeHtml(t('Transport'))}</th><th>${escapeHtml(t('Description'))}</th></tr></thead><tbody>` +
        info.iana
          .map(
            (e) =>
              `<tr><td>${escapeHtml(e.name)}</td><td>${escapeHtml(e.protocols.join(', '))}</td><td>${escapeHtml(e.description)}</td></tr>`,
          )
          .join('') +
        '</tbody></table>',
    );
  } else {
    sections.push(`<p>${escapeHtml(t('IANA lists no service on this port.'))}</p>`);
  }
  if (info.ianaUrl) {
    sections.push(`<p><a href="${escapeHtml(info.ianaUrl)}">${escapeHtml(t('Open IANA’s entry'))}</a></p>`);
  }
  sections.push(`<h2>${escapeHtml(t('Port range'))}</h2>`, list(info.rangeNotes.map(escapeHtml)));
  if (info.knownRanges.length > 0) {
    sections.push(list(info.knownRanges.map((r) => escapeHtml(`${r.from}–${r.to}: ${r.label}`))));
  }
  if (info.security.length > 0) {
    sections.push(`<h2>${escapeHtml(t('Security'))}</h2>`, list(info.security.map(escapeHtml)));
  }
  const nonce = escapeHtml(options.nonce);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(options.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(heading)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); max-width: 52em; padding: 0 1.5em 2em; line-height: 1.5; }
h1 { font-size: 1.6em; font-weight: 600; }
h2 { font-size: 1.15em; font-weight: 600; margin-top: 1.6em; border-bottom: 1px solid var(--vscode-widget-border, transparent); }
a { color: var(--vscode-textLink-foreground); }
.actions a { display: inline-block; margin: 0 0.6em 0.4em 0; padding: 0.2em 0.8em; border-radius: 2px; text-decoration: none; background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
.actions a:hover, .actions a:focus { background: var(--vscode-button-secondaryHoverBackground); }
.muted { color: var(--vscode-descriptionForeground); }
.state.busy { color: var(--vscode-charts-orange); }
.state.free { color: var(--vscode-testing-iconPassed); }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 0.2em 1em 0.2em 0; vertical-align: top; }
</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}
