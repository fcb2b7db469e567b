// What a hover says about a mention, as Markdown. Pure (no vscode import) so unit tests read it.
// The shape, short on purpose: one headline (port, name, what this line does with it), the live
// status and its actions right under it, then at most three short facts and a link to the full
// entry (Show Port Information). Facts a diagnostic at the same place already states are left out.
import type { CommonUse, Runtime } from '../data/commonUses';
import {
  imageRepository,
  imageService,
  numberNamesService,
  useNamedByImage,
  writtenImage,
} from '../data/images';
import { describePort, type DescribeOptions, type PortInfo } from '../data/registry';
import { bindsPort } from '../model/roles';
import type { PortMention } from '../scan';
import { Command } from './commands';
import { commandUri } from './liveMarkdown';
import { isBlank, markdownCode as code, markdownText } from './markdownText';
import { formatPlain, type Translate } from './portsModel';

/** The most facts a hover shows under its live status; the rest is on the port's page. */
export const MAX_HOVER_FACTS = 3;

export interface HoverOptions extends DescribeOptions {
  /** The document's language id (`javascript`, `python`): a code file's program is in that language. */
  language?: string;
  /** Rule ids of Portolan diagnostics at the hovered range: VS Code shows their text in the same hover. */
  shownRules?: ReadonlySet<string>;
}

const RUNTIME_OF_LANGUAGE: Readonly<Record<string, Runtime>> = {
  javascript: 'node',
  javascriptreact: 'node',
  typescript: 'node',
  typescriptreact: 'node',
  python: 'python',
  ruby: 'ruby',
  php: 'php',
  elixir: 'elixir',
  csharp: 'dotnet',
  fsharp: 'dotnet',
  java: 'java',
  kotlin: 'java',
  go: 'go',
};

/** What the line does with the port: Kubernetes keys first, whose roles read differently. */
function kubernetesRoleLine(m: PortMention, t: Translate, other: string | undefined): string | undefined {
  const key = m.syntax?.key;
  if (m.role === 'publish' && key === 'nodePort') {
    return other
      ? t('Node port: every node forwards it to Service port {0}.', other)
      : t('Node port: every node forwards it to the Service.');
  }
  if (m.role === 'publish' && key === 'hostPort') {
    return other
      ? t('Host port: the node forwards it to container port {0}.', other)
      : t('Host port: the node forwards it to the container.');
  }
  if (m.role === 'expose' && key === 'port') {
    return other
      ? t('Service port on the cluster IP; forwards to target port {0} on the pods.', other)
      : t('Service port on the cluster IP; forwards to the same port on the pods.');
  }
  if (m.role === 'target') {
    return other
      ? t('Target port: the Service forwards its port {0} here, to the pods.', other)
      : t('Target port: the Service forwards here, to the pods.');
  }
  if (m.role === 'expose' && key === 'containerPort') {
    return other
      ? t('Container port of the pod, published on node port {0}.', other)
      : t('Container port of the pod; not bound on the node.');
  }
  return undefined;
}

/** What the line does with the port, as whole sentences so translations can reorder them. */
function roleLine(m: PortMention, t: Translate): string {
  const other = m.counterpart ? formatPort(m.counterpart.port, m.counterpart.portEnd) : undefined;
  const host = m.host ? code(m.host) : undefined;
  let sentence = m.kind === 'kubernetes' ? kubernetesRoleLine(m, t, other) : undefined;
  switch (sentence === undefined ? m.role : undefined) {
    case 'listen':
      sentence = host ? t('Listens on this machine on {0}.', host) : t('Listens on this machine.');
      break;
    case 'publish':
      if (other) {
        sentence = host
          ? t('Published on the host on {0} → container port {1}.', host, other)
          : t('Published on the host → container port {0}.', other);
      } else {
        sentence = host ? t('Published on the host on {0}.', host) : t('Published on the host.');
      }
      break;
    case 'target':
      sentence = other
        ? t('Container port, published on host port {0}.', other)
        : t('Container port; the host side gets a random port.');
      break;
    case 'expose':
      sentence = t('Exposed by the container, not published on the host.');
      break;
    case 'connect':
      if (host) {
        sentence = m.scheme
          ? t('Connects to {0} over {1}.', host, code(m.scheme))
          : t('Connects to {0}.', host);
      } else {
        sentence = t('Connects to this port.');
      }
      break;
    case 'setting':
      sentence = m.variable ? t('Configured by {0}.', code(m.variable)) : t('Configured here.');
      break;
  }
  if (m.service) {
    sentence += ' ' + t('Service {0}.', code(m.service));
  }
  if (m.implied === 'address') {
    sentence += ' ' + t('The listen gives no port, so nginx listens on port {0}.', m.port);
  } else if (m.implied === 'server') {
    sentence +=
      ' ' +
      t(
        'This server block has no listen, so nginx serves it on port {0} (8000 when nginx runs without root).',
        m.port,
      );
  }
  if (m.upstream !== undefined) {
    sentence +=
      ' ' +
      t(
        'Through upstream {0}: its server {1}.',
        code(m.upstream),
        code(m.host !== undefined ? `${m.host}:${m.port}` : String(m.port)),
      );
  }
  if (m.portName !== undefined && m.resolvedIn !== undefined) {
    sentence +=
      ' ' +
      (m.resolvedFile !== undefined
        ? t(
            'The named port {0} is containerPort {1} of {2} in {3}.',
            code(m.portName),
            m.port,
            code(m.resolvedIn),
            code(m.resolvedFile),
          )
        : t('The named port {0} is containerPort {1} of {2}.', code(m.portName), m.port, code(m.resolvedIn)));
  }
  return sentence ?? '';
}

/** Where the number comes from when a variable carries it (`.env`, a `${VAR:-default}`). */
function variableFact(m: PortMention, t: Translate): string | undefined {
  if (m.isAlternative && m.variable !== undefined) {
    return m.envFile !== undefined
      ? t(
          '{0} is set in {1} line {2}, so Compose uses the alternative written here.',
          code(m.variable),
          code(m.envFile),
          m.envLine ?? '?',
        )
      : t(
          '{0} is set in the environment Compose runs in, so Compose uses the alternative written here.',
          code(m.variable),
        );
  }
  if (m.envFile !== undefined && m.variable !== undefined) {
    return m.envLine !== undefined
      ? t(
          '{0} is {1} in {2} line {3}, as Compose reads it.',
          code(m.variable),
          formatPort(m.port, m.portEnd),
          code(m.envFile),
          m.envLine,
        )
      : t(
          '{0} is {1} in {2}, as Compose reads it.',
          code(m.variable),
          formatPort(m.port, m.portEnd),
          code(m.envFile),
        );
  }
  if (m.envProcess && m.variable !== undefined) {
    return t(
      '{0} is {1} in the environment Compose runs in (it wins over {2}).',
      code(m.variable),
      formatPort(m.port, m.portEnd),
      code('.env'),
    );
  }
  if (m.isDefault) {
    return m.variable
      ? t('This is the default when {0} is unset.', code(m.variable))
      : t('This is a default value.');
  }
  return undefined;
}

function formatPort(port: number, portEnd?: number): string {
  return portEnd !== undefined && portEnd !== port ? `${port}–${portEnd}` : String(port);
}

/** A team name that shows something; a blank one is no name. */
function teamOf(info: PortInfo): string | undefined {
  return info.team !== undefined && !isBlank(info.team) ? info.team : undefined;
}

/**
 * The common use that names the port here. In a code file the program is written in the file's
 * language: a use of another language (Django on an Express `listen`) or a command people run
 * (`manage.py runserver`) is not what the line is; a development server then stays unnamed.
 */
function commonName(
  info: PortInfo,
  m: PortMention,
  language: string | undefined,
  t: Translate,
): string | undefined {
  const uses: readonly CommonUse[] = info.common;
  if (m.kind !== 'code' || m.role === 'connect') {
    return uses[0]?.label;
  }
  if (uses.length === 0) {
    return undefined;
  }
  const runtime = language !== undefined ? RUNTIME_OF_LANGUAGE[language] : undefined;
  const own = uses.find((u) => u.runtime !== undefined && u.runtime === runtime && u.launcher !== true);
  if (own) {
    return own.label;
  }
  if (info.category === 'dev' || info.category === 'web') {
    return t('Web server');
  }
  return uses.find((u) => u.runtime === undefined)?.label;
}

/** The title name: the team's name first, then what developers call it, then IANA's. */
function bestName(
  info: PortInfo,
  m: PortMention,
  language: string | undefined,
  t: Translate,
): string | undefined {
  return teamOf(info) ?? commonName(info, m, language, t) ?? info.iana[0]?.name;
}

/** A registry note as a sentence: capital first letter, final stop. */
function sentence(note: string): string {
  const text = note.charAt(0).toUpperCase() + note.slice(1);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** The line serves the port (binds it, declares it, configures it) rather than connecting to it. */
function serves(m: PortMention): boolean {
  return m.role !== 'connect';
}

/** The line binds the port on a machine (not a Kubernetes Service or a container's own port). */
function bindsHere(m: PortMention): boolean {
  if (m.kind === 'kubernetes') {
    return m.role === 'listen' || (m.role === 'publish' && m.syntax?.key === 'hostPort');
  }
  return bindsPort(m.role) || (m.role === 'setting' && m.kind !== 'dockerfile');
}

/**
 * Markdown for one mention. `live` is an already-rendered paragraph about this machine
 * (free or in use, by whom, with actions), added by the live-ports layer when it knows.
 */
export function hoverMarkdown(
  m: PortMention,
  options: HoverOptions,
  live?: string,
  t: Translate = formatPlain,
): string {
  const protocol = m.protocol ?? 'tcp';
  const shown = options.shownRules ?? new Set<string>();
  // Without a written protocol, every transport's IANA entry is worth knowing (5353 is mDNS over UDP).
  const info = describePort(m.port, m.protocol, { ...options, t });
  // The image names the program better than the number: `portainer/portainer-ce` on 9000 is Portainer.
  const served = m.role === 'publish' ? (m.counterpart?.port ?? m.port) : m.port;
  const fromImage = imageService(m.image, served);
  // A written image that is not the number's usual program (`myorg/app` on 9000) keeps the number from naming it.
  // Without an image, a Compose service built from the project's source is the project's program.
  const byNumber = numberNamesService(m.image, m.port, m.kind === 'compose' ? m : undefined);
  const image = writtenImage(m.image);
  const name =
    fromImage?.label ??
    useNamedByImage(image, m.port) ??
    (byNumber ? bestName(info, m, options.language, t) : undefined);
  const title = `**${formatPort(m.port, m.portEnd)}/${protocol}**${name ? ` · ${markdownText(name)}` : ''}`;

  if (info.rangeClass === 'invalid') {
    return [
      `${title} — ${roleLine(m, t)}`,
      t(
        '**Not a valid port.** Ports are whole numbers from 1 to 65535 (0 asks the system for any free one).',
      ),
    ].join('\n\n');
  }

  const facts: string[] = [];
  const security = info.security[0];
  // The notes are about the number's usual program; an image or build that says otherwise is another one.
  if (
    security !== undefined &&
    byNumber &&
    serves(m) &&
    !shown.has('exposed-database') &&
    !shown.has('exposed-service')
  ) {
    facts.push(`$(warning) ${sentence(security)}`);
  }
  if (fromImage && image) {
    facts.push(t('Named from the image {0}.', code(imageRepository(image))));
  } else if (!byNumber && image) {
    facts.push(
      t('Served by the image {0}, not by what this number usually is.', code(imageRepository(image))),
    );
  } else if (!byNumber && m.build !== undefined) {
    facts.push(t('Built from {0}, not what this number usually is.', code(m.build)));
  } else if (!byNumber && m.service !== undefined) {
    facts.push(t('Served by service {0}, not by what this number usually is.', code(m.service)));
  }
  const variable = variableFact(m, t);
  if (variable) {
    facts.push(variable);
  }
  if (info.privilegeNote && bindsHere(m) && !shown.has('privileged-port')) {
    facts.push(sentence(info.privilegeNote));
  }
  if (info.ephemeralNote && bindsHere(m) && !shown.has('ephemeral-port')) {
    facts.push(sentence(info.ephemeralNote));
  }
  const team = teamOf(info);
  if (team) {
    facts.push(t('Team port: **{0}** (from `portolan.customPorts`).', markdownText(team)));
  }
  const rangeNote =
    info.knownRanges.length > 0
      ? info.rangeNotes[info.rangeNotes.length - info.knownRanges.length]
      : undefined;
  if (rangeNote !== undefined) {
    facts.push(sentence(rangeNote));
  }
  if (facts.length === 0 && !name) {
    facts.push(sentence(info.rangeNote));
  }
  const more = `[${t('More about port {0}…', m.port)}](${commandUri(Command.ShowPortInfo, { port: m.port })})`;

  const parts = [`${title} — ${roleLine(m, t)}`];
  if (live && live.trim() !== '') {
    parts.push(live.trimEnd());
  }
  parts.push([...facts.slice(0, MAX_HOVER_FACTS), more].join('  \n'));
  return parts.join('\n\n');
}
