// What a hover says about a mention, as Markdown. Pure (no vscode import) so unit tests read it.
import {
  imageRepository,
  imageService,
  numberNamesService,
  useNamedByImage,
  writtenImage,
} from '../data/images';
import { describePort, type DescribeOptions, type PortInfo } from '../data/registry';
import type { PortMention } from '../scan';
import { isBlank, markdownCode as code, markdownText } from './markdownText';
import { formatPlain, type Translate } from './portsModel';

/** What the line does with the port, as whole sentences so translations can reorder them. */
function roleLine(m: PortMention, t: Translate): string {
  const other = m.counterpart ? formatPort(m.counterpart.port, m.counterpart.portEnd) : undefined;
  const host = m.host ? code(m.host) : undefined;
  let sentence: string;
  switch (m.role) {
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
  if (m.portName !== undefined && m.resolvedIn !== undefined) {
    sentence +=
      ' ' +
      t('The named port {0} is containerPort {1} of {2}.', code(m.portName), m.port, code(m.resolvedIn));
  }
  if (m.isAlternative && m.variable !== undefined) {
    sentence +=
      ' ' +
      (m.envFile !== undefined
        ? t(
            '{0} is set in {1} line {2}, so Compose uses the alternative written here.',
            code(m.variable),
            code(m.envFile),
            m.envLine ?? '?',
          )
        : t(
            '{0} is set in the environment Compose runs in, so Compose uses the alternative written here.',
            code(m.variable),
          ));
  } else {
    if (m.envFile !== undefined && m.variable !== undefined) {
      sentence +=
        ' ' +
        (m.envLine !== undefined
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
            ));
    }
    if (m.envProcess && m.variable !== undefined) {
      sentence +=
        ' ' +
        t(
          '{0} is {1} in the environment Compose runs in (it wins over {2}).',
          code(m.variable),
          formatPort(m.port, m.portEnd),
          code('.env'),
        );
    }
  }
  if (m.isDefault) {
    sentence +=
      ' ' +
      (m.variable
        ? t('This is the default when {0} is unset.', code(m.variable))
        : t('This is a default value.'));
  }
  return sentence;
}

function formatPort(port: number, portEnd?: number): string {
  return portEnd !== undefined && portEnd !== port ? `${port}–${portEnd}` : String(port);
}

/** The title name: the team's name first, then what developers call it, then IANA's. */
function bestName(info: PortInfo): string | undefined {
  return teamOf(info) ?? info.common[0]?.label ?? info.iana[0]?.name;
}

/** A team name that shows something; a blank one is no name. */
function teamOf(info: PortInfo): string | undefined {
  return info.team !== undefined && !isBlank(info.team) ? info.team : undefined;
}

/**
 * Markdown for one mention. `live` is an already-rendered paragraph about this machine
 * (free or in use, by whom), added by the live-ports layer when it knows.
 */
export function hoverMarkdown(
  m: PortMention,
  options: DescribeOptions,
  live?: string,
  t: Translate = formatPlain,
): string {
  const protocol = m.protocol ?? 'tcp';
  // Without a written protocol, every transport's IANA entry is worth showing (5353 is mDNS over UDP).
  const info = describePort(m.port, m.protocol, { ...options, t });
  // The image names the program better than the number: `portainer/portainer-ce` on 9000 is Portainer.
  const served = m.role === 'publish' ? (m.counterpart?.port ?? m.port) : m.port;
  const fromImage = imageService(m.image, served);
  // A written image that is not the number's usual program (`myorg/app` on 9000) keeps the number from naming it.
  // Without an image, a Compose service built from the project's source is the project's program.
  const byNumber = numberNamesService(m.image, m.port, m.kind === 'compose' ? m : undefined);
  const image = writtenImage(m.image);
  const name = fromImage?.label ?? useNamedByImage(image, m.port) ?? (byNumber ? bestName(info) : undefined);
  const parts: string[] = [];
  parts.push(`**${formatPort(m.port, m.portEnd)}/${protocol}**${name ? ` · ${markdownText(name)}` : ''}`);
  if (fromImage && image) {
    parts.push(t('Named from the image {0}.', code(imageRepository(image))));
  } else if (!byNumber && image) {
    parts.push(
      t('Served by the image {0}, not by what this number usually is.', code(imageRepository(image))),
    );
  } else if (!byNumber && m.build !== undefined) {
    parts.push(t('Built from {0}, not what this number usually is.', code(m.build)));
  } else if (!byNumber && m.service !== undefined) {
    parts.push(t('Served by service {0}, not by what this number usually is.', code(m.service)));
  }

  if (info.rangeClass === 'invalid') {
    parts.push(
      t(
        '**Not a valid port.** Ports are whole numbers from 1 to 65535 (0 asks the system for any free one).',
      ),
    );
    parts.push(roleLine(m, t));
    return parts.join('\n\n');
  }

  const team = teamOf(info);
  if (team) {
    parts.push(t('Team port: **{0}** (from `portolan.customPorts`).', markdownText(team)));
  }
  const ianaLines = info.iana.map(
    (e) =>
      `IANA ${e.protocols.map((p) => p.toUpperCase()).join('/')}: ${code(e.name)}` +
      (e.description ? ` — ${markdownText(e.description)}` : ''),
  );
  if (ianaLines.length > 0) {
    parts.push(ianaLines.join('  \n'));
  } else {
    parts.push(t('No IANA assignment.'));
  }
  if (info.common.length > 0) {
    parts.push(
      t(
        'Commonly: {0}',
        info.common
          .map((c) =>
            c.detail ? `${markdownText(c.label)} (${markdownText(c.detail)})` : markdownText(c.label),
          )
          .join(', '),
      ),
    );
  }
  parts.push(roleLine(m, t));
  parts.push(info.rangeNotes.join('  \n'));
  // The notes are about the number's usual program; an image or build that says otherwise is another one.
  for (const note of byNumber ? info.security : []) {
    parts.push(`$(warning) ${note}`);
  }
  if (live) {
    parts.push(live);
  }
  if (info.ianaUrl) {
    parts.push(t('[IANA registry entry]({0})', info.ianaUrl));
  }
  return parts.join('\n\n');
}
