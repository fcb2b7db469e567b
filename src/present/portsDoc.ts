// PORTS.md: the workspace's declared ports as a Markdown table between two markers, so a README
// or a hand-written PORTS.md keeps its own text around it. One model for the command
// (`Portolan: Document Workspace Ports`) and the CLI (`portolan doc`), in English in both so the file
// an editor writes and `portolan doc --check` in CI agree. Pure, no vscode import.
import { serviceName, type DescribeOptions } from '../data/registry';
import { isValidPort } from '../model/port';
import type { PortMention } from '../scan';
import { markdownCode } from './markdownText';

export const PORTS_DOC_FILE = 'PORTS.md';
export const PORTS_DOC_BEGIN = '<!-- portolan:ports:begin -->';
export const PORTS_DOC_END = '<!-- portolan:ports:end -->';

/** One scanned file: its path as the document shows it (relative, `/`-separated) and a line lookup. */
export interface DocFile {
  path: string;
  mentions: readonly PortMention[];
  /** 1-based line of a character offset. */
  lineOf(offset: number): number;
}

export interface DocRow {
  port: number;
  portEnd?: number;
  protocol: string;
  name?: string;
  what: string;
  file: string;
  line: number;
}

/** What a PORTS.md lists: what the project binds, publishes, exposes or configures, not what it connects to. */
function declares(m: PortMention): boolean {
  return (
    (m.role === 'listen' || m.role === 'publish' || m.role === 'expose' || m.role === 'setting') &&
    isValidPort(m.port)
  );
}

function what(m: PortMention): string {
  const parts: string[] = [];
  switch (m.role) {
    case 'listen':
      parts.push(m.host ? `listens on ${markdownCode(m.host)}` : 'listens');
      break;
    case 'publish':
      parts.push(
        m.counterpart
          ? `published on the host → container port ${m.counterpart.port}`
          : 'published on the host',
      );
      break;
    case 'expose':
      // A Kubernetes Service's `port:` is the cluster IP's, not a container's.
      parts.push(
        m.kind === 'kubernetes' && m.syntax?.key === 'port'
          ? m.counterpart
            ? `Service port → target port ${m.counterpart.port}`
            : 'Service port'
          : 'exposed by the container',
      );
      break;
    default:
      parts.push(m.variable ? `configured by ${markdownCode(m.variable)}` : 'configured');
  }
  if (m.service) {
    parts.push(`service ${markdownCode(m.service)}`);
  }
  return parts.join(' · ');
}

/** The rows, sorted by port, then file and line; one row per place. */
export function portsDocRows(files: readonly DocFile[], options: DescribeOptions = {}): DocRow[] {
  const rows: DocRow[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    for (const m of file.mentions) {
      if (!declares(m)) {
        continue;
      }
      const line = file.lineOf(m.range.start);
      const key = `${m.port}/${m.protocol ?? 'tcp'}@${file.path}:${line}:${m.role}`;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      const row: DocRow = {
        port: m.port,
        protocol: m.protocol ?? 'tcp',
        what: what(m),
        file: file.path,
        line,
      };
      if (m.portEnd !== undefined && m.portEnd !== m.port) {
        row.portEnd = m.portEnd;
      }
      const name = serviceName(m.port, m.protocol, options);
      if (name) {
        row.name = name;
      }
      rows.push(row);
    }
  }
  return rows.sort(
    (a, b) => a.port - b.port || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line,
  );
}

/** A table cell: one line, and `|` cannot end the cell (GFM splits on it even inside code spans). */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
}

/** Link target of a relative path: spaces and parentheses would end a Markdown link. */
function linkTarget(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

export function portsDocTable(rows: readonly DocRow[]): string {
  if (rows.length === 0) {
    return 'No ports are declared in this workspace.\n';
  }
  const header = '| Port | Service | What | Where |\n|---:|---|---|---|\n';
  return (
    header +
    rows
      .map((r) => {
        const port = `${r.port}${r.portEnd !== undefined ? `–${r.portEnd}` : ''}/${r.protocol}`;
        const where = `[${markdownCode(`${r.file}:${r.line}`)}](${linkTarget(r.file)}#L${r.line})`;
        return `| ${port} | ${cell(r.name ?? '')} | ${cell(r.what)} | ${cell(where)} |`;
      })
      .join('\n') +
    '\n'
  );
}

/**
 * The document with the table between the markers: replaced when they are there, appended as a
 * section when the file has none, a whole new file when there is none.
 */
export function updatePortsDoc(existing: string | undefined, table: string): string {
  const block = `${PORTS_DOC_BEGIN}\n${table}${PORTS_DOC_END}`;
  if (existing === undefined || existing.trim() === '') {
    return `# Ports\n\nThe ports this workspace declares, written by Portolan (\`portolan doc\` or Portolan: Document Workspace Ports). Edit outside the markers; the table between them is rewritten.\n\n${block}\n`;
  }
  const begin = existing.indexOf(PORTS_DOC_BEGIN);
  const end = begin >= 0 ? existing.indexOf(PORTS_DOC_END, begin) : -1;
  if (begin >= 0 && end >= 0) {
    return existing.slice(0, begin) + block + existing.slice(end + PORTS_DOC_END.length);
  }
  return `${existing.trimEnd()}\n\n## Ports\n\n${block}\n`;
}
