// What a hover says about a mention, as Markdown. Pure (no vscode import) so unit tests read it.
import { describePort, type DescribeOptions, type PortInfo } from '../data/registry';
import type { PortMention } from '../scan';

function roleLine(m: PortMention): string {
  const where = m.host ? ` on ${code(m.host)}` : '';
  const other = m.counterpart ? formatPort(m.counterpart.port, m.counterpart.portEnd) : undefined;
  const service = m.service ? ` (service ${code(m.service)})` : '';
  switch (m.role) {
    case 'listen':
      return `Listens on this machine${where}${service}.`;
    case 'publish':
      return other
        ? `Published on the host${where} → container port ${other}${service}.`
        : `Published on the host${where}${service}.`;
    case 'target':
      return other
        ? `Container port, published on host port ${other}${service}.`
        : `Container port; the host side gets a random port${service}.`;
    case 'expose':
      return `Exposed by the container, not published on the host${service}.`;
    case 'connect':
      return `Connects to ${m.host ? code(m.host) : 'this port'}${m.scheme ? ` over ${code(m.scheme)}` : ''}${service}.`;
    case 'setting':
      return `Configured${m.variable ? ` by ${code(m.variable)}` : ''}${service}.`;
  }
}

function formatPort(port: number, portEnd?: number): string {
  return portEnd !== undefined && portEnd !== port ? `${port}–${portEnd}` : String(port);
}

/** A code span that survives backticks in the text (Markdown escapes do not work inside code). */
function code(s: string): string {
  const clean = s.replace(/[\r\n]+/g, ' ');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}

/** The title name: the team's name first, then what developers call it, then IANA's. */
function bestName(info: PortInfo): string | undefined {
  return info.team ?? info.common[0]?.label ?? info.iana[0]?.name;
}

/**
 * Markdown for one mention. `live` is an already-rendered paragraph about this machine
 * (free or in use, by whom), added by the live-ports layer when it knows.
 */
export function hoverMarkdown(m: PortMention, options: DescribeOptions, live?: string): string {
  const protocol = m.protocol ?? 'tcp';
  // Without a written protocol, every transport's IANA entry is worth showing (5353 is mDNS over UDP).
  const info = describePort(m.port, m.protocol, options);
  const name = bestName(info);
  const parts: string[] = [];
  parts.push(`**${formatPort(m.port, m.portEnd)}/${protocol}**${name ? ` · ${escapeMd(name)}` : ''}`);

  if (info.rangeClass === 'invalid') {
    parts.push(`**Not a valid port.** Ports are whole numbers from 1 to 65535 (0 asks the system for any free one).`);
    parts.push(roleLine(m));
    return parts.join('\n\n');
  }

  if (info.team) {
    parts.push(`Team port: **${escapeMd(info.team)}** (from \`portolan.customPorts\`).`);
  }
  const ianaLines = info.iana.map(
    (e) =>
      `IANA ${e.protocols.map((p) => p.toUpperCase()).join('/')}: ${code(e.name)}` +
      (e.description ? ` — ${escapeMd(e.description)}` : ''),
  );
  if (ianaLines.length > 0) {
    parts.push(ianaLines.join('  \n'));
  } else if (info.system) {
    parts.push(`No IANA assignment; this machine's \`/etc/services\` calls it ${code(info.system.name)}.`);
  } else {
    parts.push('No IANA assignment.');
  }
  if (info.common.length > 0) {
    parts.push(
      'Commonly: ' +
        info.common.map((c) => (c.detail ? `${escapeMd(c.label)} (${escapeMd(c.detail)})` : escapeMd(c.label))).join(', '),
    );
  }
  parts.push(
    roleLine(m) + (m.isDefault ? ` This is the default when ${m.variable ? code(m.variable) : 'the variable'} is unset.` : ''),
  );
  parts.push(info.rangeNotes.join('  \n'));
  for (const note of info.security) {
    parts.push(`$(warning) ${note}`);
  }
  if (live) {
    parts.push(live);
  }
  if (info.ianaUrl) {
    parts.push(`[IANA registry entry](${info.ianaUrl})`);
  }
  return parts.join('\n\n');
}
