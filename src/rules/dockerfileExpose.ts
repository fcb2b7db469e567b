// How a Dockerfile `EXPOSE` is written, as BuildKit's build checks judge it:
// `dockerfile-expose-mapping` (ExposeInvalidFormat: `EXPOSE 127.0.0.1:8080:80` — Docker ignores the
// address and host port, so nothing is published the way the line reads) and
// `dockerfile-expose-protocol-case` (ExposeProtoCasing: `EXPOSE 80/TCP`; Docker lowercases it, so it
// works and is reported as a fact).
import { roleFromPath } from '../context/fileRole';
import { isValidPort } from '../model/port';
import { formatPlain } from '../model/translate';
import type { PortMention } from '../scan/mention';
import { folderOf, forEachSpannedPort, formatSpan, isSuppressed, writtenMentions } from './claims';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

export const dockerfileExposeMappingRule: Rule = {
  id: 'dockerfile-expose-mapping',
  defaultSeverity: 'warning',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of writtenMentions(file.mentions, 'dockerfile', 'dockerfile-expose-mapping')) {
      const mapping = mention.syntax?.mapping;
      if (!mapping) {
        continue;
      }
      findings.push({
        rule: 'dockerfile-expose-mapping',
        message: t(
          'EXPOSE takes only a container port: Docker ignores "{0}" (BuildKit warns that this will become an error), so nothing is published on that address or host port. Write EXPOSE {1}, and publish with "docker run -p" or Compose ports:.',
          mapping.value,
          formatSpan(mention),
        ),
        file: file.file,
        range: mapping.range,
        related: [],
        mention,
      });
    }
    return findings;
  },
};

export const dockerfileExposeProtocolCaseRule: Rule = {
  id: 'dockerfile-expose-protocol-case',
  defaultSeverity: 'information',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of writtenMentions(file.mentions, 'dockerfile', 'dockerfile-expose-protocol-case')) {
      const protocol = mention.syntax?.protocol;
      if (!protocol || protocol.value === protocol.value.toLowerCase()) {
        continue;
      }
      findings.push({
        rule: 'dockerfile-expose-protocol-case',
        message: t(
          'Write the protocol in lower case: "{0}". Docker lowercases "{1}" itself, and BuildKit flags it (ExposeProtoCasing).',
          protocol.value.toLowerCase(),
          protocol.value,
        ),
        file: file.file,
        range: protocol.range,
        related: [],
        mention,
      });
    }
    return findings;
  },
};

/** How deep below the Dockerfile the build context's code is read. */
const CONTEXT_DEPTH = 4;

/**
 * `dockerfile-expose-unlistened`: the image exposes a port the program in its build context never
 * listens on. Only said where it can be known: the context's own code (tests, docs and examples
 * aside) listens on literal ports, none of them read from configuration, the context holds no nginx
 * config (the image then runs nginx, whose listens are often templated), and nothing else in the
 * context (a command line, ENV, a setting, a Compose mapping) names the exposed port.
 */
export const dockerfileExposeUnlistenedRule: Rule = {
  id: 'dockerfile-expose-unlistened',
  defaultSeverity: 'information',
  check({ file, workspace, t = formatPlain }: RuleContext): Draft[] {
    if (file.kind !== 'dockerfile') {
      return [];
    }
    const exposed = file.mentions.filter(
      (m) =>
        m.kind === 'dockerfile' &&
        m.role === 'expose' &&
        m.portEnd === undefined &&
        m.variable === undefined &&
        isValidPort(m.port) &&
        !isSuppressed(m, 'dockerfile-expose-unlistened'),
    );
    if (exposed.length === 0) {
      return [];
    }
    const folder = folderOf(file.file);
    const listens: Array<{ file: string; mention: PortMention }> = [];
    const named = new Set<number>();
    for (const other of workspace.filesBelow(folder, CONTEXT_DEPTH)) {
      if (roleFromPath(other.file.slice(folder.length)) !== 'source') {
        continue;
      }
      if (other.kind === 'nginx') {
        return []; // the image runs a web server whose ports its config sets (often templated)
      }
      for (const m of other.mentions) {
        if (other.file === file.file && m.role === 'expose') {
          continue;
        }
        if (other.kind === 'code' && m.role === 'listen') {
          if (m.isDefault === true || m.variable !== undefined) {
            return []; // the port comes from configuration: what the program binds is not written here
          }
          listens.push({ file: other.file, mention: m });
        }
        if (m.role !== 'connect') {
          forEachSpannedPort(m, (p) => named.add(p));
        }
      }
    }
    if (listens.length === 0) {
      return [];
    }
    const findings: Draft[] = [];
    for (const mention of exposed) {
      if (named.has(mention.port)) {
        continue;
      }
      const ports = [...new Set(listens.map((l) => l.mention.port))].sort((a, b) => a - b);
      findings.push({
        rule: 'dockerfile-expose-unlistened',
        message: t(
          'EXPOSE {0}, but the code in this build context listens only on {1}. Expose the port the program listens on, or drop this one.',
          mention.port,
          ports.join(', '),
        ),
        file: file.file,
        range: mention.range,
        related: listens.slice(0, 3).map((l) => ({
          file: l.file,
          range: l.mention.range,
          message: t('listens on {0} here', l.mention.port),
        })),
        mention,
      });
    }
    return findings;
  },
};
