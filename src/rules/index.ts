// The rule set and the one way to run it, shared by diagnostics, code actions and `portolan check`.
import { inFile, logFailure } from '../model/log';
import {
  composeBase60PortRule,
  composeHostNetworkPortsRule,
  composeProtocolCaseRule,
  composeRandomHostPortRule,
} from './composeSyntax';
import {
  dockerfileExposeMappingRule,
  dockerfileExposeProtocolCaseRule,
  dockerfileExposeUnlistenedRule,
} from './dockerfileExpose';
import { composePortEnvMismatchRule, composeServicePortUnservedRule } from './composeDrift';
import { dockerfileExposeSshRule } from './dockerfileSsh';
import { k8sProbePortUnexposedRule, k8sTargetPortUnmatchedRule } from './kubernetesLinks';
import { ephemeralPortRule } from './ephemeralPort';
import { exposedDatabaseRule, exposedServiceRule } from './exposedDatabase';
import { insecureProtocolRule } from './insecureProtocol';
import { invalidPortRule } from './invalidPort';
import { k8sHostPortRule, k8sNodePortRangeRule, k8sPortNameRule } from './kubernetesPorts';
import { nginxImplicitDefaultServerRule } from './nginxDefaultServer';
import { nginxProxyPassUnservedRule } from './nginxProxyPass';
import { portConflictRule } from './portConflict';
import { privilegedPortRule } from './privilegedPort';
import type { Finding, Rule, RuleContext, RuleId, Severity } from './types';

export type * from './types';

/** Rules over files alone. Live rules (port-in-use, ...) are added by whoever owns live data. */
export const STATIC_RULES: readonly Rule[] = [
  invalidPortRule,
  privilegedPortRule,
  portConflictRule,
  exposedDatabaseRule,
  exposedServiceRule,
  ephemeralPortRule,
  insecureProtocolRule,
  k8sPortNameRule,
  k8sNodePortRangeRule,
  k8sHostPortRule,
  composeBase60PortRule,
  composeHostNetworkPortsRule,
  composeProtocolCaseRule,
  composeRandomHostPortRule,
  dockerfileExposeSshRule,
  dockerfileExposeMappingRule,
  dockerfileExposeProtocolCaseRule,
  dockerfileExposeUnlistenedRule,
  k8sTargetPortUnmatchedRule,
  k8sProbePortUnexposedRule,
  composeServicePortUnservedRule,
  composePortEnvMismatchRule,
  nginxImplicitDefaultServerRule,
  nginxProxyPassUnservedRule,
];

export type SeveritySetting = Severity | 'off';

export interface RunOptions {
  /** Per-rule overrides from `portolan.diagnostics.rules`; `off` drops the rule. */
  severities?: Readonly<Record<string, SeveritySetting | undefined>>;
  /** Extra rules (live ones). */
  extraRules?: readonly Rule[];
}

const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function severityFor(rule: Rule, severities: RunOptions['severities']): SeveritySetting {
  const configured = severities?.[rule.id];
  return configured !== undefined && SEVERITIES.has(configured) ? configured : rule.defaultSeverity;
}

/** Runs every enabled rule over one file. A failing rule costs its own findings, never the others'. */
export function runRules(context: RuleContext, options: RunOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const fileContext = context.context;
  if (fileContext) {
    if (!fileContext.checked) {
      return findings;
    }
    // A doc comment's `listen(80)` is documentation: judged only when docs are.
    if (context.file.kind === 'code' && !fileContext.settings.checkDocs) {
      const mentions = context.file.mentions.filter((m) => !fileContext.inComment(m));
      if (mentions.length !== context.file.mentions.length) {
        context = { ...context, file: { ...context.file, mentions } };
      }
    }
  }
  for (const rule of [...STATIC_RULES, ...(options.extraRules ?? [])]) {
    const severity = severityFor(rule, options.severities);
    if (severity === 'off' || (rule.needsLive && !context.live)) {
      continue;
    }
    let drafts: Omit<Finding, 'severity'>[];
    try {
      drafts = inFile(context.file.file, () => rule.check(context));
    } catch (error) {
      logFailure(`the ${rule.id} rule`, error, { file: context.file.file });
      continue;
    }
    for (const draft of drafts) {
      const demoted = draft.demoted === true && (severity === 'error' || severity === 'warning');
      findings.push({ ...draft, severity: demoted ? 'information' : severity });
    }
  }
  return findings.sort((a, b) => a.range.start - b.range.start || a.rule.localeCompare(b.rule));
}

export const RULE_IDS: readonly RuleId[] = [...STATIC_RULES.map((r) => r.id), 'port-in-use', 'not-listening'];

/** Where the README explains a rule; used as the diagnostic code's link. */
export function ruleDocUrl(rule: RuleId): string {
  return `https://github.com/portolan/portolan#rule-${rule}`;
}
